// List endpoints: the runs filters (including GitHub's search syntax for `created`) and
// pagination with GitHub-style Link headers.

const RUN_STATUSES = new Set(['requested', 'queued', 'pending', 'waiting', 'in_progress', 'completed'])

export interface RunFacts {
  actor: string
  branch: string
  event: string
  status: string
  conclusion: string | null
  headSha: string
  checkSuiteId: number
  createdMs: number
}

export class BadQuery extends Error {}

/** A predicate for the runs list filters; throws BadQuery on a malformed `created`. */
export function runFilter(query: URLSearchParams): (run: RunFacts) => boolean {
  const actor = query.get('actor')
  const branch = query.get('branch')
  const event = query.get('event')
  const status = query.get('status')
  const headSha = query.get('head_sha')
  const checkSuite = query.get('check_suite_id')
  const created = query.get('created')
  const inCreated = created ? createdRange(created) : undefined
  return (run) => {
    if (actor && run.actor.toLowerCase() !== actor.toLowerCase()) return false
    if (branch && run.branch !== branch) return false
    if (event && run.event !== event) return false
    // `status` takes a status or a conclusion value.
    if (status && (RUN_STATUSES.has(status) ? run.status !== status : run.conclusion !== status)) return false
    if (headSha && run.headSha !== headSha) return false
    if (checkSuite && String(run.checkSuiteId) !== checkSuite) return false
    if (inCreated && !inCreated(run.createdMs)) return false
    return true
  }
}

/**
 * A date (`2026-11-01`) or date-time (`2026-11-01T10:00:00Z`, offset or no zone = UTC) as the
 * half-open interval of time it names: a whole day, or a whole second.
 */
function interval(text: string): [number, number] {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (date) {
    const start = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))
    if (Number.isNaN(start)) throw new BadQuery(`bad date ${text}`)
    return [start, start + 86_400_000]
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.test(text)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`
    const ms = Date.parse(zoned)
    if (Number.isNaN(ms)) throw new BadQuery(`bad date-time ${text}`)
    const start = Math.floor(ms / 1000) * 1000
    return [start, start + 1000]
  }
  throw new BadQuery(`bad date ${text}`)
}

/** GitHub search syntax for dates: `>=X`, `>X`, `<=X`, `<X`, `A..B` (`*` open), or `X`. */
export function createdRange(expression: string): (ms: number) => boolean {
  const text = expression.trim()
  const op = /^(>=|<=|>|<)(.+)$/.exec(text)
  if (op) {
    const [lo, hi] = interval((op[2] ?? '').trim())
    switch (op[1]) {
      case '>=':
        return (ms) => ms >= lo
      case '>':
        return (ms) => ms >= hi
      case '<=':
        return (ms) => ms < hi
      default:
        return (ms) => ms < lo
    }
  }
  const range = /^(.+)\.\.(.+)$/.exec(text)
  if (range) {
    const from = (range[1] ?? '').trim()
    const to = (range[2] ?? '').trim()
    const lo = from === '*' ? -Infinity : interval(from)[0]
    const hi = to === '*' ? Infinity : interval(to)[1]
    return (ms) => ms >= lo && ms < hi
  }
  const [lo, hi] = interval(text)
  return (ms) => ms >= lo && ms < hi
}

export interface Page<T> {
  items: T[]
  link: string | undefined
}

/**
 * GitHub's list-runs endpoints "will return up to 1,000 results for each search when using the
 * following parameters: actor, branch, check_suite_id, created, event, head_sha, status" (the
 * REST reference for GET /repos/{owner}/{repo}/actions/runs and …/workflows/{id}/runs, quoted in
 * @octokit/plugin-rest-endpoint-methods' docs, and the project's API notes). What lies beyond is
 * not documented; modelled on GitHub's search API, which has the same limit: `total_count` still
 * counts every match, the pages past the 1,000th result are empty, and the Link header's `last`
 * is the page holding the 1,000th result. Without those parameters every page is served.
 */
export const MAX_SEARCH_RESULTS = 1000
const CAPPED_PARAMETERS = ['actor', 'branch', 'check_suite_id', 'created', 'event', 'head_sha', 'status']

/** How many results of a runs list can be paged through (`Infinity` when no capped parameter is given). */
export function searchCap(query: URLSearchParams): number {
  return CAPPED_PARAMETERS.some((name) => (query.get(name) ?? '') !== '') ? MAX_SEARCH_RESULTS : Infinity
}

/**
 * Slices `items` by `per_page` (default 30, max 100) and `page`, and builds the Link header.
 * Only the first `cap` items can be reached: later pages are empty.
 */
export function paginate<T>(items: T[], query: URLSearchParams, baseUrl: string, cap = Infinity): Page<T> {
  const perPageRaw = Number.parseInt(query.get('per_page') ?? '', 10)
  const perPage = Number.isFinite(perPageRaw) && perPageRaw >= 1 ? Math.min(perPageRaw, 100) : 30
  const pageRaw = Number.parseInt(query.get('page') ?? '', 10)
  const page = Number.isFinite(pageRaw) && pageRaw >= 1 ? pageRaw : 1
  const reachable = items.length > cap ? items.slice(0, cap) : items
  const last = Math.max(1, Math.ceil(reachable.length / perPage))
  const pageItems = reachable.slice((page - 1) * perPage, page * perPage)

  const urlFor = (n: number): string => {
    const params = new URLSearchParams(query)
    params.set('page', String(n))
    return `${baseUrl}?${params.toString()}`
  }
  // GitHub's order: prev, next, last, first.
  const links: string[] = []
  if (page > 1) links.push(`<${urlFor(Math.min(page - 1, last))}>; rel="prev"`)
  if (page < last) links.push(`<${urlFor(page + 1)}>; rel="next"`, `<${urlFor(last)}>; rel="last"`)
  if (page > 1) links.push(`<${urlFor(1)}>; rel="first"`)
  return { items: pageItems, link: links.length ? links.join(', ') : undefined }
}
