// Which runs a command acts on (`run-id`, `attempt`, `workflow` and the list filters), read and
// checked by one reader that each command calls with its own rules.
import type { ActionContext } from '../runner/context.js'
import { InputError } from '../errors.js'
import { STATUS_FILTER_VALUES, type RunFilters, type StatusFilter } from '../github/types.js'
import { parseCreated } from '../time/created.js'
import { words, type InputReader } from './reader.js'

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

/** How a command's selection may be made. */
export interface SelectionRules {
  command: string
  /**
   * With no run-id and no filter: the run this step is in, the current commit's runs, or a
   * refusal (a command that changes runs never acts on an implicit selection).
   */
  implicit: 'current-run' | 'current-commit' | 'refuse'
  /** It changes runs: a run's latest attempt only (GitHub writes no single attempt), never its own run. */
  changesRuns: boolean
  /** `delete`'s `deleted-workflows: true` selects by listing alone. */
  deletedWorkflows?: boolean
}

/** Where the step runs: the repository acted on and the runner's context. */
export interface ReadScope {
  owner: string
  repo: string
  context: ActionContext
}

/** GitHub keeps at most this many attempts of a run (the simulator and the API agree). */
export const MAX_RUN_ATTEMPTS = 100

const RUN_URL = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)(?:\/attempts\/(\d+))?\/?(?:[?#].*)?$/

function parseRunUrl(word: string, scope: ReadScope, serverHost: string): RunRef {
  const url = RUN_URL.exec(word)
  if (!url) {
    throw new InputError(
      'run-id',
      word,
      'expected a run id (digits) or a run URL such as https://github.com/OWNER/REPO/actions/runs/123 or …/runs/123/attempts/2'
    )
  }
  const [, urlOwner, urlRepo, id, attempt] = url
  const { owner, repo } = scope
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
  return { id: Number(id), ...(attempt ? { attempt: Number(attempt) } : {}) }
}

function parseRunIds(text: string, scope: ReadScope): RunRef[] {
  const serverHost = new URL(scope.context.serverUrl || 'https://github.com').host.toLowerCase()
  const refs: RunRef[] = words(text).map((word) =>
    /^\d+$/.test(word) && Number(word) > 0 && Number.isSafeInteger(Number(word)) ? { id: Number(word) } : parseRunUrl(word, scope, serverHost)
  )
  // The same run given twice (an id and its URL) is one run.
  return refs.filter((ref, i) => refs.findIndex((other) => other.id === ref.id && other.attempt === ref.attempt) === i)
}

export function parseWorkflows(text: string): string[] {
  return words(text).map((w) => {
    // `.github/workflows/ci.yml` and `ci.yml` name the same workflow; the API wants the file name.
    const name = w.replace(/^\.github\/workflows\//, '')
    if (!/^\d+$/.test(name) && !/^[\w.-]+\.ya?ml$/.test(name)) {
      throw new InputError('workflow', w, 'expected workflow file names (ci.yml) or numeric workflow ids, comma separated')
    }
    return name
  })
}

function readFilters(inputs: InputReader): RunFilters {
  const filters: RunFilters = {}
  for (const [input, key] of [
    ['branch', 'branch'],
    ['event', 'event'],
    ['actor', 'actor'],
    ['created', 'created']
  ] as const) {
    const value = inputs.text(input).trim()
    if (value !== '') filters[key] = value
  }
  const sha = inputs.text('head-sha').trim()
  if (sha !== '') {
    if (!/^[0-9a-f]{40}$/i.test(sha)) throw new InputError('head-sha', sha, 'expected a full 40-character commit sha')
    filters.head_sha = sha.toLowerCase()
  }
  const status = inputs.text('status').trim()
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

/** The `attempt` pinned, and the text it was given as (error messages quote it). */
function readAttempt(inputs: InputReader): { attempt: number | undefined; pinned: string } {
  const pinned = inputs.text('attempt').trim()
  if (pinned === '') return { attempt: undefined, pinned }
  if (!/^\d+$/.test(pinned) || Number(pinned) < 1 || Number(pinned) > MAX_RUN_ATTEMPTS) {
    throw new InputError('attempt', pinned, `expected an attempt number from 1 to ${MAX_RUN_ATTEMPTS}`)
  }
  return { attempt: Number(pinned), pinned }
}

/** A command that changes runs acts on a run's latest attempt and never on its own run. */
function checkChangedRuns(command: string, pinned: string, runIds: readonly RunRef[], context: ActionContext): void {
  // GitHub re-runs, cancels, approves and deletes runs, never one attempt of them.
  if (pinned !== '') throw new InputError('attempt', pinned, `'${command}' acts on a run's latest attempt; leave 'attempt' empty`)
  const pinnedUrl = runIds.find((r) => r.attempt !== undefined)
  if (pinnedUrl) {
    throw new InputError(
      'run-id',
      `…/runs/${pinnedUrl.id}/attempts/${pinnedUrl.attempt}`,
      `'${command}' acts on a run's latest attempt; give the run URL without /attempts/N`
    )
  }
  const self = runIds.find((r) => r.id === context.runId)
  if (self) throw new InputError('run-id', String(self.id), `that is the run this step runs in; '${command}' does not act on its own run`)
}

/** The selection when neither a run-id nor a filter is given. */
function implicitSelection(rules: SelectionRules, attempt: number | undefined, context: ActionContext): Selection {
  const { command } = rules
  if (rules.implicit === 'refuse') {
    throw new InputError(
      'run-id',
      '',
      `'${command}' changes other runs, so it needs an explicit selection: set 'run-id', or 'workflow' and/or list filters (branch, event, head-sha, actor, status, created)${rules.deletedWorkflows !== undefined ? ", or 'deleted-workflows: true'" : ''}`
    )
  }
  if (rules.implicit === 'current-run') {
    if (!context.runId) throw new InputError('run-id', '', `no run to ${command}: not running in GitHub Actions (GITHUB_RUN_ID unset), so give a run id`)
    return { kind: 'current-run', run: { id: context.runId, ...(attempt ? { attempt } : {}) } }
  }
  if (!context.headSha) throw new InputError('run-id', '', 'nothing to wait for: no run-id or filter given and no current commit (GITHUB_SHA unset)')
  return { kind: 'filters', workflows: [], filters: { head_sha: context.headSha }, implicit: true }
}

export function readSelection(inputs: InputReader, scope: ReadScope, rules: SelectionRules): Selection {
  const { command } = rules
  const { attempt, pinned } = readAttempt(inputs)
  const runIds = parseRunIds(inputs.text('run-id'), scope).map((r) => (r.attempt === undefined && attempt !== undefined ? { ...r, attempt } : r))
  const workflows = parseWorkflows(inputs.text('workflow'))
  const filters = readFilters(inputs)
  const deletedWorkflows = rules.deletedWorkflows === true
  if (rules.changesRuns) checkChangedRuns(command, pinned, runIds, scope.context)
  if (runIds.length > 0 && deletedWorkflows) {
    throw new InputError(
      'deleted-workflows',
      inputs.text('deleted-workflows'),
      "it selects runs by listing them; leave 'run-id' empty (or set deleted-workflows: false to delete the runs given)"
    )
  }
  if (runIds.length > 0) return { kind: 'ids', runs: runIds }
  // A gate over listed runs (the commit's, or the filters') judges each run's latest attempt:
  // one attempt number pinned on several runs means nothing, and dropping it silently would
  // judge without the pin the user asked for.
  if (rules.implicit === 'current-commit' && attempt !== undefined) {
    throw new InputError(
      'attempt',
      pinned,
      `'${command}' pins an attempt only on the runs given in 'run-id' (or a …/runs/N/attempts/M URL); leave 'attempt' empty when waiting on the commit's runs or on filters`
    )
  }
  if (workflows.length > 0 || Object.keys(filters).length > 0 || deletedWorkflows) return { kind: 'filters', workflows, filters, implicit: false }
  return implicitSelection(rules, attempt, scope.context)
}
