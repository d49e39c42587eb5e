// `summarize`: reports on runs as they are now (finished or not). The run's conclusion never
// fails the step; only errors do.
import { collectReport } from '../collect.js'
import type { GitHubApi } from '../github/api.js'
import type { Run } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { discoverRuns, FIRST_LOOK_PAGES } from '../selection.js'
import type { CommandResult } from './result.js'
import type { ActionContext } from '../context.js'

async function selectRuns(settings: Settings, api: GitHubApi, context: ActionContext): Promise<{ run: Run; attempt?: number }[]> {
  const selection = settings.selection
  switch (selection.kind) {
    case 'current-run':
      return [{ run: await api.getRun(selection.run.id, selection.run.attempt), attempt: selection.run.attempt }]
    case 'ids':
      return Promise.all(selection.runs.map(async (ref) => ({ run: await api.getRun(ref.id, ref.attempt), attempt: ref.attempt })))
    case 'filters': {
      const found = await discoverRuns(api, selection.workflows, selection.filters, {
        excludeRunId: settings.excludeCurrentRun ? context.runId : undefined,
        maxPages: FIRST_LOOK_PAGES
      })
      if (found.runs.length === 0) throw new Error('No workflow run matches the selection (run-id, workflow and list filters).')
      return found.runs.map((run) => ({ run }))
    }
  }
}

export async function summarize(settings: Settings, api: GitHubApi, context: ActionContext): Promise<CommandResult> {
  const selected = await selectRuns(settings, api, context)
  const reports = []
  for (const { run, attempt } of selected) {
    const jobs = await api.listJobs(run.id, attempt)
    const report = await collectReport(api, run, jobs, { logLines: settings.summary.logLines })
    // A pinned attempt is shown as "attempt N of M": one more request, only in that case.
    if (attempt !== undefined) report.latestAttempt = (await api.getRun(run.id)).attempt
    reports.push(report)
  }
  return { reports, preface: '', allowedConclusions: settings.wait.allowedConclusions }
}
