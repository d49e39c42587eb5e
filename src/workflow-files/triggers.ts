// Whether a workflow's own trigger filters exclude a change: the proof behind a gate's "proven
// skip" of a named workflow that has no run on the commit. Pure: the caller reads the file and
// the pull request's facts; nothing here touches the API.
//
// The rule is "skipped only on proof, awaited otherwise". Verdicts, and what the gate does:
//   runs              the filters include the change: a run is expected, await it.
//   skipped           the filters exclude it (`filter` names which, in a few words): proved skipped.
//   unprovable        no proof either way (`reason` says why): await it, as if it runs.
//   not-triggered     the file has no trigger for this event (`events` lists those it has). Not a
//                     proof by itself: a same-repository pull request's head is also pushed, and a
//                     `push` workflow runs on that commit. judgeCommit weighs every event of a commit.
//   workflow-run-only only `workflow_run` (and manual or scheduled triggers): it runs on the default
//                     branch's commit, never on this one; the gate refuses it, naming it.
//
// Facts (GitHub's docs: workflow-syntax, events-that-trigger-workflows, skip-workflow-runs; the
// workflow schema of actions/languageservices, workflow-parser/src/workflow-v1.0.json):
// - `on` is a string, a list of events, or a map of event → null or filters. Filter values are one
//   non-empty string or a list of them; pull_request(_target) takes types, branches(-ignore),
//   paths(-ignore); push takes branches(-ignore), tags(-ignore), paths(-ignore). Any other key
//   fails the schema: the file does not run, which proves nothing here.
// - `branches` and `branches-ignore` (and `tags`/`paths` likewise) cannot both be used for one event.
// - pull_request branch filters match the pull request's base branch, push ones the pushed branch.
//   Branch and paths filters must both be satisfied. A push workflow with only tag filters does not
//   run for branch pushes.
// - `paths`: runs when at least one changed file is included; `paths-ignore`: runs unless every
//   changed file matches; no changed file at all: does not run. Diffs are limited to 300 files.
// - `types` defaults to opened, synchronize, reopened (pull_request and pull_request_target).
// - `[skip ci]`, `[ci skip]`, `[no ci]`, `[skip actions]`, `[actions skip]` in the head commit's
//   message, or a `skip-checks: true` trailer, skip push and pull_request workflows, not
//   pull_request_target ones.
// - pull_request workflows do not run while the pull request has a merge conflict;
//   pull_request_target ones do.
//
// Where the docs are silent, the choice that can only make a skip harder to prove: letter case
// (an exclusion must hold with exact case and with case ignored), `!` in an -ignore list, full refs
// (`refs/heads/…`) as branch patterns, and patterns filter-patterns.ts cannot read are unprovable.
// One exception: `mergeable: null` (not computed yet) is not taken for a conflict; a fresh pull
// request often reads null, and a skip wrongly proved there passes a pull request that a conflict
// keeps from merging anyway.
// `types` are judged for the commit, not for the waking event (typesOutcome).
import { parseDocument } from 'yaml'
import { compileFilterPatterns, FilterPatternError } from './filter-patterns.js'

export type PullRequestEvent = 'pull_request' | 'pull_request_target'

interface ChangeFacts {
  /**
   * The changed files' paths from the repository root. A renamed file may add its old path too:
   * more paths can only make a skip harder to prove, never easier.
   */
  readonly changedFiles: readonly string[]
  /** How many files GitHub counts as changed (a pull request's `changed_files`). */
  readonly changedFilesTotal: number
  /** The head commit's whole message, for skip directives. */
  readonly headCommitMessage: string
}

/** A pull request's head commit, as a `pull_request` or `pull_request_target` workflow sees it. */
export interface PullRequestChange extends ChangeFacts {
  readonly event: PullRequestEvent
  /** The base branch's name (`main`, not `refs/heads/main`). */
  readonly baseBranch: string
  /** The activity that brought the judge here (`opened`, `synchronize`, `labeled`…), when known. */
  readonly action?: string
  /** GitHub's `mergeable`: false when there are merge conflicts, null while not yet computed. */
  readonly mergeable: boolean | null
}

/** A push of a branch (tag pushes are not judged). */
export interface PushChange extends ChangeFacts {
  readonly event: 'push'
  /** The pushed branch's name, without `refs/heads/`. */
  readonly branch: string
}

export type Change = PullRequestChange | PushChange

export type TriggerVerdict =
  | { readonly kind: 'runs' }
  | { readonly kind: 'skipped'; readonly filter: string }
  | { readonly kind: 'unprovable'; readonly reason: string }
  | { readonly kind: 'not-triggered'; readonly events: readonly string[] }
  | { readonly kind: 'workflow-run-only' }

/** What one filter says about the change. */
type Outcome = { readonly kind: 'in' } | { readonly kind: 'out'; readonly filter: string } | { readonly kind: 'unknown'; readonly reason: string }

/** The filters of one event, each a list of patterns (a single string is a list of one). */
type Filters = Partial<Record<FilterKey, readonly string[]>>
type FilterKey = 'types' | 'branches' | 'branches-ignore' | 'tags' | 'tags-ignore' | 'paths' | 'paths-ignore'

// The keys the workflow schema allows under each event this module judges.
const PULL_REQUEST_KEYS: readonly FilterKey[] = ['types', 'branches', 'branches-ignore', 'paths', 'paths-ignore']
const PUSH_KEYS: readonly FilterKey[] = ['branches', 'branches-ignore', 'tags', 'tags-ignore', 'paths', 'paths-ignore']

// GitHub evaluates paths filters on the first 300 changed files only ("Diffs are limited to 300 files").
const PATHS_FILE_LIMIT = 300

// The docs' default `types` for pull_request and pull_request_target.
const DEFAULT_PULL_REQUEST_TYPES = ['opened', 'synchronize', 'reopened']

// The activities that bring a head commit: every head commit came with one of them, and neither
// comes again for the same commit (a later `reopened`, `labeled`… can).
const COMMIT_ACTIVITIES = new Set(['opened', 'synchronize'])

// Triggers that never run on a pull request's or a push's commit by themselves (manual, scheduled,
// called): a workflow with only these beside `workflow_run` is workflow_run-only for a gate.
const OFF_COMMIT_EVENTS = new Set(['workflow_run', 'workflow_dispatch', 'schedule', 'repository_dispatch', 'workflow_call'])

// GitHub's documented skip directives; matched without case and anywhere in the message, wider
// than GitHub on purpose: finding one only makes a verdict unprovable.
const SKIP_DIRECTIVES = ['[skip ci]', '[ci skip]', '[no ci]', '[skip actions]', '[actions skip]']
const SKIP_CHECKS_TRAILER = /^[ \t]*skip-checks:[ \t]*true[ \t]*$/im

// Room for patterns and names in a filter phrase: it ends up in a 140-character commit status.
const PHRASE_PATTERNS_CHARS = 48
const PHRASE_NAME_CHARS = 40

/** Judges one event of a change against a workflow file's text. */
export function judgeTrigger(workflowText: string, change: Change): TriggerVerdict {
  const root = parseWorkflow(workflowText)
  if (typeof root === 'string') return { kind: 'unprovable', reason: root }
  const on = readOn(root)
  if (typeof on === 'string') return { kind: 'unprovable', reason: on }
  const events = [...on.keys()]
  if (!on.has(change.event)) {
    if (events.includes('workflow_run') && events.every((event) => OFF_COMMIT_EVENTS.has(event))) return { kind: 'workflow-run-only' }
    return { kind: 'not-triggered', events }
  }
  const filters = readFilters(on.get(change.event), change.event)
  if (typeof filters === 'string') return { kind: 'unprovable', reason: filters }
  // A run GitHub may withhold for another reason is never proof, whatever the filters say.
  const blocker = runBlocker(change)
  if (blocker !== undefined) return { kind: 'unprovable', reason: blocker }
  const outcomes = [refOutcome(filters, change), pathsOutcome(filters, change), typesOutcome(filters, change)]
  // Every filter must be satisfied for a run: one proved exclusion is enough, whatever the others.
  const out = outcomes.find((outcome) => outcome.kind === 'out')
  if (out !== undefined) return { kind: 'skipped', filter: out.filter }
  const unknown = outcomes.find((outcome) => outcome.kind === 'unknown')
  if (unknown !== undefined) return { kind: 'unprovable', reason: unknown.reason }
  return { kind: 'runs' }
}

/**
 * Judges a commit that several events bring (a pull request's head: `pull_request`,
 * `pull_request_target`, and `push` when the head branch is in the same repository). It runs if
 * any event runs it; it is skipped only when every event that triggers it is proved skipped.
 */
export function judgeCommit(workflowText: string, changes: readonly Change[]): TriggerVerdict {
  const verdicts = changes.map((change) => judgeTrigger(workflowText, change))
  const first = <K extends TriggerVerdict['kind']>(kind: K) =>
    verdicts.find((verdict): verdict is Extract<TriggerVerdict, { kind: K }> => verdict.kind === kind)
  if (verdicts.length === 0) return { kind: 'unprovable', reason: 'no event to judge the commit by' }
  return first('workflow-run-only') ?? first('runs') ?? first('unprovable') ?? first('skipped') ?? (verdicts[0] as TriggerVerdict)
}

/**
 * The name GitHub shows for a workflow: its top-level `name:`, or, when absent, its file's path
 * from the repository root ("If you omit name, GitHub displays the workflow file path relative to
 * the root of the repository"). Undefined when the file cannot be read or `name:` is not a
 * non-empty string (a number or a null, whose shown form is not documented).
 */
export function readWorkflowName(workflowText: string, path: string): string | undefined {
  const root = parseWorkflow(workflowText)
  if (typeof root === 'string') return undefined
  if (!('name' in root)) return path
  return typeof root.name === 'string' && root.name !== '' ? root.name : undefined
}

/** The file's top-level map, or why it cannot be read. */
function parseWorkflow(text: string): Record<string, unknown> | string {
  try {
    // The YAML 1.2 core schema whatever the file says: a `%YAML 1.1` directive would otherwise
    // switch `yaml` to 1.1, where the key `on` is the boolean true. GitHub reads `on` as a string.
    const doc = parseDocument(text, { schema: 'core' })
    const error = doc.errors[0]
    if (error !== undefined) return `the workflow file is not valid YAML (${error.message.split('\n')[0]})`
    const root: unknown = doc.toJS()
    return isMap(root) ? root : 'the workflow file is not a YAML map'
  } catch (error) {
    // toJS throws on alias bombs and the like.
    return `the workflow file cannot be read (${error instanceof Error ? error.message : String(error)})`
  }
}

/** The events of `on`, each with its configuration (null when it has none), or why they cannot be read. */
function readOn(root: Record<string, unknown>): Map<string, unknown> | string {
  const on = root.on
  if (typeof on === 'string') return new Map([[on, null]])
  if (Array.isArray(on)) {
    if (!on.every((event) => typeof event === 'string')) return "'on' lists something other than event names"
    return new Map(on.map((event: string) => [event, null]))
  }
  if (isMap(on)) return new Map(Object.entries(on))
  return on === undefined ? "the workflow file has no 'on'" : "'on' is neither an event, a list nor a map"
}

/** One event's filters, checked against the schema and the docs' rules, or why they cannot be evaluated. */
function readFilters(config: unknown, event: Change['event']): Filters | string {
  if (config === null || config === undefined) return {}
  if (!isMap(config)) return `'${event}' is neither empty nor a map of filters`
  const allowed = event === 'push' ? PUSH_KEYS : PULL_REQUEST_KEYS
  const filters: Filters = {}
  for (const [key, value] of Object.entries(config)) {
    if (!(allowed as readonly string[]).includes(key)) return `'${event}' has '${key}', which this action cannot evaluate`
    const list = typeof value === 'string' ? [value] : value
    if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item !== ''))
      return `'${event}.${key}' is not a string or a list of strings`
    if (list.some((item: string) => item.includes('${{'))) return `'${event}.${key}' holds an expression`
    filters[key as FilterKey] = list as string[]
  }
  for (const name of ['branches', 'tags', 'paths'] as const) {
    if (filters[name] !== undefined && filters[`${name}-ignore`] !== undefined)
      return `'${event}' has both '${name}' and '${name}-ignore', which GitHub does not allow`
    if (filters[name]?.every((pattern) => pattern.startsWith('!'))) return `'${event}.${name}' has only '!' patterns (the docs require a positive one)`
    if (filters[`${name}-ignore`]?.some((pattern) => pattern.startsWith('!')))
      return `'${event}.${name}-ignore' has a '!' pattern, whose meaning there is not documented`
    if (name !== 'paths' && [...(filters[name] ?? []), ...(filters[`${name}-ignore`] ?? [])].some((pattern) => pattern.replace(/^!/, '').startsWith('refs/')))
      return `'${event}.${name}' names a full ref, which the docs do not match against`
  }
  return filters
}

/** Why GitHub may not run this event's workflows whatever their filters, if it may not. */
function runBlocker(change: Change): string | undefined {
  if (change.event !== 'pull_request_target') {
    const message = change.headCommitMessage.toLowerCase()
    const directive =
      SKIP_DIRECTIVES.find((word) => message.includes(word)) ?? (SKIP_CHECKS_TRAILER.test(change.headCommitMessage) ? 'skip-checks: true' : undefined)
    if (directive !== undefined) return `the head commit says '${directive}', which skips ${change.event} workflows whatever their filters`
  }
  if (change.event === 'pull_request' && change.mergeable === false)
    return 'the pull request has merge conflicts: its pull_request workflows do not run until they are resolved'
  return undefined
}

/** `branches`/`branches-ignore` on the base (pull request) or pushed branch, and a push's tag-only filters. */
function refOutcome(filters: Filters, change: Change): Outcome {
  const onlyTags =
    filters.branches === undefined && filters['branches-ignore'] === undefined && (filters.tags !== undefined || filters['tags-ignore'] !== undefined)
  if (change.event === 'push' && onlyTags) return { kind: 'out', filter: 'tags: runs on tag pushes only, this is a branch push' }
  const branch = change.event === 'push' ? change.branch : change.baseBranch
  const what = `${change.event === 'push' ? 'branch' : 'base branch'} '${clip(branch, PHRASE_NAME_CHARS)}'`
  if (filters.branches !== undefined) {
    const patterns = filters.branches
    return underEitherCase('branches', patterns, (included) => (included(branch) ? null : `branches: ${what} matches none of ${quoted(patterns)}`))
  }
  if (filters['branches-ignore'] !== undefined) {
    const patterns = filters['branches-ignore']
    return underEitherCase('branches-ignore', patterns, (ignored) => (ignored(branch) ? `branches-ignore: ${what} matches ${quoted(patterns)}` : null))
  }
  return { kind: 'in' }
}

/** `paths`/`paths-ignore` on the changed files. */
function pathsOutcome(filters: Filters, change: Change): Outcome {
  const key = filters.paths !== undefined ? 'paths' : filters['paths-ignore'] !== undefined ? 'paths-ignore' : undefined
  if (key === undefined) return { kind: 'in' }
  const patterns = filters[key] as readonly string[]
  const files = change.changedFiles
  const total = change.changedFilesTotal
  if (total > PATHS_FILE_LIMIT)
    return { kind: 'unknown', reason: `${key}: ${total} files changed, and GitHub evaluates paths filters on the first ${PATHS_FILE_LIMIT} only` }
  if (files.length < total) return { kind: 'unknown', reason: `${key}: only ${files.length} of the ${total} changed files are known` }
  if (files.length === 0) return { kind: 'out', filter: `${key}: no file changed` }
  const count = `${files.length} changed file${files.length === 1 ? '' : 's'}`
  if (key === 'paths')
    return underEitherCase(key, patterns, (included) => (files.some(included) ? null : `paths: none of ${count} matches ${quoted(patterns)}`))
  return underEitherCase(key, patterns, (ignored) => (files.every(ignored) ? `paths-ignore: all ${count} match ${quoted(patterns)}` : null))
}

/**
 * `types` (pull requests only): whether an activity on this head commit starts the workflow. The
 * gate judges the commit, not one event: a workflow whose types miss the waking activity may
 * have run when the commit came (`opened`/`synchronize`) or may run later on it (`labeled`…).
 */
function typesOutcome(filters: Filters, change: Change): Outcome {
  if (change.event === 'push') return { kind: 'in' }
  const types = filters.types ?? DEFAULT_PULL_REQUEST_TYPES
  const action = change.action
  // Every head commit came with `opened` or `synchronize`: with both listed, it started the workflow.
  if ([...COMMIT_ACTIVITIES].every((type) => types.includes(type))) return { kind: 'in' }
  if (action !== undefined && types.includes(action)) return { kind: 'in' }
  // Only commit-bringing types, and not the one this commit came with: nothing can start it on this commit.
  if (action !== undefined && COMMIT_ACTIVITIES.has(action) && types.every((type) => COMMIT_ACTIVITIES.has(type))) {
    return { kind: 'out', filter: `types: runs on ${types.join(', ')} only, this commit came with ${action}` }
  }
  const waking = action === undefined ? 'the activity that brought this commit is not known' : `'${action}' is not among them`
  return { kind: 'unknown', reason: `types: ${clip(types.join(', '), PHRASE_PATTERNS_CHARS)}: ${waking}, and another activity on this commit may start it` }
}

/**
 * Evaluates a pattern list with exact case and with case ignored: GitHub does not document which
 * its filters use, so an exclusion is proof only when both say so. `exclusion` gets the list's
 * test and returns the filter phrase when the change is excluded, null when it is included.
 */
function underEitherCase(key: string, patterns: readonly string[], exclusion: (test: (value: string) => boolean) => string | null): Outcome {
  const phraseWith = (ignoreCase: boolean) => {
    const list = compileFilterPatterns(patterns, { ignoreCase })
    return exclusion((value) => list.includes(value))
  }
  let exact: string | null
  let folded: string | null
  try {
    exact = phraseWith(false)
    folded = phraseWith(true)
  } catch (error) {
    if (!(error instanceof FilterPatternError)) throw error
    return { kind: 'unknown', reason: `${key}: ${error.message}` }
  }
  if (exact !== null && folded !== null) return { kind: 'out', filter: exact }
  if (exact === null && folded === null) return { kind: 'in' }
  return {
    kind: 'unknown',
    reason: `${key}: the change is excluded only ${exact === null ? 'when case is ignored' : 'with exact case'}, and GitHub does not document which applies`
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Patterns for a phrase: `'src/**'`, `'a', 'b' and 3 more`. */
function quoted(patterns: readonly string[]): string {
  const shown: string[] = []
  let room = PHRASE_PATTERNS_CHARS
  for (const pattern of patterns) {
    const text = `'${clip(pattern, PHRASE_NAME_CHARS)}'`
    if (shown.length > 0 && text.length > room) break
    shown.push(text)
    room -= text.length + 2
  }
  const rest = patterns.length - shown.length
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ')
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
