// HTTP routing for the two origins: the REST API (auth, rate limit, ETags, faults, OpenAPI
// checks around the route handlers) and the log storage the job-logs endpoint redirects to.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream'
import type { VirtualClock } from './clock.js'
import type { FaultQueue } from './faults.js'
import { primaryRateLimitBody, secondaryRateLimitBody } from './faults.js'
import { BadQuery, paginate, runFilter, type RunFacts } from './listing.js'
import type { LogSigner } from './logs.js'
import { jobLogStream } from './logs.js'
import type { JobPlan, RunModel } from './model.js'
import { decodeJobId, jobStatus } from './model.js'
import { validateResponse, type OperationId } from './openapi.js'
import type { PayloadContext } from './payloads.js'
import {
  approvalsPayload,
  jobPayload,
  notFound,
  pendingDeploymentsPayload,
  runPayload,
  runSha,
  timingPayload,
  visibleJobs,
  workflowPayload
} from './payloads.js'
import type { RateLimiter } from './ratelimit.js'
import { rateHeaders } from './ratelimit.js'
import type { RecordedRequest, Scenario, WorkflowSpec } from './scenario.js'

export interface ServerState {
  scenario: Scenario
  runs: Map<number, RunModel>
  clock: VirtualClock
  faults: FaultQueue
  limiter: RateLimiter
  signer: LogSigner
  requests: RecordedRequest[]
  violations: string[]
  validate: boolean
  pathPrefix: string
  serverUrl: string
  /** Filled in once both servers listen. */
  apiUrl: string
  logOrigin: string
}

interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Set for success replies that have a schema in the OpenAPI extract. */
  operationId?: OperationId
}

type Handler = (match: RegExpExecArray, query: URLSearchParams, t: number) => Reply

interface Route {
  method: string
  pattern: RegExp
  handle: Handler
}

let requestCounter = 0

function json(status: number, body: unknown, operationId?: OperationId, headers?: Record<string, string>): Reply {
  return { status, body, ...(operationId ? { operationId } : {}), ...(headers ? { headers } : {}) }
}

const NOT_FOUND: Reply = { status: 404, body: notFound() }

function tokenOf(header: string | undefined): string | undefined {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function payloadContext(state: ServerState): PayloadContext {
  return {
    apiUrl: state.apiUrl,
    serverUrl: state.serverUrl,
    owner: state.scenario.owner,
    repo: state.scenario.repo,
    clock: state.clock,
    workflows: state.scenario.workflows
  }
}

/** The route table for everything under /repos/{owner}/{repo}/actions. */
function routes(state: ServerState): Route[] {
  const ctx = (): PayloadContext => payloadContext(state)
  const repoPath = (): string => `/repos/${state.scenario.owner}/${state.scenario.repo}`

  const visibleRun = (id: string | undefined, t: number): RunModel | undefined => {
    const run = state.runs.get(Number(id))
    return run && run.visible(t) ? run : undefined
  }
  const findWorkflow = (key: string | undefined): WorkflowSpec | undefined =>
    state.scenario.workflows.find((w) => String(w.id) === key || w.file === key)

  const listRuns = (query: URLSearchParams, t: number, url: string, operationId: OperationId, workflow?: WorkflowSpec): Reply => {
    const keep = runFilter(query)
    const matching = [...state.runs.values()]
      .filter((run) => run.visible(t) && (!workflow || run.spec.workflow === workflow.file))
      .filter((run) => {
        const attempt = run.latestAttempt(t)
        const runState = run.runState(attempt, t)
        const facts: RunFacts = {
          actor: run.spec.actor ?? 'octocat',
          branch: run.spec.branch ?? 'main',
          event: run.spec.event ?? 'push',
          status: runState.status,
          conclusion: runState.conclusion,
          headSha: runSha(run.spec),
          checkSuiteId: run.spec.id * 10 + attempt,
          createdMs: state.clock.epochMs(run.createdAt)
        }
        return keep(facts)
      })
      .sort((a, b) => b.createdAt - a.createdAt || b.spec.id - a.spec.id) // newest first
    const page = paginate(matching, query, url)
    const body = {
      total_count: matching.length,
      workflow_runs: page.items.map((run) => runPayload(ctx(), run, run.latestAttempt(t), t))
    }
    return json(200, body, operationId, page.link ? { link: page.link } : undefined)
  }

  const listJobs = (jobs: JobPlan[], run: RunModel, query: URLSearchParams, t: number, url: string, operationId: OperationId): Reply => {
    const visible = visibleJobs(jobs, t)
    const page = paginate(visible, query, url)
    const body = { total_count: visible.length, jobs: page.items.map((job) => jobPayload(ctx(), run, job, t)) }
    return json(200, body, operationId, page.link ? { link: page.link } : undefined)
  }

  /** The job with this id if it exists at `t` (its attempt created, the job itself created). */
  const visibleJob = (id: string | undefined, t: number): { run: RunModel; job: JobPlan } | undefined => {
    const jobId = Number(id)
    const run = state.runs.get(decodeJobId(jobId).runId)
    if (!run || !run.visible(t)) return undefined
    const job = run.findJob(jobId)
    if (!job || job.attempt > run.latestAttempt(t) || job.created > t) return undefined
    return { run, job }
  }

  const url = (path: string): string => `${state.apiUrl}${repoPath()}${path}`

  return [
    {
      method: 'GET',
      pattern: /^\/runs$/,
      handle: (_m, query, t) => listRuns(query, t, url('/actions/runs'), 'actions/list-workflow-runs-for-repo')
    },
    {
      method: 'GET',
      pattern: /^\/workflows\/([^/]+)$/,
      handle: (m) => {
        const workflow = findWorkflow(m[1])
        return workflow ? json(200, workflowPayload(ctx(), workflow), 'actions/get-workflow') : NOT_FOUND
      }
    },
    {
      method: 'GET',
      pattern: /^\/workflows\/([^/]+)\/runs$/,
      handle: (m, query, t) => {
        const workflow = findWorkflow(m[1])
        if (!workflow) return NOT_FOUND
        return listRuns(query, t, url(`/actions/workflows/${m[1] ?? ''}/runs`), 'actions/list-workflow-runs', workflow)
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        return run ? json(200, runPayload(ctx(), run, run.latestAttempt(t), t), 'actions/get-workflow-run') : NOT_FOUND
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/attempts\/(\d+)$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        const attempt = Number(m[2])
        if (!run || attempt < 1 || attempt > run.latestAttempt(t)) return NOT_FOUND
        return json(200, runPayload(ctx(), run, attempt, t), 'actions/get-workflow-run-attempt')
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/jobs$/,
      handle: (m, query, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const latest = run.latestAttempt(t)
        const jobs = query.get('filter') === 'all' ? run.allExecutions(latest) : run.plan(latest).effective
        return listJobs(jobs, run, query, t, url(`/actions/runs/${run.spec.id}/jobs`), 'actions/list-jobs-for-workflow-run')
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/,
      handle: (m, query, t) => {
        const run = visibleRun(m[1], t)
        const attempt = Number(m[2])
        if (!run || attempt < 1 || attempt > run.latestAttempt(t)) return NOT_FOUND
        const path = `/actions/runs/${run.spec.id}/attempts/${attempt}/jobs`
        return listJobs(run.plan(attempt).effective, run, query, t, url(path), 'actions/list-jobs-for-workflow-run-attempt')
      }
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/(\d+)$/,
      handle: (m, _q, t) => {
        const found = visibleJob(m[1], t)
        return found ? json(200, jobPayload(ctx(), found.run, found.job, t), 'actions/get-job-for-workflow-run') : NOT_FOUND
      }
    },
    {
      method: 'GET',
      pattern: /^\/jobs\/(\d+)\/logs$/,
      handle: (m, _q, t) => {
        const found = visibleJob(m[1], t)
        // Logs exist once a job that ran has completed.
        if (!found || !found.job.ran || jobStatus(found.job, t) !== 'completed') return NOT_FOUND
        return { status: 302, headers: { location: state.signer.url(state.logOrigin, found.job.id, Date.now()) } }
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/timing$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        return run ? json(200, timingPayload(run.plan(run.latestAttempt(t)), t), 'actions/get-workflow-run-usage') : NOT_FOUND
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/approvals$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        return run ? json(200, approvalsPayload(ctx(), run.spec), 'actions/get-reviews-for-run') : NOT_FOUND
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/pending_deployments$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const attempt = run.latestAttempt(t)
        const waiting = run.runState(attempt, t).status === 'waiting'
        const body = waiting ? pendingDeploymentsPayload(ctx(), run.spec, run.plan(attempt)) : []
        return json(200, body, 'actions/get-pending-deployments-for-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/runs\/(\d+)\/cancel$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        if (!run.cancel(t)) {
          return json(409, {
            message: 'Cannot cancel a workflow run that is completed.',
            documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run',
            status: '409'
          })
        }
        return json(202, {}, 'actions/cancel-workflow-run')
      }
    }
  ]
}

/** Request handler for the API origin. */
export function apiHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  const table = routes(state)
  return (req, res) => {
    handleApi(state, table, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      state.violations.push(`${req.method ?? '?'} ${req.url ?? '?'}: simulator error: ${message}`)
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ message: 'Server Error' }))
      } else res.destroy()
    })
  }
}

async function handleApi(state: ServerState, table: Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const realMs = Date.now()
  const url = new URL(req.url ?? '/', 'http://simulator')
  const method = (req.method ?? 'GET').toUpperCase()
  const prefix = state.pathPrefix
  const inPrefix = prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)
  const path = inPrefix ? url.pathname.slice(prefix.length) || '/' : url.pathname
  const authorization = req.headers.authorization
  const token = tokenOf(authorization)
  const record: RecordedRequest = {
    origin: 'api',
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    status: 0,
    counted: false,
    authorization: authorization !== undefined,
    conditional: req.headers['if-none-match'] !== undefined,
    realMs
  }
  state.requests.push(record)
  req.resume() // bodies (cancel's) are not needed

  const send = (reply: Reply, counted: boolean, rateOverride?: Record<string, string>): void => {
    if (counted && token) state.limiter.count(token)
    record.status = reply.status
    record.counted = counted && token !== undefined
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body)
    const headers: Record<string, string> = {
      date: new Date(state.clock.nowMs()).toUTCString(),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `51A0:${(++requestCounter).toString(16).toUpperCase().padStart(6, '0')}`,
      ...(token ? rateHeaders(state.limiter.state(token)) : {}),
      ...rateOverride,
      ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...reply.headers
    }
    res.writeHead(reply.status, headers)
    res.end(text)
  }

  const fault = state.faults.take(method, path)
  if (fault) {
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy()
        return
      case 'delay':
        await sleep(fault.ms)
        break
      case 'status': {
        const body = fault.body === undefined ? { message: `Simulated ${fault.status}`, documentation_url: 'https://docs.github.com/rest' } : fault.body
        send({ status: fault.status, body, ...(fault.headers ? { headers: fault.headers } : {}) }, fault.status !== 304)
        return
      }
      case 'secondary-rate-limit':
        send({ status: 403, body: secondaryRateLimitBody(), ...(fault.retryAfter !== undefined ? { headers: { 'retry-after': String(fault.retryAfter) } } : {}) }, true)
        return
      case 'primary-rate-limit': {
        const limit = String(state.limiter.limit)
        send({ status: 403, body: primaryRateLimitBody() }, true, {
          'x-ratelimit-limit': limit,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': limit,
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000 + fault.resetInSeconds)),
          'x-ratelimit-resource': 'core'
        })
        return
      }
    }
  }

  if (!token) {
    send({ status: 401, body: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest', status: '401' } }, false)
    return
  }
  if (state.limiter.exhausted(token)) {
    send({ status: 403, body: primaryRateLimitBody() }, true)
    return
  }

  const reply = route(state, table, inPrefix ? path : undefined, method, url.searchParams)

  if (method === 'GET' && reply.status === 200 && reply.body !== undefined) {
    const text = JSON.stringify(reply.body)
    const etag = `W/"${createHash('sha256').update(text).digest('hex')}"`
    reply.headers = { ...reply.headers, etag }
    const ifNoneMatch = req.headers['if-none-match']
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((candidate) => candidate.trim() === etag)) {
      // 304s are free: not counted against the rate limit.
      send({ status: 304, headers: { etag } }, false)
      return
    }
  }
  if (state.validate && reply.operationId && reply.body !== undefined) {
    for (const problem of validateResponse(reply.operationId, reply.body)) state.violations.push(`${method} ${path}: ${problem}`)
  }
  send(reply, true)
}

function route(state: ServerState, table: Route[], path: string | undefined, method: string, query: URLSearchParams): Reply {
  if (path === undefined) return NOT_FOUND
  const repo = /^\/repos\/([^/]+)\/([^/]+)\/actions(\/.*)$/.exec(path)
  if (!repo) return NOT_FOUND
  const sameName = (a: string | undefined, b: string): boolean => decodeURIComponent(a ?? '').toLowerCase() === b.toLowerCase()
  if (!sameName(repo[1], state.scenario.owner) || !sameName(repo[2], state.scenario.repo)) return NOT_FOUND
  const rest = repo[3] ?? ''
  const t = state.clock.now()
  for (const candidate of table) {
    const match = candidate.pattern.exec(rest)
    if (!match || candidate.method !== method) continue
    try {
      return candidate.handle(match, query, t)
    } catch (error) {
      if (error instanceof BadQuery) {
        return json(422, { message: 'Validation Failed', errors: [error.message], documentation_url: 'https://docs.github.com/rest', status: '422' })
      }
      throw error
    }
  }
  return NOT_FOUND
}

/** Request handler for the log storage origin. */
export function logHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://logs')
    const method = (req.method ?? 'GET').toUpperCase()
    const record: RecordedRequest = {
      origin: 'logs',
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      counted: false,
      authorization: req.headers.authorization !== undefined,
      conditional: req.headers['if-none-match'] !== undefined,
      realMs: Date.now()
    }
    state.requests.push(record)
    req.resume()
    const plain = (status: number, text: string): void => {
      record.status = status
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', date: new Date(state.clock.nowMs()).toUTCString() })
      res.end(text)
    }

    const fault = state.faults.take(method, url.pathname)
    if (fault?.kind === 'reset') {
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') return plain(fault.status, typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? 'Simulated'))

    const match = /^\/logs\/(\d+)$/.exec(url.pathname)
    if (method !== 'GET' || !match) return plain(404, 'Not Found')
    // Like the real storage host: a token must never reach it, and links expire.
    if (record.authorization) return plain(403, 'Authorization header not allowed on signed log URLs')
    const jobId = Number(match[1])
    const verdict = state.signer.check(jobId, url.searchParams.get('expires') ?? undefined, url.searchParams.get('sig') ?? undefined, Date.now())
    if (verdict !== 'ok') return plain(403, verdict === 'expired' ? 'Signed URL expired' : 'Signature mismatch')
    const run = state.runs.get(decodeJobId(jobId).runId)
    const job = run?.findJob(jobId)
    const t = state.clock.now()
    if (!job || !job.ran || jobStatus(job, t) !== 'completed') return plain(404, 'Not Found')

    const serve = (): void => {
      record.status = 200
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', date: new Date(state.clock.nowMs()).toUTCString() })
      pipeline(jobLogStream(job, (s) => state.clock.epochMs(s)), res, () => undefined)
    }
    if (fault?.kind === 'delay') setTimeout(serve, fault.ms)
    else serve()
  }
}
