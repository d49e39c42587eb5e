// Reads every input once, validates it, and returns a typed Settings object. Nothing here calls
// the API: bad input fails the step before any request is made, with a message that names the
// input, the value it got, and the form it expects.
import * as core from '@actions/core'
import { parse as parseYaml } from 'yaml'
import type { ActionContext } from './runner/context.js'
import { parseCreated } from './time/created.js'
import { parseDuration } from './time/duration.js'
import { RUN_CONCLUSIONS, STATUS_FILTER_VALUES, type RunFilters, type StatusFilter } from './github/types.js'
import {
  COMMANDS,
  type ApproveSettings,
  type Command,
  type DeleteSettings,
  type DispatchSettings,
  KEEP_PER,
  type RerunSettings,
  type RunRef,
  type Selection,
  type Settings
} from './settings.js'

/** Commands that change other runs: they never act on an implicit selection. */
const DESTRUCTIVE: ReadonlySet<Command> = new Set(['rerun', 'cancel', 'approve', 'delete'])
/** GitHub's limit on a dispatch's inputs (the OpenAPI description's maxProperties). */
const MAX_DISPATCH_INPUTS = 25
// A git ref as a branch or tag name: no spaces, no `..`, none of git's forbidden characters.
const REF = /^(?!.*\.\.)(?!\/)(?!.*\/$)[^\s~^:?*[\\]+$/
// An input name as workflow syntax allows it.
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/

/** Defaults, identical to action.yml's (a test checks), applied when an input is absent. */
export const DEFAULTS = {
  command: 'summarize',
  'exclude-current-run': 'true',
  timeout: '30m',
  'poll-interval': '10s',
  'appear-timeout': '60s',
  'allowed-conclusions': 'success,neutral',
  'latest-only': 'false',
  'fail-fast': 'true',
  'cancel-on-timeout': 'false',
  summary: 'true',
  'log-lines': '30',
  timeline: 'true',
  'billable-time': 'false',
  scope: 'failed',
  'debug-logging': 'false',
  'max-attempts': '3',
  wait: 'false',
  'force-after': '60s',
  decision: 'approved',
  'custom-gate': 'false',
  keep: '0',
  'keep-per': 'workflow',
  'deleted-workflows': 'false',
  'logs-only': 'false',
  'keep-pull-requests': 'true',
  'dry-run': 'false'
} as const

/** Polling faster than once a second buys nothing (timestamps have second precision). */
const MIN_POLL_INTERVAL_MS = 1000
/** A job log rarely needs more context than this; more would crowd the 1 MiB summary. */
const MAX_LOG_LINES = 1000
/** GitHub keeps at most this many attempts of a run (the simulator and the API agree). */
const MAX_RUN_ATTEMPTS = 100
/** More runs than this kept per workflow or branch is a typo more likely than a wish. */
const MAX_KEEP = 1000
/**
 * `rerun-if` is run on every failure line (each at most 1,000 characters): a pattern this long
 * is almost surely pasted by mistake, and a short one is easier to check for slow constructs.
 */
export const MAX_RERUN_IF_LENGTH = 500
/** Flags a `/…/flags` pattern may carry; `g` and `y` would make `test` stateful. */
const RERUN_IF_FLAGS = /^[imsuv]*$/

export class InputError extends Error {
  constructor(input: string, value: string, expected: string) {
    super(`Input '${input}' has an invalid value '${value}': ${expected}`)
    this.name = 'InputError'
  }
}

type InputName = keyof typeof DEFAULTS | string

/** Where inputs come from: the runner's INPUT_* variables, or what a test passes. */
export type InputSource = (name: string) => string

let source: InputSource = (name) => core.getInput(name)

function read(name: InputName): string {
  const given = source(name)
  if (given !== '') return given
  return (DEFAULTS as Record<string, string>)[name] ?? ''
}

function readBoolean(name: InputName): boolean {
  const value = read(name)
  if (/^(true|yes|on)$/i.test(value)) return true
  if (/^(false|no|off)$/i.test(value)) return false
  throw new InputError(name, value, 'expected true or false')
}

function readDuration(name: InputName, minimumMs = 0): number {
  const value = read(name)
  const ms = parseDuration(value)
  if (ms === null) {
    throw new InputError(name, value, 'expected a duration such as 90, 500ms, 90s, 15m, 1h30m or 7d')
  }
  if (ms < minimumMs) {
    throw new InputError(name, value, `must be at least ${minimumMs / 1000}s`)
  }
  return ms
}

function readChoice<T extends string>(name: InputName, choices: readonly T[]): T {
  const value = read(name).trim()
  if (!(choices as readonly string[]).includes(value)) throw new InputError(name, value, `expected one of ${choices.join(', ')}`)
  return value as T
}

function readInteger(name: InputName, min: number, max: number): number {
  const value = read(name).trim()
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(name, value, `expected a whole number from ${min} to ${max}`)
  }
  return Number(value)
}

/** Splits on commas, spaces and newlines. */
function words(text: string): string[] {
  return text.split(/[\s,]+/).filter((w) => w !== '')
}

/**
 * Splits job names: one per line, or comma separated on one line. A comma inside parentheses
 * stays, because matrix job names look like `test (ubuntu-latest, 20)`.
 */
export function splitJobNames(text: string): string[] {
  const names: string[] = []
  for (const line of text.split(/\r?\n/)) {
    let depth = 0
    let current = ''
    for (const ch of line) {
      if (ch === '(') depth++
      if (ch === ')') depth = Math.max(0, depth - 1)
      if (ch === ',' && depth === 0) {
        names.push(current)
        current = ''
      } else {
        current += ch
      }
    }
    names.push(current)
  }
  return names.map((n) => n.trim()).filter((n) => n !== '')
}

// GitHub's rules: an owner is 1–39 letters, digits or inner hyphens; a repository name is 1–100
// letters, digits, `-`, `_` or `.`, and never `.` or `..` (which would climb the API path).
const REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)\/([A-Za-z0-9_.-]{1,100})$/
const RUN_URL = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)(?:\/attempts\/(\d+))?\/?(?:[?#].*)?$/

function parseRunIds(text: string, owner: string, repo: string, serverUrl: string): RunRef[] {
  const serverHost = new URL(serverUrl).host.toLowerCase()
  const refs: RunRef[] = []
  for (const word of words(text)) {
    if (/^\d+$/.test(word) && Number(word) > 0 && Number.isSafeInteger(Number(word))) {
      refs.push({ id: Number(word) })
      continue
    }
    const url = RUN_URL.exec(word)
    if (!url) {
      throw new InputError(
        'run-id',
        word,
        'expected a run id (digits) or a run URL such as https://github.com/OWNER/REPO/actions/runs/123 or …/runs/123/attempts/2'
      )
    }
    const [, urlOwner, urlRepo, id, attempt] = url
    // A run URL names a run of this GitHub: one on another host is a mistake or a lure.
    if (new URL(word).host.toLowerCase() !== serverHost) {
      throw new InputError('run-id', word, `the URL is not on this GitHub (${serverHost}); give the run id or a run URL on ${serverHost}`)
    }
    if (`${urlOwner}/${urlRepo}`.toLowerCase() !== `${owner}/${repo}`.toLowerCase()) {
      throw new InputError(
        'run-id',
        word,
        `the URL is in ${urlOwner}/${urlRepo} but 'repository' is ${owner}/${repo}; set 'repository' to ${urlOwner}/${urlRepo}`
      )
    }
    if (!Number.isSafeInteger(Number(id)) || (attempt !== undefined && Number(attempt) > MAX_RUN_ATTEMPTS)) {
      throw new InputError('run-id', word, `the run id or attempt in the URL is out of range (attempts go up to ${MAX_RUN_ATTEMPTS})`)
    }
    refs.push({ id: Number(id), ...(attempt ? { attempt: Number(attempt) } : {}) })
  }
  // The same run given twice (an id and its URL) is one run.
  return refs.filter((ref, i) => refs.findIndex((other) => other.id === ref.id && other.attempt === ref.attempt) === i)
}

function parseWorkflows(text: string): string[] {
  return words(text).map((w) => {
    // `.github/workflows/ci.yml` and `ci.yml` name the same workflow; the API wants the file name.
    const name = w.replace(/^\.github\/workflows\//, '')
    if (!/^\d+$/.test(name) && !/^[\w.-]+\.ya?ml$/.test(name)) {
      throw new InputError('workflow', w, 'expected workflow file names (ci.yml) or numeric workflow ids, comma separated')
    }
    return name
  })
}

function readFilters(): RunFilters {
  const filters: RunFilters = {}
  for (const [input, key] of [
    ['branch', 'branch'],
    ['event', 'event'],
    ['actor', 'actor'],
    ['created', 'created']
  ] as const) {
    const value = read(input).trim()
    if (value !== '') filters[key] = value
  }
  const sha = read('head-sha').trim()
  if (sha !== '') {
    if (!/^[0-9a-f]{40}$/i.test(sha)) throw new InputError('head-sha', sha, 'expected a full 40-character commit sha')
    filters.head_sha = sha.toLowerCase()
  }
  const status = read('status').trim()
  if (status !== '') {
    if (!(STATUS_FILTER_VALUES as readonly string[]).includes(status)) {
      throw new InputError('status', status, `expected one of ${STATUS_FILTER_VALUES.join(', ')}`)
    }
    filters.status = status as StatusFilter
  }
  const created = filters.created
  if (created !== undefined && parseCreated(created) === null) {
    throw new InputError('created', created, 'expected a date or range such as >=2026-11-01, 2026-11-01..2026-11-20 or <=2026-11-01T12:00:00Z')
  }
  return filters
}

function readConclusions(name: string): Set<string> {
  const value = read(name)
  const list = words(value)
  for (const c of list) {
    if (!(RUN_CONCLUSIONS as readonly string[]).includes(c)) {
      throw new InputError(name, c, `unknown conclusion; expected some of ${RUN_CONCLUSIONS.join(', ')}`)
    }
  }
  if (list.length === 0) throw new InputError(name, value, 'expected at least one conclusion, e.g. success')
  return new Set(list)
}

function readSelection(command: Command, owner: string, repo: string, context: ActionContext): Selection {
  const pinned = read('attempt').trim()
  if (pinned !== '' && (!/^\d+$/.test(pinned) || Number(pinned) < 1 || Number(pinned) > MAX_RUN_ATTEMPTS)) {
    throw new InputError('attempt', pinned, `expected an attempt number from 1 to ${MAX_RUN_ATTEMPTS}`)
  }
  const attempt = pinned === '' ? undefined : Number(pinned)
  const runIds = parseRunIds(read('run-id'), owner, repo, context.serverUrl || 'https://github.com').map((r) =>
    r.attempt === undefined && attempt !== undefined ? { ...r, attempt } : r
  )
  const workflows = parseWorkflows(read('workflow'))
  const filters = readFilters()
  // `delete` can select by listing alone: the runs whose workflow was deleted.
  const deletedWorkflows = command === 'delete' && readBoolean('deleted-workflows')
  const hasFilters = workflows.length > 0 || Object.keys(filters).length > 0 || deletedWorkflows
  if (command === 'dispatch') return { kind: 'filters', workflows, filters, implicit: false }
  if (DESTRUCTIVE.has(command)) {
    // GitHub re-runs, cancels, approves and deletes runs, never one attempt of them.
    if (attempt !== undefined) throw new InputError('attempt', pinned, `'${command}' acts on a run's latest attempt; leave 'attempt' empty`)
    const pinnedUrl = runIds.find((r) => r.attempt !== undefined)
    if (pinnedUrl) {
      throw new InputError('run-id', `…/runs/${pinnedUrl.id}/attempts/${pinnedUrl.attempt}`, `'${command}' acts on a run's latest attempt; give the run URL without /attempts/N`)
    }
    const self = runIds.find((r) => r.id === context.runId)
    if (self) {
      throw new InputError('run-id', String(self.id), `that is the run this step runs in; '${command}' does not act on its own run`)
    }
  }
  if (runIds.length > 0 && deletedWorkflows) {
    throw new InputError('deleted-workflows', read('deleted-workflows'), "it selects runs by listing them; leave 'run-id' empty (or set deleted-workflows: false to delete the runs given)")
  }
  if (runIds.length > 0) return { kind: 'ids', runs: runIds }
  // A gate over listed runs (the commit's, or the filters') judges each run's latest attempt:
  // one attempt number pinned on several runs means nothing, and dropping it silently would
  // judge without the pin the user asked for.
  if (command === 'wait' && attempt !== undefined) {
    throw new InputError('attempt', pinned, "'wait' pins an attempt only on the runs given in 'run-id' (or a …/runs/N/attempts/M URL); leave 'attempt' empty when waiting on the commit's runs or on filters")
  }
  if (hasFilters) return { kind: 'filters', workflows, filters, implicit: false }
  if (DESTRUCTIVE.has(command)) {
    throw new InputError(
      'run-id',
      '',
      `'${command}' changes other runs, so it needs an explicit selection: set 'run-id', or 'workflow' and/or list filters (branch, event, head-sha, actor, status, created)${command === 'delete' ? ", or 'deleted-workflows: true'" : ''}`
    )
  }
  if (command === 'summarize') {
    if (!context.runId) {
      throw new InputError('run-id', '', 'no run to summarize: not running in GitHub Actions (GITHUB_RUN_ID unset), so give a run id')
    }
    return { kind: 'current-run', run: { id: context.runId, ...(attempt ? { attempt } : {}) } }
  }
  if (!context.headSha) {
    throw new InputError('run-id', '', 'nothing to wait for: no run-id or filter given and no current commit (GITHUB_SHA unset)')
  }
  return { kind: 'filters', workflows: [], filters: { head_sha: context.headSha }, implicit: true }
}

/** `dispatch`'s workflow, ref, inputs and marker, all checked before anything is sent. */
function readDispatch(context: ActionContext): DispatchSettings {
  const workflowText = read('workflow').trim()
  const workflows = parseWorkflows(workflowText)
  if (workflows.length !== 1) throw new InputError('workflow', workflowText, "'dispatch' starts one workflow: give exactly one file name (deploy.yml) or id")
  const ref = read('ref').trim() || context.ref
  if (ref === '') throw new InputError('ref', '', 'no branch or tag to run the workflow on: set ref (GITHUB_REF_NAME is unset)')
  if (!REF.test(ref)) throw new InputError('ref', ref, 'expected a branch or tag name')
  const inputs = readDispatchInputs()
  const markerInput = read('marker-input').trim()
  if (markerInput !== '') {
    if (!INPUT_NAME.test(markerInput)) throw new InputError('marker-input', markerInput, 'expected the name of one of the workflow’s inputs')
    if (markerInput in inputs) throw new InputError('marker-input', markerInput, `'inputs' already sets '${markerInput}': the action writes the marker itself`)
    if (Object.keys(inputs).length >= MAX_DISPATCH_INPUTS) throw new InputError('inputs', read('inputs'), `at most ${MAX_DISPATCH_INPUTS - 1} inputs with marker-input (GitHub takes ${MAX_DISPATCH_INPUTS})`)
  }
  return { workflow: workflows[0] as string, ref: ref.replace(/^refs\/(heads|tags)\//, ''), inputs, markerInput }
}

/** `inputs`: a YAML or JSON object of strings, numbers and booleans (what a dispatch takes). */
function readDispatchInputs(): Record<string, string | number | boolean> {
  const text = read('inputs')
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = parseYaml(text)
  } catch (error) {
    throw new InputError('inputs', text, `not YAML or JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError('inputs', text, 'expected an object of input names and values, e.g. {"environment": "staging"}')
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length > MAX_DISPATCH_INPUTS) throw new InputError('inputs', text, `GitHub takes at most ${MAX_DISPATCH_INPUTS} inputs`)
  const inputs: Record<string, string | number | boolean> = {}
  for (const [name, item] of entries) {
    if (!INPUT_NAME.test(name)) throw new InputError('inputs', name, 'not a valid input name')
    if (typeof item !== 'string' && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item))) {
      throw new InputError('inputs', `${name}: ${JSON.stringify(item)}`, 'each input must be a string, a number or a boolean')
    }
    inputs[name] = item
  }
  return inputs
}

function readJobId(): number | null {
  const value = read('job-id').trim()
  if (value === '') return null
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < 1) {
    throw new InputError('job-id', value, 'expected the numeric id of this job (${{ job.check_run_id }})')
  }
  return Number(value)
}

/** A quantifier (`*`, `+`, `{2,}`, `{1,5}`, `{3}`) that can repeat more than once, at `at`; its length, else 0. */
function repeatingQuantifierAt(pattern: string, at: number): number {
  const c = pattern[at]
  if (c === '*' || c === '+') return 1
  if (c !== '{') return 0
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at))
  if (!braces) return 0
  const [whole, min = '0', comma, max = ''] = braces
  const repeats = comma === undefined ? Number(min) > 1 : max === '' || Number(max) > 1
  return repeats ? whole.length : 0
}

/**
 * The first quantified group that itself holds a quantifier (`(a+)+`, `(?:\w+\s?)*`), or null.
 * Such nesting lets a backtracking engine try exponentially many ways to match one line: a
 * pattern that runs on other people's log lines must not be able to hang the step.
 */
export function nestedQuantifier(pattern: string): string | null {
  const groups: { start: number; quantified: boolean }[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    if (c === '\\') {
      i += 2
      continue
    }
    if (c === '[') {
      // A character class is one atom: skip to its closing bracket.
      let j = i + 1
      if (pattern[j] === '^') j++
      if (pattern[j] === ']') j++
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1
      i = j + 1
      continue
    }
    if (c === '(') {
      groups.push({ start: i, quantified: false })
      i++
      continue
    }
    if (c === ')') {
      const group = groups.pop()
      const quantifier = repeatingQuantifierAt(pattern, i + 1)
      if (group && group.quantified && quantifier > 0) return pattern.slice(group.start, i + 1 + quantifier)
      const outer = groups[groups.length - 1]
      if (outer && (group?.quantified || quantifier > 0)) outer.quantified = true
      i += 1 + quantifier
      continue
    }
    const quantifier = repeatingQuantifierAt(pattern, i)
    if (quantifier > 0) {
      const outer = groups[groups.length - 1]
      if (outer) outer.quantified = true
      i += quantifier
      continue
    }
    i++
  }
  return null
}

/**
 * `rerun-if`: a JavaScript regular expression, bare (`ECONNRESET|ETIMEDOUT`) or as `/…/flags`
 * (`/timed out/i`). Empty: no condition.
 */
function readRerunIf(): RegExp | null {
  const value = read('rerun-if').trim()
  if (value === '') return null
  if (value.length > MAX_RERUN_IF_LENGTH) {
    throw new InputError('rerun-if', `${value.slice(0, 80)}…`, `the pattern is ${value.length} characters long; at most ${MAX_RERUN_IF_LENGTH} are accepted`)
  }
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(value)
  const [pattern, flags] = literal ? [literal[1] ?? '', literal[2] ?? ''] : [value, '']
  if (!RERUN_IF_FLAGS.test(flags)) {
    throw new InputError('rerun-if', value, `unsupported flags '${flags}': use some of i, m, s, u, v (g and y are not accepted)`)
  }
  let regex: RegExp
  try {
    regex = new RegExp(pattern, flags)
  } catch (error) {
    throw new InputError('rerun-if', value, `not a valid JavaScript regular expression (${error instanceof Error ? error.message : String(error)})`)
  }
  const nested = nestedQuantifier(pattern)
  if (nested !== null) {
    throw new InputError(
      'rerun-if',
      value,
      `'${nested}' repeats a group that itself repeats, which can take exponential time on a long line; rewrite it without the nesting (e.g. (a+)+ as a+)`
    )
  }
  return regex
}

function readRerun(): RerunSettings {
  return {
    scope: readChoice('scope', ['failed', 'all'] as const),
    jobs: splitJobNames(read('job')),
    debugLogging: readBoolean('debug-logging'),
    maxAttempts: readInteger('max-attempts', 1, MAX_RUN_ATTEMPTS),
    rerunIf: readRerunIf()
  }
}

function readApprove(): ApproveSettings {
  const environments = splitJobNames(read('environments'))
  const customGate = readBoolean('custom-gate')
  if (customGate && environments.length === 0) {
    // Custom gates are not listed by the API, so there is nothing to default to.
    throw new InputError('environments', '', "'custom-gate: true' needs the environment names whose custom protection rules to review")
  }
  return {
    environments,
    decision: readChoice('decision', ['approved', 'rejected'] as const),
    comment: read('comment').trim(),
    customGate
  }
}

function readDelete(): DeleteSettings {
  const olderThan = read('older-than').trim()
  return {
    olderThanMs: olderThan === '' ? null : readDuration('older-than'),
    keep: readInteger('keep', 0, MAX_KEEP),
    keepPer: readChoice('keep-per', KEEP_PER),
    deletedWorkflows: readBoolean('deleted-workflows'),
    logsOnly: readBoolean('logs-only'),
    keepPullRequests: readBoolean('keep-pull-requests')
  }
}

/** Reads and checks every input; throws InputError naming the first bad one. */
export function readSettings(context: ActionContext, inputs: InputSource = (name) => core.getInput(name)): Settings {
  source = inputs
  try {
    return readAll(context)
  } finally {
    source = (name) => core.getInput(name)
  }
}

function readAll(context: ActionContext): Settings {
  const token = read('token')
  if (token === '') throw new InputError('token', '', 'a token is required, e.g. ${{ github.token }}')

  const commandText = read('command').trim()
  if (!(COMMANDS as readonly string[]).includes(commandText)) {
    throw new InputError('command', commandText, `expected one of ${COMMANDS.join(', ')}`)
  }
  const command = commandText as Command

  const repository = read('repository').trim() || context.repository
  const repoMatch = REPOSITORY.exec(repository)
  if (!repoMatch || repoMatch[2] === '.' || repoMatch[2] === '..') {
    throw new InputError('repository', repository, 'expected owner/repo (GitHub owner and repository names)')
  }
  const [, owner = '', repo = ''] = repoMatch

  const settings: Settings = {
    command,
    token,
    owner,
    repo,
    selection: readSelection(command, owner, repo, context),
    excludeCurrentRun: readBoolean('exclude-current-run'),
    wait: {
      timeoutMs: readDuration('timeout', 1000),
      pollIntervalMs: readDuration('poll-interval', MIN_POLL_INTERVAL_MS),
      appearTimeoutMs: readDuration('appear-timeout'),
      allowedConclusions: readConclusions('allowed-conclusions'),
      failFast: readBoolean('fail-fast'),
      jobPatterns: splitJobNames(read('job')),
      cancelOnTimeout: readBoolean('cancel-on-timeout'),
      latestOnly: readBoolean('latest-only'),
      ownJobId: readJobId()
    },
    waitAfter: readBoolean('wait'),
    dryRun: readBoolean('dry-run'),
    dispatch: command === 'dispatch' ? readDispatch(context) : null,
    rerun: readRerun(),
    forceAfterMs: readDuration('force-after'),
    approve: readApprove(),
    delete: readDelete(),
    summary: {
      enabled: readBoolean('summary'),
      saveLogs: read('save-logs').trim(),
      logLines: readInteger('log-lines', 0, MAX_LOG_LINES),
      timeline: readBoolean('timeline'),
      billableTime: readBoolean('billable-time')
    }
  }
  if (command === 'rerun' && settings.rerun.rerunIf !== null && settings.summary.logLines === 0) {
    throw new InputError('log-lines', '0', "'rerun-if' reads the failed jobs' logs, and 0 reads none: set at least 1 (default 30), or leave 'rerun-if' empty")
  }
  return settings
}
