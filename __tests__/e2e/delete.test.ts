// `delete` end to end: selection by age and keep, dry run, logs only, pagination, serial writes.
import { describe, expect, it } from '@jest/globals'
import { ciRun, daysAgo, longRun, scenario } from '../../__fixtures__/scenarios.js'
import { runAction } from './harness.js'
import { expectCleanRun, simulatorPerTest, writesOf } from './setup.js'

const startSimulator = simulatorPerTest()

/** Old runs of ci.yml (40, 35 and 31 days), a recent one, one still going, and an old lint run. */
function history() {
  return scenario([
    ciRun(801, { at: daysAgo(40) }),
    ciRun(802, { at: daysAgo(35), fail: true }),
    ciRun(803, { at: daysAgo(31) }),
    ciRun(804, { at: daysAgo(10) }),
    longRun(805, 600, { at: -5 }),
    ciRun(806, { at: daysAgo(50), workflow: 'lint.yml' })
  ])
}

describe('delete', () => {
  it('deletes the completed runs older than older-than, keeping the newest of the workflow, one at a time', async () => {
    const sim = await startSimulator(history())
    const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml', 'older-than': '30d', keep: '1' })
    expect(run.exitCode).toBe(0)
    const deletes = run.requests.filter((r) => r.method === 'DELETE')
    expect(deletes.map((r) => r.path)).toEqual(['801', '802', '803'].map((id) => `/repos/octo/app/actions/runs/${id}`).reverse())
    // Serial and spaced (secondary limits): each delete was sent after the one before was answered.
    for (let i = 1; i < deletes.length; i++) expect((deletes[i]?.realMs ?? 0) - (deletes[i - 1]?.realMs ?? 0)).toBeGreaterThanOrEqual(900)
    expect(JSON.parse(run.outputs['deleted-run-ids'] ?? '')).toEqual([803, 802, 801])
    expect(JSON.parse(run.outputs['run-ids'] ?? '')).toEqual([803, 802, 801])
    expect(run.log).toContain('kept: one of the newest 1 of its workflow')
    expect(run.log).toMatch(/run 805\): in_progress: runs that are not completed are never deleted/)
    expect(run.summary).toContain('3 of 5 selected run')
    expectCleanRun(run, sim)
    // Gone: the action can no longer find it.
    const after = await runAction(sim, { command: 'summarize', 'run-id': '801' })
    expect(after.exitCode).toBe(1)
    expect(after.log).toContain('Run 801 was not found')
  }, 90_000)

  it('dry-run lists what would go and deletes nothing', async () => {
    const sim = await startSimulator(history())
    const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml, lint.yml', 'older-than': '30d', 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual([])
    expect(JSON.parse(run.outputs['run-ids'] ?? '').sort()).toEqual([801, 802, 803, 806])
    expect(JSON.parse(run.outputs['deleted-run-ids'] ?? '')).toEqual([])
    expect(run.summary).toContain('📝 would do')
    expect(run.summary).toContain('Delete &#40;dry run&#41;: 4 of 6 selected run')
  })

  it('logs-only deletes the logs and keeps the runs', async () => {
    const sim = await startSimulator(history())
    const run = await runAction(sim, { command: 'delete', 'run-id': '801 805' })
    const logsOnly = await runAction(sim, { command: 'delete', 'run-id': '804', 'logs-only': 'true' })
    expect(writesOf(run)).toEqual(['DELETE /repos/octo/app/actions/runs/801'])
    expect(run.log).toContain('runs that are not completed are never deleted')
    expect(logsOnly.exitCode).toBe(0)
    expect(writesOf(logsOnly)).toEqual(['DELETE /repos/octo/app/actions/runs/804/logs'])
    expect(logsOnly.summary).toContain('logs deleted')
    // The run is still there, its logs are not: summarize notes the missing log, not a missing run.
    const after = await runAction(sim, { command: 'summarize', 'run-id': '804' })
    expect(after.exitCode).toBe(0)
    expectCleanRun(logsOnly, sim)
  })

  it('pages through every match', async () => {
    const runs = Array.from({ length: 230 }, (_, i) => ciRun(1000 + i, { at: daysAgo(60) + i }))
    const sim = await startSimulator(scenario(runs))
    const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml', 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['run-ids'] ?? '')).toHaveLength(230)
    expect(run.requests.filter((r) => r.path.endsWith('/workflows/ci.yml/runs')).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3'])
    expectCleanRun(run, sim)
  })
})
