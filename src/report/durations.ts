// Times and durations of runs, jobs and steps, from the ISO timestamps GitHub gives
// (second precision for jobs and steps). Everything takes `nowMs` so results are reproducible.

import type { Job, Run, Step } from '../github/types.js'

/** Milliseconds since the epoch, or null for a missing or unparsable timestamp. */
export function parseTime(iso: string | null | undefined): number | null {
  if (iso == null || iso === '') return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

/** When a run's attempt started (`run_started_at`, else its creation); null when neither parses. */
export function runStartMs(run: Pick<Run, 'runStartedAt' | 'createdAt'>): number | null {
  return parseTime(run.runStartedAt) ?? parseTime(run.createdAt)
}

// Unit sizes in seconds.
const MINUTE = 60
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** `0s`, `45s`, `3m 05s`, `1h 02m`, `2d 3h`: two units at most, enough to compare at a glance. */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.round(ms / 1000) : 0
  if (total < MINUTE) return `${total}s`
  if (total < HOUR) return `${Math.floor(total / MINUTE)}m ${pad(total % MINUTE)}s`
  if (total < DAY) return `${Math.floor(total / HOUR)}h ${pad(Math.floor((total % HOUR) / MINUTE))}m`
  return `${Math.floor(total / DAY)}d ${Math.floor((total % DAY) / HOUR)}h`
}

/** `10:42 UTC`: the time of day a reader compares with the clock (UTC, as the runner logs). */
export function clockTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** Something that starts and completes: a job or a step. */
interface Timed {
  status: string
  startedAt: string | null
  completedAt: string | null
}

function elapsedMs(item: Timed, nowMs: number): number | null {
  const started = parseTime(item.startedAt)
  if (started === null) return null
  const completed = parseTime(item.completedAt)
  if (completed !== null) return Math.max(0, completed - started)
  // Started but not completed: still running (a completed item without an end is unknown).
  return item.status === 'completed' ? null : Math.max(0, nowMs - started)
}

/** Time the job ran: to its completion, or to now while running; null before it starts. */
export function jobDurationMs(job: Job, nowMs: number): number | null {
  return elapsedMs(job, nowMs)
}

/** Time the job waited for a runner: created → started, or created → now while still queued. */
export function jobQueuedMs(job: Job, nowMs: number): number | null {
  const created = parseTime(job.createdAt)
  if (created === null) return null
  const started = parseTime(job.startedAt)
  if (started !== null) return Math.max(0, started - created)
  return job.status === 'completed' ? null : Math.max(0, nowMs - created)
}

export function stepDurationMs(step: Step, nowMs: number): number | null {
  return elapsedMs(step, nowMs)
}

/**
 * Wall time of the run's attempt: from `run_started_at` to the last job completion, or to now
 * while it runs. Falls back to `updated_at` when no job of this attempt recorded an end.
 */
export function runDurationMs(run: Run, jobs: readonly Job[], nowMs: number): number | null {
  const started = parseTime(run.runStartedAt)
  if (started === null) return null
  if (run.status !== 'completed') return Math.max(0, nowMs - started)
  let end: number | null = null
  for (const job of jobs) {
    const completed = parseTime(job.completedAt)
    if (completed !== null && (end === null || completed > end)) end = completed
  }
  // Jobs carried over from an earlier attempt ended before this one started: not an end.
  if (end === null || end < started) end = parseTime(run.updatedAt)
  return end === null ? null : Math.max(0, end - started)
}
