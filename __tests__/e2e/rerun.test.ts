// `rerun` end to end: re-runs through the simulator's attempt plans, every skip and refusal.
// Waiting for the new attempt is tested in process (__tests__/inprocess/rerun.test.ts).
import { describe, expect, it } from '@jest/globals'
import { buildJob, ciRun, daysAgo, flakyRun, longRun, NETWORK_FAILURE_LOG, ok, scenario, testJob, twoFailuresRun } from '../../__fixtures__/scenarios.js'
import { summaryText } from '../helpers/summary-text.js'
import type { RunSpec } from '../simulator/index.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()
// Virtual seconds per real second: a CI run of ~12 virtual seconds takes a few real ones.
const SPEED = 5

describe('rerun', () => {
  it('fails the step when the new attempt fails again, with the new error lines', async () => {
    const sim = await startSimulator(scenario([flakyRun(511, { at: -30, failAgain: true })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '511', wait: 'true', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs['run-attempt']).toBe('2')
    expect(run.outputs.conclusion).toBe('failure')
    expect(run.outputs.flaky).toBe('[]')
    const steps = JSON.parse(run.outputs['failed-steps'] ?? '[]') as { job_id: number; errors: string[] }[]
    expect(steps).toHaveLength(1)
    // The error lines come from attempt 2's execution of the job (ids encode the attempt).
    expect(Math.floor((steps[0]?.job_id ?? 0) / 1000) % 100).toBe(2)
    expect(steps[0]?.errors).toContain('Process completed with exit code 1.')
    expect(run.summary).toMatch(/\| test \| ❌ \[failure\]\([^)]*\) \| ❌ \[failure\]/)
    expectCleanRun(run, sim)
  })

  it('re-runs every job with scope all and debug logging, without waiting', async () => {
    const sim = await startSimulator(scenario([ciRun(512, { at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '512', scope: 'all', 'debug-logging': 'true' })
    expect(run.exitCode).toBe(0)
    const posts = run.requests.filter((r) => r.method === 'POST')
    expect(posts.map((r) => [r.path, r.body])).toEqual([['/repos/octo/app/actions/runs/512/rerun', { enable_debug_logging: true }]])
    expect(run.outputs.reran).toBe('true')
    expect(run.summary).toContain('re-running all jobs, with debug logging')
    expect(run.summary).toContain('attempt 1 → 2')
    expectCleanRun(run, sim)
  })

  it('re-runs one matrix job named by its base name through the job endpoint', async () => {
    const matrix: RunSpec = {
      id: 513,
      workflow: 'ci.yml',
      attempts: [
        {
          at: -30,
          jobs: [
            buildJob(),
            { ...testJob({ name: 'test (ubuntu-latest, 24)', fail: true }), needs: ['build'] },
            { name: 'report', needs: ['test (ubuntu-latest, 24)'], steps: [ok('Run publish')] }
          ]
        }
      ]
    }
    const sim = await startSimulator(scenario([matrix]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '513', job: 'test' })
    expect(run.exitCode).toBe(0)
    // Job ids are runId*100000 + attempt*1000 + index: the matrix job is index 1 of attempt 1.
    expect(writesOf(run)).toEqual([`POST /repos/octo/app/actions/jobs/${513 * 100000 + 1000 + 1}/rerun`])
    expect(run.summary).toContain('the jobs that need it')
    expectCleanRun(run, sim)
  })

  it('refuses, sending nothing, a job name that matches nothing, listing the jobs', async () => {
    const sim = await startSimulator(scenario([ciRun(514, { fail: true, at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '514', job: 'deploy' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/Input 'job' has an invalid value 'deploy': no job of run 514 .*its jobs are: build, test/)
    expect(writesOf(run)).toEqual([])
    expectCleanRun(run, sim)
  })

  it('refuses, sending nothing, a name matching several jobs (GitHub re-runs one job per attempt)', async () => {
    const legs: RunSpec = {
      id: 524,
      workflow: 'ci.yml',
      attempts: [{ at: -30, jobs: ['ubuntu', 'windows'].map((os) => testJob({ name: `test (${os})`, fail: true })) }]
    }
    const sim = await startSimulator(scenario([legs]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '524', job: 'test' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/it matches 2 jobs \(test \(ubuntu\), test \(windows\)\); GitHub re-runs one job per attempt.*Nothing was re-run/)
    expect(writesOf(run)).toEqual([])
  })

  it('refuses, sending nothing, a job id from an earlier attempt, saying which is the latest', async () => {
    const twice: RunSpec = {
      ...ciRun(515, { fail: true, at: -60 }),
      attempts: [
        { at: -60, jobs: [buildJob(), { ...testJob({ fail: true }), needs: ['build'] }] },
        { at: -30, rerun: 'failed', jobs: [{ ...testJob({ fail: true }), needs: ['build'] }] }
      ]
    }
    const sim = await startSimulator(scenario([twice]), { speed: SPEED })
    const oldTestJob = 515 * 100000 + 1000 + 1
    const run = await runAction(sim, { command: 'rerun', 'run-id': '515', job: String(oldTestJob) })
    expect(run.exitCode).toBe(1)
    expect(run.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/jobs/${oldTestJob}`))).toBe(true)
    expect(run.log).toContain(`it is attempt 1's execution of 'test'; the latest is job ${515 * 100000 + 2000}`)
    expect(writesOf(run)).toEqual([])
  })

  it('does not re-run once the run reached max-attempts: reran=false, not an error', async () => {
    const third: RunSpec = {
      ...ciRun(516, { fail: true }),
      attempts: [-90, -60, -30].map((at, i) => ({
        at,
        ...(i > 0 ? { rerun: 'failed' as const } : {}),
        jobs: [buildJob(), { ...testJob({ fail: true }), needs: ['build'] }]
      }))
    }
    const sim = await startSimulator(scenario([third]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '516', 'max-attempts': '3' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.reran).toBe('false')
    expect(writesOf(run)).toEqual([])
    expect(run.log).toContain('attempt 3 has reached max-attempts (3): not re-run')
    expect(run.summary).toContain('max-attempts')
  })

  it('does not re-run a run where nothing failed', async () => {
    const sim = await startSimulator(scenario([ciRun(517, { at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '517' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.reran).toBe('false')
    expect(run.log).toContain('nothing failed (the run concluded success): not re-run')
    expect(writesOf(run)).toEqual([])
  })

  it('skips a run still in progress, and explains how to wait for it', async () => {
    const sim = await startSimulator(scenario([longRun(518)]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '518' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.reran).toBe('false')
    expect(run.log).toMatch(/still (queued|in_progress): a run is re-run only once it completed \(set 'wait: true'/)
    expect(writesOf(run)).toEqual([])
  })

  it('fails clearly, sending nothing, for a run created over 30 days ago', async () => {
    const sim = await startSimulator(scenario([ciRun(520, { fail: true, at: daysAgo(31) })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '520' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/over 30 days ago: GitHub no longer re-runs it/)
    expect(writesOf(run)).toEqual([])
  })

  it("explains GitHub's 403 (the token's permissions)", async () => {
    const sim = await startSimulator(scenario([ciRun(521, { fail: true, at: -30 })]), { speed: SPEED })
    sim.inject({
      method: 'POST',
      path: /rerun-failed-jobs$/,
      kind: 'status',
      status: 403,
      body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' }
    })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '521' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.reran).toBe('false')
    expect(run.log).toMatch(/Resource not accessible by integration.*actions: write/)
    // Refused writes are not retried.
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/521/rerun-failed-jobs'])
  })

  it('with filters, re-runs only the newest run of the workflow', async () => {
    const sim = await startSimulator(scenario([ciRun(522, { fail: true, at: -60 }), ciRun(523, { fail: true, at: -40 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', workflow: 'ci.yml', status: 'failure' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/523/rerun-failed-jobs'])
    expect(JSON.parse(run.outputs['run-ids'] ?? '[]')).toEqual([523])
  })
})

describe('rerun with rerun-if', () => {
  it('re-runs once when the failure matches, then names the flaky job after waiting', async () => {
    const sim = await startSimulator(scenario([flakyRun(550, { at: -30, log: NETWORK_FAILURE_LOG })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '550', 'rerun-if': 'ECONNRESET|ETIMEDOUT', wait: 'true', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['POST /repos/octo/app/actions/runs/550/rerun-failed-jobs'])
    expect(run.outputs).toMatchObject({ reran: 'true', flaky: '["test"]', 'run-attempt': '2', conclusion: 'success' })
    expect(run.log).toMatch(
      /attempt 2 requested: re-running failed jobs 'test' .*; every failure matches rerun-if \(test: "….*connect ECONNRESET 10\.0\.0\.7:443"\)/
    )
    expect(summaryText(run.summary)).toContain('Flaky: test failed in attempt 1 and passed in attempt 2.')
    expectCleanRun(run, sim)
  })

  it('leaves a run alone when its failure does not match, naming the job and step', async () => {
    const sim = await startSimulator(scenario([flakyRun(551, { at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '551', 'rerun-if': 'ECONNRESET' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual([])
    expect(run.outputs).toMatchObject({ reran: 'false', flaky: '[]' })
    const detail = "not re-run: job 'test' › step 'Run npm test' has no failure line matching rerun-if"
    expect(run.log).toContain(detail)
    expect(summaryText(run.summary)).toContain(`➖ skipped | ${detail}`)
    expectCleanRun(run, sim)
  })

  it('does not re-run a run with two failed jobs when only one matches', async () => {
    const sim = await startSimulator(scenario([twoFailuresRun(552, { at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '552', 'rerun-if': 'ECONNRESET' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual([])
    expect(run.outputs.reran).toBe('false')
    expect(run.log).toContain("not re-run: job 'lint' › step 'Run npm run lint' has no failure line matching rerun-if")
    // Only the failed jobs' logs were asked for.
    const logs = run.requests.filter((r) => r.origin === 'api' && r.path.endsWith('/logs')).map((r) => r.path)
    expect(logs.sort()).toEqual([552 * 100000 + 1000 + 1, 552 * 100000 + 1000 + 2].map((id) => `/repos/octo/app/actions/jobs/${id}/logs`))
    expectCleanRun(run, sim)
  })

  it('dry run: says it would re-run because every failure matches, and sends nothing', async () => {
    const sim = await startSimulator(scenario([twoFailuresRun(553, { at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '553', 'rerun-if': '/econnreset|prefer-const/i', 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual([])
    expect(run.outputs.reran).toBe('false')
    expect(run.log).toMatch(
      /dry run: would re-run: every failure matches rerun-if \(lint: .*prefer-const"; test \(node 22\): .*ECONNRESET.*\); would request attempt 2/
    )
    expect(summaryText(run.summary)).toContain('📝 would do | dry run: would re-run: every failure matches rerun-if')
    expectCleanRun(run, sim)
  })

  it('refuses a bad pattern before any request, naming the input and the value', async () => {
    const sim = await startSimulator(scenario([flakyRun(554, { at: -30 })]), { speed: SPEED })
    const run = await runAction(sim, { command: 'rerun', 'run-id': '554', 'rerun-if': '(ECONNRESET|ETIMEDOUT' })
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/::error::Input 'rerun-if' has an invalid value '\(ECONNRESET\|ETIMEDOUT': not a valid JavaScript regular expression/)
    expect(run.requests).toEqual([])
  })
})
