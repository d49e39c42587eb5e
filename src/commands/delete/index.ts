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
import { formatDuration, parseTime } from '../../report/durations.js'
import { selectTargets } from '../../runs/selection.js'
import type { CommandResult } from '../shared/result.js'
import { NotFoundError } from '../../github/api.js'
import { statusOf } from '../../github/errors.js'
import { describeWriteError, readBack } from '../shared/write-error.js'
import { writeRuns, type RunPlan, type WriteCommand } from '../shared/write-runs.js'
import { deletePlanWarnings, deleteTime, DeleteProgress } from './progress.js'
import { keepPullRequestRuns, type PullRequestKeep } from './keep-pull-requests.js'

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
  wait: Pick<WaitSettings, 'timeoutMs'>
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
  return writeRuns(deleteCommand(settings, deps), settings, deps)
}

/** What goes: the whole run, or only its logs. */
type DeleteWrite = 'run' | 'logs'

function deleteCommand(settings: DeleteInputs, deps: Deps): WriteCommand<DeleteWrite> {
  const { api, clock } = deps
  const options = settings.delete
  const deadline = clock.now() + settings.wait.timeoutMs
  const what: DeleteWrite = options.logsOnly ? 'logs' : 'run'
  const cutoffAt = (): number | null => (options.olderThanMs === null ? null : deps.serverTime.now() - options.olderThanMs)
  const plan = keepPlan(options)
  let pulls: PullRequestKeep = { doomed: [], kept: [], note: '' }
  let progress: DeleteProgress | null = null
  let stopped: string | null = null
  return {
    words: { verb: () => 'delete', notSent: 'not deleted', wouldDo: (_run, write) => `the ${write} would be deleted` },
    select: async () => {
      const targets = await listRuns(settings, deps, cutoffAt)
      plan.cutoff = cutoffAt()
      // Runs not completed first, as selected; then the newest first, so that `keep` keeps the newest.
      return {
        targets,
        toPlan: [...targets.filter((run) => run.status !== 'completed'), ...targets.filter((run) => run.status === 'completed').sort(newestFirst)]
      }
    },
    plan: async (run) => plan.of(run),
    checkPlans: async (chosen, actions) => {
      pulls = await keepPullRequestRuns(
        chosen.map(({ run }) => run),
        options.keepPullRequests,
        deps,
        actions.record.bind(actions)
      )
      announce(pulls.doomed.length, settings, deps, deadline)
      progress = new DeleteProgress(pulls.doomed.length, options.logsOnly ? 'logs' : 'runs', clock, deps.log)
      return pulls.doomed.map((run) => ({ run, write: what }))
    },
    hold: () => {
      if (stopped !== null) return { outcome: 'skipped', detail: `not deleted: ${stopped}` }
      if (clock.now() < deadline) return null
      stopped = `the timeout (${formatDuration(settings.wait.timeoutMs)}) ran out first`
      return { outcome: 'failed', detail: `not deleted: ${stopped}` }
    },
    write: async (run, write) => {
      const answer = await api.deleteRun(run.id, write === 'logs')
      return answer === 'deleted' ? { kind: 'done', detail: `${write} deleted` } : { kind: 'unchanged', detail: `already gone (404)` }
    },
    // A run that reads 404 now is gone, so the delete took; a run's logs cannot be read back.
    readBack: async (run, write, error) => {
      const gone = (): Promise<boolean> =>
        api.getRun(run.id).then(
          () => false,
          (e: unknown) => e instanceof NotFoundError
        )
      if (write === 'logs' || !(await readBack(gone, (isGone) => isGone, clock, deadline))) return null
      return { kind: 'done', detail: `run deleted (the reply was lost: ${describeWriteError(error)}; read back: 404)` }
    },
    onResult: (run, _write, result) => {
      progress?.handledOne(result.kind === 'done' ? 'deleted' : result.kind === 'unchanged' ? 'gone' : 'failed')
      const status = result.kind === 'failed' ? statusOf(result.error) : undefined
      // The same token will be refused for the rest too; stop instead of burning requests.
      if (status === 401 || status === 403) stopped = `stopped after GitHub refused run ${run.id}`
    },
    report: ({ targets, rows, planned, failed }) => {
      const deleted = rows.filter((r) => r.outcome === 'done').map((r) => r.run.id)
      const heading = settings.dryRun
        ? `Delete (dry run): ${planned.length} of ${targets.length} selected run(s) would have their ${what === 'logs' ? 'logs' : 'runs'} deleted`
        : `Delete: ${deleted.length} of ${targets.length} selected run(s) ${options.logsOnly ? 'logs deleted' : 'deleted'}`
      return {
        heading,
        result: heading,
        note: pulls.note,
        // run-ids and runs describe what goes (or would go, in a dry run).
        reports: planned.map(({ run }) => bareReport(run)),
        outputs: { 'deleted-run-ids': JSON.stringify(deleted), 'kept-run-ids': JSON.stringify(pulls.kept.map((run) => run.id)) },
        failures: notDeletedMessage(failed)
      }
    }
  }
}

/**
 * The selected runs. Creation times are GitHub's: the age cut and the listing's upper bound are
 * on its clock, which the first answer tells (filters list first: ask for it before).
 */
async function listRuns(settings: DeleteInputs, deps: Deps, cutoffAt: () => number | null): Promise<Run[]> {
  const { api, context, log } = deps
  const options = settings.delete
  if (settings.selection.kind === 'filters' && !deps.serverTime.known) await api.askTheTime()
  const cutoff = cutoffAt()
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
    if (options.keep === 0 && cutoff !== null)
      log.info(`older-than (${formatDuration(options.olderThanMs ?? 0)}): listing only the runs created up to ${isoSecond(upTo)}.`)
  }
  // The run this step runs in is never deleted, whatever exclude-current-run says.
  const listed = await selectTargets(api, settings.selection, { currentRunId: context.runId, newestOnly: false, ...(every ? { every } : {}) })
  return options.deletedWorkflows ? (await runsOfDeletedWorkflows(api, listed, log)).runs : listed
}

/** Keeps the newest `keep` of each group and what is younger than `older-than`; the rest goes. */
function keepPlan(options: DeleteInputs['delete']): { cutoff: number | null; of: (run: Run) => RunPlan<DeleteWrite> } {
  const keptPerGroup = new Map<string, number>()
  const what: DeleteWrite = options.logsOnly ? 'logs' : 'run'
  const plan = {
    /** Set once the runs are listed: younger runs are kept. */
    cutoff: null as number | null,
    of: (run: Run): RunPlan<DeleteWrite> => {
      if (run.status !== 'completed') return { kind: 'skip', reason: `${run.status}: runs that are not completed are never deleted` }
      const group = keepGroup(run, options.keepPer)
      const kept = keptPerGroup.get(group) ?? 0
      if (kept < options.keep) {
        keptPerGroup.set(group, kept + 1)
        return { kind: 'skip', reason: keptReason(run, options.keepPer, options.keep) }
      }
      const created = parseTime(run.createdAt)
      if (plan.cutoff !== null && (created === null || created > plan.cutoff)) {
        return { kind: 'skip', reason: `kept: created ${run.createdAt}, less than ${formatDuration(options.olderThanMs ?? 0)} ago` }
      }
      return { kind: 'write', write: what }
    }
  }
  return plan
}

/** Before the first delete: how many, how long, and whether time or the token's requests run out first. */
function announce(count: number, settings: DeleteInputs, deps: Deps, deadline: number): void {
  const things = settings.delete.logsOnly ? "run(s)' logs" : 'run(s)'
  if (settings.dryRun) {
    deps.log.info(`Dry run: ${count} ${things} would be deleted, one at a time (${deleteTime(count)} at one a second).`)
  } else if (count > 0) {
    deps.log.info(`Deleting ${count} ${things}, one at a time (${deleteTime(count)} at one a second).`)
    for (const warning of deletePlanWarnings(count, deadline - deps.clock.now(), settings.wait.timeoutMs, deps.stats)) deps.log.warning(warning)
  }
}
