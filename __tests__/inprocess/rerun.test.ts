// `rerun` with `wait: true`, in process on a fake clock: the new attempt shows up
// RERUN_DELAY_SECONDS after the POST, and until then GET /runs/{id} still describes the old,
// completed attempt, which is what catches an action that trusts the first "completed" it reads.
import { describe, expect, it } from '@jest/globals'
import { flakyRun, scenario, twoFailuresRun } from '../../__fixtures__/scenarios.js'
import { summaryText } from '../helpers/summary-text.js'
import { benchPerTest, expectClean, parsed, writes } from './setup.js'

const start = benchPerTest()

describe('rerun and wait', () => {
  it('re-runs the failed jobs of a flaky run, waits for the new attempt and reports it green', async () => {
    const bench = await start(scenario([flakyRun(510, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '510', wait: 'true', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/510/rerun-failed-jobs'])
    expect(run.outputs).toMatchObject({ reran: 'true', 'run-attempt': '2', conclusion: 'success', result: 'success' })
    expect(parsed<{ name: string; run_attempt: number; conclusion: string }[]>(run, 'jobs').map((j) => [j.name, j.run_attempt, j.conclusion])).toEqual([
      ['build', 1, 'success'],
      ['test', 2, 'success']
    ])
    expect(run.log.join('\n')).toContain('a re-run started')
    // Attempts side by side: test failed in attempt 1 and passed in attempt 2.
    expect(run.summary).toContain('attempt 1 → 2')
    expect(run.summary).toContain('Flaky: test failed in attempt 1 and passed in attempt 2.')
    expect(parsed(run, 'flaky')).toEqual(['test'])
    expect(run.summary).toMatch(/\| test \| ❌ \[failure\]\([^)]*\) \| ✅ \[success\]/)
    expect(run.summary).toContain('All 1 awaited run')
    expectClean(run, bench)
  })

  it('waits for a run still going to finish, then re-runs its failed jobs', async () => {
    const bench = await start(scenario([flakyRun(519)]))
    const run = await bench.run({ command: 'rerun', 'run-id': '519', wait: 'true', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(run.log.join('\n')).toContain('Waiting for 1 run(s) still going before re-running')
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/519/rerun-failed-jobs'])
    expect(run.outputs.conclusion).toBe('success')
    expectClean(run, bench)
  })
})

describe('flaky output', () => {
  it('lists the jobs that failed before and passed in the new attempt, in the output and the summary', async () => {
    const bench = await start(scenario([twoFailuresRun(542, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '542', wait: 'true', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/542/rerun-failed-jobs'])
    expect(parsed(run, 'flaky')).toEqual(['lint', 'test (node 22)'])
    expect(summaryText(run.summary)).toContain('2 jobs failed in attempt 1: 2 succeeded in attempt 2.')
    expect(summaryText(run.summary)).toContain('Flaky: lint, test (node 22) failed in attempt 1 and passed in attempt 2.')
    expectClean(run, bench)
  })

  it('is [] when the re-run fails again', async () => {
    const bench = await start(scenario([flakyRun(541, { at: -30, failAgain: true })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '541', wait: 'true', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('failure')
    expect(parsed(run, 'flaky')).toEqual([])
    expect(run.summary).toContain('Job test failed in attempt 1 and failed again in attempt 2.')
    expect(run.summary).not.toContain('Flaky:')
  })

  it('is [] without wait: true (nothing was seen to pass)', async () => {
    const bench = await start(scenario([flakyRun(543, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '543' })
    expect(run.outputs).toMatchObject({ reran: 'true', flaky: '[]' })
    expect(run.summary).not.toContain('Flaky:')
  })
})
