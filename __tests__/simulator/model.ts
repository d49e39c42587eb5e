// Clock-derived state. Each attempt gets a *plan* (absolute virtual times of every job and step),
// a pure function of the specs and of recorded events (cancels, API re-runs, approvals, deployment
// reviews); the state a request sees is that plan projected onto the virtual now. Nothing mutates
// on a timer, so every request sees a consistent picture and ETags change exactly when the
// projected state does. Recording an event drops the cached plans it affects.
import type { AttemptSpec, JobSpec, RunSpec, StepConclusion, StepSpec } from './scenario.js'
import { checkAcyclic, MAX_ATTEMPTS } from './scenario.js'

export type HoldStatus = 'waiting' | 'pending'
export type JobConclusion = 'success' | 'failure' | 'cancelled' | 'skipped'
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | 'action_required' | 'startup_failure'

/** A cancel (or force-cancel) takes effect this many virtual seconds after it was requested. */
export const CANCEL_DELAY_SECONDS = 2

/**
 * An API re-run's attempt is created this many virtual seconds after the request was answered 201
 * (after the request's second, rounded up: see `wholeSecond`). GitHub's run object does not show
 * the new attempt at once: for a moment it still describes the old, completed attempt, which is
 * what forces a client to see run_attempt change before it trusts "completed" again.
 */
export const RERUN_DELAY_SECONDS = 2

/**
 * Jobs that an API event starts (re-run, approval, deployment review) start on a whole virtual
 * second, like every pre-declared job does: step windows then have whole-second bounds, so their
 * second-precision started_at/completed_at still enclose the step's log lines.
 */
function wholeSecond(t: number): number {
  return Math.ceil(t)
}

/**
 * Seconds between the last need of a job succeeding and the job being queued (and listed).
 * That there is such a gap is in API-NOTES (jobs blocked on `needs` are not listed until
 * queued); its length is our assumption, the smallest the API's whole-second times can show.
 */
export const NEEDS_QUEUE_DELAY_SECONDS = 1

/** Runs created longer ago than this cannot be re-run. */
export const RERUN_MAX_AGE_SECONDS = 30 * 24 * 3600

/** The login the simulator records API reviews (pending deployments) under. */
export const REVIEWER_LOGIN = 'run-control-bot'

const RUNS_DOCS = 'https://docs.github.com/rest/actions/workflow-runs'
const JOBS_DOCS = 'https://docs.github.com/rest/actions/workflow-jobs'

/** A refused write: the HTTP status and GitHub-style message the server answers with. */
export interface Refusal {
  status: number
  message: string
  documentationUrl: string
}

function refuse(status: number, message: string, documentationUrl = RUNS_DOCS): Refusal {
  return { status, message, documentationUrl }
}

export const MESSAGES = {
  tooOld: 'Unable to retry this workflow run because it was created over a month ago',
  // Seen from GitHub when re-running a run that has not finished (as a 403).
  notCompleted: 'This workflow is already running',
  // Assumption: GitHub's wording for a failed-jobs re-run of a run without failed jobs is not
  // documented; this one says what happened.
  noFailedJobs: 'This workflow run cannot be retried because it has no failed jobs',
  // Assumption: wording not documented.
  jobNotInLatestAttempt: 'This job cannot be re-run because it is not part of the latest attempt of the workflow run',
  // Assumption: wording not documented (GitHub limits re-runs too; the simulator's bound is MAX_ATTEMPTS).
  tooManyAttempts: `This workflow run cannot be retried because it reached the limit of ${MAX_ATTEMPTS} attempts`,
  // Assumption: an action_required run must be approved, not re-run.
  awaitingApproval: 'This workflow run cannot be retried because it is awaiting approval',
  cancelCompleted: 'Cannot cancel a workflow run that is completed.',
  // Assumption: wording not documented.
  notAwaitingApproval: 'This workflow run is not awaiting approval',
  // Assumptions: wordings not documented. 403 is listed for DELETE .../logs; DELETE .../runs/{id}
  // lists no error status at all, so it answers the same 403.
  deleteNotCompleted: 'Cannot delete a workflow run that is not completed.',
  deleteLogsNotCompleted: 'Cannot delete the logs of a workflow run that is not completed.'
} as const

export interface StepPlan {
  number: number
  name: string
  kind: 'setup' | 'user' | 'complete'
  start: number
  end: number
  conclusion: StepConclusion
  spec?: StepSpec
}

export interface JobPlan {
  id: number
  runId: number
  attempt: number
  index: number
  name: string
  spec: JobSpec
  created: number
  /** While t < holdUntil the job shows the attempt's hold status. */
  holdUntil: number | null
  holdStatus: HoldStatus | null
  start: number
  end: number
  /** A runner picked the job up (false: skipped by needs, cancelled before it started, deployment rejected). */
  ran: boolean
  conclusion: JobConclusion
  steps: StepPlan[]
  /** The attempt ran with debug logging (the log has ##[debug] lines). */
  debug: boolean
}

export interface AttemptPlan {
  attempt: number
  /** When the attempt was created; for an approved fork-PR run, when it was approved. */
  at: number
  /**
   * `until` is when the hold ends: released, rejected, or Infinity while undecided; `resume` is
   * when its jobs may start (the whole second after a release by review, else `until`).
   */
  hold: { status: HoldStatus; until: number; resume: number } | undefined
  /** Executions created by this attempt. */
  own: JobPlan[]
  /** Latest execution of each job as of this attempt (own + carried over by a failed-jobs re-run). */
  effective: JobPlan[]
  /**
   * The attempt's whole job graph (latest spec of each job), including jobs never created because
   * a cancel came first: what a re-run starts from.
   */
  universe: JobSpec[]
  /** When the first own job started (status turns in_progress); equals `end` if none ran. */
  firstStart: number
  end: number
  conclusion: RunConclusion
  cancelledAt: number | null
}

export type StepStatus = 'queued' | 'in_progress' | 'completed'
export type JobStatus = 'queued' | 'in_progress' | 'completed' | HoldStatus
export type RunStatus = 'queued' | 'in_progress' | 'completed' | HoldStatus

export function jobId(runId: number, attempt: number, index: number): number {
  return runId * 100000 + attempt * 1000 + index
}

export function decodeJobId(id: number): { runId: number; attempt: number; index: number } {
  return { runId: Math.floor(id / 100000), attempt: Math.floor((id % 100000) / 1000), index: id % 1000 }
}

export type PendingDeployment = NonNullable<RunSpec['pendingDeployments']>[number]

/** A deployment review recorded through the API (reviewers, or a custom gate's app). */
export interface Review {
  t: number
  attempt: number
  deployments: PendingDeployment[]
  state: 'approved' | 'rejected'
  comment: string
  via: 'reviewers' | 'custom-gate'
}

export type RerunKind = 'all' | 'failed' | 'job'

/** Conclusions a failed-jobs re-run picks up (timed_out is GitHub's; the simulator never derives it). */
const RERUN_FAILED = new Set<string>(['failure', 'cancelled', 'timed_out'])

/** One run: its spec, its run number, and the write requests it received. */
export class RunModel {
  private readonly cancels = new Map<number, number>()
  private readonly forceCancels = new Map<number, number>()
  private readonly apiAttempts: AttemptSpec[] = []
  /** How many API re-runs included each job name so far (selects rerunSpecs elements). */
  private readonly rerunCounts = new Map<string, number>()
  private readonly reviewLog: Review[] = []
  private approvedAt: number | null = null
  private deletedAt: number | null = null
  private logsDeletedAt: number | null = null
  private attemptList: AttemptSpec[] | undefined
  private readonly plans = new Map<number, AttemptPlan>()

  constructor(
    readonly spec: RunSpec,
    readonly runNumber: number
  ) {}

  get createdAt(): number {
    return this.spec.attempts[0]?.at ?? 0
  }

  visible(t: number): boolean {
    return t >= this.createdAt && !(this.deletedAt !== null && t >= this.deletedAt)
  }

  /**
   * Every attempt, pre-declared and API-created, in time order (an API attempt is created after
   * every attempt that existed when it was requested; a pre-declared attempt still in the future
   * comes after it). An outcome run keeps only its first pre-declared attempt.
   */
  private attempts(): AttemptSpec[] {
    if (this.attemptList) return this.attemptList
    const declared = this.spec.outcome ? this.spec.attempts.slice(0, 1) : this.spec.attempts
    const merged: AttemptSpec[] = []
    let i = 0
    let j = 0
    while (i < declared.length || j < this.apiAttempts.length) {
      const a = declared[i]
      const b = this.apiAttempts[j]
      if (a && (!b || a.at <= b.at)) {
        merged.push(a)
        i++
      } else if (b) {
        merged.push(b)
        j++
      }
    }
    this.attemptList = merged
    return merged
  }

  attemptCount(): number {
    return this.attempts().length
  }

  /** The attempt number GET /runs/{id} describes at `t` (0 if the run does not exist yet). */
  latestAttempt(t: number): number {
    let latest = 0
    this.attempts().forEach((attempt, i) => {
      if (attempt.at <= t) latest = i + 1
    })
    return latest
  }

  plan(attempt: number): AttemptPlan {
    const cached = this.plans.get(attempt)
    if (cached) return cached
    const spec = this.attempts()[attempt - 1]
    if (!spec) throw new Error(`run ${this.spec.id} has no attempt ${attempt}`)
    const previous = attempt > 1 ? this.plan(attempt - 1) : undefined
    const plan = planAttempt({
      run: this.spec,
      attempt,
      spec,
      previous,
      cancelRequestedAt: this.cancelTime(attempt),
      approvedAt: this.approvedAt,
      release: this.holdRelease(attempt)
    })
    this.plans.set(attempt, plan)
    return plan
  }

  /** Drops cached plans of `attempt` and later ones (which may carry its jobs over). */
  private invalidate(attempt: number): void {
    for (const key of [...this.plans.keys()]) if (key >= attempt) this.plans.delete(key)
  }

  private cancelTime(attempt: number): number | undefined {
    const byConcurrency = attempt === 1 ? this.spec.cancelledByConcurrencyAt : undefined
    // Recorded as if requested CANCEL_DELAY_SECONDS earlier, so it takes effect at that second.
    const apiCancel = this.spec.ignoresCancel ? undefined : this.cancels.get(attempt)
    const normal = byConcurrency === undefined ? apiCancel : Math.min(apiCancel ?? Infinity, byConcurrency - CANCEL_DELAY_SECONDS)
    const force = this.forceCancels.get(attempt)
    if (normal === undefined) return force
    if (force === undefined) return normal
    return Math.min(normal, force)
  }

  /**
   * Status, conclusion and updated_at of the run object. updated_at is the latest of the run's own
   * changes (created, hold released, first job started, completed), never job or step progress:
   * we assume GitHub behaves so, and it is what makes a conditional GET of the run answer 304
   * while only its jobs move.
   */
  runState(attempt: number, t: number): { status: RunStatus; conclusion: RunConclusion | null; updatedAt: number } {
    const plan = this.plan(attempt)
    const changes = [plan.at, plan.hold?.until ?? plan.at, plan.firstStart, plan.end].filter((c) => c <= t && c <= plan.end)
    const updatedAt = Math.max(plan.at, ...changes)
    if (t >= plan.end) return { status: 'completed', conclusion: plan.conclusion, updatedAt }
    if (plan.hold && t < plan.hold.until) return { status: plan.hold.status, conclusion: null, updatedAt }
    if (t < plan.firstStart) return { status: 'queued', conclusion: null, updatedAt }
    return { status: 'in_progress', conclusion: null, updatedAt }
  }

  /** The latest attempt is not completed, or a requested re-run's attempt is still to come. */
  private busy(t: number): boolean {
    const latest = this.latestAttempt(t)
    if (latest === 0) return true
    if (this.apiAttempts.some((attempt) => attempt.at > t)) return true
    return this.runState(latest, t).status !== 'completed'
  }

  /**
   * Records a cancel request at `t` for the latest attempt. Returns false when that attempt has
   * already completed (GitHub answers 409). On an `ignoresCancel` run a normal cancel is accepted
   * and changes nothing; a force-cancel always takes effect CANCEL_DELAY_SECONDS later.
   */
  cancel(t: number, force = false): boolean {
    const attempt = this.latestAttempt(t)
    if (attempt === 0 || this.runState(attempt, t).status === 'completed') return false
    const requests = force ? this.forceCancels : this.cancels
    if (!requests.has(attempt)) {
      requests.set(attempt, t)
      this.invalidate(attempt)
    }
    return true
  }

  /**
   * A re-run requested at `t`: refused (checked in this order: age, not completed, awaiting
   * approval, nothing to re-run, attempt limit), or recorded as an API-created attempt that
   * appears RERUN_DELAY_SECONDS later. `jobId` names the job for kind 'job'.
   */
  rerun(kind: RerunKind, t: number, options: { jobId?: number; debug?: boolean } = {}): Refusal | null {
    const docs = kind === 'job' ? `${JOBS_DOCS}#re-run-a-job-from-a-workflow-run` : `${RUNS_DOCS}#re-run-a-workflow`
    if (t - this.createdAt > RERUN_MAX_AGE_SECONDS) return refuse(403, MESSAGES.tooOld, docs)
    if (this.busy(t)) return refuse(403, MESSAGES.notCompleted, docs)
    if (this.spec.outcome === 'action_required' && this.approvedAt === null) return refuse(403, MESSAGES.awaitingApproval, docs)
    const latest = this.plan(this.latestAttempt(t))
    let roots: string[]
    if (kind === 'all') roots = latest.universe.map((job) => job.name)
    else if (kind === 'failed') {
      roots = latest.effective.filter((job) => RERUN_FAILED.has(job.conclusion)).map((job) => job.name)
      if (roots.length === 0) return refuse(403, MESSAGES.noFailedJobs, docs)
    } else {
      const job = latest.effective.find((candidate) => candidate.id === options.jobId)
      if (!job) return refuse(403, MESSAGES.jobNotInLatestAttempt, docs)
      roots = [job.name]
    }
    if (this.attemptCount() >= MAX_ATTEMPTS) return refuse(403, MESSAGES.tooManyAttempts, docs)

    const selected = withDependents(latest.universe, roots)
    const jobs = latest.universe.filter((job) => selected.has(job.name)).map((job) => this.rerunSpecFor(job))
    const spec: AttemptSpec = {
      at: wholeSecond(t) + RERUN_DELAY_SECONDS,
      ...(kind === 'all' ? {} : { rerun: 'failed' as const }),
      jobs,
      ...(options.debug ? { debugLogging: true } : {})
    }
    checkAcyclic(jobs, `run ${this.spec.id} re-run (rerunSpecs)`)
    this.apiAttempts.push(spec)
    this.attemptList = undefined
    this.invalidate(this.attempts().indexOf(spec) + 1)
    return null
  }

  /** The spec a re-run gives `job` (rerunSpecs by how many API re-runs included it, else the same). */
  private rerunSpecFor(job: JobSpec): JobSpec {
    const count = (this.rerunCounts.get(job.name) ?? 0) + 1
    this.rerunCounts.set(job.name, count)
    const entry = this.spec.rerunSpecs?.[job.name]
    if (entry === undefined) return job
    const chosen = Array.isArray(entry) ? entry[Math.min(count, entry.length) - 1] : entry
    if (!chosen) return job
    return { ...chosen, name: job.name, ...(chosen.needs === undefined && job.needs !== undefined ? { needs: job.needs } : {}) }
  }

  /** POST approve at `t`: the fork-PR run's first attempt starts now. */
  approve(t: number): Refusal | null {
    if (this.spec.outcome !== 'action_required' || this.approvedAt !== null) {
      return refuse(403, MESSAGES.notAwaitingApproval, `${RUNS_DOCS}#approve-a-workflow-run-for-a-fork-pull-request`)
    }
    this.approvedAt = t
    this.invalidate(1)
    return null
  }

  /** Pending deployments of `attempt` at `t`: the run's, minus those reviewed through the API. */
  pendingDeployments(attempt: number, t: number): PendingDeployment[] {
    const reviewed = new Set(
      this.reviewLog.filter((review) => review.attempt === attempt && review.t <= t).flatMap((review) => review.deployments.map((d) => d.id))
    )
    return (this.spec.pendingDeployments ?? []).filter((deployment) => !reviewed.has(deployment.id))
  }

  /** API reviews recorded up to `t`, every attempt (GET approvals lists the reviewers' ones). */
  reviews(t: number): Review[] {
    return this.reviewLog.filter((review) => review.t <= t)
  }

  /**
   * POST pending_deployments (reviewers) at `t`. 422 unless the run is waiting and every id is a
   * pending, approvable, non-custom-gate deployment of the latest attempt.
   */
  reviewDeployments(t: number, ids: number[], state: 'approved' | 'rejected', comment: string): Refusal | { review: Review } {
    const docs = `${RUNS_DOCS}#review-pending-deployments-for-a-workflow-run`
    const attempt = this.latestAttempt(t)
    if (attempt === 0 || this.runState(attempt, t).status !== 'waiting') {
      return refuse(422, 'No pending deployment requests to approve or reject: the workflow run is not waiting', docs)
    }
    const pending = this.pendingDeployments(attempt, t)
    const deployments: PendingDeployment[] = []
    if (ids.length === 0) return refuse(422, 'environment_ids must name at least one environment', docs)
    for (const id of ids) {
      const deployment = pending.find((candidate) => candidate.id === id)
      if (!deployment) return refuse(422, `Environment ${id} has no pending deployment for this workflow run`, docs)
      if (deployment.customGate) {
        return refuse(
          422,
          `Environment ${deployment.environment} waits on a custom deployment protection rule; review it with POST deployment_protection_rule`,
          docs
        )
      }
      if (deployment.canApprove === false) return refuse(422, `You are not allowed to review deployments to environment ${deployment.environment}`, docs)
      if (!deployments.includes(deployment)) deployments.push(deployment)
    }
    return { review: this.record({ t, attempt, deployments, state, comment, via: 'reviewers' }) }
  }

  /**
   * POST deployment_protection_rule (a custom gate's app) at `t`. 422 unless the run is waiting on
   * a pending custom-gate environment of that name. Without `state` (the comment-only form the
   * schema allows) nothing changes.
   */
  reviewCustomGate(t: number, environment: string, state: 'approved' | 'rejected' | undefined, comment: string): Refusal | null {
    const docs = `${RUNS_DOCS}#review-custom-deployment-protection-rules-for-a-workflow-run`
    const attempt = this.latestAttempt(t)
    const waiting = attempt !== 0 && this.runState(attempt, t).status === 'waiting'
    const deployment = waiting ? this.pendingDeployments(attempt, t).find((d) => d.customGate && d.environment === environment) : undefined
    if (!deployment) return refuse(422, `No pending custom deployment protection rule for environment ${environment} on this workflow run`, docs)
    if (state !== undefined) this.record({ t, attempt, deployments: [deployment], state, comment, via: 'custom-gate' })
    return null
  }

  private record(review: Review): Review {
    this.reviewLog.push(review)
    this.invalidate(review.attempt)
    return review
  }

  /**
   * How the hold of `attempt` ends through reviews: released when every pending deployment of the
   * run was approved (at the last approval), ended when one was rejected (at the first rejection).
   */
  private holdRelease(attempt: number): { approvedAt?: number; rejectedAt?: number } {
    const reviews = this.reviewLog.filter((review) => review.attempt === attempt)
    if (reviews.length === 0) return {}
    const rejections = reviews.filter((review) => review.state === 'rejected').map((review) => review.t)
    const deployments = this.spec.pendingDeployments ?? []
    const approvals = deployments.map((deployment) => {
      const times = reviews.filter((review) => review.state === 'approved' && review.deployments.includes(deployment)).map((review) => review.t)
      return times.length ? Math.min(...times) : undefined
    })
    const allApproved = deployments.length > 0 && approvals.every((time) => time !== undefined)
    return {
      ...(allApproved ? { approvedAt: Math.max(...(approvals as number[])) } : {}),
      ...(rejections.length ? { rejectedAt: Math.min(...rejections) } : {})
    }
  }

  /** DELETE the run at `t`: from then on it is gone from every endpoint. */
  delete(t: number): Refusal | null {
    if (this.busy(t)) return refuse(403, MESSAGES.deleteNotCompleted, `${RUNS_DOCS}#delete-a-workflow-run`)
    this.deletedAt = t
    return null
  }

  /** DELETE the run's logs at `t`: logs of every job that completed by then are gone. */
  deleteLogs(t: number): Refusal | null {
    if (this.busy(t)) return refuse(403, MESSAGES.deleteLogsNotCompleted, `${RUNS_DOCS}#delete-workflow-run-logs`)
    this.logsDeletedAt = t
    return null
  }

  /** DELETE .../logs was accepted. */
  logsDeleted(): boolean {
    return this.logsDeletedAt !== null
  }

  /** Whether `job`'s log can be downloaded at `t` (it ran, completed, and was not deleted since). */
  hasLog(job: JobPlan, t: number): boolean {
    if (!job.ran || jobStatus(job, t) !== 'completed') return false
    return this.logsDeletedAt === null || job.end > this.logsDeletedAt
  }

  /** Every execution created up to attempt `upTo` (for filter=all), in attempt then job order. */
  allExecutions(upTo: number): JobPlan[] {
    const out: JobPlan[] = []
    for (let n = 1; n <= upTo; n++) out.push(...this.plan(n).own)
    return out
  }

  findJob(id: number): JobPlan | undefined {
    const { attempt, index } = decodeJobId(id)
    if (attempt < 1 || attempt > this.attemptCount()) return undefined
    return this.plan(attempt).own.find((job) => job.index === index)
  }
}

/** `roots` plus every job of `jobs` that needs one of them, transitively. */
function withDependents(jobs: JobSpec[], roots: string[]): Set<string> {
  const selected = new Set(roots)
  let grew = true
  while (grew) {
    grew = false
    for (const job of jobs) {
      if (!selected.has(job.name) && (job.needs ?? []).some((need) => selected.has(need))) {
        selected.add(job.name)
        grew = true
      }
    }
  }
  return selected
}

interface PlanInput {
  run: RunSpec
  attempt: number
  spec: AttemptSpec
  previous: AttemptPlan | undefined
  cancelRequestedAt: number | undefined
  /** When an action_required run was approved (null: not yet). */
  approvedAt: number | null
  release: { approvedAt?: number; rejectedAt?: number }
}

function planAttempt(input: PlanInput): AttemptPlan {
  const { run, attempt, spec, previous, cancelRequestedAt, release } = input
  const awaitingApproval = run.outcome === 'action_required' && attempt === 1 && input.approvedAt === null
  if (run.outcome === 'startup_failure' || awaitingApproval) {
    // action_required (until approved) / startup_failure: completed at creation, nothing runs.
    const conclusion = run.outcome ?? 'startup_failure'
    return { attempt, at: spec.at, hold: undefined, own: [], effective: [], universe: [], firstStart: spec.at, end: spec.at, conclusion, cancelledAt: null }
  }
  // An approved fork-PR run starts when it was approved: jobs are created then, and start from the
  // next whole second.
  const approved = run.outcome === 'action_required' && attempt === 1 && input.approvedAt !== null
  const at = approved ? Math.max(spec.at, input.approvedAt ?? spec.at) : spec.at
  const startFrom = approved ? wholeSecond(at) : at
  const debug = spec.debugLogging === true

  // The hold ends at the earliest of: its timer, the last approval of every pending deployment, a
  // rejection (which fails the held jobs). Without either it lasts (Infinity) until a cancel.
  const timer = spec.hold?.until ?? Infinity
  const reviewed = release.approvedAt !== undefined && release.approvedAt < timer
  let holdEnd = reviewed ? (release.approvedAt ?? timer) : timer
  const rejectedAt = spec.hold && release.rejectedAt !== undefined && release.rejectedAt < holdEnd ? release.rejectedAt : undefined
  if (rejectedAt !== undefined) holdEnd = rejectedAt
  const hold =
    spec.hold && (holdEnd > at || rejectedAt !== undefined)
      ? { status: spec.hold.status, until: holdEnd, resume: reviewed && rejectedAt === undefined ? wholeSecond(holdEnd) : holdEnd }
      : undefined

  const ownNames = new Set(spec.jobs.map((job) => job.name))
  const carriesOver = attempt > 1 && spec.rerun === 'failed' && previous !== undefined
  const carried = carriesOver ? previous.effective.filter((job) => !ownNames.has(job.name)) : []
  const carriedByName = new Map(carried.map((job) => [job.name, job]))
  const ownByName = new Map(spec.jobs.map((job) => [job.name, job]))
  const universe = carriesOver
    ? [...previous.universe.map((job) => ownByName.get(job.name) ?? job), ...spec.jobs.filter((job) => !previous.universe.some((p) => p.name === job.name))]
    : spec.jobs

  const planned = new Map<string, JobPlan>()
  const planJob = (job: JobSpec, index: number): JobPlan => {
    const done = planned.get(job.name)
    if (done) return done
    const needs: JobPlan[] = []
    for (const name of job.needs ?? []) {
      const ownIndex = spec.jobs.findIndex((candidate) => candidate.name === name)
      const ownNeed = spec.jobs[ownIndex]
      const need = ownNeed ? planJob(ownNeed, ownIndex) : carriedByName.get(name)
      if (need) needs.push(need) // unknown names are treated as satisfied
    }
    // A job whose needs succeeded is queued a moment after the last of them ended, and GitHub
    // does not list it before (API-NOTES: jobs blocked on `needs` are not listed until queued);
    // when a need failed it appears at once, completed/skipped.
    const created = Math.max(at, ...needs.map((need) => need.end + (need.conclusion === 'success' ? NEEDS_QUEUE_DELAY_SECONDS : 0)))
    const held = hold !== undefined && created < hold.until
    const base = {
      id: jobId(run.id, attempt, index),
      runId: run.id,
      attempt,
      index,
      name: job.name,
      spec: job,
      created,
      holdUntil: held ? hold.until : null,
      holdStatus: held ? hold.status : null,
      debug
    }
    let plan: JobPlan
    if (job.ifFalse || needs.some((need) => need.conclusion !== 'success')) {
      // GitHub lists such a job at once as completed/skipped with no steps.
      plan = { ...base, start: created, end: created, ran: false, conclusion: 'skipped', steps: [] }
    } else if (rejectedAt !== undefined && created <= rejectedAt) {
      // A rejected deployment review fails the held jobs without running them (GitHub fails the
      // job that targets the environment; the simulator holds, and so fails, the whole attempt).
      plan = { ...base, start: rejectedAt, end: rejectedAt, ran: false, conclusion: 'failure', steps: [] }
    } else {
      const start = Math.max(created, held ? hold.resume : created, startFrom) + (job.queuedSeconds ?? 1)
      const { steps, end, conclusion } = planSteps(job, start)
      plan = { ...base, start, end, ran: true, conclusion, steps }
    }
    planned.set(job.name, plan)
    return plan
  }
  let own = spec.jobs.map(planJob)

  const effectiveStart = Math.max(at, hold?.until ?? at)
  const orderOf = (jobs: JobPlan[]): JobPlan[] => {
    if (carried.length === 0 || !previous) return jobs
    // Keep the previous attempt's job order, re-run jobs replacing their earlier execution.
    const byName = new Map(jobs.map((job) => [job.name, job]))
    const ordered = previous.effective.map((job) => byName.get(job.name) ?? carriedByName.get(job.name)).filter((job): job is JobPlan => job !== undefined)
    const placed = new Set(ordered.map((job) => job.name))
    return [...ordered, ...jobs.filter((job) => !placed.has(job.name))]
  }
  const naturalEnd = Math.max(effectiveStart, ...orderOf(own).map((job) => job.end))

  let cancelledAt: number | null = null
  if (cancelRequestedAt !== undefined && cancelRequestedAt + CANCEL_DELAY_SECONDS < naturalEnd) {
    const cancelAt = cancelRequestedAt + CANCEL_DELAY_SECONDS
    cancelledAt = cancelAt
    own = own.filter((job) => job.created <= cancelAt).map((job) => cancelJob(job, cancelAt))
  }
  const effective = orderOf(own)
  const firstStart = Math.min(...own.filter((job) => job.ran).map((job) => job.start), cancelledAt ?? naturalEnd)
  const end = cancelledAt ?? naturalEnd
  let conclusion: RunConclusion = 'success'
  if (cancelledAt !== null) conclusion = 'cancelled'
  else if (effective.some((job) => job.conclusion === 'failure')) conclusion = 'failure'
  else if (effective.some((job) => job.conclusion === 'cancelled')) conclusion = 'cancelled'
  // "skipped applies to the [run's] conclusion only if all jobs in the run were skipped" (a
  // GitHub Actions engineer in actions/github-script#147).
  else if (effective.length > 0 && effective.every((job) => job.conclusion === 'skipped')) conclusion = 'skipped'
  return { attempt, at, hold, own, effective, universe, firstStart, end, conclusion, cancelledAt }
}

/** 'Set up job', the user's steps, 'Complete job', one after another. */
function planSteps(job: JobSpec, start: number): { steps: StepPlan[]; end: number; conclusion: JobConclusion } {
  const steps: StepPlan[] = []
  let t = start
  let conclusion: JobConclusion = 'success'
  const push = (name: string, kind: StepPlan['kind'], seconds: number, stepConclusion: StepConclusion, spec?: StepSpec): void => {
    steps.push({ number: steps.length + 1, name, kind, start: t, end: t + seconds, conclusion: stepConclusion, ...(spec ? { spec } : {}) })
    t += seconds
  }
  push('Set up job', 'setup', 1, 'success')
  for (const step of job.steps) {
    const wanted = step.conclusion ?? 'success'
    if ((conclusion !== 'success' && !step.always) || wanted === 'skipped') {
      push(step.name, 'user', 0, 'skipped', step)
      continue
    }
    push(step.name, 'user', step.seconds, wanted, step)
    if (conclusion === 'success' && (wanted === 'failure' || wanted === 'cancelled')) conclusion = wanted
  }
  push('Complete job', 'complete', 1, 'success')
  return { steps, end: t, conclusion }
}

/** The job as it looks when a cancel takes effect at `at` (no-op if it finished before). */
function cancelJob(job: JobPlan, at: number): JobPlan {
  if (job.end <= at) return job
  if (!job.ran || job.start >= at) {
    return { ...job, start: at, end: at, ran: false, conclusion: 'cancelled', steps: [] }
  }
  const steps = job.steps.map((step): StepPlan => {
    if (step.end <= at) return step
    if (step.start < at) return { ...step, end: at, conclusion: 'cancelled' }
    return { ...step, start: at, end: at, conclusion: 'skipped' }
  })
  return { ...job, end: at, conclusion: 'cancelled', steps }
}

export function jobStatus(job: JobPlan, t: number): JobStatus {
  if (t >= job.end) return 'completed'
  if (job.holdUntil !== null && job.holdStatus !== null && t < job.holdUntil) return job.holdStatus
  if (!job.ran || t < job.start) return 'queued'
  return 'in_progress'
}

export function stepStatus(step: StepPlan, t: number): StepStatus {
  if (t < step.start) return 'queued'
  if (t < step.end) return 'in_progress'
  return 'completed'
}
