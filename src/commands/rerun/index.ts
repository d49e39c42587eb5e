// `rerun`: re-runs the failed jobs of a run (`scope: failed`), all of them (`scope: all`) or one
// named job, in a new attempt. Every run is checked before anything is sent: still going, at
// max-attempts, older than GitHub allows, nothing failed, or a job name that matches nothing.
// With `wait: true` it waits for the new attempt, which must show up (run_attempt changed)
// before its status is trusted, and reports that attempt's result. With `rerun-if`, a run is
// re-run only when every failed job's failure matches (rerun-if.ts); the others are left alone.
// The `flaky` output names the jobs that failed before and passed in the attempt waited for.
import type { GitHubApi } from '../../github/api.js'
import type { Job, Run } from '../../github/types.js'
import type { GateOptions } from '../../inputs/groups.js'
import type { Selection } from '../../inputs/selection.js'
import type { RerunSettings } from './command.js'
import { JobSelectionError } from '../../errors.js'
import type { Deps } from '../shared/deps.js'
import { flakyJobs, renderAttemptComparison } from '../../report/actions.js'
import { isFailedConclusion } from '../../report/conclusions.js'
import { parseTime } from '../../report/durations.js'
import { selectTargets } from '../../runs/selection.js'
import { matchesJobOrMatrix } from '../../runs/job-names.js'
import { runLabel, type ActionLog } from '../shared/action-log.js'
import { pollUntilCompleted } from '../shared/poll.js'
import { checkRerunIf } from './rerun-if.js'
import { checkOnlyFlaky, type OnlyFlakyOptions } from './only-flaky.js'
import type { CommandResult } from '../shared/result.js'
import { describeWriteError, readBack } from '../shared/write-error.js'
import { waitForWritten, writeRuns, type RunPlan, type WriteCommand, type WriteReport, type Written } from '../shared/write-runs.js'

/** GitHub refuses to re-run a run created more than a month ago; 30 days is the safe reading. */
const RERUN_MAX_AGE_MS = 30 * 24 * 3600 * 1000

interface RerunWrite {
  jobs: Job[]
  target: { kind: 'run'; scope: 'failed' | 'all' } | { kind: 'job'; job: Job }
  rerunning: Set<string>
  /** With `rerun-if`: what matched ('every failure matches rerun-if (…)'). */
  matched?: string
}

/** A run that cannot be re-run as asked is a `fail`: reported, and the step fails. */
type Plan = RunPlan<RerunWrite>

/** A job name refused before anything is sent (an input problem, not a run's state). */

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

interface PlanOptions extends OnlyFlakyOptions {
  nowMs: number
  dryRun: boolean
}

async function planRerun(api: GitHubApi, run: Run, options: RerunSettings, planning: PlanOptions): Promise<Plan> {
  const plan = await planTarget(api, run, options, planning.nowMs)
  const { rerunIf } = options
  if (plan.kind !== 'write' || (rerunIf === null && !options.onlyFlaky)) return plan
  // Jobs are named (and a bad name refused) before any log is read.
  const verdict =
    rerunIf === null || options.onlyFlaky
      ? await checkOnlyFlaky(api, run, plan.write.jobs, rerunIf, planning)
      : await checkRerunIf(api, run, plan.write.jobs, rerunIf, planning)
  if (!verdict.matches) return { kind: 'skip', reason: planning.dryRun ? `dry run: would not re-run: ${verdict.why}` : `not re-run: ${verdict.why}` }
  return { kind: 'write', write: { ...plan.write, matched: verdict.why } }
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
    return { kind: 'write', write: { jobs, target: { kind: 'job', job }, rerunning: new Set([job.name]) } }
  }
  if (options.scope === 'all') return { kind: 'write', write: { jobs, target: { kind: 'run', scope: 'all' }, rerunning: new Set(jobs.map((j) => j.name)) } }
  const failed = jobs.filter((j) => j.status === 'completed' && isFailedConclusion(j.conclusion))
  if (failed.length === 0) {
    return { kind: 'skip', reason: `nothing failed (the run concluded ${run.conclusion ?? 'without a conclusion'}): not re-run` }
  }
  return { kind: 'write', write: { jobs, target: { kind: 'run', scope: 'failed' }, rerunning: new Set(failed.map((j) => j.name)) } }
}

function describeTarget(write: RerunWrite): string {
  if (write.target.kind === 'job') return `job '${write.target.job.name}' (and the jobs that need it)`
  if (write.target.scope === 'all') return 'all jobs'
  return `failed jobs ${[...write.rerunning].map((n) => `'${n}'`).join(', ')} (and the jobs that need them)`
}

export interface RerunInputs {
  selection: Selection
  excludeCurrentRun: boolean
  rerun: RerunSettings
  /** Wait for the new attempts, with the wait settings. */
  waitAfter: boolean
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  /** The gate's rules and summary options for `wait: true`. */
  gate: GateOptions
}

export async function rerunRuns(settings: RerunInputs, deps: Deps): Promise<CommandResult> {
  const deadline = deps.clock.now() + settings.gate.wait.timeoutMs
  return writeRuns(rerunCommand(settings, deps, deadline), settings, deps)
}

function rerunCommand(settings: RerunInputs, deps: Deps, deadline: number): WriteCommand<RerunWrite> {
  const { api, clock } = deps
  const options = settings.rerun
  const debug = options.debugLogging ? ', with debug logging' : ''
  const what = (write: RerunWrite): string => `re-running ${describeTarget(write)}${debug}${write.matched ? `; ${write.matched}` : ''}`
  return {
    withAttempt: true,
    words: {
      verb: () => 're-run',
      notSent: 'not re-run',
      wouldDo: (run, write) =>
        `${write.matched ? `would re-run: ${write.matched}; ` : ''}would request attempt ${run.attempt + 1}, re-running ${describeTarget(write)}${debug}`,
      stillShows: (run) => `the run still shows attempt ${run.attempt}`
    },
    select: async (actions) => {
      const targets = await selectTargets(api, settings.selection, { currentRunId: deps.context.runId, newestOnly: true })
      return { targets, toPlan: await completedRuns(targets, settings, deps, deadline, actions) }
    },
    // Every check before the first write: a job name that matches nothing refuses the command.
    plan: async (run) => {
      try {
        return await planRerun(api, run, options, {
          nowMs: deps.serverTime.now(),
          dryRun: settings.dryRun,
          logLines: settings.gate.logLines,
          context: deps.context,
          log: deps.log,
          stop: deps.stop
        })
      } catch (error) {
        if (error instanceof JobSelectionError) throw new Error(`${error.message} Nothing was re-run.`, { cause: error })
        throw error
      }
    },
    write: async (run, write) => {
      if (write.target.kind === 'job') await api.rerunJob(write.target.job.id, options.debugLogging)
      else await api.rerunRun(run.id, write.target.scope, options.debugLogging)
      return { kind: 'done', detail: `attempt ${run.attempt + 1} requested: ${what(write)}` }
    },
    readBack: async (run, write, error) => {
      const now = await readBack(
        () => api.getRun(run.id),
        (read) => read.attempt > run.attempt,
        clock,
        deadline,
        deps.stop
      )
      return (
        now && {
          kind: 'done',
          detail: `attempt ${now.attempt} started (the reply to the re-run request was lost: ${describeWriteError(error)}; read back): ${what(write)}`
        }
      )
    },
    // GET /runs/{id} may describe the old, completed attempt for a moment after the POST.
    settle: (changed) => waitForWritten(changed, (run) => (now) => now.attempt > run.attempt, settings, deps),
    report: rerunReport
  }
}

/** A run that is still going cannot be re-run: waits for it when asked to, else says so. */
async function completedRuns(targets: Run[], settings: RerunInputs, deps: Deps, deadline: number, actions: ActionLog): Promise<Run[]> {
  const record = actions.record.bind(actions)
  const ready = targets.filter((run) => run.status === 'completed')
  const going = targets.filter((run) => run.status !== 'completed')
  if (going.length > 0 && settings.dryRun) {
    for (const run of going)
      record(
        run,
        'skipped',
        `still ${run.status}: ${settings.waitAfter ? 'would be waited for, then re-run' : 'a run is re-run only once it completed'} (dry run)`
      )
  } else if (going.length > 0 && settings.waitAfter) {
    deps.log.info(`Waiting for ${going.length} run(s) still going before re-running: ${going.map((run) => runLabel(run, true)).join(', ')}`)
    const polled = await pollUntilCompleted(deps.api, going, {
      deadline,
      pollIntervalMs: settings.gate.wait.pollIntervalMs,
      clock: deps.clock,
      stop: deps.stop
    })
    for (const run of polled.going) record(run, 'failed', `still ${run.status} when the timeout ran out: not re-run`)
    return [...ready, ...polled.completed]
  } else {
    for (const run of going) record(run, 'skipped', `still ${run.status}: a run is re-run only once it completed (set 'wait: true' to wait for it)`)
  }
  return ready
}

/** The table, each re-run's attempts side by side, and the jobs that failed before and passed now. */
function rerunReport({ targets, changed, failed, waited }: Written<RerunWrite>): WriteReport {
  const flaky = new Set<string>()
  const comparisons = changed.map(({ run, write }) => {
    const now = waited?.reports.find((r) => r.run.id === run.id)
    const current =
      now && now.run.attempt > run.attempt
        ? { attempt: now.run.attempt, jobs: now.jobs, rerunning: write.rerunning }
        : { attempt: run.attempt + 1, jobs: null, rerunning: write.rerunning }
    if (current.jobs) for (const name of flakyJobs(write.jobs, current.jobs)) flaky.add(name)
    return renderAttemptComparison(run, { attempt: run.attempt, jobs: write.jobs }, current)
  })
  return {
    heading: `Re-run: ${changed.length} of ${targets.length} selected run(s) re-run`,
    sections: comparisons,
    outputs: { reran: String(changed.length > 0), flaky: JSON.stringify([...flaky]) },
    failures: failed
  }
}
