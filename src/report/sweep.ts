// The sweep's summary (`once: true` with no event commit): one row per open pull request looked
// at, what its gate status was and what it is now. Pure; every text is escaped here.
import { escapeMarkdown, safeUrl } from './escape.js'

export interface SweptPullRequest {
  number: number
  url: string
  sha: string
  /** The gate's status before the sweep: a state, or `absent`. */
  before: string
  /** What it judged and published; null when it was left alone (final) or left for the next sweep. */
  after: { state: string; description: string } | null
  /** `left`: not judged (the limit, the timeout, the step cancelled); `error`: could not be judged, or judged a configuration fault. */
  note?: 'left' | 'error'
  /** What went wrong when it could not be judged. */
  error?: string
}

const ICONS: Record<string, string> = { success: '✅', failure: '❌', error: '⚠️', pending: '⏳', absent: '∅' }

const state = (text: string): string => `${ICONS[text] ?? ''} ${escapeMarkdown(text)}`.trim()

/** `#12`, linked: a number only, so nothing to escape (escaping `#` would put an invisible joiner in what is copied). */
function pullLink(row: SweptPullRequest): string {
  const target = safeUrl(row.url)
  return target === null ? `#${row.number}` : `[#${row.number}](${target})`
}

function nowCell(row: SweptPullRequest): string {
  if (row.after) return `${state(row.after.state)} — ${escapeMarkdown(row.after.description)}`
  if (row.error !== undefined) return `⚠️ could not be judged: ${escapeMarkdown(row.error)}`
  return row.note === 'left' ? 'left for the next sweep' : 'final: left alone'
}

export function renderSweep(context: string, rows: readonly SweptPullRequest[], limit: number): string {
  const judged = rows.filter((row) => row.after !== null)
  const left = rows.filter((row) => row.note === 'left')
  const head = `## 🧹 Swept ${rows.length} open pull request(s) for '${escapeMarkdown(context)}': judged ${judged.length}${left.length > 0 ? `, ${left.length} left for the next sweep (at most ${limit} a step, within the timeout)` : ''}`
  if (rows.length === 0) return `${head}\n\nNo open pull request.`
  const lines = rows.map((row) => `| ${pullLink(row)} | \`${row.sha.slice(0, 7)}\` | ${row.before ? state(row.before) : '—'} | ${nowCell(row)} |`)
  return [head, '', '| pull request | head | before | now |', '|---|---|---|---|', ...lines].join('\n')
}
