// The write commands' promises, in process: `dry-run` sends no write and says what would be
// done; the run this step runs in is never acted on, whatever the filters say.
import { describe, expect, it } from '@jest/globals'
import { ciRun, flakyRun, longRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { InProcessRun } from './harness.js'
import { benchPerTest, expectClean, parsed } from './setup.js'

const start = benchPerTest()
const writes = (run: InProcessRun): string[] => run.requests.filter((r) => r.origin === 'api' && r.method !== 'GET').map((r) => `${r.method} ${r.path}`)

describe('dry-run', () => {
  it('rerun: reads and checks, re-runs nothing, says what it would do', async () => {
    const bench = await start(scenario([flakyRun(810, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '810', 'dry-run': 'true', wait: 'true' })
    expect(writes(run)).toEqual([])
    expect(run.verdict.result).toBe('success')
    expect(run.outputs.reran).toBe('false')
    expect(run.summary).toContain('would do')
    expect(run.log.join('\n')).toContain("dry run: would request attempt 2, re-running failed jobs 'test'")
    expectClean(run, bench)
  })

  it('cancel: cancels nothing', async () => {
    const bench = await start(scenario([longRun(811)]))
    const run = await bench.run({ command: 'cancel', 'run-id': '811', 'dry-run': 'true' })
    expect(writes(run)).toEqual([])
    expect(run.outputs['cancelled-run-ids']).toBe('[]')
    expect(run.log.join('\n')).toContain('dry run: would be cancelled')
    expect(run.verdict.result).toBe('success')
  })

  it('approve: reviews nothing, and does not fail for having nothing approved', async () => {
    const deploy = ciRun(812, { workflow: 'deploy.yml' })
    deploy.attempts[0]!.hold = { status: 'waiting' }
    deploy.pendingDeployments = [{ environment: 'production', id: 7 }]
    const bench = await start(scenario([deploy]))
    const run = await bench.run({ command: 'approve', 'run-id': '812', 'dry-run': 'true' })
    expect(writes(run)).toEqual([])
    expect(run.verdict.result).toBe('success')
    expect(run.outputs['reviewed-run-ids']).toBe('[]')
    expect(run.log.join('\n')).toContain("dry run: would be approved deployment to 'production'")
  })
})

describe('the run this step runs in', () => {
  it('is never cancelled, even by filters with exclude-current-run: false', async () => {
    // Run 900 is the current run; 899 is an older run of the same commit.
    const bench = await start(scenario([longRun(899), longRun(900, 600)]))
    const run = await bench.run({ command: 'cancel', 'head-sha': SHA, 'exclude-current-run': 'false', 'force-after': '0' }, { runId: 900 })
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/899/force-cancel'])
    expect(parsed<number[]>(run, 'cancelled-run-ids')).toEqual([899])
  })

  it('is not cancelled by wait cancel-on-timeout when it is the run waited on', async () => {
    const current = { ...longRun(901, 600), attempts: [{ at: 0, jobs: [{ name: 'gate', runnerName: 'GitHub Actions 7', steps: [{ name: 'Run run-control', seconds: 600 }] }, { name: 'slow', steps: [{ name: 'Run slow', seconds: 600 }] }] }] }
    const bench = await start(scenario([current]))
    const run = await bench.run({ command: 'wait', 'run-id': '901', timeout: '5s', 'cancel-on-timeout': 'true', 'poll-interval': '1s' }, { runId: 901 })
    expect(run.verdict.result).toBe('timeout')
    expect(writes(run)).toEqual([])
  })
})
