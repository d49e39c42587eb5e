// `delete` at scale, in process on the fake clock: past GitHub's 1,000 results per search (every
// run found and deleted once), older-than folded into the `created` filter, runs of deleted
// workflows, keep per branch, and the progress lines of a long deletion.
import { describe, expect, it } from '@jest/globals'
import { daysAgo, scenario, WORKFLOWS } from '../../__fixtures__/scenarios.js'
import type { RunSpec, Scenario } from '../simulator/index.js'
import { benchPerTest, expectClean, parsed, writes } from './setup.js'
import type { InProcessRun } from './harness.js'

const start = benchPerTest()
/** Thousands of deletes are thousands of requests: more than a GITHUB_TOKEN's hour. */
const BIG_BUDGET = { rateLimit: 100_000 }

/** A completed run with no jobs (cheap to serve by the thousand). */
function bare(id: number, at: number, options: { workflow?: string; branch?: string } = {}): RunSpec {
  return { id, workflow: options.workflow ?? 'ci.yml', ...(options.branch ? { branch: options.branch } : {}), attempts: [{ at, jobs: [] }] }
}

/** `count` runs of ci.yml from 40 days ago on, three to a second (so searches split seconds). */
function manyRuns(count: number, firstId = 10_000, at = daysAgo(40)): RunSpec[] {
  return Array.from({ length: count }, (_, i) => bare(firstId + i, at + Math.floor(i / 3)))
}

const runLists = (run: InProcessRun) => run.requests.filter((r) => r.method === 'GET' && /\/actions\/(workflows\/[^/]+\/)?runs$/.test(r.path))
const deletedIds = (run: InProcessRun): number[] =>
  writes(run)
    .filter((w) => w.startsWith('DELETE '))
    .map((w) => Number(/\/runs\/(\d+)$/.exec(w)?.[1]))

describe('delete past GitHub’s 1,000 results per search', () => {
  it('deletes every one of 2,500 matching runs exactly once, newest first, saying how far it has got', async () => {
    const runs = manyRuns(2500)
    const bench = await start(scenario(runs), BIG_BUDGET)
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', timeout: '2h' })
    expect(run.error).toBeNull()
    expect(run.verdict.result).toBe('success')
    const ids = deletedIds(run)
    expect(ids).toHaveLength(2500)
    expect(new Set(ids).size).toBe(2500)
    expect([...ids].sort((a, b) => a - b)).toEqual(runs.map((r) => r.id))
    expect(ids[0]).toBe(12_499) // newest first
    expect(parsed<number[]>(run, 'deleted-run-ids')).toHaveLength(2500)
    // Three searches (1,000 + 1,000 + 500, plus the boundary seconds listed again), 10 pages each at most.
    const searches = runLists(run).filter((r) => (r.query.page ?? '1') === '1')
    expect(searches.length).toBe(3)
    expect(searches[0]?.query.created).toMatch(/^<=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(runLists(run).length).toBeLessThanOrEqual(3 * 10)
    const log = run.log.join('\n')
    expect(log).toContain('GitHub lists at most 1000 runs per search')
    expect(log).toContain('Found 2500 run(s) of ci.yml in 3 searches.')
    expect(log).toContain('Deleting 2500 run(s), one at a time (about 42 min at one a second).')
    // A progress line every 100 deletes (the fake clock does not move while deleting), none after the last.
    const progress = run.log.filter((line) => line.startsWith('Progress: '))
    expect(progress).toHaveLength(24)
    expect(progress[0]).toBe('Progress: deleted 100 of 2500, 2400 left, about 40 min to go at one a second.')
    expect(progress[23]).toBe('Progress: deleted 2400 of 2500, 100 left, about 2 min to go at one a second.')
    // Gone: a fresh listing finds nothing.
    const after = await bench.run({ command: 'delete', workflow: 'ci.yml', 'dry-run': 'true' })
    expect(parsed<number[]>(after, 'run-ids')).toEqual([])
    expectClean(run, bench)
  }, 120_000)

  it('dry-run lists all 2,500 and sends nothing', async () => {
    const runs = manyRuns(2500)
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'delete', status: 'completed', 'dry-run': 'true' })
    expect(writes(run)).toEqual([])
    const ids = parsed<number[]>(run, 'run-ids')
    expect(ids).toHaveLength(2500)
    expect(new Set(ids).size).toBe(2500)
    expect(run.log.join('\n')).toContain('Dry run: 2500 run(s) would be deleted, one at a time (about 42 min at one a second).')
    expect(run.summary).toContain('2500 of 2500 selected run')
    expectClean(run, bench)
  }, 60_000)

  it('fails before deleting anything when one second holds 1,000 runs or more', async () => {
    const crowded = Array.from({ length: 1001 }, (_, i) => bare(20_000 + i, daysAgo(40)))
    const bench = await start(scenario([...crowded, bare(30_000, daysAgo(41))]))
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml' })
    expect(writes(run)).toEqual([])
    expect(run.error).toMatch(
      /^1000 or more runs of ci\.yml were created in the second \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z: GitHub lists at most 1000 runs per search/
    )
  }, 60_000)

  it('with older-than and keep 0, lists only the runs created before the cutoff, each once', async () => {
    const old = manyRuns(1500, 10_000, daysAgo(60))
    const young = Array.from({ length: 1200 }, (_, i) => bare(40_000 + i, daysAgo(20) + i))
    const bench = await start(scenario([...old, ...young]))
    // The simulator's second 0 is the fake clock's start.
    const iso = (t: number): string => new Date(origin + t * 1000).toISOString().replace(/\.\d+Z$/, 'Z')
    const origin = bench.clock.now()
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' })
    expect(run.verdict.result).toBe('success')
    const ids = parsed<number[]>(run, 'run-ids')
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort((a, b) => a - b)).toEqual(old.map((r) => r.id))
    // No young run was listed: the first search asked for runs created up to 30 days ago, and
    // the next one (1,500 > 1,000) up to the oldest second the first one reached.
    const cutoff = new Date(bench.clock.now() - 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')
    const searches = runLists(run).filter((r) => (r.query.page ?? '1') === '1')
    // (The 1,000 newest are runs 500 to 1,499; run 500 shares its second, 166, with 498 and 499.)
    expect(searches.map((r) => r.query.created)).toEqual([`<=${cutoff}`, `<=${iso(daysAgo(60) + 166)}`])
    expect(run.log.join('\n')).toContain(`older-than (30d 0h): listing only the runs created up to ${cutoff}.`)
    expect(run.log.join('\n')).not.toContain('run 40000')
    expect(run.summary).toContain('1500 of 1500 selected run')
    expectClean(run, bench)
  }, 60_000)

  it('with keep, counts the younger runs among the newest kept, and the user’s created range still applies', async () => {
    // 1,200 old runs (60 days), 2 young completed runs: keep 5 keeps the 2 young and the 3 newest old.
    const old = manyRuns(1200, 10_000, daysAgo(60))
    const young = [bare(50_000, daysAgo(5)), bare(50_001, daysAgo(4))]
    const older = bare(9_000, daysAgo(100)) // outside the created range below
    const bench = await start(scenario([older, ...old, ...young]), BIG_BUDGET)
    const from = new Date(bench.clock.now() - 90 * 86_400_000).toISOString().slice(0, 10)
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', keep: '5', created: `>=${from}`, 'dry-run': 'true' })
    const planned = parsed<number[]>(run, 'run-ids')
    expect(planned).toHaveLength(1200 - 3)
    expect(planned).not.toContain(9_000)
    expect(planned).not.toContain(11_199)
    expect(planned).toContain(11_196)
    const log = run.log.join('\n')
    expect(log).toContain('(run 50001): kept: one of the newest 5 of its workflow')
    expect(log).toContain('(run 11199): kept: one of the newest 5 of its workflow')
    // Every search kept the user's lower bound.
    for (const r of runLists(run)) expect(r.query.created).toMatch(new RegExp(`^${from}T00:00:00Z\\.\\.`))
  }, 60_000)
})

describe('delete the runs of deleted workflows', () => {
  function withWorkflows(runs: RunSpec[]): Scenario {
    return {
      ...scenario(runs),
      workflows: [
        ...WORKFLOWS,
        { id: 201, name: 'Old nightly', file: 'old-nightly.yml', state: 'deleted' },
        { id: 202, name: 'Gone', file: 'gone.yml', state: 'deleted', unlisted: true },
        { id: 203, name: 'Policy', file: 'policy.yml', required: true },
        { id: 204, name: 'Paused', file: 'paused.yml', state: 'disabled_manually' }
      ]
    }
  }
  const runs = [
    bare(1, daysAgo(3)),
    bare(2, daysAgo(3), { workflow: 'old-nightly.yml' }),
    bare(3, daysAgo(2), { workflow: 'old-nightly.yml' }),
    bare(4, daysAgo(3), { workflow: 'gone.yml' }),
    bare(5, daysAgo(3), { workflow: 'policy.yml' }),
    bare(6, daysAgo(3), { workflow: 'paused.yml' }),
    bare(7, daysAgo(1), { workflow: 'lint.yml' })
  ]

  it('deletes the runs whose workflow is deleted (listed so, or unlisted and deleted by id), and leaves the others', async () => {
    const bench = await start(withWorkflows(runs))
    const run = await bench.run({ command: 'delete', 'deleted-workflows': 'true' })
    expect(run.error).toBeNull()
    // Newest first (runs 4 and 2 were created in the same second: the higher id first).
    expect(writes(run)).toEqual([3, 4, 2].map((id) => `DELETE /repos/octo/app/actions/runs/${id}`))
    // The workflow list once; by id only the workflows it lacks.
    const workflowReads = run.requests
      .filter((r) => r.path.includes('/actions/workflows'))
      .map((r) => `${r.path}${r.query.page ? `?page=${r.query.page}` : ''}`)
    expect(workflowReads).toEqual(['/repos/octo/app/actions/workflows', '/repos/octo/app/actions/workflows/203', '/repos/octo/app/actions/workflows/202'])
    const log = run.log.join('\n')
    expect(log).toContain(
      'Deleted workflows: Old nightly (.github/workflows/old-nightly.yml, id 201): 2 run(s); Gone (.github/workflows/gone.yml, id 202): 1 run(s).'
    )
    expect(log).toContain('Left alone: 1 run(s) of workflow id 203 (.github/workflows/policy.yml), which this repository does not know (404)')
    expect(run.summary).toContain('3 of 3 selected run')
    expectClean(run, bench)
  })

  it('combines with the filters, older-than and keep', async () => {
    const bench = await start(withWorkflows(runs))
    const run = await bench.run({ command: 'delete', 'deleted-workflows': 'true', 'older-than': '36h', keep: '1', 'dry-run': 'true' })
    // Run 3 is the newest of old-nightly.yml (kept), run 4 the only one of gone.yml (kept): run 2 goes.
    expect(parsed<number[]>(run, 'run-ids')).toEqual([2])
    const named = await bench.run({ command: 'delete', 'deleted-workflows': 'true', workflow: 'old-nightly.yml, ci.yml', 'dry-run': 'true' })
    expect(parsed<number[]>(named, 'run-ids')).toEqual([3, 2])
  })

  it('needs no other filter, and refuses run-id', async () => {
    const bench = await start(withWorkflows(runs))
    const refused = await bench.run({ command: 'delete', 'deleted-workflows': 'true', 'run-id': '2' })
    expect(refused.error).toContain("Input 'deleted-workflows' has an invalid value 'true': it selects runs by listing them; leave 'run-id' empty")
    expect(refused.requests).toEqual([])
    const nothing = await bench.run({ command: 'delete' })
    expect(nothing.error).toContain("or 'deleted-workflows: true'")
  })
})

describe('keep per branch', () => {
  // Newest first: 16 (feature, lint), 15 (main, ci), 14 (feature, ci), 13 (main, lint), 12 (main, ci), 11 (feature, ci).
  const runs = [
    bare(11, daysAgo(40) + 1, { branch: 'feature' }),
    bare(12, daysAgo(40) + 2, { branch: 'main' }),
    bare(13, daysAgo(40) + 3, { branch: 'main', workflow: 'lint.yml' }),
    bare(14, daysAgo(40) + 4, { branch: 'feature' }),
    bare(15, daysAgo(40) + 5, { branch: 'main' }),
    bare(16, daysAgo(40) + 6, { branch: 'feature', workflow: 'lint.yml' })
  ]

  it('keep-per: branch keeps the newest N of each branch, whichever workflow', async () => {
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'delete', status: 'completed', keep: '1', 'keep-per': 'branch' })
    expect(deletedIds(run)).toEqual([14, 13, 12, 11])
    const log = run.log.join('\n')
    expect(log).toContain('(run 16): kept: one of the newest 1 of branch feature')
    expect(log).toContain('(run 15): kept: one of the newest 1 of branch main')
  })

  it('keep-per: workflow-and-branch keeps the newest N of each workflow on each branch', async () => {
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'delete', status: 'completed', keep: '1', 'keep-per': 'workflow-and-branch', 'dry-run': 'true' })
    expect(parsed<number[]>(run, 'run-ids')).toEqual([12, 11])
    expect(run.log.join('\n')).toContain('(run 13): kept: one of the newest 1 of its workflow on branch main')
  })

  it('keep-per: workflow (the default) keeps the newest N of each workflow', async () => {
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'delete', status: 'completed', keep: '1', 'dry-run': 'true' })
    expect(parsed<number[]>(run, 'run-ids')).toEqual([14, 13, 12, 11])
  })

  it('refuses an unknown keep-per', async () => {
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'delete', status: 'completed', keep: '1', 'keep-per': 'author' })
    expect(run.error).toContain("Input 'keep-per' has an invalid value 'author': expected one of workflow, branch, workflow-and-branch")
  })
})

describe('a long deletion', () => {
  it('warns at the start when it cannot finish before the timeout', async () => {
    const bench = await start(scenario(manyRuns(150)))
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', timeout: '1m' })
    expect(run.log.filter((line) => line.startsWith('warning: '))).toEqual([
      "warning: Deleting 150 runs takes about 3 min at one a second, more than the 1m 00s left of 'timeout' (1m 00s): the runs not reached then are reported as not deleted and the step fails. Raise 'timeout' (e.g. 8m) or delete in several steps (older-than, created)."
    ])
    // A progress line after 100 (the fake clock stands still while deleting: none for the 30 s).
    expect(run.log.filter((line) => line.startsWith('Progress: '))).toEqual([
      'Progress: deleted 100 of 150, 50 left, less than a minute to go at one a second.'
    ])
  })
})
