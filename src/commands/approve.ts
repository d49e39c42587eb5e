// `approve`: lets runs that wait for a person go on. A fork pull request's run (completed as
// `action_required`) is approved; a run `waiting` on environments gets its pending deployments
// reviewed with `decision` and `comment`; with `custom-gate: true` the environments' custom
// protection rules (GitHub Apps) are answered instead. Every run is read and every environment
// name checked before the first write.
import { bareReport } from '../collect.js'
import type { PendingDeployment, Run } from '../github/types.js'
import type { Settings } from '../settings.js'
import type { Deps } from './deps.js'
import { renderActions } from '../report/actions.js'
import { ActionLog } from './action-log.js'
import { selectTargets } from '../selection.js'
import { failureOf, type CommandResult } from './result.js'
import { waitForChangedRuns } from './wait/index.js'
import { describeWriteError } from './write-error.js'

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

export type ApproveInputs = Pick<Settings, 'selection' | 'excludeCurrentRun' | 'approve' | 'waitAfter' | 'wait' | 'summary'>

export async function approveRuns(settings: ApproveInputs, deps: Deps): Promise<CommandResult> {
  const { api, context, log } = deps
  const options = settings.approve
  const named = options.environments
  const comment =
    options.comment ||
    `${options.decision === 'approved' ? 'Approved' : 'Rejected'} by run-control${context.runId ? ` in ${context.serverUrl}/${context.repository}/actions/runs/${context.runId}` : ''}`
  const targets = await selectTargets(api, settings.selection, {
    excludeRunId: settings.excludeCurrentRun ? context.runId : undefined,
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

  const acted: Run[] = []
  for (const run of targets) {
    const plan = plans.get(run.id)
    if (!plan) continue
    try {
      switch (plan.kind) {
        case 'fork':
          await api.approveRun(run.id)
          record(run, 'done', 'fork pull request run approved: it can start now')
          break
        case 'deployments':
          await api.reviewPendingDeployments(run.id, plan.environments.map((d) => d.environmentId), options.decision, comment)
          record(run, 'done', `${options.decision} deployment to ${plan.environments.map((d) => `'${d.environment}'`).join(', ')}`)
          break
        case 'custom-gates':
          for (const environment of plan.environments) await api.reviewCustomGate(run.id, environment, options.decision, comment)
          record(run, 'done', `custom protection rule of ${plan.environments.map((e) => `'${e}'`).join(', ')} ${options.decision}`)
          break
      }
      acted.push(run)
    } catch (error) {
      record(run, 'failed', `review refused: ${describeWriteError(error)}`)
    }
  }

  let waited: CommandResult | null = null
  if (settings.waitAfter && acted.length > 0) {
    const wasForkRun = new Set(acted.filter(isForkRunAwaitingApproval).map((run) => run.id))
    waited = await waitForChangedRuns(
      acted,
      // Right after the approval the run may still read as completed/action_required.
      new Map([...wasForkRun].map((id) => [id, (run: Run) => !isForkRunAwaitingApproval(run)])),
      { wait: settings.wait, logLines: settings.summary.logLines },
      deps
    )
  }

  const rows = actions.rows(targets)
  const failures = [...ActionLog.failures(rows), ...(waited && waited.verdict.result !== 'success' ? [waited.verdict.message] : [])]
  if (acted.length === 0 && failures.length === 0) {
    // Asked to approve and nothing could be: the person who asked must hear it.
    failures.push(`Nothing to approve among ${targets.length} selected run(s): ${rows.map((r) => `run ${r.run.id} ${r.detail}`).join('; ') || 'no run matched'}`)
  }
  const preface = [renderActions(`Approve: ${acted.length} of ${targets.length} selected run(s) ${options.decision === 'approved' ? 'approved' : 'reviewed'}`, rows), ...(waited ? [waited.preface] : [])].join('\n\n')
  return {
    reports: waited ? waited.reports : rows.map((r) => bareReport(r.run)),
    preface,
    detailed: waited !== null,
    outputs: { 'reviewed-run-ids': JSON.stringify(acted.map((run) => run.id)) },
    verdict: waited && waited.verdict.result !== 'success' && failures.length === 1 ? waited.verdict : failureOf(failures),
    allowedConclusions: settings.wait.allowedConclusions,
    ...(waited?.conclusionOf ? { conclusionOf: waited.conclusionOf } : {})
  }
}
