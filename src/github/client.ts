// The Octokit instance every API call goes through: retries and rate-limit handling come from
// Octokit's plugins (no loops of our own), every repeated GET is made conditional by the ETag
// cache, and each HTTP exchange is bounded in time and counted.
import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { installEtagCache } from './etag-cache.js'

/**
 * Statuses the retry plugin must leave alone: its defaults, plus 409 (cancelling a completed run
 * answers 409 and asking again cannot change that) and 429 (the throttling plugin owns rate
 * limits and honours `retry-after`, which the retry plugin ignores).
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451]
/** Secondary limits ask for a pause of a minute or so; three pauses is patient enough. */
const MAX_SECONDARY_RETRIES = 3
/**
 * One HTTP exchange (until the response headers arrive) may take this long. GitHub answers in
 * well under a second when healthy; a hung connection is retried by the retry plugin instead.
 */
const REQUEST_TIMEOUT_MS = 30_000

export interface RequestStats {
  /** HTTP requests sent to the API host (retries included, log storage excluded). */
  sent: number
  /** Of those, answered 304 Not Modified: free against the primary rate limit. */
  notModified: number
  /** The last `x-ratelimit-remaining` / `-limit` seen (GHES may send none). */
  remaining: number | null
  limit: number | null
}

export interface ClientOptions {
  token: string
  /** The REST API's base URL (GITHUB_API_URL); default the toolkit's (api.github.com). */
  apiUrl?: string
  /** Epoch ms after which waiting for a rate limit to reset is pointless. */
  deadline: number
  /** The clock the deadline is on (epoch ms). */
  now: () => number
  /** The retry plugin waits this × n² ms before its n-th retry (default 1000; tests pass 1). */
  retryBaseMs?: number
}

export type Octokit = ReturnType<typeof createOctokit>['octokit']

function countingFetch(inner: typeof fetch, apiOrigin: string, stats: RequestStats): typeof fetch {
  return async (input, init) => {
    const url = String(input instanceof Request ? input.url : input)
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new Error(`no response from ${new URL(url).host} within ${REQUEST_TIMEOUT_MS / 1000}s`)),
      REQUEST_TIMEOUT_MS
    )
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
    try {
      const response = await inner(input, { ...init, signal })
      if (url.startsWith(apiOrigin)) {
        stats.sent++
        if (response.status === 304) stats.notModified++
        const remaining = response.headers.get('x-ratelimit-remaining')
        const limit = response.headers.get('x-ratelimit-limit')
        if (remaining !== null) stats.remaining = Number(remaining)
        if (limit !== null) stats.limit = Number(limit)
      }
      return response
    } finally {
      clearTimeout(timer)
    }
  }
}

export function createOctokit(options: ClientOptions) {
  const stats: RequestStats = { sent: 0, notModified: 0, remaining: null, limit: null }
  const baseUrl = (options.apiUrl || defaults.baseUrl || 'https://api.github.com').replace(/\/+$/, '')
  const apiOrigin = new URL(baseUrl).origin
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch
  const secondsLeft = (): number => (options.deadline - options.now()) / 1000

  const octokit = getOctokit(
    options.token,
    {
      baseUrl,
      // Spread the toolkit's defaults: replacing `request` wholesale would drop its proxy support.
      request: { ...defaults.request, fetch: countingFetch(baseFetch, apiOrigin, stats) },
      retry: { doNotRetry: DO_NOT_RETRY, ...(options.retryBaseMs !== undefined ? { retryAfterBaseValue: options.retryBaseMs } : {}) },
      throttle: {
        onRateLimit: (retryAfter: number, request: { method: string; url: string }) => {
          if (retryAfter < secondsLeft()) {
            core.warning(`GitHub API rate limit exhausted; waiting ${retryAfter}s for it to reset (${request.method} ${request.url}).`)
            return true
          }
          core.error(
            `GitHub API rate limit exhausted and it resets in ${retryAfter}s, after this step's deadline (${Math.max(0, Math.round(secondsLeft()))}s left). Use a token with a higher limit or raise 'timeout'.`
          )
          return false
        },
        onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          if (retryCount < MAX_SECONDARY_RETRIES && retryAfter < secondsLeft()) {
            core.warning(`GitHub secondary rate limit hit; retrying in ${retryAfter}s (${request.method} ${request.url}).`)
            return true
          }
          return false
        }
      }
    },
    retry,
    throttling
  )
  installEtagCache(octokit)
  return { octokit, stats }
}
