// What the wait reads next and when, decided from the watcher's state, the last answers and the
// time: pure, so each rule is table-tested (__tests__/unit/wait-plan.test.ts). loop.ts performs
// what these decide. Two clocks, never mixed: `mono` (the runner's monotonic clock) measures
// waiting; `server` (GitHub's now, from its Date headers) is what API timestamps are compared with.
import type { ExternalRules, ExternalStanding } from './external-checks.js'
import type { Job, Run, RunFilters } from '../../github/types.js'
import { RUN_STATUSES } from '../../github/types.js'
import { runStartMs } from '../../report/durations.js'
import type { Expectation } from './eta.js'
import { judgeGate, judgeRun, type GateRules, type GateState, type RunVerdict } from './verdict.js'

/**
 * A completed run whose job list still shows unfinished jobs is re-read this many more polls
 * before it is taken as finished: the two endpoints are not updated at the same instant.
 */
export const SETTLE_POLLS = 3
/**
 * Waiting on the current run, "every other job finished" must hold on this many job reads in a
 * row: a job blocked on `needs` is listed only once queued, a moment after its need finished.
 */
export const CURRENT_RUN_QUIET_READS = 2
/** Below this many requests left in the hour, polling slows down so other jobs keep some. */
export const LOW_REMAINING = 50
/** The slowed-down poll interval: one poll a minute costs at most 60 requests an hour. */
export const SLOW_POLL_MS = 60_000
/**
 * When only the run's conclusion decides, fail-fast looks this often at the completed check runs
 * of the runs going (one list per commit, a free 304 until a job finishes) and reads the job list
 * of a run only when one of its jobs did not end well: a failed job is noticed within 30 s however
 * many runs a gate watches, at one request per poll. Without check runs (no `checks: read`), a
 * job list (it changes at every step, so it is rarely a free 304) is read instead, at most this
 * often per run and one run per poll. The progress lines ride on these reads.
 */
export const JOBS_REFRESH_MS = 30_000
/**
 * A run still going after this much waiting gets an expected finish (one list of its workflow's
 * recent successful runs; for a gate, one list of the repository's, and one per workflow only
 * where that has too few): short waits, the common case, spend nothing on it.
 */
export const ETA_AFTER_MS = 60_000
/**
 * A run that a `workflow_run` trigger starts is created only once GitHub has processed its
 * trigger's completion, a few seconds later (no public figure found; 10 s covers what was seen at
 * a 10 s poll). A listing made this long after the last completion shows any such run, so it
 * closes discovery itself; an earlier one waits for a look at that moment, not a whole poll
 * interval later.
 */
export const CHAIN_SETTLE_MS = 10_000

/** Statuses in which a run has no jobs worth listing yet. */
const BEFORE_JOBS = new Set(['requested', 'queued', 'pending'])
const KNOWN_STATUSES: ReadonlySet<string> = new Set(RUN_STATUSES)

export function isKnownStatus(status: string): boolean {
  return KNOWN_STATUSES.has(status)
}

export const WAITING: RunVerdict = { kind: 'waiting', reason: 'not read yet' }

export interface Watch {
  run: Run
  /** Given by id, or a run of a workflow named in `workflow`. */
  named: boolean
  /** Given by id (`run-id`, or the runs a rerun, approval or dispatch waits for): its detail is always shown. */
  given: boolean
  pinnedAttempt?: number
  jobs: Job[]
  /** When the job list was last read (monotonic clock ms); -Infinity before the first read. */
  jobsReadAt: number
  /** Job id → the status last written to the log, so each change is logged once. */
  logged: Map<number, string>
  /** Polls that read the run completed while its job list did not. */
  completedPolls: number
  /** Current run only: job reads in a row on which every other job had completed. */
  quietReads: number
  verdict: RunVerdict
  polled: boolean
  /** Seen `waiting` on an environment: its approvals are worth reading for the summary. */
  sawWaiting: boolean
  /** When it should finish, from its workflow's recent successful runs; null: none (yet). */
  expected: Expectation | null
}

export function newWatch(run: Run, named: boolean, pinnedAttempt?: number, given = false): Watch {
  return {
    run,
    named,
    given,
    pinnedAttempt,
    jobs: [],
    jobsReadAt: -Infinity,
    logged: new Map(),
    completedPolls: 0,
    quietReads: 0,
    verdict: WAITING,
    polled: false,
    sawWaiting: run.status === 'waiting',
    expected: null
  }
}

export interface WatchPlan {
  /** Runs given by id, with their pinned attempt; `run` when already read (else the first look reads it). */
  given: { id: number; pinnedAttempt?: number; run?: Run }[]
  /** Runs to find by listing, or null when only `given` counts. */
  discovery: { workflows: readonly string[]; filters: RunFilters; excludeRunId?: number; latestOnly: boolean; oneListing?: boolean } | null
  rules: GateRules
  timeoutMs: number
  pollIntervalMs: number
  appearTimeoutMs: number
  /** The step's own job when it waits on its own run (null: find it by RUNNER_NAME). */
  ownJobId: number | null
  /**
   * Per run id: the run is not judged until this holds for the run as read. After a re-run or an
   * approval the run object may still show the state from before for a moment.
   */
  arrived: Map<number, (run: Run) => boolean>
  /**
   * A one-look gate (`once: true`): the looks end after `looks`, or as soon as `again` says the
   * answers need no second look; absent: look until the gate is decided.
   */
  lookLimit?: { looks: number; again: (watches: readonly Watch[]) => boolean }
  /** Applied to every run as read: a one-look gate's waking event is newer than a lagging read. */
  override?: (run: Run) => Run
  /** Other apps' checks and statuses on the commit that count too (`checks`). */
  external?: { sha: string; rules: ExternalRules }
}

/** Everything the watcher knows between looks. */
export interface WatchState {
  /** Monotonic clock ms. */
  startedAt: number
  deadline: number
  appearDeadline: number
  watches: Map<number, Watch>
  missingWorkflows: readonly string[]
  listedOnce: boolean
  /**
   * Discovery stays open in the appear window, while any run found is undecided, and until one
   * listing after the last decision found nothing new (a `workflow_run` chain starts when its
   * trigger completes).
   */
  discoveryOpen: boolean
  /** A listing was sent at or after `confirmAt`: it would have shown any chained run. */
  confirmed: boolean
  /** When a listing would close discovery (the last completion + CHAIN_SETTLE_MS, GitHub's clock); null: not known yet. */
  confirmAt: number | null
  estimated: boolean
  /** The budget window (its reset, epoch ms) already announced as low: one line per window. */
  announcedLow: number | null | undefined
  /** When the current run of API errors began (monotonic; null: GitHub answers). */
  outageSince: number | null
  /** The external checks as the last look read them; null without `checks`. */
  external: ExternalStanding | null
}

export function newState(plan: WatchPlan, startedAt: number): WatchState {
  return {
    startedAt,
    deadline: startedAt + plan.timeoutMs,
    appearDeadline: startedAt + plan.appearTimeoutMs,
    watches: new Map(),
    missingWorkflows: [],
    listedOnce: false,
    discoveryOpen: plan.discovery !== null,
    confirmed: false,
    confirmAt: null,
    estimated: false,
    announcedLow: undefined,
    outageSince: null,
    external: null
  }
}

/** Both clocks, read at one moment. */
export interface Now {
  mono: number
  server: number
}

/** Jobs decide this run's verdict while it runs: a `job` gate, or the other jobs of the current run. */
export function jobsDecide(run: Run, rules: GateRules, currentRunId: number): boolean {
  return rules.jobPatterns.length > 0 || run.id === currentRunId
}

/** How often fail-fast looks at a run's jobs (check runs or job list) while only failures decide. */
export function refreshIntervalMs(pollIntervalMs: number): number {
  return Math.max(pollIntervalMs, JOBS_REFRESH_MS)
}

/**
 * A fail-fast look at the jobs of a run still going is due (the one-per-poll turn aside): the
 * interval has passed since the last look (monotonic), and since the run (attempt) started
 * (GitHub's clock), before which no job can have failed; a run over before then costs no look.
 */
export function refreshDue(watch: Watch, rules: GateRules, pollIntervalMs: number, now: Now): boolean {
  const interval = refreshIntervalMs(pollIntervalMs)
  const started = runStartMs(watch.run) ?? -Infinity
  return rules.failFast && now.mono - watch.jobsReadAt >= interval && now.server - started >= interval
}

/** The run as this look knows it: as the listing just showed it, else as last read. */
function latest(watch: Watch, listedNow: ReadonlyMap<number, Run>): Run {
  return listedNow.get(watch.run.id) ?? watch.run
}

/** Undecided, with jobs that may still end. */
export function runningWatches(watches: Iterable<Watch>, listedNow: ReadonlyMap<number, Run>): Watch[] {
  return [...watches].filter((w) => {
    const run = latest(w, listedNow)
    return w.verdict.kind === 'waiting' && run.status !== 'completed' && !BEFORE_JOBS.has(run.status)
  })
}

/** Fail-fast on runs whose jobs do not decide: only their failures matter while they run. */
export function failFastWatches(running: readonly Watch[], listedNow: ReadonlyMap<number, Run>, rules: GateRules, currentRunId: number): Watch[] {
  return rules.failFast ? running.filter((w) => !jobsDecide(latest(w, listedNow), rules, currentRunId)) : []
}

/**
 * This poll's one fail-fast job read for the runs the check runs do not watch (all of them when
 * check runs cannot be read, else those without a check suite): the due run whose jobs were read
 * longest ago.
 */
export function refreshTurn(going: readonly Watch[], checkRunsReadable: boolean, rules: GateRules, pollIntervalMs: number, now: Now): Watch | undefined {
  const unsignalled = checkRunsReadable ? going.filter((w) => w.run.checkSuiteId === null) : going
  return unsignalled
    .filter((w) => refreshDue(w, rules, pollIntervalMs, now))
    .reduce<Watch | undefined>((oldest, w) => (oldest === undefined || w.jobsReadAt < oldest.jobsReadAt ? w : oldest), undefined)
}

/**
 * Runs whose jobs decide (a `job` gate, the current run) and whose job list has been read: it is
 * read again only when some job ended (their check runs say so), or to confirm that every other
 * job finished (a job blocked on `needs` is listed a moment after its need ends).
 */
export function decidingWatches(running: readonly Watch[], listedNow: ReadonlyMap<number, Run>, rules: GateRules, currentRunId: number): Watch[] {
  return running.filter(
    (w) => jobsDecide(latest(w, listedNow), rules, currentRunId) && w.run.checkSuiteId !== null && w.jobsReadAt > -Infinity && w.quietReads === 0
  )
}

/** A finished pinned attempt cannot change; any other run is re-read (a free 304 unless it changed), to notice a re-run. */
export function skipsRead(watch: Watch, listed: boolean): boolean {
  return watch.verdict.kind !== 'waiting' && !listed && watch.pinnedAttempt !== undefined
}

/** What a poll of one run learned besides the run itself. */
export interface PollCause {
  /** The run read differs from the one before (or is the first read). */
  runChanged: boolean
  /** A check run (or the poll's one fail-fast turn) says the job list is worth reading. */
  refreshTurn: boolean
  /** The check runs watch this run and no job of it ended. */
  quietBySignal: boolean
}

/**
 * The verdict of a completed run found by listing that passes by its conclusion alone (or does not
 * count: skipped as a whole) when no rule needs its jobs (`job`, the current run). Its job list
 * would serve only the summary's detail, which a gate shows for runs that did not pass. Null: the
 * job list is read as before (a run that did not pass, a run given by id, a `job` gate).
 */
export function verdictWithoutJobs(watch: Watch, run: Run, rules: GateRules, currentRunId: number): RunVerdict | null {
  if (watch.verdict.kind !== 'waiting' || run.status !== 'completed' || watch.given || jobsDecide(run, rules, currentRunId)) return null
  const verdict = judgeRun(run, [], rules, { named: watch.named, current: null, settled: true })
  return verdict.kind === 'passed' || verdict.kind === 'not-counted' ? verdict : null
}

/** Whether the run's job list is read in this poll. */
export function jobListNeeded(
  watch: Watch,
  run: Run,
  cause: PollCause,
  rules: GateRules,
  currentRunId: number,
  pollIntervalMs: number,
  nowMono: number
): boolean {
  if (watch.verdict.kind !== 'waiting' || BEFORE_JOBS.has(run.status)) return false
  const settling = watch.completedPolls > 0
  // A completed run's list is the final one, which the summary uses too.
  if (run.status === 'completed') return cause.runChanged || settling
  if (!jobsDecide(run, rules, currentRunId)) return cause.refreshTurn
  return cause.runChanged || cause.refreshTurn || (!cause.quietBySignal && nowMono - watch.jobsReadAt >= pollIntervalMs)
}

/** The settle counters after a job read, and whether the job list is now trusted as final. */
export function settleAfterRead(
  watch: Pick<Watch, 'jobs' | 'quietReads' | 'completedPolls'>,
  run: Run,
  current: { ownJobId: number } | null
): { quietReads: number; completedPolls: number; settled: boolean } {
  const unfinished = watch.jobs.filter((job) => job.status !== 'completed' && job.id !== current?.ownJobId)
  let { quietReads, completedPolls } = watch
  if (current) quietReads = unfinished.length === 0 ? quietReads + 1 : 0
  else if (run.status === 'completed' && unfinished.length > 0) completedPolls++
  const settled = current ? quietReads >= CURRENT_RUN_QUIET_READS : completedPolls > SETTLE_POLLS
  return { quietReads, completedPolls, settled }
}

/**
 * The step's own job, when the run is the current run: `job-id`, else (GHES may not expand
 * `${{ job.check_run_id }}`) the one job running on this runner. Null: another run.
 */
export function ownJobOf(watch: Watch, currentRunId: number, ownJobId: number | null, runnerName: string): { ownJobId: number } | null {
  if (watch.run.id !== currentRunId) return null
  if (ownJobId !== null) return { ownJobId }
  const mine = watch.jobs.filter((job) => job.status === 'in_progress' && job.runnerName === runnerName && runnerName !== '')
  if (mine.length === 1 && mine[0]) return { ownJobId: mine[0].id }
  throw new Error(
    `Waiting on this run (${watch.run.id}) needs this step's own job id: 'job-id' is empty and ${mine.length === 0 ? 'no running job' : `${mine.length} running jobs`} of the run use runner '${runnerName}'. Set 'job-id: \${{ job.check_run_id }}'.`
  )
}

/** latest-only: the watches that a newer listed run of the same workflow, event and branch replaces. */
export function supersededByLatest(watches: Iterable<Watch>, listedNow: ReadonlyMap<number, Run>): Watch[] {
  const listed = [...listedNow.values()]
  return [...watches].filter(
    (watch) =>
      !listedNow.has(watch.run.id) &&
      listed.some((run) => run.workflowId === watch.run.workflowId && run.event === watch.run.event && run.headBranch === watch.run.headBranch)
  )
}

/**
 * The earliest moment (GitHub's clock) at which a listing closes discovery, once every run is
 * decided: a completed run, CHAIN_SETTLE_MS after it completed (updated_at); a run decided while
 * still going (a `job` gate), any listing after its decision (its chain starts later, when it
 * completes, and no wait covers that; so does a completed run whose updated_at cannot be read).
 * Null while a run is undecided.
 */
export function closingLook(watches: Iterable<Watch>, decidedBefore: ReadonlySet<number>): number | null {
  let at = -Infinity
  for (const watch of watches) {
    if (watch.verdict.kind === 'waiting') return null
    const completedAt = watch.run.status === 'completed' ? Date.parse(watch.run.updatedAt) : NaN
    if (Number.isFinite(completedAt)) at = Math.max(at, completedAt + CHAIN_SETTLE_MS)
    else if (!decidedBefore.has(watch.run.id)) at = Infinity
  }
  return at
}

/** After a listing sent at `listedAt` (GitHub's clock): when discovery can close, and whether this listing closed it. */
export function confirmation(watches: Iterable<Watch>, decidedBefore: ReadonlySet<number>, listedAt: number): { confirmAt: number | null; confirmed: boolean } {
  const closing = closingLook(watches, decidedBefore)
  return { confirmAt: closing, confirmed: closing !== null && listedAt >= closing }
}

/** Whether the next look lists runs (and so whether the gate may still gain runs). */
export function discoveryStaysOpen(state: WatchState, discovering: boolean, nowMono: number): boolean {
  return discovering && (nowMono < state.appearDeadline || [...state.watches.values()].some((w) => w.verdict.kind === 'waiting') || !state.confirmed)
}

/** The gate after a look: decided, timed out, or waiting on. */
export function gateAfterLook(state: WatchState, rules: GateRules, nowMono: number): GateState | { kind: 'timeout' } {
  const gate = judgeGate([...state.watches.values()], { discovering: state.discoveryOpen, missingWorkflows: state.missingWorkflows, failFast: rules.failFast })
  if (gate.kind !== 'waiting') return gate
  return nowMono >= state.deadline ? { kind: 'timeout' } : gate
}

/** The request budget as the last answer told it. */
export interface Budget {
  remaining: number | null
  /** When the budget resets (epoch ms, GitHub's clock); null: not told. */
  resetMs: number | null
}

/**
 * The poll interval, slowed to once a minute while the hour's budget is low (the repository's
 * other jobs share it), but never past the budget's reset: polling goes on at the reset.
 */
export function pollInterval(budget: Budget, pollIntervalMs: number, nowServer: number): number {
  if (budget.remaining === null || budget.remaining >= LOW_REMAINING) return pollIntervalMs
  const untilReset = budget.resetMs === null ? null : budget.resetMs - nowServer
  const slowed = untilReset !== null && untilReset > 0 ? Math.min(SLOW_POLL_MS, untilReset) : SLOW_POLL_MS
  return Math.max(pollIntervalMs, slowed)
}

/** The low budget is to be announced: it is low, and not yet announced for this reset window. */
export function announcesLowBudget(budget: Budget, announcedLow: WatchState['announcedLow']): boolean {
  return budget.remaining !== null && budget.remaining < LOW_REMAINING && announcedLow !== budget.resetMs
}

/**
 * The pause before the next look: the poll interval, or less when only the closing look is missing
 * (take it when it is due, not a whole poll later); never past the deadline.
 */
export function nextPause(state: WatchState, budget: Budget, pollIntervalMs: number, now: Now): number {
  const interval = pollInterval(budget, pollIntervalMs, now.server)
  const closingDue =
    state.confirmAt !== null && !state.confirmed && now.mono >= state.appearDeadline && [...state.watches.values()].every((w) => w.verdict.kind !== 'waiting')
  const pause = closingDue && state.confirmAt !== null ? Math.min(interval, Math.max(0, state.confirmAt - now.server)) : interval
  return Math.max(0, Math.min(pause, state.deadline - now.mono))
}

/** The expected finishes are read once, when the wait has gone on ETA_AFTER_MS. */
export function estimateDue(state: WatchState, nowMono: number): boolean {
  return !state.estimated && nowMono - state.startedAt >= ETA_AFTER_MS
}
