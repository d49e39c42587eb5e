// `wait` end to end: the built action against the simulator, on a real clock.
import { describe, expect, it } from '@jest/globals'
import { ciRun, ok, scenario } from '../../__fixtures__/scenarios.js'
import { counted, runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest } from './setup.js'

const startSimulator = simulatorPerTest()

describe('wait', () => {
  it('waits for a run that succeeds and reports it', async () => {
    const sim = await startSimulator(scenario([ciRun(500)]))
    const run = await runAction(sim, { command: 'wait', 'run-id': '500', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('completed')
    expect(run.outputs.conclusion).toBe('success')
    expect(run.outputs['run-id']).toBe('500')
    expect(JSON.parse(run.outputs['run-ids'] ?? '')).toEqual([500])
    const jobs = JSON.parse(run.outputs.jobs ?? '[]') as { name: string; conclusion: string }[]
    expect(jobs.map((j) => [j.name, j.conclusion])).toEqual([
      ['build', 'success'],
      ['test', 'success']
    ])
    expect(JSON.parse(run.outputs['failed-jobs'] ?? '')).toEqual([])
    // It really waited: the run takes several seconds and the log shows the jobs as they finished.
    expect(run.log).toMatch(/build: success/)
    expect(run.log).toMatch(/test: success/)
    expect(run.summary).toContain('build')
    expect(run.summary).toContain('```mermaid')
    expectCleanRun(run, sim)
  })

  it('fails on a failing run, naming the failed job and step and quoting the error line', async () => {
    const sim = await startSimulator(scenario([ciRun(501, { fail: true })]))
    const run = await runAction(sim, { command: 'wait', 'run-id': '501', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.conclusion).toBe('failure')
    expect(JSON.parse(run.outputs['failed-jobs'] ?? '')).toEqual(['test'])
    const steps = JSON.parse(run.outputs['failed-steps'] ?? '[]') as { job: string; step: string; errors: string[] }[]
    expect(steps).toHaveLength(1)
    expect(steps[0]).toMatchObject({ job: 'test', step: 'Run npm test' })
    expect(steps[0]?.errors).toContain('Process completed with exit code 1.')
    expect(run.summary).toContain('Process completed with exit code 1.')
    // The context before the error line comes from the log, fetched from the storage host.
    expect(run.summary).toContain('Expected: 90')
    expect(run.log).toContain("::error::")
    expect(run.requests.some((r) => r.origin === 'logs' && r.status === 200)).toBe(true)
    expectCleanRun(run, sim)
  })

  it('times out, fails the step, still writes the summary, and cancels when asked', async () => {
    const slow = ciRun(502)
    slow.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 600))
    const sim = await startSimulator(scenario([slow]))
    const run = await runAction(sim, {
      command: 'wait',
      'run-id': '502',
      'poll-interval': '1s',
      timeout: '4s',
      'cancel-on-timeout': 'true'
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/Timed out after \d+s waiting for CI #\d+ \(run 502/)
    expect(run.outputs.status).toBe('in_progress')
    expect(run.outputs.conclusion).toBe('')
    expect(run.summary).toContain('Timed out')
    expect(run.summary).toMatch(/build/)
    expect(run.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/actions/runs/502/cancel'))).toHaveLength(1)
    expectCleanRun(run, sim)
  })

  it('follows a re-run: a new attempt re-arms the wait', async () => {
    const flaky = ciRun(550, { fail: true })
    flaky.attempts.push({ at: 9, rerun: 'failed', jobs: [{ name: 'test', steps: [ok('Run npm test', 1)] }] })
    const long = ciRun(551, { workflow: 'lint.yml' })
    long.attempts[0]!.jobs[0]!.steps.push(ok('Run a long lint', 14))
    const sim = await startSimulator(scenario([flaky, long]))
    const run = await runAction(sim, {
      command: 'wait',
      'run-id': '550 551',
      'poll-interval': '1s',
      'fail-fast': 'false'
    })
    expect(run.log).toContain('a re-run started')
    expect(run.exitCode).toBe(0)
    const runs = JSON.parse(run.outputs.runs ?? '[]') as { id: number; attempt: number; conclusion: string }[]
    expect(runs.find((r) => r.id === 550)).toMatchObject({ attempt: 2, conclusion: 'success' })
  })

  it('stops at the first failed job with fail-fast, before the run ends', async () => {
    const run550 = ciRun(560, { fail: true })
    run550.attempts[0]!.jobs.push({ name: 'slow docs', steps: [ok('Run docs', 120)] })
    const sim = await startSimulator(scenario([run550]))
    const run = await runAction(sim, { command: 'wait', 'run-id': '560', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/job 'test' failure, step 'Run npm test'/)
    expect(run.outputs.status).toBe('in_progress')
    // The job list is re-read at least every 30 s, so the failure is seen well before the run ends.
    expect(run.ms).toBeLessThan(60_000)
  })

  it('waits only for the jobs named in `job`', async () => {
    const mixed = ciRun(570)
    mixed.attempts[0]!.jobs.push({ name: 'nightly soak', steps: [ok('Run soak', 120)] })
    const sim = await startSimulator(scenario([mixed]))
    const run = await runAction(sim, { command: 'wait', 'run-id': '570', job: 'b*ld, tes?', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.conclusion).toBe('success')
    expect(run.outputs.status).toBe('in_progress')
  })

  it('polls with conditional requests, so unchanged polls cost nothing', async () => {
    const sim = await startSimulator(scenario([ciRun(580)]))
    const run = await runAction(sim, { command: 'wait', 'run-id': '580', 'poll-interval': '1s', 'log-lines': '0' })
    expect(run.exitCode).toBe(0)
    const api = run.requests.filter((r) => r.origin === 'api')
    const notModified = api.filter((r) => r.status === 304)
    expect(notModified.length).toBeGreaterThan(0)
    expect(notModified.every((r) => r.conditional && !r.counted)).toBe(true)
    // Every poll after the first is conditional.
    const gets = api.filter((r) => r.method === 'GET')
    const firstSeen = new Set<string>()
    for (const r of gets) {
      const key = `${r.path}?${new URLSearchParams(r.query).toString()}`
      if (firstSeen.has(key)) expect(r.conditional).toBe(true)
      firstSeen.add(key)
    }
    expect(counted(run).length).toBeLessThan(api.length)
  })
})
