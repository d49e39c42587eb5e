// The gate's rules, as pure functions: how one run stands (from the run, its jobs and the
// rules), and how the gate stands over every run found. No I/O, no clock: the polling loop
// feeds them what it read, and the unit tests feed them fixtures.
import type { Job, Run } from '../../github/types.js'
import { jobNameMatcher } from '../../runs/job-names.js'
import { worstConclusion } from '../../report/outputs.js'
import { isNewerRun } from '../../runs/selection.js'

export interface GateRules {
  /** Conclusions that pass (`allowed-conclusions`). */
  allowed: ReadonlySet<string>
  /** `job` patterns; empty = the whole run counts. */
  jobPatterns: readonly string[]
  failFast: boolean
}

/** What the loop knows about a run beyond its payload. */
export interface RunFacts {
  /** Named by the user (a run id, or a run of a workflow named in `workflow`): a skipped run counts. */
  named: boolean
  /**
   * The run this step runs in: it cannot complete while the step waits, so its other jobs are
   * judged instead; `ownJobId` is the step's own job, left out.
   */
  current: { ownJobId: number } | null
  /**
   * The job list may lag the run: a run read `completed` while jobs read unfinished is trusted
   * only once the loop has re-read it a few times (then true).
   */
  settled: boolean
}

export type RunVerdict =
  | { kind: 'waiting'; reason: string }
  | { kind: 'passed'; conclusion: string; detail: string }
  | { kind: 'failed'; conclusion: string; detail: string }
  /** Counts neither way: a run skipped as a whole (no job's `if` held), a cancelled run replaced by a newer one. */
  | { kind: 'not-counted'; detail: string }

export type Judged = Exclude<RunVerdict, { kind: 'waiting' }>

export function stepThatFailed(job: Job): string {
  const step = job.steps.find((s) => s.conclusion === 'failure' || s.conclusion === 'timed_out')
  return step ? `, step '${step.name}'` : ''
}

function describeJob(job: Job): string {
  return `job '${job.name}' ${job.conclusion ?? job.status}${stepThatFailed(job)}`
}

/** Failed because of these jobs: the worst of their conclusions, each named. */
function failedBy(jobs: readonly Job[]): RunVerdict {
  return { kind: 'failed', conclusion: worstConclusion(jobs.map((job) => job.conclusion ?? 'failure')) ?? 'failure', detail: jobs.map(describeJob).join('; ') }
}

/**
 * Without `job`, a job skipped by its `if` leaves a run green, as in GitHub's own run
 * conclusion. A cancelled job is left to the run's conclusion, except in the current run (which
 * cannot be replaced): a run cancelled by a newer run of its workflow is replaced, not failed.
 */
function decidesRun(job: Job, current: boolean): boolean {
  return job.conclusion !== 'skipped' && (current || job.conclusion !== 'cancelled')
}

/** How one run stands now. */
export function judgeRun(run: Run, allJobs: readonly Job[], rules: GateRules, facts: RunFacts): RunVerdict {
  const jobs = facts.current ? allJobs.filter((job) => job.id !== facts.current?.ownJobId) : allJobs
  const completed = facts.current === null && run.status === 'completed'
  const unfinished = jobs.filter((job) => job.status !== 'completed')
  if (completed && unfinished.length > 0 && !facts.settled) return { kind: 'waiting', reason: 'the job list has not caught up with the run' }
  return rules.jobPatterns.length > 0 ? judgeAwaitedJobs(jobs, completed, rules) : judgeWholeRun(run, jobs, completed, rules, facts)
}

/** `job` given: every pattern must match a job, and every matching job must end allowed. */
function judgeAwaitedJobs(jobs: readonly Job[], runCompleted: boolean, rules: GateRules): RunVerdict {
  const matched = rules.jobPatterns.map((pattern) => ({ pattern, jobs: jobs.filter((job) => jobNameMatcher([pattern])(job.name)) }))
  const awaited = [...new Map(matched.flatMap((m) => m.jobs).map((job) => [job.id, job])).values()]
  // An awaited job that was skipped (its `needs` failed, its `if` was false) did not do its work.
  const failed = awaited.filter((job) => job.status === 'completed' && !rules.allowed.has(job.conclusion ?? 'failure'))
  if (failed.length > 0 && rules.failFast) return failedBy(failed)
  const unmatched = matched.filter((m) => m.jobs.length === 0).map((m) => m.pattern)
  const running = awaited.filter((job) => job.status !== 'completed')
  if (unmatched.length === 0 && running.length === 0) {
    if (failed.length > 0) return failedBy(failed)
    return { kind: 'passed', conclusion: 'success', detail: `${awaited.length} awaited job(s) succeeded` }
  }
  if (runCompleted) {
    if (unmatched.length > 0) {
      return { kind: 'failed', conclusion: 'failure', detail: `the run completed and no job matches 'job' ${unmatched.map((p) => `'${p}'`).join(', ')}` }
    }
  }
  // Jobs blocked on `needs` are listed only once queued: an unmatched pattern may match later.
  const waitingFor = [...running.map((job) => `'${job.name}'`), ...unmatched.map((p) => `a job matching '${p}'`)]
  return { kind: 'waiting', reason: `waiting for ${waitingFor.join(', ')}` }
}

/** No `job`: the run's own conclusion, or, for the current run, its other jobs'. */
function judgeWholeRun(run: Run, jobs: readonly Job[], runCompleted: boolean, rules: GateRules, facts: RunFacts): RunVerdict {
  const failed = jobs.filter((job) => job.status === 'completed' && !rules.allowed.has(job.conclusion ?? 'failure') && decidesRun(job, facts.current !== null))
  if (facts.current) {
    const others = jobs.filter((job) => job.status !== 'completed')
    if (failed.length > 0 && (rules.failFast || others.length === 0)) return failedBy(failed)
    if (others.length > 0 || !facts.settled) return { kind: 'waiting', reason: `waiting for ${others.length} other job(s) of this run` }
    return { kind: 'passed', conclusion: 'success', detail: `the ${jobs.length} other job(s) of this run finished` }
  }
  if (!runCompleted) {
    if (failed.length > 0 && rules.failFast) return failedBy(failed)
    return { kind: 'waiting', reason: run.status }
  }
  const conclusion = run.conclusion ?? 'failure'
  if (conclusion === 'skipped' && !facts.named && !rules.allowed.has('skipped')) {
    return { kind: 'not-counted', detail: 'skipped as a whole (no job ran): does not count' }
  }
  if (rules.allowed.has(conclusion)) return { kind: 'passed', conclusion, detail: conclusion }
  return { kind: 'failed', conclusion, detail: failed.length > 0 ? `${conclusion}: ${failed.map(describeJob).join('; ')}` : conclusion }
}

/** A run as the gate sees it. */
export interface GateEntry {
  run: Run
  verdict: RunVerdict
}

/**
 * A cancelled run is replaced, not failed, when a newer run of its workflow exists (a
 * concurrency group cancels the older run when a newer one starts).
 */
export function replacedBy(entry: GateEntry, all: readonly GateEntry[]): Run | null {
  if (entry.verdict.kind !== 'failed' || entry.run.conclusion !== 'cancelled' || entry.run.status !== 'completed') return null
  const newer = all.filter((other) => other.run.id !== entry.run.id && other.run.workflowId === entry.run.workflowId && isNewerRun(other.run, entry.run))
  return newer[0]?.run ?? null
}

/** The verdict that counts for each run once replacements are applied. */
export function countedVerdicts(entries: readonly GateEntry[]): Map<number, RunVerdict> {
  const verdicts = new Map<number, RunVerdict>()
  for (const entry of entries) {
    const replacement = replacedBy(entry, entries)
    verdicts.set(entry.run.id, replacement ? { kind: 'not-counted', detail: `cancelled and replaced by the newer run ${replacement.id}` } : entry.verdict)
  }
  return verdicts
}

export type GateState = { kind: 'waiting' } | { kind: 'failed-fast' } | { kind: 'finished' } | { kind: 'none-found'; reason: string }

export interface GateFacts {
  /** New runs can still appear (appear window, or a run found so far is still going). */
  discovering: boolean
  /** Workflows named in `workflow` that have no run yet. */
  missingWorkflows: readonly string[]
  failFast: boolean
}

/**
 * How the whole gate stands. It never passes on nothing: no run, a named workflow missing, or
 * only runs that do not count. A cancelled run does not fail fast while discovery is open (its
 * replacement may be about to appear).
 */
export function judgeGate(entries: readonly GateEntry[], facts: GateFacts): GateState {
  const verdicts = countedVerdicts(entries)
  const failed = entries.filter((e) => verdicts.get(e.run.id)?.kind === 'failed')
  const failFast = facts.failFast && failed.some((e) => !(facts.discovering && e.run.conclusion === 'cancelled'))
  if (failFast) return { kind: 'failed-fast' }
  if (facts.discovering) return { kind: 'waiting' }
  if (facts.missingWorkflows.length > 0) return { kind: 'none-found', reason: `no run of ${facts.missingWorkflows.join(', ')}` }
  if ([...verdicts.values()].some((v) => v.kind === 'waiting')) return { kind: 'waiting' }
  if (entries.length === 0) return { kind: 'none-found', reason: 'no run' }
  if ([...verdicts.values()].every((v) => v.kind === 'not-counted')) {
    return { kind: 'none-found', reason: `no run that counts (${entries.length} found, none counted: skipped or replaced)` }
  }
  return { kind: 'finished' }
}
