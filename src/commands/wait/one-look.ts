// `once: true` at an event: judge the event's commit once, publish the verdict as its commit
// status, exit. The judge itself (judgeCommit) is shared with the sweep (sweep.ts).
import { renderGatePreface, type GateOutcome } from '../../report/gate.js'
import type { WakingRun } from '../../runner/context.js'
import type { Deps } from '../shared/deps.js'
import type { CommandResult } from '../shared/result.js'
import { checkLine, ExternalChecksRefused, failedChecks, ACTIONS_APP } from './external-checks.js'
import type { WaitInputs } from './index.js'
import { watchRuns, type WatchPlan, type WatchResult } from './loop.js'
import { judgeLook, MAX_JUDGES, oncePlan, wiringFault, type OnceJudgement } from './once.js'
import { bareResult, collectReports, errorResult, gateSummary, lineIn, standingIn } from './results.js'
import { proveSkips, skippedLines, type SkipProof } from './skips.js'
import type { StatusPublisher, StatusVerdict } from './status.js'
import { countedVerdicts } from './verdict.js'

/** Publishes a configuration fault as `error`: the step fails, and the pull request says why. */
export async function faultResult(publisher: StatusPublisher, fault: string): Promise<CommandResult> {
  const shown = await publisher.publish({ state: 'error', description: fault })
  return errorResult(fault, shown.state)
}

/** Events that follow the pull request's own (which checked the wiring): not checked again. */
const WIRED_EVENTS: ReadonlySet<string> = new Set(['workflow_run', 'check_run', 'check_suite', 'status'])

/** Why the waking event is not worth a judge: the gate's own status, or a GitHub Actions job's check run. */
function ignoredEvent(context: string, deps: Deps): string | null {
  const event = deps.context.event
  const about = event?.statusContext
  if (about !== undefined && about.toLowerCase() === context.toLowerCase()) return `The event is about the gate's own status '${about}': ignored.`
  if (deps.context.eventName === 'check_run' && event?.checkRunApp === ACTIONS_APP)
    return "The event is a GitHub Actions job's check run, not another app's: ignored (the workflow_run events cover the runs)."
  return null
}

/**
 * `once: true` at an event: judge the commit once and publish. An event about the gate's own
 * status, or about a GitHub Actions job's check run, is ignored.
 */
export async function oneLook(plan: WatchPlan, publisher: StatusPublisher, inputs: WaitInputs, deps: Deps): Promise<CommandResult> {
  const ignored = ignoredEvent(publisher.target.context, deps)
  if (ignored) {
    deps.log.info(ignored)
    return bareResult({ result: 'success' }, '', '')
  }
  // Checked at the pull request's own events, which every commit gets first: a workflow_run event
  // has already come through the wiring, and reading every workflow file at each workflow run's
  // or other app's event would double the cost of a judge.
  const fault = WIRED_EVENTS.has(deps.context.eventName) ? null : await wiringFault(plan.discovery?.workflows ?? [], deps, inputs.checks)
  if (fault) return faultResult(publisher, fault)
  return (await judgeCommit(plan, publisher, inputs, deps, { waking: deps.context.event?.wakingRun, reports: true })).result
}

export interface JudgeOptions {
  /** The run whose event woke the gate: newer than a lagging run list. */
  waking?: WakingRun | undefined
  /** The pull request whose head the commit is, when known (the sweep knows it). */
  pullRequest?: number
  /** Collect the runs' reports for the summary (the sweep, judging many commits, does not). */
  reports: boolean
}

/** One look at the runs (and external checks), and the proofs of skips for the named workflows with none. */
async function look(plan: WatchPlan, sha: string, deps: Deps, options: JudgeOptions): Promise<{ watched: WatchResult; proofs: Map<string, SkipProof> }> {
  const watched = await watchRuns(plan, deps)
  if (watched.end.kind === 'timeout' || watched.end.kind === 'cancelled') throw new Error(`the look did not finish (${watched.end.kind})`)
  const proofs = watched.missingWorkflows.length > 0 ? await proveSkips(sha, watched.missingWorkflows, deps, options.pullRequest) : new Map<string, SkipProof>()
  return { watched, proofs }
}

/**
 * Judges the publisher's commit once and publishes; judges again instead when another judge
 * published while this one judged (two events a second apart). A fault (a refused workflow, a
 * token that cannot read the checks) is published as `error`.
 */
export async function judgeCommit(
  plan: WatchPlan,
  publisher: StatusPublisher,
  inputs: WaitInputs,
  deps: Deps,
  options: JudgeOptions
): Promise<{ result: CommandResult; status: StatusVerdict }> {
  const { context, sha } = publisher.target
  const one = oncePlan(plan, options.waking, sha)
  for (let judge = 1; ; judge++) {
    // When this judge's reads began, on GitHub's clock: taken once an answer has told GitHub's
    // time (at a workflow_run event the first read is the look's own), never the runner's clock.
    const readsBegan = deps.clock.now()
    let seen: Awaited<ReturnType<typeof look>>
    try {
      seen = await look(one, sha, deps, options)
    } catch (error) {
      if (!(error instanceof ExternalChecksRefused)) throw error
      return faulted(publisher, error.message)
    }
    const { watched, proofs } = seen
    const refused = [...proofs.values()].find((proof) => proof.kind === 'refused')
    if (refused) return faulted(publisher, refused.reason)
    const skipped = [...proofs].filter(([, proof]) => proof.kind === 'skipped').map(([workflow]) => workflow)
    const judged = judgeLook(
      watched.watches,
      watched.missingWorkflows.filter((w) => !skipped.includes(w)),
      skipped,
      watched.external
    )
    if (judge < MAX_JUDGES && (await publisher.newerThan(deps.serverTime.at(readsBegan)))) {
      deps.log.info(`A newer '${context}' status was published while this judge read: judging again.`)
      continue
    }
    const shown = await publisher.publish(judged.status)
    deps.log.info(`Result: ${shown.state} — ${shown.description}`)
    return { result: await judgedResult(watched, proofs, judged, shown, inputs, deps, options.reports), status: shown }
  }
}

async function faulted(publisher: StatusPublisher, fault: string): Promise<{ result: CommandResult; status: StatusVerdict }> {
  const result = await faultResult(publisher, fault)
  return { result, status: { state: 'error', description: fault } }
}

/** The command's result from one judge: the verdict, the gate's preface, the runs' reports. */
async function judgedResult(
  watched: WatchResult,
  proofs: ReadonlyMap<string, SkipProof>,
  judged: OnceJudgement,
  shown: StatusVerdict,
  inputs: WaitInputs,
  deps: Deps,
  withReports: boolean
): Promise<CommandResult> {
  const reports = withReports ? await collectReports(watched.watches, inputs, deps) : []
  const counted = countedVerdicts(watched.watches)
  const failing = [
    ...watched.watches.filter((w) => counted.get(w.run.id)?.kind === 'failed').map(lineIn(counted)),
    ...failedChecks(watched.external).map(checkLine)
  ]
  const outcome: GateOutcome =
    judged.verdict.result === 'failure'
      ? { kind: 'failed', failing, awaited: watched.watches.length }
      : judged.verdict.result === 'pending'
        ? { kind: 'pending', awaited: judged.awaited }
        : { kind: 'passed', passed: watched.watches.length, waitedMs: 0 }
  const { rows, detailOf } = gateSummary(watched.watches, counted, watched.external, deps)
  const preface = renderGatePreface({ outcome, notCounted: skippedLines(proofs), expectations: [], rows })
  return { reports, preface, detailed: true, outputs: { 'status-state': shown.state }, verdict: judged.verdict, standingOf: standingIn(counted), detailOf }
}
