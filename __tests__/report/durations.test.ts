import { describe, expect, it } from '@jest/globals'
import { at, aJob, aRun, aStep, T0 } from '../../__fixtures__/runs.js'
import { formatDuration, jobDurationMs, jobQueuedMs, parseTime, runDurationMs, stepDurationMs } from '../../src/report/durations.js'

describe('parseTime', () => {
  it('parses ISO timestamps and rejects the rest', () => {
    expect(parseTime('2026-11-21T10:00:00Z')).toBe(T0)
    expect(parseTime('2026-11-21T10:00:00.250Z')).toBe(T0 + 250)
    expect(parseTime(null)).toBeNull()
    expect(parseTime(undefined)).toBeNull()
    expect(parseTime('')).toBeNull()
    expect(parseTime('yesterday')).toBeNull()
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5000, '0s'],
    [Number.NaN, '0s'],
    [400, '0s'],
    [45_000, '45s'],
    [59_600, '1m 00s'],
    [185_000, '3m 05s'],
    [3_600_000, '1h 00m'],
    [3_720_000 + 59_000, '1h 02m'],
    [2 * 86_400_000 + 3 * 3_600_000 + 120_000, '2d 3h']
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('job and step durations', () => {
  const now = T0 + 600_000

  it('measures completed, running and unstarted jobs', () => {
    expect(jobDurationMs(aJob({ startedAt: at(2), completedAt: at(120) }), now)).toBe(118_000)
    expect(jobDurationMs(aJob({ status: 'in_progress', conclusion: null, startedAt: at(60), completedAt: null }), now)).toBe(540_000)
    expect(jobDurationMs(aJob({ status: 'queued', conclusion: null, startedAt: null, completedAt: null }), now)).toBeNull()
  })

  it('measures queue time, to now while still queued', () => {
    expect(jobQueuedMs(aJob({ createdAt: at(0), startedAt: at(7) }), now)).toBe(7000)
    expect(jobQueuedMs(aJob({ status: 'queued', conclusion: null, createdAt: at(100), startedAt: null, completedAt: null }), now)).toBe(500_000)
    expect(jobQueuedMs(aJob({ conclusion: 'skipped', startedAt: null, completedAt: null }), now)).toBeNull()
  })

  it('measures steps the same way', () => {
    expect(stepDurationMs(aStep({ startedAt: at(10), completedAt: at(15) }), now)).toBe(5000)
    expect(stepDurationMs(aStep({ status: 'in_progress', conclusion: null, startedAt: at(590), completedAt: null }), now)).toBe(10_000)
    expect(stepDurationMs(aStep({ status: 'pending', conclusion: null, startedAt: null, completedAt: null }), now)).toBeNull()
  })
})

describe('runDurationMs', () => {
  const now = T0 + 1_000_000

  it('runs from run_started_at to the last job completion', () => {
    const jobs = [aJob({ completedAt: at(100) }), aJob({ completedAt: at(250) })]
    expect(runDurationMs(aRun({ runStartedAt: at(0), updatedAt: at(900) }), jobs, now)).toBe(250_000)
  })

  it('runs to now while in progress', () => {
    expect(runDurationMs(aRun({ status: 'in_progress', conclusion: null, runStartedAt: at(400) }), [], now)).toBe(600_000)
  })

  it('ignores jobs carried over from an earlier attempt and falls back to updated_at', () => {
    const carried = [aJob({ runAttempt: 1, completedAt: at(50) })]
    expect(runDurationMs(aRun({ attempt: 2, runStartedAt: at(500), updatedAt: at(530) }), carried, now)).toBe(30_000)
  })

  it('is unknown before the run starts', () => {
    expect(runDurationMs(aRun({ status: 'queued', runStartedAt: null }), [], now)).toBeNull()
  })
})
