// `checks`: other apps' check runs and commit statuses count in the gate (INTERFACE, "External
// checks"), polling and one look alike; in process on a fake clock. Each rule has a case here
// that fails without it.
import { describe, expect, it } from '@jest/globals'
import { ciRun, longRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { FileSpec, RunSpec, Scenario } from '../simulator/index.js'
import { TOKEN } from './harness.js'
import { benchPerTest, expectClean, postedStatuses, pullRequestTargetContext } from './setup.js'

const start = benchPerTest()
const polling = { command: 'wait', 'poll-interval': '10s', timeout: '30m', checks: 'Preview, codecov/*' }
const context = { headSha: SHA, runId: 4242 }

const once = { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml', checks: 'Preview' }
const gateYml = 'name: Gate\non:\n  pull_request_target:\n  workflow_run:\n    workflows: [CI]\n    types: [requested, completed]\njobs: {}\n'
const files: FileSpec[] = [
  { path: '.github/workflows/gate.yml', ref: 'main', content: gateYml },
  { path: '.github/workflows/ci.yml', ref: 'main', content: 'name: CI\non: pull_request\njobs: {}\n' }
]
const event = pullRequestTargetContext('synchronize')
const withFiles = (runs: RunSpec[], more: Partial<Scenario> = {}): Scenario => ({ ...scenario(runs), files, ...more })

describe('checks: the polling gate', () => {
  it("fails on another app's failed check run, naming it, though every workflow run passed", async () => {
    const bench = await start({ ...scenario([ciRun(800)]), checkRuns: [{ sha: SHA, name: 'Preview', app: 'vercel', completedAt: 40, conclusion: 'failure' }] })
    const run = await bench.run(polling, context)
    expect(run.outputs.result).toBe('failure')
    expect(run.verdict).toMatchObject({ result: 'failure', message: expect.stringContaining('Preview (vercel): failure') })
    // One table of the runs and checks, the failed check first, linked to its app's page.
    const table = (run.summary ?? '').slice((run.summary ?? '').indexOf('### Runs and checks'))
    expect(table).toMatch(/\| ❌ failure \| Preview \| \[vercel\]\([^)]+\) \|[^\n]*\n\| ✅ success \| CI \|/)
    expectClean(run, bench)
  })

  it('waits for a pending commit status named by a glob, and passes when it turns success', async () => {
    const bench = await start({
      ...scenario([ciRun(801)]),
      statuses: [
        { sha: SHA, context: 'codecov/patch', state: 'pending', at: 0 },
        { sha: SHA, context: 'codecov/patch', state: 'success', at: 600 }
      ]
    })
    const run = await bench.run({ ...polling, checks: 'codecov/*' }, context)
    expect(run.outputs.result).toBe('success')
    // The runs were done in a minute or two: the status held the gate until second 600.
    expect(run.tookMs).toBeGreaterThanOrEqual(590_000)
    expect(run.tookMs).toBeLessThan(640_000)
  })

  it("ignores another app's failure that 'checks' does not name", async () => {
    const bench = await start({
      ...scenario([ciRun(802)]),
      checkRuns: [
        { sha: SHA, name: 'Preview', app: 'vercel', completedAt: 30, conclusion: 'success' },
        { sha: SHA, name: 'Lighthouse', app: 'lighthouse', completedAt: 20, conclusion: 'failure' }
      ],
      statuses: [{ sha: SHA, context: 'ci/circleci', state: 'failure' }]
    })
    const run = await bench.run(polling, context)
    expect(run.outputs.result).toBe('success')
  })

  it('fails fast on a failed check while a workflow run still goes', async () => {
    const bench = await start({
      ...scenario([longRun(803, 1200)]),
      checkRuns: [{ sha: SHA, name: 'Preview', app: 'vercel', completedAt: 60, conclusion: 'failure' }]
    })
    const run = await bench.run(polling, context)
    expect(run.outputs.result).toBe('failure')
    expect(run.tookMs).toBeLessThan(200_000)
  })

  it('never passes on a named check that has not appeared: not-found after the appear window', async () => {
    const bench = await start(scenario([ciRun(804)]))
    const run = await bench.run({ ...polling, 'appear-timeout': '2m' }, context)
    expect(run.outputs.result).toBe('not-found')
    expect(run.verdict).toMatchObject({ message: expect.stringContaining("no check run or status named 'Preview'") })
  })

  it('refuses a token without statuses: read, naming the permission', async () => {
    const bench = await start(scenario([ciRun(807)]), { tokens: { [TOKEN]: { statuses: 'none' } } })
    const run = await bench.run({ ...polling, checks: 'Preview' }, context)
    expect(run.error).toContain('`statuses: read`')
  })

  it('refuses a token without checks: read, naming the permission (no quiet fallback)', async () => {
    const bench = await start(
      { ...scenario([ciRun(805)]), checkRuns: [{ sha: SHA, name: 'Preview', app: 'vercel', completedAt: 1, conclusion: 'success' }] },
      {
        tokens: { [TOKEN]: { checks: 'none' } }
      }
    )
    const run = await bench.run(polling, context)
    expect(run.error).toContain('`checks: read`')
    expect(run.outputs.result).not.toBe('success')
  })

  it("never counts the gate's own status context, even with checks: '*'", async () => {
    const bench = await start({
      ...scenario([ciRun(806)]),
      files,
      statuses: [{ sha: SHA, context: 'All-Green', state: 'failure', description: 'an older verdict' }]
    })
    const run = await bench.run({ ...polling, checks: '*', 'status-context': 'all-green' }, context)
    expect(run.outputs.result).toBe('success')
    expect(postedStatuses(bench, SHA).at(-1)).toBe('success — Passed: CI')
  })
})

describe('checks: one look', () => {
  it('is pending while a named check has not appeared, and never green', async () => {
    const bench = await start(withFiles([ciRun(810)]))
    await bench.clock.sleep(120_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('pending')
    expect(postedStatuses(bench, SHA)).toEqual(['pending — Waiting for Preview'])
    expect(run.summary).toMatch(/\| Preview \| not reported \|/)
  })

  it("warns when the gate's workflow listens to neither check_run nor status (a check reporting last would wait for the sweep)", async () => {
    const bench = await start(withFiles([ciRun(814)]))
    const deaf = await bench.run(once, event)
    expect(deaf.log.join('\n')).toContain('listens to neither check_run nor status')
    await bench.sim.stop()
    const listening = `${gateYml.replace('jobs: {}', '  check_run:\n    types: [created, completed]\n  status:\njobs: {}')}`
    const bench2 = await start(withFiles([ciRun(815)], { files: [{ ...files[0]!, content: listening }, files[1]!] }))
    const wired = await bench2.run(once, event)
    expect(wired.log.join('\n')).not.toContain('listens to neither')
    expect(wired.outputs.result).toBe('pending')
  })

  it('fails on a failed external check, passes when it was re-requested and succeeded', async () => {
    const bench = await start(withFiles([ciRun(811)]))
    const first = bench.sim.addCheckRun({ sha: SHA, name: 'Preview', app: 'vercel' })
    await bench.clock.sleep(60_000)
    bench.sim.completeCheckRun(first, 'failure')
    const failed = await bench.run(once, { ...event, eventName: 'check_run', event: { action: 'completed', checkRunApp: 'vercel' } })
    expect(failed.outputs.result).toBe('failure')
    // Another app's event follows the pull request's, which checked the wiring: no workflow file is read again.
    expect(failed.requests.filter((r) => r.path.includes('/contents/'))).toEqual([])
    // Re-requested: a new check run of the same name, which succeeds; the newest decides.
    const again = bench.sim.addCheckRun({ sha: SHA, name: 'Preview', app: 'vercel' })
    await bench.clock.sleep(30_000)
    bench.sim.completeCheckRun(again, 'success')
    const passed = await bench.run(once, { ...event, eventName: 'check_run', event: { action: 'completed', checkRunApp: 'vercel' } })
    expect(passed.outputs.result).toBe('success')
    expect(postedStatuses(bench, SHA)).toEqual(['failure — Failed: Preview', 'success — Passed: CI, Preview'])
  })

  it('publishes error, failing the step, without checks: read, naming the permission', async () => {
    const bench = await start(withFiles([ciRun(812)]), { tokens: { [TOKEN]: { checks: 'none' } } })
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('error')
    expect(postedStatuses(bench, SHA)).toEqual(["error — the token cannot read check runs (403): give the gate `checks: read` for 'checks'"])
  })

  it("ignores a GitHub Actions job's check_run event: no request is spent", async () => {
    const bench = await start(withFiles([ciRun(813)]))
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, { ...event, eventName: 'check_run', event: { action: 'completed', checkRunApp: 'github-actions' } })
    expect(run.requests.filter((r) => r.origin === 'api')).toEqual([])
    expect(run.log.join('\n')).toContain("GitHub Actions job's check run")
  })
})
