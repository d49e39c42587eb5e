// Injected faults: queued, matched by method and path (relative to the path prefix), and consumed
// one use at a time, before normal handling.
import type { Fault } from './scenario.js'

export class FaultQueue {
  private readonly queue: { fault: Fault; remaining: number }[] = []

  add(fault: Fault): void {
    const times = fault.times ?? 1
    if (!(times >= 1)) throw new Error('fault.times must be at least 1')
    this.queue.push({ fault, remaining: times })
  }

  /** The first queued fault matching the request, with one use consumed. */
  take(method: string, path: string, query: URLSearchParams = new URLSearchParams()): Fault | undefined {
    const index = this.queue.findIndex(({ fault }) => matches(fault, method, path, query))
    const entry = this.queue[index]
    if (!entry) return undefined
    entry.remaining -= 1
    if (entry.remaining === 0) this.queue.splice(index, 1)
    return entry.fault
  }

  get pending(): number {
    return this.queue.length
  }
}

function matches(fault: Fault, method: string, path: string, query: URLSearchParams): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false
  for (const [name, value] of Object.entries(fault.query ?? {})) {
    if ((query.get(name) ?? (name === 'page' ? '1' : null)) !== value) return false
  }
  return typeof fault.path === 'string' ? fault.path === path : new RegExp(fault.path.source, fault.path.flags.replace('g', '')).test(path)
}

/** What a proxy or captive portal answers in place of the API. */
export const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Service unavailable</h1><p>Please try again later.</p></body></html>\n'

export function secondaryRateLimitBody(): { message: string; documentation_url: string } {
  return {
    message:
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
  }
}

export function primaryRateLimitBody(): { message: string; documentation_url: string } {
  return {
    message: 'API rate limit exceeded for installation ID 1. If you reach out to GitHub Support for help, please include the request ID.',
    documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits'
  }
}
