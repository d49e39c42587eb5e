// The simulator, exercised over real HTTP the way the action's Octokit client uses it.
import { afterEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_SHA, Simulator, type RunSpec, type Scenario, type SimulatorOptions } from './index.js'
import { validateResponse } from './openapi.js'

const OWNER = 'acme'
const REPO = 'widgets'
const REPO_PATH = `/repos/${OWNER}/${REPO}/actions`
const AUTH = { authorization: 'token test-token' }
const DAY = 86_400

const running: Simulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()))
})

function scenario(runs: RunSpec[]): Scenario {
  return {
    owner: OWNER,
    repo: REPO,
    workflows: [
      { id: 11, name: 'CI', file: 'ci.yml' },
      { id: 22, name: 'Deploy', file: 'deploy.yml' }
    ],
    runs
  }
}

/**
 * Starts a simulator on a hand-moved clock and a helper that moves it to virtual second `t`.
 * A frozen clock keeps the state checks exact on a loaded machine (on the wall clock, a slow
 * reply landed a second late and saw the next step already running).
 */
async function start(runs: RunSpec[], options: SimulatorOptions = {}): Promise<{ sim: Simulator; until: (t: number) => Promise<void> }> {
  const startedReal = Date.now()
  let nowMs = startedReal
  const sim = await Simulator.start(scenario(runs), { now: () => nowMs, ...options })
  running.push(sim)
  const speed = options.speed ?? 1
  const until = async (t: number): Promise<void> => {
    nowMs = Math.max(nowMs, startedReal + (t * 1000) / speed)
  }
  return { sim, until }
}

async function api(sim: Simulator, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.apiUrl}${path}`, { redirect: 'manual', ...init, headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) } })
}

async function getJson<T = any>(sim: Simulator, path: string): Promise<T> {
  const response = await api(sim, path)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

const completedJob = (name: string, steps: RunSpec['attempts'][number]['jobs'][number]['steps'] = [{ name: 'work', seconds: 2 }]) => ({ name, steps })

describe('check runs', () => {
  it('lists each job execution as a check run of its attempt’s check suite, filtered by status', async () => {
    // build: created 0, starts 5, done 9; deploy (needs build) created 9, done 13. An earlier
    // attempt is given as a second scenario attempt: a re-run of the whole run at 20.
    const { sim, until } = await start(
      [
        {
          id: 100,
          workflow: 'ci.yml',
          attempts: [
            {
              at: 0,
              jobs: [
                { name: 'build', queuedSeconds: 5, steps: [{ name: 'compile', seconds: 2 }] },
                { name: 'deploy', needs: ['build'], steps: [{ name: 'ship', seconds: 1 }] }
              ]
            },
            {
              at: 20,
              jobs: [
                { name: 'build', steps: [{ name: 'compile', seconds: 2 }] },
                { name: 'deploy', needs: ['build'], steps: [{ name: 'ship', seconds: 1 }] }
              ]
            }
          ]
        }
      ],
      { speed: 10 }
    )
    const commit = `/repos/${OWNER}/${REPO}/commits/${DEFAULT_SHA}/check-runs`
    await until(7)
    let run = await getJson(sim, `${REPO_PATH}/runs/100`)
    let listed = await getJson(sim, `${commit}?status=completed&filter=all`)
    expect(listed).toMatchObject({ total_count: 0, check_runs: [] })
    listed = await getJson(sim, `${commit}?filter=all`)
    const jobs = await getJson(sim, `${REPO_PATH}/runs/100/jobs`)
    // A check run is its job: same id, name, status; its suite is the run's check_suite_id.
    expect(listed.check_runs.map((c: any) => [c.id, c.name, c.status, c.check_suite.id, c.app.slug])).toEqual(
      jobs.jobs.map((j: any) => [j.id, j.name, j.status, run.check_suite_id, 'github-actions'])
    )
    await until(14)
    listed = await getJson(sim, `${commit}?status=completed&filter=all`)
    expect(listed.check_runs.map((c: any) => [c.name, c.conclusion])).toEqual([
      ['build', 'success'],
      ['deploy', 'success']
    ])
    await until(21)
    run = await getJson(sim, `${REPO_PATH}/runs/100`)
    expect(run.run_attempt).toBe(2)
    const suite = await getJson(sim, `/repos/${OWNER}/${REPO}/check-suites/${run.check_suite_id}/check-runs`)
    expect(suite.check_runs.map((c: any) => [c.name, c.check_suite.id])).toEqual([['build', run.check_suite_id]])
    // The commit's list still holds the first attempt's (completed) check runs.
    listed = await getJson(sim, `${commit}?status=completed&filter=all`)
    expect(listed.total_count).toBe(2)
    expect((await api(sim, `${commit}?status=done`)).status).toBe(422)
    expect((await api(sim, `/repos/${OWNER}/${REPO}/check-suites/99999/check-runs`)).status).toBe(404)
    expect(sim.violations).toEqual([])
  })
})

describe('clock-derived state', () => {
  it('moves a run and its jobs through queued → in_progress → completed', async () => {
    // build: created 0, starts 5, Set up 5-6, compile 6-8, Complete 8-9.
    // deploy needs build: created 9, starts 10, Set up 10-11, ship 11-12, Complete 12-13.
    const { sim, until } = await start(
      [
        {
          id: 100,
          workflow: 'ci.yml',
          attempts: [
            {
              at: 0,
              jobs: [
                { name: 'build', queuedSeconds: 5, steps: [{ name: 'compile', seconds: 2 }] },
                { name: 'deploy', needs: ['build'], steps: [{ name: 'ship', seconds: 1 }] }
              ]
            }
          ]
        }
      ],
      { speed: 10 }
    )
    let run = await getJson(sim, `${REPO_PATH}/runs/100`)
    expect([run.status, run.conclusion]).toEqual(['queued', null])
    let jobs = await getJson(sim, `${REPO_PATH}/runs/100/jobs`)
    expect(jobs.jobs.map((j: any) => [j.name, j.status, j.steps.length, j.runner_name])).toEqual([['build', 'queued', 0, null]])
    expect(jobs.jobs[0].started_at).toBe(jobs.jobs[0].created_at)
    const queuedUpdatedAt = run.updated_at

    await until(7)
    run = await getJson(sim, `${REPO_PATH}/runs/100`)
    expect(run.status).toBe('in_progress')
    expect(Date.parse(run.updated_at) - Date.parse(queuedUpdatedAt)).toBe(5000)
    jobs = await getJson(sim, `${REPO_PATH}/runs/100/jobs`)
    expect(jobs.total_count).toBe(1) // deploy does not exist before build completed
    const build = jobs.jobs[0]
    expect(build.status).toBe('in_progress')
    expect(build.runner_name).toBe('GitHub Actions 1')
    expect(build.steps.map((s: any) => [s.name, s.status, s.conclusion])).toEqual([
      ['Set up job', 'completed', 'success'],
      ['compile', 'in_progress', null],
      ['Complete job', 'queued', null]
    ])
    expect(build.steps[2].started_at).toBeNull()
    expect(build.steps[1].completed_at).toBeNull()
    const inProgressUpdatedAt = run.updated_at

    await until(9.5)
    jobs = await getJson(sim, `${REPO_PATH}/runs/100/jobs`)
    // build has completed; deploy, which needs it, is queued only a moment later and not listed yet.
    expect(jobs.jobs.map((j: any) => [j.name, j.status, j.conclusion])).toEqual([['build', 'completed', 'success']])
    await until(10.5)
    jobs = await getJson(sim, `${REPO_PATH}/runs/100/jobs`)
    expect(jobs.jobs.map((j: any) => [j.name, j.status, j.conclusion])).toEqual([
      ['build', 'completed', 'success'],
      ['deploy', 'queued', null]
    ])
    run = await getJson(sim, `${REPO_PATH}/runs/100`)
    expect(run.status).toBe('in_progress')
    expect(run.updated_at).toBe(inProgressUpdatedAt) // job progress does not touch the run object

    await until(14.5)
    run = await getJson(sim, `${REPO_PATH}/runs/100`)
    expect([run.status, run.conclusion]).toEqual(['completed', 'success'])
    expect(Date.parse(run.updated_at) - Date.parse(run.created_at)).toBe(14000)
    expect(run.run_started_at).toBe(run.created_at)
    expect(run.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(sim.violations).toEqual([])
  })

  it('derives failures, skipped steps, always() steps and skipped dependents', async () => {
    const { sim } = await start([
      {
        id: 7,
        workflow: 'ci.yml',
        attempts: [
          {
            at: -100,
            jobs: [
              {
                name: 'test',
                steps: [
                  { name: 'unit', seconds: 3, conclusion: 'failure' },
                  { name: 'lint', seconds: 5 },
                  { name: 'upload report', seconds: 2, always: true }
                ]
              },
              { name: 'publish', needs: ['test'], steps: [{ name: 'npm publish', seconds: 1 }] }
            ]
          }
        ]
      }
    ])
    const jobs = await getJson(sim, `${REPO_PATH}/runs/7/jobs`)
    const [test, publish] = jobs.jobs
    expect(test.conclusion).toBe('failure')
    expect(test.steps.map((s: any) => [s.name, s.conclusion])).toEqual([
      ['Set up job', 'success'],
      ['unit', 'failure'],
      ['lint', 'skipped'],
      ['upload report', 'success'],
      ['Complete job', 'success']
    ])
    expect([publish.status, publish.conclusion, publish.steps, publish.runner_name]).toEqual(['completed', 'skipped', [], null])
    const run = await getJson(sim, `${REPO_PATH}/runs/7`)
    expect(run.conclusion).toBe('failure')
  })

  it('sends a Date header in virtual time', async () => {
    const { sim, until } = await start([], { speed: 3600 })
    await until(600)
    const response = await api(sim, `${REPO_PATH}/runs`)
    const date = Date.parse(response.headers.get('date') ?? '')
    expect(date - Date.now()).toBeGreaterThan(500_000)
    expect(Math.abs(date - sim.nowMs())).toBeLessThan(60_000)
    expect(response.headers.get('x-github-api-version-selected')).toBe('2022-11-28')
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('x-github-request-id')).toBeTruthy()
  })

  it('hides runs and attempts that do not exist yet, and shows runs added later', async () => {
    const { sim } = await start([{ id: 1, workflow: 'ci.yml', attempts: [{ at: 3600, jobs: [] }] }])
    expect((await api(sim, `${REPO_PATH}/runs/1`)).status).toBe(404)
    expect((await getJson(sim, `${REPO_PATH}/runs`)).total_count).toBe(0)
    sim.addRun({ id: 2, workflow: 'ci.yml', attempts: [{ at: -5, jobs: [] }] })
    const list = await getJson(sim, `${REPO_PATH}/runs`)
    expect(list.workflow_runs.map((r: any) => [r.id, r.run_number])).toEqual([[2, 2]])
  })
})

describe('ETags and rate limit', () => {
  it('answers 304 to a matching If-None-Match without counting it', async () => {
    const { sim } = await start([{ id: 5, workflow: 'ci.yml', attempts: [{ at: -60, jobs: [completedJob('a')] }] }])
    const first = await api(sim, `${REPO_PATH}/runs/5`)
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/)
    expect(first.headers.get('x-ratelimit-remaining')).toBe('999')

    const second = await api(sim, `${REPO_PATH}/runs/5`, { headers: { 'if-none-match': etag ?? '' } })
    expect(second.status).toBe(304)
    expect(await second.text()).toBe('')
    expect(second.headers.get('x-ratelimit-remaining')).toBe('999')
    const recorded = sim.requests.at(-1)
    expect(recorded).toMatchObject({ status: 304, counted: false, conditional: true, path: `${REPO_PATH}/runs/5` })

    const stale = await api(sim, `${REPO_PATH}/runs/5`, { headers: { 'if-none-match': 'W/"0000"' } })
    expect(stale.status).toBe(200)
    expect(stale.headers.get('x-ratelimit-remaining')).toBe('998')
    expect(sim.requests.filter((r) => r.counted)).toHaveLength(2)
  })

  it('changes the jobs ETag as steps progress while the run ETag stays', async () => {
    const { sim, until } = await start(
      [
        {
          id: 6,
          workflow: 'ci.yml',
          attempts: [
            {
              at: 0,
              jobs: [
                {
                  name: 'j',
                  steps: [
                    { name: 's1', seconds: 2 },
                    { name: 's2', seconds: 2 }
                  ]
                }
              ]
            }
          ]
        }
      ],
      { speed: 10 }
    )
    await until(2.5)
    const run1 = await api(sim, `${REPO_PATH}/runs/6`)
    const jobs1 = await api(sim, `${REPO_PATH}/runs/6/jobs`)
    await until(4.5)
    const run2 = await api(sim, `${REPO_PATH}/runs/6`, { headers: { 'if-none-match': run1.headers.get('etag') ?? '' } })
    const jobs2 = await api(sim, `${REPO_PATH}/runs/6/jobs`, { headers: { 'if-none-match': jobs1.headers.get('etag') ?? '' } })
    expect(run2.status).toBe(304)
    expect(jobs2.status).toBe(200)
  })

  it('limits requests per token and reports the rate-limit headers', async () => {
    const { sim } = await start([], { rateLimit: 3 })
    const unauthenticated = await fetch(`${sim.apiUrl}${REPO_PATH}/runs`)
    expect(unauthenticated.status).toBe(401)
    const remaining: (string | null)[] = []
    for (let i = 0; i < 3; i++) remaining.push((await api(sim, `${REPO_PATH}/runs`)).headers.get('x-ratelimit-remaining'))
    expect(remaining).toEqual(['2', '1', '0'])
    const over = await api(sim, `${REPO_PATH}/runs`)
    expect(over.status).toBe(403)
    expect(((await over.json()) as { message: string }).message).toMatch(/^API rate limit exceeded/)
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(over.headers.get('x-ratelimit-limit')).toBe('3')
    expect(over.headers.get('x-ratelimit-resource')).toBe('core')
    const reset = Number(over.headers.get('x-ratelimit-reset'))
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 3500)
    expect(reset).toBeLessThan(Date.now() / 1000 + 3700)
    // Another token has its own budget; Bearer works as well as token.
    const other = await fetch(`${sim.apiUrl}${REPO_PATH}/runs`, { headers: { authorization: 'Bearer other' } })
    expect([other.status, other.headers.get('x-ratelimit-used')]).toEqual([200, '1'])
    expect(sim.requests[0]).toMatchObject({ status: 401, counted: false, authorization: false })
  })
})

describe('pagination', () => {
  it('pages a 250-job run with GitHub-style Link headers', async () => {
    const jobs = Array.from({ length: 250 }, (_, i) => ({ name: `matrix (${i})`, steps: [] }))
    const { sim } = await start([{ id: 9, workflow: 'ci.yml', attempts: [{ at: -600, jobs }] }])
    const base = `${sim.apiUrl}${REPO_PATH}/runs/9/jobs`

    const page1 = await api(sim, `${REPO_PATH}/runs/9/jobs?filter=latest&per_page=100`)
    expect(page1.headers.get('link')).toBe(`<${base}?filter=latest&per_page=100&page=2>; rel="next", <${base}?filter=latest&per_page=100&page=3>; rel="last"`)
    const page2 = await api(sim, `${REPO_PATH}/runs/9/jobs?filter=latest&per_page=100&page=2`)
    expect(page2.headers.get('link')).toBe(
      `<${base}?filter=latest&per_page=100&page=1>; rel="prev", <${base}?filter=latest&per_page=100&page=3>; rel="next", ` +
        `<${base}?filter=latest&per_page=100&page=3>; rel="last", <${base}?filter=latest&per_page=100&page=1>; rel="first"`
    )
    const defaults = await api(sim, `${REPO_PATH}/runs/9/jobs`)
    expect(defaults.headers.get('link')).toContain(`<${base}?page=9>; rel="last"`)
    expect(((await defaults.json()) as { jobs: unknown[] }).jobs).toHaveLength(30)
    const capped = (await getJson(sim, `${REPO_PATH}/runs/9/jobs?per_page=500`)) as { jobs: unknown[] }
    expect(capped.jobs).toHaveLength(100)

    // Follow `next` like octokit.paginate does.
    const ids: number[] = []
    let next: string | undefined = `${base}?per_page=100`
    let pages = 0
    while (next) {
      const response: Response = await fetch(next, { headers: AUTH })
      const body = (await response.json()) as { total_count: number; jobs: { id: number }[] }
      expect(body.total_count).toBe(250)
      ids.push(...body.jobs.map((job) => job.id))
      next = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1]
      pages++
    }
    expect(pages).toBe(3)
    expect(new Set(ids).size).toBe(250)
    const last = await api(sim, `${REPO_PATH}/runs/9/jobs?per_page=100&page=3`)
    expect(last.headers.get('link')).toBe(`<${base}?per_page=100&page=2>; rel="prev", <${base}?per_page=100&page=1>; rel="first"`)
    expect(sim.violations).toEqual([])
  })
})

describe('run filters', () => {
  const otherSha = 'a'.repeat(40)
  const runs: RunSpec[] = [
    { id: 1, workflow: 'ci.yml', attempts: [{ at: -3 * DAY, jobs: [completedJob('a')] }] },
    {
      id: 2,
      workflow: 'deploy.yml',
      event: 'workflow_dispatch',
      actor: 'hubot',
      attempts: [{ at: -2 * DAY, jobs: [{ name: 'b', steps: [{ name: 'x', seconds: 1, conclusion: 'failure' }] }] }]
    },
    { id: 3, workflow: 'ci.yml', sha: otherSha, branch: 'feature', attempts: [{ at: -60, jobs: [completedJob('c')] }] },
    { id: 4, workflow: 'ci.yml', attempts: [{ at: -1, jobs: [{ name: 'long', steps: [{ name: 'x', seconds: 3600 }] }] }] },
    { id: 5, workflow: 'ci.yml', attempts: [{ at: 7200, jobs: [] }] } // not created yet
  ]
  const ids = (body: any): number[] => body.workflow_runs.map((run: any) => run.id)
  const day = (offsetDays: number, sim: Simulator): string => new Date(sim.nowMs() + offsetDays * DAY * 1000).toISOString().slice(0, 10)

  it('lists visible runs newest first, filtered by head_sha, status, branch, event and actor', async () => {
    const { sim } = await start(runs)
    const all = await getJson(sim, `${REPO_PATH}/runs`)
    expect(ids(all)).toEqual([4, 3, 2, 1])
    expect(all.total_count).toBe(4)
    expect(all.workflow_runs.map((run: any) => run.run_number)).toEqual([3, 2, 1, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?head_sha=${otherSha}`))).toEqual([3])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?head_sha=${DEFAULT_SHA}`))).toEqual([4, 2, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?status=failure`))).toEqual([2])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?status=success`))).toEqual([3, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?status=in_progress`))).toEqual([4])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?status=completed&branch=main`))).toEqual([2, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?event=workflow_dispatch`))).toEqual([2])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?actor=hubot`))).toEqual([2])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?exclude_pull_requests=true&per_page=2`))).toEqual([4, 3])
  })

  it('filters by created with GitHub search syntax', async () => {
    const { sim } = await start(runs)
    // Whole-day filters: run 1 was created 3 days ago, run 2 two days ago, 3 and 4 about now
    // (which can be yesterday if the test runs just after midnight UTC, hence the checks on `today`).
    const createdDays = new Map([
      [1, day(-3, sim)],
      [2, day(-2, sim)],
      [3, new Date(sim.nowMs() - 60_000).toISOString().slice(0, 10)],
      [4, new Date(sim.nowMs() - 1000).toISOString().slice(0, 10)]
    ])
    const expected = (keep: (d: string) => boolean): number[] => [4, 3, 2, 1].filter((id) => keep(createdDays.get(id) ?? ''))
    const threeAgo = day(-3, sim)
    const twoAgo = day(-2, sim)
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${encodeURIComponent(`>=${twoAgo}`)}`))).toEqual(expected((d) => d >= twoAgo))
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${encodeURIComponent(`>${twoAgo}`)}`))).toEqual(expected((d) => d > twoAgo))
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${encodeURIComponent(`<=${twoAgo}`)}`))).toEqual([2, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${encodeURIComponent(`<${twoAgo}`)}`))).toEqual([1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${threeAgo}..${twoAgo}`))).toEqual([2, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${twoAgo}`))).toEqual([2])
    // Date-times, precise to the second.
    const tenMinutesAgo = new Date(sim.nowMs() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${encodeURIComponent(`>=${tenMinutesAgo}`)}`))).toEqual([4, 3])
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=*..${encodeURIComponent(tenMinutesAgo)}`))).toEqual([2, 1])
    expect((await api(sim, `${REPO_PATH}/runs?created=yesterday`)).status).toBe(422)
  })

  it('lists one workflow’s runs by file name or id', async () => {
    const { sim } = await start(runs)
    expect(ids(await getJson(sim, `${REPO_PATH}/workflows/ci.yml/runs`))).toEqual([4, 3, 1])
    expect(ids(await getJson(sim, `${REPO_PATH}/workflows/22/runs`))).toEqual([2])
    expect(ids(await getJson(sim, `${REPO_PATH}/workflows/ci.yml/runs?status=success&branch=feature`))).toEqual([3])
    expect((await api(sim, `${REPO_PATH}/workflows/nope.yml/runs`)).status).toBe(404)
    const workflow = await getJson(sim, `${REPO_PATH}/workflows/deploy.yml`)
    expect([workflow.id, workflow.name, workflow.path, workflow.state]).toEqual([22, 'Deploy', '.github/workflows/deploy.yml', 'active'])
    expect(sim.violations).toEqual([])
  })
})

describe('GitHub’s 1,000-result limit and the workflows list', () => {
  // 1,050 runs a minute apart, all completed; each a second of its own.
  const many: RunSpec[] = Array.from({ length: 1050 }, (_, i) => ({ id: 100 + i, workflow: 'ci.yml', attempts: [{ at: -2 * DAY + i * 60, jobs: [] }] }))
  const ids = (body: any): number[] => body.workflow_runs.map((run: any) => run.id)

  it('serves at most 1,000 results of a filtered search: later pages are empty, total_count counts all', async () => {
    const { sim } = await start(many)
    const tenth = await api(sim, `${REPO_PATH}/runs?status=completed&per_page=100&page=10`)
    const tenthBody = (await tenth.json()) as any
    expect([tenthBody.total_count, tenthBody.workflow_runs.length]).toEqual([1050, 100])
    // The Link header ends at the page of the 1,000th result.
    expect(tenth.headers.get('link')).not.toContain('rel="next"')
    const eleventh = await getJson(sim, `${REPO_PATH}/runs?status=completed&per_page=100&page=11`)
    expect([eleventh.total_count, eleventh.workflow_runs.length]).toEqual([1050, 0])
    expect(
      (await getJson(sim, `${REPO_PATH}/workflows/ci.yml/runs?created=${encodeURIComponent('>=2000-01-01')}&per_page=100&page=11`)).workflow_runs
    ).toHaveLength(0)
    // Without a filter every page is served (the limit is per search).
    expect((await getJson(sim, `${REPO_PATH}/runs?per_page=100&page=11`)).workflow_runs).toHaveLength(50)
    // A narrower `created` window reaches the older runs.
    const oldest = many[0]?.attempts[0]?.at ?? 0
    const window = `*..${new Date(sim.nowMs() + (oldest + 49 * 60) * 1000).toISOString().replace(/\.\d+Z$/, 'Z')}`
    expect(ids(await getJson(sim, `${REPO_PATH}/runs?created=${encodeURIComponent(window)}&per_page=100`))).toEqual(
      many
        .slice(0, 50)
        .map((r) => r.id)
        .reverse()
    )
    expect(sim.violations).toEqual([])
  })

  it('lists the repository’s workflows with their state, by id; unlisted and required ones are left out', async () => {
    const base = scenario([])
    const custom = await Simulator.start({
      ...base,
      workflows: [
        ...base.workflows,
        { id: 9, name: 'Old', file: 'old.yml', state: 'deleted' },
        { id: 33, name: 'Gone', file: 'gone.yml', state: 'deleted', unlisted: true },
        { id: 44, name: 'Policy', file: 'policy.yml', required: true }
      ]
    })
    running.push(custom)
    const listed = await getJson(custom, `${REPO_PATH}/workflows?per_page=100`)
    expect(listed.total_count).toBe(3)
    expect(listed.workflows.map((w: any) => [w.id, w.path, w.state])).toEqual([
      [9, '.github/workflows/old.yml', 'deleted'],
      [11, '.github/workflows/ci.yml', 'active'],
      [22, '.github/workflows/deploy.yml', 'active']
    ])
    expect(listed.workflows[0].deleted_at).toMatch(/Z$/)
    expect((await getJson(custom, `${REPO_PATH}/workflows/33`)).state).toBe('deleted')
    expect((await api(custom, `${REPO_PATH}/workflows/44`)).status).toBe(404)
    const paged = await api(custom, `${REPO_PATH}/workflows?per_page=2`)
    expect(paged.headers.get('link')).toContain('rel="next"')
    expect(custom.violations).toEqual([])
  })
})

describe('attempts', () => {
  const rerun: RunSpec = {
    id: 42,
    workflow: 'ci.yml',
    attempts: [
      {
        at: -300,
        jobs: [
          completedJob('lint'),
          { name: 'test', steps: [{ name: 'jest', seconds: 5, conclusion: 'failure' }] },
          { name: 'report', needs: ['test'], steps: [{ name: 'comment', seconds: 1 }] }
        ]
      },
      {
        at: -100,
        rerun: 'failed',
        jobs: [
          { name: 'test', steps: [{ name: 'jest', seconds: 5 }] },
          { name: 'report', needs: ['test'], steps: [{ name: 'comment', seconds: 1 }] }
        ]
      },
      { at: 3600, jobs: [completedJob('lint')] }
    ]
  }

  it('serves the latest attempt, each attempt, and filter=latest vs all after a failed-jobs re-run', async () => {
    const { sim } = await start([rerun])
    const run = await getJson(sim, `${REPO_PATH}/runs/42`)
    expect([run.run_attempt, run.status, run.conclusion]).toEqual([2, 'completed', 'success'])
    expect(run.previous_attempt_url).toBe(`${sim.apiUrl}${REPO_PATH}/runs/42/attempts/1`)
    expect(Date.parse(run.run_started_at) - Date.parse(run.created_at)).toBe(200_000)

    const first = await getJson(sim, `${REPO_PATH}/runs/42/attempts/1`)
    expect([first.run_attempt, first.conclusion, first.previous_attempt_url]).toEqual([1, 'failure', null])
    expect((await api(sim, `${REPO_PATH}/runs/42/attempts/3`)).status).toBe(404)
    expect((await api(sim, `${REPO_PATH}/runs/42/attempts/3/jobs`)).status).toBe(404)

    const latest = await getJson(sim, `${REPO_PATH}/runs/42/jobs?filter=latest`)
    expect(latest.jobs.map((j: any) => [j.name, j.run_attempt, j.conclusion])).toEqual([
      ['lint', 1, 'success'],
      ['test', 2, 'success'],
      ['report', 2, 'success']
    ])
    const all = await getJson(sim, `${REPO_PATH}/runs/42/jobs?filter=all`)
    expect(all.jobs.map((j: any) => [j.name, j.run_attempt, j.conclusion])).toEqual([
      ['lint', 1, 'success'],
      ['test', 1, 'failure'],
      ['report', 1, 'skipped'],
      ['test', 2, 'success'],
      ['report', 2, 'success']
    ])
    expect(new Set(all.jobs.map((j: any) => j.id)).size).toBe(5)
    const attemptOneJobs = await getJson(sim, `${REPO_PATH}/runs/42/attempts/1/jobs`)
    expect(attemptOneJobs.jobs.map((j: any) => [j.name, j.run_attempt, j.conclusion])).toEqual(
      all.jobs.slice(0, 3).map((j: any) => [j.name, j.run_attempt, j.conclusion])
    )

    const failedTest = all.jobs[1]
    const single = await getJson(sim, `${REPO_PATH}/jobs/${failedTest.id}`)
    expect([single.id, single.name, single.conclusion, single.run_attempt]).toEqual([failedTest.id, 'test', 'failure', 1])
    expect((await api(sim, `${REPO_PATH}/jobs/${failedTest.id + 50}`)).status).toBe(404)
    expect(sim.violations).toEqual([])
  })
})

describe('logs', () => {
  const logRun: RunSpec = {
    id: 77,
    workflow: 'ci.yml',
    attempts: [
      {
        at: -120,
        jobs: [
          {
            name: 'test',
            steps: [
              { name: 'npm ci', seconds: 4, log: ['added 812 packages'] },
              { name: 'npm test', seconds: 6, conclusion: 'failure', log: ['FAIL src/a.test.ts', '  expected 1 to be 2'] }
            ]
          },
          { name: 'slow', steps: [{ name: 'sleep', seconds: 3600 }] },
          { name: 'big', steps: [{ name: 'spam', seconds: 30, fillerLines: 200_000 }] }
        ]
      }
    ]
  }
  const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z .*$/

  it('redirects to a signed URL on the log origin serving timestamped lines', async () => {
    const { sim } = await start([logRun])
    const jobs = await getJson(sim, `${REPO_PATH}/runs/77/jobs`)
    const test = jobs.jobs[0]
    const redirect = await api(sim, `${REPO_PATH}/jobs/${test.id}/logs`)
    expect(redirect.status).toBe(302)
    const location = redirect.headers.get('location') ?? ''
    expect(location.startsWith(`${sim.logOrigin}/logs/${test.id}?expires=`)).toBe(true)
    expect(new URL(location).origin).not.toBe(new URL(sim.apiUrl).origin)

    const response = await fetch(location)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const bytes = Buffer.from(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\n')
    for (const line of lines) expect(line).toMatch(LINE)
    const texts = lines.map((line) => line.slice(29))
    expect(texts).toContain('##[group]Run npm test')
    expect(texts.filter((text) => text.startsWith('##[error]'))).toEqual(['##[error]Process completed with exit code 1.'])
    expect(texts.indexOf('##[group]Run npm test')).toBeLessThan(texts.indexOf('FAIL src/a.test.ts'))

    // Each step's lines fall inside that step's window.
    const failing = test.steps.find((s: any) => s.name === 'npm test')
    const inFailingStep = lines.filter((line) => {
      const ms = Date.parse(line.slice(0, 23) + 'Z')
      return ms >= Date.parse(failing.started_at) && ms < Date.parse(failing.completed_at)
    })
    expect(inFailingStep.map((line) => line.slice(29))).toEqual([
      '##[group]Run npm test',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'FAIL src/a.test.ts',
      '  expected 1 to be 2',
      '##[error]Process completed with exit code 1.'
    ])
    expect(sim.requests.at(-1)).toMatchObject({ origin: 'logs', status: 200, counted: false, authorization: false })
  })

  it('refuses an Authorization header, a bad signature, and logs of unfinished jobs', async () => {
    const { sim } = await start([logRun])
    const jobs = await getJson(sim, `${REPO_PATH}/runs/77/jobs`)
    const [test, slow] = jobs.jobs
    const location = (await api(sim, `${REPO_PATH}/jobs/${test.id}/logs`)).headers.get('location') ?? ''
    expect((await fetch(location, { headers: AUTH })).status).toBe(403)
    // Change the signature's first character (to one it is not: a random one may already be '0').
    expect((await fetch(location.replace(/sig=(.)/, (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`))).status).toBe(403)
    expect((await fetch(location.replace(/expires=\d+/, (m) => `${m}1`))).status).toBe(403)
    expect((await api(sim, `${REPO_PATH}/jobs/${slow.id}/logs`)).status).toBe(404)
    // fetch drops the Authorization header when it follows the redirect to another origin.
    const followed = await fetch(`${sim.apiUrl}${REPO_PATH}/jobs/${test.id}/logs`, { headers: AUTH })
    expect(followed.status).toBe(200)
  })

  it('streams a tens-of-MB log', async () => {
    const { sim } = await start([logRun])
    const jobs = await getJson(sim, `${REPO_PATH}/runs/77/jobs`)
    const big = jobs.jobs[2]
    const location = (await api(sim, `${REPO_PATH}/jobs/${big.id}/logs`)).headers.get('location') ?? ''
    const response = await fetch(location)
    let size = 0
    let newlines = 0
    let tail = ''
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length
      for (const byte of chunk) if (byte === 10) newlines++
      tail = Buffer.from(chunk).toString('utf8').slice(-200)
    }
    expect(size).toBeGreaterThan(20_000_000)
    expect(newlines).toBe(14 + 3 + 200_000 + 1)
    expect(tail.trimEnd().endsWith('Cleaning up orphan processes')).toBe(true)
  })
})

describe('faults', () => {
  const oneRun: RunSpec[] = [{ id: 1, workflow: 'ci.yml', attempts: [{ at: -60, jobs: [completedJob('a')] }] }]

  it('serves injected statuses, rate limits, delays and resets, then recovers', async () => {
    const { sim } = await start(oneRun)
    const path = `${REPO_PATH}/runs/1`
    sim.inject({ path, kind: 'status', status: 502, times: 2 })
    sim.inject({ method: 'POST', path: `${REPO_PATH}/jobs/1`, kind: 'reset' }) // not a GET: never matches below
    expect((await api(sim, path)).status).toBe(502)
    expect((await api(sim, path)).status).toBe(502)
    expect((await api(sim, path)).status).toBe(200)
    expect(sim.requests.slice(-3).map((r) => [r.status, r.counted])).toEqual([
      [502, true],
      [502, true],
      [200, true]
    ])

    sim.inject({ path: /\/runs\/\d+\/jobs$/, kind: 'secondary-rate-limit', retryAfter: 7 })
    const secondary = await api(sim, `${REPO_PATH}/runs/1/jobs`)
    expect(secondary.status).toBe(403)
    expect(secondary.headers.get('retry-after')).toBe('7')
    expect(((await secondary.json()) as { message: string }).message).toContain('secondary rate limit')

    sim.inject({ path, kind: 'primary-rate-limit', resetInSeconds: 30 })
    const primary = await api(sim, path)
    expect(primary.status).toBe(403)
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0')
    const reset = Number(primary.headers.get('x-ratelimit-reset'))
    expect(Math.abs(reset - (Date.now() / 1000 + 30))).toBeLessThan(3)

    sim.inject({ path, kind: 'delay', ms: 400 })
    const before = Date.now()
    expect((await api(sim, path)).status).toBe(200)
    expect(Date.now() - before).toBeGreaterThanOrEqual(380)

    sim.inject({ path, kind: 'reset' })
    await expect(api(sim, path)).rejects.toThrow()
    expect(sim.requests.at(-1)).toMatchObject({ status: 0, counted: false })
    expect((await api(sim, path)).status).toBe(200)

    sim.inject({ path, kind: 'status', status: 500, body: { message: 'boom' }, headers: { 'x-extra': 'yes' } })
    const custom = await api(sim, path)
    expect([custom.status, custom.headers.get('x-extra'), await custom.json()]).toEqual([500, 'yes', { message: 'boom' }])
  })
})

describe('cancel, approvals and pending deployments', () => {
  it('cancels a run 2 virtual seconds after the request, then answers 409', async () => {
    const { sim, until } = await start(
      [
        {
          id: 3,
          workflow: 'ci.yml',
          attempts: [
            {
              at: 0,
              jobs: [
                { name: 'forever', steps: [{ name: 'sleep', seconds: 3600 }] },
                { name: 'after', needs: ['forever'], steps: [] }
              ]
            }
          ]
        }
      ],
      { speed: 10 }
    )
    await until(1.5)
    const accepted = await api(sim, `${REPO_PATH}/runs/3/cancel`, { method: 'POST' })
    expect(accepted.status).toBe(202)
    expect(await accepted.json()).toEqual({})
    expect((await getJson(sim, `${REPO_PATH}/runs/3`)).status).toBe('in_progress')
    await until(4)
    const run = await getJson(sim, `${REPO_PATH}/runs/3`)
    expect([run.status, run.conclusion]).toEqual(['completed', 'cancelled'])
    const jobs = await getJson(sim, `${REPO_PATH}/runs/3/jobs`)
    expect(jobs.jobs.map((j: any) => [j.name, j.status, j.conclusion])).toEqual([['forever', 'completed', 'cancelled']])
    expect(jobs.jobs[0].steps.map((s: any) => s.conclusion)).toEqual(['success', 'cancelled', 'skipped'])
    const conflict = await api(sim, `${REPO_PATH}/runs/3/cancel`, { method: 'POST' })
    expect(conflict.status).toBe(409)
    expect(((await conflict.json()) as { message: string }).message).toBe('Cannot cancel a workflow run that is completed.')
    const location = (await api(sim, `${REPO_PATH}/jobs/${jobs.jobs[0].id}/logs`)).headers.get('location') ?? ''
    expect(await (await fetch(location)).text()).toContain('##[error]The operation was canceled.')
    expect((await api(sim, `${REPO_PATH}/runs/999/cancel`, { method: 'POST' })).status).toBe(404)
  })

  it('serves approvals, and pending deployments only while the run is waiting', async () => {
    const { sim } = await start([
      {
        id: 8,
        workflow: 'deploy.yml',
        attempts: [{ at: -10, hold: { status: 'waiting', until: 3600 }, jobs: [completedJob('deploy')] }],
        approvals: [{ user: 'alice', state: 'approved', environments: ['staging'], comment: 'ok' }],
        pendingDeployments: [{ environment: 'production', id: 161, waitTimerMinutes: 5, reviewers: ['bob'] }]
      },
      {
        id: 9,
        workflow: 'deploy.yml',
        attempts: [{ at: -100, hold: { status: 'waiting', until: -50 }, jobs: [completedJob('deploy')] }],
        pendingDeployments: [{ environment: 'production', id: 161 }]
      }
    ])
    const run = await getJson(sim, `${REPO_PATH}/runs/8`)
    expect(run.status).toBe('waiting')
    const jobs = await getJson(sim, `${REPO_PATH}/runs/8/jobs`)
    expect(jobs.jobs.map((j: any) => j.status)).toEqual(['waiting'])
    const pending = await getJson(sim, `${REPO_PATH}/runs/8/pending_deployments`)
    expect(pending.map((p: any) => [p.environment.id, p.environment.name, p.wait_timer, p.current_user_can_approve, p.reviewers[0].reviewer.login])).toEqual([
      [161, 'production', 5, true, 'bob']
    ])
    const approvals = await getJson(sim, `${REPO_PATH}/runs/8/approvals`)
    expect(approvals.map((a: any) => [a.user.login, a.state, a.environments.map((e: any) => e.name), a.comment])).toEqual([
      ['alice', 'approved', ['staging'], 'ok']
    ])
    expect(await getJson(sim, `${REPO_PATH}/runs/9/pending_deployments`)).toEqual([])
    expect((await getJson(sim, `${REPO_PATH}/runs/9`)).conclusion).toBe('success')
  })
})

describe('OpenAPI honesty', () => {
  it('serves every endpoint with zero schema violations', async () => {
    const { sim, until } = await start(
      [
        {
          id: 10,
          workflow: 'ci.yml',
          title: 'Fix <b>things</b>',
          attempts: [
            {
              at: -300,
              jobs: [
                { name: 'a', steps: [{ name: 's', seconds: 1, conclusion: 'failure' }] },
                { name: 'b', needs: ['a'], steps: [] }
              ]
            },
            { at: -100, rerun: 'failed', jobs: [{ name: 'a', labels: ['macos-latest'], steps: [{ name: 's', seconds: 1 }] }] }
          ],
          approvals: [{ user: 'alice', state: 'rejected', environments: ['prod'] }]
        },
        {
          id: 11,
          workflow: 'ci.yml',
          attempts: [
            {
              at: 0,
              jobs: [
                {
                  name: 'live',
                  queuedSeconds: 2,
                  steps: [
                    { name: 's1', seconds: 2 },
                    { name: 's2', seconds: 600 }
                  ]
                }
              ]
            }
          ]
        },
        {
          id: 12,
          workflow: 'deploy.yml',
          attempts: [{ at: -5, hold: { status: 'waiting', until: 600 }, jobs: [completedJob('d')] }],
          pendingDeployments: [{ environment: 'prod', id: 5, canApprove: false }]
        },
        { id: 13, workflow: 'deploy.yml', outcome: 'startup_failure', attempts: [{ at: -5, jobs: [] }] },
        { id: 14, workflow: 'ci.yml', attempts: [{ at: -5, hold: { status: 'pending', until: 600 }, jobs: [completedJob('p')] }] }
      ],
      { speed: 10, pathPrefix: '/api/v3', serverUrl: 'https://ghe.example.com' }
    )
    const paths = (t: string): string[] => [
      `${REPO_PATH}/runs`,
      `${REPO_PATH}/runs?status=completed&per_page=2`,
      `${REPO_PATH}/workflows`,
      `${REPO_PATH}/workflows/ci.yml`,
      `${REPO_PATH}/workflows/11/runs`,
      ...[10, 11, 12, 13, 14].flatMap((id) => [
        `${REPO_PATH}/runs/${id}`,
        `${REPO_PATH}/runs/${id}/attempts/1`,
        `${REPO_PATH}/runs/${id}/jobs`,
        `${REPO_PATH}/runs/${id}/jobs?filter=all`,
        `${REPO_PATH}/runs/${id}/attempts/1/jobs`,
        `${REPO_PATH}/runs/${id}/timing`,
        `${REPO_PATH}/runs/${id}/approvals`,
        `${REPO_PATH}/runs/${id}/pending_deployments`
      ]),
      `${REPO_PATH}/runs/10/attempts/2`,
      `${REPO_PATH}/runs/10/attempts/2/jobs?t=${t}`
    ]
    const seen = new Set<number>()
    for (const t of ['0', '2.5', '4.5']) {
      await until(Number(t))
      for (const path of paths(t)) {
        const response = await api(sim, path)
        expect([path, response.status]).toEqual([path, 200])
        const body = (await response.json()) as { jobs?: { id: number }[] }
        for (const job of body.jobs ?? []) seen.add(job.id)
      }
    }
    for (const id of seen) expect((await api(sim, `${REPO_PATH}/jobs/${id}`)).status).toBe(200)
    expect((await api(sim, `${REPO_PATH}/runs/11/cancel`, { method: 'POST' })).status).toBe(202)

    const run = await getJson(sim, `${REPO_PATH}/runs/10`)
    expect(run.url.startsWith(`${sim.apiUrl}/repos/`)).toBe(true)
    expect(sim.apiUrl.endsWith('/api/v3')).toBe(true)
    expect(run.html_url).toBe('https://ghe.example.com/acme/widgets/actions/runs/10')
    expect((await fetch(`${new URL(sim.apiUrl).origin}${REPO_PATH}/runs`, { headers: AUTH })).status).toBe(404)
    expect(sim.requests.find((r) => r.path === `${REPO_PATH}/runs/10`)).toBeDefined()
    expect(sim.violations).toEqual([])
  })

  it('reports payloads that break the schema', () => {
    expect(validateResponse('actions/get-workflow-run', { id: 'not a number' })).not.toEqual([])
    const job = {
      id: 1,
      run_id: 1,
      run_url: 'u',
      node_id: 'n',
      head_sha: 's',
      url: 'u',
      html_url: null,
      status: 'queued',
      conclusion: null,
      started_at: '2026-11-21T10:00:00Z',
      completed_at: null,
      name: 'j',
      check_run_url: 'u',
      labels: [],
      runner_id: null,
      runner_name: null,
      runner_group_id: null,
      runner_group_name: null,
      workflow_name: null,
      head_branch: null,
      created_at: '2026-11-21T10:00:00Z'
    }
    // `conclusion: null` is allowed (OpenAPI nullable next to an enum)...
    expect(validateResponse('actions/get-job-for-workflow-run', job)).toEqual([])
    // ...but not an unknown conclusion, a missing required field or a bad date-time.
    expect(validateResponse('actions/get-job-for-workflow-run', { ...job, conclusion: 'great' })).not.toEqual([])
    expect(validateResponse('actions/get-job-for-workflow-run', { ...job, started_at: 'yesterday' })).not.toEqual([])
    const { created_at: _dropped, ...withoutCreated } = job
    expect(validateResponse('actions/get-job-for-workflow-run', withoutCreated)).not.toEqual([])
  })

  it('records a violation when a served response breaks the schema', async () => {
    // Validation runs on the real server path: a run whose workflow name is not a string would be
    // caught. We provoke it with a scenario value that ends up in a typed field.
    const sim = await Simulator.start({ ...scenario([]), workflows: [{ id: 'x' as unknown as number, name: 'Bad', file: 'bad.yml' }] })
    running.push(sim)
    expect((await api(sim, `${REPO_PATH}/workflows/bad.yml`)).status).toBe(200)
    expect(sim.violations).toHaveLength(1)
    expect(sim.violations[0]).toMatch(/^GET \/repos\/acme\/widgets\/actions\/workflows\/bad\.yml: \/id must be integer/)
  })
})

describe('pull requests and the repository', () => {
  const pulls: Scenario['pullRequests'] = [
    { number: 1, sha: 'a'.repeat(40), at: -300 },
    { number: 2, sha: 'b'.repeat(40), branch: 'patch-1', fork: 'alice/widgets', at: -200 },
    { number: 3, sha: 'c'.repeat(40), state: 'closed', at: -100 },
    ...Array.from({ length: 120 }, (_, i) => ({ number: 10 + i, sha: String(i).padStart(40, 'e'), at: -1000 - i }))
  ]

  it("lists the open ones newest first, a fork's head in the fork, paged with ETags, checked against the OpenAPI description", async () => {
    const sim = await Simulator.start({ ...scenario([]), pullRequests: pulls, defaultBranch: 'trunk' })
    running.push(sim)
    const first = await api(sim, `/repos/${OWNER}/${REPO}/pulls?state=open&per_page=100`)
    expect(first.status).toBe(200)
    expect(first.headers.get('link')).toContain('rel="next"')
    const page = (await first.json()) as any[]
    expect(page).toHaveLength(100)
    expect(page.slice(0, 2).map((p) => [p.number, p.head.sha, p.head.repo.full_name, p.head.repo.fork, p.head.label, p.base.ref])).toEqual([
      [2, 'b'.repeat(40), 'alice/widgets', true, 'alice:patch-1', 'trunk'],
      [1, 'a'.repeat(40), `${OWNER}/${REPO}`, false, `${OWNER}:pr-1`, 'trunk']
    ])
    expect(validateResponse('pulls/list', page)).toEqual([])
    const second = (await getJson<any[]>(sim, `/repos/${OWNER}/${REPO}/pulls?state=open&per_page=100&page=2`)).map((p) => p.number)
    expect(second).toHaveLength(22)
    expect(second).not.toContain(3) // closed
    const again = await api(sim, `/repos/${OWNER}/${REPO}/pulls?state=open&per_page=100`, { headers: { 'if-none-match': first.headers.get('etag') ?? '' } })
    expect(again.status).toBe(304)
    expect((await getJson<any[]>(sim, `/repos/${OWNER}/${REPO}/pulls?state=closed`)).map((p) => p.number)).toEqual([3])
    const repository = await getJson(sim, `/repos/${OWNER}/${REPO}`)
    expect(repository.default_branch).toBe('trunk')
    expect(validateResponse('repos/get', repository)).toEqual([])
    expect(sim.violations).toEqual([])
  })

  it('answers 403 to a token configured without pull-requests: read, and serves it the rest', async () => {
    const sim = await Simulator.start({ ...scenario([]), pullRequests: pulls }, { tokens: { 'test-token': { pullRequests: 'none' } } })
    running.push(sim)
    const refused = await api(sim, `/repos/${OWNER}/${REPO}/pulls?state=open`)
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('pull_requests=read')
    expect(((await refused.json()) as { message: string }).message).toBe('Resource not accessible by integration')
    expect((await api(sim, `/repos/${OWNER}/${REPO}/pulls`, { headers: { authorization: 'token another-token' } })).status).toBe(200)
    expect((await api(sim, `/repos/${OWNER}/${REPO}`)).status).toBe(200)
    expect((await api(sim, `${REPO_PATH}/runs`)).status).toBe(200)
  })
})
