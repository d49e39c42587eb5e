// `summarize` in process, on simulated logs with the shapes real ones have: a multi-line error,
// and a `Post …` step whose lines fall in the failed step's last second.
import { describe, expect, it } from '@jest/globals'
import { ok, scenario } from '../../__fixtures__/scenarios.js'
import type { RunSpec } from '../simulator/index.js'
import { benchPerTest, expectClean, parsed } from './setup.js'

const start = benchPerTest()

const build: RunSpec = {
  id: 880,
  workflow: 'ci.yml',
  attempts: [
    {
      at: -60,
      jobs: [
        {
          name: 'build',
          steps: [
            ok('Run actions/checkout@v4'),
            {
              name: 'Run npm run build',
              seconds: 3,
              conclusion: 'failure',
              log: ['Compiling 41 files'],
              multiLineError: [
                'Build failed with 2 errors:',
                'src/cart.ts(12,5): error TS1005: ";" expected.',
                "src/cart.ts(30,9): error TS2304: Cannot find name 'total'."
              ]
            },
            // An action's cleanup: no header, in the second the failed step ended, run despite the failure.
            { name: 'Post Run actions/checkout@v4', seconds: 0, always: true, log: ['Removing auth', 'Cleaning up the credentials file'] }
          ]
        }
      ]
    }
  ]
}

const crashed: RunSpec = {
  id: 881,
  workflow: 'ci.yml',
  attempts: [
    {
      at: -60,
      jobs: [
        {
          name: 'publish',
          steps: [
            ok('Run actions/checkout@v4'),
            {
              name: 'Run ./.github/actions/publish',
              seconds: 2,
              conclusion: 'failure',
              crashed: true,
              log: [
                'Publishing 3 packages',
                'TypeError: registry answered 503',
                '    at publish (file:///home/runner/work/app/app/.github/actions/publish/index.js:41:11)',
                'Node.js v24.11.0'
              ]
            },
            { name: 'Post Run actions/checkout@v4', seconds: 0, always: true, log: ['Removing auth'] }
          ]
        }
      ]
    }
  ]
}

describe('summarize on realistic logs', () => {
  it('a crashed action: its stack trace is the cause, the cleanup after it is not', async () => {
    const bench = await start(scenario([crashed]))
    const run = await bench.run({ command: 'summarize', 'run-id': '881' })
    expect(run.summary).toContain('No `##[error]` line; the step’s last 4 lines:')
    expect(run.summary).toContain('TypeError: registry answered 503')
    for (const notTheCause of ['Removing auth', 'Post job cleanup.', 'Cleaning up orphan processes']) expect(run.summary).not.toContain(notTheCause)
  })

  it('keeps a multi-line error whole, and blames none of the Post step on the failed one', async () => {
    const bench = await start(scenario([build]))
    const run = await bench.run({ command: 'summarize', 'run-id': '880' })
    const [step] = parsed<{ step: string; errors: string[] }[]>(run, 'failed-steps')
    expect(step?.step).toBe('Run npm run build')
    expect(step?.errors).toEqual([
      'Build failed with 2 errors:\nsrc/cart.ts(12,5): error TS1005: ";" expected.\nsrc/cart.ts(30,9): error TS2304: Cannot find name \'total\'.'
    ])
    expect(run.summary).toContain('Build failed with 2 errors:\nsrc/cart.ts(12,5): error TS1005: &quot;;&quot; expected.\n')
    expect(run.summary).toContain('Compiling 41 files')
    for (const notTheCause of ['Removing auth', 'Post job cleanup.', 'shell: /usr/bin/bash']) expect(run.summary).not.toContain(notTheCause)
    expectClean(run, bench)
  })
})

describe('failure-markdown', () => {
  it('holds the verdict and the causes, not the tables, within 64 KiB; empty when all is well', async () => {
    const bench = await start(scenario([build, { ...crashed, id: 882, attempts: [{ at: -60, jobs: [{ name: 'ok', steps: [ok('Run true')] }] }] }]))
    const failing = await bench.run({ command: 'wait', 'run-id': '880', 'poll-interval': '1s' })
    const markdown = failing.outputs['failure-markdown'] ?? ''
    expect(markdown).toContain('awaited run(s) failed')
    expect(markdown).toContain('Build failed with 2 errors:')
    expect(markdown).not.toContain('| | Job |')
    expect(markdown).not.toContain('```mermaid')
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(64 * 1024)
    const passing = await bench.run({ command: 'wait', 'run-id': '882', 'poll-interval': '1s' })
    expect(passing.outputs['failure-markdown']).toBe('')
  })
})
