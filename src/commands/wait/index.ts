// `wait`: a gate. Polls the selected runs until each is decided, the gate fails fast, or the time
// is up, and never passes on nothing: no run found, a named workflow that never appears, or only
// runs that do not count fail the step. Where the rest is:
// - verdict.ts (a run's and the gate's rules), plan.ts (what to read when), loop.ts (the reads);
// - check-runs.ts (fail-fast's signal), eta.ts (the expected finish), skips.ts (proven skips);
// - external-checks.ts (`checks`: other apps' check runs and statuses);
// - status.ts (`status-context`), once.ts and one-look.ts (`once: true` at an event), sweep.ts
//   (`once: true` with no event commit); results.ts (the reports and the summary's table).
import type { Run } from '../../github/types.js'
import { formatDuration, runDurationMs } from '../../report/durations.js'
import { renderGatePreface, type GateOutcome, type RunExpectation } from '../../report/gate.js'
import type { GateOptions, WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { Deps } from '../shared/deps.js'
import { cancelledVerdict, type CommandResult, type Verdict } from '../shared/result.js'
import { awaitedChecks, checkLine, failedChecks } from './external-checks.js'
import { label, watchRuns, type Watch, type WatchPlan, type WatchResult } from './loop.js'
import { oneLook } from './one-look.js'
import { collectReports, gateSummary, lineIn, standingIn } from './results.js'
import { proveSkips, skippedLines, type SkipProof } from './skips.js'
import { sweep } from './sweep.js'
import { gateStatus, pendingStatus, StatusPublisher } from './status.js'
import { countedVerdicts, type GateRules, type RunVerdict } from './verdict.js'

export interface WaitInputs extends GateOptions {
  selection: Selection
  excludeCurrentRun: boolean
  /** Publish the verdict as this commit status (`status-context`); null = publish nothing. */
  status: { context: string; dryRun: boolean; once: boolean; sweep: boolean } | null
  /** Other apps' check runs and commit statuses that must pass too (`checks`: names or globs). */
  checks: readonly string[]
}

function rulesOf(wait: WaitSettings): GateRules {
  return { allowed: wait.allowedConclusions, jobPatterns: wait.jobPatterns, failFast: wait.failFast }
}

/** The watch plan of the selection: runs given by id, or found by listing. */
function planOf(inputs: WaitInputs, deps: Deps): WatchPlan {
  const { selection, wait } = inputs
  const given: WatchPlan['given'] = []
  if (selection.kind === 'ids') {
    for (const ref of selection.runs) {
      if (given.some((g) => g.id === ref.id)) continue
      given.push({ id: ref.id, ...(ref.attempt !== undefined ? { pinnedAttempt: ref.attempt } : {}) })
    }
  }
  const discovery: WatchPlan['discovery'] =
    selection.kind === 'filters'
      ? {
          workflows: selection.workflows,
          filters: selection.filters,
          ...(inputs.excludeCurrentRun && deps.context.runId ? { excludeRunId: deps.context.runId } : {}),
          latestOnly: wait.latestOnly
        }
      : null
  const sha = selection.kind === 'filters' ? selection.filters.head_sha : undefined
  const external =
    inputs.checks.length > 0 && sha
      ? { external: { sha, rules: { patterns: inputs.checks, ownContext: inputs.status?.context ?? null, allowed: wait.allowedConclusions } } }
      : {}
  return {
    given,
    discovery,
    ...external,
    rules: rulesOf(wait),
    timeoutMs: wait.timeoutMs,
    pollIntervalMs: wait.pollIntervalMs,
    appearTimeoutMs: wait.appearTimeoutMs,
    ownJobId: wait.ownJobId,
    arrived: new Map()
  }
}

export async function waitCommand(inputs: WaitInputs, deps: Deps): Promise<CommandResult> {
  const plan = planOf(inputs, deps)
  if (inputs.status?.sweep) return sweep(plan, inputs, deps)
  const publisher = await statusPublisher(inputs, deps)
  if (!publisher) {
    const { watched, proofs } = await watchProving(plan, deps)
    return finish(watched, inputs, deps, skippedLines(proofs))
  }
  try {
    return inputs.status?.once ? await oneLook(plan, publisher, inputs, deps) : await pollAndPublish(plan, publisher, inputs, deps)
  } catch (error) {
    // An error that outlived the retries: the gate could not decide, and says so where it is required.
    const message = error instanceof Error ? error.message : String(error)
    await publisher.publish({ state: 'error', description: `Could not decide: ${message}` }).catch(() => undefined)
    throw error
  }
}

/** The polling gate with `status-context`: `pending` at the first look, the verdict at the end. */
async function pollAndPublish(plan: WatchPlan, publisher: StatusPublisher, inputs: WaitInputs, deps: Deps): Promise<CommandResult> {
  await publisher.publish(pendingStatus(plan.discovery?.workflows ?? []))
  const { watched, proofs } = await watchProving(plan, deps)
  const result = await finish(watched, inputs, deps, skippedLines(proofs))
  const skipped = [...proofs].filter(([, proof]) => proof.kind === 'skipped').map(([workflow]) => workflow)
  const shown = await publisher.publish(gateStatus(result.verdict, watched.watches, countedVerdicts(watched.watches), skipped, watched.external))
  return { ...result, outputs: { ...result.outputs, 'status-state': shown.state } }
}

/**
 * The polling gate with proven skips: when it ends because named workflows never had a run, and
 * each of them is proved skipped by its own filters, it goes on without them (and passes at once
 * when no other workflow is named). A workflow not proved skipped keeps the verdict `not-found`.
 */
async function watchProving(plan: WatchPlan, deps: Deps): Promise<{ watched: WatchResult; proofs: Map<string, SkipProof> }> {
  const first = await watchRuns(plan, deps)
  const sha = plan.discovery?.filters.head_sha
  if (first.end.kind !== 'none-found' || first.missingWorkflows.length === 0 || !sha || !plan.discovery) return { watched: first, proofs: new Map() }
  const proofs = await proveSkips(sha, first.missingWorkflows, deps)
  for (const [workflow, proof] of proofs) {
    deps.log.info(
      `${workflow}: no run; ${proof.kind === 'skipped' ? `its filters exclude this change (${proof.filter}): skipped` : `not proved skipped (${proof.reason})`}.`
    )
  }
  const skipped = [...proofs].filter(([, proof]) => proof.kind === 'skipped').map(([workflow]) => workflow)
  if (skipped.length < first.missingWorkflows.length) return { watched: first, proofs }
  const rest = plan.discovery.workflows.filter((w) => !skipped.includes(w))
  if (rest.length === 0) return { watched: { ...first, end: { kind: 'finished' }, watches: [], missingWorkflows: [] }, proofs }
  const timeoutMs = Math.max(0, plan.timeoutMs - (deps.clock.now() - first.startedAt))
  return { watched: await watchRuns({ ...plan, timeoutMs, discovery: { ...plan.discovery, workflows: rest } }, deps), proofs }
}

/**
 * The publisher of `status-context` on the one commit the selection is about: the filters'
 * `head-sha` (the current commit by default), or the commit of the runs given.
 */
async function statusPublisher(inputs: WaitInputs, deps: Deps): Promise<StatusPublisher | null> {
  if (!inputs.status) return null
  const { selection } = inputs
  let sha: string
  if (selection.kind === 'filters' && selection.filters.head_sha) {
    sha = selection.filters.head_sha
  } else if (selection.kind === 'ids') {
    const shas = new Set<string>()
    for (const ref of selection.runs) shas.add((await deps.api.getRun(ref.id, ref.attempt)).headSha)
    if (shas.size !== 1)
      throw new Error(`'status-context' publishes on one commit, and the runs given are on ${shas.size}: ${[...shas].map((c) => c.slice(0, 7)).join(', ')}.`)
    sha = [...shas][0] as string
  } else {
    throw new Error("'status-context' publishes on one commit: select the runs of one commit (head-sha, or the current commit).")
  }
  const { serverUrl, repository, runId } = deps.context
  const target = { context: inputs.status.context, sha, targetUrl: `${serverUrl}/${repository}/actions/runs/${runId}`, dryRun: inputs.status.dryRun }
  return new StatusPublisher(target, deps)
}

/**
 * The wait that `rerun` and `approve` do after changing runs (`wait: true`): every job of those
 * runs counts, and each run is judged only once `arrived` holds for it.
 */
export async function waitForChangedRuns(
  runs: readonly Run[],
  arrived: Map<number, (run: Run) => boolean>,
  inputs: GateOptions,
  deps: Deps
): Promise<CommandResult> {
  const wait = { ...inputs.wait, jobPatterns: [] }
  const plan: WatchPlan = {
    given: runs.map((run) => ({ id: run.id, run })),
    discovery: null,
    rules: rulesOf(wait),
    timeoutMs: wait.timeoutMs,
    pollIntervalMs: wait.pollIntervalMs,
    appearTimeoutMs: wait.appearTimeoutMs,
    ownJobId: wait.ownJobId,
    arrived
  }
  return finish(await watchRuns(plan, deps), { ...inputs, wait }, deps)
}

/** Never the run this step runs in: cancelling it would cancel the step itself. */
async function cancelUndecided(watches: readonly Watch[], deps: Deps): Promise<void> {
  for (const watch of watches.filter((w) => w.verdict.kind === 'waiting' && w.run.id !== deps.context.runId)) {
    const answer = await deps.api.cancelRun(watch.run.id)
    deps.log.info(`${label(watch.run)}: cancel ${answer === 'accepted' ? 'requested' : 'not needed (already completed)'}.`)
  }
}

/** The step's verdict and how the summary tells it, from how the wait ended and each run's counted verdict. */
function gateOutcome(
  watched: WatchResult,
  counted: ReadonlyMap<number, RunVerdict>,
  waitedMs: number,
  inputs: GateOptions,
  deps: Deps
): { verdict: Verdict; outcome: GateOutcome } {
  const { end, watches, startedAt } = watched
  const undecided = watches.filter((w) => w.verdict.kind === 'waiting')
  const line = lineIn(counted)
  switch (end.kind) {
    case 'none-found': {
      const message = `Found ${end.reason} matching the selection (looked for ${formatDuration(deps.clock.now() - startedAt)}, appear-timeout ${formatDuration(inputs.wait.appearTimeoutMs)}); a gate does not pass on nothing.`
      return { verdict: { result: 'not-found', message }, outcome: { kind: 'none-found', message } }
    }
    case 'cancelled': {
      const verdict = cancelledVerdict(deps.stop)
      return { verdict, outcome: { kind: 'cancelled', waitedMs, message: verdict.message, undecided: undecided.map(line) } }
    }
    case 'looked':
    case 'timeout': {
      const awaited = [
        ...undecided.map((w) => `${label(w.run)} (${w.verdict.kind === 'waiting' ? w.verdict.reason : ''})`),
        ...awaitedChecks(watched.external).map((name) => `the check '${name}'`)
      ]
      const message = `Timed out after ${formatDuration(waitedMs)} waiting for ${awaited.join(', ')}.`
      return { verdict: { result: 'timeout', message }, outcome: { kind: 'timeout', message } }
    }
    case 'failed-fast':
    case 'finished': {
      const failing = [...watches.filter((w) => counted.get(w.run.id)?.kind === 'failed').map(line), ...failedChecks(watched.external).map(checkLine)]
      if (failing.length > 0)
        return { verdict: { result: 'failure', message: failing.join('; ') }, outcome: { kind: 'failed', failing, awaited: watches.length } }
      const notCounted = watches.filter((w) => counted.get(w.run.id)?.kind === 'not-counted').length
      return { verdict: { result: 'success' }, outcome: { kind: 'passed', passed: watches.length - notCounted, waitedMs } }
    }
  }
}

/** How the runs compare with their workflows' usual duration (only when the wait was long enough to ask). */
function expectationsOf(watches: readonly Watch[], deps: Deps): RunExpectation[] {
  return watches.flatMap((w) => {
    if (w.expected === null) return []
    const took = runDurationMs(w.run, w.jobs, deps.serverTime.now())
    const tookMs = w.run.status === 'completed' && took !== null ? took : null
    return [{ label: label(w.run), tookMs, finishAt: w.expected.finishAt, sample: w.expected.sample, medianMs: w.expected.medianMs }]
  })
}

async function finish(watched: WatchResult, inputs: GateOptions, deps: Deps, skipped: readonly string[] = []): Promise<CommandResult> {
  const { end, watches, startedAt } = watched
  const waitedMs = deps.clock.now() - startedAt
  if (end.kind === 'timeout' && inputs.wait.cancelOnTimeout) await cancelUndecided(watches, deps)
  const reports = await collectReports(watches, inputs, deps)
  const counted = countedVerdicts(watches)
  const { verdict, outcome } = gateOutcome(watched, counted, waitedMs, inputs, deps)
  const notCounted = [...watches.filter((w) => counted.get(w.run.id)?.kind === 'not-counted').map(lineIn(counted)), ...skipped]
  const { rows, detailOf } = gateSummary(watches, counted, watched.external, deps)
  const preface = renderGatePreface({ outcome, notCounted, expectations: expectationsOf(watches, deps), rows })
  deps.log.info(verdict.result === 'success' ? `Result: all awaited run(s) succeeded after ${formatDuration(waitedMs)}.` : `Result: ${verdict.message}`)
  return { reports, preface, detailed: true, outputs: {}, verdict, standingOf: standingIn(counted), detailOf }
}
