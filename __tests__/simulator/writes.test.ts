// The simulator's write endpoints (re-runs, cancel/force-cancel, approve, deployment reviews,
// deletion) and the run-log archives, exercised with plain fetch calls.
import { afterEach, describe, expect, it } from '@jest/globals'
import { crc32 } from 'node:zlib'
import {
  CANCEL_DELAY_SECONDS,
  MAX_ATTEMPTS,
  MESSAGES,
  RERUN_DELAY_SECONDS,
  REVIEWER_LOGIN,
  Simulator,
  type JobSpec,
  type RunSpec,
  type Scenario
} from './index.js'
import { validateResponse } from './openapi.js'

const OWNER = 'acme'
const REPO = 'widgets'
const REPO_PATH = `/repos/${OWNER}/${REPO}/actions`
const AUTH = { authorization: 'token test-token' }
const DAY = 86_400
/** Virtual seconds per real second: 1 virtual second = 50 ms. */
const SPEED = 20

const running: Simulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()))
})

function scenario(runs: RunSpec[]): Scenario {
  return { owner: OWNER, repo: REPO, workflows: [{ id: 11, name: 'CI', file: 'ci.yml' }], runs }
}

/**
 * The simulators' clock, moved by hand: on the wall clock a loaded machine let virtual seconds
 * pass between two requests meant to see the same instant (a re-run appeared between them).
 */
let nowMs = Date.now()

async function start(runs: RunSpec[]): Promise<Simulator> {
  const sim = await Simulator.start(scenario(runs), { speed: SPEED, now: () => nowMs })
  running.push(sim)
  return sim
}

/** Moves `seconds` of virtual time on. */
async function pass(seconds: number): Promise<void> {
  nowMs += (seconds * 1000) / SPEED
  await new Promise((resolve) => setImmediate(resolve))
}

async function api(sim: Simulator, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.apiUrl}${REPO_PATH}${path}`, {
    redirect: 'manual',
    ...init,
    headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) }
  })
}

async function getJson<T = any>(sim: Simulator, path: string): Promise<T> {
  const response = await api(sim, path)
  expect([path, response.status]).toEqual([path, 200])
  return (await response.json()) as T
}

async function post(sim: Simulator, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await api(sim, path, {
    method: 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } })
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

async function del(sim: Simulator, path: string): Promise<{ status: number; body: any }> {
  const response = await api(sim, path, { method: 'DELETE' })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

const jobsOf = async (sim: Simulator, runId: number, query = ''): Promise<[string, number, string, string | null][]> =>
  (await getJson(sim, `/runs/${runId}/jobs${query}`)).jobs.map((j: any) => [j.name, j.run_attempt, j.status, j.conclusion])

async function jobLog(sim: Simulator, id: number): Promise<Buffer> {
  const redirect = await api(sim, `/jobs/${id}/logs`)
  expect(redirect.status).toBe(302)
  const response = await fetch(redirect.headers.get('location') ?? '')
  expect(response.status).toBe(200)
  return Buffer.from(await response.arrayBuffer())
}

const ok = (name: string, seconds = 1, extra: Partial<JobSpec> = {}): JobSpec => ({ name, steps: [{ name: `${name} step`, seconds }], ...extra })
const failing = (name: string, extra: Partial<JobSpec> = {}): JobSpec => ({
  name,
  steps: [{ name: `${name} step`, seconds: 1, conclusion: 'failure' }],
  ...extra
})

/** A completed run: lint ✓, docs (needs lint) ✓, test ✗, report (needs test) skipped. */
const failedRun = (id: number, extra: Partial<RunSpec> = {}): RunSpec => ({
  id,
  workflow: 'ci.yml',
  attempts: [{ at: -100, jobs: [ok('lint'), failing('test'), ok('docs', 1, { needs: ['lint'] }), ok('report', 1, { needs: ['test'] })] }],
  ...extra
})

describe('re-runs', () => {
  it('re-runs every job after RERUN_DELAY_SECONDS, leaving the old attempt visible until then', async () => {
    const sim = await start([failedRun(1)])
    const before = await getJson(sim, '/runs/1')
    expect([before.run_attempt, before.status, before.conclusion]).toEqual([1, 'completed', 'failure'])

    const created = await post(sim, '/runs/1/rerun')
    expect(created).toEqual({ status: 201, body: {} })
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', path: `${REPO_PATH}/runs/1/rerun`, status: 201 })
    expect(sim.requests.at(-1)?.body).toBeUndefined()
    const stillOld = await getJson(sim, '/runs/1')
    expect([stillOld.run_attempt, stillOld.status, stillOld.conclusion, stillOld.updated_at]).toEqual([1, 'completed', 'failure', before.updated_at])
    expect((await api(sim, '/runs/1/attempts/2')).status).toBe(404)

    // The attempt appears RERUN_DELAY_SECONDS after the request's second (rounded up).
    await pass(RERUN_DELAY_SECONDS + 1.2)
    const run = await getJson(sim, '/runs/1')
    expect(run.run_attempt).toBe(2)
    expect(['queued', 'in_progress']).toContain(run.status)
    expect(run.conclusion).toBeNull()
    expect(run.previous_attempt_url).toBe(`${sim.apiUrl}${REPO_PATH}/runs/1/attempts/1`)
    expect(run.created_at).toBe(before.created_at)
    expect(Date.parse(run.run_started_at)).toBeGreaterThan(Date.parse(before.run_started_at))
    expect(Date.parse(run.updated_at)).toBeGreaterThan(Date.parse(before.updated_at))

    await pass(9)
    const done = await getJson(sim, '/runs/1')
    expect([done.run_attempt, done.status, done.conclusion]).toEqual([2, 'completed', 'failure']) // same spec: fails again
    expect(await jobsOf(sim, 1)).toEqual([
      ['lint', 2, 'completed', 'success'],
      ['test', 2, 'completed', 'failure'],
      ['docs', 2, 'completed', 'success'],
      ['report', 2, 'completed', 'skipped']
    ])
    expect((await jobsOf(sim, 1, '?filter=all')).length).toBe(8)
    expect(sim.violations).toEqual([])
  })

  it('re-runs failed jobs and their dependents, carrying the rest over, with rerunSpecs in order', async () => {
    const sim = await start([failedRun(2, { rerunSpecs: { test: [failing('ignored name'), ok('test')] } })])
    // Octokit sends the optional body; enable_debug_logging false is a valid one.
    expect(await post(sim, '/runs/2/rerun-failed-jobs', { enable_debug_logging: false })).toEqual({ status: 201, body: {} })
    expect(sim.requests.at(-1)?.body).toEqual({ enable_debug_logging: false })
    await pass(RERUN_DELAY_SECONDS + 7)
    // First re-run including `test`: rerunSpecs.test[0], which fails (and keeps the name "test").
    expect(await jobsOf(sim, 2)).toEqual([
      ['lint', 1, 'completed', 'success'],
      ['test', 2, 'completed', 'failure'],
      ['docs', 1, 'completed', 'success'],
      ['report', 2, 'completed', 'skipped']
    ])
    const all = await getJson(sim, '/runs/2/attempts/2/jobs')
    expect(all.total_count).toBe(4)

    expect((await post(sim, '/runs/2/rerun-failed-jobs')).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 10)
    // Second: rerunSpecs.test[1], which succeeds; report runs now.
    expect(await jobsOf(sim, 2)).toEqual([
      ['lint', 1, 'completed', 'success'],
      ['test', 3, 'completed', 'success'],
      ['docs', 1, 'completed', 'success'],
      ['report', 3, 'completed', 'success']
    ])
    const run = await getJson(sim, '/runs/2')
    expect([run.run_attempt, run.conclusion]).toEqual([3, 'success'])
    expect((await getJson(sim, '/runs/2/jobs?filter=all')).total_count).toBe(8)

    // Nothing failed any more.
    const none = await post(sim, '/runs/2/rerun-failed-jobs')
    expect(none.status).toBe(403)
    expect(none.body).toMatchObject({ message: MESSAGES.noFailedJobs, status: '403' })
    expect(typeof none.body.documentation_url).toBe('string')
    expect(sim.violations).toEqual([])
  })

  it('re-runs one job and its dependents, and refuses jobs outside the latest attempt', async () => {
    const sim = await start([failedRun(3, { rerunSpecs: { lint: ok('lint', 3) } })])
    const first = await getJson(sim, '/runs/3/jobs')
    const lint = first.jobs.find((j: any) => j.name === 'lint')
    expect(await post(sim, `/jobs/${lint.id}/rerun`)).toEqual({ status: 201, body: {} })
    await pass(RERUN_DELAY_SECONDS + 2.5)
    expect(await jobsOf(sim, 3)).toEqual([
      ['lint', 2, 'in_progress', null],
      ['test', 1, 'completed', 'failure'],
      ['report', 1, 'completed', 'skipped']
    ]) // docs (needs lint) is re-run too, but not created before lint completes
    await pass(10)
    expect(await jobsOf(sim, 3)).toEqual([
      ['lint', 2, 'completed', 'success'],
      ['test', 1, 'completed', 'failure'],
      ['docs', 2, 'completed', 'success'],
      ['report', 1, 'completed', 'skipped']
    ])
    const lintRerun = (await getJson(sim, '/runs/3/jobs')).jobs[0]
    expect(lintRerun.steps.find((s: any) => s.name === 'lint step').completed_at).toBeTruthy()
    expect(Date.parse(lintRerun.completed_at) - Date.parse(lintRerun.started_at)).toBe(5000) // rerunSpecs: 1 + 3 + 1 s

    // The first lint execution was replaced: not in the latest attempt's effective set.
    const refused = await post(sim, `/jobs/${lint.id}/rerun`)
    expect([refused.status, refused.body.message]).toEqual([403, MESSAGES.jobNotInLatestAttempt])
    // A carried-over job is in it.
    const test = first.jobs.find((j: any) => j.name === 'test')
    expect((await post(sim, `/jobs/${test.id}/rerun`, { enable_debug_logging: false })).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 7)
    expect(await jobsOf(sim, 3)).toEqual([
      ['lint', 2, 'completed', 'success'],
      ['test', 3, 'completed', 'failure'],
      ['docs', 2, 'completed', 'success'],
      ['report', 3, 'completed', 'skipped']
    ])
    expect(sim.violations).toEqual([])
  })

  it('refuses unknown runs and jobs, old runs, unfinished runs and pending re-runs, and runs past MAX_ATTEMPTS', async () => {
    const sim = await start([
      failedRun(4),
      { id: 5, workflow: 'ci.yml', attempts: [{ at: -31 * DAY, jobs: [failing('old')] }] },
      { id: 6, workflow: 'ci.yml', attempts: [{ at: 0, jobs: [ok('long', 3600)] }] },
      { id: 7, workflow: 'ci.yml', attempts: Array.from({ length: MAX_ATTEMPTS }, (_, i) => ({ at: -1000 + i, jobs: [failing('x')] })) },
      { id: 8, workflow: 'ci.yml', outcome: 'action_required', attempts: [{ at: -10, jobs: [ok('fork')] }] }
    ])
    expect((await post(sim, '/runs/999/rerun')).status).toBe(404)
    expect((await post(sim, '/runs/999/rerun-failed-jobs')).status).toBe(404)
    expect((await post(sim, '/jobs/999999999/rerun')).status).toBe(404)

    const old = await post(sim, '/runs/5/rerun')
    expect(old).toEqual({ status: 403, body: expect.objectContaining({ message: MESSAGES.tooOld, status: '403' }) })
    expect(old.body.message).toBe('Unable to retry this workflow run because it was created over a month ago')
    const oldJob = (await getJson(sim, '/runs/5/jobs')).jobs[0]
    expect((await post(sim, `/jobs/${oldJob.id}/rerun`)).body.message).toBe(MESSAGES.tooOld)

    for (const path of ['/runs/6/rerun', '/runs/6/rerun-failed-jobs']) {
      const busy = await post(sim, path)
      expect([busy.status, busy.body.message]).toEqual([403, MESSAGES.notCompleted])
    }
    await pass(2)
    const longJob = (await getJson(sim, '/runs/6/jobs')).jobs[0]
    expect((await post(sim, `/jobs/${longJob.id}/rerun`)).body.message).toBe(MESSAGES.notCompleted)

    // A re-run was requested: until its attempt completed, another one is refused (also during the delay).
    expect((await post(sim, '/runs/4/rerun-failed-jobs')).status).toBe(201)
    expect((await post(sim, '/runs/4/rerun')).body.message).toBe(MESSAGES.notCompleted)
    await pass(RERUN_DELAY_SECONDS + 0.5)
    expect((await post(sim, '/runs/4/rerun-failed-jobs')).body.message).toBe(MESSAGES.notCompleted)
    await pass(7)
    expect((await post(sim, '/runs/4/rerun')).status).toBe(201)

    const limit = await post(sim, '/runs/7/rerun')
    expect([limit.status, limit.body.message]).toEqual([403, MESSAGES.tooManyAttempts])

    const fork = await post(sim, '/runs/8/rerun')
    expect([fork.status, fork.body.message]).toEqual([403, MESSAGES.awaitingApproval])
    expect(sim.violations).toEqual([])
  })

  it('puts ##[debug] lines in the logs of a debug re-run, and nowhere else', async () => {
    const sim = await start([
      { id: 9, workflow: 'ci.yml', attempts: [{ at: -100, jobs: [{ name: 'build', steps: [{ name: 'make', seconds: 1, log: ['compiling'] }] }] }] }
    ])
    const firstJob = (await getJson(sim, '/runs/9/jobs')).jobs[0]
    const firstLog = (await jobLog(sim, firstJob.id)).toString('utf8')
    expect(firstLog).not.toContain('##[debug]')
    const firstRun = await getJson(sim, '/runs/9')

    expect((await post(sim, '/runs/9/rerun', { enable_debug_logging: true })).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 6)
    const run = await getJson(sim, '/runs/9')
    expect([run.run_attempt, run.conclusion]).toEqual([2, 'success'])
    expect(Object.keys(run).sort()).toEqual(Object.keys(firstRun).sort())
    const job = (await getJson(sim, '/runs/9/jobs')).jobs[0]
    expect(Object.keys(job).sort()).toEqual(Object.keys(firstJob).sort())
    const lines = (await jobLog(sim, job.id))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.slice(29))
    expect(lines).toContain("##[debug]Evaluating condition for step: 'make'")
    expect(lines).toContain('##[debug]Starting: make')
    expect(lines).toContain('##[debug]Finishing: make')
    expect(lines.indexOf('##[debug]Starting: make')).toBeLessThan(lines.indexOf('compiling'))
    // Lines still fall inside their step's window.
    const make = job.steps.find((s: any) => s.name === 'make')
    const text = (await jobLog(sim, job.id)).toString('utf8').slice(1).trimEnd().split('\n')
    const inMake = text.filter((line) => {
      const ms = Date.parse(line.slice(0, 23) + 'Z')
      return ms >= Date.parse(make.started_at) && ms < Date.parse(make.completed_at)
    })
    expect(inMake.map((line) => line.slice(29))).toEqual([
      "##[debug]Evaluating condition for step: 'make'",
      '##[debug]Evaluating: success()',
      '##[debug]Result: true',
      '##[debug]Starting: make',
      '##[group]Run make',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'compiling',
      '##[debug]Finishing: make'
    ])
    expect(sim.violations).toEqual([])
  })

  it('appends API attempts after pre-declared ones', async () => {
    const sim = await start([
      {
        id: 10,
        workflow: 'ci.yml',
        attempts: [
          { at: -300, jobs: [failing('a')] },
          { at: -200, rerun: 'failed', jobs: [failing('a')] }
        ]
      }
    ])
    expect((await post(sim, '/runs/10/rerun')).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 1.2)
    const run = await getJson(sim, '/runs/10')
    expect(run.run_attempt).toBe(3)
    expect(run.previous_attempt_url).toBe(`${sim.apiUrl}${REPO_PATH}/runs/10/attempts/2`)
    expect((await getJson(sim, '/runs/10/attempts/2')).conclusion).toBe('failure')
    expect(sim.violations).toEqual([])
  })
})

describe('cancel and force-cancel', () => {
  it('accepts a cancel on an ignoresCancel run without effect; force-cancel stops it', async () => {
    const sim = await start([{ id: 20, workflow: 'ci.yml', ignoresCancel: true, attempts: [{ at: 0, jobs: [ok('stuck', 3600)] }] }])
    await pass(2)
    expect(await post(sim, '/runs/20/cancel')).toEqual({ status: 202, body: {} })
    await pass(CANCEL_DELAY_SECONDS + 1)
    expect((await getJson(sim, '/runs/20')).status).toBe('in_progress')
    expect(await post(sim, '/runs/20/force-cancel')).toEqual({ status: 202, body: {} })
    expect((await getJson(sim, '/runs/20')).status).toBe('in_progress')
    await pass(CANCEL_DELAY_SECONDS + 0.5)
    const run = await getJson(sim, '/runs/20')
    expect([run.status, run.conclusion]).toEqual(['completed', 'cancelled'])
    expect(await jobsOf(sim, 20)).toEqual([['stuck', 1, 'completed', 'cancelled']])
    for (const path of ['/runs/20/force-cancel', '/runs/20/cancel']) {
      const conflict = await post(sim, path)
      expect([conflict.status, conflict.body.message]).toEqual([409, 'Cannot cancel a workflow run that is completed.'])
    }
    expect((await post(sim, '/runs/999/force-cancel')).status).toBe(404)
    expect(sim.violations).toEqual([])
  })

  it('force-cancels a normal run like a cancel', async () => {
    const sim = await start([{ id: 21, workflow: 'ci.yml', attempts: [{ at: 0, jobs: [ok('long', 3600)] }] }])
    await pass(2)
    expect((await post(sim, '/runs/21/force-cancel')).status).toBe(202)
    await pass(CANCEL_DELAY_SECONDS + 0.5)
    expect((await getJson(sim, '/runs/21')).conclusion).toBe('cancelled')
    // A cancelled run can be re-run; the cancelled job runs again.
    expect((await post(sim, '/runs/21/rerun-failed-jobs')).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 2.5)
    expect(await jobsOf(sim, 21)).toEqual([['long', 2, 'in_progress', null]])
    expect(sim.violations).toEqual([])
  })
})

describe('fork pull request approval', () => {
  it('starts an action_required run when approved, and refuses other approvals', async () => {
    const sim = await start([
      {
        id: 30,
        workflow: 'ci.yml',
        outcome: 'action_required',
        attempts: [{ at: -60, jobs: [ok('build', 2, { queuedSeconds: 4 }), ok('test', 1, { needs: ['build'] })] }]
      },
      failedRun(31)
    ])
    const waiting = await getJson(sim, '/runs/30')
    expect([waiting.status, waiting.conclusion]).toEqual(['completed', 'action_required'])
    expect((await getJson(sim, '/runs/30/jobs')).total_count).toBe(0)

    expect(await post(sim, '/runs/30/approve')).toEqual({ status: 201, body: {} })
    const queued = await getJson(sim, '/runs/30')
    expect([queued.status, queued.conclusion, queued.run_attempt]).toEqual(['queued', null, 1])
    expect(Date.parse(queued.updated_at)).toBeGreaterThan(Date.parse(waiting.updated_at))
    expect(queued.created_at).toBe(waiting.created_at)
    expect(await jobsOf(sim, 30)).toEqual([['build', 1, 'queued', null]])
    await pass(5.5)
    expect((await getJson(sim, '/runs/30')).status).toBe('in_progress')
    await pass(9)
    const done = await getJson(sim, '/runs/30')
    expect([done.status, done.conclusion, done.run_attempt]).toEqual(['completed', 'success', 1])
    expect(await jobsOf(sim, 30)).toEqual([
      ['build', 1, 'completed', 'success'],
      ['test', 1, 'completed', 'success']
    ])

    const again = await post(sim, '/runs/30/approve')
    expect([again.status, again.body.message]).toEqual([403, MESSAGES.notAwaitingApproval])
    expect((await post(sim, '/runs/31/approve')).status).toBe(403)
    expect((await post(sim, '/runs/999/approve')).status).toBe(404)
    expect(sim.violations).toEqual([])
  })
})

describe('deployment reviews', () => {
  const held = (id: number, extra: Partial<RunSpec> = {}): RunSpec => ({
    id,
    workflow: 'ci.yml',
    attempts: [{ at: -10, hold: { status: 'waiting' }, jobs: [ok('deploy', 1), ok('notify', 1, { needs: ['deploy'] })] }],
    pendingDeployments: [
      { environment: 'production', id: 161, reviewers: ['alice'] },
      { environment: 'staging', id: 162 },
      { environment: 'audit', id: 163, canApprove: false }
    ],
    ...extra
  })

  it('releases a hold without `until` once every pending deployment is approved', async () => {
    const sim = await start([
      held(40, {
        pendingDeployments: [
          { environment: 'production', id: 161 },
          { environment: 'staging', id: 162 }
        ]
      })
    ])
    expect((await getJson(sim, '/runs/40')).status).toBe('waiting')
    await pass(2)
    expect((await getJson(sim, '/runs/40')).status).toBe('waiting') // no timer

    const first = await post(sim, '/runs/40/pending_deployments', { environment_ids: [162], state: 'approved', comment: 'staging ok' })
    expect(first.status).toBe(200)
    expect(first.body.map((d: any) => [d.environment, d.sha.length, d.creator.login])).toEqual([['staging', 40, 'github-actions[bot]']])
    expect(validateResponse('actions/review-pending-deployments-for-run', first.body)).toEqual([])
    expect((await getJson(sim, '/runs/40')).status).toBe('waiting')
    expect((await getJson(sim, '/runs/40/pending_deployments')).map((p: any) => p.environment.id)).toEqual([161])
    const approvals = await getJson(sim, '/runs/40/approvals')
    expect(approvals.map((a: any) => [a.user.login, a.state, a.environments.map((e: any) => [e.id, e.name]), a.comment])).toEqual([
      [REVIEWER_LOGIN, 'approved', [[162, 'staging']], 'staging ok']
    ])

    expect((await post(sim, '/runs/40/pending_deployments', { environment_ids: [161], state: 'approved', comment: '' })).status).toBe(200)
    const released = await getJson(sim, '/runs/40')
    expect(released.status).toMatch(/^(queued|in_progress)$/) // queued for about a second
    expect(released.conclusion).toBeNull()
    expect(await getJson(sim, '/runs/40/pending_deployments')).toEqual([])
    const notWaiting = await post(sim, '/runs/40/pending_deployments', { environment_ids: [161], state: 'approved', comment: '' })
    expect(notWaiting.status).toBe(422)
    await pass(10)
    const done = await getJson(sim, '/runs/40')
    expect([done.status, done.conclusion]).toEqual(['completed', 'success'])
    expect(await jobsOf(sim, 40)).toEqual([
      ['deploy', 1, 'completed', 'success'],
      ['notify', 1, 'completed', 'success']
    ])
    expect((await getJson(sim, '/runs/40/approvals')).length).toBe(2)
    expect(sim.violations).toEqual([])
  })

  it('answers 422 to ids that are not pending, not approvable or custom gates, and fails the attempt on a rejection', async () => {
    const sim = await start([held(41, { pendingDeployments: [...(held(0).pendingDeployments ?? []), { environment: 'gate', id: 164, customGate: true }] })])
    const pending = await getJson(sim, '/runs/41/pending_deployments')
    expect(pending.map((p: any) => [p.environment.id, p.current_user_can_approve])).toEqual([
      [161, true],
      [162, true],
      [163, false],
      [164, false]
    ])
    for (const ids of [[999], [163], [164], [161, 999]]) {
      const refused = await post(sim, '/runs/41/pending_deployments', { environment_ids: ids, state: 'approved', comment: 'x' })
      expect([ids, refused.status, refused.body.status]).toEqual([ids, 422, '422'])
      expect(refused.body.message).toEqual(expect.any(String))
    }
    expect((await getJson(sim, '/runs/41/pending_deployments')).length).toBe(4) // nothing recorded by refusals

    const rejected = await post(sim, '/runs/41/pending_deployments', { environment_ids: [161], state: 'rejected', comment: 'not today' })
    expect([rejected.status, rejected.body]).toEqual([200, []])
    const run = await getJson(sim, '/runs/41')
    expect([run.status, run.conclusion]).toEqual(['completed', 'failure'])
    const jobs = await getJson(sim, '/runs/41/jobs')
    expect(jobs.jobs.map((j: any) => [j.name, j.status, j.conclusion, j.steps.length, j.runner_name])).toEqual([
      ['deploy', 'completed', 'failure', 0, null],
      ['notify', 'completed', 'skipped', 0, null]
    ])
    expect((await api(sim, `/jobs/${jobs.jobs[0].id}/logs`)).status).toBe(404)
    expect(await getJson(sim, '/runs/41/pending_deployments')).toEqual([])
    const approvals = await getJson(sim, '/runs/41/approvals')
    expect(approvals.map((a: any) => [a.state, a.comment])).toEqual([['rejected', 'not today']])
    // Failed jobs can be re-run; the API attempt is not held.
    expect((await post(sim, '/runs/41/rerun-failed-jobs')).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 10)
    expect((await getJson(sim, '/runs/41')).conclusion).toBe('success')
    expect(sim.violations).toEqual([])
  })

  it('settles custom gates through deployment_protection_rule', async () => {
    const sim = await start([
      held(42, { pendingDeployments: [{ environment: 'production', id: 161, customGate: true }] }),
      held(43, { pendingDeployments: [{ environment: 'production', id: 161, customGate: true }] })
    ])
    const unknown = await post(sim, '/runs/42/deployment_protection_rule', { environment_name: 'nope', state: 'approved', comment: 'x' })
    expect(unknown.status).toBe(422)
    const commentOnly = await api(sim, '/runs/42/deployment_protection_rule', {
      method: 'POST',
      body: JSON.stringify({ environment_name: 'production', comment: 'checking' })
    })
    expect([commentOnly.status, await commentOnly.text()]).toEqual([204, ''])
    expect((await getJson(sim, '/runs/42')).status).toBe('waiting')

    const approved = await api(sim, '/runs/42/deployment_protection_rule', {
      method: 'POST',
      body: JSON.stringify({ environment_name: 'production', state: 'approved', comment: 'healthy' })
    })
    expect([approved.status, await approved.text(), approved.headers.get('content-type')]).toEqual([204, '', null])
    expect((await getJson(sim, '/runs/42')).status).toMatch(/^(queued|in_progress)$/)
    expect(await getJson(sim, '/runs/42/approvals')).toEqual([]) // an app's decision, not a reviewer's
    expect((await post(sim, '/runs/42/deployment_protection_rule', { environment_name: 'production', state: 'approved' })).status).toBe(422)

    expect((await post(sim, '/runs/43/deployment_protection_rule', { environment_name: 'production', state: 'rejected' })).status).toBe(204)
    expect((await getJson(sim, '/runs/43')).conclusion).toBe('failure')
    expect((await post(sim, '/runs/999/deployment_protection_rule', { environment_name: 'production', state: 'approved' })).status).toBe(404)
    expect(sim.violations).toEqual([])
  })

  it('keeps timed holds, and releases one early when approved', async () => {
    const sim = await start([
      {
        ...held(44),
        attempts: [{ at: -10, hold: { status: 'waiting', until: 3 }, jobs: [ok('deploy')] }],
        pendingDeployments: [{ environment: 'production', id: 161 }]
      },
      {
        ...held(45),
        attempts: [{ at: -10, hold: { status: 'waiting', until: 3600 }, jobs: [ok('deploy')] }],
        pendingDeployments: [{ environment: 'production', id: 161 }]
      }
    ])
    expect((await getJson(sim, '/runs/44')).status).toBe('waiting')
    await pass(4)
    expect((await getJson(sim, '/runs/44')).status).not.toBe('waiting')
    expect((await post(sim, '/runs/45/pending_deployments', { environment_ids: [161], state: 'approved', comment: 'go' })).status).toBe(200)
    expect((await getJson(sim, '/runs/45')).status).toMatch(/^(queued|in_progress)$/)
    expect(sim.violations).toEqual([])
  })

  it('cancels a run held without `until`', async () => {
    const sim = await start([held(46)])
    expect((await post(sim, '/runs/46/cancel')).status).toBe(202)
    await pass(CANCEL_DELAY_SECONDS + 0.5)
    const run = await getJson(sim, '/runs/46')
    expect([run.status, run.conclusion]).toEqual(['completed', 'cancelled'])
    expect(await jobsOf(sim, 46)).toEqual([['deploy', 1, 'completed', 'cancelled']])
    expect(sim.violations).toEqual([])
  })
})

describe('deletion', () => {
  it('deletes a run: 404 everywhere, gone from lists; refuses unfinished runs', async () => {
    const sim = await start([failedRun(50), failedRun(51), { id: 52, workflow: 'ci.yml', attempts: [{ at: -1, jobs: [ok('long', 3600)] }] }])
    const job = (await getJson(sim, '/runs/50/jobs')).jobs[0]
    const location = (await api(sim, `/jobs/${job.id}/logs`)).headers.get('location') ?? ''
    expect((await getJson(sim, '/runs')).total_count).toBe(3)

    const deleted = await api(sim, '/runs/50', { method: 'DELETE' })
    expect([deleted.status, await deleted.text()]).toEqual([204, ''])
    for (const path of [
      '/runs/50',
      '/runs/50/jobs',
      '/runs/50/attempts/1',
      '/runs/50/attempts/1/jobs',
      '/runs/50/timing',
      '/runs/50/approvals',
      '/runs/50/pending_deployments',
      '/runs/50/logs',
      `/jobs/${job.id}`,
      `/jobs/${job.id}/logs`
    ]) {
      expect([path, (await api(sim, path)).status]).toEqual([path, 404])
    }
    expect((await post(sim, '/runs/50/rerun')).status).toBe(404)
    expect((await post(sim, `/jobs/${job.id}/rerun`)).status).toBe(404)
    expect((await fetch(location)).status).toBe(404)
    const list = await getJson(sim, '/runs')
    expect([list.total_count, list.workflow_runs.map((r: any) => r.id)]).toEqual([2, [52, 51]])
    expect((await getJson(sim, '/workflows/ci.yml/runs')).total_count).toBe(2)
    expect((await del(sim, '/runs/50')).status).toBe(404)
    expect((await del(sim, '/runs/999')).status).toBe(404)

    const busy = await del(sim, '/runs/52')
    expect([busy.status, busy.body.message]).toEqual([403, MESSAGES.deleteNotCompleted])
    expect((await getJson(sim, '/runs/52')).status).toBe('in_progress')
    expect(sim.violations).toEqual([])
  })

  it('deletes run logs: job logs and archives answer 404; later attempts have logs again', async () => {
    const sim = await start([failedRun(53), { id: 54, workflow: 'ci.yml', attempts: [{ at: -1, jobs: [ok('long', 3600)] }] }])
    const jobs = (await getJson(sim, '/runs/53/jobs')).jobs
    const location = (await api(sim, `/jobs/${jobs[0].id}/logs`)).headers.get('location') ?? ''
    const archive = (await api(sim, '/runs/53/logs')).headers.get('location') ?? ''
    expect(await del(sim, '/runs/53/logs')).toEqual({ status: 204, body: undefined })
    expect((await api(sim, `/jobs/${jobs[0].id}/logs`)).status).toBe(404)
    expect((await api(sim, '/runs/53/logs')).status).toBe(404)
    expect((await api(sim, '/runs/53/attempts/1/logs')).status).toBe(404)
    expect((await fetch(location)).status).toBe(404)
    expect((await fetch(archive)).status).toBe(404)
    expect((await getJson(sim, '/runs/53')).conclusion).toBe('failure') // the run itself stays

    expect((await post(sim, '/runs/53/rerun-failed-jobs')).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 7)
    const latest = (await getJson(sim, '/runs/53/jobs')).jobs
    const rerunTest = latest.find((j: any) => j.name === 'test')
    expect(rerunTest.run_attempt).toBe(2)
    expect((await api(sim, `/jobs/${rerunTest.id}/logs`)).status).toBe(302)
    expect((await api(sim, `/jobs/${latest[0].id}/logs`)).status).toBe(404) // carried over, deleted
    expect(await zipNames(sim, '/runs/53/logs')).toEqual(['0_test.txt'])

    const busy = await del(sim, '/runs/54/logs')
    expect([busy.status, busy.body.message]).toEqual([403, MESSAGES.deleteLogsNotCompleted])
    expect((await del(sim, '/runs/999/logs')).status).toBe(404)
    expect(sim.violations).toEqual([])
  })
})

interface ZipFile {
  name: string
  data: Buffer
  crc: number
}

/** Reads a stored (uncompressed) zip through its end-of-central-directory record. */
function readZip(zip: Buffer): ZipFile[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  expect(eocd).toBe(zip.length - 22)
  const count = zip.readUInt16LE(eocd + 10)
  const directorySize = zip.readUInt32LE(eocd + 12)
  let at = zip.readUInt32LE(eocd + 16)
  expect(at + directorySize).toBe(eocd)
  const files: ZipFile[] = []
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50)
    const method = zip.readUInt16LE(at + 10)
    const crc = zip.readUInt32LE(at + 16)
    const size = zip.readUInt32LE(at + 20)
    expect(zip.readUInt32LE(at + 24)).toBe(size)
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30)
    const comment = zip.readUInt16LE(at + 32)
    const offset = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    expect(method).toBe(0)
    expect(zip.readUInt32LE(offset)).toBe(0x04034b50)
    expect(zip.readUInt32LE(offset + 14)).toBe(crc) // sizes and CRC in the local header too
    expect(zip.readUInt32LE(offset + 18)).toBe(size)
    const start = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28)
    files.push({ name, data: zip.subarray(start, start + size), crc })
    at += 46 + nameLength + extra + comment
  }
  return files
}

async function fetchZip(sim: Simulator, path: string): Promise<ZipFile[]> {
  const redirect = await api(sim, path)
  expect(redirect.status).toBe(302)
  const location = redirect.headers.get('location') ?? ''
  expect(location.startsWith(`${sim.logOrigin}/`)).toBe(true)
  const response = await fetch(location)
  expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/zip'])
  return readZip(Buffer.from(await response.arrayBuffer()))
}

async function zipNames(sim: Simulator, path: string): Promise<string[]> {
  return (await fetchZip(sim, path)).map((file) => file.name)
}

describe('run log archives', () => {
  it('redirects to a zip with one file per job that ran, holding the job log', async () => {
    const sim = await start([
      {
        id: 60,
        workflow: 'ci.yml',
        attempts: [
          {
            at: -100,
            jobs: [
              { name: 'build/linux', steps: [{ name: 'make', seconds: 3, log: ['gcc -O2 ünïcode.c'], fillerLines: 5000 }] },
              failing('test'),
              ok('report', 1, { needs: ['test'] }),
              ok('lint')
            ]
          }
        ]
      },
      { id: 61, workflow: 'ci.yml', attempts: [{ at: 0, jobs: [ok('long', 3600)] }] }
    ])
    const files = await fetchZip(sim, '/runs/60/logs')
    // report was skipped (never ran): no file. A slash in a job name would make a folder.
    expect(files.map((f) => f.name)).toEqual(['0_build_linux.txt', '1_test.txt', '2_lint.txt'])
    const jobs = (await getJson(sim, '/runs/60/jobs')).jobs
    for (const [position, index] of [
      [0, 0],
      [1, 1],
      [2, 3]
    ] as const) {
      const file = files[position] as ZipFile
      const log = await jobLog(sim, jobs[index].id)
      expect(file.data.equals(log)).toBe(true)
      expect(crc32(file.data)).toBe(file.crc)
    }
    expect(files[0]?.data.toString('utf8')).toContain('gcc -O2 ünïcode.c')
    expect(await zipNames(sim, '/runs/60/attempts/1/logs')).toEqual(files.map((f) => f.name))

    // The storage host refuses a token, like for job logs; fetch drops it on the cross-origin redirect.
    const location = (await api(sim, '/runs/60/logs')).headers.get('location') ?? ''
    expect((await fetch(location, { headers: AUTH })).status).toBe(403)
    expect((await fetch(location.replace(/sig=[0-9a-f]+/, `sig=${'f'.repeat(64)}`))).status).toBe(403)
    expect((await fetch(`${sim.apiUrl}${REPO_PATH}/runs/60/logs`, { headers: AUTH })).status).toBe(200)

    expect((await api(sim, '/runs/61/logs')).status).toBe(404) // not completed
    expect((await api(sim, '/runs/61/attempts/1/logs')).status).toBe(404)
    expect((await api(sim, '/runs/60/attempts/2/logs')).status).toBe(404)
    expect((await api(sim, '/runs/999/logs')).status).toBe(404)
    expect(sim.violations).toEqual([])
  })

  it('serves each attempt’s archive, with carried-over jobs in the latest one', async () => {
    const sim = await start([failedRun(62, { rerunSpecs: { test: ok('test') } })])
    expect((await post(sim, '/runs/62/rerun-failed-jobs')).status).toBe(201)
    await pass(RERUN_DELAY_SECONDS + 1.2)
    // Attempt 2 is running: its archive (= the run's) is not there yet; attempt 1's is.
    expect((await api(sim, '/runs/62/logs')).status).toBe(404)
    expect(await zipNames(sim, '/runs/62/attempts/1/logs')).toEqual(['0_lint.txt', '1_test.txt', '2_docs.txt'])
    await pass(10)
    expect(await zipNames(sim, '/runs/62/logs')).toEqual(['0_lint.txt', '1_test.txt', '2_docs.txt', '3_report.txt'])
    const second = await fetchZip(sim, '/runs/62/attempts/2/logs')
    const test = (await getJson(sim, '/runs/62/jobs')).jobs.find((j: any) => j.name === 'test')
    expect(second[1]?.data.equals(await jobLog(sim, test.id))).toBe(true)
    expect(sim.violations).toEqual([])
  })
})

describe('request bodies', () => {
  it('records a violation and answers 422 for a body that breaks the schema, 400 for non-JSON', async () => {
    const sim = await start([
      failedRun(70),
      {
        id: 71,
        workflow: 'ci.yml',
        attempts: [{ at: -10, hold: { status: 'waiting' }, jobs: [ok('d')] }],
        pendingDeployments: [{ environment: 'production', id: 161 }]
      }
    ])
    const missing = await post(sim, '/runs/71/pending_deployments', { environment_ids: [161], state: 'approved' })
    expect(missing.status).toBe(422)
    expect(missing.body.message).toContain('comment')
    expect(sim.violations).toEqual([expect.stringMatching(/^POST \/repos\/acme\/widgets\/actions\/runs\/71\/pending_deployments: request body: .*comment/)])
    expect((await getJson(sim, '/runs/71')).status).toBe('waiting') // nothing happened

    const wrongType = await post(sim, '/runs/70/rerun', { enable_debug_logging: 'yes' })
    expect(wrongType.status).toBe(422)
    expect(sim.violations.at(-1)).toMatch(/^POST \/repos\/acme\/widgets\/actions\/runs\/70\/rerun: request body: \/enable_debug_logging must be boolean/)

    const noBody = await post(sim, '/runs/71/pending_deployments')
    expect(noBody.status).toBe(422)
    expect(sim.violations.at(-1)).toMatch(/pending_deployments: request body: a body is required/)

    const gate = await post(sim, '/runs/71/deployment_protection_rule', { state: 'approved' })
    expect(gate.status).toBe(422)

    const notJson = await api(sim, '/runs/70/rerun', { method: 'POST', body: '{oops' })
    expect(notJson.status).toBe(400)
    expect(sim.requests.at(-1)?.body).toBe('{oops')
    expect(sim.violations.at(-1)).toBe('POST /repos/acme/widgets/actions/runs/70/rerun: request body: not JSON')
    expect((await getJson(sim, '/runs/70')).run_attempt).toBe(1)

    // Unknown routes stay 404, whatever the body.
    expect((await api(sim, '/runs/70/explode', { method: 'POST', body: '{oops' })).status).toBe(404)
    // A null body is what the re-run schemas allow (nullable).
    expect((await post(sim, '/runs/70/rerun', null)).status).toBe(201)
    expect(sim.requests.at(-1)?.body).toBeNull()
  })

  it('has zero violations across correct use of every write endpoint', async () => {
    const sim = await start([
      failedRun(80),
      {
        id: 81,
        workflow: 'ci.yml',
        attempts: [{ at: -10, hold: { status: 'waiting' }, jobs: [ok('d')] }],
        pendingDeployments: [
          { environment: 'production', id: 161 },
          { environment: 'gate', id: 162, customGate: true }
        ]
      },
      { id: 82, workflow: 'ci.yml', outcome: 'action_required', attempts: [{ at: -10, jobs: [ok('f')] }] },
      { id: 83, workflow: 'ci.yml', attempts: [{ at: 0, jobs: [ok('long', 3600)] }] }
    ])
    const job = (await getJson(sim, '/runs/80/jobs')).jobs[0]
    expect((await post(sim, `/jobs/${job.id}/rerun`, { enable_debug_logging: true, enable_debugger: false })).status).toBe(201)
    expect((await post(sim, '/runs/81/pending_deployments', { environment_ids: [161], state: 'approved', comment: 'ok' })).status).toBe(200)
    expect((await post(sim, '/runs/81/deployment_protection_rule', { environment_name: 'gate', state: 'approved', comment: 'ok' })).status).toBe(204)
    expect((await post(sim, '/runs/82/approve')).status).toBe(201)
    expect((await post(sim, '/runs/83/cancel')).status).toBe(202)
    expect((await post(sim, '/runs/83/force-cancel')).status).toBe(202)
    await pass(RERUN_DELAY_SECONDS + 10)
    for (const id of [80, 81, 82, 83]) {
      await getJson(sim, `/runs/${id}`)
      await getJson(sim, `/runs/${id}/jobs?filter=all`)
      await getJson(sim, `/runs/${id}/approvals`)
      await getJson(sim, `/runs/${id}/pending_deployments`)
      await fetchZip(sim, `/runs/${id}/logs`)
    }
    expect((await post(sim, '/runs/80/rerun')).status).toBe(201)
    expect((await del(sim, '/runs/81/logs')).status).toBe(204)
    expect((await del(sim, '/runs/82')).status).toBe(204)
    expect(sim.violations).toEqual([])
  })
})
