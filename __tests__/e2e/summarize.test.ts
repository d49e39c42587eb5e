// `summarize` end to end: the built action against the simulator.
import { describe, expect, it } from '@jest/globals'
import { ciRun, matrixRun, ok, scenario } from '../../__fixtures__/scenarios.js'
import { counted, logWithoutMaskCommand, runAction, TOKEN } from './harness.js'
import { simulatorPerTest } from './setup.js'

const startSimulator = simulatorPerTest()

describe('summarize', () => {
  it('summarizes the current run mid-run, showing running jobs as running', async () => {
    const current = ciRun(600)
    current.attempts[0]!.jobs.push({ name: 'report', steps: [ok('Run run-control', 300)] })
    const failing = ciRun(601, { fail: true, at: -30 })
    const sim = await startSimulator(scenario([current, failing]))
    // Let build start and the report job begin running.
    await new Promise((r) => setTimeout(r, 3500))
    const run = await runAction(sim, {}, { runId: 600 })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['run-id']).toBe('600')
    expect(run.outputs.status).toBe('in_progress')
    const jobs = JSON.parse(run.outputs.jobs ?? '[]') as { name: string; status: string }[]
    expect(jobs.find((j) => j.name === 'report')?.status).toBe('in_progress')
    expect(run.summary).toMatch(/running/i)
    expect(sim.violations).toEqual([])
  })

  it('never fails the step because the run failed', async () => {
    const sim = await startSimulator(scenario([ciRun(610, { fail: true, at: -60 })]))
    const run = await runAction(sim, { 'run-id': '610' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.conclusion).toBe('failure')
    expect(run.summary).toContain('Process completed with exit code 1.')
    expect(run.summary).toContain('Received: 100')
    expect(logWithoutMaskCommand(run)).not.toContain(TOKEN)
    expect(run.requests.filter((r) => r.origin === 'logs')).not.toHaveLength(0)
    expect(run.requests.filter((r) => r.origin === 'logs' && r.authorization)).toEqual([])
  })

  it('summarizes attempt 1 of a re-run run from its URL', async () => {
    const rerun = ciRun(620, { fail: true, at: -120 })
    rerun.attempts.push({ at: -60, rerun: 'failed', jobs: [{ name: 'test', steps: [ok('Run npm test', 1)] }] })
    const sim = await startSimulator(scenario([rerun]))
    const run = await runAction(sim, { 'run-id': 'https://github.com/octo/app/actions/runs/620/attempts/1' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['run-attempt']).toBe('1')
    expect(run.outputs.conclusion).toBe('failure')
    expect(JSON.parse(run.outputs['failed-jobs'] ?? '')).toEqual(['test'])
    expect(run.summary).toContain('Expected: 90')
    expect(run.requests.some((r) => r.path === '/repos/octo/app/actions/runs/620/attempts/1/jobs')).toBe(true)

    const latest = await runAction(sim, { 'run-id': '620' })
    expect(latest.outputs['run-attempt']).toBe('2')
    expect(latest.outputs.conclusion).toBe('success')
  })

  it('summarizes a 256-job matrix of 20 steps in 3 job-list requests and under 1 MiB', async () => {
    const sim = await startSimulator(scenario([matrixRun(630)]))
    const run = await runAction(sim, { 'run-id': '630' })
    expect(run.exitCode).toBe(0)
    const jobLists = run.requests.filter((r) => r.path === '/repos/octo/app/actions/runs/630/jobs')
    expect(jobLists).toHaveLength(3)
    expect(Buffer.byteLength(run.summary)).toBeLessThanOrEqual(1024 * 1024)
    expect(JSON.parse(run.outputs.jobs ?? '[]')).toHaveLength(256)
    expect(run.summary).toContain('Shard 18 failed: 1 test')
    expect(run.summary).toContain('test (shard 256/256, node 24)')
    expect(counted(run).length).toBeLessThanOrEqual(7)
    expect(sim.violations).toEqual([])
  })

  it('escapes hostile job names, step names and log lines', async () => {
    const hostile = ciRun(640, { fail: true, at: -60 })
    const test = hostile.attempts[0]!.jobs[1]!
    test.name = '<img src=x onerror=alert(1)> | @everyone'
    test.steps[1] = {
      name: 'Run </details><script>alert(2)</script> `x` | y',
      seconds: 1,
      conclusion: 'failure',
      log: ['<script>alert(3)</script>', '</pre></details># heading @admins', '##[error]<b>bold</b> & done']
    }
    const sim = await startSimulator(scenario([hostile]))
    const run = await runAction(sim, { 'run-id': '640' })
    expect(run.exitCode).toBe(0)
    expect(run.summary).not.toMatch(/<img|<script|<b>/)
    // GitHub links no mentions inside <pre>; everywhere else they must be broken up.
    expect(run.summary.replace(/<pre>[\s\S]*?<\/pre>/g, '')).not.toMatch(/@everyone|@admins/)
    expect(run.summary).not.toContain('</pre></details>#')
    expect(run.summary).toContain('&lt;script&gt;alert(3)&lt;/script&gt;')
    expect(run.summary).toContain('&lt;b&gt;bold&lt;/b&gt; &amp; done')
    // Outputs are data, not Markdown: they keep the names as they are.
    expect(JSON.parse(run.outputs['failed-jobs'] ?? '')).toEqual(['<img src=x onerror=alert(1)> | @everyone'])
  })

  it('reads no logs with log-lines 0 and writes no summary with summary false', async () => {
    const sim = await startSimulator(scenario([ciRun(650, { fail: true, at: -60 })]))
    const noLogs = await runAction(sim, { 'run-id': '650', 'log-lines': '0' })
    expect(noLogs.requests.filter((r) => r.path.endsWith('/logs'))).toEqual([])
    expect(noLogs.summary).toContain('test')
    const noSummary = await runAction(sim, { 'run-id': '650', summary: 'false' })
    expect(noSummary.summary).toBe('')
    expect(noSummary.outputs.conclusion).toBe('failure')
  })
})
