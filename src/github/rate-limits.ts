// What the throttling plugin asks when GitHub refuses a request for a rate limit: wait and retry
// (true), or give up (false). A wait is worth it only when it ends before the step's deadline.
import type { RequestStats } from './bounded-fetch.js'
import type { ServerTime } from './server-time.js'

/** Secondary limits ask for a pause of a minute or so; three pauses is patient enough. */
const MAX_SECONDARY_RETRIES = 3
/** A primary limit that is still exhausted after three waits for its reset will not lift in time. */
const MAX_PRIMARY_RETRIES = 3

interface Refused {
  method: string
  url: string
}

export interface RateLimitContext {
  /** The refusal's own x-ratelimit-reset is here: the fetch recorded it. */
  stats: RequestStats
  serverTime: ServerTime
  /** Sleeps on the step's clock. */
  sleep: (ms: number) => Promise<void>
  log: { warning(line: string): void; error(line: string): void }
  /** Seconds to the step's deadline. */
  secondsLeft: () => number
}

export function rateLimitHandlers(context: RateLimitContext) {
  const { stats, serverTime, sleep, log, secondsLeft } = context
  /** The rate-limit reset (epoch ms) last announced: one line per reset waited for, not one per request. */
  let announcedReset: number | undefined
  return {
    onRateLimit: async (retryAfter: number, request: Refused, _octokit: unknown, retryCount: number) => {
      // plugin-throttling computes retryAfter as the seconds from the runner's Date.now() to
      // x-ratelimit-reset, plus one; the reset is on GitHub's clock (API-NOTES, "Clocks").
      // The wait GitHub's clock asks for (the refusal's own reset: the fetch recorded it):
      const resetMs = stats.rateLimitResetMs
      const needed = resetMs === null ? retryAfter : Math.max(0, Math.ceil((resetMs - serverTime.now()) / 1000) + 1)
      const reset = resetMs ?? serverTime.now() + retryAfter * 1000
      // A runner ahead of GitHub gets too short a wait from the plugin: the rest is slept
      // here, before the plugin's own. A runner behind gets too long a one, which this
      // callback cannot shorten (the plugin owns the retry): it waits up to the skew longer,
      // within the deadline checked below.
      const waits = Math.max(retryAfter, needed)
      if (retryCount < MAX_PRIMARY_RETRIES && waits < secondsLeft()) {
        // Requests refused together wait for the same reset, which is announced once.
        if (reset !== announcedReset) {
          announcedReset = reset
          log.warning(
            `GitHub API rate limit exhausted; waiting ${waits}s for it to reset (at ${new Date(reset).toISOString().slice(11, 19)} UTC; first hit by ${request.method} ${request.url}).`
          )
        }
        if (needed > retryAfter) await sleep((needed - retryAfter) * 1000)
        return true
      }
      log.error(
        retryCount >= MAX_PRIMARY_RETRIES
          ? `GitHub API rate limit still exhausted after ${retryCount} waits for its reset (${request.method} ${request.url}).`
          : `GitHub API rate limit exhausted and it resets in ${waits}s, after this step's deadline (${Math.max(0, Math.round(secondsLeft()))}s left). Use a token with a higher limit or raise 'timeout'.`
      )
      return false
    },
    onSecondaryRateLimit: (retryAfter: number, request: Refused, _octokit: unknown, retryCount: number) => {
      if (retryCount < MAX_SECONDARY_RETRIES && retryAfter < secondsLeft()) {
        log.warning(`GitHub secondary rate limit hit; retrying in ${retryAfter}s (${request.method} ${request.url}).`)
        return true
      }
      return false
    }
  }
}
