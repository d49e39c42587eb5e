// The failures the GitHub client can end in, as classes callers can tell apart: a write whose
// outcome is unknown, a body that is not what the endpoint promises, a list that changed while
// it was paged, a request cut off by its time budget, a Link to another host. `isTransient` says
// which of them (and of Octokit's own errors) are worth asking again.

/** The HTTP status of an Octokit error, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** Whether an Octokit error has this HTTP status. */
export function isStatus(error: unknown, status: number): boolean {
  return statusOf(error) === status
}

/** A response header of an Octokit error (lower-case name), when it has one. */
function headerOf(error: unknown, name: string): string | undefined {
  const value = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers?.[name]
  return value === undefined || value === null ? undefined : String(value)
}

/**
 * A refusal for a rate limit rather than for a permission (API-NOTES, "Rate limits"): 429; or 403
 * with `x-ratelimit-remaining: 0` (primary) or a `retry-after` (secondary); or, for a secondary
 * limit that sent neither header, GitHub's documented message.
 */
export function isRateLimited(error: unknown): boolean {
  const status = statusOf(error)
  if (status === 429) return true
  if (status !== 403) return false
  return headerOf(error, 'x-ratelimit-remaining') === '0' || headerOf(error, 'retry-after') !== undefined || /secondary rate limit/i.test(messageOf(error))
}

/**
 * A read refused for want of a permission the token may lack (403, or 404, which GitHub answers
 * for what the token may not see), as opposed to a rate limit, which is the client's to wait out.
 */
export function isPermissionRefusal(error: unknown): boolean {
  const status = statusOf(error)
  return (status === 403 || status === 404) && !isRateLimited(error)
}

/** A thing asked for by name or id that the repository does not have (404), said in words. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(what)
    this.name = 'NotFoundError'
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * A request cut off by the client's time budget: `timeout` (the exchange took longer than one
 * request may), `stall` (a log download sent no bytes for too long), `deadline` (the step's time
 * ran out). `sent` is false when the request was refused before anything went on the wire.
 */
export class TimeBudgetError extends Error {
  constructor(
    readonly kind: 'timeout' | 'stall' | 'deadline',
    message: string,
    readonly sent: boolean
  ) {
    super(message)
    this.name = 'TimeBudgetError'
  }
}

/** The cause of an Octokit error (it wraps what fetch threw), or the error itself. */
export function budgetErrorOf(error: unknown): TimeBudgetError | undefined {
  if (error instanceof TimeBudgetError) return error
  const cause = (error as { cause?: unknown } | null)?.cause
  return cause instanceof TimeBudgetError ? cause : undefined
}

/**
 * A 200 whose body is not what the endpoint returns (HTML from a proxy, `{}`, JSON cut short,
 * missing fields). Its `status` is 502, "an invalid answer from upstream", so the retry plugin
 * asks again like for any bad gateway; the body itself came with 200.
 */
export class MalformedBodyError extends Error {
  readonly status = 502
  /** Set by the client so the retry plugin recognises the request it may repeat. */
  request?: unknown
  constructor(
    /** `GET /repos/o/r/actions/runs/5`: method and path (with query), no host. */
    readonly endpoint: string,
    /** `a workflow run`, `a list of jobs`. */
    readonly expected: string,
    /** What is wrong, e.g. `no numeric id; no string status`. */
    readonly problem: string
  ) {
    super(`GitHub answered ${endpoint} with a body that is not ${expected} (${problem}).`)
    this.name = 'MalformedBodyError'
  }
}

/** A paged list whose pages disagreed with each other (items moved between requests), every time it was read. */
export class InconsistentListError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reads: number,
    detail: string
  ) {
    super(`The list ${endpoint} changed while it was being paged, ${reads} reads in a row (${detail}); not using a partial list.`)
    this.name = 'InconsistentListError'
  }
}

/** A `Link: rel="next"` (or any request) pointing off the API's origin: refused, the token never leaves. */
export class ForeignOriginError extends Error {
  constructor(
    readonly url: string,
    readonly apiOrigin: string
  ) {
    super(
      `Refused to request ${url}: it is not on the GitHub API's origin (${apiOrigin}), and the token is sent only there. A Link header pointing elsewhere is not followed.`
    )
    this.name = 'ForeignOriginError'
  }
}

/**
 * A write (POST, PUT, PATCH, DELETE) that got no clear answer: a 5xx, a reset connection, a
 * timeout. GitHub may or may not have acted on it; the client did not send it again. Read the
 * state back (the run, its attempt, its jobs) to find out what happened.
 */
export class AmbiguousWriteError extends Error {
  constructor(
    /** `POST /repos/o/r/actions/runs/5/cancel`. */
    readonly endpoint: string,
    /** The HTTP status when one came (5xx), null for a network error, a reset or a timeout. */
    readonly status: number | null,
    /** The original error's message. */
    readonly reason: string,
    options?: { cause?: unknown }
  ) {
    super(
      `${endpoint} got no clear answer (${status === null ? reason : `${status}: ${reason}`}): GitHub may or may not have done it, and it was not sent again.`,
      options
    )
    this.name = 'AmbiguousWriteError'
  }
}

/**
 * Whether the error of a write leaves its outcome unknown: a 5xx, or a failure of the exchange
 * itself (reset, timeout) after the request went out. A 4xx is a clear refusal; a request the
 * client refused to send (deadline passed, foreign origin) did not happen.
 */
export function isAmbiguousWriteFailure(error: unknown): boolean {
  if (error instanceof ForeignOriginError) return false
  const budget = budgetErrorOf(error)
  if (budget) return budget.sent
  const status = statusOf(error)
  if (status !== undefined) return status >= 500
  // No status at all: something failed on the way (an abort, a socket error).
  return error instanceof Error
}

/** Wraps a write's failure as an AmbiguousWriteError when its outcome is unknown; anything else as it was. */
export function classifyWriteFailure(endpoint: string, error: unknown): unknown {
  if (error instanceof AmbiguousWriteError || !isAmbiguousWriteFailure(error)) return error
  const status = statusOf(error)
  // Octokit reports network errors (and aborts) as status 500 without a response.
  const response = (error as { response?: unknown }).response
  const realStatus = status !== undefined && status >= 500 && response !== undefined ? status : null
  return new AmbiguousWriteError(endpoint, realStatus, messageOf(error), { cause: error })
}

/**
 * Whether asking again (a GET) may well succeed: a 5xx, a network error, a timeout, a malformed
 * body, a list that shifted while paged. Not: 4xx answers, a refused foreign origin, a deadline
 * that has passed, an ambiguous write (writes are never repeated blindly).
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof AmbiguousWriteError || error instanceof ForeignOriginError) return false
  if (error instanceof MalformedBodyError || error instanceof InconsistentListError) return true
  const budget = budgetErrorOf(error)
  if (budget) return budget.kind !== 'deadline'
  const status = statusOf(error)
  if (status !== undefined) return status >= 500
  return false
}
