// Time as the commands see it. Every wait and every "how long ago" goes through a Clock, so
// command logic runs in tests on a fake clock that jumps instead of sleeping.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  sleep(ms: number): Promise<void>
}

/** Node's timers hold at most 2³¹−1 ms; a longer delay fires at once (a busy loop). */
const MAX_TIMER_MS = 2 ** 31 - 1

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => {
    for (let left = ms; left > 0; left -= MAX_TIMER_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(left, MAX_TIMER_MS)))
    }
  }
}
