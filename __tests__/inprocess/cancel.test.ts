// `cancel` in process on a fake clock: escalation to force-cancel, the timeout, GitHub's 409.
import { describe, expect, it } from '@jest/globals'
import { ciRun, longRun, scenario } from '../../__fixtures__/scenarios.js'
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

})
