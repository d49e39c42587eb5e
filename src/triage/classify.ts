// Whose failure is it: one failed job judged against its workflow's recent runs on the base
// branch. Pure: the history comes in (a list of base runs, newest first, and the job lists of a
// few of them), a classification goes out. Counts over the whole list are run-level (a run's
// conclusion says nothing of which job failed); what is said of the job itself comes only from
// the job lists that were read, and a job found in none of them is `unknown`, never guessed.

export type TriageKind = 'new' | 'known' | 'flaky' | 'unknown'

/** The order failures are shown in: what this change broke first, what was broken before last. */
export const KIND_ORDER: readonly TriageKind[] = ['new', 'unknown', 'flaky', 'known']

/** A completed run of the workflow on the base branch, as the runs list shows it (its latest attempt). */
export interface BaseRun {
  id: number
  number: number
  url: string
  attempt: number
  headSha: string
  conclusion: string | null
}

/** One execution of a job in a base run (`filter=all`: every attempt's). */
export interface BaseExecution {
  id: number
  name: string
  attempt: number
  conclusion: string | null
}

/**
 * Why a job is `unknown`: no completed base runs; its name is not in the newest base run read (a
 * new or renamed job, a matrix leg that changed); it neither passed nor failed in the runs read
 * (cancelled, skipped); past the per-step cap; the history could not be read.
 */
export type UnknownReason = 'no-history' | 'not-matched' | 'no-verdict' | 'over-cap' | 'unread'

/** How flakiness showed: failed then passed in a re-run of one base run, in two runs of one commit, or a workflow that keeps failing and recovering. */
export type FlakyEvidence = 'rerun' | 'same-commit' | 'alternates'

export interface Classification {
  kind: TriageKind
  reason?: UnknownReason
  flakyBy?: FlakyEvidence
  /** The base run the job was compared with (for `flaky` by re-run or commit: the one that failed). */
  baseRun: BaseRun | null
  /** `flaky` on one commit: the later run that passed. */
  passedRun?: BaseRun
  /** `known`: the oldest run of the failing streak that reaches the base run. */
  since: BaseRun | null
  /** `known`: how many runs that streak holds. */
  streak: number
  /** Base runs that failed, of `runsRead` (run-level). */
  failureCount: number
  /** Base runs listed (after the fork and self filter), cancelled ones included. */
  runsRead: number
  /** A failing execution in the base run whose first error line is worth comparing, or null. */
  compareWith: BaseExecution | null
}

/** One failed job's triage: its classification, where, and whether its error is the base run's. */
export interface JobTriage extends Classification {
  jobId: number
  job: string
  /** The job's first failed step, null when none is marked failed. */
  step: string | null
  baseBranch: string
  sameError: boolean | null
  /** `unread`: why the history could not be read. */
  problem?: string
}

const PASS = new Set(['success'])
const FAIL = new Set(['failure', 'timed_out'])

const passed = (conclusion: string | null): boolean => PASS.has(conclusion ?? '')
const failed = (conclusion: string | null): boolean => FAIL.has(conclusion ?? '')
/** Cancelled, skipped, neutral or startup-failed runs say nothing either way. */
const counts = (run: BaseRun): boolean => passed(run.conclusion) || failed(run.conclusion)

/** Failed jobs triaged per step; the rest are `unknown`, and said so. */
export const MAX_TRIAGED_JOBS = 10

/** Job lists read per workflow at most: the newest run, the newest failing one, up to 3 re-run ones. */
export const MAX_JOB_LISTS = 5
const MAX_RERUN_LISTS = 3

/**
 * The base runs whose job lists are worth a request: the newest that counts, the newest that
 * failed, then re-runs (a run with more than one attempt, passing ones first; then two runs of
 * one commit, the one that failed before the one that passed).
 */
export function runsToRead(runs: readonly BaseRun[]): BaseRun[] {
  const counted = runs.filter(counts)
  const chosen = new Map<number, BaseRun>()
  const add = (run: BaseRun | undefined): void => {
    if (run !== undefined) chosen.set(run.id, run)
  }
  add(counted[0])
  add(counted.find((run) => failed(run.conclusion)))
  const reruns = counted.filter((run) => run.attempt > 1).sort((a, b) => Number(passed(b.conclusion)) - Number(passed(a.conclusion)))
  const sameCommit = sameCommitPairs(counted).flat()
  const room = MAX_JOB_LISTS - chosen.size
  const extra = [...reruns, ...sameCommit].filter((run, i, all) => !chosen.has(run.id) && all.findIndex((r) => r.id === run.id) === i)
  for (const run of extra.slice(0, Math.min(MAX_RERUN_LISTS, room))) add(run)
  return [...chosen.values()]
}

/** Pairs [failed earlier, passed later] of runs on one commit (runs newest first). */
function sameCommitPairs(counted: readonly BaseRun[]): [BaseRun, BaseRun][] {
  const pairs: [BaseRun, BaseRun][] = []
  counted.forEach((later, i) => {
    if (!passed(later.conclusion)) return
    const earlier = counted.slice(i + 1).find((run) => run.headSha === later.headSha && failed(run.conclusion))
    if (earlier) pairs.push([earlier, later])
  })
  return pairs
}

interface Outcome {
  run: BaseRun
  state: 'pass' | 'fail' | 'neither' | 'absent'
  /** The job's latest execution when it failed. */
  failedExecution: BaseExecution | null
  /** An execution that failed in an attempt before one in which the job passed. */
  flakyExecution: BaseExecution | null
}

function outcomeOf(run: BaseRun, name: string, executions: readonly BaseExecution[]): Outcome {
  const mine = executions.filter((execution) => execution.name === name).sort((a, b) => b.attempt - a.attempt)
  const latest = mine[0]
  if (latest === undefined) return { run, state: 'absent', failedExecution: null, flakyExecution: null }
  const state = passed(latest.conclusion) ? 'pass' : failed(latest.conclusion) ? 'fail' : 'neither'
  const passedAt = mine.filter((execution) => passed(execution.conclusion)).map((execution) => execution.attempt)
  const flakyExecution = mine.find((execution) => failed(execution.conclusion) && passedAt.some((attempt) => attempt > execution.attempt)) ?? null
  return { run, state, failedExecution: state === 'fail' ? latest : null, flakyExecution }
}

/** How many separate failing streaks the runs hold (a workflow that fails and recovers again and again). */
function failingStreaks(counted: readonly BaseRun[]): number {
  let streaks = 0
  counted.forEach((run, i) => {
    if (failed(run.conclusion) && !failed(counted[i - 1]?.conclusion ?? null)) streaks += 1
  })
  return streaks
}

/** The failing streak, in run-level conclusions, that starts at `from` and goes back in time. */
function streakFrom(counted: readonly BaseRun[], from: BaseRun): { since: BaseRun; length: number } {
  let at = counted.indexOf(from)
  let since = from
  let length = 0
  while (at < counted.length && failed(counted[at]?.conclusion ?? null)) {
    since = counted[at] as BaseRun
    length += 1
    at += 1
  }
  return { since, length: Math.max(1, length) }
}

/**
 * Classifies the failed job `name` against `runs` (newest first, already limited to this
 * repository's runs on the base branch) and the job lists read (`lists`, by run id).
 */
export function classifyJob(name: string, runs: readonly BaseRun[], lists: ReadonlyMap<number, readonly BaseExecution[]>): Classification {
  const counted = runs.filter(counts)
  const base = { runsRead: runs.length, failureCount: counted.filter((run) => failed(run.conclusion)).length, since: null, streak: 0 }
  const unknown = (reason: UnknownReason, baseRun: BaseRun | null = null): Classification => ({ ...base, kind: 'unknown', reason, baseRun, compareWith: null })
  if (counted.length === 0) return unknown('no-history')
  const outcomes = counted.flatMap((run) => {
    const executions = lists.get(run.id)
    return executions === undefined ? [] : [outcomeOf(run, name, executions)]
  })
  const newest = outcomes[0]
  if (newest === undefined) return unknown('unread')
  // Matched by name only: a job the newest base run does not have is not looked for elsewhere.
  if (newest.state === 'absent') return unknown('not-matched', newest.run)

  const rerun = outcomes.find((outcome) => outcome.flakyExecution !== null)
  if (rerun) return { ...base, kind: 'flaky', flakyBy: 'rerun', baseRun: rerun.run, compareWith: rerun.flakyExecution }
  const commit = sameCommitFlake(outcomes)
  if (commit)
    return {
      ...base,
      kind: 'flaky',
      flakyBy: 'same-commit',
      baseRun: commit.failed.run,
      passedRun: commit.passed.run,
      compareWith: commit.failed.failedExecution
    }

  const judged = outcomes.find((outcome) => outcome.state === 'pass' || outcome.state === 'fail')
  if (judged === undefined) return unknown('no-verdict', newest.run)
  if (judged.state === 'fail') {
    const { since, length } = streakFrom(counted, judged.run)
    return { ...base, kind: 'known', baseRun: judged.run, since, streak: length, compareWith: judged.failedExecution }
  }
  const failedBefore = outcomes.find((outcome) => outcome.state === 'fail')
  if (failedBefore && failingStreaks(counted) >= 2) {
    return { ...base, kind: 'flaky', flakyBy: 'alternates', baseRun: failedBefore.run, compareWith: failedBefore.failedExecution }
  }
  return { ...base, kind: 'new', baseRun: judged.run, compareWith: null }
}

/** Two runs of one commit read, the job failing in the earlier and passing in the later. */
function sameCommitFlake(outcomes: readonly Outcome[]): { failed: Outcome; passed: Outcome } | null {
  for (const [i, later] of outcomes.entries()) {
    if (later.state !== 'pass') continue
    const earlier = outcomes.slice(i + 1).find((outcome) => outcome.run.headSha === later.run.headSha && outcome.state === 'fail')
    if (earlier) return { failed: earlier, passed: later }
  }
  return null
}
