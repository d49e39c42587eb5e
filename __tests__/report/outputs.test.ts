import { describe, expect, it } from '@jest/globals'
import { aJob, anExcerpt, aReport, aRun, aStep, at, T0 } from '../../__fixtures__/runs.js'
import type { RunReport } from '../../src/github/types.js'
import { buildOutputs, CONCLUSION_SEVERITY, worstConclusion, type RunStanding } from '../../src/report/outputs.js'

const allowed = new Set(['success', 'skipped', 'neutral'])
const nowMs = T0 + 1_000_000

function runReport(id: number, status: string, conclusion: string | null): RunReport {
  return aReport({ run: aRun({ id, status, conclusion, htmlUrl: `https://github.com/acme/app/actions/runs/${id}` }) })
}

describe('worstConclusion', () => {
  it('picks by severity', () => {
    expect(worstConclusion(['success', 'cancelled', 'failure', 'skipped'])).toBe('failure')
    expect(worstConclusion(['timed_out', 'startup_failure'])).toBe('startup_failure')
    expect(worstConclusion(['neutral', 'stale', 'action_required'])).toBe('action_required')
    expect(worstConclusion([])).toBeNull()
    expect(CONCLUSION_SEVERITY[0]).toBe('startup_failure')
  })

  it('ranks an unknown conclusion just below failure', () => {
    expect(worstConclusion(['timed_out', 'exploded'])).toBe('exploded')
    expect(worstConclusion(['exploded', 'failure'])).toBe('failure')
  })
})

describe('buildOutputs', () => {
  it('aggregates status and conclusion over runs', () => {
    const out = (reports: RunReport[]) => {
      const o = buildOutputs(reports, { nowMs, allowedConclusions: allowed })
      return [o.status, o.conclusion]
    }
    expect(out([runReport(1, 'completed', 'success'), runReport(2, 'completed', 'skipped')])).toEqual(['completed', 'success'])
    expect(out([runReport(1, 'completed', 'cancelled'), runReport(2, 'completed', 'failure')])).toEqual(['completed', 'failure'])
    // A failure is known before the others finish; success is not.
    expect(out([runReport(1, 'completed', 'failure'), runReport(2, 'in_progress', null)])).toEqual(['in_progress', 'failure'])
    expect(out([runReport(1, 'completed', 'success'), runReport(2, 'in_progress', null)])).toEqual(['in_progress', ''])
    expect(out([runReport(1, 'waiting', null), runReport(2, 'queued', null), runReport(3, 'in_progress', null)])).toEqual(['queued', ''])
    expect(out([runReport(1, 'pending', null), runReport(2, 'queued', null)])).toEqual(['pending', ''])
    expect(out([])).toEqual(['', ''])
  })

  it('uses conclusionOf when given', () => {
    const o = buildOutputs([runReport(1, 'completed', 'failure')], {
      nowMs,
      allowedConclusions: allowed,
      conclusionOf: () => 'success'
    })
    expect(o.conclusion).toBe('success')
  })

  it('standingOf: an undecided run keeps the conclusion open; a run that does not count is left out', () => {
    const reports = [runReport(1, 'completed', 'success'), runReport(2, 'completed', 'failure'), runReport(3, 'in_progress', null)]
    const conclusion = (standings: Record<number, RunStanding>) =>
      buildOutputs(reports, { nowMs, allowedConclusions: allowed, standingOf: (r) => standings[r.run.id] ?? { kind: 'not-counted' } }).conclusion
    const success: RunStanding = { kind: 'concluded', conclusion: 'success' }
    expect(conclusion({ 1: success, 2: success, 3: success })).toBe('success')
    expect(conclusion({ 1: success, 2: success, 3: { kind: 'undecided' } })).toBe('')
    expect(conclusion({ 1: success, 2: success, 3: { kind: 'not-counted' } })).toBe('success')
    expect(conclusion({ 1: success, 2: { kind: 'concluded', conclusion: 'failure' }, 3: { kind: 'undecided' } })).toBe('failure')
    expect(conclusion({})).toBe('')
  })

  it('describes the runs, the jobs and what failed', () => {
    const steps = [
      aStep({ number: 1, name: 'Set up job', startedAt: at(2), completedAt: at(4) }),
      aStep({ number: 2, name: 'Test', conclusion: 'failure', startedAt: at(4), completedAt: at(60) })
    ]
    const report = aReport({
      run: aRun({ id: 77, name: 'CI', attempt: 2, conclusion: 'failure', runStartedAt: at(0) }),
      jobs: [
        aJob({
          id: 1,
          runId: 77,
          runAttempt: 2,
          name: 'test',
          conclusion: 'failure',
          createdAt: at(0),
          startedAt: at(2),
          completedAt: at(61),
          htmlUrl: 'https://x/j/1',
          steps
        }),
        aJob({ id: 2, runId: 77, runAttempt: 1, name: 'lint', createdAt: at(0), startedAt: at(3), completedAt: at(30), htmlUrl: 'https://x/j/2' }),
        aJob({ id: 3, runId: 77, runAttempt: 2, name: 'e2e', conclusion: 'cancelled', createdAt: at(0), startedAt: null, completedAt: at(5), htmlUrl: null })
      ],
      excerpts: new Map([['1:2', anExcerpt({ jobId: 1, stepNumber: 2, errorLines: ['boom'] })]])
    })
    const o = buildOutputs([report, runReport(78, 'in_progress', null)], { nowMs, allowedConclusions: allowed })
    expect(o['run-id']).toBe('77')
    expect(o['run-url']).toBe('https://github.com/acme/app/actions/runs/1001')
    expect(o['run-attempt']).toBe('2')
    expect(JSON.parse(o['run-ids'] ?? '')).toEqual([77, 78])
    expect(JSON.parse(o.runs ?? '')[0]).toEqual({
      id: 77,
      name: 'CI',
      url: 'https://github.com/acme/app/actions/runs/1001',
      attempt: 2,
      status: 'completed',
      conclusion: 'failure',
      duration_seconds: 61
    })
    expect(JSON.parse(o.jobs ?? '')).toEqual([
      {
        id: 1,
        run_id: 77,
        run_attempt: 2,
        name: 'test',
        status: 'completed',
        conclusion: 'failure',
        started_at: at(2),
        completed_at: at(61),
        duration_seconds: 59,
        queued_seconds: 2,
        url: 'https://x/j/1'
      },
      {
        id: 2,
        run_id: 77,
        run_attempt: 1,
        name: 'lint',
        status: 'completed',
        conclusion: 'success',
        started_at: at(3),
        completed_at: at(30),
        duration_seconds: 27,
        queued_seconds: 3,
        url: 'https://x/j/2'
      },
      {
        id: 3,
        run_id: 77,
        run_attempt: 2,
        name: 'e2e',
        status: 'completed',
        conclusion: 'cancelled',
        started_at: null,
        completed_at: at(5),
        duration_seconds: null,
        queued_seconds: null,
        url: null
      }
    ])
    expect(JSON.parse(o['failed-jobs'] ?? '')).toEqual(['test', 'e2e'])
    expect(JSON.parse(o['failed-steps'] ?? '')).toEqual([{ job: 'test', job_id: 1, step: 'Test', number: 2, conclusion: 'failure', errors: ['boom'] }])
    expect(o.status).toBe('in_progress')
    expect(o.conclusion).toBe('failure')
  })

  it('names a failed job once across runs', () => {
    const failing = (id: number) => aReport({ run: aRun({ id, conclusion: 'failure' }), jobs: [aJob({ id, name: 'build', conclusion: 'failure' })] })
    expect(buildOutputs([failing(1), failing(2)], { nowMs, allowedConclusions: allowed })['failed-jobs']).toBe('["build"]')
  })
})
