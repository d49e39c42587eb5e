// Gathers everything the summary shows about one run: its jobs (passed in, usually already
// fetched while waiting), billable time, approvals, pending deployments, and the error lines of
// each failed step read from the job logs.
import type { GitHubApi } from '../github/api.js'
import { budgetErrorOf, statusOf } from '../github/errors.js'
import type { Job, Run, RunReport, StepLogExcerpt } from '../github/types.js'
import type { Log } from '../runner/log.js'
import { extractExcerpts, splitLines } from '../report/log-excerpt.js'

/**
 * Logs read per run at most. Each costs one rate-limited request (plus a free download from
 * the storage host); past this many failed jobs, the pattern is usually clear from the first ones.
 */
const MAX_LOGS_PER_RUN = 20
/** Log downloads in flight at once. */
const LOG_DOWNLOADS_AT_ONCE = 3
/** `##[error]` lines kept per step: enough to see a test report's failures, not a flood. */
const MAX_ERROR_LINES = 50
/**
 * Lines longer than this are cut: minified output or base64 blobs help nobody in a summary (and
 * `rerun-if` is matched on lines no longer than this).
 */
export const MAX_LINE_LENGTH = 1000

/**
 * Logs are read for these conclusions only: a cancelled step's log just says it was cancelled,
 * so it is not worth a request (report/conclusions.ts counts cancelled as failed for display).
 */
const LOG_WORTHY = new Set(['failure', 'timed_out'])

export interface CollectOptions {
  /** Context lines per failed step; 0 = read no logs at all. */
  logLines: number
  /** Read `/timing` (one request; see API-NOTES: closing down, meaningful only on paid runners). */
  billableTime: boolean
  /**
   * Read `/approvals`: for runs that were seen `waiting` on an environment, or when nothing is
   * known of the run's past (summarize). A run never seen waiting has no approvals to show.
   */
  approvals: boolean
  log: Log
  /** When it has fired (the step is being cancelled), nothing more is read. */
  stop?: AbortSignal
}

/** Whether `collectReport` reads `job`'s log: it failed, or timed out, in a step. */
export function hasFailedStep(job: Job): boolean {
  return job.status === 'completed' && LOG_WORTHY.has(job.conclusion ?? '') && job.steps.some((s) => LOG_WORTHY.has(s.conclusion ?? ''))
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function note(log: Log, notes: string[], text: string): void {
  log.warning(text)
  notes.push(text)
}

/** `load`, or `fallback` when the endpoint answers 404 or 410 (gone, or never there): no note. */
async function gone<T>(load: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await load()
  } catch (error) {
    const status = statusOf(error)
    if (status === 404 || status === 410) return fallback
    throw error
  }
}

/** Runs `load`; a failure becomes a note on the report instead of failing the whole step. */
async function optional<T>(log: Log, what: string, notes: string[], fallback: T, load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (error) {
    note(log, notes, `Could not read ${what}: ${reason(error)}`)
    return fallback
  }
}

export async function collectReport(api: GitHubApi, run: Run, jobs: Job[], options: CollectOptions): Promise<RunReport> {
  if (options.stop?.aborted) {
    // A cancelled step has seconds left: the summary shows what is known, without more requests.
    return { ...bareReport(run), jobs, notes: ['Timing, approvals and logs not read: the step was cancelled.'] }
  }
  const notes: string[] = []
  const timing = options.billableTime
    ? await optional(options.log, 'billable time (/timing)', notes, null, () => gone(() => api.getTiming(run.id), null))
    : null
  const approvals = options.approvals ? await optional(options.log, 'approvals', notes, [], () => api.listApprovals(run.id)) : []
  // Only a run waiting on an environment has pending deployments: skip the request otherwise.
  const pendingDeployments =
    run.status === 'waiting' ? await optional(options.log, 'pending deployments', notes, [], () => api.listPendingDeployments(run.id)) : []

  const excerpts = new Map<string, StepLogExcerpt>()
  if (options.logLines > 0) {
    const failedJobs = jobs.filter(hasFailedStep)
    const toRead = failedJobs.slice(0, MAX_LOGS_PER_RUN)
    // A few downloads at a time: each is mostly waiting on the storage host, and together they
    // stay within the step's time budget; more would only compete for the same bandwidth.
    let next = 0
    let stalled = false
    const worker = async (): Promise<void> => {
      while (!stalled && next < toRead.length && !options.stop?.aborted) {
        const job = toRead[next++] as Job
        try {
          const found = await extractExcerpts(splitLines(api.jobLog(job.id)), job, {
            contextLines: options.logLines,
            maxErrorLines: MAX_ERROR_LINES,
            maxLineLength: MAX_LINE_LENGTH
          })
          for (const excerpt of found) excerpts.set(`${excerpt.jobId}:${excerpt.stepNumber}`, excerpt)
        } catch (error) {
          note(options.log, notes, `Log not read for job '${job.name}': ${reason(error)}`)
          // A download cut off by its time budget (the log host stalled or never answered): the
          // next ones would most likely cost as much again, so the summary goes without them.
          if (budgetErrorOf(error)) stalled = true
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(LOG_DOWNLOADS_AT_ONCE, toRead.length) }, worker))
    if (stalled && next < toRead.length) {
      note(options.log, notes, `Logs of ${toRead.length - next} more failed job(s) were not read: the log host did not answer in time.`)
    }
    if (failedJobs.length > MAX_LOGS_PER_RUN) {
      notes.push(`Logs of ${failedJobs.length - MAX_LOGS_PER_RUN} more failed jobs were not read (at most ${MAX_LOGS_PER_RUN} per run).`)
    }
  }
  return { run, jobs, timing, approvals, pendingDeployments, excerpts, notes }
}

/** A report with the run alone: for commands that list many runs and need no job detail. */
export function bareReport(run: Run): RunReport {
  return { run, jobs: [], timing: null, approvals: [], pendingDeployments: [], excerpts: new Map(), notes: [] }
}
