// The fetch every request goes through: it counts API requests and reads their rate-limit
// headers, and bounds each exchange in time, the body included. A server that sends its headers
// and then nothing, or half a body, costs a bounded wait, never the whole step.
//
// - An API answer (JSON) is read in full here, under the request's budget; a body that does not
//   arrive in time, or is cut off, fails the fetch (Octokit then reports a status-500 error and the
//   retry plugin may ask again). Without this, Octokit reads an aborted body as an empty string.
// - A log download (job log, run-log archive: a redirect to the storage host) is streamed: it has
//   a longer budget of its own, and is aborted when no bytes come for a while (a stall).
// - No budget reaches past the step's deadline plus a short wrap-up (time to cancel on timeout
//   and write the summary); past that, requests are refused before they are sent.
import { TimeBudgetError } from './errors.js'
import type { ServerTime } from './server-time.js'

export interface RequestStats {
  /** HTTP requests sent to the API host (retries included, log storage excluded). */
  sent: number
  /** Of those, answered 304 Not Modified: free against the primary rate limit. */
  notModified: number
  /** The last `x-ratelimit-remaining` / `-limit` seen (GHES may send none). */
  remaining: number | null
  limit: number | null
  /**
   * When the primary rate limit resets (epoch ms, from `x-ratelimit-reset` of the last response
   * that sent it); null until one did. Sleep until this, not a fixed minute, when `remaining` is 0.
   */
  rateLimitResetMs: number | null
}

export interface FetchBudget {
  /** One API exchange, headers and body. */
  requestMs: number
  /** One log download, first byte to last. */
  logMs: number
  /** A log download with no bytes for this long is given up. */
  logStallMs: number
  /** Past `deadline`, requests still get this long in all (cancel-on-timeout, the summary). */
  wrapUpMs: number
}

export interface BoundedFetchOptions {
  apiOrigin: string
  stats: RequestStats
  /** Learns GitHub's clock from each API answer's `Date` header. */
  serverTime: ServerTime
  budget: FetchBudget
  /** Epoch ms on `now`'s clock: the step's deadline. */
  deadline: number
  now: () => number
}

/** The endpoints whose answer is a log to stream (via a redirect to the storage host). */
const LOG_PATH = /\/actions\/(jobs\/\d+|runs\/\d+(\/attempts\/\d+)?)\/logs$/

/** Statuses a Response may not be constructed with a body for. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  return input instanceof Request ? input.url : String(input)
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause
  const message = error instanceof Error ? error.message : String(error)
  return cause instanceof Error && cause.message && cause.message !== message ? `${message}: ${cause.message}` : message
}

/** A Response like `response` but with another body (fetch's Response cannot be given a url). */
function withBody(response: Response, body: BodyInit | null): Response {
  const copy = new Response(NULL_BODY.has(response.status) ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers
  })
  Object.defineProperty(copy, 'url', { value: response.url })
  Object.defineProperty(copy, 'redirected', { value: response.redirected })
  return copy
}

/**
 * The timers of one exchange: a total budget, and for a log download a stall timer that each
 * chunk re-arms. Either aborts the exchange with the budget's own error.
 */
class ExchangeTimers {
  readonly controller = new AbortController()
  private total?: ReturnType<typeof setTimeout>
  private stall?: ReturnType<typeof setTimeout>

  constructor(
    private readonly what: string,
    private readonly isLog: boolean,
    private readonly logStallMs: number
  ) {}

  start(totalMs: number, policyMs: number): void {
    this.total = setTimeout(() => {
      const cut = totalMs < policyMs
      const message = cut
        ? `${this.what}: no complete answer before the step's deadline (${seconds(totalMs)} left)`
        : `${this.what}: no complete answer within ${seconds(totalMs)}`
      this.controller.abort(new TimeBudgetError(cut ? 'deadline' : 'timeout', message, true))
    }, totalMs)
    this.armStall()
  }

  armStall(): void {
    if (!this.isLog) return
    clearTimeout(this.stall)
    this.stall = setTimeout(
      () => this.controller.abort(new TimeBudgetError('stall', `${this.what}: the log download stalled (no bytes for ${seconds(this.logStallMs)})`, true)),
      this.logStallMs
    )
  }

  clear(): void {
    clearTimeout(this.total)
    clearTimeout(this.stall)
  }

  /** What fetch or the body threw, as the budget's own error when the budget cut it off. */
  failure(error: unknown): unknown {
    return this.controller.signal.aborted ? this.controller.signal.reason : error
  }
}

/** Counts an API answer and reads its rate-limit headers and its Date. */
function observeAnswer(response: Response, options: BoundedFetchOptions): void {
  const { stats } = options
  stats.sent++
  if (response.status === 304) stats.notModified++
  const remaining = response.headers.get('x-ratelimit-remaining')
  const limit = response.headers.get('x-ratelimit-limit')
  const reset = response.headers.get('x-ratelimit-reset')
  if (remaining !== null) stats.remaining = Number(remaining)
  if (limit !== null) stats.limit = Number(limit)
  if (reset !== null && Number.isFinite(Number(reset))) stats.rateLimitResetMs = Number(reset) * 1000
  // The API's clock only: the log storage host is another service with a clock of its own.
  options.serverTime.observe(response.headers.get('date'))
}

/**
 * A log streamed to the caller: every chunk re-arms the stall timer; the end (or an error, or
 * the caller giving up) clears both timers.
 */
function streamedBody(response: Response, body: ReadableStream<Uint8Array>, timers: ExchangeTimers): Response {
  timers.armStall()
  const reader = body.getReader()
  const stream = new ReadableStream<Uint8Array>({
    async pull(out) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          timers.clear()
          out.close()
          return
        }
        timers.armStall()
        out.enqueue(value)
      } catch (error) {
        timers.clear()
        out.error(timers.failure(error))
      }
    },
    async cancel(reason) {
      timers.clear()
      await reader.cancel(reason).catch(() => undefined)
    }
  })
  return withBody(response, stream)
}

/** Read in full under the same budget: a body that stops coming fails here, visibly. */
async function bufferedBody(response: Response, timers: ExchangeTimers, what: string): Promise<Response> {
  try {
    const bytes = await response.arrayBuffer()
    return withBody(response, bytes)
  } catch (error) {
    const cause = timers.failure(error)
    if (cause instanceof TimeBudgetError) throw cause
    throw new Error(`${what}: the answer's body was cut off (${causeText(error)})`, { cause: error })
  } finally {
    timers.clear()
  }
}

export function boundedFetch(inner: typeof fetch, options: BoundedFetchOptions): typeof fetch {
  const { apiOrigin, budget } = options
  return async (input, init) => {
    const url = new URL(urlOf(input))
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const what = `${method} ${url.host}${url.pathname}`
    const isLog = method === 'GET' && url.origin === apiOrigin && LOG_PATH.test(url.pathname)

    const left = options.deadline + budget.wrapUpMs - options.now()
    if (left <= 0) {
      throw new TimeBudgetError('deadline', `${what} not sent: the step's deadline has passed`, false)
    }
    const policyMs = isLog ? budget.logMs : budget.requestMs
    const timers = new ExchangeTimers(what, isLog, budget.logStallMs)
    timers.start(Math.min(policyMs, left), policyMs)
    const signal = init?.signal ? AbortSignal.any([init.signal, timers.controller.signal]) : timers.controller.signal

    let response: Response
    try {
      response = await inner(input, { ...init, signal })
    } catch (error) {
      timers.clear()
      throw timers.failure(error)
    }
    if (url.origin === apiOrigin) observeAnswer(response, options)
    return isLog && response.body ? streamedBody(response, response.body, timers) : bufferedBody(response, timers, what)
  }
}
