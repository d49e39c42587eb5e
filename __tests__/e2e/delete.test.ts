// `delete` end to end: selection by age and keep, dry run, logs only, pagination, serial writes;
// at scale: past GitHub's 1,000 results per search, runs of deleted workflows, keep per branch,
// progress lines at the paced rate.
import { describe, expect, it } from '@jest/globals'
import { ciRun, daysAgo, longRun, scenario, WORKFLOWS } from '../../__fixtures__/scenarios.js'
import type { RunSpec } from '../simulator/index.js'
import { runAction, TOKEN } from './harness.js'
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
    // With keep 0 only the runs older than the cutoff are listed: 804 (10 days) and 805 (going) are not.
    expect(run.summary).toContain('Delete &#40;dry run&#41;: 4 of 4 selected run')
    expect(run.requests.filter((r) => r.path.endsWith('/runs')).map((r) => r.query.created?.slice(0, 2))).toEqual(['<=', '<='])
    expect(run.log).toContain('Dry run: 4 run(s) would be deleted')
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

describe('delete keeps what open pull requests still show', () => {
  const HEAD = 'a1'.repeat(20)
  const FORK_HEAD = 'b1'.repeat(20)
  const on = (id: number, days: number, sha: string, branch: string, fail = false): RunSpec => ({ ...ciRun(id, { at: daysAgo(days), sha, fail }), branch })
  const withPulls = {
    ...scenario([
      on(901, 43, 'a0'.repeat(20), 'feature', true), // an older commit of #7: goes
      on(902, 42, HEAD, 'feature', true), // #7's head, failed: kept
      on(903, 41, FORK_HEAD, 'patch-1', true), // #8's head, from a fork: kept
      on(904, 40, 'd1'.repeat(20), 'main')
    ]),
    pullRequests: [
      { number: 7, sha: HEAD, branch: 'feature' },
      { number: 8, sha: FORK_HEAD, branch: 'patch-1', fork: 'alice/app' }
    ]
  }

  it("keeps the runs on open pull requests' heads (fork too); without pull-requests: read, the runs off the default branch, with one warning", async () => {
    const sim = await startSimulator(withPulls)
    const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml', 'older-than': '30d' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual(['DELETE /repos/octo/app/actions/runs/904', 'DELETE /repos/octo/app/actions/runs/901'])
    expect(JSON.parse(run.outputs['kept-run-ids'] ?? '')).toEqual([903, 902])
    expect(JSON.parse(run.outputs['deleted-run-ids'] ?? '')).toEqual([904, 901])
    expect(run.requests.filter((r) => r.path === '/repos/octo/app/pulls').map((r) => r.status)).toEqual([200])
    expect(run.log).toContain('(run 903): kept: its commit is the head of open pull request #8 (from the fork alice/app)')
    expectCleanRun(run, sim)
    await sim.stop()

    // A token whose workflow gave no pull-requests: read; the event names the default branch.
    const refused = await startSimulator(withPulls, { tokens: { [TOKEN]: { pullRequests: 'none' } } })
    const dry = await runAction(
      refused,
      { command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' },
      { event: { repository: { full_name: 'octo/app', default_branch: 'main' } } }
    )
    expect(dry.exitCode).toBe(0)
    expect(JSON.parse(dry.outputs['run-ids'] ?? '')).toEqual([904])
    expect(JSON.parse(dry.outputs['kept-run-ids'] ?? '')).toEqual([903, 902, 901])
    expect(dry.log.split('\n').filter((line) => line.startsWith('::warning::'))).toEqual([
      expect.stringContaining(
        "keep-pull-requests: the token cannot list the open pull requests of octo/app (403; it needs 'pull-requests: read'), so every run not on the default branch (main) is kept: 3 of the 4"
      )
    ])
    expect(dry.requests.filter((r) => r.path === '/repos/octo/app')).toEqual([])
    expectCleanRun(dry, refused)
  }, 60_000)
})

/** A completed run with no jobs (cheap to serve by the thousand). */
function bare(id: number, at: number, options: { workflow?: string; branch?: string } = {}): RunSpec {
  return { id, workflow: options.workflow ?? 'ci.yml', ...(options.branch ? { branch: options.branch } : {}), attempts: [{ at, jobs: [] }] }
}
const deletesOf = (run: Awaited<ReturnType<typeof runAction>>): number[] => writesOf(run).map((w) => Number(/\/runs\/(\d+)$/.exec(w)?.[1]))

describe('delete at scale', () => {
  it('finds all of 2,500 matching runs past the 1,000-result limit, each once (dry run)', async () => {
    const runs = Array.from({ length: 2500 }, (_, i) => bare(10_000 + i, daysAgo(40) + Math.floor(i / 3)))
    const sim = await startSimulator(scenario(runs))
    const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(writesOf(run)).toEqual([])
    const ids = JSON.parse(run.outputs['run-ids'] ?? '') as number[]
    expect(ids).toHaveLength(2500)
    expect(new Set(ids).size).toBe(2500)
    expect(run.log).toContain('GitHub lists at most 1000 runs per search')
    expect(run.log).toContain('Found 2500 run(s) of ci.yml in 3 searches.')
    expect(run.log).toContain('Dry run: 2500 run(s) would be deleted, one at a time (about 42 min at one a second).')
    expect(run.summary).toContain('2500 of 2500 selected run')
    expectCleanRun(run, sim)
  }, 60_000)

  it('deletes the runs of deleted workflows and leaves a ruleset’s workflow alone', async () => {
    const sim = await startSimulator({
      ...scenario([
        bare(1, daysAgo(3)),
        bare(2, daysAgo(3), { workflow: 'old-nightly.yml' }),
        bare(3, daysAgo(2), { workflow: 'gone.yml' }),
        bare(4, daysAgo(3), { workflow: 'policy.yml' })
      ]),
      workflows: [
        ...WORKFLOWS,
        { id: 201, name: 'Old nightly', file: 'old-nightly.yml', state: 'deleted' },
        { id: 202, name: 'Gone', file: 'gone.yml', state: 'deleted', unlisted: true },
        { id: 203, name: 'Policy', file: 'policy.yml', required: true }
      ]
    })
    const run = await runAction(sim, { command: 'delete', 'deleted-workflows': 'true' })
    expect(run.exitCode).toBe(0)
    expect(deletesOf(run)).toEqual([3, 2])
    expect(run.log).toContain(
      'Deleted workflows: Gone (.github/workflows/gone.yml, id 202): 1 run(s); Old nightly (.github/workflows/old-nightly.yml, id 201): 1 run(s).'
    )
    expect(run.log).toContain('Left alone: 1 run(s) of workflow id 203')
    expect(JSON.parse(run.outputs['deleted-run-ids'] ?? '')).toEqual([3, 2])
    expectCleanRun(run, sim)
  })

  it('keeps the newest of each branch with keep-per: branch', async () => {
    const sim = await startSimulator(
      scenario([
        bare(11, daysAgo(40) + 1, { branch: 'feature' }),
        bare(12, daysAgo(40) + 2, { branch: 'main' }),
        bare(13, daysAgo(40) + 3, { branch: 'main', workflow: 'lint.yml' }),
        bare(14, daysAgo(40) + 4, { branch: 'feature', workflow: 'lint.yml' })
      ])
    )
    const run = await runAction(sim, { command: 'delete', status: 'completed', 'older-than': '30d', keep: '1', 'keep-per': 'branch' })
    expect(run.exitCode).toBe(0)
    expect(deletesOf(run)).toEqual([12, 11])
    expect(run.log).toContain('(run 14): kept: one of the newest 1 of branch feature')
    expect(run.log).toContain('(run 13): kept: one of the newest 1 of branch main')
    expectCleanRun(run, sim)
  })

  it('says how far it has got every 30 s, at about one delete a second', async () => {
    const runs = Array.from({ length: 36 }, (_, i) => bare(100 + i, daysAgo(40) + i))
    const sim = await startSimulator(scenario(runs))
    const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml' })
    expect(run.exitCode).toBe(0)
    const deletes = run.requests.filter((r) => r.method === 'DELETE')
    expect(new Set(deletes.map((r) => r.path)).size).toBe(36)
    // The paced rate: 35 gaps of about a second.
    const spanMs = (deletes.at(-1)?.realMs ?? 0) - (deletes[0]?.realMs ?? 0)
    expect(spanMs).toBeGreaterThanOrEqual(35 * 990)
    expect(spanMs).toBeLessThan(35 * 2000) // (a loaded machine answers slower)
    expect(run.log).toContain('Deleting 36 run(s), one at a time (less than a minute at one a second).')
    const progress = run.log.split('\n').filter((line) => line.startsWith('Progress: '))
    expect(progress).toHaveLength(1)
    // About 30 s in: about 30 deleted (fewer on a loaded machine), the rest left.
    const [, done = '0', left = '0'] = /^Progress: deleted (\d+) of 36, (\d+) left, less than a minute to go at one a second\.$/.exec(progress[0] ?? '') ?? []
    expect(Number(done) + Number(left)).toBe(36)
    expect(Number(done)).toBeGreaterThanOrEqual(15)
    expect(Number(done)).toBeLessThanOrEqual(31)
    expectCleanRun(run, sim)
  }, 90_000)
})
