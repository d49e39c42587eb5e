// The polling loop of `wait`: finds runs (while discovery is open), reads each run and, when it
// can change a decision, its job list; logs what changed; asks verdict.ts how each run and the
// gate stand. Every read is a conditional request, free while nothing changed.
import type { RunFilters, Job, Run } from '../../github/types.js'
import { isTransient } from '../../github/errors.js'
import { untilDeadline } from '../../github/until-deadline.js'
import { RUN_STATUSES } from '../../github/types.js'
import { formatDuration, jobDurationMs, runStartMs } from '../../report/durations.js'
import { discoverRuns, FIRST_LOOK_PAGES, isOfWorkflow, LATER_LOOK_PAGES } from '../../selection.js'
import { runLabel } from '../action-log.js'
import type { Deps } from '../deps.js'
import { checkRunSignal } from './check-runs.js'
import { estimateFinishes, type Expectation } from './eta.js'
import { judgeGate, judgeRun, stepThatFailed, type GateRules, type GateState, type RunVerdict } from './verdict.js'

/**
 * A completed run whose job list still shows unfinished jobs is re-read this many more polls
 * before it is taken as finished: the two endpoints are not updated at the same instant.
 */
const SETTLE_POLLS = 3
/**
 * Waiting on the current run, "every other job finished" must hold on this many job reads in a
 * row: a job blocked on `needs` is listed only once queued, a moment after its need finished.
 */
const CURRENT_RUN_QUIET_READS = 2
/** Below this many requests left in the hour, polling slows down so other jobs keep some. */
const LOW_REMAINING = 50
/** The slowed-down poll interval: one poll a minute costs at most 60 requests an hour. */
const SLOW_POLL_MS = 60_000
/**
 * When only the run's conclusion decides, fail-fast looks this often at the completed check runs
 * of the runs going (one list per commit, a free 304 until a job finishes) and reads the job list
 * of a run only when one of its jobs did not end well: a failed job is noticed within 30 s however
 * many runs a gate watches, at one request per poll. Without check runs (no `checks: read`), a
 * job list (it changes at every step, so it is rarely a free 304) is read instead, at most this
 * often per run and one run per poll. The progress lines ride on these reads.
 */
const JOBS_REFRESH_MS = 30_000
/**
 * A run still going after this much waiting gets an expected finish (one list of its workflow's
 * recent successful runs; for a gate, one list of the repository's, and one per workflow only
 * where that has too few): short waits, the common case, spend nothing on it.
 */
const ETA_AFTER_MS = 60_000
/**
 * A run that a `workflow_run` trigger starts is created only once GitHub has processed its
 * trigger's completion, a few seconds later (no public figure found; this is the delay the old
 * "one more poll after the last decision" rule gave at a 10 s poll). A listing made this long
 * after the last completion shows any such run, so it closes discovery itself; an earlier one
 * waits for a look at that moment, not a whole poll interval later.
 */
const CHAIN_SETTLE_MS = 10_000


/**
 * The earliest moment (on GitHub's clock) at which a listing closes discovery, once every run is
 * decided: a completed run, CHAIN_SETTLE_MS after it completed (updated_at); a run decided while
 * still going (a `job` gate), any listing after its decision (its chain starts later, when it completes, and no wait covers that; so
 * does a completed run whose updated_at cannot be read).
 * Null while a run is undecided.
 */
function closingLook(watches: readonly Watch[], decidedBefore: ReadonlySet<number>): number | null {
  let at = -Infinity
  for (const watch of watches) {
    if (watch.verdict.kind === 'waiting') return null
    const completedAt = watch.run.status === 'completed' ? Date.parse(watch.run.updatedAt) : NaN
    if (Number.isFinite(completedAt)) at = Math.max(at, completedAt + CHAIN_SETTLE_MS)
    else if (!decidedBefore.has(watch.run.id)) at = Infinity
  }
  return at
}

/** Statuses in which a run has no jobs worth listing yet. */
const BEFORE_JOBS = new Set(['requested', 'queued', 'pending'])
const KNOWN_STATUSES: ReadonlySet<string> = new Set(RUN_STATUSES)

/** `CI #12 (run 123, attempt 2)`: a re-run is the same run, so the attempt says which. */
export function label(run: Run): string {
  return runLabel(run, true)
}

export interface Watch {
  run: Run
  /** Given by id, or a run of a workflow named in `workflow`. */
  named: boolean
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

export interface WatchPlan {
  /** Runs given by id, with their pinned attempt; `run` when already read (else the first look reads it). */
  given: { id: number; pinnedAttempt?: number; run?: Run }[]
  /** Runs to find by listing, or null when only `given` counts. */
  discovery: { workflows: readonly string[]; filters: RunFilters; excludeRunId?: number; latestOnly: boolean } | null
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
}

export type WatchEnd = Exclude<GateState, { kind: 'waiting' }> | { kind: 'timeout' } | { kind: 'cancelled' }

export interface WatchResult {
  end: WatchEnd
  watches: Watch[]
  missingWorkflows: readonly string[]
  startedAt: number
}

const WAITING: RunVerdict = { kind: 'waiting', reason: 'not read yet' }

export async function watchRuns(plan: WatchPlan, deps: Deps): Promise<WatchResult> {
  const { api, clock, context, log, stats, serverTime } = deps
  const startedAt = clock.now()
  const deadline = startedAt + plan.timeoutMs
  const appearDeadline = startedAt + plan.appearTimeoutMs
  const watches = new Map<number, Watch>()
  let missingWorkflows: readonly string[] = []
  let listedOnce = false
  // Discovery stays open in the appear window, while any run found is undecided, and until one
  // listing after the last decision found nothing new (a `workflow_run` chain starts when its
  // trigger completes).
  let discoveryOpen = plan.discovery !== null
  let confirmed = false
  /** When a listing would close discovery (the last completion + CHAIN_SETTLE_MS, GitHub's clock); null: not known yet. */
  let confirmAt: number | null = null
  const jobsAreTheSignal = plan.rules.jobPatterns.length > 0
  /** Jobs decide this run's verdict while it runs: a `job` gate, or the other jobs of the current run. */
  const jobsDecide = (run: Run): boolean => jobsAreTheSignal || run.id === context.runId
  /**
   * A fail-fast look at the jobs of a run still going is due (the one-per-poll turn aside): the
   * interval has passed since the last look (our clock), and since the run (attempt) started
   * (GitHub's clock), before which no job can have failed; a run over before then costs no look.
   */
  const refreshDue = (watch: Watch): boolean => {
    const interval = Math.max(plan.pollIntervalMs, JOBS_REFRESH_MS)
    const started = runStartMs(watch.run) ?? -Infinity
    return plan.rules.failFast && clock.now() - watch.jobsReadAt >= interval && serverTime.now() - started >= interval
  }

  const signal = checkRunSignal(deps, plan.rules.allowed)

  const track = (run: Run, named: boolean, pinnedAttempt?: number): void => {
    log.info(`Waiting for ${label(run)}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ''} — ${run.htmlUrl}`)
    watches.set(run.id, {
      run, named, pinnedAttempt, jobs: [], jobsReadAt: -Infinity, logged: new Map(), completedPolls: 0, quietReads: 0, verdict: WAITING, polled: false, sawWaiting: run.status === 'waiting', expected: null
    })
  }
  for (const { run, pinnedAttempt } of plan.given) if (run) track(run, true, pinnedAttempt)

  const ownJobOf = (watch: Watch): { ownJobId: number } | null => {
    if (watch.run.id !== context.runId) return null
    if (plan.ownJobId !== null) return { ownJobId: plan.ownJobId }
    // GHES may not expand `${{ job.check_run_id }}`: this job is the one running on this runner.
    const mine = watch.jobs.filter((job) => job.status === 'in_progress' && job.runnerName === context.runnerName && context.runnerName !== '')
    if (mine.length === 1 && mine[0]) return { ownJobId: mine[0].id }
    throw new Error(
      `Waiting on this run (${watch.run.id}) needs this step's own job id: 'job-id' is empty and ${mine.length === 0 ? 'no running job' : `${mine.length} running jobs`} of the run use runner '${context.runnerName}'. Set 'job-id: \${{ job.check_run_id }}'.`
    )
  }

  const readJobs = async (watch: Watch): Promise<void> => {
    watch.jobs = await api.listJobs(watch.run.id, watch.pinnedAttempt)
    watch.jobsReadAt = clock.now()
    for (const job of watch.jobs) {
      if (watch.logged.get(job.id) === job.status) continue
      watch.logged.set(job.id, job.status)
      if (job.status === 'completed') {
        const took = jobDurationMs(job, serverTime.now())
        log.info(`  ${job.name}: ${job.conclusion}${took === null ? '' : ` in ${formatDuration(took)}`}${job.conclusion === 'failure' ? stepThatFailed(job) : ''}`)
      } else if (job.status === 'in_progress') {
        log.info(`  ${job.name}: started`)
      }
    }
  }

  /**
   * Reads the run (unless the list just did) and, when its jobs can change a decision, its job
   * list; judges it. `refreshTurn`: a check run (or the poll's one fail-fast turn) says the job
   * list is worth reading. `quietBySignal`: the check runs watch this run and no job of it ended,
   * so a run whose jobs decide need not read its job list this poll.
   */
  const poll = async (watch: Watch, listed: Run | undefined, refreshTurn: boolean, quietBySignal: boolean): Promise<void> => {
    const before = watch.run
    const run = listed ?? (await api.getRun(before.id, watch.pinnedAttempt))
    watch.run = run
    const runChanged = !watch.polled || run.attempt !== before.attempt || run.status !== before.status || run.updatedAt !== before.updatedAt
    watch.polled = true
    if (run.attempt !== before.attempt) {
      log.info(`${label(run)}: a re-run started; waiting for the new attempt.`)
      watch.logged.clear()
      watch.verdict = WAITING
      watch.completedPolls = 0
      watch.quietReads = 0
    } else if (run.status !== before.status) {
      log.info(`${label(run)}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ''}`)
    }
    if (run.status === 'waiting') watch.sawWaiting = true
    if (runChanged && run.status === 'waiting') {
      // Say who the run waits for; the summary reads the same list again, then as a free 304.
      const pending = await api.listPendingDeployments(run.id)
      const names = pending.map((d) => `'${d.environment}'${d.reviewers.length ? ` (reviewers: ${d.reviewers.join(', ')})` : ''}`)
      log.info(`${label(run)}: waiting for approval of ${names.join(', ') || 'a deployment'}.`)
    }
    if (!KNOWN_STATUSES.has(run.status)) log.warning(`${label(run)} has an unknown status '${run.status}'; still waiting.`)
    const hasArrived = plan.arrived.get(run.id)
    if (hasArrived) {
      if (!hasArrived(run)) return
      plan.arrived.delete(run.id)
    }
    if (watch.verdict.kind !== 'waiting' || BEFORE_JOBS.has(run.status)) return
    const settling = watch.completedPolls > 0
    const needed =
      run.status === 'completed'
        ? runChanged || settling // the final list, which the summary uses too
        : jobsDecide(run)
          ? runChanged || refreshTurn || (!quietBySignal && clock.now() - watch.jobsReadAt >= plan.pollIntervalMs)
          : refreshTurn
    if (!needed) return

    await readJobs(watch)
    const current = ownJobOf(watch)
    const unfinished = watch.jobs.filter((job) => job.status !== 'completed' && job.id !== current?.ownJobId)
    if (current) watch.quietReads = unfinished.length === 0 ? watch.quietReads + 1 : 0
    else if (run.status === 'completed' && unfinished.length > 0) watch.completedPolls++
    const settled = current ? watch.quietReads >= CURRENT_RUN_QUIET_READS : watch.completedPolls > SETTLE_POLLS
    watch.verdict = judgeRun(run, watch.jobs, plan.rules, { named: watch.named, current, settled })
  }

  let estimated = false
  /** Once the wait has gone on ETA_AFTER_MS: each running run's expected finish, and the gate's. */
  const estimate = async (): Promise<void> => {
    if (estimated || clock.now() - startedAt < ETA_AFTER_MS) return
    estimated = true
    await estimateFinishes([...watches.values()].filter((w) => w.verdict.kind === 'waiting' && w.run.status !== 'completed'), api, log)
  }

  /** One look: list (while discovering), then read and judge every run. */
  const look = async (): Promise<void> => {
    for (const { id, pinnedAttempt } of plan.given) {
      if (!watches.has(id)) track(await api.getRun(id, pinnedAttempt), true, pinnedAttempt)
    }
    const listedNow = new Map<number, Run>()
    /** When the listing was sent, on GitHub's clock: what a run's completion time is compared with. */
    let listedAt: number | null = null
    /** Runs decided before this listing: any chain they start would already be on it. */
    const decidedBefore = new Set([...watches.values()].filter((w) => w.verdict.kind !== 'waiting').map((w) => w.run.id))
    if (plan.discovery && discoveryOpen) {
      const sentAt = clock.now()
      const found = await discoverRuns(api, plan.discovery.workflows, plan.discovery.filters, {
        ...(plan.discovery.excludeRunId !== undefined ? { excludeRunId: plan.discovery.excludeRunId } : {}),
        maxPages: listedOnce ? LATER_LOOK_PAGES : FIRST_LOOK_PAGES,
        latestOnly: plan.discovery.latestOnly
      })
      if (!listedOnce) {
        for (const workflow of found.matchedByPath) {
          log.info(`Workflow '${workflow}' is unknown to this repository's workflow list (404): a required workflow from a ruleset? Matching its runs by path.`)
        }
      }
      // Taken once the answer has told GitHub's time (the first listing may be the first request).
      listedAt = serverTime.at(sentAt)
      missingWorkflows = found.missingWorkflows
      for (const run of found.runs) {
        if (!watches.has(run.id)) {
          track(run, plan.discovery.workflows.some((workflow) => isOfWorkflow(run, workflow)))
        }
        listedNow.set(run.id, run)
      }
      if (plan.discovery.latestOnly) {
        // The old rule: the newest run of a workflow/event/branch replaces the ones before it.
        for (const watch of [...watches.values()]) {
          if (!listedNow.has(watch.run.id) && found.runs.some((run) => run.workflowId === watch.run.workflowId && run.event === watch.run.event && run.headBranch === watch.run.headBranch)) {
            log.info(`${label(watch.run)} was superseded by a newer run of its workflow (latest-only).`)
            watches.delete(watch.run.id)
          }
        }
      }
      listedOnce = true
    }
    // Fail-fast on runs whose jobs do not decide every poll: the completed check runs say which
    // job lists are worth reading; without them (no `checks: read`, no check suite id), this
    // poll's one job read goes to the run whose jobs were read longest ago.
    /** Undecided, with jobs that may still end: as the listing just showed it, else as last read. */
    const running = [...watches.values()].filter((w) => {
      const run = listedNow.get(w.run.id) ?? w.run
      return w.verdict.kind === 'waiting' && run.status !== 'completed' && !BEFORE_JOBS.has(run.status)
    })
    const going = plan.rules.failFast ? running.filter((w) => !jobsDecide(listedNow.get(w.run.id) ?? w.run)) : []
    const signalled = await signal.look(
      going.filter((w) => w.run.checkSuiteId !== null),
      Math.max(plan.pollIntervalMs, JOBS_REFRESH_MS),
      'failure'
    )
    const unsignalled = signalled === null ? going : going.filter((w) => w.run.checkSuiteId === null)
    const turn = unsignalled.filter(refreshDue).reduce<Watch | undefined>((oldest, w) => (oldest === undefined || w.jobsReadAt < oldest.jobsReadAt ? w : oldest), undefined)
    // Runs whose jobs decide (a `job` gate, the current run): once their job list has been read,
    // it is read again only when some job ended, or to confirm that every other job finished
    // (a job blocked on `needs` is listed a moment after its need ends).
    const deciding = running.filter((w) => jobsDecide(listedNow.get(w.run.id) ?? w.run) && w.run.checkSuiteId !== null && w.jobsReadAt > -Infinity && w.quietReads === 0)
    // For them any job that ended matters, at every poll.
    const ended = deciding.length > 0 ? await signal.look(deciding, plan.pollIntervalMs, 'any') : null
    const quiet = new Set(ended === null ? [] : deciding.filter((w) => !ended.has(w)))
    for (const watch of watches.values()) {
      if (deps.stop.aborted) break
      const listed = listedNow.get(watch.run.id)
      // A finished pinned attempt cannot change; any other finished run is re-read (a free 304
      // unless it changed) to notice a re-run.
      if (watch.verdict.kind !== 'waiting' && !listed && watch.pinnedAttempt !== undefined) continue
      await poll(watch, listed, watch === turn || (signalled?.has(watch) ?? false) || (ended?.has(watch) ?? false), quiet.has(watch))
    }
    if (listedAt !== null) {
      const closing = closingLook([...watches.values()], decidedBefore)
      confirmAt = closing
      confirmed = closing !== null && listedAt >= closing
    }
    await estimate()
  }

  /** The budget window (its reset, epoch ms) already announced as low: one line per window. */
  let announcedLow: number | null | undefined
  /**
   * The poll interval, slowed to once a minute while the hour's budget is low (the repository's
   * other jobs share it), but never past the budget's reset: polling goes on at the reset.
   */
  const nextInterval = (): number => {
    if (stats.remaining === null || stats.remaining >= LOW_REMAINING) return plan.pollIntervalMs
    const untilReset = stats.rateLimitResetMs === null ? null : stats.rateLimitResetMs - serverTime.now()
    if (announcedLow !== stats.rateLimitResetMs) {
      announcedLow = stats.rateLimitResetMs
      const until = stats.rateLimitResetMs === null ? '' : ` until the budget resets at ${new Date(stats.rateLimitResetMs).toISOString()}`
      log.warning(`Only ${stats.remaining} API requests left this hour; polling at most once a minute${until}.`)
    }
    const slowed = untilReset !== null && untilReset > 0 ? Math.min(SLOW_POLL_MS, untilReset) : SLOW_POLL_MS
    return Math.max(plan.pollIntervalMs, slowed)
  }

  let end: WatchEnd
  /** When the current run of API errors began (null: GitHub answers). */
  let outageSince: number | null = null
  for (;;) {
    if (deps.stop.aborted) {
      end = { kind: 'cancelled' }
      break
    }
    try {
      // A gate must not fail because GitHub hiccuped: transient errors (5xx, resets, timeouts,
      // malformed bodies) that outlast the client's own retries are retried, backing off, until
      // the deadline.
      await untilDeadline(look, {
        deadline,
        clock,
        retryable: (error) => isTransient(error) && !deps.stop.aborted,
        onRetry: (error) => {
          if (outageSince !== null) return
          outageSince = clock.now()
          log.warning(`GitHub API error (${error instanceof Error ? error.message : String(error)}); retrying until the timeout.`)
        }
      })
      if (outageSince !== null) {
        log.info(`GitHub answers again, after ${formatDuration(clock.now() - outageSince)} of errors.`)
        outageSince = null
      }
    } catch (error) {
      if (!isTransient(error)) throw error
      end = deps.stop.aborted ? { kind: 'cancelled' } : { kind: 'timeout' }
      break
    }
    const entries = [...watches.values()]
    // A run re-armed by a re-run this very poll is undecided although the listing confirmed.
    discoveryOpen =
      plan.discovery !== null && (clock.now() < appearDeadline || entries.some((w) => w.verdict.kind === 'waiting') || !confirmed)
    const gate = judgeGate(entries, { discovering: discoveryOpen, missingWorkflows, failFast: plan.rules.failFast })
    if (gate.kind !== 'waiting') {
      end = gate
      break
    }
    if (clock.now() >= deadline) {
      end = { kind: 'timeout' }
      break
    }
    // Only the closing look is missing: take it when it is due, not a whole poll later.
    const closingDue = confirmAt !== null && !confirmed && clock.now() >= appearDeadline && entries.every((w) => w.verdict.kind !== 'waiting')
    const pause = closingDue && confirmAt !== null ? Math.min(nextInterval(), Math.max(0, confirmAt - serverTime.now())) : nextInterval()
    await clock.sleep(Math.max(0, Math.min(pause, deadline - clock.now())))
  }
  return { end, watches: [...watches.values()], missingWorkflows, startedAt }
}
