// The polling loop of `wait`: performs the reads that plan.ts decides (listing while discovery is
// open, each run, the job lists worth reading, the check runs), logs what changed, sleeps, and
// asks verdict.ts how each run and the gate stand. Every read is a conditional request, free while
// nothing changed.
import type { Run } from '../../github/types.js'
import { isTransient } from '../../github/errors.js'
import { untilDeadline } from '../../github/until-deadline.js'
import { formatDuration, jobDurationMs } from '../../report/durations.js'
import { discoverRuns, FIRST_LOOK_PAGES, isOfWorkflow, LATER_LOOK_PAGES } from '../../runs/selection.js'
import { runLabel } from '../shared/action-log.js'
import type { Deps } from '../shared/deps.js'
import { checkRunSignal, type CheckRunSignal } from './check-runs.js'
import { estimateFinishes } from './eta.js'
import { readExternal, withExternal, type ExternalStanding } from './external-checks.js'
import {
  announcesLowBudget,
  confirmation,
  decidingWatches,
  discoveryStaysOpen,
  estimateDue,
  failFastWatches,
  gateAfterLook,
  isKnownStatus,
  jobListNeeded,
  newState,
  newWatch,
  nextPause,
  ownJobOf,
  refreshIntervalMs,
  refreshTurn,
  runningWatches,
  settleAfterRead,
  skipsRead,
  supersededByLatest,
  verdictWithoutJobs,
  WAITING,
  type Budget,
  type Now,
  type PollCause,
  type Watch,
  type WatchPlan,
  type WatchState
} from './plan.js'
import { judgeRun, stepThatFailed, type GateState } from './verdict.js'

export type { Watch, WatchPlan } from './plan.js'

/** `CI #12 (run 123, attempt 2)`: a re-run is the same run, so the attempt says which. */
export function label(run: Run): string {
  return runLabel(run, true)
}

/** How the looks ended; `looked`: a one-look gate's looks are done (it judges the watches itself). */
export type WatchEnd = Exclude<GateState, { kind: 'waiting' }> | { kind: 'timeout' } | { kind: 'cancelled' } | { kind: 'looked' }

export interface WatchResult {
  end: WatchEnd
  watches: Watch[]
  missingWorkflows: readonly string[]
  startedAt: number
  /** The external checks as the last look read them; null without `checks`. */
  external: ExternalStanding | null
}

/** What every step of the loop works with. */
interface Watcher {
  plan: WatchPlan
  deps: Deps
  state: WatchState
  signal: CheckRunSignal
}

function now({ deps }: Watcher): Now {
  return { mono: deps.clock.now(), server: deps.serverTime.now() }
}

function track(watcher: Watcher, run: Run, named: boolean, pinnedAttempt?: number): void {
  const { deps, state, plan } = watcher
  deps.log.info(`Waiting for ${label(run)}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ''} — ${run.htmlUrl}`)
  const given = plan.given.some((g) => g.id === run.id)
  state.watches.set(run.id, newWatch(run, named, pinnedAttempt, given))
}

/** Reads the job list and logs each job that started or ended since the last read. */
async function readJobs({ deps }: Watcher, watch: Watch): Promise<void> {
  const { api, clock, log, serverTime } = deps
  watch.jobs = await api.listJobs(watch.run.id, watch.pinnedAttempt)
  watch.jobsReadAt = clock.now()
  for (const job of watch.jobs) {
    if (watch.logged.get(job.id) === job.status) continue
    watch.logged.set(job.id, job.status)
    if (job.status === 'completed') {
      const took = jobDurationMs(job, serverTime.now())
      log.info(
        `  ${job.name}: ${job.conclusion}${took === null ? '' : ` in ${formatDuration(took)}`}${job.conclusion === 'failure' ? stepThatFailed(job) : ''}`
      )
    } else if (job.status === 'in_progress') {
      log.info(`  ${job.name}: started`)
    }
  }
}

/** Takes the run as read (unless the list just did), logs what changed; whether it changed. */
async function readRun(watcher: Watcher, watch: Watch, listed: Run | undefined): Promise<boolean> {
  const { api, log } = watcher.deps
  const before = watch.run
  const read = listed ?? (await api.getRun(before.id, watch.pinnedAttempt))
  const run = watcher.plan.override ? watcher.plan.override(read) : read
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
  if (!isKnownStatus(run.status)) log.warning(`${label(run)} has an unknown status '${run.status}'; still waiting.`)
  return runChanged
}

/**
 * Reads the run and, when plan.ts says its jobs can change a decision, its job list; judges it. A
 * run that passed by its conclusion is judged from the run alone.
 */
async function poll(watcher: Watcher, watch: Watch, listed: Run | undefined, cause: Omit<PollCause, 'runChanged'>): Promise<void> {
  const { plan, deps } = watcher
  const runChanged = await readRun(watcher, watch, listed)
  const run = watch.run
  const hasArrived = plan.arrived.get(run.id)
  if (hasArrived) {
    if (!hasArrived(run)) return
    plan.arrived.delete(run.id)
  }
  const judged = verdictWithoutJobs(watch, run, plan.rules, deps.context.runId)
  if (judged) {
    // A list read while it ran is not its final one: the report would show a moment of its past.
    watch.jobs = []
    watch.verdict = judged
    return
  }
  if (!jobListNeeded(watch, run, { ...cause, runChanged }, plan.rules, deps.context.runId, plan.pollIntervalMs, deps.clock.now())) return
  await readJobs(watcher, watch)
  const current = ownJobOf(watch, deps.context.runId, plan.ownJobId, deps.context.runnerName)
  const { quietReads, completedPolls, settled } = settleAfterRead(watch, run, current)
  watch.quietReads = quietReads
  watch.completedPolls = completedPolls
  watch.verdict = judgeRun(run, watch.jobs, plan.rules, { named: watch.named, current, settled })
}

/** Lists the matching runs: tracks the new ones, drops those superseded (latest-only). The runs listed, and when (GitHub's clock). */
async function list(watcher: Watcher, discovery: NonNullable<WatchPlan['discovery']>): Promise<{ listedNow: Map<number, Run>; listedAt: number }> {
  const { deps, state } = watcher
  const sentAt = deps.clock.now()
  const found = await discoverRuns(deps.api, discovery.workflows, discovery.filters, {
    ...(discovery.excludeRunId !== undefined ? { excludeRunId: discovery.excludeRunId } : {}),
    maxPages: state.listedOnce ? LATER_LOOK_PAGES : FIRST_LOOK_PAGES,
    latestOnly: discovery.latestOnly,
    ...(discovery.oneListing ? { oneListing: true } : {})
  })
  if (!state.listedOnce) {
    for (const workflow of found.matchedByPath) {
      deps.log.info(
        `Workflow '${workflow}' is unknown to this repository's workflow list (404): a required workflow from a ruleset? Matching its runs by path.`
      )
    }
  }
  // Taken once the answer has told GitHub's time (the first listing may be the first request).
  const listedAt = deps.serverTime.at(sentAt)
  state.missingWorkflows = found.missingWorkflows
  const listedNow = new Map<number, Run>()
  for (const run of found.runs) {
    if (!state.watches.has(run.id))
      track(
        watcher,
        run,
        discovery.workflows.some((workflow) => isOfWorkflow(run, workflow))
      )
    listedNow.set(run.id, run)
  }
  if (discovery.latestOnly) {
    for (const watch of supersededByLatest(state.watches.values(), listedNow)) {
      deps.log.info(`${label(watch.run)} was superseded by a newer run of its workflow (latest-only).`)
      state.watches.delete(watch.run.id)
    }
  }
  state.listedOnce = true
  return { listedNow, listedAt }
}

/** One look: list (while discovering), read the check runs worth reading, then read and judge every run. */
async function look(watcher: Watcher): Promise<void> {
  const { plan, deps, state, signal } = watcher
  const { rules, pollIntervalMs } = plan
  for (const { id, pinnedAttempt } of plan.given) {
    if (!state.watches.has(id)) track(watcher, await deps.api.getRun(id, pinnedAttempt), true, pinnedAttempt)
  }
  // Runs decided before this listing: any chain they start would already be on it.
  const decidedBefore = new Set([...state.watches.values()].filter((w) => w.verdict.kind !== 'waiting').map((w) => w.run.id))
  const listing = plan.discovery && state.discoveryOpen ? await list(watcher, plan.discovery) : null
  const listedNow = listing?.listedNow ?? new Map<number, Run>()
  const running = runningWatches(state.watches.values(), listedNow)
  const going = failFastWatches(running, listedNow, rules, deps.context.runId)
  const signalled = await signal.look(
    going.filter((w) => w.run.checkSuiteId !== null),
    refreshIntervalMs(pollIntervalMs),
    'failure'
  )
  const turn = refreshTurn(going, signalled !== null, rules, pollIntervalMs, now(watcher))
  const deciding = decidingWatches(running, listedNow, rules, deps.context.runId)
  // For them any job that ended matters, at every poll.
  const ended = deciding.length > 0 ? await signal.look(deciding, pollIntervalMs, 'any') : null
  const quiet = new Set(ended === null ? [] : deciding.filter((w) => !ended.has(w)))
  for (const watch of state.watches.values()) {
    if (deps.stop.aborted) break
    const listed = listedNow.get(watch.run.id)
    if (skipsRead(watch, listed !== undefined)) continue
    const refresh = watch === turn || (signalled?.has(watch) ?? false) || (ended?.has(watch) ?? false)
    await poll(watcher, watch, listed, { refreshTurn: refresh, quietBySignal: quiet.has(watch) })
  }
  if (listing) Object.assign(state, confirmation(state.watches.values(), decidedBefore, listing.listedAt))
  if (plan.external) state.external = await readExternal(plan.external.sha, plan.external.rules, deps)
  if (estimateDue(state, deps.clock.now())) {
    state.estimated = true
    await estimateFinishes(
      [...state.watches.values()].filter((w) => w.verdict.kind === 'waiting' && w.run.status !== 'completed'),
      deps.api,
      deps.log
    )
  }
}

/**
 * A look that outlives GitHub's hiccups: transient errors (5xx, resets, timeouts, malformed
 * bodies) that outlast the client's own retries are retried, backing off, until the deadline, so
 * that a gate does not fail because of them. False: the deadline came first.
 */
async function lookUntilDeadline(watcher: Watcher): Promise<boolean> {
  const { deps, state } = watcher
  const { clock, log } = deps
  try {
    await untilDeadline(() => look(watcher), {
      deadline: state.deadline,
      clock,
      retryable: (error) => isTransient(error) && !deps.stop.aborted,
      onRetry: (error) => {
        if (state.outageSince !== null) return
        state.outageSince = clock.now()
        log.warning(`GitHub API error (${error instanceof Error ? error.message : String(error)}); retrying until the timeout.`)
      }
    })
  } catch (error) {
    if (!isTransient(error)) throw error
    return false
  }
  if (state.outageSince !== null) {
    log.info(`GitHub answers again, after ${formatDuration(clock.now() - state.outageSince)} of errors.`)
    state.outageSince = null
  }
  return true
}

/** The pause before the next look; says once per budget window that polling slows down. */
function pauseMs(watcher: Watcher): number {
  const { deps, state, plan } = watcher
  const { stats, log } = deps
  const budget: Budget = { remaining: stats.remaining, resetMs: stats.rateLimitResetMs }
  if (announcesLowBudget(budget, state.announcedLow)) {
    state.announcedLow = budget.resetMs
    const until = budget.resetMs === null ? '' : ` until the budget resets at ${new Date(budget.resetMs).toISOString()}`
    log.warning(`Only ${budget.remaining} API requests left this hour; polling at most once a minute${until}.`)
  }
  return nextPause(state, budget, plan.pollIntervalMs, now(watcher))
}

export async function watchRuns(plan: WatchPlan, deps: Deps): Promise<WatchResult> {
  const state = newState(plan, deps.clock.now())
  const watcher: Watcher = { plan, deps, state, signal: checkRunSignal(deps, plan.rules.allowed) }
  for (const { run, pinnedAttempt } of plan.given) if (run) track(watcher, run, true, pinnedAttempt)
  let end: WatchEnd
  let looks = 0
  for (;;) {
    if (deps.stop.aborted) {
      end = { kind: 'cancelled' }
      break
    }
    if (!(await lookUntilDeadline(watcher))) {
      end = deps.stop.aborted ? { kind: 'cancelled' } : { kind: 'timeout' }
      break
    }
    // A run re-armed by a re-run this very look is undecided although the listing confirmed.
    state.discoveryOpen = discoveryStaysOpen(state, plan.discovery !== null, deps.clock.now())
    const { lookLimit } = plan
    if (lookLimit && (++looks >= lookLimit.looks || !lookLimit.again([...state.watches.values()]))) {
      end = { kind: 'looked' }
      break
    }
    const mono = deps.clock.now()
    const gate = withExternal(gateAfterLook(state, plan.rules, mono), state.external, {
      failFast: plan.rules.failFast,
      appearOver: mono >= state.appearDeadline,
      timedOut: mono >= state.deadline
    })
    if (gate.kind !== 'waiting') {
      end = gate
      break
    }
    await deps.clock.sleep(pauseMs(watcher))
  }
  return { end, watches: [...state.watches.values()], missingWorkflows: state.missingWorkflows, startedAt: state.startedAt, external: state.external }
}
