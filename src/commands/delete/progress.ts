// How far a long `delete` has got, in the job log: a line every PROGRESS_EVERY runs handled or
// every PROGRESS_INTERVAL_MS, whichever comes first, with an estimate of the time left. Deletes go
// about a second apart (the client's write queue spaces writes so, as GitHub's secondary rate
// limits ask), so the estimate is a second per run left.
import type { Clock } from '../../time/clock.js'
import type { Log } from '../../runner/log.js'
import { formatDuration } from '../../report/durations.js'

export const PROGRESS_EVERY = 100
export const PROGRESS_INTERVAL_MS = 30_000
/** Deletes are sent one at a time, about this far apart. */
export const DELETE_SPACING_MS = 1000

/** `about 42 min` for the time `runs` deletes take at one a second (`less than a minute` under one). */
export function deleteTime(runs: number): string {
  const ms = runs * DELETE_SPACING_MS
  return ms < 60_000 ? 'less than a minute' : `about ${Math.ceil(ms / 60_000)} min`
}

export type DeleteOutcome = 'deleted' | 'gone' | 'failed'

export class DeleteProgress {
  private handled = 0
  private readonly counts: Record<DeleteOutcome, number> = { deleted: 0, gone: 0, failed: 0 }
  private lastLineAt: number

  constructor(
    private readonly total: number,
    private readonly what: 'runs' | 'logs',
    private readonly clock: Pick<Clock, 'now'>,
    private readonly log: Log,
    private readonly every = PROGRESS_EVERY,
    private readonly intervalMs = PROGRESS_INTERVAL_MS
  ) {
    this.lastLineAt = clock.now()
  }

  /** After each run: logs a progress line when one is due (never after the last run: the result line says it). */
  handledOne(outcome: DeleteOutcome): void {
    this.handled += 1
    this.counts[outcome] += 1
    if (this.handled >= this.total) return
    const now = this.clock.now()
    if (this.handled % this.every !== 0 && now - this.lastLineAt < this.intervalMs) return
    this.lastLineAt = now
    this.log.info(this.line())
  }

  line(): string {
    const left = this.total - this.handled
    const also = [this.counts.gone > 0 ? `${this.counts.gone} already gone` : '', this.counts.failed > 0 ? `${this.counts.failed} not deleted` : ''].filter(
      (part) => part !== ''
    )
    const deleted =
      this.what === 'logs' ? `deleted the logs of ${this.counts.deleted} of ${this.total} runs` : `deleted ${this.counts.deleted} of ${this.total}`
    const estimate = left * DELETE_SPACING_MS < 60_000 ? 'less than a minute to go' : `${deleteTime(left)} to go`
    return `Progress: ${deleted}${also.length > 0 ? ` (${also.join(', ')})` : ''}, ${left} left, ${estimate} at one a second.`
  }
}

/**
 * Warnings before a long delete starts: when it cannot finish before `timeout`, and when the
 * token's hourly requests will run out first (each delete is a request; the client waits for the
 * reset, within the timeout). Empty when neither applies.
 */
export function deletePlanWarnings(runs: number, msLeft: number, timeoutMs: number, rate: { remaining: number | null; limit: number | null }): string[] {
  const warnings: string[] = []
  const needMs = runs * DELETE_SPACING_MS
  if (needMs > msLeft) {
    const suggestMin = Math.ceil((needMs * 1.1) / 60_000) + 5
    warnings.push(
      `Deleting ${runs} runs takes ${deleteTime(runs)} at one a second, more than the ${formatDuration(Math.max(0, msLeft))} left of 'timeout' (${formatDuration(timeoutMs)}): the runs not reached then are reported as not deleted and the step fails. Raise 'timeout' (e.g. ${suggestMin}m) or delete in several steps (older-than, created).`
    )
  }
  if (rate.remaining !== null && rate.remaining < runs) {
    warnings.push(
      `The token has ${rate.remaining}${rate.limit !== null ? ` of its ${rate.limit}` : ''} API requests left this hour and deleting ${runs} runs takes one each: when they run out, deleting waits for the hourly reset (within 'timeout'). GITHUB_TOKEN has 1,000 requests an hour per repository; a GitHub App or a personal access token has 5,000 or more.`
    )
  }
  return warnings
}
