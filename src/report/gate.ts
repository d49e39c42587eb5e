// The gate's verdict as Markdown, above the runs in the summary: how it ended, the runs that
// failed or do not count, one table of everything the gate counted (failed first), and how long
// runs took beside their workflows' usual time. Pure: the command hands over plain-text lines
// (`CI #12 (run 123, attempt 1): failure`) and rows of untrusted names, escaped here.
import { stateEmoji, stateWord } from './conclusions.js'
import { clockTime, formatDuration } from './durations.js'
import { escapeMarkdown, markdownLink, safeUrl } from './escape.js'

/** How the wait ended, as the summary tells it. */
export type GateOutcome =
  | { kind: 'none-found'; message: string }
  | { kind: 'cancelled'; waitedMs: number; message: string; undecided: readonly string[] }
  | { kind: 'timeout'; message: string }
  | { kind: 'failed'; failing: readonly string[]; awaited: number }
  | { kind: 'passed'; passed: number; waitedMs: number }
  /** A one-look gate: what it still waits for, or the configuration fault it published as `error`. */
  | { kind: 'pending'; awaited: readonly string[] }
  | { kind: 'error'; message: string }

/** A run beside its workflow's recent successful runs. */
export interface RunExpectation {
  label: string
  /** How long it took; null while it runs (then `finishAt` is shown). */
  tookMs: number | null
  /** Epoch ms on GitHub's clock. */
  finishAt: number
  sample: number
  medianMs: number
}

/** Where a row stands in the gate, which orders the table: failed, pending, passed, not counted. */
export type RowStanding = 'failed' | 'pending' | 'passed' | 'not-counted'

interface RowBase {
  standing: RowStanding
  /** As the API tells it (`completed`, `in_progress`…), and the conclusion once completed. */
  status: string
  conclusion: string | null
  url: string | null
  /** How long it took, or has run so far (status not `completed`); null: not known. */
  durationMs: number | null
}

/** A workflow run of the gate. */
export interface GateRunRow extends RowBase {
  kind: 'run'
  workflow: string
  runNumber: number
  attempt: number
}

/** A check the gate counts that is not a workflow run: another app's check run, or a commit status. */
export interface GateCheckRow extends RowBase {
  kind: 'check'
  name: string
  /** The app's slug, or `status` for a commit status. */
  source: string
}

export type GateRow = GateRunRow | GateCheckRow

export interface GatePreface {
  outcome: GateOutcome
  /** Runs that do not count either way, each `label: why`. */
  notCounted: readonly string[]
  expectations: readonly RunExpectation[]
  /** Everything the gate looked at, one row each; absent or empty: no table. */
  rows?: readonly GateRow[]
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `- ${escapeMarkdown(line)}`).join('\n')
}

function headline(outcome: GateOutcome, uncountedNote: string): string {
  switch (outcome.kind) {
    case 'none-found':
      return `## ❌ Gate failed: ${escapeMarkdown(outcome.message)}${uncountedNote}`
    case 'cancelled': {
      const { undecided } = outcome
      const open = bullets(undecided)
      return `## 🛑 Cancelled after ${formatDuration(outcome.waitedMs)}${undecided.length > 0 ? `, ${undecided.length} run(s) undecided` : ''}\n\n${escapeMarkdown(outcome.message)}${open ? `\n\n${open}` : ''}`
    }
    case 'timeout':
      return `## ⏱️ ${escapeMarkdown(outcome.message)}`
    case 'failed':
      return `## ❌ ${outcome.failing.length} of ${outcome.awaited} awaited run(s) failed\n\n${bullets(outcome.failing)}${uncountedNote}`
    case 'passed':
      return `## ✅ All ${outcome.passed} awaited run(s) succeeded (waited ${formatDuration(outcome.waitedMs)})${uncountedNote}`
    case 'pending':
      return `## ⏳ Pending: waiting for ${outcome.awaited.length} workflow(s) or run(s)\n\n${bullets(outcome.awaited)}${uncountedNote}`
    case 'error':
      return `## ⚠️ Gate error: ${escapeMarkdown(outcome.message)}`
  }
}

function expectationLine(e: RunExpectation): string {
  const usual = `the median of its workflow's last ${e.sample} successful runs is ${formatDuration(e.medianMs)}`
  const now = e.tookMs !== null ? `took ${formatDuration(e.tookMs)}` : `expected to finish around ${clockTime(e.finishAt)}`
  return `${e.label}: ${now}; ${usual}.`
}

const STANDING_RANK: Readonly<Record<RowStanding, number>> = { failed: 0, pending: 1, passed: 2, 'not-counted': 3 }

/** The icon and word of a row: a run judged failed while it still runs (fail-fast) is failing, whatever its status says. */
function rowState(row: GateRow): string {
  if (row.standing === 'failed' && row.status !== 'completed') return '❌ failing'
  const word = escapeMarkdown(stateWord(row))
  return `${stateEmoji(row)} ${row.standing === 'not-counted' ? `${word} (not counted)` : word}`
}

function rowCells(row: GateRow): string[] {
  const duration = row.durationMs === null ? '—' : `${formatDuration(row.durationMs)}${row.status === 'completed' ? '' : ' so far'}`
  if (row.kind === 'check') return [rowState(row), escapeMarkdown(row.name), markdownLink(row.source, row.url), duration]
  // Numbers only: nothing to escape (escaping `#12` would put an invisible joiner in what is copied).
  const run = row.attempt > 1 ? `#${row.runNumber}, attempt ${row.attempt}` : `#${row.runNumber}`
  const target = safeUrl(row.url)
  return [rowState(row), escapeMarkdown(row.workflow), target === null ? run : `[${run}](${target})`, duration]
}

/**
 * One table of every run and check the gate looked at: failed first, then pending, then passed
 * (each group in the order given), so that what broke is at the top however many passed.
 */
export function renderGateTable(rows: readonly GateRow[]): string {
  const sorted = [...rows].sort((a, b) => STANDING_RANK[a.standing] - STANDING_RANK[b.standing])
  const title = rows.some((row) => row.kind === 'check') ? 'Runs and checks' : 'Runs'
  const lines = [`### ${title}`, '', '| | Workflow or check | Run | Duration |', '|---|---|---|--:|']
  for (const row of sorted) lines.push(`| ${rowCells(row).join(' | ')} |`)
  return lines.join('\n')
}

/** The Markdown (escaped) shown above the runs. */
export function renderGatePreface({ outcome, notCounted, expectations, rows = [] }: GatePreface): string {
  const uncountedNote = notCounted.length > 0 ? `\n\nNot counted: ${notCounted.map(escapeMarkdown).join('; ')}` : ''
  const parts = [headline(outcome, uncountedNote)]
  if (rows.length > 0) parts.push(renderGateTable(rows))
  if (expectations.length > 0) parts.push(bullets(expectations.map(expectationLine)))
  return parts.join('\n\n')
}
