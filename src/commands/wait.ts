// `wait`: polls the selected runs until they finish, fail, or the time is up. Every poll is a
// conditional request (free when nothing changed), the log gets one line per change, and a gate
// never passes on nothing: no run found, or a named workflow that never appears, fails the step.
import * as core from '@actions/core'
import { collectReport } from '../collect.js'
import type { ActionContext } from '../context.js'
import type { GitHubApi } from '../github/api.js'
import type { RequestStats } from '../github/client.js'
import { RUN_STATUSES, type Job, type Run, type RunReport } from '../github/types.js'
import type { Settings } from '../inputs.js'
import { formatDuration, jobDurationMs } from '../report/durations.js'
import { escapeMarkdown } from '../report/escape.js'
import { worstConclusion } from '../report/outputs.js'
import { jobNameMatcher } from '../job-names.js'
import { discoverRuns, FIRST_LOOK_PAGES, LATER_LOOK_PAGES } from '../selection.js'
import type { CommandResult } from './result.js'

/**
 * A completed run whose job list still shows unfinished jobs is re-read this many more polls
 * before it is taken as finished: the two endpoints are not updated at the same instant.
 */
const SETTLE_POLLS = 3
/** Below this many requests left in the hour, polling slows down so other jobs keep some. */
const LOW_REMAINING = 50
/** The slowed-down poll interval: one poll a minute costs at most 60 requests an hour. */
const SLOW_POLL_MS = 60_000
/**
 * The job list changes at every step transition, so reading it at every poll would cost one
 * request per step. It is re-read when the run itself changes and otherwise at most this often:
 * a failed job (fail-fast) or a finished awaited job (`job`) is still noticed within 30 s.
 */
const JOBS_REFRESH_MS = 30_000

/** Statuses in which a run has no jobs worth listing yet. */
const BEFORE_JOBS = new Set(['requested', 'queued', 'pending'])
const KNOWN_STATUSES: ReadonlySet<string> = new Set(RUN_STATUSES)

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

interface Watch {
  run: Run
  /** False until the first poll: the run as found counts as a change then. */
  polled: boolean
  pinnedAttempt?: number
  jobs: Job[]
  /** When the job list was last read (clock ms). */
  jobsReadAt: number
  /** Job id → the status last written to the log, so each change is logged once. */
  logged: Map<number, string>
  completedPolls: number
  /** The verdict once this run (or its awaited jobs) finished; null while waiting. */
  verdict: { conclusion: string; detail: string } | null
}

function label(run: Run): string {
  return `${run.name} #${run.runNumber} (run ${run.id}, attempt ${run.attempt})`
}

function stepThatFailed(job: Job): string {
  const step = job.steps.find((s) => s.conclusion === 'failure' || s.conclusion === 'timed_out')
  return step ? `, step '${step.name}'` : ''
}

export interface WaitOptions {
  clock?: Clock
  /**
   * Per run id: the run is not judged until this holds for the run as read. After a re-run or an
   * approval the run object may still show the state from before (completed, action_required)
   * for a moment; trusting that would report the old result.
   */
  arrived?: Map<number, (run: Run) => boolean>
}

export async function waitForRuns(
  settings: Settings,
  api: GitHubApi,
  context: ActionContext,
  stats: RequestStats,
  { clock = realClock, arrived = new Map() }: WaitOptions = {}
): Promise<CommandResult> {
  const options = settings.wait
  const selection = settings.selection
  const started = clock.now()
  const deadline = started + options.timeoutMs
  const discovering = selection.kind === 'filters'
  const appearDeadline = started + options.appearTimeoutMs
  const patterns = options.jobPatterns
  const matchesPattern = jobNameMatcher(patterns)
  const awaited = (job: Job): boolean => patterns.length === 0 || matchesPattern(job.name)
  const allowed = options.allowedConclusions
  const jobsRefreshMs = Math.max(options.pollIntervalMs, JOBS_REFRESH_MS)
  const watches = new Map<number, Watch>()
  let missingWorkflows: string[] = []
  let polls = 0

  const track = (run: Run, pinnedAttempt?: number): void => {
    core.info(`Waiting for ${label(run)}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ''} — ${run.htmlUrl}`)
    watches.set(run.id, { run, polled: false, pinnedAttempt, jobs: [], jobsReadAt: -Infinity, logged: new Map(), completedPolls: 0, verdict: null })
  }

  if (selection.kind === 'ids') {
    for (const ref of selection.runs) {
      if (ref.id === context.runId) {
        throw new Error(`'run-id' ${ref.id} is the run this step runs in: waiting on it would never end.`)
      }
      track(await api.getRun(ref.id, ref.attempt), ref.attempt)
    }
  }

  /** Reads the run (unless the list just did) and its jobs, logs what changed, judges it. */
  const poll = async (watch: Watch, listed?: Run): Promise<void> => {
    const before = watch.run
    const run = listed ?? (await api.getRun(before.id, watch.pinnedAttempt))
    watch.run = run
    const runChanged =
      !watch.polled || run.attempt !== before.attempt || run.status !== before.status || run.updatedAt !== before.updatedAt
    watch.polled = true
    if (run.attempt !== before.attempt) {
      core.info(`${label(run)}: a re-run started; waiting for the new attempt.`)
      watch.logged.clear()
      watch.verdict = null
      watch.completedPolls = 0
    } else if (run.status !== before.status) {
      core.info(`${label(run)}: ${run.status}${run.conclusion ? ` (${run.conclusion})` : ''}`)
    }
    if (runChanged && run.status === 'waiting') {
      // Say who the run waits for; the summary reads the same list again, then as a free 304.
      const pending = await api.listPendingDeployments(run.id)
      const names = pending.map((d) => `'${d.environment}'${d.reviewers.length ? ` (reviewers: ${d.reviewers.join(', ')})` : ''}`)
      core.info(`${label(run)}: waiting for approval of ${names.join(', ') || 'a deployment'}.`)
    }
    if (!KNOWN_STATUSES.has(run.status)) core.warning(`${label(run)} has an unknown status '${run.status}'; still waiting.`)
    const hasArrived = arrived.get(run.id)
    if (hasArrived) {
      if (!hasArrived(run)) return
      arrived.delete(run.id)
    }
    if (watch.verdict || BEFORE_JOBS.has(run.status)) return
    const settling = watch.completedPolls > 0
    if (!runChanged && !settling && clock.now() - watch.jobsReadAt < jobsRefreshMs) return

    watch.jobs = await api.listJobs(run.id, watch.pinnedAttempt)
    watch.jobsReadAt = clock.now()
    for (const job of watch.jobs) {
      if (watch.logged.get(job.id) === job.status) continue
      watch.logged.set(job.id, job.status)
      if (job.status === 'completed') {
        const took = jobDurationMs(job, clock.now())
        core.info(`  ${job.name}: ${job.conclusion}${took === null ? '' : ` in ${formatDuration(took)}`}${job.conclusion === 'failure' ? stepThatFailed(job) : ''}`)
      } else if (job.status === 'in_progress') {
        core.info(`  ${job.name}: started`)
      }
    }
    watch.verdict = judge(watch)
  }

  const judge = (watch: Watch): Watch['verdict'] => {
    const { run, jobs } = watch
    const relevant = jobs.filter(awaited)
    const failedJob = relevant.find((j) => j.status === 'completed' && !allowed.has(j.conclusion ?? ''))
    if (patterns.length > 0) {
      // Only the awaited jobs count: done once they all completed, whatever the rest does.
      const unfinished = relevant.filter((j) => j.status !== 'completed')
      if (relevant.length > 0 && unfinished.length === 0) {
        const conclusion = worstConclusion(relevant.map((j) => j.conclusion ?? 'failure').filter((c) => !allowed.has(c))) ?? 'success'
        return { conclusion, detail: `${relevant.length} awaited job(s) finished` }
      }
      if (run.status === 'completed' && relevant.length === 0) {
        return { conclusion: 'failure', detail: `no job matches 'job': ${options.jobPatterns.join(', ')}` }
      }
    } else if (run.status === 'completed') {
      const running = jobs.some((j) => j.status !== 'completed')
      if (running && ++watch.completedPolls <= SETTLE_POLLS) return null
      const conclusion = run.conclusion ?? 'failure'
      const failed = jobs.filter((j) => j.status === 'completed' && !allowed.has(j.conclusion ?? ''))
      const which = failed.map((j) => `'${j.name}' ${j.conclusion}${stepThatFailed(j)}`).join('; ')
      return { conclusion, detail: allowed.has(conclusion) || which === '' ? conclusion : `${conclusion}: job ${which}` }
    }
    if (failedJob && options.failFast) {
      return { conclusion: failedJob.conclusion ?? 'failure', detail: `job '${failedJob.name}' ${failedJob.conclusion}${stepThatFailed(failedJob)}` }
    }
    return null
  }

  const isFailure = (watch: Watch): boolean => watch.verdict !== null && !allowed.has(watch.verdict.conclusion)
  let outcome: 'finished' | 'failed-fast' | 'timeout' | 'none-found'

  for (;;) {
    polls++
    const listedNow = new Map<number, Run>()
    const stillDiscovering = discovering && (polls === 1 || clock.now() < appearDeadline)
    if (stillDiscovering && selection.kind === 'filters') {
      const found = await discoverRuns(api, selection.workflows, selection.filters, {
        excludeRunId: settings.excludeCurrentRun ? context.runId : undefined,
        maxPages: polls === 1 ? FIRST_LOOK_PAGES : LATER_LOOK_PAGES
      })
      missingWorkflows = found.missingWorkflows
      for (const run of found.runs) {
        const superseded = [...watches.values()].find(
          (w) => w.run.id !== run.id && w.run.workflowId === run.workflowId && w.run.event === run.event && w.run.headBranch === run.headBranch && run.createdAt >= w.run.createdAt
        )
        if (superseded) {
          core.info(`${label(superseded.run)} was superseded by run ${run.id}.`)
          watches.delete(superseded.run.id)
        }
        if (!watches.has(run.id)) track(run)
        listedNow.set(run.id, run)
      }
    }
    for (const watch of watches.values()) {
      const listed = listedNow.get(watch.run.id)
      // A finished run is re-read only to notice a re-run: the list does that for free while
      // discovering; afterwards a conditional GET costs nothing unless it changed.
      if (watch.verdict && !listed && watch.pinnedAttempt !== undefined) continue
      await poll(watch, listed)
    }

    const all = [...watches.values()]
    if (options.failFast && all.some(isFailure)) {
      outcome = 'failed-fast'
      break
    }
    const discoveryOpen = discovering && clock.now() < appearDeadline
    if (!discoveryOpen && all.length > 0 && all.every((w) => w.verdict) && missingWorkflows.length === 0) {
      outcome = 'finished'
      break
    }
    if (!discoveryOpen && (all.length === 0 || missingWorkflows.length > 0) && discovering) {
      outcome = 'none-found'
      break
    }
    if (clock.now() >= deadline) {
      outcome = 'timeout'
      break
    }
    const slow = stats.remaining !== null && stats.remaining < LOW_REMAINING
    if (slow) core.warning(`Only ${stats.remaining} API requests left this hour; polling once a minute.`)
    const interval = slow ? Math.max(options.pollIntervalMs, SLOW_POLL_MS) : options.pollIntervalMs
    await clock.sleep(Math.max(0, Math.min(interval, deadline - clock.now())))
  }

  const watchList = [...watches.values()]
  const unfinished = watchList.filter((w) => !w.verdict)
  if (outcome === 'timeout' && options.cancelOnTimeout) {
    for (const watch of unfinished) {
      const answer = await api.cancelRun(watch.run.id)
      core.info(`${label(watch.run)}: cancel ${answer === 'accepted' ? 'requested' : 'not needed (already completed)'}.`)
    }
  }

  const reports: RunReport[] = []
  for (const watch of watchList) {
    reports.push(await collectReport(api, watch.run, watch.jobs, { logLines: settings.summary.logLines }))
  }
  const verdictOf = new Map(watchList.map((w) => [w.run.id, w.verdict?.conclusion ?? null]))
  const waitedFor = formatDuration(clock.now() - started)
  const failing = watchList.filter(isFailure)

  let failure: string | undefined
  let preface: string
  switch (outcome) {
    case 'none-found': {
      const what = missingWorkflows.length > 0 ? `no run of ${missingWorkflows.join(', ')}` : 'no run'
      failure = `Found ${what} matching the selection within appear-timeout (${formatDuration(options.appearTimeoutMs)}); a gate does not pass on nothing.`
      preface = `### ❌ Gate failed: ${escapeMarkdown(failure)}`
      break
    }
    case 'timeout':
      failure = `Timed out after ${waitedFor} waiting for ${unfinished.map((w) => label(w.run)).join(', ')}.`
      preface = `### ⏱️ ${escapeMarkdown(failure)}`
      break
    case 'failed-fast':
    case 'finished':
      if (failing.length > 0) {
        failure = failing.map((w) => `${label(w.run)}: ${w.verdict?.detail}`).join('; ')
        preface = `### ❌ ${failing.length} of ${watchList.length} awaited run(s) failed\n\n${failing.map((w) => `- ${escapeMarkdown(`${label(w.run)}: ${w.verdict?.detail}`)}`).join('\n')}`
      } else {
        preface = `### ✅ All ${watchList.length} awaited run(s) succeeded (waited ${waitedFor})`
      }
      break
  }
  core.info(failure ? `Result: ${failure}` : `Result: all ${watchList.length} run(s) succeeded after ${waitedFor}.`)
  return {
    reports,
    preface,
    failure,
    allowedConclusions: allowed,
    conclusionOf: (report) => verdictOf.get(report.run.id) ?? null
  }
}

/**
 * The wait that `rerun` and `approve` do after changing runs (`wait: true`): every job of those
 * runs counts, and each run is judged only once `arrived` holds for it.
 */
export function waitForChangedRuns(
  settings: Settings,
  api: GitHubApi,
  context: ActionContext,
  stats: RequestStats,
  runs: readonly Run[],
  options: WaitOptions
): Promise<CommandResult> {
  return waitForRuns(
    { ...settings, selection: { kind: 'ids', runs: runs.map((run) => ({ id: run.id })) }, wait: { ...settings.wait, jobPatterns: [] } },
    api,
    context,
    stats,
    options
  )
}
