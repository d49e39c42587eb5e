// `rerun` in process on a fake clock: with `wait: true` (and the `flaky` output), and with
// `rerun-if` (which runs' failures are re-run). The new attempt shows up
// RERUN_DELAY_SECONDS after the POST, and until then GET /runs/{id} still describes the old,
// completed attempt, which is what catches an action that trusts the first "completed" it reads.
import { describe, expect, it } from '@jest/globals'
import { flakyRun, NETWORK_FAILURE_LOG, scenario, twoFailuresRun } from '../../__fixtures__/scenarios.js'
import { summaryText } from '../helpers/summary-text.js'
import type { InProcessRun } from './harness.js'
import { benchPerTest, expectClean, parsed, writes } from './setup.js'

/** The job logs the run asked the API for, by job id. */
function logsRead(run: InProcessRun): number[] {
  return run.requests.filter((r) => r.origin === 'api' && /\/jobs\/\d+\/logs$/.test(r.path)).map((r) => Number(/jobs\/(\d+)/.exec(r.path)?.[1]))
}

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

describe('rerun-if', () => {
  // Job ids are runId*100000 + attempt*1000 + index; in a CI run, test is index 1.
  const testJobId = (runId: number): number => runId * 100000 + 1000 + 1

  it("re-runs once when the failure matches, reading only the failed job's log", async () => {
    const bench = await start(scenario([flakyRun(530, { at: -30, log: NETWORK_FAILURE_LOG })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '530', 'rerun-if': 'ECONNRESET|ETIMEDOUT' })
    expect(run.error).toBeNull()
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/530/rerun-failed-jobs'])
    expect(logsRead(run)).toEqual([testJobId(530)])
    expect(run.outputs).toMatchObject({ reran: 'true', flaky: '[]' })
    expect(run.log.join('\n')).toMatch(
      /attempt 2 requested: re-running failed jobs 'test' .*; every failure matches rerun-if \(test: "…example\/list failed, reason: connect ECONNRESET 10\.0\.0\.7:443"\)/
    )
    expectClean(run, bench)
  })

  it('matches error lines too, and /…/i flags', async () => {
    const bench = await start(scenario([flakyRun(531, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '531', 'rerun-if': '/PROCESS COMPLETED WITH EXIT CODE 1/i', 'log-lines': '1' })
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/531/rerun-failed-jobs'])
    expect(run.log.join('\n')).toContain('every failure matches rerun-if (test: "Process completed with exit code 1.")')
  })

  it('matches a failed job or step name without reading any log', async () => {
    const bench = await start(scenario([flakyRun(532, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '532', 'rerun-if': '^Run npm test$' })
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/532/rerun-failed-jobs'])
    expect(logsRead(run)).toEqual([])
    expect(run.log.join('\n')).toContain('every failure matches rerun-if (test: "Run npm test")')
  })

  it('leaves a run alone when its failure does not match: skipped, naming the job and step, no write', async () => {
    const bench = await start(scenario([flakyRun(533, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '533', 'rerun-if': 'ECONNRESET' })
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual([])
    expect(logsRead(run)).toEqual([testJobId(533)])
    expect(run.outputs).toMatchObject({ reran: 'false', flaky: '[]' })
    const detail = "not re-run: job 'test' › step 'Run npm test' has no failure line matching rerun-if"
    expect(run.log.join('\n')).toContain(detail)
    expect(run.summary).toContain('➖ skipped')
    expect(summaryText(run.summary)).toContain(detail)
    expectClean(run, bench)
  })

  it('does not re-run when only one of two failed jobs matches, naming the one that does not', async () => {
    const bench = await start(scenario([twoFailuresRun(534, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '534', 'rerun-if': 'ECONNRESET' })
    expect(writes(run)).toEqual([])
    // Both failed jobs' logs are read; build, which passed, is not.
    expect(logsRead(run).sort()).toEqual([534 * 100000 + 1000 + 1, 534 * 100000 + 1000 + 2])
    expect(run.outputs.reran).toBe('false')
    expect(run.log.join('\n')).toContain("not re-run: job 'lint' › step 'Run npm run lint' has no failure line matching rerun-if")
  })

  it('re-runs a run with two failed jobs when both match', async () => {
    const bench = await start(scenario([twoFailuresRun(535, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '535', 'rerun-if': 'ECONNRESET|prefer-const' })
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/535/rerun-failed-jobs'])
    expect(run.log.join('\n')).toMatch(/every failure matches rerun-if \(lint: ".*prefer-const"; test \(node 22\): ".*ECONNRESET.*"\)/)
  })

  it('dry run: says it would re-run, or why it would not, and sends nothing', async () => {
    const bench = await start(scenario([flakyRun(536, { at: -30, log: NETWORK_FAILURE_LOG }), flakyRun(537, { at: -20 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '536 537', 'rerun-if': 'ECONNRESET', 'dry-run': 'true' })
    expect(writes(run)).toEqual([])
    expect(run.outputs.reran).toBe('false')
    const log = run.log.join('\n')
    expect(log).toMatch(/run 536.*dry run: would re-run: every failure matches rerun-if \(test: .*\); would request attempt 2, re-running failed jobs 'test'/)
    expect(log).toContain("dry run: would not re-run: job 'test' › step 'Run npm test' has no failure line matching rerun-if")
    expect(run.summary).toContain('📝 would do')
  })

  it('refuses a bad pattern before any request, naming the input and the value', async () => {
    const bench = await start(scenario([flakyRun(538, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '538', 'rerun-if': 'connect (ECONNRESET' })
    expect(run.error).toMatch(/^Input 'rerun-if' has an invalid value 'connect \(ECONNRESET': not a valid JavaScript regular expression/)
    expect(run.requests).toEqual([])
  })

  it('a log that cannot be read is no match: not re-run, saying so', async () => {
    const bench = await start(scenario([flakyRun(539, { at: -30, log: NETWORK_FAILURE_LOG })]))
    bench.sim.inject({ method: 'GET', path: /\/jobs\/\d+\/logs$/, kind: 'status', status: 404, times: 10, body: { message: 'Not Found' } })
    const run = await bench.run({ command: 'rerun', 'run-id': '539', 'rerun-if': 'ECONNRESET' })
    expect(writes(run)).toEqual([])
    expect(run.log.join('\n')).toContain("not re-run: the log of job 'test' › step 'Run npm test' could not be read, so whether it matches rerun-if is unknown")
  })

  it('with wait: true, re-runs, waits for the new attempt and names the flaky job', async () => {
    const bench = await start(scenario([flakyRun(540, { at: -30, log: NETWORK_FAILURE_LOG })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '540', 'rerun-if': 'ECONNRESET', wait: 'true', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/540/rerun-failed-jobs'])
    expect(parsed(run, 'flaky')).toEqual(['test'])
    expect(run.summary).toContain('Flaky: test failed in attempt 1 and passed in attempt 2.')
    expectClean(run, bench)
  })
})
