// `delete` keeps what an open pull request still shows (`keep-pull-requests`), in process on the
// fake clock: runs on an open pull request's head commit (same repository or a fork) are kept,
// runs on its older commits go; a token that cannot list pull requests keeps every run off the
// default branch; dry-run shows the kept runs as kept; `false` turns the rule off; nothing to
// delete reads no pull request.
import { describe, expect, it } from '@jest/globals'
import { ciRun, daysAgo, scenario } from '../../__fixtures__/scenarios.js'
import type { PullRequestSpec, RunSpec, Scenario } from '../simulator/index.js'
import { summaryText } from '../helpers/summary-text.js'
import { TOKEN, type InProcessRun } from './harness.js'
import { benchPerTest, expectClean, parsed, writes } from './setup.js'

const start = benchPerTest()

const HEAD = 'a1'.repeat(20) // pull request #7's head (this repository)
const OLDER = 'a0'.repeat(20) // an earlier commit of #7
const FORK_HEAD = 'b1'.repeat(20) // pull request #8's head (the fork alice/app)
const CLOSED_HEAD = 'c1'.repeat(20) // pull request #5's head (closed)
const MAIN = 'd1'.repeat(20)

const PULLS: PullRequestSpec[] = [
  { number: 7, sha: HEAD, branch: 'feature', title: 'Add discount codes', at: daysAgo(45) },
  // A fork's head: its branch is the fork's, its runs carry the fork's commit.
  { number: 8, sha: FORK_HEAD, branch: 'patch-1', fork: 'alice/app', at: daysAgo(44) },
  { number: 5, sha: CLOSED_HEAD, branch: 'old-idea', state: 'closed', at: daysAgo(60) }
]

function on(id: number, at: number, sha: string, branch: string, options: { fail?: boolean; event?: string } = {}): RunSpec {
  return { ...ciRun(id, { at, sha, ...(options.fail ? { fail: true } : {}) }), branch, event: options.event ?? 'pull_request' }
}

/** Old runs of ci.yml (all older than 30 days), newest first: 105 … 100. */
function history(pulls: PullRequestSpec[] = PULLS): Scenario {
  return {
    ...scenario([
      on(100, daysAgo(43), OLDER, 'feature', { fail: true }), // #7, an older commit: goes
      on(101, daysAgo(42), HEAD, 'feature', { fail: true }), // #7's head, failed: kept
      on(102, daysAgo(41), FORK_HEAD, 'patch-1', { fail: true }), // #8's head (fork): kept
      on(103, daysAgo(40), CLOSED_HEAD, 'old-idea'), // a closed pull request's head: goes
      on(104, daysAgo(39), MAIN, 'main', { event: 'push' }), // the default branch: goes
      on(105, daysAgo(38), MAIN, 'main', { event: 'schedule' })
    ]),
    pullRequests: pulls
  }
}

const pullLists = (run: InProcessRun) => run.requests.filter((r) => r.method === 'GET' && r.path === '/repos/octo/app/pulls')
const deleted = (run: InProcessRun): number[] => writes(run).map((w) => Number(/\/runs\/(\d+)$/.exec(w)?.[1]))

describe('delete keeps what an open pull request still shows', () => {
  it("keeps the failed runs on an open pull request's head, same repository and fork, and deletes the older commit's run", async () => {
    const bench = await start(history())
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d' })
    expect(run.error).toBeNull()
    expect(run.verdict.result).toBe('success')
    expect(deleted(run)).toEqual([105, 104, 103, 100])
    expect(parsed<number[]>(run, 'deleted-run-ids')).toEqual([105, 104, 103, 100])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([102, 101])
    // Listed once, all open ones (state=open), 100 a page; before the first delete.
    expect(pullLists(run).map((r) => r.query)).toEqual([{ state: 'open', per_page: '100' }])
    const firstDelete = run.requests.findIndex((r) => r.method === 'DELETE')
    expect(run.requests.indexOf(pullLists(run)[0]!)).toBeLessThan(firstDelete)
    const log = run.log.join('\n')
    expect(log).toContain('(run 101): kept: its commit is the head of open pull request #7 (keep-pull-requests)')
    expect(log).toContain('(run 102): kept: its commit is the head of open pull request #8 (from the fork alice/app) (keep-pull-requests)')
    expect(log).toContain(
      'keep-pull-requests: 2 of the 6 run(s) to delete kept, on the head commit of one of the 2 open pull request(s) (deleting a run deletes its checks'
    )
    const summary = summaryText(run.summary)
    expect(summary).toContain('2 run(s) kept: their commit is the head of an open pull request (keep-pull-requests; deleting a run deletes its checks')
    expect(summary).toMatch(/CI #2\]\([^)]*\) — Add discount codes \| 1 \| [^|]+ \| ➖ skipped \| kept: its commit is the head of open pull request #7 /)
    expect(summary).toContain('Delete: 4 of 6 selected run(s) deleted')
    expectClean(run, bench)
  })

  it('finds a head on any page of the open pull requests (paginated)', async () => {
    const many: PullRequestSpec[] = Array.from({ length: 230 }, (_, i) => ({
      number: 1000 + i,
      sha: (1000 + i).toString(16).padStart(40, 'e'),
      at: daysAgo(50) + i
    }))
    // #7 is the oldest: on the third page.
    const bench = await start(history([...many, { ...PULLS[0]!, at: daysAgo(90) }]))
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' })
    expect(pullLists(run).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3'])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([101])
    expectClean(run, bench)
  })

  it('dry-run shows the kept runs as kept, not as would do', async () => {
    const bench = await start(history())
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' })
    expect(writes(run)).toEqual([])
    expect(parsed<number[]>(run, 'run-ids')).toEqual([105, 104, 103, 100])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([102, 101])
    expect(parsed<number[]>(run, 'deleted-run-ids')).toEqual([])
    const rows = summaryText(run.summary)
      .split('\n')
      .filter((line) => line.startsWith('| [CI #'))
    const kept = rows.filter((row) => row.includes('kept: its commit is the head of open pull request'))
    expect(kept).toHaveLength(2)
    for (const row of kept) expect(row).not.toContain('would do')
    expect(rows.filter((row) => row.includes('📝 would do'))).toHaveLength(4)
    expect(run.log.join('\n')).toContain('Dry run: 4 run(s) would be deleted')
    expect(summaryText(run.summary)).toContain('4 of 6 selected run(s) would have their runs deleted')
    expectClean(run, bench)
  })

  it('applies to explicit run ids and to logs-only too', async () => {
    const bench = await start(history())
    const run = await bench.run({ command: 'delete', 'run-id': '101 104', 'logs-only': 'true' })
    expect(writes(run)).toEqual(['DELETE /repos/octo/app/actions/runs/104/logs'])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([101])
    expectClean(run, bench)
  })

  it('keep-pull-requests: false deletes them and reads no pull request', async () => {
    const bench = await start(history())
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'keep-pull-requests': 'false' })
    expect(deleted(run)).toEqual([105, 104, 103, 102, 101, 100])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([])
    expect(pullLists(run)).toEqual([])
    expectClean(run, bench)
  })

  it('reads no pull request when nothing is to be deleted', async () => {
    const bench = await start(history())
    // Everything younger than 60 days, or kept as the newest: nothing goes.
    const young = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '60d' })
    const kept = await bench.run({ command: 'delete', workflow: 'ci.yml', keep: '6' })
    for (const run of [young, kept]) {
      expect(run.error).toBeNull()
      expect(writes(run)).toEqual([])
      expect(pullLists(run)).toEqual([])
      expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([])
    }
  })

  it('refuses a keep-pull-requests that is not a boolean, before any request', async () => {
    const bench = await start(history())
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'keep-pull-requests': 'maybe' })
    expect(run.error).toBe("Input 'keep-pull-requests' has an invalid value 'maybe': expected true or false")
    expect(run.requests).toEqual([])
  })
})

describe('a token that cannot list pull requests', () => {
  const withoutPulls = { tokens: { [TOKEN]: { pullRequests: 'none' as const } } }

  it('keeps every run not on the default branch, says so once, and deletes the rest', async () => {
    const bench = await start(history(), withoutPulls)
    // The event payload named the default branch: no request to learn it.
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d' }, { defaultBranch: 'main' })
    expect(run.error).toBeNull()
    expect(run.verdict.result).toBe('success')
    expect(pullLists(run).map((r) => r.status)).toEqual([403])
    expect(run.requests.filter((r) => r.path === '/repos/octo/app')).toEqual([])
    expect(deleted(run)).toEqual([105, 104])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([103, 102, 101, 100])
    const warnings = run.log.filter((line) => line.startsWith('warning: '))
    expect(warnings).toEqual([
      "warning: keep-pull-requests: the token cannot list the open pull requests of octo/app (403; it needs 'pull-requests: read'), so every run not on the default branch (main) is kept: 4 of the 6 run(s) to delete. Give the token 'pull-requests: read', or set 'keep-pull-requests: false' to delete them."
    ])
    expect(run.log.join('\n')).toContain(
      '(run 100): kept: not on the default branch (main), and the open pull requests could not be listed (403; keep-pull-requests)'
    )
    expect(summaryText(run.summary)).toContain(
      '4 run(s) kept: not on the default branch (main), and the token cannot list the open pull requests (403; it needs pull-requests: read).'
    )
    expectClean(run, bench)
  })

  it('reads the default branch from the repository when the event does not say (a schedule), or names another repository', async () => {
    const bench = await start({ ...history(), defaultBranch: 'trunk' }, withoutPulls)
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' }, { eventName: 'schedule' })
    expect(run.requests.filter((r) => r.path === '/repos/octo/app').map((r) => r.status)).toEqual([200])
    // Nothing is on trunk: everything is kept, nothing fails.
    expect(parsed<number[]>(run, 'run-ids')).toEqual([])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([105, 104, 103, 102, 101, 100])
    expect(run.verdict.result).toBe('success')
    // The payload's default branch is its own repository's, not the one given in `repository`.
    const other = await bench.run(
      { command: 'delete', repository: 'octo/app', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' },
      { repository: 'octo/tools', defaultBranch: 'main' }
    )
    expect(other.requests.filter((r) => r.path === '/repos/octo/app').length).toBe(1)
    expectClean(run, bench)
  })

  it('keeps everything when the default branch cannot be read either, and a 404 counts as a refusal too', async () => {
    const bench = await start(history())
    bench.sim.inject({ method: 'GET', path: '/repos/octo/app/pulls', kind: 'status', status: 404 })
    bench.sim.inject({ method: 'GET', path: '/repos/octo/app', kind: 'status', status: 403 })
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d' })
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual([])
    expect(parsed<number[]>(run, 'kept-run-ids')).toHaveLength(6)
    expect(run.log.filter((line) => line.startsWith('warning: '))).toHaveLength(1)
    expect(run.log.join('\n')).toContain('kept: the default branch could not be read either, and the open pull requests could not be listed (404')
  })

  it('a rate limit on the list is waited out, not taken for a missing permission', async () => {
    const bench = await start(history())
    bench.sim.inject({ method: 'GET', path: '/repos/octo/app/pulls', kind: 'secondary-rate-limit', retryAfter: 1 })
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml', 'older-than': '30d', 'dry-run': 'true' })
    expect(pullLists(run).map((r) => r.status)).toEqual([403, 200])
    expect(parsed<number[]>(run, 'kept-run-ids')).toEqual([102, 101])
    expect(run.log.join('\n')).not.toContain("it needs 'pull-requests: read'")
  })
})
