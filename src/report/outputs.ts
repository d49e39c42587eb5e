// The step outputs INTERFACE.md promises, computed from the reports. Values are strings (as
// outputs are); lists are JSON.

import type { RunReport } from '../github/types.js'
import { isFailedConclusion } from './conclusions.js'
import { jobDurationMs, jobQueuedMs, runDurationMs } from './durations.js'

/** Conclusions from worst to best: the aggregate conclusion is the worst one not allowed. */
export const CONCLUSION_SEVERITY = [
  'startup_failure',
  'failure',
  'timed_out',
  'cancelled',
  'action_required',
  'stale',
  'neutral',
  'skipped',
  'success'
] as const

// Where an unknown conclusion ranks: right after `failure`. We cannot vouch for it, so it must
// not pass for anything milder, but a known failure is the clearer thing to report.
const UNKNOWN_RANK = 1.5

function rank(conclusion: string): number {
  const i = (CONCLUSION_SEVERITY as readonly string[]).indexOf(conclusion)
  return i === -1 ? UNKNOWN_RANK : i
}

/** The most severe of `conclusions`, or null when there are none. */
export function worstConclusion(conclusions: Iterable<string>): string | null {
  let worst: string | null = null
  for (const c of conclusions) if (worst === null || rank(c) < rank(worst)) worst = c
  return worst
}

// Run statuses from least to most advanced: a concurrency group holds a run (`pending`) before
// it is queued; `waiting` (for an environment's approval) happens once jobs are being scheduled.
const STATUS_PROGRESS = ['requested', 'pending', 'queued', 'waiting', 'in_progress', 'completed']

/** The least advanced status; an unknown status counts as least advanced (not finished). */
function leastAdvanced(statuses: readonly string[]): string {
  let least: string | null = null
  let leastRank = Infinity
  for (const s of statuses) {
    const r = STATUS_PROGRESS.indexOf(s)
    if (least === null || r < leastRank) {
      least = s
      leastRank = r
    }
  }
  return least ?? ''
}

/** How a command judged a run, for the aggregate `conclusion`. */
export type RunStanding =
  | { kind: 'concluded'; conclusion: string }
  | { kind: 'undecided' }
  /** Does not count either way (left out of the aggregate): skipped as a whole, or replaced. */
  | { kind: 'not-counted' }

export interface OutputOptions {
  nowMs: number
  allowedConclusions: ReadonlySet<string>
  /** The standing judged for a run (e.g. over the awaited jobs only); default: concluded once completed. */
  standingOf?: (report: RunReport) => RunStanding
  /** Shorthand for a `standingOf` under which every run counts, with this conclusion. */
  conclusionOf?: (report: RunReport) => string
}

function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000)
}

/**
 * A run counts once it is judged: by the command (e.g. its awaited jobs finished) or, by default,
 * once it completed. A completed run without a conclusion is not called allowed.
 */
function standingOf(options: OutputOptions): (report: RunReport) => RunStanding {
  if (options.standingOf) return options.standingOf
  const { conclusionOf } = options
  if (conclusionOf) return (report) => ({ kind: 'concluded', conclusion: conclusionOf(report) })
  return (report) => (report.run.status === 'completed' ? { kind: 'concluded', conclusion: report.run.conclusion ?? 'failure' } : { kind: 'undecided' })
}

/**
 * All outputs. `failed-jobs` lists (once per name) the jobs that ended `failure`, `timed_out` or
 * `cancelled` (what GitHub's "Re-run failed jobs" re-runs); `failed-steps` lists the steps of
 * any job that ended so, with the error lines of their log excerpts.
 */
export function buildOutputs(reports: readonly RunReport[], options: OutputOptions): Record<string, string> {
  const { nowMs } = options
  const first = reports[0]
  const statuses = reports.map((r) => r.run.status)
  const judged = reports.map(standingOf(options)).flatMap((s) => (s.kind === 'not-counted' ? [] : [s.kind === 'concluded' ? s.conclusion : null]))
  const notAllowed = judged.filter((c): c is string => c !== null && !options.allowedConclusions.has(c))
  let conclusion = ''
  if (notAllowed.length > 0) conclusion = worstConclusion(notAllowed) ?? ''
  else if (judged.length > 0 && judged.every((c) => c !== null)) conclusion = 'success'

  const runs = reports.map(({ run, jobs }) => ({
    id: run.id,
    name: run.name,
    url: run.htmlUrl,
    attempt: run.attempt,
    status: run.status,
    conclusion: run.conclusion,
    duration_seconds: seconds(runDurationMs(run, jobs, nowMs))
  }))

  const jobs = reports.flatMap(({ jobs }) =>
    jobs.map((job) => ({
      id: job.id,
      run_id: job.runId,
      run_attempt: job.runAttempt,
      name: job.name,
      status: job.status,
      conclusion: job.conclusion,
      started_at: job.startedAt,
      completed_at: job.completedAt,
      duration_seconds: seconds(jobDurationMs(job, nowMs)),
      queued_seconds: seconds(jobQueuedMs(job, nowMs)),
      url: job.htmlUrl
    }))
  )

  const failedJobs = new Set<string>()
  const failedSteps: { job: string; job_id: number; step: string; number: number; conclusion: string | null; errors: string[] }[] = []
  for (const report of reports) {
    for (const job of report.jobs) {
      if (job.status === 'completed' && isFailedConclusion(job.conclusion)) failedJobs.add(job.name)
      for (const step of job.steps) {
        if (!isFailedConclusion(step.conclusion)) continue
        failedSteps.push({
          job: job.name,
          job_id: job.id,
          step: step.name,
          number: step.number,
          conclusion: step.conclusion,
          errors: report.excerpts.get(`${job.id}:${step.number}`)?.errorLines ?? []
        })
      }
    }
  }

  return {
    'run-id': first === undefined ? '' : String(first.run.id),
    'run-url': first?.run.htmlUrl ?? '',
    'run-attempt': first === undefined ? '' : String(first.run.attempt),
    'run-ids': JSON.stringify(reports.map((r) => r.run.id)),
    status: leastAdvanced(statuses),
    conclusion,
    runs: JSON.stringify(runs),
    jobs: JSON.stringify(jobs),
    'failed-jobs': JSON.stringify([...failedJobs]),
    'failed-steps': JSON.stringify(failedSteps)
  }
}
