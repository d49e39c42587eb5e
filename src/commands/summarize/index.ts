// `summarize`: reports on runs as they are now (finished or not). The run's conclusion never
// fails the step; only errors do.
import { createWriteStream, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { collectReport } from '../../runs/collect.js'
import type { GitHubApi } from '../../github/api.js'
import type { Run } from '../../github/types.js'
import type { Log } from '../../runner/log.js'
import type { Selection } from '../../inputs/selection.js'
import type { Deps } from '../shared/deps.js'
import { discoverRuns, FIRST_LOOK_PAGES } from '../../runs/selection.js'
import { SUCCESS, type CommandResult } from '../shared/result.js'

export interface SummarizeInputs {
  selection: Selection
  excludeCurrentRun: boolean
  summary: {
    logLines: number
    /** Read `/timing` (billable minutes; closing down, and empty on public repositories). */
    billableTime: boolean
    /** Directory to save each run's log archive in; '' = none. */
    saveLogs: string
  }
  /** Only the newest run per workflow, event and branch (`latest-only`). */
  latestOnly: boolean
}

async function selectRuns(settings: SummarizeInputs, { api, context }: Deps): Promise<{ run: Run; attempt?: number }[]> {
  const selection = settings.selection
  switch (selection.kind) {
    case 'current-run':
      return [{ run: await api.getRun(selection.run.id, selection.run.attempt), attempt: selection.run.attempt }]
    case 'ids':
      return Promise.all(selection.runs.map(async (ref) => ({ run: await api.getRun(ref.id, ref.attempt), attempt: ref.attempt })))
    case 'filters': {
      const found = await discoverRuns(api, selection.workflows, selection.filters, {
        excludeRunId: settings.excludeCurrentRun ? context.runId : undefined,
        maxPages: FIRST_LOOK_PAGES,
        latestOnly: settings.latestOnly
      })
      if (found.runs.length === 0) throw new Error('No workflow run matches the selection (run-id, workflow and list filters).')
      return found.runs.map((run) => ({ run }))
    }
  }
}

export async function summarize(settings: SummarizeInputs, deps: Deps): Promise<CommandResult> {
  const { api, log } = deps
  const selected = await selectRuns(settings, deps)
  const reports = []
  const archives: string[] = []
  for (const { run, attempt } of selected) {
    const jobs = await api.listJobs(run.id, attempt)
    const options = { logLines: settings.summary.logLines, billableTime: settings.summary.billableTime, approvals: true, log, stop: deps.stop }
    const report = await collectReport(api, run, jobs, options)
    // A pinned attempt is shown as "attempt N of M": one more request, only in that case.
    if (attempt !== undefined) report.latestAttempt = (await api.getRun(run.id)).attempt
    if (settings.summary.saveLogs !== '') {
      const saved = await saveLogArchive(api, log, run, attempt, settings.summary.saveLogs, report.notes)
      if (saved) archives.push(saved)
    }
    reports.push(report)
  }
  return {
    reports,
    preface: '',
    detailed: true,
    verdict: SUCCESS,
    outputs: settings.summary.saveLogs !== '' ? { 'log-archives': JSON.stringify(archives) } : {}
  }
}

/**
 * Streams the run's log archive (the latest attempt's, or the pinned one's) to `directory`; a
 * failure is a note on the report, like an unreadable job log. GitHub has the archive only once
 * the attempt completed.
 */
async function saveLogArchive(api: GitHubApi, log: Log, run: Run, pinned: number | undefined, directory: string, notes: string[]): Promise<string | null> {
  if (run.status !== 'completed') {
    notes.push(`Log archive not saved: the run is ${run.status}; GitHub has it once the run completed.`)
    return null
  }
  const path = join(resolve(directory), `run-${run.id}-attempt-${run.attempt}.zip`)
  try {
    mkdirSync(resolve(directory), { recursive: true })
    await pipeline(Readable.from(api.runLogArchive(run.id, pinned)), createWriteStream(path))
    log.info(`Saved the log archive of run ${run.id} attempt ${run.attempt} to ${path}`)
    return path
  } catch (error) {
    const note = `Could not save the log archive: ${error instanceof Error ? error.message : String(error)}`
    log.warning(note)
    notes.push(note)
    return null
  }
}
