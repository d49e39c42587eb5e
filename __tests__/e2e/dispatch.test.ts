// `dispatch` end to end: the built action starts deploy.yml and waits on it, with the run id
// from GitHub and, from a server that gives none, by finding the run.
import { describe, expect, it } from '@jest/globals'
import { deployableScenario } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()
// Virtual seconds per real second: the 22-second deploy takes a few real ones.
const SPEED = 8
const inputs = { command: 'dispatch', workflow: 'deploy.yml', inputs: 'environment: staging', wait: 'true', 'poll-interval': '1s' }

describe('dispatch', () => {
  it('starts the workflow, takes its run id and waits for it to succeed', async () => {
    const sim = await startSimulator(deployableScenario(), { speed: SPEED })
    const run = await runAction(sim, inputs, { ref: 'release' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/workflows/deploy.yml/dispatches'])
    expect(run.requests.find((r) => r.method === 'POST')?.body).toEqual({ ref: 'release', inputs: { environment: 'staging' }, return_run_details: true })
    expect(run.outputs['run-id']).toMatch(/^\d+$/)
    expect(run.outputs.conclusion).toBe('success')
    expect(run.summary).toContain('Deploy staging')
    expectCleanRun(run, sim)
  })

  it('finds the run it started when the server answers 204, with the marker the run-name shows', async () => {
    const sim = await startSimulator(deployableScenario(), { speed: SPEED, dispatchAnswer: 'no-content' })
    const run = await runAction(sim, { ...inputs, 'marker-input': 'distinct_id' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/workflows/deploy.yml/dispatches'])
    expect(run.log).toContain('found by listing, by its marker run-control-')
    expect(run.outputs.conclusion).toBe('success')
    expectCleanRun(run, sim)
  })

  it('fails and names both runs when a rival dispatch starts a moment after ours (no marker)', async () => {
    // Ours shows 2 s after the request; the rival is created 1 s after the request, whenever the
    // action's process got to send it (a loaded machine starts it late).
    const rival = (at: number) => ({
      id: 900,
      workflow: 'deploy.yml',
      event: 'workflow_dispatch',
      branch: 'main',
      title: 'Deploy production',
      attempts: [{ at, jobs: [{ name: 'deploy', steps: [{ name: 'Run ./deploy.sh', seconds: 20 }] }] }]
    })
    const sim = await startSimulator(deployableScenario([]), { dispatchAnswer: 'no-content' })
    const running = runAction(sim, { command: 'dispatch', workflow: 'deploy.yml', inputs: 'environment: staging' })
    while (!sim.requests.some((r) => r.method === 'POST' && r.path.endsWith('/dispatches'))) await new Promise((resolve) => setTimeout(resolve, 20))
    sim.addRun(rival(Math.ceil(sim.virtualSeconds()) + 1))
    const run = await running
    expect(run.exitCode).toBe(1)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/workflows/deploy.yml/dispatches'])
    expect(run.log).toMatch(/2 runs of deploy\.yml on main started around the dispatch \((\d+, 900|900, \d+)\): which one is ours cannot be told/)
    expect(run.outputs.result).toBe('failure')
    expectCleanRun(run, sim)
  }, 30_000)
})
