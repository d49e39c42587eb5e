// Event payloads (what GITHUB_EVENT_PATH holds) for the events a gate that holds no runner is
// woken by: workflow_run (requested, completed), pull_request_target (opened, synchronize,
// reopened: GitHub sends it the pull_request payload), check_run (created, completed) and status.
// Each builder fills every field GitHub's OpenAPI description requires of the webhook payload
// (__tests__/simulator/events.test.ts checks them against it); repositories, users and URLs are
// the simulator's (payloads.ts), so an event and the simulator's answers name the same things.
import type { components } from '@octokit/openapi-types'
import { createHash } from 'node:crypto'
import { VirtualClock } from '../simulator/clock.js'
import { minimalRepository, nodeId, pullRequestPayload, repositoryPayload, simpleUser, stableId, type PayloadContext } from '../simulator/payloads.js'
import type { PullRequestSpec } from '../simulator/scenario.js'

type Schemas = components['schemas']
export type WorkflowRunEvent = Schemas['webhook-workflow-run-requested'] | Schemas['webhook-workflow-run-completed']
export type PullRequestTargetEvent =
  Schemas['webhook-pull-request-opened'] | Schemas['webhook-pull-request-synchronize'] | Schemas['webhook-pull-request-reopened']
export type CheckRunEvent = Schemas['webhook-check-run-created'] | Schemas['webhook-check-run-completed']
export type StatusEvent = Schemas['webhook-status']

/** The repository the event is about. */
export interface EventRepository {
  owner: string
  repo: string
  /** Default 'main'. */
  defaultBranch?: string
  /** Default 'https://github.com' / 'https://api.github.com', as on github.com (events carry GitHub's URLs, not the simulator's). */
  serverUrl?: string
  apiUrl?: string
}

/** A fixed time for what the builders do not take (a repository's creation, a workflow's): 2026-01-01. */
const EPOCH_MS = Date.UTC(2026, 0, 1)
/** When the caller gives no time: GitHub's `YYYY-MM-DDTHH:MM:SSZ`. */
const DEFAULT_AT = '2026-11-20T10:00:00Z'

function payloadContext(repository: EventRepository): PayloadContext {
  return {
    apiUrl: repository.apiUrl ?? 'https://api.github.com',
    serverUrl: repository.serverUrl ?? 'https://github.com',
    owner: repository.owner,
    repo: repository.repo,
    clock: new VirtualClock(1, () => EPOCH_MS),
    workflows: []
  }
}

/** The event's `repository`: the full repository, plus the fields webhooks add. */
function eventRepository(ctx: PayloadContext, fullName: string, defaultBranch: string): Record<string, unknown> {
  return {
    ...repositoryPayload(ctx, fullName, defaultBranch),
    visibility: 'public',
    topics: [],
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false
  }
}

function sha40(text: string): string {
  return createHash('sha1').update(text).digest('hex')
}

export interface WorkflowRunOptions {
  action: 'requested' | 'completed'
  id: number
  /** The workflow's `name:` (what `workflow_run.workflows` lists). */
  name: string
  /** `.github/workflows/ci.yml`. */
  path: string
  headSha: string
  headBranch?: string
  /** Default: `queued` when requested, `completed` when completed. */
  status?: 'requested' | 'in_progress' | 'completed' | 'queued' | 'pending' | 'waiting'
  /** Required when completed (GitHub sends null before). */
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'timed_out' | 'action_required' | 'stale' | 'skipped' | 'startup_failure' | null
  runAttempt?: number
  runNumber?: number
  /** The event that started the run (default 'pull_request'). */
  event?: string
  workflowId?: number
  createdAt?: string
  updatedAt?: string
  /** `owner/repo` of a fork the run's head is in; default this repository. */
  headRepository?: string
  /** The pull requests GitHub lists for the run (same-repository ones only; a fork's run lists none). */
  pullRequests?: { number: number; headRef: string; baseRef: string }[]
  actor?: string
}

/** `workflow_run` (requested or completed): the run that woke the gate is `workflow_run`. */
export function workflowRunEvent(repository: EventRepository, options: WorkflowRunOptions): WorkflowRunEvent {
  const ctx = payloadContext(repository)
  const here = `${repository.owner}/${repository.repo}`
  const api = `${ctx.apiUrl}/repos/${here}`
  const runUrl = `${api}/actions/runs/${options.id}`
  const attempt = options.runAttempt ?? 1
  const workflowId = options.workflowId ?? stableId(`workflow:${options.path}`)
  const checkSuiteId = stableId(`suite:${options.id}:${attempt}`)
  const actor = simpleUser(ctx, options.actor ?? 'octocat')
  const createdAt = options.createdAt ?? DEFAULT_AT
  const completed = options.action === 'completed'
  const headBranch = options.headBranch ?? 'feature'
  const workflowRun = {
    id: options.id,
    name: options.name,
    node_id: nodeId('WFR', options.id),
    check_suite_id: checkSuiteId,
    check_suite_node_id: nodeId('CS', checkSuiteId),
    head_branch: headBranch,
    head_sha: options.headSha,
    path: options.path,
    display_title: `Run ${options.id}`,
    run_number: options.runNumber ?? 1,
    event: options.event ?? 'pull_request',
    status: options.status ?? (completed ? 'completed' : 'queued'),
    conclusion: completed ? (options.conclusion ?? 'success') : (options.conclusion ?? null),
    workflow_id: workflowId,
    url: runUrl,
    html_url: `${ctx.serverUrl}/${here}/actions/runs/${options.id}`,
    pull_requests: runPullRequests(ctx, options),
    created_at: createdAt,
    updated_at: options.updatedAt ?? createdAt,
    actor,
    triggering_actor: actor,
    run_attempt: attempt,
    referenced_workflows: [],
    run_started_at: createdAt,
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuiteId}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: attempt > 1 ? `${runUrl}/attempts/${attempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${workflowId}`,
    head_commit: {
      id: options.headSha,
      tree_id: sha40(`tree:${options.headSha}`),
      message: `Change ${options.headSha.slice(0, 7)}`,
      timestamp: createdAt,
      author: { name: 'Octo Cat', email: 'octocat@users.noreply.github.com' },
      committer: { name: 'GitHub', email: 'noreply@github.com' }
    },
    repository: minimalRepository(ctx),
    head_repository: minimalRepository(ctx, options.headRepository ?? here)
  }
  return {
    action: options.action,
    repository: eventRepository(ctx, here, repository.defaultBranch ?? 'main'),
    sender: actor,
    workflow: eventWorkflow(ctx, repository.defaultBranch ?? 'main', options.name, options.path, workflowId),
    workflow_run: workflowRun
  } as unknown as WorkflowRunEvent
}

/** The pull requests a run lists (GitHub lists same-repository ones only). */
function runPullRequests(ctx: PayloadContext, options: WorkflowRunOptions): Record<string, unknown>[] {
  const here = `${ctx.owner}/${ctx.repo}`
  const api = `${ctx.apiUrl}/repos/${here}`
  const repo = { id: stableId(`repo:${here}`), name: ctx.repo, url: api }
  return (options.pullRequests ?? []).map((pull) => ({
    id: stableId(`pull:${here}#${pull.number}`),
    number: pull.number,
    url: `${api}/pulls/${pull.number}`,
    head: { ref: pull.headRef, sha: options.headSha, repo },
    base: { ref: pull.baseRef, sha: sha40(`base:${pull.baseRef}`), repo }
  }))
}

/** The event's `workflow`: the run's workflow as GET /workflows/{id} shows it. */
function eventWorkflow(ctx: PayloadContext, defaultBranch: string, name: string, path: string, id: number): Record<string, unknown> {
  const here = `${ctx.owner}/${ctx.repo}`
  const created = new Date(EPOCH_MS).toISOString().replace('.000Z', 'Z')
  return {
    id,
    node_id: nodeId('W', id),
    name,
    path,
    state: 'active',
    created_at: created,
    updated_at: created,
    url: `${ctx.apiUrl}/repos/${here}/actions/workflows/${id}`,
    html_url: `${ctx.serverUrl}/${here}/blob/${defaultBranch}/${path}`,
    badge_url: `${ctx.serverUrl}/${here}/workflows/${encodeURIComponent(name)}/badge.svg`
  }
}

export interface PullRequestTargetOptions {
  action: 'opened' | 'synchronize' | 'reopened'
  number: number
  headSha: string
  /** Default 'pr-<number>'. */
  headRef?: string
  /** Default the repository's default branch. */
  baseRef?: string
  /** `owner/repo` of the fork the head is in (`head.repo.fork` is then true). */
  fork?: string
  /** synchronize: the head before the push (default a made-up sha). */
  before?: string
  author?: string
  draft?: boolean
  title?: string
  at?: string
}

/**
 * `pull_request_target`: the pull_request payload (GitHub sends the same one), about the pull
 * request's head (`pull_request.head.sha`) and base (`pull_request.base.ref`).
 */
export function pullRequestTargetEvent(repository: EventRepository, options: PullRequestTargetOptions): PullRequestTargetEvent {
  const ctx = payloadContext(repository)
  const defaultBranch = repository.defaultBranch ?? 'main'
  const spec: PullRequestSpec = {
    number: options.number,
    sha: options.headSha,
    ...(options.headRef === undefined ? {} : { branch: options.headRef }),
    ...(options.fork === undefined ? {} : { fork: options.fork }),
    ...(options.author === undefined ? {} : { author: options.author }),
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.baseRef === undefined ? {} : { base: options.baseRef }),
    ...(options.draft === undefined ? {} : { draft: options.draft })
  }
  const listed = pullRequestPayload(ctx, spec, defaultBranch)
  const at = options.at ?? DEFAULT_AT
  const here = `${repository.owner}/${repository.repo}`
  const pull = {
    ...listed,
    created_at: at,
    updated_at: at,
    // The webhook's pull request is the full one (GET /pulls/{n}); mergeability is being computed.
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 1,
    deletions: 1,
    changed_files: 1,
    head: { ...(listed['head'] as Record<string, unknown>), repo: eventRepository(ctx, options.fork ?? here, defaultBranch) },
    base: { ...(listed['base'] as Record<string, unknown>), repo: eventRepository(ctx, here, defaultBranch) }
  }
  return {
    action: options.action,
    number: options.number,
    ...(options.action === 'synchronize' ? { before: options.before ?? sha40(`before:${options.headSha}`), after: options.headSha } : {}),
    pull_request: pull,
    repository: eventRepository(ctx, here, defaultBranch),
    sender: listed['user']
  } as unknown as PullRequestTargetEvent
}

export interface CheckRunOptions {
  action: 'created' | 'completed'
  /** Another app's slug ('vercel'); 'github-actions' for a job's own check run. */
  app: string
  name: string
  headSha: string
  id?: number
  /** Default `in_progress` when created. */
  status?: 'queued' | 'in_progress'
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale'
  startedAt?: string
  completedAt?: string
}

/** `check_run` (created or completed) of another app; filter on `check_run.app.slug`. */
export function checkRunEvent(repository: EventRepository, options: CheckRunOptions): CheckRunEvent {
  const ctx = payloadContext(repository)
  const here = `${repository.owner}/${repository.repo}`
  const api = `${ctx.apiUrl}/repos/${here}`
  const id = options.id ?? stableId(`check-run:${options.app}:${options.name}:${options.headSha}`)
  const appId = options.app === 'github-actions' ? 15368 : stableId(`app:${options.app}`)
  const suiteId = stableId(`suite:${options.app}:${options.headSha}`)
  const completed = options.action === 'completed'
  const startedAt = options.startedAt ?? DEFAULT_AT
  const app = {
    id: appId,
    slug: options.app,
    node_id: nodeId('A', appId),
    owner: { ...simpleUser(ctx, options.app), type: 'Organization' },
    name: options.app,
    description: null,
    external_url: `https://${options.app}.example.com`,
    html_url: `${ctx.serverUrl}/apps/${options.app}`,
    created_at: '2019-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: { checks: 'write', metadata: 'read' },
    events: ['check_run', 'pull_request']
  }
  const checkSuite = {
    id: suiteId,
    node_id: nodeId('CS', suiteId),
    head_branch: null,
    head_sha: options.headSha,
    status: completed ? 'completed' : 'in_progress',
    conclusion: completed ? (options.conclusion ?? 'success') : null,
    url: `${api}/check-suites/${suiteId}`,
    before: null,
    after: options.headSha,
    pull_requests: [],
    app,
    created_at: startedAt,
    updated_at: options.completedAt ?? startedAt
  }
  const checkRun = {
    id,
    node_id: nodeId('CR', id),
    head_sha: options.headSha,
    external_id: `${options.app}-${id}`,
    url: `${api}/check-runs/${id}`,
    html_url: `${ctx.serverUrl}/${here}/runs/${id}`,
    details_url: `https://${options.app}.example.com/${here}/${options.headSha}`,
    status: completed ? 'completed' : (options.status ?? 'in_progress'),
    conclusion: completed ? (options.conclusion ?? 'success') : null,
    started_at: startedAt,
    completed_at: completed ? (options.completedAt ?? startedAt) : null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${api}/check-runs/${id}/annotations` },
    name: options.name,
    check_suite: checkSuite,
    app,
    pull_requests: []
  }
  return {
    action: options.action,
    check_run: checkRun,
    repository: eventRepository(ctx, here, repository.defaultBranch ?? 'main'),
    sender: { ...simpleUser(ctx, `${options.app}[bot]`) }
  } as unknown as CheckRunEvent
}

export interface StatusOptions {
  sha: string
  context: string
  state: 'pending' | 'success' | 'failure' | 'error'
  description?: string | null
  targetUrl?: string | null
  id?: number
  /** Who posted it (default `<context>[bot]`-like 'octocat'). */
  creator?: string
  at?: string
}

/** `status`: a commit status was posted (by another app: a GITHUB_TOKEN's status wakes nothing). */
export function statusEvent(repository: EventRepository, options: StatusOptions): StatusEvent {
  const ctx = payloadContext(repository)
  const here = `${repository.owner}/${repository.repo}`
  const api = `${ctx.apiUrl}/repos/${here}`
  const at = options.at ?? DEFAULT_AT
  const creator = simpleUser(ctx, options.creator ?? 'octocat')
  const person = { name: 'Octo Cat', email: 'octocat@users.noreply.github.com', date: at, username: 'octocat' }
  const commit = {
    sha: options.sha,
    node_id: nodeId('C', stableId(`commit:${options.sha}`)),
    commit: {
      author: person,
      committer: person,
      message: `Change ${options.sha.slice(0, 7)}`,
      tree: { sha: sha40(`tree:${options.sha}`), url: `${api}/git/trees/${sha40(`tree:${options.sha}`)}` },
      url: `${api}/git/commits/${options.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
    },
    url: `${api}/commits/${options.sha}`,
    html_url: `${ctx.serverUrl}/${here}/commit/${options.sha}`,
    comments_url: `${api}/commits/${options.sha}/comments`,
    author: simpleUser(ctx, 'octocat'),
    committer: simpleUser(ctx, 'web-flow'),
    parents: []
  }
  return {
    id: options.id ?? stableId(`status:${options.sha}:${options.context}:${options.state}`),
    sha: options.sha,
    name: here,
    target_url: options.targetUrl ?? null,
    avatar_url: creator['avatar_url'],
    context: options.context,
    description: options.description ?? null,
    state: options.state,
    commit,
    branches: [],
    created_at: at,
    updated_at: at,
    repository: eventRepository(ctx, here, repository.defaultBranch ?? 'main'),
    sender: creator
  } as unknown as StatusEvent
}
