// "The current commit" per event, as INTERFACE.md's table says.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commitOfEvent, contextFromEnvironment, eventFacts } from '../../src/runner/context.js'

const GITHUB_SHA = 'a'.repeat(40)
const HEAD = 'b'.repeat(40)

describe('commitOfEvent', () => {
  it.each([
    ['pull_request', { pull_request: { head: { sha: HEAD } } }],
    ['pull_request_target', { pull_request: { head: { sha: HEAD } } }],
    ['pull_request_review', { pull_request: { head: { sha: HEAD } } }],
    ['pull_request_review_comment', { pull_request: { head: { sha: HEAD } } }],
    ['workflow_run', { workflow_run: { head_sha: HEAD } }],
    ['merge_group', { merge_group: { head_sha: HEAD } }]
  ])('%s: the commit from the payload', (event, payload) => expect(commitOfEvent(event, payload, GITHUB_SHA)).toBe(HEAD))

  it.each(['push', 'workflow_dispatch', 'schedule'])('%s: GITHUB_SHA', (event) =>
    expect(commitOfEvent(event, { workflow_run: { head_sha: HEAD }, pull_request: { head: { sha: HEAD } } }, GITHUB_SHA)).toBe(GITHUB_SHA)
  )

  it('falls back to GITHUB_SHA when the payload lacks the field', () => expect(commitOfEvent('workflow_run', {}, GITHUB_SHA)).toBe(GITHUB_SHA))
})

describe('contextFromEnvironment', () => {
  it('reads the runner variables and the event payload', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ctx-')), 'event.json')
    writeFileSync(path, JSON.stringify({ workflow_run: { head_sha: HEAD } }))
    const context = contextFromEnvironment({
      GITHUB_REPOSITORY: 'octo/app',
      GITHUB_RUN_ID: '123',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: path,
      GITHUB_SHA,
      GITHUB_SERVER_URL: 'https://ghe.example/',
      RUNNER_NAME: 'runner-1',
      GITHUB_REF_NAME: 'main'
    })
    expect(context).toEqual({
      repository: 'octo/app',
      runId: 123,
      runAttempt: 2,
      eventName: 'workflow_run',
      headSha: HEAD,
      serverUrl: 'https://ghe.example',
      runnerName: 'runner-1',
      ref: 'main'
    })
  })

  it("reads the repository's default branch from the payload, when the event carries it", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ctx-')), 'event.json')
    writeFileSync(path, JSON.stringify({ repository: { full_name: 'octo/app', default_branch: 'trunk' } }))
    expect(contextFromEnvironment({ GITHUB_EVENT_PATH: path }).defaultBranch).toBe('trunk')
    // A schedule's payload has no repository: unknown, not a guess.
    writeFileSync(path, JSON.stringify({ schedule: '0 3 * * *' }))
    expect(contextFromEnvironment({ GITHUB_EVENT_PATH: path }).defaultBranch).toBeUndefined()
  })

  it("takes a pull request's head branch as the ref (its GITHUB_REF_NAME is N/merge)", () => {
    expect(contextFromEnvironment({ GITHUB_REF_NAME: '12/merge', GITHUB_HEAD_REF: 'feature/x' }).ref).toBe('feature/x')
    expect(contextFromEnvironment({ GITHUB_REF_NAME: 'v1.2.3', GITHUB_HEAD_REF: '' }).ref).toBe('v1.2.3')
  })
})

describe('the commit of the events a gate without a runner listens to', () => {
  it.each([
    ['check_run', { check_run: { head_sha: HEAD, app: { slug: 'vercel' } } }],
    ['check_suite', { check_suite: { head_sha: HEAD } }],
    ['status', { sha: HEAD, context: 'ci/circleci', state: 'success' }]
  ])('%s: the commit from the payload', (event, payload) => expect(commitOfEvent(event, payload, GITHUB_SHA)).toBe(HEAD))
})

describe('eventFacts', () => {
  it('reads the waking run of a workflow_run event', () => {
    const payload = {
      action: 'completed',
      workflow_run: {
        id: 30,
        run_attempt: 2,
        name: 'CI',
        path: '.github/workflows/ci.yml',
        head_sha: HEAD,
        status: 'completed',
        conclusion: 'failure',
        updated_at: '2026-12-07T10:00:00Z'
      }
    }
    expect(eventFacts('workflow_run', payload)).toEqual({
      action: 'completed',
      wakingRun: {
        id: 30,
        attempt: 2,
        name: 'CI',
        path: '.github/workflows/ci.yml',
        headSha: HEAD,
        status: 'completed',
        conclusion: 'failure',
        updatedAt: '2026-12-07T10:00:00Z'
      }
    })
  })

  it("reads a pull request's number, base and whether it comes from a fork", () => {
    const pr = (head: string) => ({ number: 7, base: { ref: 'main', repo: { full_name: 'octo/app' } }, head: { sha: HEAD, repo: { full_name: head } } })
    expect(eventFacts('pull_request_target', { action: 'synchronize', pull_request: pr('fork/app') }).pullRequest).toEqual({
      number: 7,
      baseRef: 'main',
      headSha: HEAD,
      fromFork: true
    })
    expect(eventFacts('pull_request', { action: 'opened', pull_request: pr('octo/app') }).pullRequest?.fromFork).toBe(false)
  })

  it("reads a status event's context and a check run's app", () => {
    expect(eventFacts('status', { sha: HEAD, context: 'all-green' }).statusContext).toBe('all-green')
    expect(eventFacts('check_run', { check_run: { head_sha: HEAD, app: { slug: 'vercel' } } }).checkRunApp).toBe('vercel')
  })
})
