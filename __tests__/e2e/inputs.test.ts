// Bad input fails the step with a message naming the input and the value, before any API call.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../simulator/index.js'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'

let sim: Simulator
beforeAll(async () => {
  sim = await Simulator.start(scenario([ciRun(700)]))
})
afterAll(async () => {
  await sim.stop()
})

describe('invalid inputs', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['unknown command', { command: 'explode' }, /Input 'command' has an invalid value 'explode': expected one of wait, summarize/],
    ['non-numeric run id', { 'run-id': '12a' }, /Input 'run-id' has an invalid value '12a'/],
    ['run URL of another repository', { 'run-id': 'https://github.com/evil/repo/actions/runs/5' }, /Input 'run-id' .*evil\/repo/],
    ['negative duration', { command: 'wait', 'run-id': '700', timeout: '-5m' }, /Input 'timeout' has an invalid value '-5m'/],
    ['unparsable duration', { command: 'wait', 'run-id': '700', 'poll-interval': 'soon' }, /Input 'poll-interval' has an invalid value 'soon'/],
    ['poll interval under a second', { command: 'wait', 'run-id': '700', 'poll-interval': '500ms' }, /Input 'poll-interval' .* at least 1s/],
    ['unknown conclusion', { command: 'wait', 'run-id': '700', 'allowed-conclusions': 'success,great' }, /Input 'allowed-conclusions' has an invalid value 'great'/],
    ['malformed repository', { repository: 'just-a-name' }, /Input 'repository' has an invalid value 'just-a-name': expected owner\/repo/],
    ['bad boolean', { 'fail-fast': 'maybe' }, /Input 'fail-fast' has an invalid value 'maybe'/],
    ['bad log-lines', { 'log-lines': '-1' }, /Input 'log-lines' has an invalid value '-1'/],
    ['short head sha', { 'head-sha': 'abc123' }, /Input 'head-sha' has an invalid value 'abc123'/],
    ['destructive command without selection', { command: 'cancel' }, /'cancel' changes other runs, so it needs an explicit selection/]
  ]
  it.each(cases)('%s fails before any request', async (_name, inputs, message) => {
    const before = sim.requests.length
    const run = await runAction(sim, inputs)
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(message)
    expect(run.log).toContain('::error::')
    expect(sim.requests.length).toBe(before)
  })
})
