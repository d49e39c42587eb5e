// GitHubApi's methods for a gate that holds no runner (commit statuses, workflow files, pull
// requests and their files), in process against the simulator: the requests they send, how they
// page and cache, and what they make of GitHub's refusals.
import { describe, expect, it } from '@jest/globals'
import { AmbiguousWriteError, NotFoundError } from '../../src/github/api.js'
import { statusOf } from '../../src/github/errors.js'
import { BENCH_TOKEN, gateBenchPerTest } from '../helpers/api-bench.js'
import { MAX_STATUSES_PER_CONTEXT, type CommitStatusSpec, type Scenario } from './index.js'

const OWNER = 'acme'
const REPO = 'widgets'
const SHA = 'a1'.repeat(20)
const STATUSES = `/repos/${OWNER}/${REPO}/statuses/${SHA}`

const bench = gateBenchPerTest()

function scenario(extra: Partial<Scenario> = {}): Scenario {
  return { owner: OWNER, repo: REPO, workflows: [{ id: 11, name: 'CI', file: 'ci.yml' }], runs: [], commits: [SHA], ...extra }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

describe('createCommitStatus', () => {
  it('posts once and maps the answer; the simulator shows what was written', async () => {
    const { api, sim, calls } = await bench(scenario())
    const status = await api.createCommitStatus(SHA, {
      state: 'pending',
      context: 'all-green',
      description: 'CI › build is running',
      targetUrl: 'https://github.com/acme/widgets/actions/runs/9'
    })
    expect(status).toMatchObject({ context: 'all-green', state: 'pending', description: 'CI › build is running', creator: 'github-actions[bot]' })
    expect(calls()).toEqual([`POST ${STATUSES}`])
    expect(sim.statuses(SHA)).toEqual([
      expect.objectContaining({
        id: status.id,
        context: 'all-green',
        state: 'pending',
        targetUrl: 'https://github.com/acme/widgets/actions/runs/9',
        source: 'api'
      })
    ])
    expect(sim.violations).toEqual([])
  })

  it('refuses a description over 140 characters before sending anything', async () => {
    const { api, calls } = await bench(scenario())
    const error = await rejection(api.createCommitStatus(SHA, { state: 'success', context: 'all-green', description: 'x'.repeat(141) }))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toContain('140')
    expect(calls()).toEqual([])
  })

  it("passes GitHub's refusals on: the 1,001st status of a context (422), a token without statuses: write (403)", async () => {
    const seeded = Array.from({ length: MAX_STATUSES_PER_CONTEXT }, (_, i): CommitStatusSpec => ({
      sha: SHA,
      context: 'all-green',
      state: 'pending',
      at: -2000 + i
    }))
    const { api, calls } = await bench(scenario({ statuses: seeded }), { tokens: { 'another-token': { statuses: 'read' } } })
    const full = await rejection(api.createCommitStatus(SHA, { state: 'success', context: 'All-Green' }))
    expect(statusOf(full)).toBe(422)
    expect(full.message).toContain('maximum number of statuses')
    expect(calls()).toEqual([`POST ${STATUSES}`]) // a 422 is not retried
    const refused = await bench(scenario(), { tokens: { [BENCH_TOKEN]: { statuses: 'read' } } })
    const forbidden = await rejection(refused.api.createCommitStatus(SHA, { state: 'success', context: 'all-green' }))
    expect(statusOf(forbidden)).toBe(403)
  })

  it('never sends a status twice: a lost answer is an AmbiguousWriteError, and the status was written', async () => {
    const { api, sim, calls } = await bench(scenario())
    sim.inject({ kind: 'lost-reply', method: 'POST', path: STATUSES })
    expect(await rejection(api.createCommitStatus(SHA, { state: 'success', context: 'all-green' }))).toBeInstanceOf(AmbiguousWriteError)
    expect(calls()).toEqual([`POST ${STATUSES}`])
    expect(sim.statuses(SHA)).toHaveLength(1)
  })
})

describe('getCombinedStatus and listCommitStatuses', () => {
  const others: CommitStatusSpec[] = [
    { sha: SHA, context: 'vercel', state: 'success', at: -30, creator: 'vercel[bot]' },
    { sha: SHA, context: 'all-green', state: 'pending', at: -20 },
    { sha: SHA, context: 'netlify', state: 'pending', at: -10 }
  ]

  it('reads the combined state and the latest status per context, and asks again for free (304)', async () => {
    const { api, sim, stats } = await bench(scenario({ statuses: others }))
    const combined = await api.getCombinedStatus(SHA)
    expect(combined).toMatchObject({ state: 'pending', sha: SHA, totalCount: 3 })
    expect(combined.statuses.map((s) => [s.context, s.state])).toEqual([
      ['vercel', 'success'],
      ['all-green', 'pending'],
      ['netlify', 'pending']
    ])
    expect((await api.getCombinedStatus(SHA)).state).toBe('pending')
    expect(stats.notModified).toBe(1)
    sim.addStatus({ sha: SHA, context: 'netlify', state: 'failure' })
    expect((await api.getCombinedStatus(SHA)).state).toBe('failure')
    expect(await rejection(api.getCombinedStatus('c3'.repeat(20)))).toBeInstanceOf(NotFoundError)
    expect(sim.violations).toEqual([])
  })

  it('reads every page of a commit with more than 100 contexts', async () => {
    const many = Array.from({ length: 150 }, (_, i): CommitStatusSpec => ({ sha: SHA, context: `check-${i}`, state: 'success', at: -500 + i }))
    const { api, calls } = await bench(scenario({ statuses: many }))
    const combined = await api.getCombinedStatus(SHA)
    expect([combined.state, combined.totalCount, combined.statuses.length]).toEqual(['success', 150, 150])
    expect(calls()).toEqual([`GET /repos/${OWNER}/${REPO}/commits/${SHA}/status`, `GET /repos/${OWNER}/${REPO}/commits/${SHA}/status?page=2`])
  })

  it('lists newest first; for one context it stops at the first page holding one', async () => {
    // all-green's newest is behind 150 newer statuses of other contexts: on the second page.
    const newer = Array.from({ length: 150 }, (_, i): CommitStatusSpec => ({ sha: SHA, context: `check-${i}`, state: 'success', at: -5 + i / 1000 }))
    const { api, calls } = await bench(scenario({ statuses: [...others, ...newer] }))
    const all = await api.listCommitStatuses(SHA)
    expect(all.statuses).toHaveLength(153)
    expect(all.complete).toBe(true)
    expect(all.statuses.slice(-3).map((s) => s.context)).toEqual(['netlify', 'all-green', 'vercel'])
    const before = calls().length
    const mine = await api.listCommitStatuses(SHA, { context: 'ALL-GREEN' })
    expect(mine.statuses.map((s) => [s.context, s.state])).toEqual([['all-green', 'pending']])
    expect(calls().slice(before)).toEqual([`GET /repos/${OWNER}/${REPO}/commits/${SHA}/statuses`, `GET /repos/${OWNER}/${REPO}/commits/${SHA}/statuses?page=2`])
    const first = await api.listCommitStatuses(SHA, { maxPages: 1 })
    expect([first.statuses.length, first.complete]).toEqual([100, false])
  })
})

describe('getWorkflowFile', () => {
  it("reads a file's text at a ref; null when it is not there or is a directory", async () => {
    const text = 'name: CI\non:\n  pull_request:\n    paths-ignore: ["docs/**"]\n' + '# padding so the base64 spans lines\n'.repeat(5)
    const { api, sim } = await bench(scenario({ files: [{ path: '.github/workflows/ci.yml', ref: SHA, content: text }] }))
    expect(await api.getWorkflowFile('.github/workflows/ci.yml', SHA)).toBe(text)
    expect(await api.getWorkflowFile('.github/workflows/ci.yml', 'main')).toBeNull()
    expect(await api.getWorkflowFile('.github/workflows', SHA)).toBeNull()
    expect(await api.getWorkflowFile('.github/workflows/gone.yml', SHA)).toBeNull()
    expect(sim.violations).toEqual([])
  })

  it('passes a 403 (no contents: read) on', async () => {
    const { api } = await bench(scenario({ files: [{ path: 'a.yml', ref: SHA, content: 'x' }] }), { tokens: { [BENCH_TOKEN]: { contents: 'none' } } })
    expect(statusOf(await rejection(api.getWorkflowFile('a.yml', SHA)))).toBe(403)
  })
})

describe('getPullRequest and listPullRequestFiles', () => {
  it('reads head, base and mergeability (null while GitHub computes it)', async () => {
    const { api, clock } = await bench(
      scenario({ pullRequests: [{ number: 7, sha: SHA, base: 'release', fork: 'mallory/widgets', mergeableAt: 3, files: ['src/a.ts'] }] })
    )
    expect(await api.getPullRequest(7)).toEqual({
      number: 7,
      state: 'open',
      draft: false,
      headSha: SHA,
      headRef: 'pr-7',
      fork: 'mallory/widgets',
      baseRef: 'release',
      baseSha: expect.any(String),
      mergeable: null,
      mergeableState: 'unknown',
      changedFiles: 1
    })
    clock.advance(3)
    expect(await api.getPullRequest(7)).toMatchObject({ mergeable: true, mergeableState: 'clean' })
    expect(await rejection(api.getPullRequest(8))).toBeInstanceOf(NotFoundError)
  })

  it('lists the changed files; past 3,000 the pull request says how many there are', async () => {
    const files = Array.from({ length: 3500 }, (_, i) => `src/f${i}.ts`)
    const { api, calls } = await bench(
      scenario({
        pullRequests: [
          { number: 7, sha: SHA, files },
          { number: 8, sha: SHA, files: [{ filename: 'b.ts', status: 'renamed', previousFilename: 'a.ts' }] }
        ]
      })
    )
    const small = await api.listPullRequestFiles(8)
    expect(small).toEqual({ files: [{ filename: 'b.ts', status: 'renamed', previousFilename: 'a.ts' }], total: 1 })
    expect(calls()).toEqual([`GET /repos/${OWNER}/${REPO}/pulls/8/files`])
    const large = await api.listPullRequestFiles(7)
    expect([large.files.length, large.total]).toEqual([3000, 3500])
    const listed = calls().slice(1)
    expect(listed).toHaveLength(31) // 30 pages of 100, then the pull request
    expect(listed.at(-1)).toBe(`GET /repos/${OWNER}/${REPO}/pulls/7`)
  })
})
