// `wait` on runs given by id, in process on a fake clock against the simulator.
import { describe, expect, it } from '@jest/globals'
import { ciRun, longRun, ok, scenario } from '../../__fixtures__/scenarios.js'
import { TOKEN } from './harness.js'
import { benchPerTest, expectClean, parsed } from './setup.js'
import { expectMermaidParses } from '../mermaid.js'

const start = benchPerTest()

describe('wait on run ids', () => {
  it('waits for a run that succeeds and reports it', async () => {
    const bench = await start(scenario([ciRun(500)]))
    const run = await bench.run({ command: 'wait', 'run-id': '500', 'poll-interval': '1s' })
    expect(run.verdict).toEqual({ result: 'success' })
    expect(run.outputs).toMatchObject({
      status: 'completed',
      conclusion: 'success',
      result: 'success',
      'run-id': '500',
      'run-ids': '[500]',
      'failed-jobs': '[]'
    })
    expect(parsed<{ name: string; conclusion: string }[]>(run, 'jobs').map((j) => [j.name, j.conclusion])).toEqual([
      ['build', 'success'],
      ['test', 'success']
    ])
    // It really waited: the jobs finished one after the other, and the log shows each.
    expect(run.log.join('\n')).toMatch(/build: success[\s\S]*test: success/)
    expect(run.tookMs).toBeGreaterThan(5000)
    expect(await expectMermaidParses(run.summary ?? '')).toBe(1)
    expectClean(run, bench)
  })

  it('fails on a failing run, naming the failed job and step and quoting the error line', async () => {
    const bench = await start(scenario([ciRun(501, { fail: true })]))
    const run = await bench.run({ command: 'wait', 'run-id': '501', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.outputs).toMatchObject({ conclusion: 'failure', result: 'failure', 'failed-jobs': '["test"]' })
    const steps = parsed<{ job: string; step: string; errors: string[] }[]>(run, 'failed-steps')
    expect(steps).toEqual([expect.objectContaining({ job: 'test', step: 'Run npm test', errors: ['Process completed with exit code 1.'] })])
    expect(run.verdict.result === 'failure' && run.verdict.message).toMatch(/job 'test' failure, step 'Run npm test'/)
    // The context before the error line comes from the log, fetched from the storage host.
    expect(run.summary).toContain('Expected: 90')
    expect(run.requests.some((r) => r.origin === 'logs' && r.status === 200)).toBe(true)
    expectClean(run, bench)
  })

  it('times out, says so in `result`, still writes the summary, and cancels when asked', async () => {
    const slow = ciRun(502)
    slow.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 600))
    const bench = await start(scenario([slow]))
    const run = await bench.run({ command: 'wait', 'run-id': '502', 'poll-interval': '1s', timeout: '4s', 'cancel-on-timeout': 'true' })
    expect(run.verdict.result).toBe('timeout')
    expect(run.verdict.result === 'timeout' && run.verdict.message).toMatch(/^Timed out after 4s waiting for CI #1 \(run 502/)
    expect(run.outputs).toMatchObject({ status: 'in_progress', conclusion: '', result: 'timeout' })
    expect(run.summary).toContain('Timed out')
    expect(run.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/actions/runs/502/cancel'))).toHaveLength(1)
    expect(run.tookMs).toBe(4000)
    expectClean(run, bench)
  })

  it('follows a re-run: a new attempt re-arms the wait', async () => {
    const flaky = ciRun(550, { fail: true })
    flaky.attempts.push({ at: 9, rerun: 'failed', jobs: [{ name: 'test', steps: [ok('Run npm test', 1)] }] })
    const long = ciRun(551, { workflow: 'lint.yml' })
    long.attempts[0]!.jobs[0]!.steps.push(ok('Run a long lint', 14))
    const bench = await start(scenario([flaky, long]))
    const run = await bench.run({ command: 'wait', 'run-id': '550 551', 'poll-interval': '1s', 'fail-fast': 'false' })
    expect(run.log.join('\n')).toContain('a re-run started')
    expect(run.verdict.result).toBe('success')
    expect(parsed<{ id: number; attempt: number; conclusion: string }[]>(run, 'runs').find((r) => r.id === 550)).toMatchObject({
      attempt: 2,
      conclusion: 'success'
    })
  })

  it('stops at the first failed job with fail-fast, before the run ends', async () => {
    const failing = ciRun(560, { fail: true })
    failing.attempts[0]!.jobs.push({ name: 'slow docs', steps: [ok('Run docs', 120)] })
    const bench = await start(scenario([failing]))
    const run = await bench.run({ command: 'wait', 'run-id': '560', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toMatch(/job 'test' failure, step 'Run npm test'/)
    expect(run.outputs.status).toBe('in_progress')
    // The job list is re-read at least every 30 s, so the failure is seen well before the run ends.
    expect(run.tookMs).toBeLessThan(45_000)
  })

  it('without fail-fast, waits for the run to end before failing', async () => {
    const failing = ciRun(561, { fail: true })
    failing.attempts[0]!.jobs.push({ name: 'slow docs', steps: [ok('Run docs', 120)] })
    const bench = await start(scenario([failing]))
    const run = await bench.run({ command: 'wait', 'run-id': '561', 'poll-interval': '1s', 'fail-fast': 'false' })
    expect(run.verdict.result).toBe('failure')
    expect(run.outputs.status).toBe('completed')
  })

  it('waits only for the jobs named in `job`', async () => {
    const mixed = ciRun(570)
    mixed.attempts[0]!.jobs.push({ name: 'nightly soak', steps: [ok('Run soak', 120)] })
    const bench = await start(scenario([mixed]))
    const run = await bench.run({ command: 'wait', 'run-id': '570', job: 'b*ld, tes?', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(run.outputs).toMatchObject({ conclusion: 'success', status: 'in_progress' })
  })

  it('polls with conditional requests, so unchanged polls cost nothing', async () => {
    const bench = await start(scenario([ciRun(580)]))
    const run = await bench.run({ command: 'wait', 'run-id': '580', 'poll-interval': '1s', 'log-lines': '0' })
    expect(run.verdict.result).toBe('success')
    const api = run.requests.filter((r) => r.origin === 'api')
    const notModified = api.filter((r) => r.status === 304)
    expect(notModified.length).toBeGreaterThan(0)
    expect(notModified.every((r) => r.conditional && !r.counted)).toBe(true)
    const seen = new Set<string>()
    for (const r of api.filter((r) => r.method === 'GET')) {
      const key = `${r.path}?${new URLSearchParams(r.query).toString()}`
      if (seen.has(key)) expect(r.conditional).toBe(true)
      seen.add(key)
    }
  })

  it('pins an attempt: waits on attempt 1 as it was, not the re-run', async () => {
    const flaky = ciRun(590, { fail: true })
    flaky.attempts.push({ at: 9, rerun: 'failed', jobs: [{ name: 'test', steps: [ok('Run npm test', 1)] }] })
    const bench = await start(scenario([flaky]))
    const run = await bench.run({ command: 'wait', 'run-id': '590', attempt: '1', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.outputs['run-attempt']).toBe('1')
  })
})

describe('wait through GitHub hiccups', () => {
  it('a storm of 5xx answers that outlasts the client retries does not fail the gate', async () => {
    const bench = await start(scenario([ciRun(595)]))
    // Every read of the run fails for a while: more failures than the retry plugin's 3 retries.
    bench.sim.inject({ method: 'GET', path: /\/actions\/runs\/595$/, kind: 'status', status: 502, times: 9 })
    const run = await bench.run({ command: 'wait', 'run-id': '595', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(run.log.join('\n')).toMatch(/GitHub API error .*; retrying until the timeout/)
    expect(run.log.join('\n')).toMatch(/GitHub answers again, after \d+s of errors/)
  }, 60_000)

  it('a 404 is not waited out', async () => {
    const bench = await start(scenario([ciRun(596)]))
    const run = await bench.run({ command: 'wait', 'run-id': '597', 'poll-interval': '1s' })
    expect(run.error).toContain('Run 597 was not found')
  })
})

describe('wait on a low budget', () => {
  it('polls at most once a minute on a low budget, and goes on at the reset', async () => {
    // The token has spent most of a 10-request hour, and the hour resets 20 s after the run starts.
    const bench = await start(scenario([ciRun(598, { at: 3580 })]), { rateLimit: 10 })
    for (let i = 0; i < 5; i++) await fetch(`${bench.sim.apiUrl}/repos/octo/app/actions/runs`, { headers: { authorization: `token ${TOKEN}` } })
    await bench.clock.sleep(3580_000)
    const run = await bench.run({ command: 'wait', 'run-id': '598', 'poll-interval': '1s', 'log-lines': '0' })
    expect(run.verdict.result).toBe('success')
    const warnings = run.log.filter((line) => line.includes('requests left this hour'))
    expect(warnings.length).toBeGreaterThanOrEqual(1)
    expect(warnings.length).toBeLessThanOrEqual(2)
    // The run ends about 10 s in; a fixed minute would notice at 60 s, the reset (20 s) sooner.
    expect(run.tookMs).toBeLessThan(40_000)
  })

  it('says so once per budget window, not at every poll', async () => {
    const bench = await start(scenario([longRun(599, 200, { at: 3580 })]), { rateLimit: 10 })
    for (let i = 0; i < 5; i++) await fetch(`${bench.sim.apiUrl}/repos/octo/app/actions/runs`, { headers: { authorization: `token ${TOKEN}` } })
    await bench.clock.sleep(3580_000)
    const run = await bench.run({ command: 'wait', 'run-id': '599', 'poll-interval': '1s', 'log-lines': '0' })
    expect(run.verdict.result).toBe('success')
    // Two windows: the one that resets 20 s in, and the next hour's (still under 50 requests).
    expect(run.log.filter((line) => line.includes('requests left this hour'))).toHaveLength(2)
  })
})
