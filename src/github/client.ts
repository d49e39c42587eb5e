// The Octokit instance every API call goes through: retries and rate-limit handling come from
// Octokit's plugins, every repeated GET is made conditional by the ETag cache, and each HTTP
// exchange is bounded in time (body included) and counted (bounded-fetch.ts). Around the
// plugins, three rules hold for every request:
//
// - Writes are never repeated: a POST/PUT/PATCH/DELETE whose answer was lost may have been acted
//   on, so the retry plugin gets `retries: 0` for them (rate-limit refusals, which GitHub did not
//   act on, are still retried by the throttling plugin). Past the deadline nothing is retried.
// - The token goes to the API's origin only: a request elsewhere (a `Link: rel="next"` pointing
//   to another host) is refused before it is sent.
// - A GET body must have the endpoint's shape (validate.ts) before anyone sees it: a bad one is
//   retried like a 502 and never enters the ETag cache.
import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import Bottleneck from 'bottleneck/light.js'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Octokit as CoreOctokit } from '@octokit/core'
import { boundedFetch, type FetchBudget, type RequestStats } from './bounded-fetch.js'
import { budgetErrorOf, ForeignOriginError, MalformedBodyError } from './errors.js'
import { installEtagCache } from './etag-cache.js'
import { rateLimitHandlers } from './rate-limits.js'
import { ServerTime } from './server-time.js'
import { shapeOf } from './validate.js'

export type { RequestStats } from './bounded-fetch.js'

/**
 * Statuses the retry plugin must leave alone: its defaults, plus 409 (cancelling a completed run
 * answers 409 and asking again cannot change that) and 429 (the throttling plugin owns rate
 * limits and honours `retry-after`, which the retry plugin ignores).
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451]

export interface ClientTiming extends FetchBudget {
  /**
   * The retry plugin's unit of backoff: it waits 1, 4 and 9 units before its three retries.
   * Default 1 s; tests shorten it (the plugin sleeps in real time).
   */
  retryBaseMs: number
  /**
   * Writes go one at a time, this far apart: GitHub asks for writes at least a second apart
   * (secondary limits). The throttling plugin's own queue does the same; ours lets tests shorten it.
   */
  writeSpacingMs: number
}

/**
 * Production budgets: GitHub answers in well under a second when healthy, so 30 s for one
 * exchange (headers and body) means something is wrong; a job log of tens of MB streams in
 * seconds; 15 s without a byte is a stalled download.
 */
export const DEFAULT_TIMING: ClientTiming = {
  requestMs: 30_000,
  logMs: 60_000,
  logStallMs: 15_000,
  wrapUpMs: 30_000,
  retryBaseMs: 1_000,
  writeSpacingMs: 1_000
}

export interface ClientLog {
  warning(line: string): void
  error(line: string): void
}

export interface ClientOptions {
  token: string
  /** The REST API's base URL (GITHUB_API_URL); default the toolkit's (api.github.com). */
  apiUrl?: string
  /**
   * Epoch ms after which waiting is pointless: no rate-limit wait ends after it, no request is
   * retried after it, and no request runs past it plus `timing.wrapUpMs` (the time left to cancel
   * on timeout and write the summary).
   */
  deadline: number
  /** The clock the deadline is on (the runner's monotonic clock, epoch-like ms). */
  now: () => number
  /**
   * Sleeps on `now`'s clock: the part of a rate-limit wait the throttling plugin gets wrong when
   * the runner's clock is off. Default a real timer.
   */
  sleep?: (ms: number) => Promise<void>
  /** Budgets; defaults DEFAULT_TIMING. */
  timing?: Partial<ClientTiming>
  /** Where rate-limit waits are announced; default the job log (@actions/core). */
  log?: ClientLog
}

export type Octokit = ReturnType<typeof createOctokit>['octokit']

const isRead = (method: string | undefined): boolean => method === undefined || method === 'GET' || method === 'HEAD'

export function createOctokit(options: ClientOptions) {
  const timing: ClientTiming = { ...DEFAULT_TIMING, ...options.timing }
  const log: ClientLog = options.log ?? { warning: (line) => core.warning(line), error: (line) => core.error(line) }
  const stats: RequestStats = { sent: 0, notModified: 0, remaining: null, limit: null, rateLimitResetMs: null }
  const serverTime = new ServerTime(options.now)
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const baseUrl = (options.apiUrl || defaults.baseUrl || 'https://api.github.com').replace(/\/+$/, '')
  const apiOrigin = new URL(baseUrl).origin
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '')
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch
  const secondsLeft = (): number => (options.deadline - options.now()) / 1000

  /**
   * Registered before the retry plugin, so it runs inside it, once per attempt: what it throws
   * with the request attached (a malformed body) is retried; what it throws bare is not.
   */
  const guard = (octokit: CoreOctokit) => {
    octokit.hook.wrap('request', async (request, hookOptions) => {
      const { url } = octokit.request.endpoint.parse(hookOptions)
      const target = new URL(url)
      if (target.origin !== apiOrigin) throw new ForeignOriginError(`${target.origin}${target.pathname}`, apiOrigin)
      let response
      try {
        response = await request(hookOptions)
      } catch (error) {
        // A budget that ran out is final (a log download, the deadline), except one slow
        // exchange with the API, which is worth another try.
        const budget = budgetErrorOf(error)
        if (budget && (budget.kind !== 'timeout' || hookOptions.request?.parseSuccessResponseBody === false)) throw budget
        throw error
      }
      if (hookOptions.method === 'GET' && hookOptions.request?.parseSuccessResponseBody !== false) {
        const path = target.pathname.startsWith(`${basePath}/`) ? target.pathname.slice(basePath.length) : target.pathname
        const shape = shapeOf(path)
        const problems = shape.problems(response.data)
        if (problems.length > 0) {
          const malformed = new MalformedBodyError(`GET ${path}${target.search}`, shape.expected, problems.join('; '))
          malformed.request = hookOptions
          throw malformed
        }
      }
      return response
    })
    return {}
  }

  const octokit = getOctokit(
    options.token,
    {
      baseUrl,
      // Spread the toolkit's defaults: replacing `request` wholesale would drop its proxy support.
      request: {
        ...defaults.request,
        fetch: boundedFetch(baseFetch, { apiOrigin, stats, serverTime, budget: timing, deadline: options.deadline, now: options.now })
      },
      retry: { doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: timing.retryBaseMs },
      throttle: {
        write: new Bottleneck.Group({ id: 'run-control-write', maxConcurrent: 1, minTime: timing.writeSpacingMs }),
        ...rateLimitHandlers({ stats, serverTime, sleep, log, secondsLeft })
      }
    },
    guard,
    retry,
    throttling
  )
  // Outside the plugins: decides, per request, how often the retry plugin may repeat it. Hooks
  // share one options object per request (before-after-hook binds it; what a hook passes on is
  // ignored), so the decision is written into it: a fresh `request` object, since the merged
  // options may share the defaults' one with every other request.
  octokit.hook.wrap('request', async (request, hookOptions) => {
    const method = hookOptions.method?.toUpperCase()
    if (!isRead(method) || options.now() >= options.deadline) hookOptions.request = { ...hookOptions.request, retries: 0 }
    return request(hookOptions)
  })
  installEtagCache(octokit)
  return { octokit, stats, serverTime }
}
