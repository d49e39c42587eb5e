// The runner cancels a step by sending SIGINT (then SIGTERM 7.5 s later, then a kill): the built
// action must stop, write its outputs and summary for what it knows, and exit within 5 s.
import { describe, expect, it } from '@jest/globals'
import { flakyRun, longRun, scenario } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()
/** The runner's SIGTERM comes 7.5 s after SIGINT; the report must be out well before. */
const EXIT_WITHIN_MS = 5000

describe('signals', () => {
  it('SIGINT mid-wait: result=cancelled, the summary written, out within 5 s', async () => {
    const sim = await startSimulator(scenario([longRun(860)]))
    let polls = 0
    const run = await runAction(
      sim,
      { command: 'wait', 'run-id': '860', 'poll-interval': '1s' },
      {},
      { when: () => (polls = sim.requests.filter((r) => r.path.endsWith('/runs/860')).length) >= 2 }
    )
    expect(polls).toBeGreaterThanOrEqual(2)
    expect(run.exitCode).toBe(1)
    expect(run.msAfterSignal).toBeLessThan(EXIT_WITHIN_MS)
    expect(run.outputs.result).toBe('cancelled')
    expect(run.outputs.status).not.toBe('completed')
    expect(run.summary).toContain('🛑 Cancelled')
    expect(run.log).toContain('Received SIGINT')
  })

  it('SIGTERM mid-cancel: the cancel it sent is in the summary', async () => {
    const sim = await startSimulator(scenario([{ ...longRun(861), ignoresCancel: true }]))
    const run = await runAction(
      sim,
      { command: 'cancel', 'run-id': '861', 'poll-interval': '1s' },
      {},
      {
        when: () => sim.requests.some((r) => r.method === 'POST'),
        name: 'SIGTERM'
      }
    )
    expect(run.msAfterSignal).toBeLessThan(EXIT_WITHIN_MS)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/861/cancel'])
    expect(run.outputs.result).toBe('cancelled')
    expect(run.summary).toContain('sent, not verified')
  })

  it('SIGINT mid-rerun: reran=true and the requested attempt are reported', async () => {
    const sim = await startSimulator(scenario([flakyRun(862, { at: -30 })]))
    const run = await runAction(
      sim,
      { command: 'rerun', 'run-id': '862', wait: 'true', 'poll-interval': '1s' },
      {},
      { when: () => sim.requests.some((r) => r.method === 'POST') }
    )
    expect(run.msAfterSignal).toBeLessThan(EXIT_WITHIN_MS)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/862/rerun-failed-jobs'])
    expect(run.outputs).toMatchObject({ result: 'cancelled', reran: 'true' })
    expect(run.summary).toContain('attempt 2 requested')
  })
})
