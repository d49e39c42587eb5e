// Which runs belong to a workflow that no longer exists (`deleted-workflows: true`).
//
// The repository's workflows are read once (GET /workflows, every page). A run's workflow is gone
// when that list has it with state `deleted`. A run whose workflow the list does not have at all
// is gone when its path is among none of the listed workflows and GET /workflows/{id} (once per
// such workflow) says `deleted`; when that answers 404 the workflow is not this repository's: a
// workflow required by an organization or enterprise ruleset lives in another repository, its
// runs are in this repository's list, and its id is unknown here (cli/cli#9228, #10076). Those
// runs are left alone: nothing says their workflow was deleted.
import type { GitHubApi } from '../github/api.js'
import type { Run, Workflow } from '../github/types.js'
import type { Log } from '../runner/log.js'

export interface DeletedWorkflowRuns {
  /** The runs whose workflow was deleted. */
  runs: Run[]
  /** The deleted workflows those runs belong to. */
  workflows: Workflow[]
}

/** A run's workflow file, without the `@ref` a ruleset's required workflow may carry. */
function pathOf(run: Run): string {
  return run.path.replace(/@.*$/, '')
}

export async function runsOfDeletedWorkflows(api: GitHubApi, runs: readonly Run[], log: Log): Promise<DeletedWorkflowRuns> {
  const listed = await api.listWorkflows()
  const byId = new Map(listed.map((w) => [w.id, w]))
  const livePaths = new Set(listed.filter((w) => w.state !== 'deleted').map((w) => w.path))
  // Workflows the list lacks, looked up by id once each: null = not this repository's (404).
  const unlisted = new Map<number, Workflow | null>()
  for (const run of runs) {
    if (byId.has(run.workflowId) || unlisted.has(run.workflowId) || livePaths.has(pathOf(run))) continue
    unlisted.set(run.workflowId, await api.getWorkflow(run.workflowId))
  }
  const deleted = new Map<number, Workflow>()
  const foreign = new Map<number, Run[]>()
  const selected = runs.filter((run) => {
    const workflow = byId.get(run.workflowId) ?? unlisted.get(run.workflowId)
    if (workflow === undefined) return false // not listed by id, but its file is a listed workflow's
    if (workflow === null) {
      foreign.set(run.workflowId, [...(foreign.get(run.workflowId) ?? []), run])
      return false
    }
    if (workflow.state !== 'deleted') return false
    deleted.set(workflow.id, workflow)
    return true
  })
  const count = (n: number): string => `${n} run(s)`
  log.info(
    deleted.size === 0
      ? `No selected run belongs to a deleted workflow (${listed.length} workflow(s) in ${api.owner}/${api.repo}).`
      : `Deleted workflows: ${[...deleted.values()].map((w) => `${w.name || w.path} (${w.path}, id ${w.id}): ${count(selected.filter((r) => r.workflowId === w.id).length)}`).join('; ')}.`
  )
  for (const [id, left] of foreign) {
    log.info(
      `Left alone: ${count(left.length)} of workflow id ${id} (${left[0]?.path ?? ''}), which this repository does not know (404): a workflow required by a ruleset lives in another repository; nothing says it was deleted.`
    )
  }
  return { runs: selected, workflows: [...deleted.values()] }
}
