// Proven skips: a named workflow with no run counts as skipped only when its own filters exclude
// the change, for the one-look gate and the polling gate; in process on a fake clock. Each reason
// a missing run is not proof (API-NOTES) has a case that keeps the workflow awaited.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { FileSpec, PullRequestSpec, Scenario } from '../simulator/index.js'
import type { Bench } from './harness.js'
import { benchPerTest, postedStatuses, pullRequestTargetContext } from './setup.js'

const start = benchPerTest()
const CI_YML = "name: CI\non:\n  pull_request:\n    paths: ['src/**']\njobs: {}\n"

function files(ciAtHead: string | null = CI_YML): FileSpec[] {
  return [
    {
      path: '.github/workflows/gate.yml',
      ref: 'main',
      content: 'name: Gate\non:\n  workflow_run:\n    workflows: [CI, Lint]\n    types: [requested, completed]\njobs: {}\n'
    },
    { path: '.github/workflows/ci.yml', ref: 'main', content: CI_YML },
    { path: '.github/workflows/lint.yml', ref: 'main', content: 'name: Lint\non: pull_request\njobs: {}\n' },
    ...(ciAtHead === null ? [] : [{ path: '.github/workflows/ci.yml', ref: SHA, content: ciAtHead }]),
    { path: '.github/workflows/lint.yml', ref: SHA, content: 'name: Lint\non: pull_request\njobs: {}\n' }
  ]
}

/** A docs-only pull request: CI (paths: src/**) does not run, Lint does. */
function docsOnly(pull: Partial<PullRequestSpec> = {}, more: Partial<Scenario> = {}): Scenario {
  return {
    ...scenario([ciRun(800, { workflow: 'lint.yml' })]),
    files: files(),
    pullRequests: [{ number: 7, sha: SHA, files: ['docs/guide.md', 'README.md'], ...pull }],
    commits: [SHA],
    ...more
  }
}

const event = pullRequestTargetContext('synchronize')
const once = { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml, lint.yml' }
const polling = { command: 'wait', 'poll-interval': '5s', 'appear-timeout': '30s', 'status-context': 'all-green', workflow: 'ci.yml, lint.yml' }

const lastStatus = (bench: Bench): string | undefined => postedStatuses(bench, SHA).at(-1)

describe('proven skips', () => {
  it('one look: a docs-only change whose named workflow filters it out passes, naming the filter', async () => {
    const bench = await start(docsOnly())
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('success')
    expect(lastStatus(bench)).toBe('success — Passed: Lint; skipped by their filters: ci.yml')
    expect(run.summary).toContain('ci.yml: skipped by its filters &#40;paths: none of 2 changed files matches')
  })

  it('polling: the same change passes once the appear window closes, naming the filter', async () => {
    const bench = await start(docsOnly())
    const run = await bench.run(polling, event)
    expect(run.verdict.result).toBe('success')
    expect(lastStatus(bench)).toBe('success — Passed: Lint; skipped by their filters: ci.yml')
  })

  it('a fork pull request, judged at a workflow_run event: the pull request is found among the open ones by its head', async () => {
    const bench = await start(docsOnly({ fork: 'someone/app' }))
    await bench.clock.sleep(60_000)
    const waking = { id: 800, attempt: 1, name: 'Lint', path: '.github/workflows/lint.yml', headSha: SHA, status: 'completed', conclusion: 'success' }
    const run = await bench.run(once, {
      ...event,
      eventName: 'workflow_run',
      event: { action: 'completed', wakingRun: { ...waking, updatedAt: new Date(bench.sim.nowMs()).toISOString() } }
    })
    expect(run.outputs.result).toBe('success')
    expect(lastStatus(bench)).toBe('success — Passed: Lint; skipped by their filters: ci.yml')
    expect(run.requests.some((r) => r.path === '/repos/octo/app/pulls')).toBe(true)
  })

  it.each([
    ['a skip directive in the head commit', {}, { commitMessages: { [SHA]: 'Fix typo [skip ci]' } }],
    ['merge conflicts', { mergeable: false }, {}],
    ['301 changed files', { files: Array.from({ length: 301 }, (_, i) => `docs/page-${i}.md`) }, {}],
    ['the workflow renamed in the pull request (no ci.yml at its head)', {}, { files: files(null) }],
    ['the pull request edits the workflow (it could write the filter that skips it)', { files: ['docs/guide.md', '.github/workflows/ci.yml'] }, {}]
  ] as [string, Partial<PullRequestSpec>, Partial<Scenario>][])('%s: not proof, the workflow stays awaited', async (_title, pull, more) => {
    const bench = await start(docsOnly(pull, more))
    await bench.clock.sleep(60_000)
    const looked = await bench.run(once, event)
    expect(looked.outputs.result).toBe('pending')
    expect(lastStatus(bench)).toBe('pending — Waiting for ci.yml')
    const polled = await bench.run(polling, event)
    expect(polled.verdict.result).toBe('not-found')
    if (_title === '301 changed files') expect(looked.requests.some((r) => r.path.endsWith('/files'))).toBe(false)
  })

  it('one look refuses a named workflow triggered only by workflow_run (it never runs on the pull request commit)', async () => {
    const chained = 'name: CI\non:\n  workflow_run:\n    workflows: [Lint]\n    types: [completed]\njobs: {}\n'
    const bench = await start(docsOnly({}, { files: files(chained) }))
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('error')
    expect(lastStatus(bench)).toMatch(/^error — ci\.yml is triggered only by workflow_run/)
  })

  it("is not proof when the pull request's head has moved on from the gated commit (its files are the new head's)", async () => {
    const bench = await start(docsOnly({ sha: 'e'.repeat(40) }))
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('pending')
    expect(run.requests.some((r) => r.path.endsWith('/files'))).toBe(false)
  })

  it('a change that the filters include is never green without its run', async () => {
    const bench = await start(docsOnly({ files: ['src/app.ts'] }))
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('pending')
  })

  it('without pull-requests: read the workflow stays awaited, and the step says which permission', async () => {
    const bench = await start(docsOnly(), { tokens: { ghs_inProcessSecretToken0123456789abcdef: { pullRequests: 'none' } } })
    await bench.clock.sleep(60_000)
    const run = await bench.run(once, event)
    expect(run.outputs.result).toBe('pending')
    expect(run.log.join('\n')).toContain('needs `contents: read` and `pull-requests: read`')
  })
})
