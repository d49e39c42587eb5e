// `delete`: deletes completed runs, or only their logs, selected by id or by filters (every page
// GitHub returns), minus the newest `keep` of each workflow and anything younger than
// `older-than`. Runs that are not completed are never touched. Deletions go one at a time (the
// throttling plugin spaces writes a second apart, as GitHub's secondary limits ask), and stop at
// the timeout with the rest reported as not deleted. `dry-run` lists what would go.
import { bareReport } from '../collect.js'
import type { Run } from '../github/types.js'
import type { Settings } from '../settings.js'
import type { Deps } from './deps.js'
import { renderActions } from '../report/actions.js'
import { ActionLog } from './action-log.js'
import { formatDuration, parseTime } from '../report/durations.js'
import { selectTargets } from '../selection.js'
import { cancelledVerdict, failureOf, type CommandResult } from './result.js'
import { NotFoundError } from '../github/api.js'
import { describeWriteError, isAmbiguous, readBack } from './write-error.js'

function newestFirst(a: Run, b: Run): number {
  return a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1
}

export type DeleteInputs = Pick<Settings, 'selection' | 'delete' | 'dryRun' | 'wait'>

export async function deleteRuns(settings: DeleteInputs, deps: Deps): Promise<CommandResult> {
  const { api, context, clock, log } = deps
  const options = settings.delete
  const deadline = clock.now() + settings.wait.timeoutMs
  const what = options.logsOnly ? 'logs' : 'run'
  // The run this step runs in is never deleted, whatever exclude-current-run says.
  const targets = await selectTargets(api, settings.selection, { currentRunId: context.runId, newestOnly: false })
  const actions = new ActionLog(log)
  const record = actions.record.bind(actions)

  const completed = targets.filter((run) => run.status === 'completed').sort(newestFirst)
  for (const run of targets) if (run.status !== 'completed') record(run, 'skipped', `${run.status}: runs that are not completed are never deleted`)
  const keptPerWorkflow = new Map<number, number>()
  const cutoff = options.olderThanMs === null ? null : clock.now() - options.olderThanMs
  const doomed: Run[] = []
  for (const run of completed) {
    const kept = keptPerWorkflow.get(run.workflowId) ?? 0
    if (kept < options.keep) {
      keptPerWorkflow.set(run.workflowId, kept + 1)
      record(run, 'skipped', `kept: one of the newest ${options.keep} of its workflow`)
      continue
    }
    const created = parseTime(run.createdAt)
    if (cutoff !== null && (created === null || created > cutoff)) {
      record(run, 'skipped', `kept: created ${run.createdAt}, less than ${formatDuration(options.olderThanMs ?? 0)} ago`)
      continue
    }
    doomed.push(run)
  }

  let stopped: string | null = null
  for (const run of doomed) {
    if (settings.dryRun) {
      record(run, 'planned', `dry run: the ${what} would be deleted`)
    } else if (deps.stop.aborted) {
      record(run, 'skipped', 'not deleted: this step was cancelled first')
    } else if (stopped !== null) {
      record(run, 'skipped', `not deleted: ${stopped}`)
    } else if (clock.now() >= deadline) {
      stopped = `the timeout (${formatDuration(settings.wait.timeoutMs)}) ran out first`
      record(run, 'failed', `not deleted: ${stopped}`)
    } else {
      try {
        const answer = await api.deleteRun(run.id, options.logsOnly)
        record(run, answer === 'deleted' ? 'done' : 'skipped', answer === 'deleted' ? `${what} deleted` : `already gone (404)`)
      } catch (error) {
        const gone = (): Promise<boolean> => api.getRun(run.id).then(() => false, (e: unknown) => e instanceof NotFoundError)
        if (isAmbiguous(error) && !options.logsOnly && (await readBack(gone, (isGone) => isGone, clock, deadline))) {
          // The reply was lost, not the request: the run is gone, so it was deleted.
          record(run, 'done', `run deleted (the reply was lost: ${describeWriteError(error)}; read back: 404)`)
          continue
        }
        record(run, 'failed', `${isAmbiguous(error) ? 'delete not confirmed' : 'delete refused'}: ${describeWriteError(error)}${isAmbiguous(error) ? '; not sent again' : ''}`)
        const status = (error as { status?: number }).status
        // The same token will be refused for the rest too; stop instead of burning requests.
        if (status === 401 || status === 403) stopped = `stopped after GitHub refused run ${run.id}`
      }
    }
  }

  const rows = actions.rows(targets)
  const deleted = rows.filter((r) => r.outcome === 'done').map((r) => r.run.id)
  const failed = ActionLog.failures(rows)
  const verb = options.logsOnly ? 'logs deleted' : 'deleted'
  const heading = settings.dryRun
    ? `Delete (dry run): ${doomed.length} of ${targets.length} selected run(s) would have their ${what === 'logs' ? 'logs' : 'runs'} deleted`
    : `Delete: ${deleted.length} of ${targets.length} selected run(s) ${verb}`
  log.info(`Result: ${heading}.`)
  return {
    // run-ids and runs describe what goes (or would go, in a dry run).
    reports: doomed.map(bareReport),
    preface: renderActions(heading, rows),
    detailed: false,
    outputs: { 'deleted-run-ids': JSON.stringify(deleted) },
    verdict: deps.stop.aborted
      ? cancelledVerdict(deps.stop)
      : failureOf(failed.length > 0 ? [`${failed.length} run(s) not deleted: ${failed.join('; ')}`] : []),
    allowedConclusions: settings.wait.allowedConclusions
  }
}
