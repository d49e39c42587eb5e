// `delete`: deletes completed runs, or only their logs, selected by id or by filters, minus the
// newest `keep` of each workflow (or branch: `keep-per`) and anything younger than `older-than`.
// Filters find every matching run, past GitHub's limit of 1,000 results per search (every-run.ts
// walks back in `created` windows), and `deleted-workflows` keeps only the runs whose workflow
// is gone. Runs that are not completed are never touched. Deletions go one at a time (the
// throttling plugin spaces writes a second apart, as GitHub's secondary limits ask), with a
// progress line every 100 runs or 30 s, and stop at the timeout with the rest reported as not
// deleted. `dry-run` lists what would go. Runs an open pull request still shows are kept
// (delete-keep.ts).
import { bareReport } from '../../runs/collect.js'
import { ANY_TIME, intersect, isoSecond, parseCreated, wholeSecond, type CreatedRange } from '../../time/created.js'
import { runsOfDeletedWorkflows } from '../../runs/deleted-workflows.js'
import type { Run } from '../../github/types.js'
import type { WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { DeleteSettings, KeepPer } from './command.js'
import type { Deps } from '../shared/deps.js'
import { renderActions } from '../../report/actions.js'
import { ActionLog } from '../shared/action-log.js'
import { formatDuration, parseTime } from '../../report/durations.js'
import { selectTargets } from '../../runs/selection.js'
import { cancelledVerdict, failureOf, type CommandResult } from '../shared/result.js'
import { NotFoundError } from '../../github/api.js'
import { statusOf } from '../../github/errors.js'
import { describeWriteError, isAmbiguous, readBack } from '../shared/write-error.js'
import { deletePlanWarnings, deleteTime, DeleteProgress } from './progress.js'
import { keepPullRequestRuns } from './keep-pull-requests.js'

function newestFirst(a: Run, b: Run): number {
  return a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1
}

/** The group whose newest `keep` runs are kept. */
function keepGroup(run: Run, per: KeepPer): string {
  const branch = run.headBranch ?? ''
  return per === 'workflow' ? String(run.workflowId) : per === 'branch' ? `\u0000${branch}` : `${run.workflowId}\u0000${branch}`
}

function keptReason(run: Run, per: KeepPer, keep: number): string {
  const branch = run.headBranch === null || run.headBranch === '' ? 'no branch' : `branch ${run.headBranch}`
  const of = per === 'workflow' ? 'its workflow' : per === 'branch' ? branch : `its workflow on ${branch}`
  return `kept: one of the newest ${keep} of ${of}`
}

export interface DeleteInputs {
  selection: Selection
  delete: DeleteSettings
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  wait: Pick<WaitSettings, 'timeoutMs' | 'allowedConclusions'>
}

/** Runs named in the step's failure message; the summary's table has them all. */
const MAX_NAMED_FAILURES = 10

/** The step's failure message: the first runs not deleted, and how many more (a timeout can leave thousands). */
export function notDeletedMessage(failed: readonly string[]): string[] {
  if (failed.length === 0) return []
  const named = failed.slice(0, MAX_NAMED_FAILURES).join('; ')
  const more = failed.length - MAX_NAMED_FAILURES
  return [`${failed.length} run(s) not deleted: ${named}${more > 0 ? `; and ${more} more (the summary lists them)` : ''}`]
}

export async function deleteRuns(settings: DeleteInputs, deps: Deps): Promise<CommandResult> {
  const { api, context, clock, log } = deps
  const options = settings.delete
  const deadline = clock.now() + settings.wait.timeoutMs
  const what = options.logsOnly ? 'logs' : 'run'
  // Creation times are GitHub's: the age cut and the listing's upper bound are on its clock,
  // which the first answer tells (filters list first: ask for it before).
  if (settings.selection.kind === 'filters' && !deps.serverTime.known) await api.askTheTime()
  const cutoffAt = (): number | null => (options.olderThanMs === null ? null : deps.serverTime.now() - options.olderThanMs)
  let cutoff = cutoffAt()
  // Filters: every run created in the range the `created` filter gives, up to now (runs created
  // while the lists are read stay out, so the pages hold still), or up to the older-than cutoff
  // when nothing younger counts (with `keep`, younger runs count among the newest kept).
  let every: { range: CreatedRange; log: typeof log } | undefined
  if (settings.selection.kind === 'filters') {
    const created = settings.selection.filters.created
    const given = created === undefined ? ANY_TIME : parseCreated(created)
    if (given === null) throw new Error(`The created filter '${created}' is not GitHub's date syntax.`)
    const upTo = wholeSecond(options.keep === 0 && cutoff !== null ? cutoff : deps.serverTime.now())
    every = { range: intersect(given, { from: null, to: upTo }), log }
    if (options.keep === 0 && cutoff !== null) log.info(`older-than (${formatDuration(options.olderThanMs ?? 0)}): listing only the runs created up to ${isoSecond(upTo)}.`)
  }
  // The run this step runs in is never deleted, whatever exclude-current-run says.
  const listed = await selectTargets(api, settings.selection, { currentRunId: context.runId, newestOnly: false, ...(every ? { every } : {}) })
  const targets = options.deletedWorkflows ? (await runsOfDeletedWorkflows(api, listed, log)).runs : listed
  cutoff = cutoffAt()
  const actions = new ActionLog(log)
  const record = actions.record.bind(actions)

  const completed = targets.filter((run) => run.status === 'completed').sort(newestFirst)
  for (const run of targets) if (run.status !== 'completed') record(run, 'skipped', `${run.status}: runs that are not completed are never deleted`)
  const keptPerGroup = new Map<string, number>()
  const chosen: Run[] = []
  for (const run of completed) {
    const group = keepGroup(run, options.keepPer)
    const kept = keptPerGroup.get(group) ?? 0
    if (kept < options.keep) {
      keptPerGroup.set(group, kept + 1)
      record(run, 'skipped', keptReason(run, options.keepPer, options.keep))
      continue
    }
    const created = parseTime(run.createdAt)
    if (cutoff !== null && (created === null || created > cutoff)) {
      record(run, 'skipped', `kept: created ${run.createdAt}, less than ${formatDuration(options.olderThanMs ?? 0)} ago`)
      continue
    }
    chosen.push(run)
  }
  const { doomed, kept: keptForPulls, note } = await keepPullRequestRuns(chosen, options.keepPullRequests, deps, record)

  const things = options.logsOnly ? "run(s)' logs" : 'run(s)'
  if (settings.dryRun) {
    log.info(`Dry run: ${doomed.length} ${things} would be deleted, one at a time (${deleteTime(doomed.length)} at one a second).`)
  } else if (doomed.length > 0) {
    log.info(`Deleting ${doomed.length} ${things}, one at a time (${deleteTime(doomed.length)} at one a second).`)
    for (const warning of deletePlanWarnings(doomed.length, deadline - clock.now(), settings.wait.timeoutMs, deps.stats)) log.warning(warning)
  }
  const progress = new DeleteProgress(doomed.length, options.logsOnly ? 'logs' : 'runs', clock, log)

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
        progress.handledOne(answer === 'deleted' ? 'deleted' : 'gone')
      } catch (error) {
        const gone = (): Promise<boolean> => api.getRun(run.id).then(() => false, (e: unknown) => e instanceof NotFoundError)
        if (isAmbiguous(error) && !options.logsOnly && (await readBack(gone, (isGone) => isGone, clock, deadline))) {
          // The reply was lost, not the request: the run is gone, so it was deleted.
          record(run, 'done', `run deleted (the reply was lost: ${describeWriteError(error)}; read back: 404)`)
          progress.handledOne('deleted')
          continue
        }
        record(run, 'failed', `${isAmbiguous(error) ? 'delete not confirmed' : 'delete refused'}: ${describeWriteError(error)}${isAmbiguous(error) ? '; not sent again' : ''}`)
        progress.handledOne('failed')
        const status = statusOf(error)
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
    preface: renderActions(heading, rows, note),
    detailed: false,
    outputs: { 'deleted-run-ids': JSON.stringify(deleted), 'kept-run-ids': JSON.stringify(keptForPulls.map((run) => run.id)) },
    verdict: deps.stop.aborted
      ? cancelledVerdict(deps.stop)
      : failureOf(notDeletedMessage(failed)),
    allowedConclusions: settings.wait.allowedConclusions
  }
}
