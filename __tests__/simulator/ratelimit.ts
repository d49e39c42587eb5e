// The primary rate limit: a budget per token per hour, on the simulator's time source (real time
// by default: the action waits in real time, so the reset must be a real epoch second; in-process
// tests pass their fake clock, which the action shares).

export interface RateState {
  limit: number
  remaining: number
  used: number
  /** Epoch seconds, real time. */
  reset: number
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>()

  constructor(
    readonly limit: number,
    private readonly realNow: () => number = Date.now
  ) {}

  private window(token: string): { start: number; used: number } {
    const now = this.realNow()
    let window = this.windows.get(token)
    if (!window || now >= window.start + 3600_000) {
      window = { start: now, used: 0 }
      this.windows.set(token, window)
    }
    return window
  }

  exhausted(token: string): boolean {
    return this.window(token).used >= this.limit
  }

  count(token: string): void {
    this.window(token).used += 1
  }

  state(token: string): RateState {
    const window = this.window(token)
    const used = Math.min(window.used, this.limit)
    return { limit: this.limit, used, remaining: this.limit - used, reset: Math.ceil((window.start + 3600_000) / 1000) }
  }
}

export function rateHeaders(state: RateState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-used': String(state.used),
    'x-ratelimit-reset': String(state.reset),
    'x-ratelimit-resource': 'core'
  }
}
