// Rule 1 in the real process: the built action, its proxy-aware fetch and the retry plugin's own
// timings (1 s, 4 s, 9 s). A cancel whose answer is lost after GitHub acted on it is sent once;
// the plugin, left to itself, would send it again a second later.
import { describe, expect, it } from '@jest/globals'
import { longRun, scenario } from '../../__fixtures__/scenarios.js'
import { CANCEL_DELAY_SECONDS } from '../simulator/index.js'
import { runAction, TOKEN } from './harness.js'
import { expectCleanRun, simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()

describe('faults in the real process', () => {
  it('a cancel whose reply is lost (502 after the server acted) is not sent again', async () => {
    const sim = await startSimulator(scenario([longRun(880, 600, { at: -10 })]))
    sim.inject({ method: 'POST', path: '/repos/octo/app/actions/runs/880/cancel', kind: 'lost-reply' })
    const run = await runAction(sim, { command: 'cancel', 'run-id': '880', 'poll-interval': '1s', 'force-after': '5m', timeout: '20s' })
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/880/cancel'])
    expect(run.requests.find((r) => r.method === 'POST')?.status).toBe(502)
    // The one cancel took effect: the run ends cancelled (CANCEL_DELAY_SECONDS after the request).
    await new Promise((resolve) => setTimeout(resolve, (CANCEL_DELAY_SECONDS + 0.5) * 1000))
    const after = await fetch(`${sim.apiUrl}/repos/octo/app/actions/runs/880`, { headers: { authorization: `token ${TOKEN}` } })
    expect(((await after.json()) as { conclusion: string }).conclusion).toBe('cancelled')
    expectCleanRun(run, sim)
  })
})
