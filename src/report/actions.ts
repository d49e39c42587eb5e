// What a write command did, run by run, as the summary shows it: a table of every selected run
// with the action taken or the reason it was not, and for re-runs the attempts side by side.
import type { Job, Run } from '../github/types.js'
import { isFailedConclusion, stateEmoji, stateWord } from './conclusions.js'
import { escapeMarkdown, markdownLink, sliceChars } from './escape.js'

/** done: the change was made (and verified where the command verifies); planned: dry run. */
/** sent: the write was accepted, but its effect was not verified (the step was cancelled first). */
export type ActionOutcome = 'done' | 'sent' | 'skipped' | 'failed' | 'planned'

export interface ActionRecord {
  run: Run
  outcome: ActionOutcome
  /** Plain text (escaped here): what was done, or why nothing was. */
  detail: string
}

const OUTCOME_LABEL: Readonly<Record<ActionOutcome, string>> = {
  done: '✅ done',
  sent: '📨 sent, not verified',
  skipped: '➖ skipped',
  failed: '❌ failed',
  planned: '📝 would do'
}

// A detail is one table cell: a sentence or two, never a pasted error page.
const MAX_DETAIL_CHARS = 300
// Run titles are commit messages or PR titles; the first words identify the run.
const MAX_TITLE_CHARS = 80

function runCell(run: Run): string {
  const title = run.displayTitle ? ` — ${escapeMarkdown(sliceChars(run.displayTitle.split('\n')[0] ?? '', MAX_TITLE_CHARS))}` : ''
  return `${markdownLink(`${run.name} #${run.runNumber}`, run.htmlUrl)}${title}`
}

/** `heading` and `note` (a sentence under the counts; '' = none) are plain text; one row per record, in the order the command handled them. */
export function renderActions(heading: string, records: readonly ActionRecord[], note = ''): string {
  const counts = (['done', 'sent', 'planned', 'skipped', 'failed'] as const)
    .map((outcome) => [outcome, records.filter((r) => r.outcome === outcome).length] as const)
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => `${n} ${OUTCOME_LABEL[outcome].split(' ').slice(1).join(' ')}`)
  const lines = [`## ${escapeMarkdown(heading)}`, '', counts.length > 0 ? `${records.length} run(s): ${counts.join(', ')}.` : 'No run was selected.']
  if (note !== '') lines.push('', escapeMarkdown(note))
  if (records.length > 0) {
    lines.push('', '| Run | Attempt | State | Result | Detail |', '|---|---|---|---|---|')
    for (const { run, outcome, detail } of records) {
      const state = `${stateEmoji(run)} ${escapeMarkdown(stateWord(run))}`
      lines.push(`| ${runCell(run)} | ${run.attempt} | ${state} | ${OUTCOME_LABEL[outcome]} | ${escapeMarkdown(sliceChars(detail, MAX_DETAIL_CHARS))} |`)
    }
  }
  return lines.join('\n')
}

function cell(job: Job | undefined): string {
  if (!job) return '—'
  return `${stateEmoji(job)} ${markdownLink(stateWord(job), job.htmlUrl)}`
}

/**
 * The names of the jobs that failed in `previous` and succeeded in `current` (once each, in
 * `previous`'s order): a failure that went away on a re-run, i.e. a flaky job.
 */
export function flakyJobs(previous: readonly Job[], current: readonly Job[]): string[] {
  const now = new Map(current.map((job) => [job.name, job]))
  const names = previous.filter((job) => isFailedConclusion(job.conclusion) && now.get(job.name)?.conclusion === 'success').map((job) => job.name)
  return [...new Set(names)]
}

/**
 * `Flaky: test failed in attempt 1 and passed in attempt 2.` when one failed job passed, else
 * `2 jobs failed in attempt 1: 1 succeeded in attempt 2, 1 failed again.` followed by the flaky
 * ones by name ('' before the new attempt was read).
 */
function inWords(
  previous: { attempt: number; jobs: readonly Job[] },
  current: { attempt: number; jobs: readonly Job[] | null },
  now: ReadonlyMap<string, Job>
): string {
  if (current.jobs === null) return ''
  const failedBefore = previous.jobs.filter((job) => isFailedConclusion(job.conclusion))
  if (failedBefore.length === 0) return ''
  const flaky = flakyJobs(previous.jobs, current.jobs)
  const flakyLine = `Flaky: ${flaky.map(escapeMarkdown).join(', ')} failed in attempt ${previous.attempt} and passed in attempt ${current.attempt}.`
  const count = (n: number, what: string): string => `${n} ${what}`
  const succeeded = failedBefore.filter((job) => now.get(job.name)?.conclusion === 'success').length
  const again = failedBefore.filter((job) => isFailedConclusion(now.get(job.name)?.conclusion)).length
  const other = failedBefore.length - succeeded - again
  if (failedBefore.length === 1) {
    if (succeeded === 1) return flakyLine
    const how = again === 1 ? `failed again in attempt ${current.attempt}` : `has not finished in attempt ${current.attempt}`
    return `Job ${escapeMarkdown(failedBefore[0]?.name ?? '')} failed in attempt ${previous.attempt} and ${how}.`
  }
  const outcomes = [
    succeeded > 0 ? count(succeeded, `succeeded in attempt ${current.attempt}`) : '',
    again > 0 ? count(again, 'failed again') : '',
    other > 0 ? count(other, 'not finished or not re-run') : ''
  ].filter((part) => part !== '')
  const counted = `${failedBefore.length} jobs failed in attempt ${previous.attempt}: ${outcomes.join(', ')}.`
  return flaky.length > 0 ? `${counted}\n\n${flakyLine}` : counted
}

/**
 * The jobs of a re-run side by side: every job that failed in the previous attempt, and any job
 * whose result differs, with how it did then and now. Before the new attempt was waited for
 * (`jobs` null), the jobs in `rerunning` show as re-running and the others as carried over.
 */
export function renderAttemptComparison(
  run: Run,
  previous: { attempt: number; jobs: readonly Job[] },
  current: { attempt: number; jobs: readonly Job[] | null; rerunning: ReadonlySet<string> }
): string {
  const now = new Map((current.jobs ?? []).map((job) => [job.name, job]))
  const names = [...new Set([...previous.jobs.map((j) => j.name), ...now.keys()])]
  const rows = names.filter((name) => {
    const before = previous.jobs.find((j) => j.name === name)
    const after = now.get(name)
    return isFailedConclusion(before?.conclusion) || isFailedConclusion(after?.conclusion) || (after !== undefined && before?.conclusion !== after.conclusion)
  })
  const heading = `#### ${escapeMarkdown(`${run.name} #${run.runNumber}`)}: attempt ${previous.attempt} → ${current.attempt}`
  if (rows.length === 0) return `${heading}\n\nNo job failed in attempt ${previous.attempt}.`
  const lines = [heading, '']
  const said = inWords(previous, current, now)
  if (said !== '') lines.push(said, '')
  lines.push(`| Job | Attempt ${previous.attempt} | Attempt ${current.attempt} |`, '|---|---|---|')
  for (const name of rows) {
    const before = previous.jobs.find((j) => j.name === name)
    const after = now.get(name)
    let afterText: string
    if (current.jobs === null) afterText = current.rerunning.has(name) ? '🔄 re-running' : 'not re-run'
    // A job a failed-jobs re-run did not include keeps its earlier execution (same id).
    else if (after && before && after.id === before.id) afterText = `${cell(after)} (not re-run)`
    else afterText = cell(after)
    lines.push(`| ${escapeMarkdown(name)} | ${cell(before)} | ${afterText} |`)
  }
  return lines.join('\n')
}
