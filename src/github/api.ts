// Typed calls for the workflow-runs and workflow-jobs endpoints: the only place that knows the
// REST paths and payload shapes. Lists are paginated at 100 per page (GitHub's maximum), and
// every GET goes through the ETag cache installed on the client. Bodies are checked before they
// are mapped (validate.ts), a paged list is cross-checked against its `total_count`, and a write
// whose answer was lost fails as an AmbiguousWriteError (it is never sent twice).
import type { Octokit } from './client.js'
import { classifyWriteFailure, InconsistentListError, isStatus, MalformedBodyError, NotFoundError, statusOf } from './errors.js'
import type { Approval, CheckRun, Job, PendingDeployment, PullRequestHead, Run, RunTiming, Step, Workflow } from './types.js'
import type { HistoryRun, RunFilters } from './types.js'
import type { CombinedStatus, CommitStatus, NewCommitStatus, PullRequest, PullRequestFile, PullRequestFiles } from './types.js'
import { checkRunProblems, isId, jobProblems, pullRequestProblems, repositoryProblems, runProblems, workflowProblems } from './validate.js'

export { AmbiguousWriteError, ForeignOriginError, InconsistentListError, isTransient, MalformedBodyError, NotFoundError, TimeBudgetError } from './errors.js'

/** GitHub's maximum page size for these lists: fewer pages, fewer requests. */
export const PER_PAGE = 100
/** GitHub returns at most 1,000 runs for a filtered list-runs search. */
export const MAX_LISTED_RUNS = 1000
/** Check runs are a signal, not a record: ten pages (1,000 job executions on a commit) are plenty. */
const MAX_CHECK_RUN_PAGES = 10
/**
 * A list whose pages disagree (an item moved between two page requests) is read again from page
 * 1, at most this many times in all; then it fails as a transient error, never as a partial list.
 */
const MAX_LIST_READS = 3

/* eslint-disable @typescript-eslint/no-explicit-any -- raw payloads are mapped field by field */
type Raw = Record<string, any>

/** Throws when a body is not usable as `expected` (the client has checked GET bodies already; this is the last line). */
function checked(raw: unknown, problems: (raw: unknown) => string[], endpoint: string, expected: string): Raw {
  const found = problems(raw)
  if (found.length > 0) throw new MalformedBodyError(endpoint, expected, found.join('; '))
  return raw as Raw
}

function toRun(body: unknown, endpoint: string): Run {
  const raw = checked(body, runProblems, endpoint, 'a workflow run')
  return {
    id: Number(raw.id),
    name: String(raw.name ?? ''),
    displayTitle: String(raw.display_title ?? ''),
    runNumber: Number(raw.run_number ?? 0),
    attempt: Number(raw.run_attempt ?? 1),
    status: String(raw.status ?? 'queued'),
    conclusion: raw.conclusion ?? null,
    event: String(raw.event ?? ''),
    headBranch: raw.head_branch ?? null,
    headSha: String(raw.head_sha ?? ''),
    actor: raw.actor?.login ?? null,
    workflowId: Number(raw.workflow_id ?? 0),
    path: String(raw.path ?? ''),
    htmlUrl: String(raw.html_url ?? ''),
    createdAt: String(raw.created_at ?? ''),
    updatedAt: String(raw.updated_at ?? ''),
    runStartedAt: raw.run_started_at ?? null,
    checkSuiteId: isId(raw.check_suite_id) ? Number(raw.check_suite_id) : null,
    ...pullRequestBaseOf(raw)
  }
}

function pullRequestBaseOf(raw: Raw): { pullRequestBase?: string } {
  const base: unknown = Array.isArray(raw.pull_requests) ? raw.pull_requests[0]?.base?.ref : undefined
  return typeof base === 'string' && base !== '' ? { pullRequestBase: base } : {}
}

function toHistoryRun(body: unknown, endpoint: string): HistoryRun {
  const fullName: unknown = (body as Raw | null)?.head_repository?.full_name
  return { ...toRun(body, endpoint), headRepository: typeof fullName === 'string' ? fullName : null }
}

function toCheckRun(body: unknown, endpoint: string): CheckRun {
  const raw = checked(body, checkRunProblems, endpoint, 'a check run')
  return {
    id: Number(raw.id),
    name: String(raw.name ?? ''),
    status: String(raw.status),
    conclusion: raw.conclusion ?? null,
    checkSuiteId: isId(raw.check_suite?.id) ? Number(raw.check_suite.id) : null,
    startedAt: raw.started_at ?? null,
    completedAt: raw.completed_at ?? null,
    app: typeof raw.app?.slug === 'string' ? raw.app.slug : null,
    url: typeof raw.details_url === 'string' && raw.details_url !== '' ? raw.details_url : typeof raw.html_url === 'string' ? raw.html_url : null
  }
}

function toWorkflow(body: unknown, endpoint: string): Workflow {
  const raw = checked(body, workflowProblems, endpoint, 'a workflow')
  return { id: Number(raw.id), name: String(raw.name ?? ''), path: String(raw.path ?? ''), state: String(raw.state) }
}

function toPullRequestHead(body: unknown, endpoint: string, repository: string): PullRequestHead {
  const raw = checked(body, pullRequestProblems, endpoint, 'a pull request')
  const headRepo: unknown = raw.head.repo?.full_name
  return {
    id: Number(raw.id),
    number: Number(raw.number),
    headSha: String(raw.head.sha),
    fork: typeof headRepo === 'string' && headRepo.toLowerCase() !== repository.toLowerCase() ? headRepo : null
  }
}

function toStep(raw: Raw): Step {
  return {
    number: Number(raw.number),
    name: String(raw.name ?? ''),
    status: String(raw.status ?? 'queued'),
    conclusion: raw.conclusion ?? null,
    startedAt: raw.started_at ?? null,
    completedAt: raw.completed_at ?? null
  }
}

function toJob(body: unknown, endpoint: string): Job {
  const raw = checked(body, jobProblems, endpoint, 'a job')
  return {
    id: Number(raw.id),
    runId: Number(raw.run_id),
    runAttempt: Number(raw.run_attempt ?? 1),
    name: String(raw.name ?? ''),
    status: String(raw.status ?? 'queued'),
    conclusion: raw.conclusion ?? null,
    createdAt: String(raw.created_at ?? ''),
    startedAt: raw.started_at ?? null,
    completedAt: raw.completed_at ?? null,
    htmlUrl: raw.html_url ?? null,
    runnerName: raw.runner_name ?? null,
    labels: Array.isArray(raw.labels) ? raw.labels.map(String) : [],
    steps: Array.isArray(raw.steps) ? raw.steps.map(toStep) : []
  }
}

export class GitHubApi {
  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string
  ) {}

  private get repoParams() {
    return { owner: this.owner, repo: this.repo }
  }

  private path(rest: string): string {
    return `/repos/${this.owner}/${this.repo}/actions${rest}`
  }

  /** Runs a write; a failure that leaves its outcome unknown becomes an AmbiguousWriteError. */
  private async write<T>(endpoint: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw classifyWriteFailure(endpoint, error)
    }
  }

  /**
   * Every item of a paged list (up to `maxPages` pages), read again from page 1 when its pages
   * disagree: a `total_count` that changed from one page to the next, an item listed twice, or
   * not as many items as `total_count` promises (items moved between pages while they were read).
   */
  private async readList<T extends { id: number }>(
    endpoint: string,
    pages: () => AsyncIterable<{ data: unknown }>,
    map: (raw: unknown, endpoint: string) => T,
    maxPages = Infinity,
    cap = Infinity
  ): Promise<T[]> {
    let detail = ''
    for (let read = 1; read <= MAX_LIST_READS; read++) {
      const items: T[] = []
      const totals: number[] = []
      let pagesRead = 0
      for await (const page of pages()) {
        const data = page.data as Raw[] & { total_count?: unknown }
        if (typeof data.total_count === 'number' && !totals.includes(data.total_count)) totals.push(data.total_count)
        for (const raw of data) items.push(map(raw, endpoint))
        if (++pagesRead >= maxPages) break
      }
      const ids = new Set(items.map((item) => item.id))
      // No total_count at all only for paginate's empty answer to a 409: nothing to check.
      const expected = totals.length === 0 ? items.length : Math.min(totals[0] ?? 0, maxPages * PER_PAGE, cap)
      if (totals.length <= 1 && ids.size === items.length && items.length === expected) return items
      detail =
        totals.length > 1
          ? `total_count went from ${totals.join(' to ')}`
          : ids.size < items.length
            ? `${items.length - ids.size} item(s) listed twice`
            : `${items.length} items for a total_count of ${totals[0] ?? 0}`
    }
    throw new InconsistentListError(`GET ${endpoint}`, MAX_LIST_READS, detail)
  }

  /** The run; with `attempt`, that attempt's view of it. */
  async getRun(runId: number, attempt?: number): Promise<Run> {
    const endpoint = `GET ${this.path(attempt === undefined ? `/runs/${runId}` : `/runs/${runId}/attempts/${attempt}`)}`
    try {
      const response =
        attempt === undefined
          ? await this.octokit.rest.actions.getWorkflowRun({ ...this.repoParams, run_id: runId })
          : await this.octokit.rest.actions.getWorkflowRunAttempt({
              ...this.repoParams,
              run_id: runId,
              attempt_number: attempt
            })
      return toRun(response.data, endpoint)
    } catch (error) {
      if (isStatus(error, 404)) {
        const which = attempt === undefined ? `Run ${runId}` : `Attempt ${attempt} of run ${runId}`
        throw new NotFoundError(
          `${which} was not found in ${this.owner}/${this.repo} (404): check 'run-id'/'attempt' and that the token can read this repository's Actions.`
        )
      }
      throw error
    }
  }

  /**
   * Every job of the run's latest attempt (`filter=latest`: jobs not re-run by a failed-jobs
   * re-run are listed from their earlier attempt), or of one attempt. All pages, cross-checked
   * against `total_count`.
   */
  async listJobs(runId: number, attempt?: number): Promise<Job[]> {
    const endpoint = this.path(attempt === undefined ? `/runs/${runId}/jobs` : `/runs/${runId}/attempts/${attempt}/jobs`)
    const pages = () =>
      attempt === undefined
        ? this.octokit.paginate.iterator(this.octokit.rest.actions.listJobsForWorkflowRun, {
            ...this.repoParams,
            run_id: runId,
            filter: 'latest',
            per_page: PER_PAGE
          })
        : this.octokit.paginate.iterator(this.octokit.rest.actions.listJobsForWorkflowRunAttempt, {
            ...this.repoParams,
            run_id: runId,
            attempt_number: attempt,
            per_page: PER_PAGE
          })
    return this.readList(endpoint, pages, toJob)
  }

  /**
   * The completed check runs of one check suite (a run's attempt), or of every check suite on a
   * commit: the cheap fail-fast signal, a free 304 until some job finishes (a job list changes at
   * every step). `filter=all`, because GitHub documents `latest` only as "the most recent check
   * runs", which might fold two workflows' same-named jobs into one. Needs `checks: read`; a 403
   * or 404 is the caller's to handle.
   */
  async listCompletedCheckRuns(scope: { checkSuiteId: number } | { sha: string }): Promise<{ checkRuns: CheckRun[]; complete: boolean }> {
    const common = { ...this.repoParams, status: 'completed' as const, filter: 'all' as const, per_page: PER_PAGE }
    const endpoint = `/repos/${this.owner}/${this.repo}${'checkSuiteId' in scope ? `/check-suites/${scope.checkSuiteId}` : `/commits/${scope.sha}`}/check-runs`
    const pages = () =>
      'checkSuiteId' in scope
        ? this.octokit.paginate.iterator(this.octokit.rest.checks.listForSuite, { ...common, check_suite_id: scope.checkSuiteId })
        : this.octokit.paginate.iterator(this.octokit.rest.checks.listForRef, { ...common, ref: scope.sha })
    const checkRuns = await this.readList(endpoint, pages, toCheckRun, MAX_CHECK_RUN_PAGES)
    // As many as the pages read can hold: there may be more (a commit with over 1,000).
    return { checkRuns, complete: checkRuns.length < MAX_CHECK_RUN_PAGES * PER_PAGE }
  }

  /**
   * Every check run on a commit, whatever its status, the newest per app and name
   * (`filter=latest`, GitHub's default: a re-requested check is a new check run of the same
   * name, and only the newest says where the check stands). Lists GitHub Actions' job check runs
   * too; the caller tells them apart by `app`. Needs `checks: read`; a 403 or 404 is the
   * caller's to handle.
   */
  async listCheckRunsOfCommit(sha: string): Promise<{ checkRuns: CheckRun[]; complete: boolean }> {
    const endpoint = `/repos/${this.owner}/${this.repo}/commits/${sha}/check-runs`
    const params = { ...this.repoParams, ref: sha, filter: 'latest' as const, per_page: PER_PAGE }
    const pages = () => this.octokit.paginate.iterator(this.octokit.rest.checks.listForRef, params)
    const checkRuns = await this.readList(endpoint, pages, toCheckRun, MAX_CHECK_RUN_PAGES)
    return { checkRuns, complete: checkRuns.length < MAX_CHECK_RUN_PAGES * PER_PAGE }
  }

  /**
   * Runs matching the filters, newest first: repository-wide, or of one workflow (file name or
   * id). `maxPages` bounds the cost when only the newest runs matter. Cross-checked against
   * `total_count` like the jobs.
   */
  async listRuns(filters: RunFilters, workflow?: string, maxPages = MAX_LISTED_RUNS / PER_PAGE): Promise<Run[]> {
    const params = { ...this.repoParams, ...filters, per_page: PER_PAGE }
    const endpoint = this.path(workflow === undefined ? '/runs' : `/workflows/${workflow}/runs`)
    const pages = () =>
      workflow === undefined
        ? this.octokit.paginate.iterator(this.octokit.rest.actions.listWorkflowRunsForRepo, params)
        : this.octokit.paginate.iterator(this.octokit.rest.actions.listWorkflowRuns, {
            ...params,
            workflow_id: /^\d+$/.test(workflow) ? Number(workflow) : workflow
          })
    try {
      return await this.readList(endpoint, pages, toRun, maxPages, MAX_LISTED_RUNS)
    } catch (error) {
      if (isStatus(error, 404) && workflow !== undefined) {
        throw new NotFoundError(
          `Workflow '${workflow}' was not found in ${this.owner}/${this.repo} (404): check 'workflow' (a file name such as ci.yml, or a workflow id).`
        )
      }
      throw error
    }
  }

  /**
   * The newest `count` completed runs of a workflow on `branch`, one page (failure triage): each
   * with its head repository, since the branch filter also matches a fork's branch of that name.
   */
  async listBranchHistory(workflowId: number, branch: string, count: number): Promise<HistoryRun[]> {
    const endpoint = `GET ${this.path(`/workflows/${workflowId}/runs`)}`
    const { data } = await this.octokit.rest.actions.listWorkflowRuns({
      ...this.repoParams,
      workflow_id: workflowId,
      branch,
      status: 'completed',
      per_page: count
    })
    const runs: unknown = (data as Raw | null)?.workflow_runs
    if (!Array.isArray(runs)) throw new MalformedBodyError(endpoint, 'a list of workflow runs', 'no workflow_runs array')
    return runs.map((raw) => toHistoryRun(raw, endpoint))
  }

  /**
   * Every execution of every job of a run, all attempts (`filter=all`), at most `maxPages`
   * pages: a job that failed in one attempt and passed in the next shows as two executions.
   */
  async listJobExecutions(runId: number, maxPages: number): Promise<Job[]> {
    const endpoint = this.path(`/runs/${runId}/jobs`)
    const pages = () =>
      this.octokit.paginate.iterator(this.octokit.rest.actions.listJobsForWorkflowRun, {
        ...this.repoParams,
        run_id: runId,
        filter: 'all',
        per_page: PER_PAGE
      })
    return this.readList(endpoint, pages, toJob, maxPages)
  }

  /**
   * Asks GitHub the time, for a command that needs it before its first read: GET /rate_limit,
   * whose answer (an error status too) carries a Date header like every other, and which does
   * not count against the rate limit (GitHub's docs; its secondary limits since 2023-10-18).
   * A failure only leaves the time unknown: the caller's clock stands in.
   */
  async askTheTime(): Promise<void> {
    await this.octokit.request('GET /rate_limit').catch(() => undefined)
  }

  /** Every workflow of the repository (all pages), with its state; a ruleset's required workflows are not among them. */
  async listWorkflows(): Promise<Workflow[]> {
    const pages = () => this.octokit.paginate.iterator(this.octokit.rest.actions.listRepoWorkflows, { ...this.repoParams, per_page: PER_PAGE })
    return this.readList(this.path('/workflows'), pages, toWorkflow)
  }

  /** One workflow by id; null when this repository has no such workflow (404). */
  async getWorkflow(workflowId: number): Promise<Workflow | null> {
    try {
      const { data } = await this.octokit.rest.actions.getWorkflow({ ...this.repoParams, workflow_id: workflowId })
      return toWorkflow(data, `GET ${this.path(`/workflows/${workflowId}`)}`)
    } catch (error) {
      if (isStatus(error, 404)) return null
      throw error
    }
  }

  /**
   * The heads of every open pull request (all pages, 100 a page), forks' included. Needs
   * `pull-requests: read`; a 403 or 404 is the caller's to handle. Read again from page 1 when a
   * pull request opened while paging shifts one onto the next page (listed twice).
   */
  async listOpenPullRequestHeads(): Promise<PullRequestHead[]> {
    const endpoint = `/repos/${this.owner}/${this.repo}/pulls`
    const pages = () => this.octokit.paginate.iterator(this.octokit.rest.pulls.list, { ...this.repoParams, state: 'open', per_page: PER_PAGE })
    return this.readList(endpoint, pages, (raw, at) => toPullRequestHead(raw, at, `${this.owner}/${this.repo}`))
  }

  /** The repository's default branch (GET /repos/{owner}/{repo}: any token that can read the repository may). */
  async getDefaultBranch(): Promise<string> {
    const { data } = await this.octokit.rest.repos.get(this.repoParams)
    return String(checked(data, repositoryProblems, `GET /repos/${this.owner}/${this.repo}`, 'a repository').default_branch)
  }

  async getTiming(runId: number): Promise<RunTiming> {
    const { data } = await this.octokit.rest.actions.getWorkflowRunUsage({ ...this.repoParams, run_id: runId })
    const billable = Object.values((data as Raw).billable ?? {}) as Raw[]
    return {
      billableMs: billable.reduce((sum, os) => sum + Number(os?.total_ms ?? 0), 0),
      runDurationMs: (data as Raw).run_duration_ms ?? null
    }
  }

  async listApprovals(runId: number): Promise<Approval[]> {
    const { data } = await this.octokit.rest.actions.getReviewsForRun({ ...this.repoParams, run_id: runId })
    return (data as Raw[]).map((a) => ({
      user: String(a.user?.login ?? ''),
      state: String(a.state ?? ''),
      environments: Array.isArray(a.environments) ? a.environments.map((e: Raw) => String(e.name ?? '')) : [],
      comment: String(a.comment ?? '')
    }))
  }

  async listPendingDeployments(runId: number): Promise<PendingDeployment[]> {
    const { data } = await this.octokit.rest.actions.getPendingDeploymentsForRun({ ...this.repoParams, run_id: runId })
    return (data as Raw[]).map((d) => ({
      environmentId: Number(d.environment?.id ?? 0),
      environment: String(d.environment?.name ?? ''),
      waitTimerMinutes: Number(d.wait_timer ?? 0),
      currentUserCanApprove: Boolean(d.current_user_can_approve),
      reviewers: Array.isArray(d.reviewers) ? d.reviewers.map((r: Raw) => String(r.reviewer?.login ?? r.reviewer?.slug ?? r.reviewer?.name ?? '')) : []
    }))
  }

  // Writes: sent once. The client never retries them (a lost answer does not mean GitHub did
  // nothing); a 5xx, a reset or a timeout surfaces as an AmbiguousWriteError, so the caller can
  // read the state back. GitHub's clear refusals (409 on a finished run, 404) keep their meaning.

  /**
   * POST /workflows/{id}/dispatches. With `returnRunDetails`, GitHub (since early 2026) answers 200
   * with the run's id; a server that does not know the field refuses it (400 or 422 naming it),
   * and any server may answer 204 with no body (API-NOTES, "Workflow dispatch"). A refusal sent
   * nothing, so the caller may ask again without the field.
   */
  async dispatchWorkflow(
    workflow: string,
    ref: string,
    inputs: Record<string, string | number | boolean>,
    returnRunDetails: boolean
  ): Promise<{ kind: 'run'; id: number; htmlUrl: string } | { kind: 'no-details' } | { kind: 'field-refused' }> {
    const endpoint = `POST ${this.path(`/workflows/${workflow}/dispatches`)}`
    try {
      const { status, data } = await this.write(endpoint, () =>
        this.octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
          ...this.repoParams,
          workflow_id: /^\d+$/.test(workflow) ? Number(workflow) : workflow,
          ref,
          inputs,
          ...(returnRunDetails ? { return_run_details: true } : {})
        })
      )
      const id = (data as Raw | undefined)?.workflow_run_id
      if ((status as number) === 200 && Number.isSafeInteger(id) && id > 0) {
        return { kind: 'run', id: Number(id), htmlUrl: String((data as Raw).html_url ?? '') }
      }
      return { kind: 'no-details' }
    } catch (error) {
      const status = statusOf(error)
      if (returnRunDetails && (status === 400 || status === 422) && /return_run_details/.test(String((error as Error).message)))
        return { kind: 'field-refused' }
      if (status === 404) throw new NotFoundError(`Workflow '${workflow}' was not found in ${this.owner}/${this.repo} (404): check 'workflow'.`)
      throw error
    }
  }

  /** `accepted`, or `already-completed` for GitHub's 409 on a finished run (not an error). */
  async cancelRun(runId: number): Promise<'accepted' | 'already-completed'> {
    try {
      await this.write(`POST ${this.path(`/runs/${runId}/cancel`)}`, () => this.octokit.rest.actions.cancelWorkflowRun({ ...this.repoParams, run_id: runId }))
      return 'accepted'
    } catch (error) {
      if (isStatus(error, 409)) return 'already-completed'
      throw error
    }
  }

  /** One job execution, whichever attempt it belongs to. */
  async getJob(jobId: number): Promise<Job> {
    try {
      const { data } = await this.octokit.rest.actions.getJobForWorkflowRun({ ...this.repoParams, job_id: jobId })
      return toJob(data, `GET ${this.path(`/jobs/${jobId}`)}`)
    } catch (error) {
      if (isStatus(error, 404)) throw new NotFoundError(`Job ${jobId} was not found in ${this.owner}/${this.repo} (404).`)
      throw error
    }
  }

  /** `accepted`, or `already-completed` for GitHub's 409 on a finished run. */
  async forceCancelRun(runId: number): Promise<'accepted' | 'already-completed'> {
    try {
      await this.write(`POST ${this.path(`/runs/${runId}/force-cancel`)}`, () =>
        this.octokit.rest.actions.forceCancelWorkflowRun({ ...this.repoParams, run_id: runId })
      )
      return 'accepted'
    } catch (error) {
      if (isStatus(error, 409)) return 'already-completed'
      throw error
    }
  }

  /** Re-runs every job (`all`) or the failed jobs and their dependents (`failed`) in a new attempt. */
  async rerunRun(runId: number, scope: 'all' | 'failed', debugLogging: boolean): Promise<void> {
    const params = { ...this.repoParams, run_id: runId, ...(debugLogging ? { enable_debug_logging: true } : {}) }
    await this.write(`POST ${this.path(`/runs/${runId}/${scope === 'all' ? 'rerun' : 'rerun-failed-jobs'}`)}`, () =>
      scope === 'all' ? this.octokit.rest.actions.reRunWorkflow(params) : this.octokit.rest.actions.reRunWorkflowFailedJobs(params)
    )
  }

  /** Re-runs one job (and the jobs that need it) in a new attempt. */
  async rerunJob(jobId: number, debugLogging: boolean): Promise<void> {
    await this.write(`POST ${this.path(`/jobs/${jobId}/rerun`)}`, () =>
      this.octokit.rest.actions.reRunJobForWorkflowRun({
        ...this.repoParams,
        job_id: jobId,
        ...(debugLogging ? { enable_debug_logging: true } : {})
      })
    )
  }

  /** Lets a fork pull request's run (conclusion `action_required`) start. */
  async approveRun(runId: number): Promise<void> {
    await this.write(`POST ${this.path(`/runs/${runId}/approve`)}`, () => this.octokit.rest.actions.approveWorkflowRun({ ...this.repoParams, run_id: runId }))
  }

  async reviewPendingDeployments(runId: number, environmentIds: number[], state: 'approved' | 'rejected', comment: string): Promise<void> {
    await this.write(`POST ${this.path(`/runs/${runId}/pending_deployments`)}`, () =>
      this.octokit.rest.actions.reviewPendingDeploymentsForRun({
        ...this.repoParams,
        run_id: runId,
        environment_ids: environmentIds,
        state,
        comment
      })
    )
  }

  /** Answers a GitHub App's custom deployment protection rule for one environment. */
  async reviewCustomGate(runId: number, environment: string, state: 'approved' | 'rejected', comment: string): Promise<void> {
    await this.write(`POST ${this.path(`/runs/${runId}/deployment_protection_rule`)}`, () =>
      this.octokit.rest.actions.reviewCustomGatesForRun({
        ...this.repoParams,
        run_id: runId,
        environment_name: environment,
        state,
        comment
      })
    )
  }

  /** `deleted`, or `gone` when the run (or its logs) no longer exists (404). */
  async deleteRun(runId: number, logsOnly: boolean): Promise<'deleted' | 'gone'> {
    try {
      await this.write(`DELETE ${this.path(logsOnly ? `/runs/${runId}/logs` : `/runs/${runId}`)}`, () =>
        logsOnly
          ? this.octokit.rest.actions.deleteWorkflowRunLogs({ ...this.repoParams, run_id: runId })
          : this.octokit.rest.actions.deleteWorkflowRun({ ...this.repoParams, run_id: runId })
      )
      return 'deleted'
    } catch (error) {
      if (isStatus(error, 404)) return 'gone'
      throw error
    }
  }

  /**
   * The log archive (zip) of the run's latest attempt or of one attempt, as a byte stream; like
   * job logs it sits behind a redirect to the storage host, which never sees the token. Bounded
   * like a job log (see jobLog).
   */
  async *runLogArchive(runId: number, attempt?: number): AsyncIterable<Uint8Array> {
    const request = { parseSuccessResponseBody: false }
    const response =
      attempt === undefined
        ? await this.octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/logs', { ...this.repoParams, run_id: runId, request })
        : await this.octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs', {
            ...this.repoParams,
            run_id: runId,
            attempt_number: attempt,
            request
          })
    const body = response.data as unknown as AsyncIterable<Uint8Array> | null
    if (body) yield* body
  }

  /**
   * The job's log as a byte stream. The API answers with a redirect to a storage host; fetch
   * follows it and, the host being another origin, drops the Authorization header, so the token
   * never reaches the storage host. The client bounds the download (a total budget, and an abort
   * when no bytes come for a while; never past the deadline): the stream then fails with a
   * TimeBudgetError, and such a download is not retried.
   */
  async *jobLog(jobId: number): AsyncIterable<Uint8Array> {
    const response = await this.octokit.request('GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs', {
      ...this.repoParams,
      job_id: jobId,
      request: { parseSuccessResponseBody: false }
    })
    const body = response.data as unknown as AsyncIterable<Uint8Array> | null
    if (body) yield* body
  }

  // Commit statuses, workflow files and pull requests: what a gate that holds no runner reads
  // and writes (INTERFACE, "A gate that holds no runner", "Proven skips"). Not used by a command yet.

  /**
   * POST /statuses/{sha}: one status, sent once (a lost answer is an AmbiguousWriteError: read
   * the statuses back). GitHub refuses, with 422, a description over 140 characters (it does not
   * truncate), a context's 1,001st status on one commit, and a commit it does not have; the first
   * is refused here, before anything is sent. Needs `statuses: write` (403 without).
   */
  async createCommitStatus(sha: string, status: NewCommitStatus): Promise<CommitStatus> {
    const length = [...(status.description ?? '')].length
    if (length > MAX_STATUS_DESCRIPTION) {
      throw new RangeError(
        `A commit status description holds at most ${MAX_STATUS_DESCRIPTION} characters (GitHub refuses longer ones); this one has ${length}.`
      )
    }
    const endpoint = `POST /repos/${this.owner}/${this.repo}/statuses/${sha}`
    const { data } = await this.write(endpoint, () =>
      this.octokit.rest.repos.createCommitStatus({
        ...this.repoParams,
        sha,
        state: status.state,
        context: status.context,
        ...(status.description === undefined ? {} : { description: status.description }),
        ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl })
      })
    )
    return toCommitStatus(data, endpoint)
  }

  /**
   * GET /commits/{ref}/status: GitHub's combined state and the latest status of each context (a
   * free 304 while nothing changed). Its `statuses` is paged past 100 contexts; the pages are
   * read (up to 1,000 contexts) and cross-checked like any list. The newest status of one
   * context is best read here: one request, however many statuses the commit has. An unknown
   * commit is a NotFoundError; a 403 (no `statuses: read`) is the caller's to handle.
   */
  async getCombinedStatus(ref: string): Promise<CombinedStatus> {
    const endpoint = `/repos/${this.owner}/${this.repo}/commits/${ref}/status`
    const octokit = this.octokit
    const params = { ...this.repoParams, ref, per_page: PER_PAGE }
    let head = { state: 'pending', sha: ref, totalCount: 0 }
    // Pages as the list reader takes them: the statuses, carrying the total of contexts.
    async function* pages(): AsyncIterable<{ data: unknown }> {
      for (let page = 1; ; page++) {
        const { data } = await octokit.rest.repos.getCombinedStatusForRef({ ...params, page })
        const raw = checked(data, combinedStatusProblems, `GET ${endpoint}`, 'a combined status')
        if (page === 1) head = { state: String(raw.state), sha: String(raw.sha ?? ref), totalCount: Number(raw.total_count) }
        yield { data: Object.assign([...raw.statuses], { total_count: raw.total_count }) }
        if (raw.statuses.length < PER_PAGE || page * PER_PAGE >= raw.total_count) return
      }
    }
    try {
      const statuses = await this.readList(endpoint, pages, toCommitStatus, MAX_STATUS_PAGES)
      return { ...head, statuses }
    } catch (error) {
      if (isStatus(error, 404)) throw new NotFoundError(`Commit ${ref} was not found in ${this.owner}/${this.repo} (404).`)
      throw error
    }
  }

  /**
   * GET /commits/{ref}/statuses: every status, newest first (GitHub's order), 100 a page, up to
   * `maxPages` (default 10). With `context` (case-insensitive, like GitHub), only that context's,
   * and reading stops after the first page that holds one: a page is newest first, so its first
   * match is the context's newest status. A status posted while the pages are read pushes the
   * others onto later pages: an item seen twice is kept once (statuses are never deleted, so none
   * is skipped). `complete` is false when pages were left unread.
   */
  async listCommitStatuses(ref: string, options: { context?: string; maxPages?: number } = {}): Promise<{ statuses: CommitStatus[]; complete: boolean }> {
    const endpoint = `GET /repos/${this.owner}/${this.repo}/commits/${ref}/statuses`
    const wanted = options.context?.toLowerCase()
    const maxPages = options.maxPages ?? MAX_STATUS_PAGES
    const statuses: CommitStatus[] = []
    const seen = new Set<number>()
    let pagesRead = 0
    const pages = this.octokit.paginate.iterator(this.octokit.rest.repos.listCommitStatusesForRef, { ...this.repoParams, ref, per_page: PER_PAGE })
    for await (const page of pages) {
      const fresh = (page.data as unknown[]).map((raw) => toCommitStatus(raw, endpoint)).filter((status) => !seen.has(status.id))
      for (const status of fresh) seen.add(status.id)
      const matching = wanted === undefined ? fresh : fresh.filter((status) => status.context.toLowerCase() === wanted)
      statuses.push(...matching)
      const more = /rel="next"/.test(String(page.headers.link ?? ''))
      if (++pagesRead >= maxPages || (wanted !== undefined && matching.length > 0)) return { statuses, complete: !more }
    }
    return { statuses, complete: true }
  }

  /**
   * The text of a file at `ref` (GET /contents/{path}?ref=), e.g. a workflow file at a pull
   * request's head; null when there is no such file (404, or a directory there). A file over
   * 1 MB comes without content (`encoding: none`): an error, not null. Needs `contents: read`.
   */
  async getWorkflowFile(path: string, ref: string): Promise<string | null> {
    const endpoint = `GET /repos/${this.owner}/${this.repo}/contents/${path}?ref=${ref}`
    let data: unknown
    try {
      const response = await this.octokit.rest.repos.getContent({ ...this.repoParams, path, ref })
      data = response.data
    } catch (error) {
      if (isStatus(error, 404)) return null
      throw error
    }
    if (Array.isArray(data)) return null
    const raw = checked(data, contentProblems, endpoint, 'a file')
    if (raw.type !== 'file') return null
    if (raw.encoding !== 'base64') throw new Error(`${path} at ${ref} is too large to be read through the contents API (encoding ${String(raw.encoding)}).`)
    // GitHub wraps the base64 in lines of 60 characters; Buffer skips the newlines.
    return Buffer.from(String(raw.content), 'base64').toString('utf8')
  }

  /**
   * A pull request's changed files (GET /pulls/{n}/files), 100 a page. GitHub lists at most
   * 3,000; when the list reaches that, the pull request's `changed_files` (one more request) says
   * how many there are in all. A file listed twice (the list moved while paged) is kept once.
   * Needs `pull-requests: read`.
   */
  async listPullRequestFiles(number: number): Promise<PullRequestFiles> {
    const endpoint = `GET /repos/${this.owner}/${this.repo}/pulls/${number}/files`
    const files: PullRequestFile[] = []
    const names = new Set<string>()
    try {
      const pages = this.octokit.paginate.iterator(this.octokit.rest.pulls.listFiles, { ...this.repoParams, pull_number: number, per_page: PER_PAGE })
      for await (const page of pages) {
        for (const raw of page.data as unknown[]) {
          const file = toPullRequestFile(raw, endpoint)
          if (!names.has(file.filename)) files.push(file)
          names.add(file.filename)
        }
        if (files.length >= MAX_LISTED_PULL_FILES) break
      }
    } catch (error) {
      if (isStatus(error, 404)) throw new NotFoundError(`Pull request #${number} was not found in ${this.owner}/${this.repo} (404).`)
      throw error
    }
    const listed = files.slice(0, MAX_LISTED_PULL_FILES)
    const total = listed.length < MAX_LISTED_PULL_FILES ? listed.length : Math.max(listed.length, (await this.getPullRequest(number)).changedFiles)
    return { files: listed, total }
  }

  /**
   * GET /pulls/{n}: head, base, mergeability and the count of changed files. `mergeable` is null
   * while GitHub computes it in the background (its REST reference: ask again after a moment).
   * Needs `pull-requests: read`.
   */
  /** A commit's whole message (GET /git/commits/{sha}): skip directives are read from it. Needs `contents: read`. */
  async getCommitMessage(sha: string): Promise<string> {
    const { data } = await this.octokit.rest.git.getCommit({ ...this.repoParams, commit_sha: sha })
    const message = (data as { message?: unknown }).message
    if (typeof message !== 'string')
      throw new MalformedBodyError(`GET /repos/${this.owner}/${this.repo}/git/commits/${sha}`, 'a git commit', 'no string message')
    return message
  }

  async getPullRequest(number: number): Promise<PullRequest> {
    const endpoint = `GET /repos/${this.owner}/${this.repo}/pulls/${number}`
    try {
      const { data } = await this.octokit.rest.pulls.get({ ...this.repoParams, pull_number: number })
      return toPullRequest(data, endpoint, `${this.owner}/${this.repo}`)
    } catch (error) {
      if (isStatus(error, 404)) throw new NotFoundError(`Pull request #${number} was not found in ${this.owner}/${this.repo} (404).`)
      throw error
    }
  }
}

/** GitHub refuses a longer commit status description (422 "description is too long (maximum is 140 characters)"). */
const MAX_STATUS_DESCRIPTION = 140
/** Statuses are read 100 a page, at most 10 pages: 1,000, GitHub's limit of statuses per commit and context. */
const MAX_STATUS_PAGES = 10
/** "Responses include a maximum of 3000 files" (GitHub's REST reference, "List pull requests files"). */
const MAX_LISTED_PULL_FILES = 3000

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function commitStatusProblems(raw: unknown): string[] {
  if (!isObject(raw)) return ['not an object']
  const problems: string[] = []
  if (!isId(raw.id)) problems.push('no numeric id')
  if (typeof raw.state !== 'string') problems.push('no string state')
  if (typeof raw.context !== 'string') problems.push('no string context')
  return problems
}

function combinedStatusProblems(raw: unknown): string[] {
  if (!isObject(raw)) return ['not an object']
  const problems: string[] = []
  if (typeof raw.state !== 'string') problems.push('no string state')
  if (typeof raw.total_count !== 'number') problems.push('no numeric total_count')
  if (!Array.isArray(raw.statuses)) problems.push('no statuses array')
  return problems
}

function contentProblems(raw: unknown): string[] {
  if (!isObject(raw)) return ['not an object']
  const problems: string[] = []
  if (typeof raw.type !== 'string') problems.push('no string type')
  if (raw.type === 'file' && raw.encoding === 'base64' && typeof raw.content !== 'string') problems.push('no string content')
  return problems
}

function pullRequestFileProblems(raw: unknown): string[] {
  if (!isObject(raw)) return ['not an object']
  const problems: string[] = []
  if (typeof raw.filename !== 'string') problems.push('no string filename')
  if (typeof raw.status !== 'string') problems.push('no string status')
  return problems
}

function pullRequestDetailProblems(raw: unknown): string[] {
  const problems = pullRequestProblems(raw)
  if (problems.length === 0 && (!isObject((raw as Raw).base) || typeof (raw as Raw).base.ref !== 'string')) problems.push('no string base.ref')
  return problems
}

function toCommitStatus(body: unknown, endpoint: string): CommitStatus {
  const raw = checked(body, commitStatusProblems, endpoint, 'a commit status')
  return {
    id: Number(raw.id),
    context: String(raw.context),
    state: String(raw.state),
    description: typeof raw.description === 'string' ? raw.description : null,
    targetUrl: typeof raw.target_url === 'string' ? raw.target_url : null,
    creator: typeof raw.creator?.login === 'string' ? raw.creator.login : null,
    createdAt: String(raw.created_at ?? ''),
    updatedAt: String(raw.updated_at ?? raw.created_at ?? '')
  }
}

function toPullRequestFile(body: unknown, endpoint: string): PullRequestFile {
  const raw = checked(body, pullRequestFileProblems, endpoint, 'a pull request file')
  return {
    filename: String(raw.filename),
    status: String(raw.status),
    previousFilename: typeof raw.previous_filename === 'string' ? raw.previous_filename : null
  }
}

function toPullRequest(body: unknown, endpoint: string, repository: string): PullRequest {
  const raw = checked(body, pullRequestDetailProblems, endpoint, 'a pull request')
  const head = toPullRequestHead(raw, endpoint, repository)
  return {
    number: head.number,
    state: String(raw.state ?? ''),
    draft: raw.draft === true,
    headSha: head.headSha,
    headRef: String(raw.head.ref ?? ''),
    fork: head.fork,
    baseRef: String(raw.base.ref),
    baseSha: String(raw.base.sha ?? ''),
    mergeable: typeof raw.mergeable === 'boolean' ? raw.mergeable : null,
    mergeableState: String(raw.mergeable_state ?? 'unknown'),
    changedFiles: Number(raw.changed_files ?? 0)
  }
}
