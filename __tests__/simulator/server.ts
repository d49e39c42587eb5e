// HTTP routing for the two origins: the REST API (auth, rate limit, ETags, faults, OpenAPI
// checks of request and response bodies around the route handlers) and the log storage the
// job-logs and run-logs endpoints redirect to.
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline, type Readable } from 'node:stream'
import type { VirtualClock } from './clock.js'
import type { FaultQueue } from './faults.js'
import { HTML_PAGE, primaryRateLimitBody, secondaryRateLimitBody } from './faults.js'
import { BadQuery, paginate, runFilter, searchCap, type RunFacts } from './listing.js'
import type { LogSigner } from './logs.js'
import { archiveKey, jobLogChunks, jobLogStream } from './logs.js'
import type { JobPlan, Refusal, RerunKind, RunModel } from './model.js'
import { decodeJobId, jobStatus, MESSAGES } from './model.js'
import { validateRequest, validateResponse, type OperationId } from './openapi.js'
import type { PayloadContext } from './payloads.js'
import {
  approvalsPayload,
  checkRunPayload,
  deploymentPayload,
  jobPayload,
  notFound,
  pendingDeploymentsPayload,
  pullRequestPayload,
  repositoryPayload,
  runPayload,
  runSha,
  timingPayload,
  visibleJobs,
  workflowPayload
} from './payloads.js'
import { refusedForPermission } from './permissions.js'
import type { RateLimiter } from './ratelimit.js'
import { rateHeaders } from './ratelimit.js'
import { externalCheckRunEntries, repoRoutes, type CheckRunEntry } from './repo-routes.js'
import type { RepoState } from './repo-state.js'
import type { Fault, RecordedRequest, RunSpec, Scenario, SimulatorOptions, TokenSpec, WorkflowSpec } from './scenario.js'

/**
 * Seconds between a dispatch answered without run details and its run showing in the lists: an
 * assumption (GitHub documents none); a few seconds is what makes "find the run I started" hard.
 */
const DISPATCH_DELAY_SECONDS = 2
/** The id of the GitHub Actions app, whose check runs are the jobs (payloads.ts). */
const ACTIONS_APP_ID = 15368
/** Who a token acts as unless SimulatorOptions.tokens says: a GITHUB_TOKEN. */
const DEFAULT_LOGIN = 'github-actions[bot]'
import { zipStream, type ZipEntry } from './zip.js'

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
  dispatchAnswer: NonNullable<SimulatorOptions['dispatchAnswer']>
  /** Per token: what it may do beyond the Actions endpoints (SimulatorOptions.tokens). */
  tokens: Record<string, TokenSpec>
  /** Adds a run (the Simulator's addRun: run numbers, checks). */
  addRun: (spec: RunSpec) => void
  /** Commit statuses, other apps' check runs, files. */
  repoState: RepoState
}

export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Set for success replies that have a schema in the OpenAPI extract. */
  operationId?: OperationId
}

/** `body` is the parsed JSON request body (undefined when none), already checked against `request`'s schema. */
type Handler = (match: RegExpExecArray, query: URLSearchParams, t: number, body: unknown) => Reply

export interface Route {
  method: string
  pattern: RegExp
  handle: Handler
  /** The operation whose request-body schema a body sent to this route must match. */
  request?: OperationId
}

/** A request body as read: parsed JSON, nothing, or text that is not JSON. */
type ParsedBody = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'invalid'; text: string }

let requestCounter = 0

function json(status: number, body: unknown, operationId?: OperationId, headers?: Record<string, string>): Reply {
  return { status, body, ...(operationId ? { operationId } : {}), ...(headers ? { headers } : {}) }
}

const NOT_FOUND: Reply = { status: 404, body: notFound() }

function refusal(refused: Refusal): Reply {
  return json(refused.status, { message: refused.message, documentation_url: refused.documentationUrl, status: String(refused.status) })
}

/**
 * The archive's file for a job's log: `{position}_{job name}.txt`, position counting the archive's
 * files from 0. A slash in the name would make a folder, so it is replaced by `_`.
 */
export function archiveEntryName(position: number, jobName: string): string {
  return `${position}_${jobName.replace(/[/\\]/g, '_')}.txt`
}

/** The jobs whose logs one attempt's archive holds: its effective set, those that ran and still have a log. */
export function archiveJobs(run: RunModel, attempt: number, t: number): JobPlan[] {
  return run.plan(attempt).effective.filter((job) => run.hasLog(job, t))
}

/** Whether an attempt's archive can be downloaded at `t`: completed, and some log of it left (or it had none). */
function archiveAvailable(run: RunModel, attempt: number, t: number): boolean {
  if (run.runState(attempt, t).status !== 'completed') return false
  const plan = run.plan(attempt)
  const ran = plan.effective.filter((job) => job.ran)
  return ran.length === 0 ? !run.logsDeleted() : ran.some((job) => run.hasLog(job, t))
}

async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return { kind: 'none' }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown }
  } catch {
    return { kind: 'invalid', text }
  }
}

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

/** Per request, set before the route runs. */
interface RouteFlags {
  /** `shifting-pages` (a fault): lists are paged with their first item moved to the end. */
  shiftPages: boolean
  /** The token's login (TokenSpec.login): who a status it posts is created by. */
  login: string
}

/** The list as a `shifting-pages` fault shows it: its first item moved to the end. */
function shifted<T>(items: T[], flags: RouteFlags): T[] {
  return flags.shiftPages && items.length > 1 ? [...items.slice(1), items[0] as T] : items
}

/** The route table for everything under /repos/{owner}/{repo}/actions, and the repository's few other endpoints. */
function routes(state: ServerState, flags: RouteFlags): Route[] {
  const ctx = (): PayloadContext => payloadContext(state)
  const repoPath = (): string => `/repos/${state.scenario.owner}/${state.scenario.repo}`

  const visibleRun = (id: string | undefined, t: number): RunModel | undefined => {
    const run = state.runs.get(Number(id))
    return run && run.visible(t) ? run : undefined
  }
  const findWorkflow = (key: string | undefined): WorkflowSpec | undefined =>
    state.scenario.workflows.find((w) => !w.required && (String(w.id) === key || w.file === key))

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
    const page = paginate(shifted(matching, flags), query, url, searchCap(query))
    const body = {
      total_count: matching.length,
      workflow_runs: page.items.map((run) => runPayload(ctx(), run, run.latestAttempt(t), t))
    }
    return json(200, body, operationId, page.link ? { link: page.link } : undefined)
  }

  const listJobs = (jobs: JobPlan[], run: RunModel, query: URLSearchParams, t: number, url: string, operationId: OperationId): Reply => {
    const visible = visibleJobs(jobs, t)
    const page = paginate(shifted(visible, flags), query, url)
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

  /** The check runs of job executions that exist at `t`. */
  const jobCheckRuns = (executions: { run: RunModel; job: JobPlan }[], t: number): CheckRunEntry[] =>
    executions
      .filter(({ job }) => job.created <= t)
      .map(({ run, job }) => ({ name: job.spec.name, status: jobStatus(job, t), appId: ACTIONS_APP_ID, payload: () => checkRunPayload(ctx(), run, job, t) }))

  /** Check runs filtered by `status`, `check_name` and `app_id`, paginated. */
  const listCheckRuns = (entries: CheckRunEntry[], query: URLSearchParams, listUrl: string, operationId: OperationId): Reply => {
    const status = query.get('status')
    if (status !== null && !['queued', 'in_progress', 'completed'].includes(status)) throw new BadQuery(`status: ${status}`)
    const name = query.get('check_name')
    const app = query.get('app_id')
    const visible = entries.filter(
      (entry) => (status === null || entry.status === status) && (name === null || entry.name === name) && (app === null || String(entry.appId) === app)
    )
    const page = paginate(shifted(visible, flags), query, listUrl)
    const body = { total_count: visible.length, check_runs: page.items.map((entry) => entry.payload()) }
    return json(200, body, operationId, page.link ? { link: page.link } : undefined)
  }

  const defaultBranch = (): string => state.scenario.defaultBranch ?? 'main'
  const gateRoutes = repoRoutes(state, { ctx, url, shifted: (items) => shifted(items, flags), login: () => flags.login })
  return [
    ...gateRoutes,
    {
      method: 'GET',
      pattern: /^$/,
      handle: () => json(200, repositoryPayload(ctx(), `${state.scenario.owner}/${state.scenario.repo}`, defaultBranch()), 'repos/get')
    },
    {
      method: 'GET',
      pattern: /^\/pulls$/,
      handle: (_m, query) => {
        // `state` open (GitHub's default), closed or all; newest first (the default sort,
        // `created` descending), then by number.
        const wanted = query.get('state') ?? 'open'
        if (!['open', 'closed', 'all'].includes(wanted)) throw new BadQuery(`state: ${wanted}`)
        const listed = (state.scenario.pullRequests ?? [])
          .filter((pull) => wanted === 'all' || (pull.state ?? 'open') === wanted)
          .sort((a, b) => (b.at ?? 0) - (a.at ?? 0) || b.number - a.number)
        const page = paginate(shifted(listed, flags), query, url('/pulls'))
        return json(
          200,
          page.items.map((pull) => pullRequestPayload(ctx(), pull, defaultBranch())),
          'pulls/list',
          page.link ? { link: page.link } : undefined
        )
      }
    },
    {
      method: 'GET',
      pattern: /^\/commits\/([^/]+)\/check-runs$/,
      handle: (m, query, t) => {
        // Every execution of every run on the commit (each attempt a check suite), then other
        // apps' check runs. Assumptions: for `filter=latest` (the default), which GitHub
        // documents only as "the most recent check runs", the newest execution per check suite
        // and name, which is every job execution here, and the newest per app and name of other
        // apps' (repo-routes.ts); the order (by run, then job, then other apps' by creation),
        // which GitHub does not document and the action does not rely on.
        const sha = decodeURIComponent(m[1] ?? '')
        const executions = [...state.runs.values()]
          .filter((run) => run.visible(t) && runSha(run.spec) === sha)
          .sort((a, b) => a.spec.id - b.spec.id)
          .flatMap((run) => Array.from({ length: run.latestAttempt(t) }, (_, i) => run.plan(i + 1).own.map((job) => ({ run, job }))).flat())
        const entries = [...jobCheckRuns(executions, t), ...externalCheckRunEntries(state, ctx(), sha, query, t)]
        return listCheckRuns(entries, query, url(`/commits/${m[1] ?? ''}/check-runs`), 'checks/list-for-ref')
      }
    },
    {
      method: 'GET',
      pattern: /^\/check-suites\/(\d+)\/check-runs$/,
      handle: (m, query, t) => {
        const suite = Number(m[1])
        const run = visibleRun(String(Math.floor(suite / 10)), t)
        const attempt = suite % 10
        if (!run || attempt < 1 || attempt > run.latestAttempt(t)) return NOT_FOUND
        const executions = run.plan(attempt).own.map((job) => ({ run, job }))
        return listCheckRuns(jobCheckRuns(executions, t), query, url(`/check-suites/${suite}/check-runs`), 'checks/list-for-suite')
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs$/,
      handle: (_m, query, t) => listRuns(query, t, url('/actions/runs'), 'actions/list-workflow-runs-for-repo')
    },
    {
      method: 'GET',
      pattern: /^\/workflows$/,
      handle: (_m, query) => {
        // The repository's own workflows (a ruleset's required workflow lives elsewhere), by id.
        const listed = state.scenario.workflows.filter((w) => !w.required && !w.unlisted).sort((a, b) => a.id - b.id)
        const page = paginate(listed, query, url('/actions/workflows'))
        return json(
          200,
          { total_count: listed.length, workflows: page.items.map((w) => workflowPayload(ctx(), w)) },
          'actions/list-repo-workflows',
          page.link ? { link: page.link } : undefined
        )
      }
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
        // Logs exist once a job that ran has completed, until they are deleted. GitHub documents no
        // 410 for deleted logs (only the 302), so that is a 404 too.
        if (!found || !found.run.hasLog(found.job, t)) return NOT_FOUND
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
        return run ? json(200, approvalsPayload(ctx(), run.spec, run.reviews(t)), 'actions/get-reviews-for-run') : NOT_FOUND
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
        const body = waiting ? pendingDeploymentsPayload(ctx(), run.pendingDeployments(attempt, t), run.plan(attempt)) : []
        return json(200, body, 'actions/get-pending-deployments-for-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/runs\/(\d+)\/cancel$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        if (!run.cancel(t)) return cancelConflict('cancel-a-workflow-run')
        return json(202, {}, 'actions/cancel-workflow-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/runs\/(\d+)\/force-cancel$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        if (!run.cancel(t, true)) return cancelConflict('force-cancel-a-workflow-run')
        return json(202, {}, 'actions/force-cancel-workflow-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/workflows\/([^/]+)\/dispatches$/,
      request: 'actions/create-workflow-dispatch',
      handle: (m, _q, t, body) => dispatch(findWorkflow(m[1]), body as { ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean }, t)
    },
    rerunRoute(/^\/runs\/(\d+)\/rerun$/, 'all', 'actions/re-run-workflow'),
    rerunRoute(/^\/runs\/(\d+)\/rerun-failed-jobs$/, 'failed', 'actions/re-run-workflow-failed-jobs'),
    {
      method: 'POST',
      pattern: /^\/jobs\/(\d+)\/rerun$/,
      request: 'actions/re-run-job-for-workflow-run',
      handle: (m, _q, t, body) => {
        const found = visibleJob(m[1], t)
        if (!found) return NOT_FOUND
        const refused = found.run.rerun('job', t, { jobId: found.job.id, debug: debugRequested(body) })
        return refused ? refusal(refused) : json(201, {}, 'actions/re-run-job-for-workflow-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/runs\/(\d+)\/approve$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const refused = run.approve(t)
        return refused ? refusal(refused) : json(201, {}, 'actions/approve-workflow-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/runs\/(\d+)\/pending_deployments$/,
      request: 'actions/review-pending-deployments-for-run',
      handle: (m, _q, t, body) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const { environment_ids: ids, state: decision, comment } = body as { environment_ids: number[]; state: 'approved' | 'rejected'; comment: string }
        const outcome = run.reviewDeployments(t, ids, decision, comment)
        if ('status' in outcome) return refusal(outcome)
        const { review } = outcome
        // Assumption: an approval answers the deployments it creates; a rejection creates none.
        const deployments = review.state === 'approved' ? review.deployments.map((d) => deploymentPayload(ctx(), run.spec, review, d)) : []
        return json(200, deployments, 'actions/review-pending-deployments-for-run')
      }
    },
    {
      method: 'POST',
      pattern: /^\/runs\/(\d+)\/deployment_protection_rule$/,
      request: 'actions/review-custom-gates-for-run',
      handle: (m, _q, t, body) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const { environment_name: name, state: decision, comment } = body as { environment_name: string; state?: 'approved' | 'rejected'; comment?: string }
        const refused = run.reviewCustomGate(t, name, decision, comment ?? '')
        return refused ? refusal(refused) : { status: 204 }
      }
    },
    {
      method: 'DELETE',
      pattern: /^\/runs\/(\d+)$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const refused = run.delete(t)
        return refused ? refusal(refused) : { status: 204 }
      }
    },
    {
      method: 'DELETE',
      pattern: /^\/runs\/(\d+)\/logs$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const refused = run.deleteLogs(t)
        return refused ? refusal(refused) : { status: 204 }
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/logs$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        return run ? archiveRedirect(run, run.latestAttempt(t), t) : NOT_FOUND
      }
    },
    {
      method: 'GET',
      pattern: /^\/runs\/(\d+)\/attempts\/(\d+)\/logs$/,
      handle: (m, _q, t) => {
        const run = visibleRun(m[1], t)
        const attempt = Number(m[2])
        if (!run || attempt < 1 || attempt > run.latestAttempt(t)) return NOT_FOUND
        return archiveRedirect(run, attempt, t)
      }
    }
  ]

  /**
   * Starts a `workflow_dispatch` run. The 404/422 answers are GitHub's as callers quote them
   * (`Unexpected inputs provided: ["x"]`, `Workflow does not have 'workflow_dispatch' trigger`,
   * seen in public code that handles them); the wording of the refusal of `return_run_details` by
   * a server that does not know it is an assumption (API-NOTES says only 400 or 422, naming it).
   * With run details the run exists when the answer is sent;
   * without, it shows up a moment later (DISPATCH_DELAY_SECONDS), which is why callers that get
   * no id have to look for it.
   */
  function dispatch(
    workflow: WorkflowSpec | undefined,
    body: { ref: string; inputs?: Record<string, unknown>; return_run_details?: boolean },
    t: number
  ): Reply {
    if (!workflow) return NOT_FOUND
    if (!workflow.dispatch)
      return json(422, {
        message: "Workflow does not have 'workflow_dispatch' trigger",
        documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
        status: '422'
      })
    const asked = body.return_run_details === true
    if (asked && state.dispatchAnswer === 'unknown-field') {
      return json(422, {
        message: 'Invalid request.\n\n"return_run_details" is not a permitted key.',
        documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
        status: '422'
      })
    }
    const inputs = body.inputs ?? {}
    const unexpected = Object.keys(inputs).filter((name) => !(workflow.dispatch?.inputs ?? []).includes(name))
    if (unexpected.length > 0) {
      return json(422, {
        message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
        documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
        status: '422'
      })
    }
    const details = asked && state.dispatchAnswer === 'run-details'
    const id = Math.max(0, ...state.runs.keys()) + 1
    const title = (workflow.dispatch.runName ?? workflow.name).replace(/\{([^}]+)\}/g, (_all, name: string) => String(inputs[name] ?? ''))
    state.addRun({
      id,
      workflow: workflow.file,
      event: 'workflow_dispatch',
      branch: body.ref.replace(/^refs\/heads\//, ''),
      title,
      attempts: [{ at: Math.floor(t) + (details ? 0 : DISPATCH_DELAY_SECONDS), jobs: workflow.dispatch.jobs }]
    })
    if (!details) return { status: 204 }
    const runPath = `${repoPath()}/actions/runs/${id}`
    return json(
      200,
      {
        workflow_run_id: id,
        run_url: `${state.apiUrl}${runPath}`,
        html_url: `${state.serverUrl}/${state.scenario.owner}/${state.scenario.repo}/actions/runs/${id}`
      },
      'actions/create-workflow-dispatch'
    )
  }

  function cancelConflict(anchor: string): Reply {
    return json(409, { message: MESSAGES.cancelCompleted, documentation_url: `https://docs.github.com/rest/actions/workflow-runs#${anchor}`, status: '409' })
  }

  function rerunRoute(pattern: RegExp, kind: RerunKind, operationId: OperationId): Route {
    return {
      method: 'POST',
      pattern,
      request: operationId,
      handle: (m, _q, t, body) => {
        const run = visibleRun(m[1], t)
        if (!run) return NOT_FOUND
        const refused = run.rerun(kind, t, { debug: debugRequested(body) })
        return refused ? refusal(refused) : json(201, {}, operationId)
      }
    }
  }

  /** Run-log archives exist once the attempt completed, until the logs are deleted. */
  function archiveRedirect(run: RunModel, attempt: number, t: number): Reply {
    if (attempt < 1 || !archiveAvailable(run, attempt, t)) return NOT_FOUND
    return { status: 302, headers: { location: state.signer.archiveUrl(state.logOrigin, run.spec.id, attempt, Date.now()) } }
  }
}

function debugRequested(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { enable_debug_logging?: unknown }).enable_debug_logging === true
}

/** Request handler for the API origin. */
export function apiHandler(state: ServerState): (req: IncomingMessage, res: ServerResponse) => void {
  const flags: RouteFlags = { shiftPages: false, login: DEFAULT_LOGIN }
  const table = routes(state, flags)
  return (req, res) => {
    handleApi(state, table, flags, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
      state.violations.push(`${req.method ?? '?'} ${req.url ?? '?'}: simulator error: ${message}`)
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ message: 'Server Error' }))
      } else res.destroy()
    })
  }
}

/** Faults that let the request be handled and then change how its answer goes out. */
type AnswerFault = Extract<Fault, { kind: 'lost-reply' | 'stall-after-headers' | 'truncate-body' | 'foreign-link' }>

/** Sends the first `bytes` of `text`, then ends, destroys the socket or goes silent. */
function sendTruncated(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  text: string,
  fault: Extract<Fault, { kind: 'truncate-body' }>
): void {
  const full = Buffer.from(text)
  const part = full.subarray(0, Math.min(full.length, fault.bytes ?? Math.floor(full.length / 2)))
  const then = fault.then ?? 'destroy'
  // A clean end is chunked (no length promised); otherwise the length promises the whole body.
  res.writeHead(status, then === 'end' ? headers : { ...headers, 'content-length': String(full.length) })
  if (then === 'end') {
    res.end(part)
    return
  }
  res.write(part, () => {
    if (then === 'destroy') res.socket?.destroy()
  })
}

/** The Link header with every URL on the API's origin moved to `origin`, or a rel="next" there. */
function foreignLink(link: string | undefined, apiUrl: string, origin: string, pathname: string): string {
  const apiOrigin = new URL(apiUrl).origin
  if (link) return link.split(apiOrigin).join(origin)
  return `<${origin}${pathname}?page=2>; rel="next", <${origin}${pathname}?page=2>; rel="last"`
}

async function handleApi(state: ServerState, table: Route[], flags: RouteFlags, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    realMs,
    atMs: state.clock.nowMs()
  }
  state.requests.push(record)
  let parsed: ParsedBody
  try {
    parsed = await readBody(req)
  } catch {
    req.socket.destroy() // the client went away while sending: nothing to answer (status stays 0)
    return
  }
  if (parsed.kind === 'json') record.body = parsed.value
  else if (parsed.kind === 'invalid') record.body = parsed.text

  /** Set by a fault that changes how the (normally handled) answer goes out. */
  let answerFault: AnswerFault | undefined
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
    switch (answerFault?.kind) {
      case 'lost-reply':
        // Done, but the client never learns it.
        if (answerFault.reply === 'reset') {
          record.status = 0
          req.socket.destroy()
          return
        }
        record.status = answerFault.status ?? 502
        res.writeHead(record.status, { date: headers.date ?? '', 'content-type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ message: 'Bad Gateway' }))
        return
      case 'stall-after-headers':
        res.writeHead(reply.status, headers)
        res.flushHeaders()
        return
      case 'truncate-body':
        sendTruncated(res, reply.status, headers, text, answerFault)
        return
      case 'foreign-link':
        headers.link = foreignLink(headers.link, state.apiUrl, answerFault.origin ?? state.logOrigin, url.pathname)
        break
    }
    res.writeHead(reply.status, headers)
    record.bytes = Buffer.byteLength(text)
    res.end(text)
  }

  const fault = state.faults.take(method, path, url.searchParams)
  if (fault) {
    switch (fault.kind) {
      case 'lost-reply':
      case 'stall-after-headers':
      case 'truncate-body':
      case 'foreign-link':
        answerFault = fault
        break
      case 'shifting-pages':
        break // applied when the route runs
      case 'html-200':
        // A proxy's page: GitHub never saw the request.
        record.status = 200
        res.writeHead(200, { date: new Date(state.clock.nowMs()).toUTCString(), 'content-type': 'text/html; charset=utf-8' })
        res.end(HTML_PAGE)
        return
      case 'empty-object':
        send({ status: 200, body: {} }, true)
        return
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
        send(
          { status: 403, body: secondaryRateLimitBody(), ...(fault.retryAfter !== undefined ? { headers: { 'retry-after': String(fault.retryAfter) } } : {}) },
          true
        )
        return
      case 'primary-rate-limit': {
        const limit = String(state.limiter.limit)
        send({ status: 403, body: primaryRateLimitBody() }, true, {
          'x-ratelimit-limit': limit,
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': limit,
          'x-ratelimit-reset': String(fault.resetAt ?? Math.ceil((Date.now() + state.clock.skewMs) / 1000 + fault.resetInSeconds)),
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
  const refused = inPrefix ? refusedForPermission(state.tokens, token, method, path) : undefined
  if (refused) {
    send(refused, true)
    return
  }

  if (inPrefix && path === '/rate_limit' && method === 'GET') {
    // GitHub: "Accessing this endpoint does not count against your REST API rate limit" (its
    // secondary limits still apply, since the changelog of 2023-10-18).
    const rate = state.limiter.state(token)
    const core = { limit: rate.limit, remaining: rate.remaining, used: rate.used, reset: rate.reset }
    const search = { limit: 30, remaining: 30, used: 0, reset: rate.reset }
    const reply = json(200, { resources: { core, search }, rate: core }, 'rate-limit/get')
    if (state.validate) for (const problem of validateResponse('rate-limit/get', reply.body)) state.violations.push(`${method} ${path}: ${problem}`)
    send(reply, false)
    return
  }

  let reply: Reply
  flags.shiftPages = fault?.kind === 'shifting-pages'
  flags.login = state.tokens[token]?.login ?? DEFAULT_LOGIN
  try {
    reply = route(state, table, inPrefix ? path : undefined, method, url.searchParams, parsed)
  } finally {
    flags.shiftPages = false
    flags.login = DEFAULT_LOGIN
  }

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

function route(state: ServerState, table: Route[], path: string | undefined, method: string, query: URLSearchParams, parsed: ParsedBody): Reply {
  if (path === undefined) return NOT_FOUND
  // The Actions endpoints, the commit's check runs and statuses (`/commits/{ref}/…`), a check
  // suite's check runs, statuses, contents, pull requests and the repository itself.
  const repo = /^\/repos\/([^/]+)\/([^/]+)(?:\/actions(\/.*)|(\/(?:commits|check-suites|statuses|contents|pulls|git\/commits)\/.*|\/pulls|))$/.exec(path)
  if (!repo) return NOT_FOUND
  const sameName = (a: string | undefined, b: string): boolean => decodeURIComponent(a ?? '').toLowerCase() === b.toLowerCase()
  if (!sameName(repo[1], state.scenario.owner) || !sameName(repo[2], state.scenario.repo)) return NOT_FOUND
  const rest = repo[3] ?? repo[4] ?? ''
  const t = state.clock.now()
  for (const candidate of table) {
    const match = candidate.pattern.exec(rest)
    if (!match || candidate.method !== method) continue
    let body: unknown
    if (candidate.request) {
      // Request bodies are checked against GitHub's schema: a client sending a wrong one is a
      // violation, answered as GitHub does (400 for non-JSON, 422 for a schema mismatch).
      if (parsed.kind === 'invalid') {
        state.violations.push(`${method} ${path}: request body: not JSON`)
        return json(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' })
      }
      body = parsed.kind === 'json' ? parsed.value : undefined
      const problems = validateRequest(candidate.request, body)
      if (problems.length > 0) {
        for (const problem of problems) state.violations.push(`${method} ${path}: request body: ${problem}`)
        return json(422, { message: `Invalid request.\n\n${problems.join('\n')}`, documentation_url: 'https://docs.github.com/rest', status: '422' })
      }
    }
    try {
      return candidate.handle(match, query, t, body)
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
      realMs: Date.now(),
      atMs: state.clock.nowMs()
    }
    state.requests.push(record)
    req.resume()
    const plain = (status: number, text: string): void => {
      record.status = status
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', date: new Date(state.clock.nowMs()).toUTCString() })
      res.end(text)
    }

    const fault = state.faults.take(method, url.pathname, url.searchParams)
    if (fault?.kind === 'reset') {
      req.socket.destroy()
      return
    }
    if (fault?.kind === 'status') return plain(fault.status, typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body ?? 'Simulated'))
    if (fault?.kind === 'html-200') {
      record.status = 200
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', date: new Date(state.clock.nowMs()).toUTCString() })
      res.end(HTML_PAGE)
      return
    }
    /** Streams a log or an archive, as the fault (if any) lets it: all of it, headers only, or a part. */
    const stream = (source: Readable): void => {
      // A delayed answer whose client gave up meanwhile: nobody to send it to.
      if (res.destroyed) {
        source.destroy()
        return
      }
      if (fault?.kind === 'stall-after-headers') {
        res.flushHeaders()
        source.destroy()
        return
      }
      if (fault?.kind === 'truncate-body') {
        void streamPart(source, res, fault.bytes ?? 64, fault.then ?? 'destroy')
        return
      }
      source.on('data', (chunk: Buffer) => {
        record.bytes = (record.bytes ?? 0) + chunk.length
      })
      pipeline(source, res, () => undefined)
    }

    const match = /^\/logs\/(\d+)$/.exec(url.pathname)
    const archive = /^\/archives\/(\d+)\/(\d+)$/.exec(url.pathname)
    if (method !== 'GET' || (!match && !archive)) return plain(404, 'Not Found')
    // Like the real storage host: a token must never reach it, and links expire.
    if (record.authorization) return plain(403, 'Authorization header not allowed on signed log URLs')
    const key = match ? Number(match[1]) : archiveKey(Number(archive?.[1]), Number(archive?.[2]))
    const verdict = state.signer.check(key, url.searchParams.get('expires') ?? undefined, url.searchParams.get('sig') ?? undefined, Date.now())
    if (verdict !== 'ok') return plain(403, verdict === 'expired' ? 'Signed URL expired' : 'Signature mismatch')
    const t = state.clock.now()
    const epochMs = (s: number): number => state.clock.epochMs(s)

    let serve: () => void
    if (match) {
      const jobId = Number(match[1])
      const run = state.runs.get(decodeJobId(jobId).runId)
      const job = run?.findJob(jobId)
      if (!run || !job || !run.visible(t) || !run.hasLog(job, t)) return plain(404, 'Not Found')
      serve = () => {
        record.status = 200
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', date: new Date(state.clock.nowMs()).toUTCString() })
        stream(jobLogStream(job, epochMs))
      }
    } else {
      const runId = Number(archive?.[1])
      const attempt = Number(archive?.[2])
      const run = state.runs.get(runId)
      if (!run || !run.visible(t) || attempt < 1 || attempt > run.latestAttempt(t) || !archiveAvailable(run, attempt, t)) return plain(404, 'Not Found')
      const entries: ZipEntry[] = archiveJobs(run, attempt, t).map((job, position) => ({
        name: archiveEntryName(position, job.name),
        modifiedMs: epochMs(job.end),
        chunks: () => jobLogChunks(job, epochMs)
      }))
      serve = () => {
        record.status = 200
        res.writeHead(200, {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename=logs_${runId}.zip`,
          date: new Date(state.clock.nowMs()).toUTCString()
        })
        stream(zipStream(entries))
      }
    }
    if (fault?.kind === 'delay') {
      // Not served to a client that went away meanwhile (nor keeping the process alive for it).
      const timer = setTimeout(serve, fault.ms)
      res.on('close', () => clearTimeout(timer))
    } else serve()
  }
}

/** Writes the first `bytes` of `source`, then ends, destroys the socket, or goes silent. */
async function streamPart(source: Readable, res: ServerResponse, bytes: number, then: 'destroy' | 'end' | 'stall'): Promise<void> {
  let sent = 0
  for await (const chunk of source) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    const part = buffer.subarray(0, bytes - sent)
    sent += part.length
    if (part.length > 0) res.write(part)
    if (sent >= bytes) break
  }
  source.destroy()
  if (then === 'end') res.end()
  else if (then === 'destroy') res.write('', () => res.socket?.destroy())
}
