// `cancel` in process on a fake clock: escalation to force-cancel, the timeout, GitHub's 409.
import { describe, expect, it } from '@jest/globals'
import { ciRun, longRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import { benchPerTest, expectClean, writes } from './setup.js'

const start = benchPerTest()

describe('cancel', () => {
  it('escalates to force-cancel when a cancel does not take', async () => {
    const bench = await start(scenario([{ ...longRun(601), ignoresCancel: true }]))
    const run = await bench.run({ command: 'cancel', 'run-id': '601', 'poll-interval': '1s', 'force-after': '2s' })
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/601/cancel', 'POST /repos/octo/app/actions/runs/601/force-cancel'])
    expect(run.log.join('\n')).toMatch(/still in_progress .* after the cancel; escalating/)
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '')).toEqual([601])
    expect(run.summary).toContain('a normal cancel did not take')
    expectClean(run, bench)
  })

  it('fails the step when a run is still going at the timeout', async () => {
    const bench = await start(scenario([{ ...longRun(603), ignoresCancel: true }]))
    const run = await bench.run({ command: 'cancel', 'run-id': '603', 'poll-interval': '1s', timeout: '3s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.log.join('\n')).toMatch(/still in_progress after cancel, when the timeout \(3s\) ran out/)
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '')).toEqual([])
  })

  it("treats GitHub's 409 (it completed meanwhile) as a no-op", async () => {
    const bench = await start(scenario([ciRun(605)]))
    bench.sim.inject({
      method: 'POST',
      path: /\/cancel$/,
      kind: 'status',
      status: 409,
      body: { message: 'Cannot cancel a workflow run that is completed.', documentation_url: 'https://docs.github.com/rest', status: '409' }
    })
    const run = await bench.run({ command: 'cancel', 'run-id': '605', 'poll-interval': '1s', 'force-after': '5m' })
    expect(run.verdict.result).toBe('success')
    // Not retried, not escalated: the run finished on its own.
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/605/cancel'])
    expect(run.log.join('\n')).toContain('not needed: it had just completed')
    expect(run.log.join('\n')).toContain('finished as success before the cancel took effect')
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '')).toEqual([])
  })

  it('verifies runs found by filters with one list a few seconds after the last cancel, not a GET per run', async () => {
    const runs = Array.from({ length: 10 }, (_, i) => ({
      ...longRun(610 + i, 600, { at: -20 + i, workflow: i % 2 ? 'lint.yml' : 'ci.yml' }),
      ...(i === 3 ? { ignoresCancel: true } : {})
    }))
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'cancel', 'head-sha': SHA, 'poll-interval': '10s', 'force-after': '15s' }, { headSha: SHA })
    expect(run.verdict.result).toBe('success')
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '').sort()).toEqual(runs.map((r) => r.id))
    const reads = run.requests.filter((r) => r.method === 'GET').map((r) => r.path)
    // The selection, then lists; only the one run left going at the end (613) is read by itself,
    // where a list would cost the same.
    expect(new Set(reads)).toEqual(new Set(['/repos/octo/app/actions/runs', '/repos/octo/app/actions/runs/613']))
    expect(reads.filter((path) => path === '/repos/octo/app/actions/runs').length).toBeLessThanOrEqual(3)
    const lists = run.requests.filter((r) => r.method === 'GET')
    // The first look 3 s after the last cancel, not a whole 10 s poll interval.
    const lastCancel = Math.max(...run.requests.filter((r) => r.path.endsWith('/cancel')).map((r) => r.atMs))
    expect((lists[1]?.atMs ?? 0) - lastCancel).toBe(3000)
    // The run that ignored its cancel was force-cancelled on a later look.
    expect(writes(run)).toContain('POST /repos/octo/app/actions/runs/613/force-cancel')
    expect(run.tookMs).toBeLessThan(40_000)
    expectClean(run, bench)
  })
})
