// The event payload builders (__tests__/helpers/events.ts) against GitHub's OpenAPI webhook
// schemas (the webhooks extract of scripts/openapi-extract.ts), and the fields a gate reads from
// each event (INTERFACE, "The current commit"; API-NOTES, "Commit statuses and the events a
// runner-free gate uses").
import { describe, expect, it } from '@jest/globals'
import { checkRunEvent, pullRequestTargetEvent, statusEvent, workflowRunEvent } from '../helpers/events.js'
import { validateWebhook } from './openapi.js'

const REPOSITORY = { owner: 'acme', repo: 'widgets' }
const SHA = 'a1'.repeat(20)

describe('event payloads', () => {
  it('workflow_run requested and completed, a fork’s run included', () => {
    const requested = workflowRunEvent(REPOSITORY, {
      action: 'requested',
      id: 42,
      name: 'CI',
      path: '.github/workflows/ci.yml',
      headSha: SHA,
      headRepository: 'mallory/widgets'
    })
    expect(validateWebhook('workflow-run-requested', requested)).toEqual([])
    expect(requested.workflow_run).toMatchObject({ id: 42, head_sha: SHA, name: 'CI', status: 'queued', conclusion: null, run_attempt: 1 })
    expect(requested.workflow_run.head_repository).toMatchObject({ full_name: 'mallory/widgets', fork: true })

    const completed = workflowRunEvent(REPOSITORY, {
      action: 'completed',
      id: 42,
      name: 'CI',
      path: '.github/workflows/ci.yml',
      headSha: SHA,
      conclusion: 'failure',
      runAttempt: 2,
      updatedAt: '2026-11-20T10:05:00Z',
      pullRequests: [{ number: 7, headRef: 'feature', baseRef: 'main' }]
    })
    expect(validateWebhook('workflow-run-completed', completed)).toEqual([])
    expect(completed.workflow_run).toMatchObject({ status: 'completed', conclusion: 'failure', run_attempt: 2, updated_at: '2026-11-20T10:05:00Z' })
    expect(completed.workflow_run.previous_attempt_url).toMatch(/\/actions\/runs\/42\/attempts\/1$/)
    // A made-up conclusion is not GitHub's: the schema check catches it.
    expect(validateWebhook('workflow-run-completed', { ...completed, workflow_run: { ...completed.workflow_run, conclusion: 'green' } })).not.toEqual([])
  })

  it('pull_request_target opened, synchronize and reopened carry the head sha, the base ref and whether the head is a fork', () => {
    for (const action of ['opened', 'synchronize', 'reopened'] as const) {
      const event = pullRequestTargetEvent(REPOSITORY, { action, number: 7, headSha: SHA, baseRef: 'release', fork: 'mallory/widgets' })
      expect([action, validateWebhook(`pull-request-${action}`, event)]).toEqual([action, []])
      expect(event.pull_request.head.sha).toBe(SHA)
      expect(event.pull_request.base.ref).toBe('release')
      expect(event.pull_request.head.repo?.fork).toBe(true)
    }
    const own = pullRequestTargetEvent(REPOSITORY, { action: 'opened', number: 8, headSha: SHA })
    expect([own.pull_request.base.ref, own.pull_request.head.repo?.fork]).toEqual(['main', false])
  })

  it('check_run created and completed of another app', () => {
    const created = checkRunEvent(REPOSITORY, { action: 'created', app: 'vercel', name: 'Preview', headSha: SHA })
    expect(validateWebhook('check-run-created', created)).toEqual([])
    expect(created.check_run).toMatchObject({ head_sha: SHA, status: 'in_progress', conclusion: null, app: { slug: 'vercel' } })
    const completed = checkRunEvent(REPOSITORY, { action: 'completed', app: 'vercel', name: 'Preview', headSha: SHA, conclusion: 'failure' })
    expect(validateWebhook('check-run-completed', completed)).toEqual([])
    expect(completed.check_run).toMatchObject({ status: 'completed', conclusion: 'failure' })
  })

  it('status', () => {
    const event = statusEvent(REPOSITORY, {
      sha: SHA,
      context: 'ci/vercel',
      state: 'success',
      description: 'Deployed',
      targetUrl: 'https://vercel.example.com/1'
    })
    expect(validateWebhook('status', event)).toEqual([])
    expect([event.sha, event.context, event.state]).toEqual([SHA, 'ci/vercel', 'success'])
  })
})
