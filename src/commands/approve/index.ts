// `approve`: lets runs that wait for a person go on. A fork pull request's run (completed as
// `action_required`) is approved; a run `waiting` on environments gets its pending deployments
// reviewed with `decision` and `comment`; with `custom-gate: true` the environments' custom
// protection rules (GitHub Apps) are answered instead. Every run is read and every environment
// name checked before the first write.
import { bareReport } from '../../runs/collect.js'
import type { PendingDeployment, Run } from '../../github/types.js'
import type { WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { ApproveSettings } from './command.js'
import type { Deps } from '../shared/deps.js'
import { renderActions } from '../../report/actions.js'
import { ActionLog } from '../shared/action-log.js'
import { selectTargets } from '../../runs/selection.js'
import { writeVerdict, type CommandResult } from '../shared/result.js'
import { waitForChangedRuns } from '../wait/index.js'
import { describeWriteError, isAmbiguous, readBack } from '../shared/write-error.js'

type Plan =
  | { kind: 'fork' }
  | { kind: 'deployments'; environments: PendingDeployment[] }
  | { kind: 'custom-gates'; environments: string[] }

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
  wait: WaitSettings
  summary: { logLines: number; billableTime: boolean }
}

export async function approveRuns(settings: ApproveInputs, deps: Deps): Promise<CommandResult> {
  const { api, context, clock, log } = deps
  const deadline = clock.now() + settings.wait.timeoutMs
  const options = settings.approve
  const named = options.environments
  const comment =
    options.comment ||
    `${options.decision === 'approved' ? 'Approved' : 'Rejected'} by run-control${context.runId ? ` in ${context.serverUrl}/${context.repository}/actions/runs/${context.runId}` : ''}`
  const targets = await selectTargets(api, settings.selection, {
    currentRunId: context.runId,
    newestOnly: false
  })
  const actions = new ActionLog(log)
  const record = actions.record.bind(actions)

  // Reads and checks only; nothing is written until every run has a plan.
  const plans = new Map<number, Plan>()
  const pendingByRun = new Map<number, PendingDeployment[]>()
  for (const run of targets) {
    if (isForkRunAwaitingApproval(run)) {
      if (options.customGate) record(run, 'skipped', 'waits for a maintainer to approve a fork pull request run, not for a custom gate')
      else if (options.decision === 'rejected') record(run, 'skipped', 'a fork pull request run cannot be rejected through the API; left unapproved')
      else plans.set(run.id, { kind: 'fork' })
    } else if (run.status !== 'waiting') {
      record(run, 'skipped', `not waiting for approval (${run.status === 'completed' ? `completed: ${run.conclusion}` : run.status})`)
    } else if (options.customGate) {
      // The API lists no custom gates; the names come from the input and GitHub checks them.
      plans.set(run.id, { kind: 'custom-gates', environments: named })
    } else {
      const pending = await api.listPendingDeployments(run.id)
      pendingByRun.set(run.id, pending)
      const chosen = named.length > 0 ? pending.filter((d) => named.includes(d.environment)) : pending.filter((d) => d.currentUserCanApprove)
      const refused = chosen.filter((d) => !d.currentUserCanApprove)
      if (refused.length > 0) {
        throw new Error(
          `Run ${run.id} waits for ${describePending(refused)}: the token is not one of the required reviewers. Nothing was reviewed.`
        )
      }
      if (chosen.length === 0) {
        record(
          run,
          'skipped',
          pending.length === 0
            ? 'waiting, but no deployment is pending'
            : named.length > 0
              ? `none of ${named.join(', ')} is pending; pending: ${describePending(pending)}`
              : `pending: ${describePending(pending)}`
        )
      } else {
        plans.set(run.id, { kind: 'deployments', environments: chosen })
      }
    }
  }
  if (!options.customGate && named.length > 0) {
    const pendingNames = new Set([...pendingByRun.values()].flat().map((d) => d.environment))
    const unknown = named.filter((name) => !pendingNames.has(name))
    if (unknown.length > 0) {
      const listing = [...pendingByRun.entries()].map(([id, pending]) => `run ${id}: ${pending.map((d) => d.environment).join(', ') || 'none'}`)
      throw new Error(
        `Input 'environments' has an invalid value '${unknown.join(', ')}': no selected run has a deployment pending for it. Pending: ${listing.join('; ') || 'no selected run is waiting on an environment'}. Nothing was reviewed.`
      )
    }
  }

  const describePlan = (plan: Plan): string => {
    switch (plan.kind) {
      case 'fork':
        return 'fork pull request run approved: it can start now'
      case 'deployments':
        return `${options.decision} deployment to ${plan.environments.map((d) => `'${d.environment}'`).join(', ')}`
      case 'custom-gates':
        return `custom protection rule of ${plan.environments.map((e) => `'${e}'`).join(', ')} ${options.decision}`
    }
  }
  /** After a lost reply: did the run move on (approved), or the deployments stop pending? */
  const tookEffect = async (run: Run, plan: Plan): Promise<boolean> => {
    if (plan.kind === 'fork') return (await readBack(() => api.getRun(run.id), (read) => !isForkRunAwaitingApproval(read), clock, deadline)) !== null
    if (plan.kind === 'custom-gates') return (await readBack(() => api.getRun(run.id), (read) => read.status !== 'waiting', clock, deadline)) !== null
    const ids = new Set(plan.environments.map((d) => d.environmentId))
    const pending = await readBack(() => api.listPendingDeployments(run.id), (list) => !list.some((d) => ids.has(d.environmentId)), clock, deadline)
    return pending !== null
  }

  const acted: Run[] = []
  let planned = 0
  for (const run of targets) {
    const plan = plans.get(run.id)
    if (!plan) continue
    if (settings.dryRun) {
      record(run, 'planned', `dry run: would be ${describePlan(plan)}`)
      planned++
      continue
    }
    if (deps.stop.aborted) {
      record(run, 'skipped', 'not reviewed: this step was cancelled first')
      continue
    }
    try {
      switch (plan.kind) {
        case 'fork':
          await api.approveRun(run.id)
          break
        case 'deployments':
          await api.reviewPendingDeployments(run.id, plan.environments.map((d) => d.environmentId), options.decision, comment)
          break
        case 'custom-gates':
          for (const environment of plan.environments) await api.reviewCustomGate(run.id, environment, options.decision, comment)
          break
      }
      record(run, 'done', describePlan(plan))
      acted.push(run)
    } catch (error) {
      if (!isAmbiguous(error)) {
        record(run, 'failed', `review refused: ${describeWriteError(error)}`)
      } else if (await tookEffect(run, plan)) {
        // The reply was lost, not the request: what GitHub shows now says it took.
        record(run, 'done', `${describePlan(plan)} (the reply was lost: ${describeWriteError(error)}; read back)`)
        acted.push(run)
      } else {
        record(run, 'failed', `review not confirmed: ${describeWriteError(error)}, and the run still waits; not sent again`)
      }
    }
  }

  let waited: CommandResult | null = null
  if (settings.waitAfter && acted.length > 0 && !deps.stop.aborted) {
    const wasForkRun = new Set(acted.filter(isForkRunAwaitingApproval).map((run) => run.id))
    waited = await waitForChangedRuns(
      acted,
      // Right after the approval the run may still read as completed/action_required.
      new Map([...wasForkRun].map((id) => [id, (run: Run) => !isForkRunAwaitingApproval(run)])),
      { wait: settings.wait, logLines: settings.summary.logLines, billableTime: settings.summary.billableTime },
      deps
    )
  }

  const rows = actions.rows(targets)
  const failures = [...ActionLog.failures(rows), ...(waited && waited.verdict.result !== 'success' ? [waited.verdict.message] : [])]
  if (acted.length === 0 && planned === 0 && failures.length === 0 && !deps.stop.aborted) {
    // Asked to approve and nothing could be: the person who asked must hear it.
    failures.push(`Nothing to approve among ${targets.length} selected run(s): ${rows.map((r) => `run ${r.run.id} ${r.detail}`).join('; ') || 'no run matched'}`)
  }
  const preface = [renderActions(`Approve: ${acted.length} of ${targets.length} selected run(s) ${options.decision === 'approved' ? 'approved' : 'reviewed'}`, rows), ...(waited ? [waited.preface] : [])].join('\n\n')
  return {
    reports: waited ? waited.reports : rows.map((r) => bareReport(r.run)),
    preface,
    detailed: waited !== null,
    outputs: { 'reviewed-run-ids': JSON.stringify(acted.map((run) => run.id)) },
    verdict: writeVerdict(deps.stop, failures, waited?.verdict ?? null),
    allowedConclusions: settings.wait.allowedConclusions,
    ...(waited?.standingOf ? { standingOf: waited.standingOf } : {})
  }
}
