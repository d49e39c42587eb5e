// Reads that must survive a bad stretch: the client retries a failed GET three times within
// seconds, which a GitHub incident of a few minutes outlasts. A wait of an hour should not fail
// because of it: `untilDeadline` asks again, backing off, as long as the error is transient and
// the deadline leaves time, on the caller's clock (a fake one in tests).
import { isTransient } from './errors.js'

/** The part of src/time/clock.ts's Clock this needs. */
export interface RetryClock {
  now(): number
  sleep(ms: number): Promise<void>
}

export interface UntilDeadlineOptions {
  /** Epoch ms on `clock`: no sleep ends after it; the last error is thrown once it is reached. */
  deadline: number
  clock: RetryClock
  /** First pause (default 5 s); each next one doubles, up to `maxDelayMs`. */
  firstDelayMs?: number
  /** Longest pause (default 60 s). */
  maxDelayMs?: number
  /** Which errors are worth another try (default isTransient: 5xx, resets, timeouts, malformed bodies, shifting lists). */
  retryable?: (error: unknown) => boolean
  /** Called before each pause: to log "GitHub answered 502; trying again in 10s". */
  onRetry?: (error: unknown, delayMs: number, failures: number) => void
}

export const UNTIL_DEADLINE_FIRST_DELAY_MS = 5_000
export const UNTIL_DEADLINE_MAX_DELAY_MS = 60_000

/**
 * Calls `read` until it succeeds; a transient failure is followed by a pause (5 s, 10 s, 20 s …
 * up to 60 s, cut short by the deadline) and another call. Throws at once an error that is not
 * transient (a 404, a refused origin, an AmbiguousWriteError), and the last error when the
 * deadline is reached. Only for reads: never wrap a write in it.
 */
export async function untilDeadline<T>(read: () => Promise<T>, options: UntilDeadlineOptions): Promise<T> {
  const retryable = options.retryable ?? isTransient
  const maxDelay = options.maxDelayMs ?? UNTIL_DEADLINE_MAX_DELAY_MS
  let delay = options.firstDelayMs ?? UNTIL_DEADLINE_FIRST_DELAY_MS
  for (let failures = 1; ; failures++) {
    try {
      return await read()
    } catch (error) {
      const left = options.deadline - options.clock.now()
      if (!retryable(error) || left <= 0) throw error
      const pause = Math.min(delay, maxDelay, left)
      options.onRetry?.(error, pause, failures)
      await options.clock.sleep(pause)
      delay = Math.min(delay * 2, maxDelay)
    }
  }
}
