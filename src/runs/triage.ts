// Failure triage's reading of history: for the failed jobs of the runs summarized, the base
// branch's recent runs of each workflow, a few of their job lists and at most a few logs, all
// bounded per step; the judging itself is pure (triage/classify.ts). Nothing here fails the
// step: a history that cannot be read makes its jobs `unknown`, saying why.
import type { GitHubApi } from '../github/api.js'
import type { HistoryRun, Job, RunReport } from '../github/types.js'
import type { ActionContext } from '../runner/context.js'
import type { Log } from '../runner/log.js'
import { splitLines } from '../report/log-excerpt.js'
import { classifyJob, MAX_TRIAGED_JOBS, runsToRead, type BaseExecution, type BaseRun, type JobTriage } from '../triage/classify.js'
import { comparableErrorLine, firstErrorLineOf, sameError } from '../triage/mask.js'

/** Completed base runs compared with (one page of the runs list). */
export const HISTORY_RUNS = 20
/** Base job logs read per step, only to compare first error lines. */
export const MAX_TRIAGE_LOGS = 3
/** Pages of one base run's job list (`filter=all`): 300 executions, a large matrix re-run. */
const JOB_LIST_PAGES = 3

/** Failed, as triage means it: a cancelled job is collateral, not triaged. */
const TRIAGED = new Set(['failure', 'timed_out'])

export interface TriageOptions {
  context: ActionContext
  log: Log
  stop?: AbortSignal
}

/** Whether `job` is one triage judges. */
export function isTriaged(job: Job): boolean {
  return job.status === 'completed' && TRIAGED.has(job.conclusion ?? '')
}

function firstFailedStep(job: Job): Job['steps'][number] | undefined {
  return [...job.steps].sort((a, b) => a.number - b.number).find((step) => TRIAGED.has(step.conclusion ?? ''))
}

function toBaseRun(run: HistoryRun): BaseRun {
  return { id: run.id, number: run.runNumber, url: run.htmlUrl, attempt: run.attempt, headSha: run.headSha, conclusion: run.conclusion }
}

function toExecution(job: Job): BaseExecution {
  return { id: job.id, name: job.name, attempt: job.runAttempt, conclusion: job.conclusion }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Everything read once per step: the default branch, each workflow's history and job lists, the log budget. */
class TriageSession {
  private defaultBranch: Promise<string> | null = null
  private readonly histories = new Map<string, Promise<History>>()
  logsLeft = MAX_TRIAGE_LOGS

  /** `summarized`: the runs being reported on, none of which is another's baseline. */
  constructor(
    readonly api: GitHubApi,
    readonly options: TriageOptions,
    private readonly summarized: ReadonlySet<number>
  ) {}

  /** The run's pull request base, else the event's, else the repository's default branch. */
  async baseBranchOf(report: RunReport): Promise<string> {
    const fromRun = report.run.pullRequestBase
    if (fromRun !== undefined) return fromRun
    const fromEvent = this.options.context.event?.pullRequest?.baseRef
    if (fromEvent !== undefined && fromEvent !== '') return fromEvent
    if (this.options.context.defaultBranch !== undefined) return this.options.context.defaultBranch
    this.defaultBranch ??= this.api.getDefaultBranch()
    return this.defaultBranch
  }

  /** Read once per workflow and branch, whatever the number of runs or jobs triaged against it. */
  history(workflowId: number, branch: string): Promise<History> {
    const key = `${workflowId}:${branch}`
    let found = this.histories.get(key)
    if (found === undefined) {
      found = readHistory(this.api, workflowId, branch, this.summarized)
      this.histories.set(key, found)
    }
    return found
  }
}

interface History {
  runs: BaseRun[]
  lists: Map<number, BaseExecution[]>
  problem: string | null
}

/**
 * The workflow's completed runs on `branch` (but the runs summarized), then the job lists of at
 * most MAX_JOB_LISTS of them; a list not read is a run not known. Only this repository's runs
 * count: the branch filter also matches a fork's branch of the same name (GitHub support's
 * answer quoted in badges/shields#8733).
 */
async function readHistory(api: GitHubApi, workflowId: number, branch: string, summarized: ReadonlySet<number>): Promise<History> {
  const repository = `${api.owner}/${api.repo}`.toLowerCase()
  let listed: HistoryRun[]
  try {
    listed = await api.listBranchHistory(workflowId, branch, HISTORY_RUNS)
  } catch (error) {
    return { runs: [], lists: new Map(), problem: reason(error) }
  }
  const runs = listed.filter((run) => !summarized.has(run.id) && run.headRepository?.toLowerCase() === repository).map(toBaseRun)
  const lists = new Map<number, BaseExecution[]>()
  for (const run of runsToRead(runs)) {
    const executions = await api.listJobExecutions(run.id, JOB_LIST_PAGES).catch(() => null)
    if (executions !== null) lists.set(run.id, executions.map(toExecution))
  }
  return { runs, lists, problem: null }
}

/** The first error line of a base job's log (one download, counted against the step's budget). */
async function baseErrorLine(session: TriageSession, jobId: number): Promise<string | null> {
  if (session.logsLeft <= 0) return null
  session.logsLeft -= 1
  try {
    return await firstErrorLineOf(splitLines(session.api.jobLog(jobId)))
  } catch (error) {
    session.options.log.warning(`Triage: the base run's log of job ${jobId} was not read: ${reason(error)}`)
    return null
  }
}

async function triageJob(session: TriageSession, report: RunReport, job: Job): Promise<JobTriage> {
  const step = firstFailedStep(job)
  const baseBranch = await session.baseBranchOf(report)
  const history = await session.history(report.run.workflowId, baseBranch)
  const classification = classifyJob(job.name, history.runs, history.lists)
  if (history.problem !== null) classification.reason = 'unread'
  const ours = step === undefined ? null : comparableErrorLine(report.excerpts.get(`${job.id}:${step.number}`)?.errorLines ?? [])
  // A log is read only when there is an error line of ours to compare it with.
  const theirs = ours !== null && classification.compareWith !== null ? await baseErrorLine(session, classification.compareWith.id) : null
  return {
    ...classification,
    jobId: job.id,
    job: job.name,
    step: step?.name ?? null,
    baseBranch,
    sameError: sameError(ours, theirs),
    ...(history.problem !== null ? { problem: history.problem } : {})
  }
}

function overCap(job: Job): JobTriage {
  return {
    kind: 'unknown',
    reason: 'over-cap',
    baseRun: null,
    since: null,
    streak: 0,
    failureCount: 0,
    runsRead: 0,
    compareWith: null,
    jobId: job.id,
    job: job.name,
    step: firstFailedStep(job)?.name ?? null,
    baseBranch: '',
    sameError: null
  }
}

/**
 * Triages the failed jobs of `reports` (the first MAX_TRIAGED_JOBS of them; the rest are
 * `unknown`, over the cap), by job id. No failed job, no request.
 */
export async function triageFailures(api: GitHubApi, reports: readonly RunReport[], options: TriageOptions): Promise<Map<number, JobTriage>> {
  const triaged = new Map<number, JobTriage>()
  const session = new TriageSession(api, options, new Set(reports.map((report) => report.run.id)))
  let budget = MAX_TRIAGED_JOBS
  for (const report of reports) {
    for (const job of report.jobs.filter(isTriaged)) {
      if (options.stop?.aborted) {
        triaged.set(job.id, { ...overCap(job), reason: 'unread', problem: 'the step was cancelled' })
        continue
      }
      if (budget <= 0) {
        triaged.set(job.id, overCap(job))
        continue
      }
      budget -= 1
      try {
        triaged.set(job.id, await triageJob(session, report, job))
      } catch (error) {
        options.log.warning(`Triage of job '${job.name}' failed: ${reason(error)}`)
        triaged.set(job.id, { ...overCap(job), reason: 'unread', problem: reason(error) })
      }
    }
  }
  return triaged
}
