// The sweep (INTERFACE, "Events that never come"): `once: true` on `schedule` or
// `workflow_dispatch` judges the heads of open pull requests whose gate context is `pending` or
// absent, at most 50, oldest first; a final status is left alone. In process on a fake clock.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import type { ActionContext } from '../../src/runner/context.js'
import type { FileSpec, PullRequestSpec, RunSpec } from '../simulator/index.js'
import { benchPerTest, expectClean, postedStatuses } from './setup.js'

const start = benchPerTest()
const gate = { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml' }
const gateYml = 'name: Gate\non:\n  schedule:\n    - cron: "*/15 * * * *"\n  workflow_run:\n    workflows: [CI]\n    types: [requested, completed]\njobs: {}\n'
const files: FileSpec[] = [
  { path: '.github/workflows/gate.yml', ref: 'main', content: gateYml },
  { path: '.github/workflows/ci.yml', ref: 'main', content: 'name: CI\non: pull_request\njobs: {}\n' }
]
const MAIN = 'aaaa000000000000000000000000000000000000'
const schedule: Partial<ActionContext> = {
  headSha: MAIN,
  runId: 4242,
  eventName: 'schedule',
  workflowRef: 'octo/app/.github/workflows/gate.yml@refs/heads/main'
}
const sha = (n: number): string => n.toString(16).padStart(4, '0').padEnd(40, 'b')

describe('once: true with no event commit sweeps the open pull requests', () => {
  it('updates a stuck pending after a start-up failure, judges an absent one, and leaves final ones alone', async () => {
    const startupFailure: RunSpec = { ...ciRun(900, { sha: sha(7) }), outcome: 'startup_failure' }
    const pulls: PullRequestSpec[] = [
      { number: 7, sha: sha(7) },
      { number: 8, sha: sha(8) },
      { number: 9, sha: sha(9) }
    ]
    const bench = await start({
      ...scenario([startupFailure, ciRun(901, { sha: sha(8), fail: true }), ciRun(902, { sha: sha(9) })]),
      files,
      pullRequests: pulls,
      commits: [MAIN],
      statuses: [
        // The judge at the pull request's event said pending; the run then failed at start-up, which sends no event.
        { sha: sha(7), context: 'all-green', state: 'pending', description: 'Waiting for ci.yml' },
        // Final: its own events already judged it (the run failed after this status? a new push or re-run judges again).
        { sha: sha(8), context: 'all-green', state: 'success', description: 'Passed: CI' }
      ]
    })
    await bench.clock.sleep(300_000)
    const run = await bench.run(gate, schedule)
    expect(run.error).toBeNull()
    expect(run.outputs.result).toBe('success')
    expect(postedStatuses(bench, sha(7))).toEqual(['failure — Failed: CI'])
    expect(postedStatuses(bench, sha(8))).toEqual([])
    expect(postedStatuses(bench, sha(9))).toEqual(['success — Passed: CI'])
    expect(run.summary).toContain('Swept 3 open pull request(s)')
    expectClean(run, bench)
  })

  it('judges at most 50 a step, the oldest first, and says how many are left', async () => {
    const numbers = Array.from({ length: 55 }, (_, i) => i + 1)
    const bench = await start({
      ...scenario(numbers.map((n) => ciRun(1000 + n, { sha: sha(n) }))),
      files,
      commits: [MAIN],
      // Listed newest first by GitHub: the sweep orders them itself.
      pullRequests: numbers.map((n) => ({ number: n, sha: sha(n), at: n }))
    })
    await bench.clock.sleep(300_000)
    const run = await bench.run(gate, schedule)
    expect(run.outputs.result).toBe('success')
    const judged = numbers.filter((n) => postedStatuses(bench, sha(n)).length > 0)
    expect(judged).toEqual(numbers.slice(0, 50))
    expect(run.summary).toContain('5 left for the next sweep (at most 50 a step, within the timeout)')
  })

  it('judges the others when one pull request cannot be judged, and fails the step at the end, saying which', async () => {
    const bench = await start({
      ...scenario([ciRun(960, { sha: sha(1) }), ciRun(961, { sha: sha(2) })]),
      files,
      commits: [MAIN],
      pullRequests: [
        { number: 1, sha: sha(1) },
        { number: 2, sha: sha(2) }
      ]
    })
    // Pull request #1's head is gone by the time its status is read (a force-push while the sweep ran).
    bench.sim.inject({ method: 'GET', path: `/repos/octo/app/commits/${sha(1)}/status`, kind: 'status', status: 404, body: { message: 'Not Found' } })
    await bench.clock.sleep(300_000)
    const run = await bench.run(gate, schedule)
    expect(run.outputs.result).toBe('error')
    expect(postedStatuses(bench, sha(2))).toEqual(['success — Passed: CI'])
    expect(run.summary).toMatch(/#1\][^\n]*could not be judged/)
  })

  it('judges the given commit, not a sweep, when workflow_dispatch names a head-sha', async () => {
    const bench = await start({
      ...scenario([ciRun(950, { sha: sha(3) })]),
      files,
      pullRequests: [
        { number: 3, sha: sha(3) },
        { number: 4, sha: sha(4) }
      ]
    })
    await bench.clock.sleep(300_000)
    const run = await bench.run({ ...gate, 'head-sha': sha(3) }, { ...schedule, eventName: 'workflow_dispatch' })
    expect(run.outputs.result).toBe('success')
    expect(postedStatuses(bench, sha(3))).toEqual(['success — Passed: CI'])
    expect(postedStatuses(bench, sha(4))).toEqual([])
  })
})
