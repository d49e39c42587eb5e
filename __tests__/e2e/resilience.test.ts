// GitHub slow or failing: retries, rate limits, GHES paths.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { simulatorPerTest } from './setup.js'

const startSimulator = simulatorPerTest()

describe('resilience', () => {
  it('retries a 502 and a dropped connection', async () => {
    const sim = await startSimulator(scenario([ciRun(800, { at: -60 })]))
    sim.inject({ path: '/repos/octo/app/actions/runs/800/jobs', kind: 'status', status: 502 })
    sim.inject({ path: '/repos/octo/app/actions/runs/800', kind: 'reset' })
    const run = await runAction(sim, { 'run-id': '800' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.conclusion).toBe('success')
    const jobs = run.requests.filter((r) => r.path === '/repos/octo/app/actions/runs/800/jobs')
    expect(jobs.map((r) => r.status)).toEqual([502, 200])
  })

  it('honours retry-after on a secondary rate limit', async () => {
    const sim = await startSimulator(scenario([ciRun(810, { at: -60 })]))
    sim.inject({ path: '/repos/octo/app/actions/runs/810', kind: 'secondary-rate-limit', retryAfter: 2 })
    const run = await runAction(sim, { 'run-id': '810' })
    expect(run.exitCode).toBe(0)
    const gets = run.requests.filter((r) => r.path === '/repos/octo/app/actions/runs/810')
    expect(gets[0]?.status).toBe(403)
    expect(gets[1]!.realMs - gets[0]!.realMs).toBeGreaterThanOrEqual(1900)
    expect(run.log).toContain('secondary rate limit')
  })

  it('waits for a primary rate-limit reset that comes before the deadline', async () => {
    const sim = await startSimulator(scenario([ciRun(820, { at: -60 })]))
    sim.inject({ path: '/repos/octo/app/actions/runs/820', kind: 'primary-rate-limit', resetInSeconds: 2 })
    const run = await runAction(sim, { 'run-id': '820' })
    expect(run.exitCode).toBe(0)
    expect(run.log).toMatch(/rate limit exhausted; waiting \d+s/)
  })

  it('fails, saying why, when the rate limit resets after the deadline', async () => {
    const sim = await startSimulator(scenario([ciRun(830, { at: -60 })]))
    sim.inject({ path: '/repos/octo/app/actions/runs/830', kind: 'primary-rate-limit', resetInSeconds: 3000 })
    const run = await runAction(sim, { command: 'wait', 'run-id': '830', timeout: '1m' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/resets in \d+s, after this step's deadline/)
  })

  it('works against a GHES-style API path', async () => {
    const sim = await startSimulator(scenario([ciRun(840, { fail: true, at: -60 })]), { pathPrefix: '/api/v3' })
    const run = await runAction(sim, { 'run-id': '840' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.conclusion).toBe('failure')
    expect(run.summary).toContain('Process completed with exit code 1.')
  })

  it('fails clearly on a run that does not exist', async () => {
    const sim = await startSimulator(scenario([ciRun(850)]))
    const run = await runAction(sim, { 'run-id': '404404' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('Run 404404 was not found in octo/app (404)')
  })
})
