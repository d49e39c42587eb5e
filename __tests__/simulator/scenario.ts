// The scenario language: what tests, the demo and the bench describe, and the simulator derives
// every API answer from. All times are virtual seconds after the simulator started.

export type StepConclusion = 'success' | 'failure' | 'skipped' | 'cancelled'

export interface StepSpec {
  name: string
  /** Virtual seconds the step takes. */
  seconds: number
  /** Default 'success'. */
  conclusion?: StepConclusion
  /** Lines the step prints (timestamps are added, spread over the step); may contain ##[error] etc. */
  log?: string[]
  /** Extra generated lines, streamed (never built in memory). */
  fillerLines?: number
  /**
   * A multi-line error the step ends with: `##[error]<first>`, then the other lines with no
   * timestamp, as the runner writes a multi-line `::error::` message.
   */
  multiLineError?: string[]
  /** The step fails with no `##[error]` line at all (a JavaScript action that crashed: its stack trace is the cause). */
  crashed?: boolean
  /** Runs even after an earlier failed step, like `if: always()`. */
  always?: boolean
}

export interface JobSpec {
  name: string
  /** Seconds between the job being created and starting (default 1). */
  queuedSeconds?: number
  /** The job is created only once these completed; if one did not succeed it is completed/skipped. */
  needs?: string[]
  /** The job's `if` is false: created (after its needs) as completed/skipped, with no steps. */
  ifFalse?: boolean
  /** 'Set up job' (1 s) and 'Complete job' (1 s) are added around these, like GitHub. */
  steps: StepSpec[]
  runnerName?: string
  /** Default ['ubuntu-latest']. */
  labels?: string[]
}

export interface AttemptSpec {
  /** Virtual seconds after simulator start when this attempt is created. */
  at: number
  /** For attempts >= 2: 'failed' carries the previous attempt's other jobs over (default 'all'). */
  rerun?: 'failed' | 'all'
  jobs: JobSpec[]
  /**
   * Run status held (no job starts) until virtual second `until`. Without `until` the hold lasts
   * until every pending deployment of the run was approved (POST pending_deployments, or
   * deployment_protection_rule for custom gates); a rejection ends the attempt as a failure. A
   * timed hold is released early, or rejected, the same way.
   */
  hold?: { status: 'waiting' | 'pending'; until?: number }
  /** Like a re-run with `enable_debug_logging`: the job logs include `##[debug]` lines. */
  debugLogging?: boolean
}

export interface RunSpec {
  id: number
  /** File name of one of scenario.workflows, e.g. 'ci.yml'. */
  workflow: string
  event?: string
  branch?: string
  sha?: string
  actor?: string
  title?: string
  /**
   * `owner/repo` of the head commit's repository when it is not this one: a fork's pull request
   * run, whose `head_branch` is the fork's branch and may be named like the base branch (the
   * runs list's `branch` filter matches it too: GitHub support, quoted in badges/shields#8733).
   */
  headRepository?: string
  /**
   * The run's pull request, as the run's `pull_requests` shows it (GitHub's list-runs examples;
   * it lists none for a fork's pull request, so leave it out on fork runs).
   */
  pullRequest?: { number: number; base: string }
  attempts: AttemptSpec[]
  /**
   * Completes immediately with this conclusion and no jobs. An 'action_required' run (a fork pull
   * request's) runs attempts[0].jobs from the moment it is approved (POST approve); later
   * pre-declared attempts of an outcome run are ignored.
   */
  outcome?: 'action_required' | 'startup_failure'
  approvals?: { user: string; state: 'approved' | 'rejected'; environments: string[]; comment?: string }[]
  /** Served while the run status is 'waiting' (per attempt, minus the ones reviewed through the API). */
  pendingDeployments?: {
    environment: string
    id: number
    waitTimerMinutes?: number
    canApprove?: boolean
    reviewers?: string[]
    /**
     * The environment waits on a GitHub App's custom deployment protection rule, not on reviewers:
     * only POST deployment_protection_rule settles it (served with current_user_can_approve false).
     */
    customGate?: boolean
  }[]
  /**
   * A newer run of the same concurrency group cancels this one's first attempt at this virtual
   * second (GitHub then shows it completed/cancelled, like a cancel through the API).
   */
  cancelledByConcurrencyAt?: number
  /** A normal POST cancel is accepted (202) but changes nothing (`if: always()` jobs, a stuck runner); force-cancel works. */
  ignoresCancel?: boolean
  /**
   * The spec a job runs with when an API re-run (rerun, rerun-failed-jobs, jobs/{id}/rerun)
   * includes it, by job name: element k-1 for the k-th API re-run including that job (the last
   * element repeats; a single JobSpec always applies). Without an entry a job re-runs with the spec
   * of the execution it replaces (a failing job fails again). The name is always the key; `needs`
   * is kept from the replaced execution unless the entry sets it.
   */
  rerunSpecs?: Record<string, JobSpec | JobSpec[]>
}

export interface WorkflowSpec {
  id: number
  name: string
  /** 'ci.yml' → path '.github/workflows/ci.yml'. */
  file: string
  /**
   * Required by a ruleset and stored in another repository: its runs are in this repository's
   * run list, but /workflows/{id} and /workflows/{id}/runs answer 404 (cli/cli#9228, #10076).
   */
  required?: boolean
  /**
   * The workflow has a `workflow_dispatch` trigger: POST /workflows/{id}/dispatches starts a run
   * of these jobs on the given ref. `inputs` are the names it declares (others are refused, as
   * GitHub does); `runName` is its `run-name`, with `{name}` replaced by that input's value.
   */
  dispatch?: { inputs?: string[]; runName?: string; jobs: JobSpec[] }
  /**
   * The workflow's state in GET /workflows and /workflows/{id} (default 'active'). A deleted
   * workflow's file is gone but its runs stay; its record still answers by id.
   */
  state?: 'active' | 'deleted' | 'disabled_fork' | 'disabled_inactivity' | 'disabled_manually'
  /**
   * Left out of GET /workflows (still served by id, like a deleted workflow whose record GitHub
   * no longer lists): its runs' path is among none of the listed workflows.
   */
  unlisted?: boolean
}

/** A pull request of the repository, as GET /pulls lists it. */
export interface PullRequestSpec {
  number: number
  /** Its head commit: the head_sha of the runs it triggers (a fork's too). */
  sha: string
  /** Head branch (default `pr-<number>`). */
  branch?: string
  /** `owner/repo` of the fork its head lives in; absent: this repository. */
  fork?: string
  title?: string
  /** Login of its author (default the fork's owner, else octocat). */
  author?: string
  /** Default 'open'; closed ones are listed only for `state=closed|all`. */
  state?: 'open' | 'closed'
  /** Virtual second it was opened (default 0): lists are newest first. */
  at?: number
  /** Its base branch (default the repository's default branch). */
  base?: string
  /** Its changed files, as GET /pulls/{n}/files lists them (a string is a modified file); `changed_files` counts them. */
  files?: (string | PullFileSpec)[]
  /**
   * Whether it merges cleanly (default true; false: merge conflicts, `mergeable_state: dirty`).
   * GitHub computes this in the background: until virtual second `mergeableAt` (default: always
   * known) GET /pulls/{n} answers `mergeable: null` and `mergeable_state: unknown`.
   */
  mergeable?: boolean
  mergeableAt?: number
  /** `mergeable_state` once known, when not the plain `clean`/`dirty` (`blocked`, `unstable`, `behind`, `has_hooks`, `draft`). */
  mergeableState?: string
  draft?: boolean
}

/** A changed file of a pull request. */
export interface PullFileSpec {
  filename: string
  /** Default 'modified'. */
  status?: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  /** For `renamed` (and `copied`): the name it had. */
  previousFilename?: string
  additions?: number
  deletions?: number
}

export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success'

/** A commit status made by someone else (another app, a person): seeded, never posted by the action. */
export interface CommitStatusSpec {
  sha: string
  /** Default 'default', like GitHub's; compared case-insensitively. */
  context?: string
  state: CommitStatusState
  description?: string | null
  targetUrl?: string | null
  /** Login of its creator (default 'octocat'); e.g. 'vercel[bot]'. */
  creator?: string
  /** Virtual second it was created (default 0); a later one is not there before. */
  at?: number
}

/** A check run of another app (Vercel, Netlify, Codecov…), listed beside the Actions jobs' check runs. */
export interface ExternalCheckRunSpec {
  /** Assigned when absent (ids of other apps' check runs never collide with job ids: see repo-state.ts). */
  id?: number
  sha: string
  name: string
  /** The app's slug, e.g. 'vercel' (never 'github-actions': those are the runs' jobs). */
  app: string
  /** Virtual second it was created (default 0). */
  at?: number
  /** Status until it completes (default 'in_progress'). */
  status?: 'queued' | 'in_progress'
  /** Virtual second it completed with `conclusion` (absent: it has not, until Simulator.completeCheckRun). */
  completedAt?: number
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale'
  detailsUrl?: string
}

/** A file of the repository at one ref (GET /contents/{path}?ref=): a workflow file, mostly. */
export interface FileSpec {
  /** E.g. '.github/workflows/ci.yml'. */
  path: string
  /** A commit sha or a branch name (`refs/heads/` is accepted and dropped); a request without `ref` reads the default branch. */
  ref: string
  content: string
}

export interface Scenario {
  owner: string
  repo: string
  workflows: WorkflowSpec[]
  runs: RunSpec[]
  pullRequests?: PullRequestSpec[]
  /** The repository's default branch (default 'main'), as GET /repos/{owner}/{repo} says. */
  defaultBranch?: string
  /** Commit statuses made by others (the action's own are posted through the API). */
  statuses?: CommitStatusSpec[]
  /** Check runs of other apps. */
  checkRuns?: ExternalCheckRunSpec[]
  /** Files the contents endpoint serves, per ref. */
  files?: FileSpec[]
  /**
   * Commits that exist besides the ones the scenario already names (runs', pull requests' heads,
   * statuses', check runs', files' shas, DEFAULT_SHA): POST /statuses/{sha} on any other sha is
   * refused like GitHub refuses it (422 "No commit found for SHA").
   */
  commits?: string[]
  /** Commit messages by sha (GET /git/commits/{sha}); others read `Update <sha>`. */
  commitMessages?: Record<string, string>
}

/**
 * What a token may do beyond the Actions endpoints (default: everything). `pullRequests: 'none'`
 * is a token whose workflow gave no `pull-requests: read`: GET /pulls, /pulls/{n} and
 * /pulls/{n}/files answer 403.
 */
export interface TokenSpec {
  pullRequests?: 'read' | 'none'
  /** `read` or `none`: POST /statuses answers 403; `none`: the status reads too. */
  statuses?: 'write' | 'read' | 'none'
  /** `none`: GET /contents answers 403. */
  contents?: 'read' | 'none'
  /** `none`: the check-run lists answer 403. */
  checks?: 'read' | 'none'
  /** Who the token acts as: the creator of the statuses it posts (default 'github-actions[bot]', a GITHUB_TOKEN). */
  login?: string
}

/**
 * An injected fault, matched by method, path (relative to the path prefix) and, when given, query
 * parameters (each listed one must be equal; `page` absent counts as '1'). Where a kind applies:
 * API = the REST API origin, logs = the log storage host.
 */
export type Fault = { method?: string; path: string | RegExp; query?: Record<string, string>; times?: number } &
  /** API, logs: answered with this status (and body) instead of being handled. */
  (
    | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
    /** API. */
    | { kind: 'secondary-rate-limit'; retryAfter?: number }
    /** API: 403 with remaining 0, resetting in `resetInSeconds` (or at `resetAt`, epoch seconds, real time plus the skew). */
    | { kind: 'primary-rate-limit'; resetInSeconds: number; resetAt?: number }
    /** API, logs: answered (normally) after `ms` real milliseconds. */
    | { kind: 'delay'; ms: number }
    /** API, logs: the socket is destroyed before anything is answered (nothing is done). */
    | { kind: 'reset' }
    /**
     * API: the request is performed normally (a write takes effect), then its answer is lost: a
     * `status` (default 502) instead of the real one, or, with `reply: 'reset'`, a destroyed socket.
     */
    | { kind: 'lost-reply'; reply?: 'status' | 'reset'; status?: number }
    /** API, logs: the normal status and headers are sent, then nothing, ever (the socket stays open). */
    | { kind: 'stall-after-headers' }
    /**
     * API, logs: the normal headers, then only the first `bytes` of the body (default half of it;
     * for logs default 64), then: `destroy` (default; the Content-Length promised more), `end`
     * (a clean end, chunked: JSON cut short) or `stall` (nothing more, the socket stays open).
     */
    | { kind: 'truncate-body'; bytes?: number; then?: 'destroy' | 'end' | 'stall' }
    /** API, logs: 200 with an HTML page (a proxy's or a captive portal's), nothing done. */
    | { kind: 'html-200' }
    /** API: 200 with `{}` (application/json), nothing done. */
    | { kind: 'empty-object' }
    /**
     * API: handled normally, but the `Link` header points at `origin` (default the log host, so a
     * request that follows it is recorded there): page links rewritten, or a rel="next" added.
     */
    | { kind: 'foreign-link'; origin?: string }
    /**
     * API, list endpoints: handled with the list's first item moved to its end before paging, as if
     * it had changed between two page requests. Match it to a later page (`query: { page: '2' }`)
     * so page 1 was served from the list before the move.
     */
    | { kind: 'shifting-pages' }
  )

export interface RecordedRequest {
  origin: 'api' | 'logs'
  method: string
  /** Without the path prefix and the query. */
  path: string
  query: Record<string, string>
  /** 0 when the socket was destroyed without an answer. */
  status: number
  /** Counted against the primary rate limit. */
  counted: boolean
  /** An Authorization header was sent. */
  authorization: boolean
  /** Had If-None-Match. */
  conditional: boolean
  /** Date.now() when received. */
  realMs: number
  /** The simulator's (virtual) epoch ms when received: the shared fake clock in process. */
  atMs: number
  /** Body bytes sent in the answer (when it was sent whole). */
  bytes?: number
  /** The parsed JSON request body (undefined when none or empty; the raw text when it is not JSON). */
  body?: unknown
}

export interface SimulatorOptions {
  /** Virtual seconds per real second (default 1). */
  speed?: number
  /**
   * The time source virtual time runs on (epoch ms, default Date.now): in-process tests pass
   * their fake clock, so the action and the simulator share one time that jumps.
   */
  now?: () => number
  /**
   * GitHub's clock minus the runner's, in ms (default 0): -90_000 plays a runner 90 s fast. The
   * payloads' times, the Date header and x-ratelimit-reset all follow the skewed clock.
   */
  skewMs?: number
  /** Requests per token per hour (default 1000). */
  rateLimit?: number
  /** E.g. '/api/v3' to look like GHES (default ''). */
  pathPrefix?: string
  /** Used in html_url (default 'https://github.com'). */
  serverUrl?: string
  /**
   * Check every JSON response against the OpenAPI extract (default true). Request bodies are
   * always checked: a bad one is answered 422 (400 when not JSON) and recorded in `violations`.
   */
  validate?: boolean
  /**
   * How POST /workflows/{id}/dispatches answers (API-NOTES, "Workflow dispatch"):
   * 'run-details' (default): 200 with the run's id and URLs when `return_run_details` is true,
   * else 204; 'no-content': always 204, as before 2026; 'unknown-field': 422 for a body with
   * `return_run_details` (a server that does not know the field), else 204.
   */
  dispatchAnswer?: 'run-details' | 'no-content' | 'unknown-field'
  /** Per token (the secret itself): its permissions; tokens not named may do everything. */
  tokens?: Record<string, TokenSpec>
}

/** Ids are packed as runId * 100000 + attempt * 1000 + index, so these bound a scenario. */
export const MAX_JOBS_PER_ATTEMPT = 1000
export const MAX_ATTEMPTS = 99

/** Rejects scenarios the derivation cannot represent, early and with a clear message. */
export function checkRun(run: RunSpec, scenario: Pick<Scenario, 'workflows'>, knownIds: ReadonlySet<number>): void {
  const where = `run ${run.id}`
  if (!Number.isSafeInteger(run.id) || run.id <= 0) throw new Error(`${where}: id must be a positive integer`)
  if (!Number.isSafeInteger(run.id * 100000 + MAX_ATTEMPTS * 1000 + MAX_JOBS_PER_ATTEMPT)) {
    throw new Error(`${where}: id too large to derive job ids from`)
  }
  if (knownIds.has(run.id)) throw new Error(`${where}: duplicate run id`)
  if (!scenario.workflows.some((w) => w.file === run.workflow)) throw new Error(`${where}: unknown workflow ${run.workflow}`)
  if (run.attempts.length === 0) throw new Error(`${where}: needs at least one attempt`)
  if (run.attempts.length > MAX_ATTEMPTS) throw new Error(`${where}: too many attempts`)
  let previousAt = -Infinity
  run.attempts.forEach((attempt, i) => {
    if (attempt.at < previousAt) throw new Error(`${where}: attempts must be in time order`)
    previousAt = attempt.at
    if (attempt.jobs.length > MAX_JOBS_PER_ATTEMPT) throw new Error(`${where}: too many jobs in attempt ${i + 1}`)
    const names = new Set<string>()
    for (const job of attempt.jobs) {
      if (names.has(job.name)) throw new Error(`${where}: duplicate job name ${job.name} in attempt ${i + 1}`)
      names.add(job.name)
    }
    checkAcyclic(attempt.jobs, `${where} attempt ${i + 1}`)
  })
  for (const [name, specs] of Object.entries(run.rerunSpecs ?? {})) {
    if (Array.isArray(specs) && specs.length === 0) throw new Error(`${where}: rerunSpecs.${name} is empty`)
  }
}

/** Throws when `needs` form a cycle (unknown names are ignored: they count as satisfied). */
export function checkAcyclic(jobs: JobSpec[], where: string): void {
  const byName = new Map(jobs.map((job) => [job.name, job]))
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (job: JobSpec): void => {
    const seen = state.get(job.name)
    if (seen === 'done') return
    if (seen === 'visiting') throw new Error(`${where}: needs cycle through ${job.name}`)
    state.set(job.name, 'visiting')
    for (const need of job.needs ?? []) {
      const target = byName.get(need)
      if (target) visit(target)
    }
    state.set(job.name, 'done')
  }
  jobs.forEach(visit)
}
