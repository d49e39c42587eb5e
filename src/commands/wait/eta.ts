// When a run should finish, from how long its workflow's recent successful runs took: the median
// (one slow outlier does not move it), over at most the last ETA_SAMPLE of them.
import type { Run } from '../../github/types.js'
import { parseTime } from '../../report/durations.js'

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
  const start = parseTime(run.runStartedAt) ?? parseTime(run.createdAt)
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
  const medianMs = durations.length % 2 === 1 ? (durations[middle] as number) : Math.round(((durations[middle - 1] as number) + (durations[middle] as number)) / 2)
  const start = parseTime(run.runStartedAt) ?? parseTime(run.createdAt)
  if (start === null) return null
  return { medianMs, sample: durations.length, finishAt: start + medianMs }
}

/** `10:42 UTC`: the time of day a reader compares with the clock (UTC, as the runner logs). */
export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`
}
