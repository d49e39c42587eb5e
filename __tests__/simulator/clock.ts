// Virtual time. Scenario times are virtual seconds since start; the epoch origin is the start
// wall-clock time (plus the skew) rounded down to a whole second, so whole scenario seconds land
// on whole seconds in payloads (GitHub's timestamps have second precision) and log lines fall
// inside step windows. The skew is GitHub's clock minus the runner's: a runner 90 s fast is a
// skew of -90 s; every timestamp and Date header the simulator sends is on its clock.

export class VirtualClock {
  readonly startRealMs: number
  readonly originMs: number

  constructor(
    readonly speed: number,
    private readonly realNow: () => number = Date.now,
    readonly skewMs = 0
  ) {
    if (!(speed > 0)) throw new Error('speed must be positive')
    this.startRealMs = realNow()
    this.originMs = Math.floor((this.startRealMs + skewMs) / 1000) * 1000
  }

  /** Virtual seconds since start (fractional). */
  now(): number {
    return ((this.realNow() - this.startRealMs) / 1000) * this.speed
  }

  /** Virtual epoch milliseconds for scenario second `t`. */
  epochMs(t: number): number {
    return this.originMs + t * 1000
  }

  nowMs(): number {
    return this.epochMs(this.now())
  }

  /** `YYYY-MM-DDTHH:MM:SSZ`, like GitHub. */
  iso(t: number): string {
    return isoSeconds(this.epochMs(t))
  }

  /** Real milliseconds until virtual second `t` (0 if already past). */
  realDelayUntil(t: number): number {
    return Math.max(0, ((t - this.now()) * 1000) / this.speed)
  }
}

export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/** `2026-11-21T10:00:05.1234567Z`: the runner's log timestamp format (100 ns resolution). */
export function isoTicks(epochMs: number): string {
  const wholeMs = Math.floor(epochMs)
  const ticks = Math.min(9999, Math.floor((epochMs - wholeMs) * 10000))
  const base = new Date(wholeMs).toISOString() // ....SS.mmmZ
  return `${base.slice(0, -1)}${String(ticks).padStart(4, '0')}Z`
}
