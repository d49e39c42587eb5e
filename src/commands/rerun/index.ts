// `rerun`: re-runs the failed jobs of a run (`scope: failed`), all of them (`scope: all`) or one
// named job, in a new attempt. Every run is checked before anything is sent: still going, at
// max-attempts, older than GitHub allows, nothing failed, or a job name that matches nothing.
// With `wait: true` it waits for the new attempt, which must show up (run_attempt changed)
// before its status is trusted, and reports that attempt's result. With `rerun-if`, a run is
// re-run only when every failed job's failure matches (rerun-if.ts); the others are left alone.
// The `flaky` output names the jobs that failed before and passed in the attempt waited for.
import { bareReport } from '../../runs/collect.js'
import type { GitHubApi } from '../../github/api.js'
import type { Job, Run } from '../../github/types.js'
import type { WaitSettings } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { RerunSettings } from './command.js'
import type { Deps } from '../shared/deps.js'
import { flakyJobs, renderActions, renderAttemptComparison } from '../../report/actions.js'
import { isFailedConclusion } from '../../report/conclusions.js'
import { parseTime } from '../../report/durations.js'
import { selectTargets } from '../../runs/selection.js'
import { matchesJobOrMatrix } from '../../runs/job-names.js'
import { ActionLog, runLabel } from '../shared/action-log.js'
import { pollUntilCompleted } from '../shared/poll.js'
import { checkRerunIf, type RerunIfOptions } from './rerun-if.js'
import { writeVerdict, type CommandResult } from '../shared/result.js'
import { waitForChangedRuns } from '../wait/index.js'
import { describeWriteError, isAmbiguous, readBack } from '../shared/write-error.js'

/** GitHub refuses to re-run a run created more than a month ago; 30 days is the safe reading. */
const RERUN_MAX_AGE_MS = 30 * 24 * 3600 * 1000

type Plan =
  | { kind: 'skip'; reason: string }
  /** The run cannot be re-run as asked: reported, and the step fails. */
  | { kind: 'fail'; reason: string }
  | {
      kind: 'rerun'
      jobs: Job[]
      target: { kind: 'run'; scope: 'failed' | 'all' } | { kind: 'job'; job: Job }
      rerunning: Set<string>
      /** With `rerun-if`: what matched ('every failure matches rerun-if (…)'). */
      matched?: string
    }

/** A job name refused before anything is sent (an input problem, not a run's state). */
class JobSelectionError extends Error {}

/** The one job `wanted` (names, globs, matrix base names or ids) picks from the latest attempt. */
async function pickJob(api: GitHubApi, run: Run, jobs: Job[], wanted: string[]): Promise<Job> {
  const picked = new Map<number, Job>()
  for (const want of wanted) {
    if (/^\d+$/.test(want)) {
      const job = jobs.find((j) => j.id === Number(want))
      if (job) {
        picked.set(job.id, job)
        continue
      }
      // Not in the latest attempt: say where that id belongs, which is usually the mistake.
      const found = await api.getJob(Number(want)).catch(() => null)
      const where = !found
        ? 'no such job'
        : found.runId !== run.id
          ? `it belongs to run ${found.runId}`
          : `it is attempt ${found.runAttempt}'s execution of '${found.name}'; the latest is job ${jobs.find((j) => j.name === found.name)?.id ?? '?'}`
      throw new JobSelectionError(`Input 'job' has an invalid value '${want}': not a job of the latest attempt of run ${run.id} (${where}).`)
    }
    const matched = jobs.filter((j) => matchesJobOrMatrix(j.name, want))
    if (matched.length === 0) {
      throw new JobSelectionError(
        `Input 'job' has an invalid value '${want}': no job of run ${run.id} attempt ${run.attempt} has that name; its jobs are: ${jobs.map((j) => j.name).join(', ')}`
      )
    }
    for (const job of matched) picked.set(job.id, job)
  }
  const chosen = [...picked.values()]
  if (chosen.length > 1) {
    // Each job re-run starts a new attempt, and GitHub refuses a re-run while one is going.
    throw new JobSelectionError(
      `Input 'job' has an invalid value '${wanted.join(', ')}': it matches ${chosen.length} jobs (${chosen.map((j) => j.name).join(', ')}); GitHub re-runs one job per attempt (the jobs that need it re-run with it). Name one job, or use 'scope: failed'.`
    )
  }
  return chosen[0] as Job
}

interface PlanOptions extends RerunIfOptions {
  nowMs: number
  dryRun: boolean
}

async function planRerun(api: GitHubApi, run: Run, options: RerunSettings, planning: PlanOptions): Promise<Plan> {
  const plan = await planTarget(api, run, options, planning.nowMs)
  if (plan.kind !== 'rerun' || options.rerunIf === null) return plan
  // Jobs are named (and a bad name refused) before any log is read.
  const verdict = await checkRerunIf(api, run, plan.jobs, options.rerunIf, planning)
  if (!verdict.matches) return { kind: 'skip', reason: planning.dryRun ? `dry run: would not re-run: ${verdict.why}` : `not re-run: ${verdict.why}` }
  return { ...plan, matched: verdict.why }
}

async function planTarget(api: GitHubApi, run: Run, options: RerunSettings, nowMs: number): Promise<Plan> {
  if (run.attempt >= options.maxAttempts) {
    return { kind: 'skip', reason: `attempt ${run.attempt} has reached max-attempts (${options.maxAttempts}): not re-run` }
  }
  const created = parseTime(run.createdAt)
  if (created !== null && nowMs - created > RERUN_MAX_AGE_MS) {
    return { kind: 'fail', reason: `created ${run.createdAt}, over 30 days ago: GitHub no longer re-runs it` }
  }
  const jobs = await api.listJobs(run.id)
  if (options.jobs.length > 0) {
    const job = await pickJob(api, run, jobs, options.jobs)
    return { kind: 'rerun', jobs, target: { kind: 'job', job }, rerunning: new Set([job.name]) }
  }
  if (options.scope === 'all') return { kind: 'rerun', jobs, target: { kind: 'run', scope: 'all' }, rerunning: new Set(jobs.map((j) => j.name)) }
  const failed = jobs.filter((j) => j.status === 'completed' && isFailedConclusion(j.conclusion))
  if (failed.length === 0) {
    return { kind: 'skip', reason: `nothing failed (the run concluded ${run.conclusion ?? 'without a conclusion'}): not re-run` }
  }
  return { kind: 'rerun', jobs, target: { kind: 'run', scope: 'failed' }, rerunning: new Set(failed.map((j) => j.name)) }
}

function describeTarget(plan: Extract<Plan, { kind: 'rerun' }>): string {
  if (plan.target.kind === 'job') return `job '${plan.target.job.name}' (and the jobs that need it)`
  if (plan.target.scope === 'all') return 'all jobs'
  return `failed jobs ${[...plan.rerunning].map((n) => `'${n}'`).join(', ')} (and the jobs that need them)`
}

export interface RerunInputs {
  selection: Selection
  excludeCurrentRun: boolean
  rerun: RerunSettings
  /** Wait for the new attempts, with the wait settings. */
  waitAfter: boolean
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  wait: WaitSettings
  summary: { logLines: number; billableTime: boolean }
}

export async function rerunRuns(settings: RerunInputs, deps: Deps): Promise<CommandResult> {
  const { api, context, clock, log } = deps
  const options = settings.rerun
  const deadline = clock.now() + settings.wait.timeoutMs
  const targets = await selectTargets(api, settings.selection, {
    currentRunId: context.runId,
    newestOnly: true
  })
  const actions = new ActionLog(log, true)
  const record = actions.record.bind(actions)

  // A run that is still going cannot be re-run: wait for it when asked to, else say so.
  let ready = targets.filter((run) => run.status === 'completed')
  const going = targets.filter((run) => run.status !== 'completed')
  if (going.length > 0 && settings.dryRun) {
    for (const run of going) record(run, 'skipped', `still ${run.status}: ${settings.waitAfter ? 'would be waited for, then re-run' : 'a run is re-run only once it completed'} (dry run)`)
  } else if (going.length > 0 && settings.waitAfter) {
    log.info(`Waiting for ${going.length} run(s) still going before re-running: ${going.map((run) => runLabel(run, true)).join(', ')}`)
    const polled = await pollUntilCompleted(api, going, { deadline, pollIntervalMs: settings.wait.pollIntervalMs, clock, stop: deps.stop })
    ready = [...ready, ...polled.completed]
    for (const run of polled.going) record(run, 'failed', `still ${run.status} when the timeout ran out: not re-run`)
  } else {
    for (const run of going) record(run, 'skipped', `still ${run.status}: a run is re-run only once it completed (set 'wait: true' to wait for it)`)
  }

  // Every check before the first write: a job name that matches nothing refuses the command.
  const plans = new Map<number, Plan>()
  for (const run of ready) {
    try {
      plans.set(
        run.id,
        await planRerun(api, run, options, { nowMs: deps.serverTime.now(), dryRun: settings.dryRun, logLines: settings.summary.logLines, log, stop: deps.stop })
      )
    } catch (error) {
      if (error instanceof JobSelectionError) throw new Error(`${error.message} Nothing was re-run.`, { cause: error })
      throw error
    }
  }

  const reran: { run: Run; plan: Extract<Plan, { kind: 'rerun' }> }[] = []
  for (const run of ready) {
    const plan = plans.get(run.id)
    if (!plan) continue
    if (plan.kind !== 'rerun') {
      record(run, plan.kind === 'skip' ? 'skipped' : 'failed', plan.reason)
      continue
    }
    const what = `re-running ${describeTarget(plan)}${options.debugLogging ? ', with debug logging' : ''}${plan.matched ? `; ${plan.matched}` : ''}`
    if (settings.dryRun) {
      const why = plan.matched ? `would re-run: ${plan.matched}; ` : ''
      record(run, 'planned', `dry run: ${why}would request attempt ${run.attempt + 1}, re-running ${describeTarget(plan)}${options.debugLogging ? ', with debug logging' : ''}`)
      continue
    }
    if (deps.stop.aborted) {
      record(run, 'skipped', 'not re-run: this step was cancelled first')
      continue
    }
    try {
      if (plan.target.kind === 'job') await api.rerunJob(plan.target.job.id, options.debugLogging)
      else await api.rerunRun(run.id, plan.target.scope, options.debugLogging)
      record(run, 'done', `attempt ${run.attempt + 1} requested: ${what}`)
      reran.push({ run, plan })
    } catch (error) {
      if (!isAmbiguous(error)) {
        record(run, 'failed', `re-run refused: ${describeWriteError(error)}`)
        continue
      }
      // The reply was lost, not the request: sending it again could start two attempts.
      const now = await readBack(() => api.getRun(run.id), (read) => read.attempt > run.attempt, clock, deadline, deps.stop)
      if (now) {
        record(run, 'done', `attempt ${now.attempt} started (the reply to the re-run request was lost: ${describeWriteError(error)}; read back): ${what}`)
        reran.push({ run, plan })
      } else {
        record(run, 'failed', `re-run not confirmed: ${describeWriteError(error)}, and the run still shows attempt ${run.attempt}; not sent again`)
      }
    }
  }

  let waited: CommandResult | null = null
  if (settings.waitAfter && reran.length > 0 && !deps.stop.aborted) {
    const previousAttempt = new Map(reran.map(({ run }) => [run.id, run.attempt]))
    waited = await waitForChangedRuns(
      reran.map(({ run }) => run),
      // GET /runs/{id} may describe the old, completed attempt for a moment after the POST.
      new Map(reran.map(({ run }) => [run.id, (now: Run) => now.attempt > (previousAttempt.get(run.id) ?? 0)])),
      { wait: settings.wait, logLines: settings.summary.logLines, billableTime: settings.summary.billableTime },
      deps
    )
  }

  const rows = actions.rows(targets)
  const flaky = new Set<string>()
  const comparisons = reran.map(({ run, plan }) => {
    const now = waited?.reports.find((r) => r.run.id === run.id)
    const current = now && now.run.attempt > run.attempt ? { attempt: now.run.attempt, jobs: now.jobs, rerunning: plan.rerunning } : { attempt: run.attempt + 1, jobs: null, rerunning: plan.rerunning }
    if (current.jobs) for (const name of flakyJobs(plan.jobs, current.jobs)) flaky.add(name)
    return renderAttemptComparison(run, { attempt: run.attempt, jobs: plan.jobs }, current)
  })
  const failures = [...ActionLog.failures(rows, true), ...(waited && waited.verdict.result !== 'success' ? [waited.verdict.message] : [])]
  const preface = [
    renderActions(`Re-run: ${reran.length} of ${targets.length} selected run(s) re-run`, rows),
    ...comparisons,
    ...(waited ? [waited.preface] : [])
  ].join('\n\n')
  return {
    reports: waited ? waited.reports : rows.map((r) => bareReport(r.run)),
    preface,
    detailed: waited !== null,
    outputs: { reran: String(reran.length > 0), flaky: JSON.stringify([...flaky]) },
    verdict: writeVerdict(deps.stop, failures, waited?.verdict ?? null),
    allowedConclusions: settings.wait.allowedConclusions,
    ...(waited?.standingOf ? { standingOf: waited.standingOf } : {})
  }
}
