// The typed settings the inputs are read into (inputs.ts) and the commands receive a part of.
import type { RunFilters } from './github/types.js'

export const COMMANDS = ['wait', 'summarize', 'rerun', 'cancel', 'approve', 'delete', 'dispatch'] as const
export type Command = (typeof COMMANDS)[number]

export interface RunRef {
  id: number
  /** Attempt pinned by a `/attempts/N` URL or the `attempt` input. */
  attempt?: number
}

export type Selection =
  | { kind: 'ids'; runs: RunRef[] }
  /** Runs found by listing; `implicit` when it is the current-commit default of `wait`. */
  | { kind: 'filters'; workflows: string[]; filters: RunFilters; implicit: boolean }
  | { kind: 'current-run'; run: RunRef }

export interface WaitSettings {
  timeoutMs: number
  pollIntervalMs: number
  appearTimeoutMs: number
  allowedConclusions: ReadonlySet<string>
  failFast: boolean
  /** Job name patterns (globs); empty = every job counts. */
  jobPatterns: string[]
  cancelOnTimeout: boolean
  /** Only the newest run per workflow, event and branch counts (`latest-only`). */
  latestOnly: boolean
  /**
   * The step's own job (`job-id`, default `${{ job.check_run_id }}`), left out when waiting on
   * the current run; null when not given (then found by RUNNER_NAME).
   */
  ownJobId: number | null
}

export interface SummarySettings {
  enabled: boolean
  /** summarize: directory to save each run's log archive in; '' = none. */
  saveLogs: string
  logLines: number
  timeline: boolean
  /** Read `/timing` (billable minutes; closing down, and empty on public repositories). */
  billableTime: boolean
}

export interface RerunSettings {
  scope: 'failed' | 'all'
  /** Job names, globs or ids to re-run instead of `scope` (from the `job` input). */
  jobs: string[]
  debugLogging: boolean
  /** No re-run once the run's attempt has reached this. */
  maxAttempts: number
  /**
   * `rerun-if`: re-run a run only when every failed job has a failure text (its name, a failed
   * step's name, error or context line) this matches, line by line; null = always re-run.
   */
  rerunIf: RegExp | null
}

export interface ApproveSettings {
  /** Environment names to review; empty = every pending one the token may approve. */
  environments: string[]
  decision: 'approved' | 'rejected'
  /** '' = a default comment naming this run. */
  comment: string
  customGate: boolean
}

export const KEEP_PER = ['workflow', 'branch', 'workflow-and-branch'] as const
export type KeepPer = (typeof KEEP_PER)[number]

export interface DeleteSettings {
  /** Only runs created longer ago than this; null = any age. */
  olderThanMs: number | null
  /** The newest N completed runs of each group (`keepPer`) are kept. */
  keep: number
  /** What `keep` counts per: each workflow, each branch, or each workflow on each branch. */
  keepPer: KeepPer
  /** Only runs whose workflow no longer exists (`deleted-workflows`). */
  deletedWorkflows: boolean
  logsOnly: boolean
  /** Keep the runs on an open pull request's head commit (`keep-pull-requests`). */
  keepPullRequests: boolean
}

export interface DispatchSettings {
  /** The workflow to start: a file name or an id. */
  workflow: string
  /** Branch or tag to run it on. */
  ref: string
  /** The workflow's inputs, as sent. */
  inputs: Record<string, string | number | boolean>
  /**
   * The workflow input that takes a unique marker (a `distinct_id`-style input its `run-name`
   * shows), to tell the run started from others when GitHub gives no run id; '' = none.
   */
  markerInput: string
}

export interface Settings {
  command: Command
  token: string
  owner: string
  repo: string
  selection: Selection
  excludeCurrentRun: boolean
  wait: WaitSettings
  /** rerun and approve: wait for the runs they changed, with the wait settings. */
  waitAfter: boolean
  /** rerun, cancel, approve, delete: read and check everything, send no write, say what would be done. */
  dryRun: boolean
  rerun: RerunSettings
  /** cancel: escalate to force-cancel when a run has not stopped after this long (0 = at once). */
  forceAfterMs: number
  approve: ApproveSettings
  delete: DeleteSettings
  /** dispatch only (null for the other commands). */
  dispatch: DispatchSettings | null
  summary: SummarySettings
}

