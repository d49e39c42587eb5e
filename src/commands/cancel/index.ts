// `cancel`: verified cancellation. Each run still going gets `POST cancel`; the runs are then
// watched until they complete, and one that has not stopped `force-after` later gets
// `POST force-cancel` (a cancel can be accepted and not take: `if: always()` jobs, a stuck runner).
// Only a run seen completed as `cancelled` is reported cancelled.
import { bareReport } from '../../runs/collect.js'
import type { Run } from '../../github/types.js'
import type { WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { Deps } from '../shared/deps.js'
import { renderActions } from '../../report/actions.js'
import { ActionLog, runLabel } from '../shared/action-log.js'
import { formatDuration } from '../../report/durations.js'
import { selectTargets } from '../../runs/selection.js'
import { pollUntilCompleted } from '../shared/poll.js'
import { cancelledVerdict, failureOf, type CommandResult } from '../shared/result.js'
import { describeWriteError, isAmbiguous } from '../shared/write-error.js'

export interface CancelInputs {
  selection: Selection
  excludeCurrentRun: boolean
  /** Escalate to force-cancel when a run has not stopped after this long (0 = at once). */
  forceAfterMs: number
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  wait: Pick<WaitSettings, 'timeoutMs' | 'pollIntervalMs' | 'allowedConclusions'>
}

/**
 * The first look after the last cancel comes this soon (or one poll interval, if shorter): a
 * cancel usually takes within seconds, and the step should not sit a whole interval waiting.
 */
const FIRST_VERIFY_MS = 3000

export async function cancelRuns(settings: CancelInputs, deps: Deps): Promise<CommandResult> {
  const { api, context, clock, log } = deps
  const started = clock.now()
  const deadline = started + settings.wait.timeoutMs
  const byFilters = settings.selection.kind === 'filters'
  const targets = await selectTargets(api, settings.selection, {
    currentRunId: context.runId,
    newestOnly: false
  })
  const actions = new ActionLog(log)
  const record = actions.record.bind(actions)

  const toCancel: Run[] = []
  for (const run of targets) {
    if (run.status === 'completed') {
      record(run, 'skipped', `already completed (${run.conclusion ?? 'no conclusion'}): nothing to cancel`)
    } else if (byFilters && settings.excludeCurrentRun && context.runId > 0 && run.id > context.runId) {
      // Run ids grow with creation: a newer run supersedes this one, not the other way round.
      // Cancelling it would let two runs that each cancel the other both end cancelled.
      record(run, 'skipped', `started after this run (run ${context.runId}): left alone`)
    } else {
      toCancel.push(run)
    }
  }

  const forced = new Set<number>()
  const requested: Run[] = []
  const request = async (run: Run, force: boolean): Promise<boolean> => {
    try {
      const answer = force ? await api.forceCancelRun(run.id) : await api.cancelRun(run.id)
      if (force) forced.add(run.id)
      log.info(`${runLabel(run)}: ${force ? 'force-cancel' : 'cancel'} ${answer === 'accepted' ? 'requested' : 'not needed: it had just completed'}`)
      return true
    } catch (error) {
      if (isAmbiguous(error)) {
        // The reply was lost, not necessarily the request: not sent again; watching the run
        // shows whether it took (and escalates to force-cancel if it did not).
        if (force) forced.add(run.id)
        log.info(`${runLabel(run)}: ${force ? 'force-cancel' : 'cancel'} sent, reply lost (${describeWriteError(error)}); watching the run to see whether it took.`)
        return true
      }
      record(run, 'failed', `${force ? 'force-cancel' : 'cancel'} refused: ${describeWriteError(error)}`)
      return false
    }
  }
  // force-after 0 means the user knows a normal cancel will not do: force at once.
  const forceAtOnce = settings.forceAfterMs === 0
  if (settings.dryRun) {
    const then = forceAtOnce ? 'force-cancelled' : `cancelled (force-cancelled if still going ${formatDuration(settings.forceAfterMs)} later)`
    for (const run of toCancel) record(run, 'planned', `dry run: would be ${then}`)
    toCancel.length = 0
  }
  for (const run of toCancel) {
    if (deps.stop.aborted) record(run, 'skipped', 'not sent: this step was cancelled first')
    else if (await request(run, forceAtOnce)) requested.push(run)
  }
  const requestedAt = clock.now()

  const { completed, going } = await pollUntilCompleted(api, requested, {
    deadline,
    pollIntervalMs: settings.wait.pollIntervalMs,
    firstLookMs: Math.min(FIRST_VERIFY_MS, settings.wait.pollIntervalMs),
    // Runs found by filters are verified with the same list (one request per 100 runs).
    ...(byFilters ? { list: () => selectTargets(api, settings.selection, { currentRunId: context.runId, newestOnly: false }) } : {}),
    clock,
    stop: deps.stop,
    onRound: async (stillGoing) => {
      if (clock.now() - requestedAt < settings.forceAfterMs) return
      for (const run of stillGoing) {
        if (forced.has(run.id) || actions.outcomeOf(run.id) === 'failed') continue
        log.info(`${runLabel(run)}: still ${run.status} ${formatDuration(clock.now() - requestedAt)} after the cancel; escalating.`)
        await request(run, true)
      }
    }
  })

  for (const run of completed) {
    if (actions.outcomeOf(run.id) === 'failed') continue
    const how = forced.has(run.id) ? (forceAtOnce ? 'force-cancelled' : 'cancelled after force-cancel (a normal cancel did not take)') : 'cancelled'
    if (run.conclusion === 'cancelled') record(run, 'done', how)
    else record(run, 'skipped', `finished as ${run.conclusion ?? 'unknown'} before the cancel took effect`)
  }
  for (const run of going) {
    if (actions.outcomeOf(run.id) === 'failed') continue
    if (deps.stop.aborted) {
      record(run, 'sent', `${forced.has(run.id) ? 'force-cancel' : 'cancel'} requested, still ${run.status} when this step was cancelled`)
      continue
    }
    const tried = forced.has(run.id) ? 'cancel and force-cancel' : 'cancel'
    record(run, 'failed', `still ${run.status} after ${tried}, when the timeout (${formatDuration(settings.wait.timeoutMs)}) ran out`)
  }

  // Rows in selection order, each run as last seen.
  const latest = new Map([...completed, ...going].map((run) => [run.id, run]))
  const rows = actions.rows(targets, latest)
  const cancelled = rows.filter((r) => r.outcome === 'done').map((r) => r.run.id)
  const failed = ActionLog.failures(rows)
  log.info(`Result: ${cancelled.length} run(s) cancelled${failed.length > 0 ? `, ${failed.length} not` : ''}.`)
  return {
    reports: rows.map((r) => bareReport(r.run)),
    preface: renderActions(`Cancel: ${cancelled.length} of ${targets.length} selected run(s) cancelled`, rows),
    detailed: false,
    outputs: { 'cancelled-run-ids': JSON.stringify(cancelled) },
    verdict: deps.stop.aborted
      ? cancelledVerdict(deps.stop)
      : failureOf(failed.length > 0 ? [`Could not cancel ${failed.join('; ')}`] : []),
    allowedConclusions: settings.wait.allowedConclusions
  }
}
