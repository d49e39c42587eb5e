// `cancel` end to end: verified cancellation and the useful selections. Escalation, the timeout
// and GitHub's 409 run in process (__tests__/inprocess/cancel.test.ts).
import { describe, expect, it } from '@jest/globals'
import { ciRun, longRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()
const SPEED = 5

describe('cancel', () => {
  it('cancels a run and reports it only once it is seen cancelled', async () => {
    const sim = await startSimulator(scenario([longRun(600)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'cancel', 'run-id': '600', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/600/cancel'])
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '')).toEqual([600])
    expect(run.outputs.status).toBe('completed')
    expect(run.outputs.conclusion).toBe('cancelled')
    // Verified: the run was read again after the cancel, and seen completed.
    const reads = run.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/runs/600'))
    expect(reads.length).toBeGreaterThan(1)
    expect(run.summary).toContain('| ✅ done | cancelled |')
    expectCleanRun(run, sim)
  })

  it('forces at once with force-after 0', async () => {
    const sim = await startSimulator(scenario([longRun(602)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'cancel', 'run-id': '602', 'poll-interval': '1s', 'force-after': '0' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/602/force-cancel'])
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '')).toEqual([602])
  })

  it('sends nothing for a completed run', async () => {
    const sim = await startSimulator(scenario([ciRun(604, { at: -60 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'cancel', 'run-id': '604' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual([])
    expect(run.log).toContain('already completed (success): nothing to cancel')
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '')).toEqual([])
  })

  it('cancels everything still going for a commit except this run and newer runs', async () => {
    const other = 'b'.repeat(40)
    const sim = await startSimulator(
      scenario([
        longRun(610, 600, { at: -20 }),
        longRun(611, 600, { at: -10, workflow: 'lint.yml' }),
        ciRun(612, { at: -100 }), // completed long ago
        longRun(620, 600, { at: -5, workflow: 'deploy.yml' }), // this run
        longRun(630, 600, { at: -1, workflow: 'gate.yml' }), // started after this run
        longRun(640, 600, { at: -15, sha: other }) // another commit
      ]),
      { speed: SPEED }
    )
    const run = await runAction(sim, { command: 'cancel', 'head-sha': SHA, 'poll-interval': '1s' }, { runId: 620, sha: SHA })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run).sort()).toEqual(['POST /repos/octo/app/actions/runs/610/cancel', 'POST /repos/octo/app/actions/runs/611/cancel'])
    expect(JSON.parse(run.outputs['cancelled-run-ids'] ?? '').sort()).toEqual([610, 611])
    expect(run.log).toContain('started after this run (run 620): left alone')
    expect(run.summary).toContain('2 of 4 selected run')
    expectCleanRun(run, sim)
  })

  it('cancels older runs of a workflow on a branch (workflow + branch + created)', async () => {
    const sim = await startSimulator(
      scenario([
        longRun(650, 7200, { at: -3600, branch: 'feature' }),
        longRun(651, 600, { at: -30, branch: 'feature' }),
        longRun(652, 7200, { at: -3600, branch: 'main' })
      ]),
      { speed: SPEED }
    )
    const cutoff = new Date(sim.nowMs() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const run = await runAction(sim, { command: 'cancel', workflow: 'ci.yml', branch: 'feature', created: `<${cutoff}`, 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/650/cancel'])
    expectCleanRun(run, sim)
  })
})
