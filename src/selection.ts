// Which runs a command acts on: explicit ids, or the newest matching run of each workflow found
// by the list-runs filters.
import type { GitHubApi } from './github/api.js'
import type { Run } from './github/types.js'
import type { RunFilters, Selection } from './inputs.js'

/** All pages on the first look; later looks need only the newest page (lists are newest first). */
export const FIRST_LOOK_PAGES = 10
export const LATER_LOOK_PAGES = 1

/**
 * Runs of the same workflow for the same event and branch supersede each other (a second push
 * of the same commit, a manual re-dispatch): only the newest one says how that workflow did.
 */
function groupKey(run: Run): string {
  return `${run.workflowId}\u0000${run.event}\u0000${run.headBranch ?? ''}`
}

function isNewer(a: Run, b: Run): boolean {
  return a.createdAt === b.createdAt ? a.id > b.id : a.createdAt > b.createdAt
}

/** The newest run of each workflow/event/branch group, in list order. */
export function newestPerWorkflow(runs: Run[]): Run[] {
  const newest = new Map<string, Run>()
  for (const run of runs) {
    const current = newest.get(groupKey(run))
    if (!current || isNewer(run, current)) newest.set(groupKey(run), run)
  }
  return [...newest.values()]
}

export interface Discovery {
  runs: Run[]
  /** Named workflows that have no matching run (yet). */
  missingWorkflows: string[]
}

/** Does this run belong to the workflow named by a file name or an id? */
export function isOfWorkflow(run: Run, workflow: string): boolean {
  if (/^\d+$/.test(workflow)) return run.workflowId === Number(workflow)
  const file = run.path.replace(/@.*$/, '').split('/').pop()
  return file === workflow
}

/**
 * Lists the runs matching the filters (per named workflow, else repository-wide), drops the
 * current run when asked, and keeps the newest of each workflow.
 */
export async function discoverRuns(
  api: GitHubApi,
  workflows: string[],
  filters: RunFilters,
  options: { excludeRunId?: number; maxPages: number }
): Promise<Discovery> {
  const listed =
    workflows.length === 0
      ? await api.listRuns(filters, undefined, options.maxPages)
      : (await Promise.all(workflows.map((w) => api.listRuns(filters, w, options.maxPages)))).flat()
  const candidates = listed.filter((run) => run.id !== options.excludeRunId)
  const runs = newestPerWorkflow(candidates)
  const missingWorkflows = workflows.filter((w) => !runs.some((run) => isOfWorkflow(run, w)))
  return { runs, missingWorkflows }
}

/**
 * The runs a command that changes runs acts on, all read before anything is changed (so a bad
 * id fails the step before the first write): each id, or every run the filters match (all pages
 * GitHub returns), without the current run when `exclude-current-run` says so. `newestOnly`
 * keeps the newest run per workflow, event and branch (re-running a superseded run helps nobody).
 */
export async function selectTargets(
  api: GitHubApi,
  selection: Selection,
  options: { excludeRunId?: number; newestOnly: boolean }
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
      const listed =
        selection.workflows.length === 0
          ? await api.listRuns(selection.filters)
          : (await Promise.all(selection.workflows.map((w) => api.listRuns(selection.filters, w)))).flat()
      const unique = [...new Map(listed.map((run) => [run.id, run])).values()].filter((run) => run.id !== options.excludeRunId)
      return options.newestOnly ? newestPerWorkflow(unique) : unique
    }
  }
}
