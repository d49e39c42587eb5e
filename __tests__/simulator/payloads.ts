// JSON shapes, as GitHub's REST API returns them (fields required by the OpenAPI description are
// all present; openapi.ts checks that). Pure functions of the plans and the virtual time.
import type { VirtualClock } from './clock.js'
import type { AttemptPlan, JobPlan, PendingDeployment, Review, RunModel } from './model.js'
import { jobStatus, REVIEWER_LOGIN, stepStatus } from './model.js'
import type { PullRequestSpec, RunSpec, WorkflowSpec } from './scenario.js'

export const DEFAULT_SHA = '8f3c1a2b4d5e6f708192a3b4c5d6e7f809a1b2c3'
const DOCS = 'https://docs.github.com/rest'

export interface PayloadContext {
  apiUrl: string
  serverUrl: string
  owner: string
  repo: string
  clock: VirtualClock
  workflows: WorkflowSpec[]
}

/** Small deterministic ids for things the scenario names but does not number (users, repos). */
export function stableId(text: string): number {
  let hash = 0x811c9dc5
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return (hash % 90_000_000) + 1_000_000
}

export function nodeId(prefix: string, id: number): string {
  return `${prefix}_${Buffer.from(`sim:${id}`).toString('base64url')}`
}

export function notFound(): { message: string; documentation_url: string; status: string } {
  return { message: 'Not Found', documentation_url: DOCS, status: '404' }
}

export function simpleUser(ctx: PayloadContext, login: string): Record<string, unknown> {
  // Logins like `github-actions[bot]` are percent-encoded in URLs, as GitHub does.
  const users = `${ctx.apiUrl}/users/${encodeURIComponent(login)}`
  const id = stableId(`user:${login}`)
  return {
    login,
    id,
    node_id: nodeId('U', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: users,
    html_url: `${ctx.serverUrl}/${encodeURIComponent(login)}`,
    followers_url: `${users}/followers`,
    following_url: `${users}/following{/other_user}`,
    gists_url: `${users}/gists{/gist_id}`,
    starred_url: `${users}/starred{/owner}{/repo}`,
    subscriptions_url: `${users}/subscriptions`,
    organizations_url: `${users}/orgs`,
    repos_url: `${users}/repos`,
    events_url: `${users}/events{/privacy}`,
    received_events_url: `${users}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false
  }
}

/** This repository, or another one by `owner/name` (a fork). */
export function minimalRepository(ctx: PayloadContext, fullName = `${ctx.owner}/${ctx.repo}`): Record<string, unknown> {
  const [owner = '', name = ''] = fullName.split('/')
  const api = `${ctx.apiUrl}/repos/${fullName}`
  const id = stableId(`repo:${fullName}`)
  return {
    id,
    node_id: nodeId('R', id),
    name,
    full_name: fullName,
    private: false,
    owner: simpleUser(ctx, owner),
    html_url: `${ctx.serverUrl}/${fullName}`,
    description: null,
    fork: fullName !== `${ctx.owner}/${ctx.repo}`,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`
  }
}

/**
 * A repository as GET /repos/{owner}/{repo} and a pull request's `head.repo`/`base.repo` show it:
 * the default branch is the scenario's; counts, dates and flags are placeholders the schema requires.
 */
export function repositoryPayload(ctx: PayloadContext, fullName: string, defaultBranch: string): Record<string, unknown> {
  const base = minimalRepository(ctx, fullName)
  const created = ctx.clock.iso(-365 * 24 * 3600)
  return {
    ...base,
    clone_url: `${ctx.serverUrl}/${fullName}.git`,
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    svn_url: `${ctx.serverUrl}/${fullName}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    default_branch: defaultBranch,
    forks: 0,
    forks_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    network_count: 0,
    subscribers_count: 0,
    size: 1024,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    pushed_at: created,
    created_at: created,
    updated_at: created
  }
}

/**
 * A pull request as GET /pulls lists it. Its head is the fork's when it comes from one (`head.repo`
 * another repository, `head.label` `owner:branch`); its base is the default branch unless it names another.
 */
export function pullRequestPayload(ctx: PayloadContext, pull: PullRequestSpec, defaultBranch: string): Record<string, unknown> {
  const here = `${ctx.owner}/${ctx.repo}`
  const baseBranch = pull.base ?? defaultBranch
  const headRepo = pull.fork ?? here
  const headBranch = pull.branch ?? `pr-${pull.number}`
  const login = pull.author ?? (pull.fork ? (pull.fork.split('/')[0] ?? 'octocat') : 'octocat')
  const user = simpleUser(ctx, login)
  const api = `${ctx.apiUrl}/repos/${here}`
  const url = `${api}/pulls/${pull.number}`
  const html = `${ctx.serverUrl}/${here}/pull/${pull.number}`
  const id = stableId(`pull:${here}#${pull.number}`)
  const at = ctx.clock.iso(pull.at ?? 0)
  const closed = pull.state === 'closed'
  const link = (href: string) => ({ href })
  return {
    url,
    id,
    node_id: nodeId('PR', id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.sha}`,
    number: pull.number,
    state: closed ? 'closed' : 'open',
    locked: false,
    title: pull.title ?? `Pull request ${pull.number}`,
    user,
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: at,
    updated_at: at,
    closed_at: closed ? at : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${headRepo.split('/')[0] ?? ''}:${headBranch}`,
      ref: headBranch,
      repo: repositoryPayload(ctx, headRepo, defaultBranch),
      sha: pull.sha,
      user
    },
    base: {
      label: `${ctx.owner}:${baseBranch}`,
      ref: baseBranch,
      repo: repositoryPayload(ctx, here, defaultBranch),
      sha: DEFAULT_SHA,
      user: simpleUser(ctx, ctx.owner)
    },
    _links: {
      self: link(url),
      html: link(html),
      issue: link(`${api}/issues/${pull.number}`),
      comments: link(`${api}/issues/${pull.number}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${api}/statuses/${pull.sha}`)
    },
    author_association: pull.fork ? 'CONTRIBUTOR' : 'MEMBER',
    auto_merge: null,
    draft: pull.draft ?? false
  }
}

export function workflowFor(ctx: PayloadContext, file: string): WorkflowSpec {
  const workflow = ctx.workflows.find((w) => w.file === file)
  if (!workflow) throw new Error(`unknown workflow ${file}`)
  return workflow
}

export function workflowPayload(ctx: PayloadContext, workflow: WorkflowSpec): Record<string, unknown> {
  const path = `.github/workflows/${workflow.file}`
  // Workflows predate every run of the scenario: a fixed 30 days before the simulator started.
  const created = ctx.clock.iso(-30 * 24 * 3600)
  return {
    id: workflow.id,
    node_id: nodeId('W', workflow.id),
    name: workflow.name,
    path,
    state: workflow.state ?? 'active',
    created_at: created,
    // A deleted workflow was deleted after its runs: a day before the simulator started.
    updated_at: workflow.state === 'deleted' ? ctx.clock.iso(-24 * 3600) : created,
    ...(workflow.state === 'deleted' ? { deleted_at: ctx.clock.iso(-24 * 3600) } : {}),
    url: `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}/actions/workflows/${workflow.id}`,
    html_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/blob/${'main'}/${path}`,
    badge_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`
  }
}

export function runSha(spec: RunSpec): string {
  return spec.sha ?? DEFAULT_SHA
}

/** The run object as of attempt `attempt` at virtual second `t`. */
export function runPayload(ctx: PayloadContext, run: RunModel, attempt: number, t: number): Record<string, unknown> {
  const spec = run.spec
  const workflow = workflowFor(ctx, spec.workflow)
  const plan = run.plan(attempt)
  const state = run.runState(attempt, t)
  const api = `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
  const runUrl = `${api}/actions/runs/${spec.id}`
  const sha = runSha(spec)
  const actor = simpleUser(ctx, spec.actor ?? 'octocat')
  const title = spec.title ?? `Run ${spec.id}`
  const checkSuiteId = spec.id * 10 + attempt
  return {
    id: spec.id,
    name: workflow.name,
    node_id: nodeId('WFR', spec.id),
    check_suite_id: checkSuiteId,
    check_suite_node_id: nodeId('CS', checkSuiteId),
    head_branch: spec.branch ?? 'main',
    head_sha: sha,
    path: `.github/workflows/${workflow.file}`,
    display_title: title,
    run_number: run.runNumber,
    event: spec.event ?? 'push',
    status: state.status,
    conclusion: state.conclusion,
    workflow_id: workflow.id,
    url: runUrl,
    html_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${spec.id}`,
    pull_requests: spec.pullRequest ? [runPullRequest(ctx, spec, spec.pullRequest)] : [],
    created_at: ctx.clock.iso(run.createdAt),
    // Assumption: like GitHub, updated_at moves only when the run object itself changes (status,
    // conclusion, a new attempt); job and step progress shows in the jobs list, not here. So a
    // conditional GET on the run gives 304 while only jobs progress.
    updated_at: ctx.clock.iso(state.updatedAt),
    actor,
    run_attempt: attempt,
    referenced_workflows: [],
    run_started_at: ctx.clock.iso(plan.at),
    triggering_actor: actor,
    jobs_url: `${runUrl}/jobs`,
    logs_url: `${runUrl}/logs`,
    check_suite_url: `${api}/check-suites/${checkSuiteId}`,
    artifacts_url: `${runUrl}/artifacts`,
    cancel_url: `${runUrl}/cancel`,
    rerun_url: `${runUrl}/rerun`,
    previous_attempt_url: attempt > 1 ? `${runUrl}/attempts/${attempt - 1}` : null,
    workflow_url: `${api}/actions/workflows/${workflow.id}`,
    head_commit: {
      id: sha,
      tree_id: sha.split('').reverse().join(''),
      message: title,
      timestamp: ctx.clock.iso(run.createdAt - 5),
      author: { name: spec.actor ?? 'octocat', email: `${spec.actor ?? 'octocat'}@users.noreply.github.com` },
      committer: { name: 'GitHub', email: 'noreply@github.com' }
    },
    repository: minimalRepository(ctx),
    head_repository: minimalRepository(ctx, spec.headRepository)
  }
}

/** A run's `pull_requests` entry (the minimal pull request of GitHub's schema). */
function runPullRequest(ctx: PayloadContext, spec: RunSpec, pull: { number: number; base: string }): Record<string, unknown> {
  const api = `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
  const repo = { id: stableId(`repo:${ctx.owner}/${ctx.repo}`), url: api, name: ctx.repo }
  return {
    id: stableId(`pull:${pull.number}`),
    number: pull.number,
    url: `${api}/pulls/${pull.number}`,
    head: { ref: spec.branch ?? 'main', sha: runSha(spec), repo },
    base: { ref: pull.base, sha: DEFAULT_SHA, repo }
  }
}

export function jobPayload(ctx: PayloadContext, run: RunModel, job: JobPlan, t: number): Record<string, unknown> {
  const spec = run.spec
  const workflow = workflowFor(ctx, spec.workflow)
  const status = jobStatus(job, t)
  const started = job.ran && (status === 'in_progress' || status === 'completed')
  const api = `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
  const runnerName = job.spec.runnerName ?? `GitHub Actions ${job.index + 1}`
  return {
    id: job.id,
    run_id: spec.id,
    workflow_name: workflow.name,
    head_branch: spec.branch ?? 'main',
    run_url: `${api}/actions/runs/${spec.id}`,
    run_attempt: job.attempt,
    node_id: nodeId('CR', job.id),
    head_sha: runSha(spec),
    url: `${api}/actions/jobs/${job.id}`,
    html_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${spec.id}/job/${job.id}`,
    status,
    conclusion: status === 'completed' ? job.conclusion : null,
    created_at: ctx.clock.iso(job.created),
    // GitHub never sends null here: a queued job shows its creation time, a job that never ran
    // (skipped, cancelled while queued) its completion time.
    started_at: ctx.clock.iso(started ? job.start : status === 'completed' ? job.end : job.created),
    completed_at: status === 'completed' ? ctx.clock.iso(job.end) : null,
    name: job.spec.name,
    // Like GitHub, a job lists its steps only once a runner has picked it up.
    steps: started
      ? job.steps.map((step) => {
          const stepState = stepStatus(step, t)
          return {
            name: step.name,
            status: stepState,
            conclusion: stepState === 'completed' ? step.conclusion : null,
            number: step.number,
            started_at: stepState === 'queued' ? null : ctx.clock.iso(step.start),
            completed_at: stepState === 'completed' ? ctx.clock.iso(step.end) : null
          }
        })
      : [],
    check_run_url: `${api}/check-runs/${job.id}`,
    labels: job.spec.labels ?? ['ubuntu-latest'],
    runner_id: started ? job.index + 1 : null,
    runner_name: started ? runnerName : null,
    runner_group_id: started ? 2 : null,
    runner_group_name: started ? 'GitHub Actions' : null
  }
}

/**
 * The GitHub Actions app as check runs name it: its id (15368), slug and name as on github.com;
 * its other fields (dates, description, permissions, events) are placeholders the schema requires.
 * What the simulator knows of check runs: each execution of a job is one check run with the
 * job's id and name (API-NOTES: a job's id is its check run id), in the check suite of the
 * attempt that created it (`check_suite_id` of the run object for that attempt: an assumption,
 * not checked on GitHub); its status and conclusion are the job's.
 */
function actionsApp(ctx: PayloadContext): Record<string, unknown> {
  const owner = { ...simpleUser(ctx, 'github'), type: 'Organization' }
  return {
    id: 15368,
    slug: 'github-actions',
    node_id: nodeId('A', 15368),
    owner,
    name: 'GitHub Actions',
    description: 'Automate your workflow from idea to production',
    external_url: 'https://help.github.com/en/actions',
    html_url: `${ctx.serverUrl}/apps/github-actions`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2024-04-10T20:33:16Z',
    permissions: { actions: 'write', checks: 'write', contents: 'write', metadata: 'read' },
    events: ['check_run', 'check_suite', 'push', 'pull_request', 'workflow_dispatch']
  }
}

/** A job's execution as its check run (list items of the check-runs endpoints). */
export function checkRunPayload(ctx: PayloadContext, run: RunModel, job: JobPlan, t: number): Record<string, unknown> {
  const status = jobStatus(job, t)
  const started = job.ran && (status === 'in_progress' || status === 'completed')
  const api = `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
  const html = `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${run.spec.id}/job/${job.id}`
  return {
    id: job.id,
    head_sha: runSha(run.spec),
    node_id: nodeId('CR', job.id),
    external_id: `${run.spec.id}-${job.attempt}-${job.index}`,
    url: `${api}/check-runs/${job.id}`,
    html_url: html,
    details_url: html,
    status,
    conclusion: status === 'completed' ? job.conclusion : null,
    started_at: ctx.clock.iso(started ? job.start : status === 'completed' ? job.end : job.created),
    completed_at: status === 'completed' ? ctx.clock.iso(job.end) : null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${api}/check-runs/${job.id}/annotations` },
    name: job.spec.name,
    check_suite: { id: run.spec.id * 10 + job.attempt },
    app: actionsApp(ctx),
    pull_requests: []
  }
}

/** Jobs visible at `t` (created), as a list payload's items. */
export function visibleJobs(jobs: JobPlan[], t: number): JobPlan[] {
  return jobs.filter((job) => job.created <= t)
}

type BillableOs = 'UBUNTU' | 'MACOS' | 'WINDOWS'

function billableOs(labels: string[]): BillableOs | undefined {
  for (const label of labels) {
    if (label.startsWith('ubuntu')) return 'UBUNTU'
    if (label.startsWith('macos')) return 'MACOS'
    if (label.startsWith('windows')) return 'WINDOWS'
  }
  return undefined // self-hosted runners are not billed
}

export function timingPayload(plan: AttemptPlan, t: number): Record<string, unknown> {
  const billable: Record<BillableOs, { total_ms: number; jobs: number; job_runs: { job_id: number; duration_ms: number }[] }> = {
    UBUNTU: { total_ms: 0, jobs: 0, job_runs: [] },
    MACOS: { total_ms: 0, jobs: 0, job_runs: [] },
    WINDOWS: { total_ms: 0, jobs: 0, job_runs: [] }
  }
  for (const job of visibleJobs(plan.effective, t)) {
    const os = billableOs(job.spec.labels ?? ['ubuntu-latest'])
    if (!os || !job.ran || t < job.start) continue
    // GitHub bills every job rounded up to the whole minute.
    const ms = Math.ceil(((Math.min(t, job.end) - job.start) * 1000) / 60000) * 60000
    billable[os].total_ms += ms
    billable[os].jobs += 1
    billable[os].job_runs.push({ job_id: job.id, duration_ms: ms })
  }
  const runEnd = Math.min(t, plan.end)
  return { billable, run_duration_ms: Math.round(Math.max(0, runEnd - plan.at) * 1000) }
}

function environmentPayload(ctx: PayloadContext, name: string, id: number): Record<string, unknown> {
  return {
    id,
    node_id: nodeId('EN', id),
    name,
    url: `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}/environments/${encodeURIComponent(name)}`,
    html_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`
  }
}

/** The scenario's approvals, then the reviews made through POST pending_deployments (as REVIEWER_LOGIN). */
export function approvalsPayload(ctx: PayloadContext, spec: RunSpec, reviews: Review[] = []): Record<string, unknown>[] {
  const created = ctx.clock.iso(-30 * 24 * 3600)
  const environment = (name: string, id: number): Record<string, unknown> => ({
    ...environmentPayload(ctx, name, id),
    created_at: created,
    updated_at: created
  })
  const declared = (spec.approvals ?? []).map((approval) => ({
    environments: approval.environments.map((name) => environment(name, stableId(`env:${name}`))),
    state: approval.state,
    user: simpleUser(ctx, approval.user),
    comment: approval.comment ?? ''
  }))
  // Custom gates are settled by a GitHub App, not by a reviewer: assumed not to be listed here.
  const recorded = reviews
    .filter((review) => review.via === 'reviewers')
    .map((review) => ({
      environments: review.deployments.map((deployment) => environment(deployment.environment, deployment.id)),
      state: review.state,
      user: simpleUser(ctx, REVIEWER_LOGIN),
      comment: review.comment
    }))
  return [...declared, ...recorded]
}

/** Custom-gate environments are served too, with current_user_can_approve false (only their app decides). */
export function pendingDeploymentsPayload(ctx: PayloadContext, deployments: PendingDeployment[], plan: AttemptPlan): Record<string, unknown>[] {
  return deployments.map((deployment) => ({
    environment: environmentPayload(ctx, deployment.environment, deployment.id),
    wait_timer: deployment.waitTimerMinutes ?? 0,
    wait_timer_started_at: deployment.waitTimerMinutes ? ctx.clock.iso(plan.at) : null,
    current_user_can_approve: deployment.customGate ? false : (deployment.canApprove ?? true),
    reviewers: (deployment.reviewers ?? []).map((login) => ({ type: 'User', reviewer: simpleUser(ctx, login) }))
  }))
}

/** The deployment an approved review creates for one environment (POST pending_deployments answers these). */
export function deploymentPayload(ctx: PayloadContext, spec: RunSpec, review: Review, deployment: PendingDeployment): Record<string, unknown> {
  const api = `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
  const id = stableId(`deployment:${spec.id}:${review.attempt}:${deployment.id}`)
  const at = ctx.clock.iso(review.t)
  return {
    url: `${api}/deployments/${id}`,
    id,
    node_id: nodeId('DE', id),
    sha: runSha(spec),
    ref: spec.branch ?? 'main',
    task: 'deploy',
    payload: {},
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: null,
    creator: simpleUser(ctx, 'github-actions[bot]'),
    created_at: at,
    updated_at: at,
    statuses_url: `${api}/deployments/${id}/statuses`,
    repository_url: api,
    transient_environment: false,
    production_environment: /^prod/i.test(deployment.environment)
  }
}
