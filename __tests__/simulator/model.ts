// Clock-derived state. Each attempt gets a *plan* (absolute virtual times of every job and step),
// a pure function of the specs and of cancel events; the state a request sees is that plan
// projected onto the virtual now. Nothing mutates on a timer, so every request sees a consistent
// picture and ETags change exactly when the projected state does.
import type { AttemptSpec, JobSpec, RunSpec, StepConclusion, StepSpec } from './scenario.js'

export type HoldStatus = 'waiting' | 'pending'
export type JobConclusion = 'success' | 'failure' | 'cancelled' | 'skipped'
export type RunConclusion = 'success' | 'failure' | 'cancelled' | 'action_required' | 'startup_failure'

/** A cancel takes effect this many virtual seconds after it was requested. */
export const CANCEL_DELAY_SECONDS = 2

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
  /** A runner picked the job up (false: skipped by needs, or cancelled before it started). */
  ran: boolean
  conclusion: JobConclusion
  steps: StepPlan[]
}

export interface AttemptPlan {
  attempt: number
  at: number
  hold: AttemptSpec['hold'] | undefined
  /** Executions created by this attempt. */
  own: JobPlan[]
  /** Latest execution of each job as of this attempt (own + carried over by a failed-jobs re-run). */
  effective: JobPlan[]
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

/** One run: its spec, its run number, and the cancel requests it received. */
export class RunModel {
  private readonly cancels = new Map<number, number>()
  private readonly plans = new Map<number, AttemptPlan>()

  constructor(
    readonly spec: RunSpec,
    readonly runNumber: number
  ) {}

  get createdAt(): number {
    return this.spec.attempts[0]?.at ?? 0
  }

  visible(t: number): boolean {
    return t >= this.createdAt
  }

  /** The attempt number GET /runs/{id} describes at `t` (0 if the run does not exist yet). */
  latestAttempt(t: number): number {
    if (this.spec.outcome) return this.visible(t) ? 1 : 0
    let latest = 0
    this.spec.attempts.forEach((attempt, i) => {
      if (attempt.at <= t) latest = i + 1
    })
    return latest
  }

  plan(attempt: number): AttemptPlan {
    const cached = this.plans.get(attempt)
    if (cached) return cached
    const previous = attempt > 1 ? this.plan(attempt - 1) : undefined
    const plan = planAttempt(this.spec, attempt, previous, this.cancels.get(attempt))
    this.plans.set(attempt, plan)
    return plan
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

  /**
   * Records a cancel request at `t` for the latest attempt. Returns false when that attempt has
   * already completed (GitHub answers 409).
   */
  cancel(t: number): boolean {
    const attempt = this.latestAttempt(t)
    if (attempt === 0 || this.runState(attempt, t).status === 'completed') return false
    if (!this.cancels.has(attempt)) {
      this.cancels.set(attempt, t)
      // Plans of this attempt and of later ones (which carry its jobs over) are now stale.
      for (const key of [...this.plans.keys()]) if (key >= attempt) this.plans.delete(key)
    }
    return true
  }

  /** Every execution created up to attempt `upTo` (for filter=all), in attempt then job order. */
  allExecutions(upTo: number): JobPlan[] {
    const out: JobPlan[] = []
    for (let n = 1; n <= upTo; n++) out.push(...this.plan(n).own)
    return out
  }

  findJob(id: number): JobPlan | undefined {
    const { attempt, index } = decodeJobId(id)
    if (attempt < 1 || attempt > this.spec.attempts.length || this.spec.outcome) return undefined
    return this.plan(attempt).own.find((job) => job.index === index)
  }
}

function planAttempt(run: RunSpec, attempt: number, previous: AttemptPlan | undefined, cancelRequestedAt: number | undefined): AttemptPlan {
  const spec = run.attempts[attempt - 1]
  if (!spec) throw new Error(`run ${run.id} has no attempt ${attempt}`)
  if (run.outcome) {
    // action_required / startup_failure: completed at creation, nothing ever runs.
    return { attempt, at: spec.at, hold: undefined, own: [], effective: [], firstStart: spec.at, end: spec.at, conclusion: run.outcome, cancelledAt: null }
  }
  const hold = spec.hold && spec.hold.until > spec.at ? spec.hold : undefined
  const ownNames = new Set(spec.jobs.map((job) => job.name))
  const carried = attempt > 1 && spec.rerun === 'failed' && previous ? previous.effective.filter((job) => !ownNames.has(job.name)) : []
  const carriedByName = new Map(carried.map((job) => [job.name, job]))

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
    const created = Math.max(spec.at, ...needs.map((need) => need.end))
    const base = {
      id: jobId(run.id, attempt, index),
      runId: run.id,
      attempt,
      index,
      name: job.name,
      spec: job,
      created,
      holdUntil: hold && created < hold.until ? hold.until : null,
      holdStatus: hold && created < hold.until ? hold.status : null
    }
    let plan: JobPlan
    if (needs.some((need) => need.conclusion !== 'success')) {
      plan = { ...base, start: created, end: created, ran: false, conclusion: 'skipped', steps: [] }
    } else {
      const start = Math.max(created, base.holdUntil ?? created) + (job.queuedSeconds ?? 1)
      const { steps, end, conclusion } = planSteps(job, start)
      plan = { ...base, start, end, ran: true, conclusion, steps }
    }
    planned.set(job.name, plan)
    return plan
  }
  let own = spec.jobs.map(planJob)

  const effectiveStart = Math.max(spec.at, hold?.until ?? spec.at)
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
    const at = cancelRequestedAt + CANCEL_DELAY_SECONDS
    cancelledAt = at
    own = own.filter((job) => job.created <= at).map((job) => cancelJob(job, at))
  }
  const effective = orderOf(own)
  const firstStart = Math.min(...own.filter((job) => job.ran).map((job) => job.start), cancelledAt ?? naturalEnd)
  const end = cancelledAt ?? naturalEnd
  let conclusion: RunConclusion = 'success'
  if (cancelledAt !== null) conclusion = 'cancelled'
  else if (effective.some((job) => job.conclusion === 'failure')) conclusion = 'failure'
  else if (effective.some((job) => job.conclusion === 'cancelled')) conclusion = 'cancelled'
  return { attempt, at: spec.at, hold, own, effective, firstStart, end, conclusion, cancelledAt }
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
