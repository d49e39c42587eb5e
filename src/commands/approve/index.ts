// `approve`: lets runs that wait for a person go on. A fork pull request's run (completed as
// `action_required`) is approved; a run `waiting` on environments gets its pending deployments
// reviewed with `decision` and `comment`; with `custom-gate: true` the environments' custom
// protection rules (GitHub Apps) are answered instead. Every run is read and every environment
// name checked before the first write.
import type { PendingDeployment, Run } from '../../github/types.js'
import type { GateOptions } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { GitHubApi } from '../../github/api.js'
import type { Clock } from '../../time/clock.js'
import type { ApproveSettings } from './command.js'
import type { Deps } from '../shared/deps.js'
import { selectTargets } from '../../runs/selection.js'
import type { CommandResult } from '../shared/result.js'
import { describeWriteError, readBack } from '../shared/write-error.js'
import { waitForWritten, writeRuns, type RunPlan, type WriteCommand } from '../shared/write-runs.js'

type ApproveWrite = { kind: 'fork' } | { kind: 'deployments'; environments: PendingDeployment[] } | { kind: 'custom-gates'; environments: string[] }

function isForkRunAwaitingApproval(run: Run): boolean {
  return run.status === 'completed' && run.conclusion === 'action_required'
}

function describePending(pending: readonly PendingDeployment[]): string {
  return pending
    .map((d) => {
      const reviewers = d.reviewers.length > 0 ? `reviewers: ${d.reviewers.join(', ')}` : ''
      const note = d.currentUserCanApprove ? reviewers : ['the token may not approve it', reviewers].filter(Boolean).join('; ')
      return note ? `'${d.environment}' (${note})` : `'${d.environment}'`
    })
    .join(', ')
}

export interface ApproveInputs {
  selection: Selection
  excludeCurrentRun: boolean
  approve: ApproveSettings
  /** Wait for the runs approved, with the wait settings. */
  waitAfter: boolean
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  /** The gate's rules and summary options for `wait: true`. */
  gate: GateOptions
}

export async function approveRuns(settings: ApproveInputs, deps: Deps): Promise<CommandResult> {
  return writeRuns(approveCommand(settings, deps), settings, deps)
}

function approveCommand(settings: ApproveInputs, deps: Deps): WriteCommand<ApproveWrite> {
  const { api, context, clock } = deps
  const deadline = clock.now() + settings.gate.wait.timeoutMs
  const options = settings.approve
  const comment =
    options.comment ||
    `${options.decision === 'approved' ? 'Approved' : 'Rejected'} by run-control${context.runId ? ` in ${context.serverUrl}/${context.repository}/actions/runs/${context.runId}` : ''}`
  const pendingByRun = new Map<number, PendingDeployment[]>()
  const describe = (write: ApproveWrite): string => describeWrite(write, options.decision)
  return {
    words: { verb: () => 'review', notSent: 'not reviewed', wouldDo: (_run, write) => `would be ${describe(write)}`, stillShows: () => 'the run still waits' },
    select: async () => ({ targets: await selectTargets(api, settings.selection, { currentRunId: context.runId, newestOnly: false }) }),
    // Reads and checks only; nothing is written until every run has a plan.
    plan: (run) => planApproval(run, options, api, pendingByRun),
    checkPlans: async (planned) => {
      checkEnvironmentNames(options.environments, options.customGate, pendingByRun)
      return planned
    },
    write: async (run, write) => {
      switch (write.kind) {
        case 'fork':
          await api.approveRun(run.id)
          break
        case 'deployments':
          await api.reviewPendingDeployments(
            run.id,
            write.environments.map((d) => d.environmentId),
            options.decision,
            comment
          )
          break
        case 'custom-gates':
          for (const environment of write.environments) await api.reviewCustomGate(run.id, environment, options.decision, comment)
          break
      }
      return { kind: 'done', detail: describe(write) }
    },
    // What GitHub shows now says whether it took: the run moved on, or the deployments stopped pending.
    readBack: async (run, write, error) =>
      (await tookEffect(run, write, api, clock, deadline))
        ? { kind: 'done', detail: `${describe(write)} (the reply was lost: ${describeWriteError(error)}; read back)` }
        : null,
    // Right after the approval the run may still read as completed/action_required.
    settle: (changed) =>
      waitForWritten(changed, (run) => (isForkRunAwaitingApproval(run) ? (now: Run) => !isForkRunAwaitingApproval(now) : null), settings, deps),
    report: ({ targets, rows, changed, failed }) => ({
      heading: `Approve: ${changed.length} of ${targets.length} selected run(s) ${options.decision === 'approved' ? 'approved' : 'reviewed'}`,
      outputs: { 'reviewed-run-ids': JSON.stringify(changed.map(({ run }) => run.id)) },
      // Asked to approve and nothing could be: the person who asked must hear it.
      failures:
        changed.length === 0 && !rows.some((r) => r.outcome === 'planned') && failed.length === 0 && !deps.stop.aborted
          ? [`Nothing to approve among ${targets.length} selected run(s): ${rows.map((r) => `run ${r.run.id} ${r.detail}`).join('; ') || 'no run matched'}`]
          : failed
    })
  }
}

async function planApproval(
  run: Run,
  options: ApproveInputs['approve'],
  api: GitHubApi,
  pendingByRun: Map<number, PendingDeployment[]>
): Promise<RunPlan<ApproveWrite>> {
  const named = options.environments
  if (isForkRunAwaitingApproval(run)) {
    if (options.customGate) return { kind: 'skip', reason: 'waits for a maintainer to approve a fork pull request run, not for a custom gate' }
    if (options.decision === 'rejected') return { kind: 'skip', reason: 'a fork pull request run cannot be rejected through the API; left unapproved' }
    return { kind: 'write', write: { kind: 'fork' } }
  }
  if (run.status !== 'waiting')
    return { kind: 'skip', reason: `not waiting for approval (${run.status === 'completed' ? `completed: ${run.conclusion}` : run.status})` }
  // The API lists no custom gates; the names come from the input and GitHub checks them.
  if (options.customGate) return { kind: 'write', write: { kind: 'custom-gates', environments: named } }
  const pending = await api.listPendingDeployments(run.id)
  pendingByRun.set(run.id, pending)
  const chosen = named.length > 0 ? pending.filter((d) => named.includes(d.environment)) : pending.filter((d) => d.currentUserCanApprove)
  const refused = chosen.filter((d) => !d.currentUserCanApprove)
  if (refused.length > 0) {
    throw new Error(`Run ${run.id} waits for ${describePending(refused)}: the token is not one of the required reviewers. Nothing was reviewed.`)
  }
  if (chosen.length > 0) return { kind: 'write', write: { kind: 'deployments', environments: chosen } }
  return {
    kind: 'skip',
    reason:
      pending.length === 0
        ? 'waiting, but no deployment is pending'
        : named.length > 0
          ? `none of ${named.join(', ')} is pending; pending: ${describePending(pending)}`
          : `pending: ${describePending(pending)}`
  }
}

/** Every environment named must be pending on some selected run: a typo refuses the command. */
function checkEnvironmentNames(named: readonly string[], customGate: boolean, pendingByRun: ReadonlyMap<number, PendingDeployment[]>): void {
  if (customGate || named.length === 0) return
  const pendingNames = new Set([...pendingByRun.values()].flat().map((d) => d.environment))
  const unknown = named.filter((name) => !pendingNames.has(name))
  if (unknown.length === 0) return
  const listing = [...pendingByRun.entries()].map(([id, pending]) => `run ${id}: ${pending.map((d) => d.environment).join(', ') || 'none'}`)
  throw new Error(
    `Input 'environments' has an invalid value '${unknown.join(', ')}': no selected run has a deployment pending for it. Pending: ${listing.join('; ') || 'no selected run is waiting on an environment'}. Nothing was reviewed.`
  )
}

function describeWrite(write: ApproveWrite, decision: ApproveInputs['approve']['decision']): string {
  switch (write.kind) {
    case 'fork':
      return 'fork pull request run approved: it can start now'
    case 'deployments':
      return `${decision} deployment to ${write.environments.map((d) => `'${d.environment}'`).join(', ')}`
    case 'custom-gates':
      return `custom protection rule of ${write.environments.map((e) => `'${e}'`).join(', ')} ${decision}`
  }
}

/** After a lost reply: did the run move on (approved), or the deployments stop pending? */
async function tookEffect(run: Run, write: ApproveWrite, api: GitHubApi, clock: Clock, deadline: number): Promise<boolean> {
  if (write.kind === 'fork')
    return (
      (await readBack(
        () => api.getRun(run.id),
        (read) => !isForkRunAwaitingApproval(read),
        clock,
        deadline
      )) !== null
    )
  if (write.kind === 'custom-gates')
    return (
      (await readBack(
        () => api.getRun(run.id),
        (read) => read.status !== 'waiting',
        clock,
        deadline
      )) !== null
    )
  const ids = new Set(write.environments.map((d) => d.environmentId))
  const pending = await readBack(
    () => api.listPendingDeployments(run.id),
    (list) => !list.some((d) => ids.has(d.environmentId)),
    clock,
    deadline
  )
  return pending !== null
}
