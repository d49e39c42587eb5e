// How failure triage shows: a word next to each failed step's heading, one line of evidence with
// links to the base runs, the order failures are listed in, and the `triage` output.
import { KIND_ORDER, MAX_TRIAGED_JOBS, type BaseRun, type JobTriage, type TriageKind } from '../triage/classify.js'
import { escapeMarkdown, safeUrl } from './escape.js'

const BADGES: Record<TriageKind, string> = {
  new: '🆕 new',
  unknown: '❔ unknown',
  flaky: '🎲 flaky',
  known: '📌 known'
}

/** The kind, for a failed step's heading. */
export function triageBadge(triage: JobTriage): string {
  return `**${BADGES[triage.kind]}**`
}

/** Where a job goes in the list of failures: new, unknown, flaky, known, then jobs not triaged. */
export function triageRank(triage: JobTriage | undefined): number {
  return triage === undefined ? KIND_ORDER.length : KIND_ORDER.indexOf(triage.kind)
}

function runLink(run: BaseRun): string {
  const url = safeUrl(run.url)
  return url === null ? `#${run.number}` : `[#${run.number}](${url})`
}

function errorWords(triage: JobTriage): string {
  if (triage.sameError === true) return '; same error'
  if (triage.sameError === false) return '; a different error'
  return ''
}

/** How often the workflow failed on the base branch: a run-level count. */
function runCount(triage: JobTriage, branch: string): string {
  return `the workflow failed ${triage.failureCount} of the last ${triage.runsRead} runs on ${branch}`
}

function unknownEvidence(triage: JobTriage, branch: string): string {
  switch (triage.reason) {
    case 'over-cap':
      return `not triaged: at most ${MAX_TRIAGED_JOBS} failed jobs are compared per step`
    case 'unread':
      return `${branch === '' ? 'the base branch' : branch}’s history could not be read${triage.problem ? ` (${escapeMarkdown(triage.problem)})` : ''}`
    case 'not-matched':
      return `no job of this name in ${branch}’s newest run ${triage.baseRun ? runLink(triage.baseRun) : ''} (a new or renamed job, or a changed matrix leg): not compared`
    case 'no-verdict':
      return `neither passed nor failed in the runs of ${branch} read (cancelled or skipped)`
    default:
      return `no completed runs of this workflow on ${branch} to compare with`
  }
}

function flakyEvidence(triage: JobTriage, branch: string, base: string): string {
  if (triage.flakyBy === 'rerun')
    return `flaky on ${branch}: failed, then passed on a re-run of ${base} (same commit)${errorWords(triage)}; ${runCount(triage, branch)}`
  if (triage.flakyBy === 'same-commit' && triage.passedRun) {
    return `flaky on ${branch}: failed in ${base}, passed in ${runLink(triage.passedRun)} on the same commit${errorWords(triage)}; ${runCount(triage, branch)}`
  }
  return `flaky on ${branch}: ${runCount(triage, branch)}, in separate streaks; this job failed in ${base}${errorWords(triage)}`
}

/** One line saying why the job has its kind, with links to the base runs. */
export function triageEvidence(triage: JobTriage): string {
  const branch = escapeMarkdown(triage.baseBranch)
  const base = triage.baseRun === null ? '' : runLink(triage.baseRun)
  let text: string
  switch (triage.kind) {
    case 'new':
      text = `passed on ${branch} in ${base}: new in this change`
      break
    case 'known':
      text = `failing on ${branch} since ${triage.since ? runLink(triage.since) : base}, ${triage.streak} ${triage.streak === 1 ? 'run' : 'runs'} (newest ${base})${errorWords(triage)}`
      break
    case 'flaky':
      text = flakyEvidence(triage, branch, base)
      break
    default:
      text = unknownEvidence(triage, branch)
  }
  return `_Triage: ${text}._`
}

function runRef(run: BaseRun | null): { id: number; number: number; url: string } | null {
  return run === null ? null : { id: run.id, number: run.number, url: run.url }
}

/** The `triage` output: one entry per triaged job, in the order failures are shown. */
export function triageOutput(triaged: ReadonlyMap<number, JobTriage>): string {
  const entries = [...triaged.values()]
    .sort((a, b) => triageRank(a) - triageRank(b))
    .map((triage) => ({
      job: triage.job,
      step: triage.step,
      kind: triage.kind,
      base_branch: triage.baseBranch,
      base_run: runRef(triage.baseRun),
      since: triage.kind === 'known' ? runRef(triage.since) : null,
      failure_count: triage.failureCount,
      runs_read: triage.runsRead,
      same_error: triage.sameError
    }))
  return JSON.stringify(entries)
}
