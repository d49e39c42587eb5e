// Routes of the endpoints a gate that holds no runner uses beyond the Actions API: commit
// statuses (write, combined, list), a file's contents, a pull request and its changed files, and
// other apps' check runs (served with the runs' jobs by the commit's check-runs list, server.ts).
import { BadQuery, paginate } from './listing.js'
import type { OperationId } from './openapi.js'
import { DEFAULT_SHA, runSha, type PayloadContext } from './payloads.js'
import {
  combinedStatusPayload,
  contentDirectoryPayload,
  contentFilePayload,
  diffEntryPayload,
  externalCheckRunPayload,
  externalCheckRunStatus,
  pullFiles,
  pullRequestDetailPayload,
  statusPayload
} from './repo-payloads.js'
import { combinedState, MAX_DESCRIPTION_CHARACTERS, MAX_STATUSES_PER_CONTEXT, type StoredCheckRun } from './repo-state.js'
import type { CommitStatusState } from './scenario.js'
import type { Reply, Route, ServerState } from './server.js'

const DOCS = 'https://docs.github.com/rest'
const CREATE_STATUS_DOCS = `${DOCS}/commits/statuses#create-a-commit-status`

/**
 * "Responses include a maximum of 3000 files" (REST reference, "List pull requests files").
 * What comes past it is not documented: modelled like the capped run searches (listing.ts), the
 * pages past the 3,000th file are empty and `last` points at the page holding it; the pull
 * request's `changed_files` still counts every file.
 */
export const MAX_LISTED_PULL_FILES = 3000

function json(status: number, body: unknown, operationId?: OperationId, headers?: Record<string, string>): Reply {
  return { status, body, ...(operationId ? { operationId } : {}), ...(headers ? { headers } : {}) }
}

function notFound(docs: string, message = 'Not Found'): Reply {
  return json(404, { message, documentation_url: docs, status: '404' })
}

/** GitHub's validation failure: 422 `Validation Failed` with one error of `resource`. */
function validationFailed(error: Record<string, string>): Reply {
  return json(422, { message: 'Validation Failed', errors: [error], documentation_url: CREATE_STATUS_DOCS, status: '422' })
}

export interface RepoRouteHelpers {
  ctx: () => PayloadContext
  /** `https://api…/repos/{owner}/{repo}{path}`. */
  url: (path: string) => string
  /** The list as a `shifting-pages` fault shows it. */
  shifted: <T>(items: T[]) => T[]
  /** Who the request's token acts as (the creator of the statuses it posts). */
  login: () => string
}

/** Whether `sha` names a commit the scenario knows (GitHub refuses statuses on others). */
export function commitExists(state: ServerState, sha: string): boolean {
  const wanted = sha.toLowerCase()
  const known = [
    DEFAULT_SHA,
    ...[...state.runs.values()].map((run) => runSha(run.spec)),
    ...(state.scenario.pullRequests ?? []).map((pull) => pull.sha),
    ...(state.scenario.commits ?? []),
    ...state.repoState.shas()
  ]
  return known.some((candidate) => candidate.toLowerCase() === wanted)
}

/** A commit sha in a path: 40 hex digits (a branch name is not resolved here). */
function shaParameter(raw: string | undefined): string {
  return decodeURIComponent(raw ?? '').toLowerCase()
}

export function repoRoutes(state: ServerState, helpers: RepoRouteHelpers): Route[] {
  return [...statusRoutes(state, helpers), ...contentRoutes(state, helpers), ...pullRoutes(state, helpers), commitRoute(state, helpers)]
}

interface StatusBody {
  state: CommitStatusState
  target_url?: string | null
  description?: string | null
  context?: string
}

function statusRoutes(state: ServerState, helpers: RepoRouteHelpers): Route[] {
  const { ctx, url, shifted } = helpers
  return [
    {
      method: 'POST',
      pattern: /^\/statuses\/([^/]+)$/,
      request: 'repos/create-commit-status',
      handle: (m, _q, t, body) => createStatus(state, helpers, shaParameter(m[1]), body as StatusBody, t)
    },
    {
      method: 'GET',
      pattern: /^\/commits\/([^/]+)\/status$/,
      handle: (m, query, t) => {
        const sha = shaParameter(m[1])
        const docs = `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`
        // Assumption: an unknown commit is a 404 (the OpenAPI description lists one), with the
        // words GitHub uses for it when a status is posted on it.
        if (!commitExists(state, sha)) return notFound(docs, `No commit found for SHA: ${sha}`)
        const latest = state.repoState.latestPerContext(sha, t)
        // "The most recent status for each context is returned, up to 100. This field paginates
        // if there are over 100 contexts" (REST reference): per_page/page apply to `statuses`.
        const page = paginate(shifted(latest), query, url(`/commits/${sha}/status`))
        const body = combinedStatusPayload(ctx(), sha, combinedState(latest), page.items, latest.length)
        return json(200, body, 'repos/get-combined-status-for-ref', page.link ? { link: page.link } : undefined)
      }
    },
    {
      method: 'GET',
      pattern: /^\/commits\/([^/]+)\/statuses$/,
      handle: (m, query, t) => {
        // Newest first ("The first status in the list will be the latest one"). An unknown
        // commit: an empty list (the description lists no 404 for this endpoint).
        const sha = shaParameter(m[1])
        const page = paginate(shifted(state.repoState.statuses(sha, t)), query, url(`/commits/${sha}/statuses`))
        const body = page.items.map((status) => statusPayload(ctx(), status))
        return json(200, body, 'repos/list-commit-statuses-for-ref', page.link ? { link: page.link } : undefined)
      }
    }
  ]
}

/**
 * POST /statuses/{sha}, checked as GitHub checks it (the body's schema has been checked by the
 * router already: a bad `state` is a 422 there): the commit must exist (422 "No commit found for
 * SHA", as quoted in kubernetes/test-infra#21987), the description at most 140 characters, and
 * the context below 1,000 statuses on this commit (422, "This SHA and context has reached the
 * maximum number of statuses.", as quoted in palantir/policy-bot#470 and
 * screwdriver-cd/screwdriver#387).
 */
function createStatus(state: ServerState, helpers: RepoRouteHelpers, sha: string, body: StatusBody, t: number): Reply {
  if (!commitExists(state, sha)) return json(422, { message: `No commit found for SHA: ${sha}`, documentation_url: CREATE_STATUS_DOCS, status: '422' })
  const description = body.description ?? null
  if (description !== null && [...description].length > MAX_DESCRIPTION_CHARACTERS) {
    return validationFailed({
      resource: 'Status',
      code: 'custom',
      field: 'description',
      message: `description is too long (maximum is ${MAX_DESCRIPTION_CHARACTERS} characters)`
    })
  }
  const context = body.context ?? 'default'
  if (state.repoState.countInContext(sha, context, t) >= MAX_STATUSES_PER_CONTEXT) {
    return validationFailed({ resource: 'Status', code: 'custom', message: 'This SHA and context has reached the maximum number of statuses.' })
  }
  const stored = state.repoState.store({
    sha,
    context,
    state: body.state,
    description,
    targetUrl: body.target_url ?? null,
    creator: helpers.login(),
    t,
    source: 'api'
  })
  return json(201, statusPayload(helpers.ctx(), stored), 'repos/create-commit-status', { location: helpers.url(`/statuses/${sha}`) })
}

/**
 * GET /git/commits/{sha}: a commit's message (what skip directives are read from), in the git
 * commit shape of the OpenAPI description; 404 for a commit the scenario does not know.
 */
function commitRoute(state: ServerState, helpers: RepoRouteHelpers): Route {
  return {
    method: 'GET',
    pattern: /^\/git\/commits\/([0-9a-f]{40})$/,
    handle: (m) => {
      const sha = m[1] ?? ''
      if (!commitExists(state, sha)) return notFound(`${DOCS}/git/commits#get-a-commit-object`)
      const person = { name: 'Mona Lisa', email: 'mona@example.com', date: '2026-12-01T10:00:00Z' }
      const url = helpers.url(`/git/commits/${sha}`)
      return json(
        200,
        {
          sha,
          node_id: `C_${sha.slice(0, 12)}`,
          url,
          html_url: url
            .replace('/api/v3', '')
            .replace(/\/repos\//, '/')
            .replace('/git/commits/', '/commit/'),
          author: person,
          committer: person,
          message: state.scenario.commitMessages?.[sha] ?? `Update ${sha.slice(0, 7)}`,
          tree: { sha: 'f'.repeat(40), url: helpers.url(`/git/trees/${'f'.repeat(40)}`) },
          parents: [],
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
        },
        'git/get-commit'
      )
    }
  }
}

function contentRoutes(state: ServerState, helpers: RepoRouteHelpers): Route[] {
  const docs = `${DOCS}/repos/contents#get-repository-content`
  return [
    {
      method: 'GET',
      pattern: /^\/contents\/(.+)$/,
      handle: (m, query) => {
        // Octokit sends the path's slashes as %2F; GitHub takes both forms.
        const path = decodeURIComponent(m[1] ?? '').replace(/\/+$/, '')
        const asked = query.get('ref') ?? undefined
        const ref = asked ?? state.scenario.defaultBranch ?? 'main'
        const file = state.repoState.file(ref, path)
        if (file) return json(200, contentFilePayload(helpers.ctx(), file, asked), 'repos/get-content')
        const entries = state.repoState.directory(ref, path)
        if (entries.length > 0) return json(200, contentDirectoryPayload(helpers.ctx(), entries, asked), 'repos/get-content')
        return notFound(docs)
      }
    }
  ]
}

function pullRoutes(state: ServerState, helpers: RepoRouteHelpers): Route[] {
  const docs = `${DOCS}/pulls/pulls#get-a-pull-request`
  const pull = (number: string | undefined) => (state.scenario.pullRequests ?? []).find((candidate) => String(candidate.number) === number)
  return [
    {
      method: 'GET',
      pattern: /^\/pulls\/(\d+)$/,
      handle: (m, _q, t) => {
        const found = pull(m[1])
        if (!found) return notFound(docs)
        return json(200, pullRequestDetailPayload(helpers.ctx(), found, state.scenario.defaultBranch ?? 'main', t), 'pulls/get')
      }
    },
    {
      method: 'GET',
      pattern: /^\/pulls\/(\d+)\/files$/,
      handle: (m, query) => {
        const found = pull(m[1])
        if (!found) return notFound(`${DOCS}/pulls/pulls#list-pull-requests-files`)
        const files = pullFiles(found)
        const page = paginate(helpers.shifted(files), query, helpers.url(`/pulls/${found.number}/files`), MAX_LISTED_PULL_FILES)
        const body = page.items.map((file) => diffEntryPayload(helpers.ctx(), found, file))
        return json(200, body, 'pulls/list-files', page.link ? { link: page.link } : undefined)
      }
    }
  ]
}

/** One entry of a check-runs list: a job's check run or another app's. */
export interface CheckRunEntry {
  name: string
  status: string
  appId: number
  payload: () => Record<string, unknown>
}

/**
 * Other apps' check runs on `sha` at `t`. `filter=latest` (GitHub's default, documented as "the
 * most recent check runs") keeps the newest per app and name: a re-requested check is a new check
 * run of the same name (API-NOTES, "Commit statuses and the events a runner-free gate uses").
 */
export function externalCheckRunEntries(state: ServerState, ctx: PayloadContext, sha: string, query: URLSearchParams, t: number): CheckRunEntry[] {
  const filter = query.get('filter') ?? 'latest'
  if (filter !== 'latest' && filter !== 'all') throw new BadQuery(`filter: ${filter}`)
  let runs = state.repoState.checkRuns(sha, t)
  if (filter === 'latest') {
    const newest = new Map<string, StoredCheckRun>()
    for (const run of runs) newest.set(`${run.app}\n${run.name}`, run) // oldest first: the last one wins
    runs = runs.filter((run) => newest.get(`${run.app}\n${run.name}`) === run)
  }
  return runs.map((run) => {
    const payload = externalCheckRunPayload(ctx, run, t)
    return { name: run.name, status: externalCheckRunStatus(run, t), appId: Number((payload['app'] as { id: number }).id), payload: () => payload }
  })
}
