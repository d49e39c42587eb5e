// `once: true`: a gate that holds no runner. Woken by an event (a pull request's, a workflow run
// requested or completed, another app's check or status), it judges the commit once, publishes
// the verdict as its commit status and exits; the next event judges again. The gate rules are the
// polling gate's (siblings, attempts, skipped jobs, `job`), applied to what one look reads.
import { parse } from 'yaml'
import type { Run } from '../../github/types.js'
import { isPermissionRefusal } from '../../github/errors.js'
import type { WakingRun } from '../../runner/context.js'
import { readWorkflowName } from '../../workflow-files/triggers.js'
import type { Deps } from '../shared/deps.js'
import type { Verdict } from '../shared/result.js'
import type { Watch, WatchPlan } from './plan.js'
import { awaitedChecks, failedChecks, passedChecks, type ExternalStanding } from './external-checks.js'
import { failedNames, listed, MAX_DESCRIPTION, passedDescription, type StatusVerdict } from './status.js'
import { countedVerdicts } from './verdict.js'

/** Judges in a row when another judge published while this one judged (two events a second apart). */
export const MAX_JUDGES = 3
/** Looks while the run list lags behind the waking event: the first and up to 3 re-reads 1 s apart. */
export const LAG_LOOKS = 4
export const LAG_LOOK_INTERVAL_MS = 1000

/** `owner/repo/.github/workflows/gate.yml@refs/heads/main` → the path and the ref. */
const WORKFLOW_REF = /^[^/]+\/[^/]+\/(.+?)@(.+)$/

/** A run newer than its read: the waking event's attempt, status and conclusion win over a lagging list. */
export function overrideWith(waking: WakingRun | undefined): ((run: Run) => Run) | undefined {
  if (!waking) return undefined
  return (run) => {
    if (run.id !== waking.id) return run
    const older = run.attempt < waking.attempt || (run.attempt === waking.attempt && Date.parse(run.updatedAt) < Date.parse(waking.updatedAt))
    return older ? { ...run, attempt: waking.attempt, status: waking.status, conclusion: waking.conclusion, updatedAt: waking.updatedAt } : run
  }
}

/**
 * Another look is worth it while a run that completed (by the event's word or its own) is not yet
 * judged: its job list, read at the next look, decides it.
 */
export function lagging(waking: WakingRun | undefined): (watches: readonly Watch[]) => boolean {
  return (watches) => {
    if (waking?.status === 'completed' && !watches.some((w) => w.run.id === waking.id)) return true
    return watches.some((w) => w.run.status === 'completed' && w.verdict.kind === 'waiting')
  }
}

/** A workflow file's `on`: the events it listens to, and the names `on.workflow_run.workflows` lists (null: none). */
function triggersOf(workflowText: string): { events: Set<string>; wakingNames: string[] | null } {
  let root: unknown
  try {
    root = parse(workflowText, { schema: 'core' })
  } catch {
    return { events: new Set(), wakingNames: null }
  }
  const on = (root as { on?: unknown } | null)?.on
  if (typeof on === 'string') return { events: new Set([on]), wakingNames: null }
  if (Array.isArray(on)) return { events: new Set(on.filter((e): e is string => typeof e === 'string')), wakingNames: null }
  if (on === null || typeof on !== 'object') return { events: new Set(), wakingNames: null }
  const trigger = (on as Record<string, unknown>).workflow_run
  const workflows = trigger !== null && typeof trigger === 'object' ? (trigger as { workflows?: unknown }).workflows : undefined
  const names = typeof workflows === 'string' ? [workflows] : Array.isArray(workflows) ? workflows.filter((w): w is string => typeof w === 'string') : null
  return { events: new Set(Object.keys(on)), wakingNames: names }
}

/** The names `on.workflow_run.workflows` lists in the gate's own workflow file; null when it has none. */
export function wakingNames(workflowText: string): string[] | null {
  return triggersOf(workflowText).wakingNames
}

/**
 * A gate that a named workflow cannot wake stays `pending` for ever: the names in the gate's
 * `workflow_run.workflows` and the `name:`s of the workflows in `workflow` must be the same.
 * Returns the fault, or null when they agree (or when not on a runner: nothing to check).
 */
export async function wiringFault(
  workflows: readonly string[],
  deps: Pick<Deps, 'api' | 'context' | 'log'>,
  checks: readonly string[] = []
): Promise<string | null> {
  const ref = WORKFLOW_REF.exec(deps.context.workflowRef ?? '')
  if (!ref) {
    deps.log.warning('GITHUB_WORKFLOW_REF is not set (not running on a runner?): the workflow_run wiring of the gate is not checked.')
    return null
  }
  const [, ownPath = '', gitRef = ''] = ref
  const own = ownPath.split('/').pop() ?? ownPath
  if (workflows.includes(own)) return `'workflow' names the gate's own workflow (${own}): a gate never counts itself`
  try {
    const ownText = await deps.api.getWorkflowFile(ownPath, gitRef)
    const triggers = ownText === null ? null : triggersOf(ownText)
    const listening = triggers?.wakingNames ?? null
    if (listening === null) return `${own} has no on.workflow_run.workflows: no workflow run can wake the gate`
    const names: string[] = []
    for (const file of workflows) {
      const path = `.github/workflows/${file}`
      const text = await deps.api.getWorkflowFile(path, gitRef)
      const name = text === null ? undefined : readWorkflowName(text, path)
      if (name === undefined) return `cannot read the name of ${file} on ${gitRef}`
      if (!listening.includes(name)) return `on.workflow_run.workflows of ${own} lacks '${name}' (${file}): its runs would never wake the gate`
      names.push(name)
    }
    // Not a fault: the sweep, or a later run's event, judges again; but a check that reports last would wait for it.
    if (checks.length > 0 && !triggers?.events.has('check_run') && !triggers?.events.has('status'))
      deps.log.warning(
        `'checks' names other apps' checks, and ${own} listens to neither check_run nor status: a check that reports after the last workflow run leaves the status pending until another event or the sweep.`
      )
    const extra = listening.filter((name) => !names.includes(name))
    if (extra.length > 0) return `on.workflow_run.workflows of ${own} lists ${extra.map((n) => `'${n}'`).join(', ')}, which 'workflow' does not name`
    return null
  } catch (error) {
    if (isPermissionRefusal(error)) return 'the token cannot read workflow files: give the gate `contents: read`'
    throw error
  }
}

export interface OnceJudgement {
  verdict: Verdict
  status: StatusVerdict
  /** What it still waits for (pending), as `label: why`. */
  awaited: string[]
}

/**
 * One look's verdict: failed when a counted run or a named external check failed; pending while a
 * run is going, waits for a fork approval (`action_required`), a named workflow has no run yet, or
 * a named check is pending or not yet seen; success otherwise.
 */
export function judgeLook(
  watches: readonly Watch[],
  missingWorkflows: readonly string[],
  skipped: readonly string[] = [],
  external: ExternalStanding | null = null
): OnceJudgement {
  const counted = countedVerdicts(watches)
  const approval = (w: Watch): boolean => w.run.conclusion === 'action_required'
  const failed = watches.filter((w) => !approval(w) && counted.get(w.run.id)?.kind === 'failed')
  const failedExternal = failedChecks(external)
  if (failed.length > 0 || failedExternal.length > 0) {
    const names = [...failed.flatMap(failedNames), ...failedExternal.map((check) => check.name)]
    const description = `Failed: ${listed(names, MAX_DESCRIPTION - 8)}`
    return { verdict: { result: 'failure', message: description, published: true }, status: { state: 'failure', description }, awaited: [] }
  }
  const going = watches.filter((w) => approval(w) || counted.get(w.run.id)?.kind === 'waiting')
  const checks = awaitedChecks(external)
  const awaited = [
    ...going.map((w) => `${w.run.name}: ${approval(w) ? 'waiting for a maintainer to approve the run' : w.run.status}`),
    ...missingWorkflows.map((file) => `${file}: no run yet`),
    ...checks.map((name) => `${name}: ${external?.missing.includes(name) ? 'not reported yet' : 'pending'}`)
  ]
  if (awaited.length > 0) {
    const description = `Waiting for ${listed([...going.map((w) => w.run.name), ...missingWorkflows, ...checks], MAX_DESCRIPTION - 12)}`
    return { verdict: { result: 'pending', message: description }, status: { state: 'pending', description }, awaited }
  }
  const passed = [...watches.filter((w) => counted.get(w.run.id)?.kind === 'passed').map((w) => w.run.name), ...passedChecks(external)]
  return { verdict: { result: 'success' }, status: { state: 'success', description: passedDescription(passed, skipped) }, awaited: [] }
}

/** The plan of one judge: the polling plan, one look (more only while the list lags the event). */
export function oncePlan(plan: WatchPlan, waking: WakingRun | undefined, sha: string): WatchPlan {
  const mine = waking && waking.headSha === sha ? waking : undefined
  const override = overrideWith(mine)
  return {
    ...plan,
    given: mine && !plan.given.some((g) => g.id === mine.id) ? [...plan.given, { id: mine.id }] : plan.given,
    discovery: plan.discovery ? { ...plan.discovery, oneListing: true } : null,
    pollIntervalMs: LAG_LOOK_INTERVAL_MS,
    lookLimit: { looks: LAG_LOOKS, again: lagging(mine) },
    ...(override ? { override } : {})
  }
}
