// `wait` as a gate: runs found by filters or by the current commit, end to end.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest } from './setup.js'

const startSimulator = simulatorPerTest()

describe('wait as a gate', () => {
  it('gates on the current commit, waiting for a workflow whose run appears late', async () => {
    const lint = ciRun(511, { workflow: 'lint.yml', at: 4 })
    const sim = await startSimulator(scenario([ciRun(510), lint, ciRun(512, { sha: 'f'.repeat(40) })]))
    const run = await runAction(
      sim,
      { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '6s' },
      { sha: SHA, runId: 999999 }
    )
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['run-ids'] ?? '').sort()).toEqual([510, 511])
    expect(run.outputs.conclusion).toBe('success')
    // Lint started at 4s and takes several seconds: a gate that passed before it finished is wrong.
    const runs = JSON.parse(run.outputs.runs ?? '[]') as { id: number; status: string }[]
    expect(runs.every((r) => r.status === 'completed')).toBe(true)
    expectCleanRun(run, sim)
  })
  it('uses the pull request head sha on pull_request events', async () => {
    const sim = await startSimulator(scenario([ciRun(520)]))
    const run = await runAction(
      sim,
      { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '1s' },
      { sha: 'e'.repeat(40), eventName: 'pull_request', event: { pull_request: { head: { sha: SHA } } } }
    )
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['run-ids'] ?? '')).toEqual([520])
  })
  it('fails a gate that finds no run at all', async () => {
    const sim = await startSimulator(scenario([ciRun(530)]))
    const run = await runAction(
      sim,
      { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '2s' },
      { sha: 'a'.repeat(40) }
    )
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('a gate does not pass on nothing')
    expect(run.summary).toContain('Gate failed')
    expect(run.outputs['run-ids']).toBe('[]')
  })
  it('fails when a named workflow never appears, even though the others succeeded', async () => {
    const sim = await startSimulator(scenario([ciRun(540)]))
    const run = await runAction(
      sim,
      { command: 'wait', workflow: 'ci.yml, deploy.yml', 'head-sha': SHA, 'poll-interval': '1s', 'appear-timeout': '2s' }
    )
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('no run of deploy.yml')
  })

  it('says which environment a waiting run needs approved, and passes once it is', async () => {
    const deploy = ciRun(590, { workflow: 'deploy.yml' })
    deploy.attempts[0]!.hold = { status: 'waiting', until: 4 }
    deploy.pendingDeployments = [{ environment: 'production', id: 7, reviewers: ['release-team'] }]
    deploy.approvals = [{ user: 'mona', state: 'approved', environments: ['production'], comment: 'ship it' }]
    const sim = await startSimulator(scenario([deploy]))
    const run = await runAction(sim, { command: 'wait', workflow: 'deploy.yml', 'poll-interval': '1s', 'appear-timeout': '1s' })
    expect(run.log).toContain("waiting for approval of 'production' (reviewers: release-team)")
    expect(run.exitCode).toBe(0)
    expect(run.summary).toContain('mona')
    expect(run.summary).toContain('ship it')
    expectCleanRun(run, sim)
  })
})
