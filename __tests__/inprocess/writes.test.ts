// The write commands' promises, in process: `dry-run` sends no write and says what would be
// done; the run this step runs in is never acted on, whatever the filters say.
import { describe, expect, it } from '@jest/globals'
import { ciRun, flakyRun, longRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import { benchPerTest, expectClean, parsed, writes } from './setup.js'

const start = benchPerTest()

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
    const current = {
      ...longRun(901, 600),
      attempts: [
        {
          at: 0,
          jobs: [
            { name: 'gate', runnerName: 'GitHub Actions 7', steps: [{ name: 'Run run-control', seconds: 600 }] },
            { name: 'slow', steps: [{ name: 'Run slow', seconds: 600 }] }
          ]
        }
      ]
    }
    const bench = await start(scenario([current]))
    const run = await bench.run({ command: 'wait', 'run-id': '901', timeout: '5s', 'cancel-on-timeout': 'true', 'poll-interval': '1s' }, { runId: 901 })
    expect(run.verdict.result).toBe('timeout')
    expect(writes(run)).toEqual([])
  })
})

describe('a write whose reply was lost (the server acted, the client saw a 502 or a reset)', () => {
  const REPO = '/repos/octo/app/actions'

  it('rerun: sent once, read back, reported done with reran=true', async () => {
    const bench = await start(scenario([flakyRun(820, { at: -30 })]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/820/rerun-failed-jobs`, kind: 'lost-reply' })
    const run = await bench.run({ command: 'rerun', 'run-id': '820', wait: 'true', 'poll-interval': '1s' })
    expect(writes(run)).toEqual([`POST ${REPO}/runs/820/rerun-failed-jobs`])
    expect(run.verdict.result).toBe('success')
    expect(run.outputs).toMatchObject({ reran: 'true', 'run-attempt': '2' })
    expect(run.log.join('\n')).toContain('attempt 2 started (the reply to the re-run request was lost')
  })

  it('approve: sent once, read back, listed in reviewed-run-ids', async () => {
    const deploy = ciRun(821, { workflow: 'deploy.yml' })
    deploy.attempts[0]!.hold = { status: 'waiting' }
    deploy.pendingDeployments = [{ environment: 'production', id: 7 }]
    const bench = await start(scenario([deploy]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/821/pending_deployments`, kind: 'lost-reply', reply: 'reset' })
    const run = await bench.run({ command: 'approve', 'run-id': '821' })
    expect(writes(run)).toEqual([`POST ${REPO}/runs/821/pending_deployments`])
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'reviewed-run-ids')).toEqual([821])
  })

  it('delete: sent once, read back (404), listed in deleted-run-ids', async () => {
    const bench = await start(scenario([ciRun(822, { at: -40 * 24 * 3600 })]))
    bench.sim.inject({ method: 'DELETE', path: `${REPO}/runs/822`, kind: 'lost-reply' })
    const run = await bench.run({ command: 'delete', 'run-id': '822' })
    expect(writes(run)).toEqual([`DELETE ${REPO}/runs/822`])
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'deleted-run-ids')).toEqual([822])
  })

  it('cancel: sent once, then verified like any cancel', async () => {
    const bench = await start(scenario([longRun(823)]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/823/cancel`, kind: 'lost-reply' })
    const run = await bench.run({ command: 'cancel', 'run-id': '823', 'poll-interval': '1s' })
    expect(writes(run)).toEqual([`POST ${REPO}/runs/823/cancel`])
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'cancelled-run-ids')).toEqual([823])
  })

  it('a re-run whose request never took is not confirmed, and not sent again', async () => {
    const bench = await start(scenario([flakyRun(824, { at: -30 })]))
    // A 502 GitHub answered itself, without acting: read back shows no new attempt.
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/824/rerun-failed-jobs`, kind: 'status', status: 502 })
    const run = await bench.run({ command: 'rerun', 'run-id': '824' })
    expect(writes(run)).toEqual([`POST ${REPO}/runs/824/rerun-failed-jobs`])
    expect(run.verdict.result).toBe('failure')
    expect(run.outputs.reran).toBe('false')
    expect(run.log.join('\n')).toContain('re-run not confirmed')
  })
})
