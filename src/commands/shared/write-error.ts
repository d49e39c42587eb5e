// Failed writes: a sentence for the log and the summary, and what to do when the outcome is
// unknown. A write is never sent twice; when its reply was lost (5xx, reset, timeout: the server
// may have acted), the command reads the state back and reports what it finds.
import type { Clock } from '../../time/clock.js'
import { AmbiguousWriteError, statusOf } from '../../github/errors.js'

/** GitHub's message and status; for a 403, what the token usually lacks. */
export function describeWriteError(error: unknown): string {
  const status = statusOf(error)
  const message = error instanceof Error ? error.message : String(error)
  if (status === 403 && /not accessible by integration|must have admin|permission/i.test(message)) {
    return `${message} (403): the token needs the 'actions: write' permission (add 'permissions: actions: write' to the job)`
  }
  return status === undefined ? message : `${message} (${status})`
}

/**
 * The server may have acted: the client turns a 5xx, a reset or a timeout of a write into an
 * AmbiguousWriteError (and never retries it). 4xx answers are refusals: nothing happened.
 */
export function isAmbiguous(error: unknown): boolean {
  return error instanceof AmbiguousWriteError
}

/** Reads after a lost reply: GitHub may take a few seconds to show the effect. */
const READ_BACK_TRIES = 3
const READ_BACK_INTERVAL_MS = 3000

/**
 * Reads the state up to a few times until `tookEffect` holds for it; the value read when it
 * did, or null when it never did (or every read failed) before `deadline`.
 */
export async function readBack<T>(
  read: () => Promise<T>,
  tookEffect: (value: T) => boolean,
  clock: Clock,
  deadline: number,
  stop?: AbortSignal
): Promise<T | null> {
  for (let attempt = 1; attempt <= READ_BACK_TRIES; attempt++) {
    try {
      const value = await read()
      if (tookEffect(value)) return value
    } catch {
      // A failed read says nothing about the write; try again.
    }
    if (attempt === READ_BACK_TRIES || clock.now() + READ_BACK_INTERVAL_MS > deadline || stop?.aborted) break
    await clock.sleep(READ_BACK_INTERVAL_MS)
  }
  return null
}
