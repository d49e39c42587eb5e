// `wait` end to end: the built action as the runner runs it, against the simulator on a real
// clock. The rules themselves are tested in process (__tests__/inprocess); these runs check what
// only the real process shows: inputs from INPUT_*, the event payload, outputs in GITHUB_OUTPUT,
// the summary file, the log host, the exit code.
import { describe, expect, it } from '@jest/globals'
import { buildJob, ciRun, ok, scenario, SHA, testJob } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest } from './setup.js'

const startSimulator = simulatorPerTest()
/** Scenario seconds pass this much faster than real ones; polls still go once a real second. */
const FAST = { speed: 8 }

describe('wait', () => {
  it('waits for a run that succeeds and writes outputs and the summary', async () => {
    const sim = await startSimulator(scenario([ciRun(500)]), FAST)
    const run = await runAction(sim, { command: 'wait', 'run-id': '500', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'completed', conclusion: 'success', result: 'success', 'run-id': '500', 'run-ids': '[500]' })
    expect(run.log).toMatch(/build: success[\s\S]*test: success/)
    expect(run.summary).toContain('```mermaid')
    expectCleanRun(run, sim)
  })

  it('publishes the verdict as a commit status (status-context): pending, then success, and says so in status-state', async () => {
    const sim = await startSimulator(scenario([ciRun(506)]), FAST)
    const run = await runAction(sim, { command: 'wait', 'run-id': '506', 'poll-interval': '1s', 'status-context': 'all-green' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'success', 'status-state': 'success' })
    const mine = sim.statuses(SHA).filter((status) => status.source === 'api')
    expect(mine.map((status) => [status.context, status.state, status.description])).toEqual([
      ['all-green', 'success', 'Passed: CI'],
      ['all-green', 'pending', 'Waiting for the runs of this commit']
    ])
    expectCleanRun(run, sim)
  })

  it('once: true judges at a workflow_run event, publishes, and exits without waiting (a pull request whose docs-only change CI filters out)', async () => {
    const ciYml = "name: CI\non:\n  pull_request:\n    paths: ['src/**']\njobs: {}\n"
    const sim = await startSimulator(
      {
        ...scenario([ciRun(507, { workflow: 'lint.yml' })]),
        files: [
          { path: '.github/workflows/gate.yml', ref: 'main', content: 'name: Gate\non:\n  workflow_run:\n    workflows: [CI, Lint]\njobs: {}\n' },
          { path: '.github/workflows/ci.yml', ref: 'main', content: ciYml },
          { path: '.github/workflows/ci.yml', ref: SHA, content: ciYml },
          { path: '.github/workflows/lint.yml', ref: 'main', content: 'name: Lint\non: pull_request\njobs: {}\n' }
        ],
        pullRequests: [{ number: 7, sha: SHA, files: ['docs/guide.md'] }]
      },
      { speed: 60 }
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const event = {
      action: 'completed',
      workflow_run: {
        id: 507,
        run_attempt: 1,
        name: 'Lint',
        path: '.github/workflows/lint.yml',
        head_sha: SHA,
        status: 'completed',
        conclusion: 'success',
        updated_at: new Date().toISOString()
      }
    }
    const run = await runAction(
      sim,
      { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml, lint.yml' },
      { eventName: 'workflow_run', event, env: { GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/gate.yml@refs/heads/main' } }
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'success', 'status-state': 'success' })
    expect(sim.statuses(SHA).filter((status) => status.source === 'api')[0]?.description).toBe('Passed: Lint; skipped by their filters: ci.yml')
    expectCleanRun(run, sim)
  })

  it("once: true on schedule sweeps: a pull request's pending status becomes failure for another app's failed check", async () => {
    const head = 'd'.repeat(40)
    const sim = await startSimulator(
      {
        ...scenario([ciRun(508, { sha: head })]),
        files: [
          {
            path: '.github/workflows/gate.yml',
            ref: 'main',
            content: 'name: Gate\non:\n  schedule:\n    - cron: "*/15 * * * *"\n  workflow_run:\n    workflows: [CI]\njobs: {}\n'
          },
          { path: '.github/workflows/ci.yml', ref: 'main', content: 'name: CI\non: pull_request\njobs: {}\n' }
        ],
        pullRequests: [{ number: 12, sha: head }],
        statuses: [{ sha: head, context: 'all-green', state: 'pending', description: 'Waiting for CI' }],
        checkRuns: [{ sha: head, name: 'Preview', app: 'vercel', completedAt: 1, conclusion: 'failure', detailsUrl: 'https://vercel.example/preview' }]
      },
      { speed: 60 }
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const run = await runAction(
      sim,
      { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml', checks: 'Preview' },
      { eventName: 'schedule', event: { schedule: '*/15 * * * *' }, env: { GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/gate.yml@refs/heads/main' } }
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'success' })
    expect(sim.statuses(head).filter((status) => status.source === 'api')[0]?.description).toBe('Failed: Preview')
    expect(run.summary).toContain('Swept 1 open pull request(s)')
    expectCleanRun(run, sim)
  })

  it('fails on a failing run, quoting the error line read from the log host (without the token)', async () => {
    const sim = await startSimulator(scenario([ciRun(501, { fail: true })]), FAST)
    const run = await runAction(sim, { command: 'wait', 'run-id': '501', 'poll-interval': '1s' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ conclusion: 'failure', result: 'failure', 'failed-jobs': '["test"]' })
    expect(run.log).toMatch(/::error::.*job 'test' failure, step 'Run npm test'/)
    expect(run.summary).toContain('Expected: 90')
    expect(run.requests.some((r) => r.origin === 'logs' && r.status === 200)).toBe(true)
    expectCleanRun(run, sim)
  })
})

describe('wait as a gate: the current commit per event', () => {
  const other = 'e'.repeat(40)

  // pull_request* read the payload the same way (unit-tested in context.test.ts).
  it.each([
    ['workflow_run', { workflow_run: { head_sha: SHA } }],
    ['merge_group', { merge_group: { head_sha: SHA } }]
  ])('%s: the commit comes from the event payload, not GITHUB_SHA', async (eventName, event) => {
    // A run of GITHUB_SHA fails: a gate that watched it would fail.
    const sim = await startSimulator(scenario([ciRun(520), ciRun(521, { sha: other, fail: true, workflow: 'lint.yml' })]), FAST)
    const run = await runAction(sim, { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '1s' }, { sha: other, eventName, event })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['run-ids']).toBe('[520]')
    expectCleanRun(run, sim)
  })

  it('waits on the other jobs of its own run, its job id from ${{ job.check_run_id }}', async () => {
    const current = {
      id: 700,
      workflow: 'ci.yml',
      sha: SHA,
      // Jobs long enough (about 4 real seconds at this speed) for a few polls to see them going,
      // even on a loaded machine: the check runs are read only while other jobs are unfinished.
      attempts: [{ at: 0, jobs: [{ name: 'gate', steps: [ok('Run run-control', 600)] }, buildJob(12), { ...testJob({ seconds: 16 }), needs: ['build'] }] }]
    }
    const sim = await startSimulator(scenario([current]), FAST)
    const run = await runAction(sim, { command: 'wait', 'run-id': '700', 'poll-interval': '1s' }, { runId: 700, jobId: 700 * 100000 + 1000 })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('success')
    expect(run.log).toMatch(/test: success/)
    // Its jobs decide: the built action watches its check suite's completed check runs, and reads
    // the job list when one ended, not at every poll.
    const checkRuns = run.requests.filter((r) => r.path === `/repos/octo/app/check-suites/${700 * 10 + 1}/check-runs`)
    expect(checkRuns.length).toBeGreaterThan(0)
    expect(checkRuns.every((r) => r.query.status === 'completed' && r.query.filter === 'all')).toBe(true)
    expect(run.requests.filter((r) => r.path.endsWith('/jobs')).length).toBeLessThan(
      run.requests.filter((r) => r.path === '/repos/octo/app/actions/runs/700').length
    )
    expectCleanRun(run, sim)
  })
})
