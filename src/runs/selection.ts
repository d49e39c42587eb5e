// Which runs a command acts on: explicit ids, or the runs the list-runs filters find.
import { NotFoundError, type GitHubApi } from '../github/api.js'
import type { Run, RunFilters } from '../github/types.js'
import type { Selection } from '../inputs/selection.js'
import type { CreatedRange } from '../time/created.js'
import { listEveryRun } from './every-run.js'
import type { Log } from '../runner/log.js'

/** All pages on the first look; later looks need only the newest page (lists are newest first). */
export const FIRST_LOOK_PAGES = 10
export const LATER_LOOK_PAGES = 1

/**
 * Where only the newest run matters (`latest-only`, re-running), runs of the same workflow for
 * the same event and branch supersede each other (a second push of a commit, a re-dispatch).
 */
function groupKey(run: Run): string {
  return `${run.workflowId}\u0000${run.event}\u0000${run.headBranch ?? ''}`
}

/** Created after `b` (ids break a tie: they grow with creation). */
export function isNewerRun(a: Run, b: Run): boolean {
  return a.createdAt === b.createdAt ? a.id > b.id : a.createdAt > b.createdAt
}

/** The newest run of each workflow/event/branch group, in list order. */
export function newestPerWorkflow(runs: Run[]): Run[] {
  const newest = new Map<string, Run>()
  for (const run of runs) {
    const current = newest.get(groupKey(run))
    if (!current || isNewerRun(run, current)) newest.set(groupKey(run), run)
  }
  return [...newest.values()]
}

export interface Discovery {
  runs: Run[]
  /** Named workflows that have no matching run (yet). */
  missingWorkflows: string[]
  /** Named workflows the workflow endpoint does not know (404), matched by path instead. */
  matchedByPath: string[]
}

/** Does this run belong to the workflow named by a file name or an id? */
export function isOfWorkflow(run: Run, workflow: string): boolean {
  if (/^\d+$/.test(workflow)) return run.workflowId === Number(workflow)
  // A required workflow's run (from a ruleset) may carry its source's ref after an `@`.
  const file = run.path.replace(/@.*$/, '').split('/').pop()
  return file === workflow
}

export interface DiscoverOptions {
  excludeRunId?: number
  maxPages: number
  /** Keep only the newest run per workflow, event and branch (`latest-only`). */
  latestOnly: boolean
  /**
   * One repository-wide listing of the commit's runs, matched to the named workflows by path,
   * instead of a listing per workflow: a one-look gate over many workflows reads one page, not ten.
   */
  oneListing?: boolean
}

/**
 * Lists the runs matching the filters (per named workflow, else repository-wide) and drops the
 * current run when asked. Every run counts (a failing run is not hidden by a newer sibling)
 * unless `latestOnly`.
 *
 * A workflow required by a ruleset lives in another repository: `GET /workflows/{file}/runs`
 * answers 404 for it although its runs are in this repository's run list (cli/cli#9228,
 * #10076), so a named workflow that 404s is matched by path among the repository's runs.
 */
export async function discoverRuns(api: GitHubApi, workflows: readonly string[], filters: RunFilters, options: DiscoverOptions): Promise<Discovery> {
  let repositoryWide: Run[] | undefined
  const listRepositoryWide = async (): Promise<Run[]> => (repositoryWide ??= await api.listRuns(filters, undefined, options.maxPages))
  const listed: Run[] = []
  const matchedByPath: string[] = []
  const byPath = options.oneListing === true && filters.head_sha !== undefined && workflows.every((w) => !/^\d+$/.test(w))
  if (workflows.length === 0 || byPath)
    listed.push(...(await listRepositoryWide()).filter((run) => workflows.length === 0 || workflows.some((w) => isOfWorkflow(run, w))))
  for (const workflow of byPath ? [] : workflows) {
    try {
      listed.push(...(await api.listRuns(filters, workflow, options.maxPages)))
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error
      matchedByPath.push(workflow)
      listed.push(...(await listRepositoryWide()).filter((run) => isOfWorkflow(run, workflow)))
    }
  }
  const unique = [...new Map(listed.map((run) => [run.id, run])).values()].filter((run) => run.id !== options.excludeRunId)
  const runs = options.latestOnly ? newestPerWorkflow(unique) : unique
  const missingWorkflows = workflows.filter((w) => !runs.some((run) => isOfWorkflow(run, w)))
  return { runs, missingWorkflows, matchedByPath }
}

/**
 * The runs a command that changes runs acts on, all read before anything is changed (so a bad
 * id fails the step before the first write): each id, or every run the filters match (all pages
 * GitHub returns), never the run this step runs in (whatever `exclude-current-run` says: a
 * command must not cancel, re-run, approve or delete its own run). `newestOnly`
 * keeps the newest run per workflow, event and branch (re-running a superseded run helps nobody).
 */
export async function selectTargets(
  api: GitHubApi,
  selection: Selection,
  options: {
    currentRunId: number
    newestOnly: boolean
    /**
     * Every matching run created within `range` (which replaces the `created` filter), past
     * GitHub's 1,000-result limit (every-run.ts), instead of the newest 1,000 per listing.
     */
    every?: { range: CreatedRange; log: Log }
  }
): Promise<Run[]> {
  switch (selection.kind) {
    case 'ids': {
      const runs: Run[] = []
      for (const ref of selection.runs) {
        if (!runs.some((r) => r.id === ref.id)) runs.push(await api.getRun(ref.id))
      }
      return runs
    }
    case 'current-run':
      return [await api.getRun(selection.run.id)]
    case 'filters': {
      const every = options.every
      const list = async (workflow?: string): Promise<Run[]> =>
        every ? (await listEveryRun(api, selection.filters, workflow, every.range, every.log)).runs : api.listRuns(selection.filters, workflow)
      const listed = selection.workflows.length === 0 ? await list() : (await Promise.all(selection.workflows.map((w) => list(w)))).flat()
      const unique = [...new Map(listed.map((run) => [run.id, run])).values()].filter((run) => run.id !== options.currentRunId)
      return options.newestOnly ? newestPerWorkflow(unique) : unique
    }
  }
}
