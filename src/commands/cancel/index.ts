// `cancel`: verified cancellation. Each run still going gets `POST cancel`; the runs are then
// watched until they complete, and one that has not stopped `force-after` later gets
// `POST force-cancel` (a cancel can be accepted and not take: `if: always()` jobs, a stuck runner).
// Only a run seen completed as `cancelled` is reported cancelled.
import type { Run } from '../../github/types.js'
import type { WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { Deps } from '../shared/deps.js'
import type { ActionLog } from '../shared/action-log.js'
import { formatDuration } from '../../report/durations.js'
import { selectTargets } from '../../runs/selection.js'
import { pollUntilCompleted } from '../shared/poll.js'
import type { CommandResult } from '../shared/result.js'
import { describeWriteError } from '../shared/write-error.js'
import { writeRuns, type RunPlan, type WriteCommand, type WriteResult } from '../shared/write-runs.js'

export interface CancelInputs {
  selection: Selection
  excludeCurrentRun: boolean
  /** Escalate to force-cancel when a run has not stopped after this long (0 = at once). */
  forceAfterMs: number
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  wait: Pick<WaitSettings, 'timeoutMs' | 'pollIntervalMs'>
}

/**
 * The first look after the last cancel comes this soon (or one poll interval, if shorter): a
 * cancel usually takes within seconds, and the step should not sit a whole interval waiting.
 */
const FIRST_VERIFY_MS = 3000

export async function cancelRuns(settings: CancelInputs, deps: Deps): Promise<CommandResult> {
  return writeRuns(cancelCommand(settings, deps), settings, deps)
}

interface CancelWrite {
  force: boolean
}

function cancelCommand(settings: CancelInputs, deps: Deps): WriteCommand<CancelWrite> {
  const { api, context, clock } = deps
  const deadline = clock.now() + settings.wait.timeoutMs
  const list = (): Promise<Run[]> => selectTargets(api, settings.selection, { currentRunId: context.runId, newestOnly: false })
  // force-after 0 means the user knows a normal cancel will not do: force at once.
  const forceAtOnce = settings.forceAfterMs === 0
  const forced = new Set<number>()
  const verb = ({ force }: CancelWrite): string => (force ? 'force-cancel' : 'cancel')
  return {
    words: {
      verb,
      notSent: 'not sent',
      wouldDo: () => `would be ${forceAtOnce ? 'force-cancelled' : `cancelled (force-cancelled if still going ${formatDuration(settings.forceAfterMs)} later)`}`
    },
    select: async () => ({ targets: await list() }),
    plan: async (run) => planCancel(run, settings, context.runId, forceAtOnce),
    write: async (run, write) => {
      const answer = write.force ? await api.forceCancelRun(run.id) : await api.cancelRun(run.id)
      if (write.force) forced.add(run.id)
      return { kind: 'sent', note: `${verb(write)} ${answer === 'accepted' ? 'requested' : 'not needed: it had just completed'}` }
    },
    // The reply was lost, not necessarily the request: not sent again; watching the run shows
    // whether it took (and escalates to force-cancel if it did not).
    readBack: async (run, write, error) => {
      if (write.force) forced.add(run.id)
      return { kind: 'sent', note: `${verb(write)} sent, reply lost (${describeWriteError(error)}); watching the run to see whether it took.` }
    },
    settle: async (requested, { actions, send }) => ({
      latest: await verify(requested, { settings, deps, deadline, list, forced, forceAtOnce, actions, send })
    }),
    report: ({ targets, rows, failed }) => {
      const cancelled = rows.filter((r) => r.outcome === 'done').map((r) => r.run.id)
      return {
        heading: `Cancel: ${cancelled.length} of ${targets.length} selected run(s) cancelled`,
        result: `${cancelled.length} run(s) cancelled${failed.length > 0 ? `, ${failed.length} not` : ''}`,
        outputs: { 'cancelled-run-ids': JSON.stringify(cancelled) },
        failures: failed.length > 0 ? [`Could not cancel ${failed.join('; ')}`] : []
      }
    }
  }
}

function planCancel(run: Run, settings: CancelInputs, currentRunId: number, force: boolean): RunPlan<CancelWrite> {
  if (run.status === 'completed') return { kind: 'skip', reason: `already completed (${run.conclusion ?? 'no conclusion'}): nothing to cancel` }
  if (settings.selection.kind === 'filters' && settings.excludeCurrentRun && currentRunId > 0 && run.id > currentRunId) {
    // Run ids grow with creation: a newer run supersedes this one, not the other way round.
    // Cancelling it would let two runs that each cancel the other both end cancelled.
    return { kind: 'skip', reason: `started after this run (run ${currentRunId}): left alone` }
  }
  return { kind: 'write', write: { force } }
}

interface Verifying {
  settings: CancelInputs
  deps: Deps
  deadline: number
  list: () => Promise<Run[]>
  forced: ReadonlySet<number>
  forceAtOnce: boolean
  actions: ActionLog
  send: (run: Run, write: CancelWrite) => Promise<WriteResult>
}

/**
 * Watches the runs a cancel was sent to until they complete, force-cancels those still going
 * `force-after` later, and records each: only a run seen completed as `cancelled` is cancelled.
 * Returns each run as last read.
 */
async function verify(requested: readonly { run: Run }[], v: Verifying): Promise<Map<number, Run>> {
  const { settings, deps, actions, forced } = v
  const { clock, stop } = deps
  const requestedAt = clock.now()
  const { completed, going } = await pollUntilCompleted(
    deps.api,
    requested.map(({ run }) => run),
    {
      deadline: v.deadline,
      pollIntervalMs: settings.wait.pollIntervalMs,
      firstLookMs: Math.min(FIRST_VERIFY_MS, settings.wait.pollIntervalMs),
      // Runs found by filters are verified with the same list (one request per 100 runs).
      ...(settings.selection.kind === 'filters' ? { list: v.list } : {}),
      clock,
      stop,
      onRound: async (stillGoing) => {
        if (clock.now() - requestedAt < settings.forceAfterMs) return
        for (const run of stillGoing) {
          if (forced.has(run.id) || actions.outcomeOf(run.id) === 'failed') continue
          actions.note(run, `still ${run.status} ${formatDuration(clock.now() - requestedAt)} after the cancel; escalating.`)
          await v.send(run, { force: true })
        }
      }
    }
  )
  for (const run of completed) {
    if (actions.outcomeOf(run.id) === 'failed') continue
    const how = forced.has(run.id) ? (v.forceAtOnce ? 'force-cancelled' : 'cancelled after force-cancel (a normal cancel did not take)') : 'cancelled'
    if (run.conclusion === 'cancelled') actions.record(run, 'done', how)
    else actions.record(run, 'skipped', `finished as ${run.conclusion ?? 'unknown'} before the cancel took effect`)
  }
  for (const run of going) {
    if (actions.outcomeOf(run.id) === 'failed') continue
    if (stop.aborted) {
      actions.record(run, 'sent', `${forced.has(run.id) ? 'force-cancel' : 'cancel'} requested, still ${run.status} when this step was cancelled`)
      continue
    }
    const tried = forced.has(run.id) ? 'cancel and force-cancel' : 'cancel'
    actions.record(run, 'failed', `still ${run.status} after ${tried}, when the timeout (${formatDuration(settings.wait.timeoutMs)}) ran out`)
  }
  // Rows in selection order, each run as last seen.
  return new Map([...completed, ...going].map((run) => [run.id, run]))
}
