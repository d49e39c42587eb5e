// `approve` end to end: fork pull request runs, pending deployments, custom gates, refusals.
import { describe, expect, it } from '@jest/globals'
import { buildJob, ciRun, ok, scenario, testJob } from '../../__fixtures__/scenarios.js'
import type { RunSpec } from '../simulator/index.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()
const SPEED = 5

function forkRun(id: number): RunSpec {
  return {
    id,
    workflow: 'ci.yml',
    event: 'pull_request',
    branch: 'contributor-patch',
    outcome: 'action_required',
    attempts: [{ at: -10, jobs: [buildJob(), { ...testJob(), needs: ['build'] }] }]
  }
}

/** A deploy run held until its environments are reviewed: production (the token may approve), audit (it may not). */
function deployRun(id: number, options: { customGate?: boolean } = {}): RunSpec {
  return {
    id,
    workflow: 'deploy.yml',
    attempts: [{ at: -10, hold: { status: 'waiting' }, jobs: [{ name: 'deploy', steps: [ok('Run ./deploy.sh', 2)] }] }],
    pendingDeployments: [
      { environment: 'production', id: 9001, canApprove: true, reviewers: ['release-team'] },
      { environment: 'audit', id: 9002, canApprove: false, reviewers: ['security-team'] },
      ...(options.customGate ? [{ environment: 'canary', id: 9003, customGate: true }] : [])
    ]
  }
}

describe('approve', () => {
  it('approves a fork pull request run and, with wait, reports the run it started', async () => {
    const sim = await startSimulator(scenario([forkRun(700)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'approve', 'run-id': '700', wait: 'true', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/700/approve'])
    expect(JSON.parse(run.outputs['reviewed-run-ids'] ?? '')).toEqual([700])
    // Not the action_required it read before approving: the run that then ran.
    expect(run.outputs.conclusion).toBe('success')
    expect(JSON.parse(run.outputs.jobs ?? '[]')).toHaveLength(2)
    expect(run.summary).toContain('fork pull request run approved')
    expectCleanRun(run, sim)
  })

  it('reviews the pending deployments the token may approve, with a comment naming this run', async () => {
    const sim = await startSimulator(scenario([deployRun(701)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'approve', 'run-id': '701' }, { runId: 42 })
    expect(run.exitCode).toBe(0)
    const review = run.requests.find((r) => r.method === 'POST')
    expect(review?.path).toBe('/repos/octo/app/actions/runs/701/pending_deployments')
    expect(review?.body).toEqual({
      environment_ids: [9001],
      state: 'approved',
      comment: 'Approved by run-control in https://github.com/octo/app/actions/runs/42'
    })
    expect(run.summary).toContain('approved deployment to &#39;production&#39;')
    expectCleanRun(run, sim)
  })

  it('rejects a named environment with the given comment, and waits for the run to end', async () => {
    const sim = await startSimulator(scenario([deployRun(702)]), { speed: SPEED })
    const run = await runAction(sim, {
      command: 'approve',
      'run-id': '702',
      environments: 'production',
      decision: 'rejected',
      comment: 'Freeze week',
      wait: 'true',
      'poll-interval': '1s'
    })
    const review = run.requests.find((r) => r.method === 'POST')
    expect(review?.body).toEqual({ environment_ids: [9001], state: 'rejected', comment: 'Freeze week' })
    // A rejected deployment ends the run in failure; the wait reports it.
    expect(run.exitCode).toBe(1)
    expect(run.outputs.conclusion).toBe('failure')
    expectCleanRun(run, sim)
  })

  it('refuses, sending nothing, an environment that is not pending, listing the pending ones', async () => {
    const sim = await startSimulator(scenario([deployRun(703)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'approve', 'run-id': '703', environments: 'staging' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/Input 'environments' has an invalid value 'staging': .*Pending: run 703: production, audit/)
    expect(writesOf(run)).toEqual([])
  })

  it('refuses, sending nothing, an environment the token may not approve, naming its reviewers', async () => {
    const sim = await startSimulator(scenario([deployRun(704)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'approve', 'run-id': '704', environments: 'production, audit' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/'audit' \(the token may not approve it; reviewers: security-team\)/)
    expect(writesOf(run)).toEqual([])
  })

  it('answers a custom protection rule with custom-gate', async () => {
    const sim = await startSimulator(scenario([deployRun(705, { customGate: true })]), { speed: SPEED })
    const run = await runAction(sim, {
      command: 'approve',
      'run-id': '705',
      'custom-gate': 'true',
      environments: 'canary',
      comment: 'Canary metrics look fine'
    })
    expect(run.exitCode).toBe(0)
    const gate = run.requests.find((r) => r.method === 'POST')
    expect(gate?.path).toBe('/repos/octo/app/actions/runs/705/deployment_protection_rule')
    expect(gate?.body).toEqual({ environment_name: 'canary', state: 'approved', comment: 'Canary metrics look fine' })
    expectCleanRun(run, sim)
  })

  it('fails, sending nothing, when no selected run waits for approval', async () => {
    const sim = await startSimulator(scenario([ciRun(706, { at: -60 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'approve', 'run-id': '706' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/Nothing to approve among 1 selected run\(s\): run 706 not waiting for approval \(completed: success\)/)
    expect(writesOf(run)).toEqual([])
  })

  it('does not reject a fork run (the API cannot): skipped, nothing sent', async () => {
    const sim = await startSimulator(scenario([forkRun(707)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'approve', 'run-id': '707', decision: 'rejected' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('a fork pull request run cannot be rejected through the API')
    expect(writesOf(run)).toEqual([])
  })
})
