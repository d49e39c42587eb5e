// GitHub's "now", as well as the answers let us know it. API timestamps (created_at,
// run_started_at, completed_at, a step's times, x-ratelimit-reset) are on GitHub's clock; the
// runner's wall clock can be minutes off (API-NOTES, "Clocks": 0–204 s on hosted macOS runners,
// up to 17 min self-hosted), so an API time is only ever compared with this estimate.
//
// Every answer's `Date` header (whole seconds, floored) is a moment on GitHub's clock that came no
// later than the answer's arrival, so `date - monotonicArrival` is a lower bound on the offset
// between the two clocks; the largest bound seen is the tightest one. The estimate is therefore
// never ahead of GitHub (by at most about a second behind it): "10 s have passed since that run
// completed" is never said early, which is the direction a gate must err in.

export class ServerTime {
  /** GitHub's epoch ms minus the monotonic clock's ms; null until an answer carried a Date. */
  private offset: number | null = null

  /** @param monotonic the runner's monotonic clock (epoch-like ms; only differences count). */
  constructor(private readonly monotonic: () => number) {}

  /** An answer arrived now with this `Date` header. */
  observe(dateHeader: string | null): void {
    if (dateHeader === null) return
    const date = Date.parse(dateHeader)
    if (!Number.isFinite(date)) return
    const bound = date - this.monotonic()
    if (this.offset === null || bound > this.offset) this.offset = bound
  }

  /** Whether an answer has told GitHub's time yet (until then the runner's clock stands in). */
  get known(): boolean {
    return this.offset !== null
  }

  /**
   * GitHub's epoch ms at the monotonic instant `monotonicMs` (e.g. when a request was sent, taken
   * before its answer gave the first Date). Without any Date header yet (a proxy that strips it),
   * the monotonic clock, which starts from the runner's wall clock, stands in.
   */
  at(monotonicMs: number): number {
    return monotonicMs + (this.offset ?? 0)
  }

  /** GitHub's epoch ms now. */
  now(): number {
    return this.at(this.monotonic())
  }
}
