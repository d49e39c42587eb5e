// Option groups several commands share, each read by one reader and handed to a command as a
// value: the step's own settings (every command), the gate's wait options, the summary options.
import { InputError } from '../errors.js'
import type { InputReader } from './reader.js'
import { splitJobNames } from './reader.js'

/** What main.ts needs whatever the command: where, with what token, how long, what to publish. */
export interface StepSettings {
  token: string
  owner: string
  repo: string
  /** Bounds every HTTP exchange and every wait of the step (`timeout`). */
  timeoutMs: number
  /** Conclusions that count as success, for the `conclusion` output and every verdict. */
  allowedConclusions: ReadonlySet<string>
  summary: SummarySettings
}

export interface SummarySettings {
  enabled: boolean
  /** Error context lines per failed step (0 = read no logs). */
  logLines: number
  timeline: boolean
  /** Failure triage against the base branch's history (`triage`); false = no request for it. */
  triage: boolean
}

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

/** What a gate needs besides its selection: its rules, and what its summary collects. */
export interface GateOptions {
  wait: WaitSettings
  /** Error context lines per failed step in the summary (0 = read no logs). */
  logLines: number
  /** Read `/timing` (billable minutes; closing down, and empty on public repositories). */
  billableTime: boolean
}

/** Polling faster than once a second buys nothing (timestamps have second precision). */
const MIN_POLL_INTERVAL_MS = 1000
/** A job log rarely needs more context than this; more would crowd the 1 MiB summary. */
const MAX_LOG_LINES = 1000
// GitHub's rules: an owner is 1–39 letters, digits or inner hyphens; a repository name is 1–100
// letters, digits, `-`, `_` or `.`, and never `.` or `..` (which would climb the API path).
const REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)\/([A-Za-z0-9_.-]{1,100})$/

export function readStep(inputs: InputReader, defaultRepository: string): StepSettings {
  const token = inputs.text('token')
  if (token === '') throw new InputError('token', '', 'a token is required, e.g. ${{ github.token }}')
  const repository = inputs.text('repository').trim() || defaultRepository
  const repoMatch = REPOSITORY.exec(repository)
  if (!repoMatch || repoMatch[2] === '.' || repoMatch[2] === '..') {
    throw new InputError('repository', repository, 'expected owner/repo (GitHub owner and repository names)')
  }
  const [, owner = '', repo = ''] = repoMatch
  return {
    token,
    owner,
    repo,
    timeoutMs: inputs.duration('timeout', 1000),
    allowedConclusions: inputs.conclusions('allowed-conclusions'),
    summary: {
      enabled: inputs.boolean('summary'),
      logLines: inputs.integer('log-lines', 0, MAX_LOG_LINES),
      timeline: inputs.boolean('timeline'),
      triage: inputs.boolean('triage')
    }
  }
}

export function readPollInterval(inputs: InputReader): number {
  return inputs.duration('poll-interval', MIN_POLL_INTERVAL_MS)
}

function readJobId(inputs: InputReader): number | null {
  const value = inputs.text('job-id').trim()
  if (value === '') return null
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new InputError('job-id', value, 'expected the numeric id of this job (${{ job.check_run_id }})')
  }
  return Number(value)
}

/** The gate's rules: `wait`, and the commands that wait afterwards (`wait: true`). */
export function readWaitSettings(inputs: InputReader, step: StepSettings): WaitSettings {
  return {
    timeoutMs: step.timeoutMs,
    pollIntervalMs: readPollInterval(inputs),
    appearTimeoutMs: inputs.duration('appear-timeout'),
    allowedConclusions: step.allowedConclusions,
    failFast: inputs.boolean('fail-fast'),
    jobPatterns: splitJobNames(inputs.text('job')),
    cancelOnTimeout: inputs.boolean('cancel-on-timeout'),
    latestOnly: inputs.boolean('latest-only'),
    ownJobId: readJobId(inputs)
  }
}

export function readGateOptions(inputs: InputReader, step: StepSettings): GateOptions {
  return { wait: readWaitSettings(inputs, step), logLines: step.summary.logLines, billableTime: inputs.boolean('billable-time') }
}
