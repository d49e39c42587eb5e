// One clock: a runner whose clock is minutes off gets the same verdicts, at the same moments, as
// one that is right (INTERFACE.md, "Time"). The simulator's clock is skewed from the runner's
// (the fake clock the action waits on), and its payloads and Date headers follow its own clock.
// Each case failed on the code that compared GitHub's timestamps with the runner's clock, for at
// least one skew: the runner ahead (a gate passing before a chained run appeared, a dispatched
// run never found, young runs deleted by `older-than`), or behind (fail-fast late, running
// durations wrong).
import { describe, expect, it } from '@jest/globals'
import { ciRun, deployableScenario, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { RunSpec } from '../simulator/index.js'
import { benchPerTest, expectClean, parsed } from './setup.js'

const start = benchPerTest()

/** GitHub's clock minus the runner's: -90 s is a runner 90 s fast. */
const SKEWS: [string, number][] = [
  ['runner 10 min fast', -600_000],
  ['runner 90 s fast', -90_000],
  ['clocks agree', 0],
  ['runner 90 s slow', 90_000],
  ['runner 10 min slow', 600_000]
]

const gate = { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '2s' }
const onCommit = { headSha: SHA }
const longJob = (name: string, seconds: number, fail = false) => ({
  name,
  queuedSeconds: 0,
  steps: [{ name: `Run ${name}`, seconds, conclusion: fail ? ('failure' as const) : ('success' as const) }]
})

describe.each(SKEWS)('%s', (_name, skewMs) => {
  it('a gate sees the workflow_run chain created 6 s after the first run completed', async () => {
    // CI completes at second 12; the chained run is created at 18.
    const ci: RunSpec = { id: 4101, workflow: 'ci.yml', sha: SHA, attempts: [{ at: 0, jobs: [longJob('build', 10)] }] }
    const chained = ciRun(4102, { workflow: 'deploy.yml', fail: true, at: 18 })
    const bench = await start(scenario([ci, chained]), { skewMs })
    const run = await bench.run(gate, onCommit)
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([4101, 4102])
    expect(run.verdict.result).toBe('failure')
    expectClean(run, bench)
  })

  it('fail-fast notices a failed job within 40 s, not when its run ends', async () => {
    // The test job fails at about 20 s; the build job keeps the run going for 10 minutes.
    const run1: RunSpec = { id: 4201, workflow: 'ci.yml', sha: SHA, attempts: [{ at: 0, jobs: [longJob('build', 600), longJob('flaky test', 20, true)] }] }
    const bench = await start(scenario([run1]), { skewMs })
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s' }, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'flaky test' failure")
    // The job ended at about 22 s (set-up, then 20 s); the wait started with the run.
    expect(run.tookMs).toBeLessThanOrEqual(22_000 + 40_000)
  })

  it('dispatch without run details finds the run it started', async () => {
    const bench = await start(deployableScenario([]), { skewMs, dispatchAnswer: 'no-content' })
    const run = await bench.run({ command: 'dispatch', workflow: 'deploy.yml', inputs: '{"environment": "staging"}' })
    expect(run.verdict).toEqual({ result: 'success' })
    expect(run.outputs['run-id']).toMatch(/^\d+$/)
    expectClean(run, bench)
  })

  it('delete older-than deletes what is older on GitHub’s clock, and nothing younger', async () => {
    // Made 9, 11 and 30 minutes before the start, all completed: older-than 10m deletes two.
    const bare = (id: number, minutes: number): RunSpec => ({ id, workflow: 'ci.yml', attempts: [{ at: -minutes * 60, jobs: [longJob('build', 1)] }] })
    const bench = await start(scenario([bare(4301, 9), bare(4302, 11), bare(4303, 30)]), { skewMs })
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '10m', 'dry-run': 'true' })
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([4302, 4303])
    expect(run.log.filter((line) => line.includes('dry run: the run would be deleted'))).toHaveLength(2)
    expectClean(run, bench)
  })

  it('the summary of a run still going gives its jobs’ durations on GitHub’s clock', async () => {
    // Started 100 s before the look, still building for 10 minutes.
    const going: RunSpec = { id: 4401, workflow: 'ci.yml', sha: SHA, attempts: [{ at: -100, jobs: [longJob('build', 600)] }] }
    const bench = await start(scenario([going]), { skewMs })
    const run = await bench.run({ command: 'summarize', 'run-id': '4401' })
    const jobs = parsed<{ name: string; status: string; duration_seconds: number; queued_seconds: number | null }[]>(run, 'jobs')
    expect(jobs).toHaveLength(1)
    expect(jobs[0]?.status).toBe('in_progress')
    // Set-up takes a second or so: the job has been going for about 99 s.
    expect(jobs[0]?.duration_seconds).toBeGreaterThanOrEqual(95)
    expect(jobs[0]?.duration_seconds).toBeLessThanOrEqual(101)
    const runs = parsed<{ duration_seconds: number }[]>(run, 'runs')
    expect(runs[0]?.duration_seconds).toBeGreaterThanOrEqual(95)
    expect(runs[0]?.duration_seconds).toBeLessThanOrEqual(101)
    expectClean(run, bench)
  })
})

describe('dispatch without run details, a candidate seen just before appear-timeout', () => {
  it('gets its rival window (within timeout), and the run is found', async () => {
    // The run shows 2 s after the dispatch, at the first look; appear-timeout ends at 3 s, the
    // rival window at 8 s.
    const bench = await start(deployableScenario([]), { dispatchAnswer: 'no-content' })
    const run = await bench.run({ command: 'dispatch', workflow: 'deploy.yml', inputs: '{"environment": "staging"}', 'appear-timeout': '3s' })
    expect(run.verdict).toEqual({ result: 'success' })
    expect(run.outputs['run-id']).toMatch(/^\d+$/)
  })

  it('when the timeout cuts the rival window, it says a run appeared, never that none did', async () => {
    const bench = await start(deployableScenario([]), { dispatchAnswer: 'no-content' })
    const run = await bench.run({ command: 'dispatch', workflow: 'deploy.yml', inputs: '{"environment": "staging"}', 'appear-timeout': '3s', timeout: '4s' })
    expect(run.verdict.result).toBe('failure')
    const message = run.verdict.result === 'failure' ? run.verdict.message : ''
    expect(message).not.toContain('no run')
    expect(message).toMatch(/run\(s\) \d+ of deploy\.yml on main appeared, but the timeout ended/)
  })
})
