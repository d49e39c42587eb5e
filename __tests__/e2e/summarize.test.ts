// `summarize` end to end: the built action against the simulator.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ciRun, matrixRun, ok, scenario } from '../../__fixtures__/scenarios.js'
import { history, pullRequestRun } from '../simulator/histories.js'
import { counted, logWithoutMaskCommand, runAction, TOKEN } from './harness.js'
import { expectCleanRun, simulatorPerTest } from './setup.js'

const startSimulator = simulatorPerTest()

describe('summarize', () => {
  it('triages a pull request run’s failed job against main: known since run N, same error', async () => {
    const runs = [...history({ firstId: 100, outcomes: ['pass', 'fail', 'cancelled', 'fail'], noise: true }), pullRequestRun(9000)]
    const sim = await startSimulator(scenario(runs))
    const event = { pull_request: { number: 7, base: { ref: 'main' }, head: { sha: 'f'.repeat(40) } }, repository: { default_branch: 'main' } }
    const run = await runAction(sim, { 'run-id': '9000' }, { eventName: 'pull_request', event })
    expect(run.exitCode).toBe(0)
    const [entry] = JSON.parse(run.outputs.triage ?? '[]') as { kind: string; since: { id: number }; failure_count: number; same_error: boolean }[]
    expect(entry).toMatchObject({ kind: 'known', base_branch: 'main', failure_count: 2, runs_read: 4, same_error: true })
    expect(entry?.since.id).toBe(runs.find((r) => r.title === 'Merge #1' && r.branch === 'main')?.id)
    expect(run.summary).toContain('· **📌 known**')
    expect(run.outputs['failure-markdown']).toContain('_Triage: failing on main since [#')
    expect(counted(run).filter((r) => r.path.endsWith('/actions/workflows/101/runs'))).toHaveLength(1)
    expect(sim.violations).toEqual([])
  })

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
    // The last page's jobs made it in: the last shard's steps are listed.
    expect(run.summary).toContain('✅ test &#40;shard 256/256, node 24&#41; · 20 steps')
    // 7, and triage's one list of main's runs (this run is the only one there: nothing more is read).
    expect(counted(run).length).toBeLessThanOrEqual(8)
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
    // GitHub links no mentions inside <pre> or a code block (the mermaid chart); everywhere else they must be broken up.
    expect(run.summary.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/```mermaid[\s\S]*?```/g, '')).not.toMatch(/@everyone|@admins/)
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

  it('saves the run log archives (latest and pinned attempt) without sending the token to the storage host', async () => {
    const twice = ciRun(660, { fail: true, at: -60 })
    twice.attempts.push({ at: -30, rerun: 'failed', jobs: [{ ...twice.attempts[0]!.jobs[1]!, steps: [ok('Run npm test')] }] })
    const sim = await startSimulator(scenario([twice]))
    const dir = mkdtempSync(join(tmpdir(), 'run-control-logs-'))
    const latest = await runAction(sim, { 'run-id': '660', 'save-logs': dir })
    const pinned = await runAction(sim, { 'run-id': '660', attempt: '1', 'save-logs': dir })
    expect([latest.exitCode, pinned.exitCode]).toEqual([0, 0])
    expect(latest.requests.filter((r) => r.path.endsWith('/logs')).map((r) => r.path)).toContain('/repos/octo/app/actions/runs/660/logs')
    expect(pinned.requests.filter((r) => r.path.endsWith('/logs')).map((r) => r.path)).toContain('/repos/octo/app/actions/runs/660/attempts/1/logs')
    const paths = [...JSON.parse(latest.outputs['log-archives'] ?? '[]'), ...JSON.parse(pinned.outputs['log-archives'] ?? '[]')] as string[]
    expect(paths).toEqual([join(dir, 'run-660-attempt-2.zip'), join(dir, 'run-660-attempt-1.zip')])
    // Real zips: the local-file signature, and each job's log by name (the test job passed in attempt 2 only).
    const second = readFileSync(paths[0] ?? '')
    const first = readFileSync(paths[1] ?? '')
    expect(second.subarray(0, 4).toString('binary')).toBe('PK\x03\x04')
    expect(second.toString('latin1')).toContain('_test.txt')
    expect(first.toString('latin1')).toContain('Process completed with exit code 1.')
    expect(second.toString('latin1')).not.toContain('Process completed with exit code 1.')
    for (const run of [latest, pinned]) expectCleanRun(run, sim)
  })
})
