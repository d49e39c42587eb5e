// The sweep's summary (`once: true` with no event commit): one row per open pull request looked
// at, what its gate status was and what it is now. Pure; every text is escaped here.
import { escapeMarkdown, markdownLink } from './escape.js'

export interface SweptPullRequest {
  number: number
  url: string
  sha: string
  /** The gate's status before the sweep: a state, or `absent`. */
  before: string
  /** What it judged and published; null when it was left alone (final) or left for the next sweep. */
  after: { state: string; description: string } | null
  /** Why it was not judged. */
  note?: string
}

const ICONS: Record<string, string> = { success: '✅', failure: '❌', error: '⚠️', pending: '⏳', absent: '∅' }

const state = (text: string): string => `${ICONS[text] ?? ''} ${escapeMarkdown(text)}`.trim()

export function renderSweep(context: string, rows: readonly SweptPullRequest[], limit: number): string {
  const judged = rows.filter((row) => row.after !== null)
  const left = rows.filter((row) => row.note === 'left')
  const head = `## 🧹 Swept ${rows.length} open pull request(s) for '${escapeMarkdown(context)}': judged ${judged.length}${left.length > 0 ? `, ${left.length} left for the next sweep (at most ${limit} a step)` : ''}`
  if (rows.length === 0) return `${head}\n\nNo open pull request.`
  const lines = rows.map((row) => {
    const now = row.after
      ? `${state(row.after.state)} — ${escapeMarkdown(row.after.description)}`
      : row.note === 'left'
        ? 'not judged: the limit'
        : 'final: left alone'
    return `| ${markdownLink(`#${row.number}`, row.url)} | \`${row.sha.slice(0, 7)}\` | ${state(row.before)} | ${now} |`
  })
  return [head, '', '| pull request | head | before | now |', '|---|---|---|---|', ...lines].join('\n')
}
