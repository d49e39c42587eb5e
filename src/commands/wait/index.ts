// `wait`: a gate. Polls the selected runs until each is decided, the gate fails fast, or the time
// is up, and never passes on nothing: no run found, a named workflow that never appears, or only
// runs that do not count fail the step. The rules are in verdict.ts, the polling in loop.ts.
import { bareReport, collectReport } from '../../runs/collect.js'
import type { Run, RunReport } from '../../github/types.js'
import { formatDuration, runDurationMs } from '../../report/durations.js'
import { renderGatePreface, type GateOutcome, type GateRow, type RowStanding, type RunExpectation } from '../../report/gate.js'
import type { RunStanding } from '../../report/outputs.js'
import type { GateOptions, WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { Deps } from '../shared/deps.js'
import { cancelledVerdict, type CommandResult, type Verdict } from '../shared/result.js'
import { label, watchRuns, type Watch, type WatchPlan, type WatchResult } from './loop.js'
import { judgeLook, MAX_JUDGES, oncePlan, wiringFault } from './once.js'
import { proveSkips, skippedLines, type SkipProof } from './skips.js'
import { gateStatus, pendingStatus, StatusPublisher } from './status.js'
import { countedVerdicts, type GateRules, type RunVerdict } from './verdict.js'

export interface WaitInputs extends GateOptions {
  selection: Selection
  excludeCurrentRun: boolean
  /** Publish the verdict as this commit status (`status-context`); null = publish nothing. */
  status: { context: string; dryRun: boolean; once: boolean } | null
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
  return {
    given,
    discovery,
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
  const shown = await publisher.publish(gateStatus(result.verdict, watched.watches, countedVerdicts(watched.watches), skipped))
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

/** A verdict that needs no runs read: an ignored event, or a configuration fault published as `error`. */
function bareResult(verdict: Verdict, preface: string, statusState: string): CommandResult {
  return { reports: [], preface, detailed: false, outputs: { 'status-state': statusState }, verdict }
}

/**
 * `once: true`: judge the commit once and publish; judge again instead when another judge
 * published while this one judged. An event about the gate's own status is ignored.
 */
async function oneLook(plan: WatchPlan, publisher: StatusPublisher, inputs: WaitInputs, deps: Deps): Promise<CommandResult> {
  const { context, sha } = publisher.target
  const about = deps.context.event?.statusContext
  if (about !== undefined && about.toLowerCase() === context.toLowerCase()) {
    deps.log.info(`The event is about the gate's own status '${about}': ignored.`)
    return bareResult({ result: 'success' }, '', '')
  }
  // Checked at the pull request's own events, which every commit gets first: a workflow_run event
  // has already come through the wiring, and reading every workflow file at each one would
  // double the cost of a judge.
  const fault = deps.context.eventName === 'workflow_run' ? null : await wiringFault(plan.discovery?.workflows ?? [], deps)
  if (fault) {
    const shown = await publisher.publish({ state: 'error', description: fault })
    return bareResult(
      { result: 'error', message: fault },
      renderGatePreface({ outcome: { kind: 'error', message: fault }, notCounted: [], expectations: [] }),
      shown.state
    )
  }
  const one = oncePlan(plan, deps.context.event?.wakingRun, sha)
  for (let judge = 1; ; judge++) {
    const judgedFrom = deps.serverTime.now()
    const watched = await watchRuns(one, deps)
    if (watched.end.kind === 'timeout' || watched.end.kind === 'cancelled') throw new Error(`the look did not finish (${watched.end.kind})`)
    const proofs = watched.missingWorkflows.length > 0 ? await proveSkips(sha, watched.missingWorkflows, deps) : new Map<string, SkipProof>()
    const refused = [...proofs.values()].find((proof) => proof.kind === 'refused')
    if (refused) {
      const shown = await publisher.publish({ state: 'error', description: refused.reason })
      return bareResult(
        { result: 'error', message: refused.reason },
        renderGatePreface({ outcome: { kind: 'error', message: refused.reason }, notCounted: [], expectations: [] }),
        shown.state
      )
    }
    const skipped = [...proofs].filter(([, proof]) => proof.kind === 'skipped').map(([workflow]) => workflow)
    const judged = judgeLook(
      watched.watches,
      watched.missingWorkflows.filter((w) => !skipped.includes(w)),
      skipped
    )
    if (judge < MAX_JUDGES && (await publisher.newerThan(judgedFrom))) {
      deps.log.info(`A newer '${context}' status was published while this judge read: judging again.`)
      continue
    }
    const shown = await publisher.publish(judged.status)
    deps.log.info(`Result: ${shown.state} — ${shown.description}`)
    const reports = await collectReports(watched.watches, inputs, deps)
    const counted = countedVerdicts(watched.watches)
    const outcome: GateOutcome =
      judged.verdict.result === 'failure'
        ? {
            kind: 'failed',
            failing: watched.watches.filter((w) => counted.get(w.run.id)?.kind === 'failed').map(lineIn(counted)),
            awaited: watched.watches.length
          }
        : judged.verdict.result === 'pending'
          ? { kind: 'pending', awaited: judged.awaited }
          : { kind: 'passed', passed: watched.watches.length, waitedMs: 0 }
    const { rows, detailOf } = gateSummary(watched.watches, counted, deps)
    const preface = renderGatePreface({ outcome, notCounted: skippedLines(proofs), expectations: [], rows })
    return { reports, preface, detailed: true, outputs: { 'status-state': shown.state }, verdict: judged.verdict, standingOf: standingIn(counted), detailOf }
  }
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

/**
 * Whether the summary shows a run in full: it did not pass (failed, or still undecided), or it was
 * given by id. A run that passed, or does not count, is a row of the gate's table.
 */
function detailedIn(counted: ReadonlyMap<number, RunVerdict>): (watch: Watch) => boolean {
  return (watch) => {
    const kind = counted.get(watch.run.id)?.kind
    return watch.given || kind === 'failed' || kind === 'waiting'
  }
}

/** Reports of the runs: in full (timing, approvals, logs) for those shown in full, the run and its jobs as read for the rest. */
async function collectReports(watches: readonly Watch[], inputs: GateOptions, deps: Deps): Promise<RunReport[]> {
  const detailed = detailedIn(countedVerdicts(watches))
  const reports: RunReport[] = []
  for (const watch of watches) {
    if (!detailed(watch)) {
      reports.push({ ...bareReport(watch.run), jobs: watch.jobs })
      continue
    }
    const options = { logLines: inputs.logLines, billableTime: inputs.billableTime, approvals: watch.sawWaiting, log: deps.log, stop: deps.stop }
    reports.push(await collectReport(deps.api, watch.run, watch.jobs, options))
  }
  return reports
}

const ROW_STANDING: Readonly<Record<RunVerdict['kind'], RowStanding>> = { failed: 'failed', waiting: 'pending', passed: 'passed', 'not-counted': 'not-counted' }

/** The gate's table (a row per run, as counted) and the runs its summary shows in full. */
function gateSummary(
  watches: readonly Watch[],
  counted: ReadonlyMap<number, RunVerdict>,
  deps: Deps
): { rows: GateRow[]; detailOf: (report: RunReport) => boolean } {
  const nowMs = deps.serverTime.now()
  const rows = watches.map(({ run, jobs }): GateRow => {
    const { status, conclusion, htmlUrl: url, name: workflow, runNumber, attempt } = run
    const standing = ROW_STANDING[counted.get(run.id)?.kind ?? 'waiting']
    return { kind: 'run', standing, status, conclusion, url, durationMs: runDurationMs(run, jobs, nowMs), workflow, runNumber, attempt }
  })
  const detailed = new Set(watches.filter(detailedIn(counted)).map((w) => w.run.id))
  return { rows, detailOf: (report) => detailed.has(report.run.id) }
}

/** `CI #12 (run 123, attempt 1): failure`: a run and its counted verdict, or what it waits for. */
function lineIn(counted: ReadonlyMap<number, RunVerdict>): (watch: Watch) => string {
  return (w) => {
    const v = counted.get(w.run.id)
    return `${label(w.run)}: ${v && v.kind !== 'waiting' ? v.detail : (v?.reason ?? '')}`
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
      const message = `Timed out after ${formatDuration(waitedMs)} waiting for ${undecided.map((w) => `${label(w.run)} (${w.verdict.kind === 'waiting' ? w.verdict.reason : ''})`).join(', ')}.`
      return { verdict: { result: 'timeout', message }, outcome: { kind: 'timeout', message } }
    }
    case 'failed-fast':
    case 'finished': {
      const failing = watches.filter((w) => counted.get(w.run.id)?.kind === 'failed').map(line)
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

/** A run's standing for the `conclusion` output: a decided run counts with its judged conclusion. */
function standingIn(counted: ReadonlyMap<number, RunVerdict>): (report: RunReport) => RunStanding {
  return (report) => {
    const v = counted.get(report.run.id)
    if (!v || v.kind === 'waiting') return { kind: 'undecided' }
    return v.kind === 'not-counted' ? { kind: 'not-counted' } : { kind: 'concluded', conclusion: v.conclusion }
  }
}

async function finish(watched: WatchResult, inputs: GateOptions, deps: Deps, skipped: readonly string[] = []): Promise<CommandResult> {
  const { end, watches, startedAt } = watched
  const waitedMs = deps.clock.now() - startedAt
  if (end.kind === 'timeout' && inputs.wait.cancelOnTimeout) await cancelUndecided(watches, deps)
  const reports = await collectReports(watches, inputs, deps)
  const counted = countedVerdicts(watches)
  const { verdict, outcome } = gateOutcome(watched, counted, waitedMs, inputs, deps)
  const notCounted = [...watches.filter((w) => counted.get(w.run.id)?.kind === 'not-counted').map(lineIn(counted)), ...skipped]
  const { rows, detailOf } = gateSummary(watches, counted, deps)
  const preface = renderGatePreface({ outcome, notCounted, expectations: expectationsOf(watches, deps), rows })
  deps.log.info(verdict.result === 'success' ? `Result: all awaited run(s) succeeded after ${formatDuration(waitedMs)}.` : `Result: ${verdict.message}`)
  return { reports, preface, detailed: true, outputs: {}, verdict, standingOf: standingIn(counted), detailOf }
}
