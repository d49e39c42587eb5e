// Waiting as the commands measure it: every wait, deadline and "how long ago" of our own goes
// through a Clock, so command logic runs in tests on a fake clock that jumps instead of sleeping.
// It is the runner's clock and never meets an API timestamp: those are compared with GitHub's
// clock only (github/server-time.ts).

export interface Clock {
  /** Milliseconds on a monotonic clock, epoch-like (only differences mean something). */
  now(): number
  sleep(ms: number): Promise<void>
}

/** The clock, with sleeps that end at once when `stop` fires (the step is being cancelled). */
export function stoppable(clock: Clock, stop: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    sleep: (ms) =>
      stop.aborted
        ? // Still a turn of the event loop: a loop that forgot to check `stop` must not starve
          // the timers (the wind-down deadline among them) by spinning on resolved promises.
          new Promise<void>((resolve) => setImmediate(resolve))
        : new Promise<void>((resolve) => {
            const done = (): void => {
              stop.removeEventListener('abort', done)
              resolve()
            }
            stop.addEventListener('abort', done, { once: true })
            void clock.sleep(ms).then(done)
          })
  }
}

/** Node's timers hold at most 2³¹−1 ms; a longer delay fires at once (a busy loop). */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Date.now() jumps when the runner's clock is corrected mid-step (NTP); performance.now() does not.
 * The start of the process on the wall clock is added so that values still read as epoch ms.
 */
export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: async (ms) => {
    for (let left = ms; left > 0; left -= MAX_TIMER_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, MAX_TIMER_MS)))
    }
  }
}
