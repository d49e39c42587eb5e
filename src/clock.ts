// Time as the commands see it. Every wait and every "how long ago" goes through a Clock, so
// command logic runs in tests on a fake clock that jumps instead of sleeping.

export interface Clock {
  /** Epoch milliseconds. */
  now(): number
  sleep(ms: number): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}
