// The shapes the rest of the action works with. src/github/api.ts maps GitHub's REST payloads
// (whose ids may be typed as bigint and whose fields are mostly optional) onto these, so report
// and command code never touches raw API objects.

/** Run statuses GitHub documents; unknown strings are kept and treated as "not finished". */
export const RUN_STATUSES = ['requested', 'queued', 'pending', 'waiting', 'in_progress', 'completed'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export const RUN_CONCLUSIONS = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required', 'stale', 'startup_failure'] as const
export type RunConclusion = (typeof RUN_CONCLUSIONS)[number]

/** GitHub's list-runs `status` filter takes a status or a conclusion (all but startup_failure). */
export type StatusFilter = RunStatus | Exclude<RunConclusion, 'startup_failure'>
export const STATUS_FILTER_VALUES: readonly StatusFilter[] = [
  ...RUN_STATUSES,
  ...RUN_CONCLUSIONS.filter((c): c is Exclude<RunConclusion, 'startup_failure'> => c !== 'startup_failure')
]

/** The list-runs filters of the REST API, passed through as given. */
export interface RunFilters {
  branch?: string
  event?: string
  head_sha?: string
  actor?: string
  status?: StatusFilter
  created?: string
}

export interface Run {
  id: number
  /** Workflow name as GitHub shows it (untrusted text: comes from the workflow file). */
  name: string
  /** The run's title (commit message or PR title: untrusted text). */
  displayTitle: string
  runNumber: number
  /** The attempt this object describes (GET /runs/{id} describes the latest one). */
  attempt: number
  status: string
  conclusion: string | null
  event: string
  headBranch: string | null
  headSha: string
  actor: string | null
  workflowId: number
  /** Workflow file path, e.g. `.github/workflows/ci.yml`. */
  path: string
  htmlUrl: string
  createdAt: string
  updatedAt: string
  /** When this attempt started (resets on a re-run). */
  runStartedAt: string | null
  /** The check suite of this attempt, whose check runs are its jobs (null: not given). */
  checkSuiteId: number | null
  /** The base branch of the run's pull request (`pull_requests[0].base.ref`; GitHub lists none for a fork's). */
  pullRequestBase?: string
}

/** A run from a branch's history (failure triage): whose repository its head commit came from. */
export interface HistoryRun extends Run {
  /** `owner/repo` of `head_repository` (a fork's branch can have the base branch's name); null when not given. */
  headRepository: string | null
}

/**
 * A check run from the check-runs lists. GitHub Actions makes one per job execution, with the
 * job's id and name; only its outcome is used (a cheap signal that a job finished), never its details.
 */
export interface CheckRun {
  id: number
  name: string
  status: string
  conclusion: string | null
  /** Null when GitHub gives none (a check run of another app may lack it). */
  checkSuiteId: number | null
  startedAt: string | null
  completedAt: string | null
  /** The slug of the app that made it (`github-actions` for a job's); null when GitHub gives none. */
  app: string | null
  /** Where the check's own page is (the app's details, else GitHub's page of the check run). */
  url: string | null
}

/** An open pull request's head, from GET /pulls: what `delete` must not take from it. */
export interface PullRequestHead {
  id: number
  number: number
  /** The head commit (a fork's too: it is the commit its runs carry as head_sha). */
  headSha: string
  /** `owner/repo` of the head's repository when it is not this one (a fork); null otherwise or when gone. */
  fork: string | null
}

/** From GET /workflows and /workflows/{id}. */
export interface Workflow {
  id: number
  name: string
  /** `.github/workflows/ci.yml` (dynamic workflows: `dynamic/pages/pages-build-deployment`). */
  path: string
  /** `active`, `deleted`, `disabled_fork`, `disabled_inactivity`, `disabled_manually`. */
  state: string
}

export interface Step {
  number: number
  name: string
  status: string
  conclusion: string | null
  startedAt: string | null
  completedAt: string | null
}

export interface Job {
  id: number
  runId: number
  /** The attempt this execution of the job belongs to. */
  runAttempt: number
  name: string
  status: string
  conclusion: string | null
  createdAt: string
  startedAt: string | null
  completedAt: string | null
  htmlUrl: string | null
  runnerName: string | null
  labels: string[]
  steps: Step[]
}

/** From GET /runs/{id}/timing. */
export interface RunTiming {
  /** Sum of the billable milliseconds over all runner OSes; 0 on public repos / self-hosted. */
  billableMs: number
  /** Wall time of the run, when GitHub reports it. */
  runDurationMs: number | null
}

/** From GET /runs/{id}/approvals: who reviewed a deployment of this run. */
export interface Approval {
  user: string
  state: string
  environments: string[]
  comment: string
}

/** From GET /runs/{id}/pending_deployments. */
export interface PendingDeployment {
  environmentId: number
  environment: string
  waitTimerMinutes: number
  currentUserCanApprove: boolean
  reviewers: string[]
}

/** What the error-line extractor found for one failed step. */
export interface StepLogExcerpt {
  jobId: number
  stepNumber: number
  /** The `##[error]` lines of the step, marker removed. */
  errorLines: string[]
  /** Up to `log-lines` lines that came before the first error line (or the step's last lines). */
  contextLines: string[]
  /** True when the excerpt had to be cut (too many error lines, over-long lines). */
  truncated: boolean
  /**
   * Where the step's log says why, for a `#step:<n>:<line>` link: the 1-based line, within the
   * step's part of the log, of its first error line (or of its last line when it has none).
   */
  causeLine: number | null
}

/** Everything the summary and outputs need about one run. */
export interface RunReport {
  run: Run
  jobs: Job[]
  timing: RunTiming | null
  approvals: Approval[]
  pendingDeployments: PendingDeployment[]
  /** Keyed by `${jobId}:${stepNumber}`. */
  excerpts: Map<string, StepLogExcerpt>
  /** Problems met while collecting (e.g. a log that could not be read); shown, never fatal. */
  notes: string[]
  /** The run's newest attempt, when `run` describes an older one (pinned attempt). */
  latestAttempt?: number
}

/** A commit status's state, as POST /statuses/{sha} takes it. */
export type CommitStatusState = 'error' | 'failure' | 'pending' | 'success'

/** What createCommitStatus posts. */
export interface NewCommitStatus {
  state: CommitStatusState
  /** Compared case-insensitively by GitHub. */
  context: string
  /** At most 140 characters (GitHub refuses longer ones). */
  description?: string
  targetUrl?: string
}

/**
 * A commit status, from POST /statuses/{sha}, GET /commits/{ref}/statuses or the combined
 * status. Its context and description are other apps' (or people's) text: untrusted.
 */
export interface CommitStatus {
  id: number
  context: string
  /** `error`, `failure`, `pending`, `success` (unknown strings are kept). */
  state: string
  description: string | null
  targetUrl: string | null
  /** The creator's login; null in the combined status, which does not say. */
  creator: string | null
  createdAt: string
  updatedAt: string
}

/** GET /commits/{ref}/status: GitHub's combined state and the latest status of each context. */
export interface CombinedStatus {
  /** `failure` (a context is error or failure), `pending` (none, or one pending) or `success`. */
  state: string
  sha: string
  statuses: CommitStatus[]
  /** How many contexts the commit has (`statuses` holds fewer only past 1,000 contexts). */
  totalCount: number
}

/** One changed file of a pull request (GET /pulls/{n}/files). */
export interface PullRequestFile {
  /** The path at the head commit (untrusted: the pull request's author names it). */
  filename: string
  /** `added`, `removed`, `modified`, `renamed`, `copied`, `changed`, `unchanged`. */
  status: string
  /** The path before a rename or copy. */
  previousFilename: string | null
}

export interface PullRequestFiles {
  /** At most 3,000: GitHub lists no more. */
  files: PullRequestFile[]
  /** How many files the pull request changes (the pull request's `changed_files` when the list stopped at 3,000). */
  total: number
}

/** GET /pulls/{n}: what a gate needs to prove a skip. */
export interface PullRequest {
  number: number
  /** `open` or `closed`. */
  state: string
  draft: boolean
  headSha: string
  headRef: string
  /** `owner/repo` of the head's repository when it is not this one (a fork); null otherwise or when gone. */
  fork: string | null
  baseRef: string
  baseSha: string
  /** null while GitHub computes it (ask again a moment later); false: merge conflicts. */
  mergeable: boolean | null
  /** `clean`, `dirty` (conflicts), `unknown` (being computed), `blocked`, `behind`, `unstable`, `has_hooks`, `draft`. */
  mergeableState: string
  changedFiles: number
}
