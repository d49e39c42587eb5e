// The gate's rules on their own: one run judged from (run, jobs, rules), and the gate over runs.
import { describe, expect, it } from '@jest/globals'
import { aJob, aRun } from '../../__fixtures__/runs.js'
import { judgeGate, judgeRun, type GateEntry, type GateRules, type RunFacts, type RunVerdict } from '../../src/commands/wait/verdict.js'
import type { Job, Run } from '../../src/github/types.js'

const rules: GateRules = { allowed: new Set(['success', 'neutral']), jobPatterns: [], failFast: true }
const facts: RunFacts = { named: false, current: null, settled: false }
const running = aRun({ status: 'in_progress', conclusion: null })
let nextId = 100
const job = (name: string, conclusion: string | null, status = conclusion ? 'completed' : 'in_progress', id = nextId++): Job =>
  aJob({ id, name, status, conclusion })

describe('judgeRun', () => {
  const cases: [string, Run, Job[], Partial<GateRules>, Partial<RunFacts>, RunVerdict['kind'], string][] = [
    ['a completed successful run passes', aRun(), [job('build', 'success')], {}, {}, 'passed', ''],
    ['a failed run fails, naming the failed job', aRun({ conclusion: 'failure' }), [job('test', 'failure')], {}, {}, 'failed', "job 'test' failure"],
    ['a running run waits', running, [job('build', null)], {}, {}, 'waiting', ''],
    ['fail-fast: a failed job fails a running run', running, [job('test', 'failure'), job('docs', null)], {}, {}, 'failed', ''],
    ['without fail-fast a running run with a failed job waits', running, [job('test', 'failure'), job('docs', null)], { failFast: false }, {}, 'waiting', ''],
    ['a job skipped by its `if` does not fail a run', running, [job('deploy', 'skipped'), job('build', null)], {}, {}, 'waiting', ''],
    ['a cancelled job is left to the run', running, [job('test', 'cancelled'), job('build', null)], {}, {}, 'waiting', ''],
    ['completed but jobs unfinished: waits for the job list to settle', aRun(), [job('build', null)], {}, {}, 'waiting', ''],
    ['…and is trusted once settled', aRun(), [job('build', null)], {}, { settled: true }, 'passed', ''],
    ['a run skipped as a whole does not count', aRun({ conclusion: 'skipped' }), [job('build', 'skipped')], {}, {}, 'not-counted', ''],
    ['a skipped run that was named fails', aRun({ conclusion: 'skipped' }), [job('build', 'skipped')], {}, { named: true }, 'failed', ''],
    [
      'a skipped named run passes when skipped is allowed',
      aRun({ conclusion: 'skipped' }),
      [],
      { allowed: new Set(['success', 'skipped']) },
      { named: true },
      'passed',
      ''
    ],
    ['an unknown conclusion is not success', aRun({ conclusion: 'exploded' }), [], {}, {}, 'failed', ''],
    // `job` patterns
    ['awaited jobs done: passes while the run goes on', running, [job('build', 'success'), job('soak', null)], { jobPatterns: ['build'] }, {}, 'passed', ''],
    [
      'an awaited job skipped (its need failed) fails',
      aRun({ conclusion: 'failure' }),
      [job('build', 'failure'), job('deploy', 'skipped')],
      { jobPatterns: ['deploy'] },
      {},
      'failed',
      "job 'deploy' skipped"
    ],
    [
      '…passes when skipped is allowed',
      aRun(),
      [job('deploy', 'skipped')],
      { jobPatterns: ['deploy'], allowed: new Set(['success', 'skipped']) },
      {},
      'passed',
      ''
    ],
    [
      'a pattern not matched yet keeps the gate waiting (needs)',
      running,
      [job('build', 'success')],
      { jobPatterns: ['build', 'deploy'] },
      {},
      'waiting',
      "a job matching 'deploy'"
    ],
    [
      'a pattern unmatched when the run completed fails',
      aRun(),
      [job('build', 'success')],
      { jobPatterns: ['build', 'deploy'] },
      {},
      'failed',
      "no job matches 'job' 'deploy'"
    ],
    ['globs match matrix legs', running, [job('test (a)', 'success'), job('test (b)', null)], { jobPatterns: ['test (*'] }, {}, 'waiting', ''],
    ['fail-fast on an awaited job', running, [job('test (a)', 'failure'), job('test (b)', null)], { jobPatterns: ['test*'] }, {}, 'failed', ''],
    [
      'a failed job that is not awaited does not count',
      aRun({ conclusion: 'failure' }),
      [job('build', 'success'), job('lint', 'failure')],
      { jobPatterns: ['build'] },
      {},
      'passed',
      ''
    ],
    // the current run
    [
      'current run: waits while another job runs',
      running,
      [job('gate', null, 'in_progress', 1), job('build', null)],
      {},
      { current: { ownJobId: 1 } },
      'waiting',
      ''
    ],
    [
      'current run: its own job is left out',
      running,
      [job('gate', null, 'in_progress', 1), job('build', 'success')],
      {},
      { current: { ownJobId: 1 }, settled: true },
      'passed',
      ''
    ],
    [
      'current run: not before the job list settled',
      running,
      [job('gate', null, 'in_progress', 1), job('build', 'success')],
      {},
      { current: { ownJobId: 1 } },
      'waiting',
      ''
    ],
    [
      'current run: a cancelled job fails (nothing replaces it)',
      running,
      [job('gate', null, 'in_progress', 1), job('build', 'cancelled')],
      {},
      { current: { ownJobId: 1 }, settled: true },
      'failed',
      ''
    ]
  ]
  it.each(cases)('%s', (_name, run, jobs, ruleOverrides, factOverrides, kind, detail) => {
    const verdict = judgeRun(run, jobs, { ...rules, ...ruleOverrides }, { ...facts, ...factOverrides })
    expect(verdict.kind).toBe(kind)
    if (detail) expect(JSON.stringify(verdict)).toContain(detail)
  })
})

describe('judgeGate', () => {
  const entry = (run: Run, verdict: RunVerdict): GateEntry => ({ run, verdict })
  const passed: RunVerdict = { kind: 'passed', conclusion: 'success', detail: 'success' }
  const failed: RunVerdict = { kind: 'failed', conclusion: 'failure', detail: 'failure' }
  const cancelled = aRun({ id: 1, conclusion: 'cancelled', createdAt: '2026-11-21T10:00:00Z' })
  const cancelledVerdict: RunVerdict = { kind: 'failed', conclusion: 'cancelled', detail: 'cancelled' }
  const open = { discovering: true, missingWorkflows: [], failFast: true }
  const closed = { ...open, discovering: false }

  it('never passes on nothing', () => expect(judgeGate([], closed)).toEqual({ kind: 'none-found', reason: 'no run' }))
  it('waits while discovery is open', () => expect(judgeGate([entry(aRun(), passed)], open).kind).toBe('waiting'))
  it('finishes once closed and every run is decided', () => expect(judgeGate([entry(aRun(), passed)], closed).kind).toBe('finished'))
  it('fails fast on a failed run even while discovering', () => expect(judgeGate([entry(aRun(), failed)], open).kind).toBe('failed-fast'))
  it('a missing named workflow is not-found', () =>
    expect(judgeGate([entry(aRun(), passed)], { ...closed, missingWorkflows: ['deploy.yml'] }).kind).toBe('none-found'))
  it('only runs that do not count is not-found', () =>
    expect(judgeGate([entry(aRun(), { kind: 'not-counted', detail: 'skipped' })], closed).kind).toBe('none-found'))
  it('a cancelled run does not fail fast while its replacement may still appear', () =>
    expect(judgeGate([entry(cancelled, cancelledVerdict)], open).kind).toBe('waiting'))
  it('a cancelled run replaced by a newer run of its workflow does not count', () => {
    const newer = aRun({ id: 2, createdAt: '2026-11-21T10:01:00Z' })
    expect(judgeGate([entry(cancelled, cancelledVerdict), entry(newer, passed)], closed).kind).toBe('finished')
  })
  it('…but a newer run of another workflow does not replace it', () => {
    const other = aRun({ id: 2, workflowId: 99, createdAt: '2026-11-21T10:01:00Z' })
    expect(judgeGate([entry(cancelled, cancelledVerdict), entry(other, passed)], closed).kind).toBe('failed-fast')
  })
})
