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
    [
      'run URL on another host',
      { 'run-id': 'https://evil.example/octo/app/actions/runs/5' },
      /Input 'run-id' has an invalid value 'https:\/\/evil.example\/octo\/app\/actions\/runs\/5': the URL is not on this GitHub \(github.com\)/
    ],
    ['run URL of another repository', { 'run-id': 'https://github.com/evil/repo/actions/runs/5' }, /Input 'run-id' .*evil\/repo/],
    ['negative duration', { command: 'wait', 'run-id': '700', timeout: '-5m' }, /Input 'timeout' has an invalid value '-5m'/],
    ['unparsable duration', { command: 'wait', 'run-id': '700', 'poll-interval': 'soon' }, /Input 'poll-interval' has an invalid value 'soon'/],
    ['poll interval under a second', { command: 'wait', 'run-id': '700', 'poll-interval': '500ms' }, /Input 'poll-interval' .* at least 1s/],
    [
      'unknown conclusion',
      { command: 'wait', 'run-id': '700', 'allowed-conclusions': 'success,great' },
      /Input 'allowed-conclusions' has an invalid value 'great'/
    ],
    ['malformed repository', { repository: 'just-a-name' }, /Input 'repository' has an invalid value 'just-a-name': expected owner\/repo/],
    ['repository climbing the path', { repository: '../x' }, /Input 'repository' has an invalid value '\.\.\/x'/],
    ['repository named ..', { repository: 'owner/..' }, /Input 'repository' has an invalid value 'owner\/\.\.'/],
    [
      'attempt out of range',
      { command: 'wait', 'run-id': '700', attempt: '99999999999999999999' },
      /Input 'attempt' has an invalid value '99999999999999999999'/
    ],
    ['bad boolean', { command: 'wait', 'fail-fast': 'maybe' }, /Input 'fail-fast' has an invalid value 'maybe'/],
    ['bad latest-only', { command: 'wait', 'latest-only': 'newest' }, /Input 'latest-only' has an invalid value 'newest'/],
    [
      'non-numeric job-id',
      { command: 'wait', 'run-id': '700', 'job-id': 'deploy' },
      /Input 'job-id' has an invalid value 'deploy': expected the numeric id of this job/
    ],
    ['bad log-lines', { 'log-lines': '-1' }, /Input 'log-lines' has an invalid value '-1'/],
    ['short head sha', { 'head-sha': 'abc123' }, /Input 'head-sha' has an invalid value 'abc123'/],
    ['destructive command without selection', { command: 'cancel' }, /'cancel' changes other runs, so it needs an explicit selection/],
    ['rerun without selection', { command: 'rerun' }, /'rerun' changes other runs, so it needs an explicit selection/],
    ['approve without selection', { command: 'approve' }, /'approve' changes other runs/],
    ['delete without selection', { command: 'delete', 'older-than': '30d' }, /'delete' changes other runs/],
    [
      'rerun of a pinned attempt',
      { command: 'rerun', 'run-id': '700', attempt: '1' },
      /Input 'attempt' has an invalid value '1': 'rerun' acts on a run's latest attempt/
    ],
    [
      'cancel of an attempt URL',
      { command: 'cancel', 'run-id': 'https://github.com/octo/app/actions/runs/700/attempts/2' },
      /Input 'run-id' .*attempts\/2.*latest attempt/
    ],
    ['delete of the current run', { command: 'delete', 'run-id': '999999' }, /Input 'run-id' has an invalid value '999999': that is the run this step runs in/],
    [
      'unknown rerun scope',
      { command: 'rerun', 'run-id': '700', scope: 'everything' },
      /Input 'scope' has an invalid value 'everything': expected one of failed, all/
    ],
    ['max-attempts of zero', { command: 'rerun', 'run-id': '700', 'max-attempts': '0' }, /Input 'max-attempts' has an invalid value '0'/],
    ['bad force-after', { command: 'cancel', 'run-id': '700', 'force-after': 'later' }, /Input 'force-after' has an invalid value 'later'/],
    [
      'unknown decision',
      { command: 'approve', 'run-id': '700', decision: 'maybe' },
      /Input 'decision' has an invalid value 'maybe': expected one of approved, rejected/
    ],
    ['custom gate without environments', { command: 'approve', 'run-id': '700', 'custom-gate': 'true' }, /Input 'environments' .*custom-gate/],
    ['bad older-than', { command: 'delete', 'run-id': '700', 'older-than': '1 month' }, /Input 'older-than' has an invalid value '1 month'/],
    ['negative keep', { command: 'delete', 'run-id': '700', keep: '-1' }, /Input 'keep' has an invalid value '-1'/],
    ['bad dry-run', { command: 'delete', 'run-id': '700', 'dry-run': 'perhaps' }, /Input 'dry-run' has an invalid value 'perhaps'/]
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

describe('an input the chosen command does not read', () => {
  it('is named in a warning and ignored, even with a value that command would refuse', async () => {
    const run = await runAction(sim, { command: 'summarize', 'run-id': '700', 'fail-fast': 'maybe', scope: 'everything' })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain("::warning::Input 'scope' is not used by 'summarize': ignored.")
    expect(run.log).toContain("::warning::Input 'fail-fast' is not used by 'summarize': ignored.")
    expect(run.outputs.result).toBe('success')
  })
})
