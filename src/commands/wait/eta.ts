// When a run should finish, from how long its workflow's recent successful runs took: the median
// (one slow outlier does not move it), over at most the last ETA_SAMPLE of them; and the one or
// few list requests that read those runs.
import { PER_PAGE, type GitHubApi } from '../../github/api.js'
import type { Run } from '../../github/types.js'
import type { Log } from '../../runner/log.js'
import { clockTime, formatDuration, parseTime, runStartMs } from '../../report/durations.js'
import { runLabel } from '../shared/action-log.js'

export { clockTime }

/** Successful runs that make the median: enough to be steady, recent enough to be current. */
export const ETA_SAMPLE = 20
/** Fewer than this and there is no estimate worth showing. */
const MIN_SAMPLE = 3

export interface Expectation {
  /** Median duration of the sample (ms). */
  medianMs: number
  /** Runs the median is of. */
  sample: number
  /** Epoch ms the run should finish at: its start plus the median. */
  finishAt: number
}

/** A completed run's duration: from its attempt's start to its last update (its end). */
function durationOf(run: Run): number | null {
  const start = runStartMs(run)
  const end = parseTime(run.updatedAt)
  return start === null || end === null || end < start ? null : end - start
}

/** The median duration of the newest successful runs in `history` (newest first, as listed), other than `run`. */
export function expectationFor(run: Run, history: readonly Run[]): Expectation | null {
  const durations = history
    .filter((other) => other.id !== run.id && other.status === 'completed' && other.conclusion === 'success')
    .slice(0, ETA_SAMPLE)
    .map(durationOf)
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b)
  if (durations.length < MIN_SAMPLE) return null
  const middle = Math.floor(durations.length / 2)
  const medianMs =
    durations.length % 2 === 1 ? (durations[middle] as number) : Math.round(((durations[middle - 1] as number) + (durations[middle] as number)) / 2)
  const start = runStartMs(run)
  if (start === null) return null
  return { medianMs, sample: durations.length, finishAt: start + medianMs }
}

/** A run being waited on, and where its expected finish goes. */
export interface EstimatedWatch {
  run: Run
  expected: Expectation | null
}

/**
 * Sets and logs each run's expected finish, and the gate's (its latest). One list of the
 * workflow's recent successful runs; for runs of several workflows, one list of the repository's
 * for all of them, and a workflow's own list only where that one has too few of its runs and is a
 * full page (a shorter one already holds every successful run there is). A list that cannot be
 * read leaves the estimate out: it is information, not a decision.
 */
export async function estimateFinishes(going: readonly EstimatedWatch[], api: Pick<GitHubApi, 'listRuns'>, log: Log): Promise<void> {
  const label = (run: Run): string => runLabel(run, true)
  const repoWide = new Set(going.map((w) => w.run.workflowId)).size > 1 ? await api.listRuns({ status: 'success' }, undefined, 1).catch(() => null) : null
  /** Per workflow id: its own list, read once. */
  const histories = new Map<number, Promise<Run[] | null>>()
  for (const watch of going) {
    const workflowId = watch.run.workflowId
    const shared = repoWide
      ? expectationFor(
          watch.run,
          repoWide.filter((run) => run.workflowId === workflowId)
        )
      : null
    if (shared || (repoWide !== null && repoWide.length < PER_PAGE)) {
      watch.expected = shared
    } else {
      if (!histories.has(workflowId))
        histories.set(
          workflowId,
          api.listRuns({ status: 'success' }, String(workflowId), 1).catch(() => null)
        )
      const history = await histories.get(workflowId)
      watch.expected = history ? expectationFor(watch.run, history) : null
    }
    if (watch.expected) {
      log.info(
        `${label(watch.run)}: expected to finish around ${clockTime(watch.expected.finishAt)} (median of the last ${watch.expected.sample} successful runs: ${formatDuration(watch.expected.medianMs)}).`
      )
    }
  }
  const latest = going.filter((w) => w.expected).sort((a, b) => (b.expected?.finishAt ?? 0) - (a.expected?.finishAt ?? 0))[0]
  if (going.length > 1 && latest?.expected)
    log.info(`The gate should be decided around ${clockTime(latest.expected.finishAt)}, when ${label(latest.run)} is expected to finish.`)
}
