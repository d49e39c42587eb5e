// Commit statuses in the simulator, over real HTTP: POST /statuses/{sha} with GitHub's refusals,
// the combined status, the newest-first list, permissions, and the scenario API that seeds other
// apps' statuses and reads back what was posted. Every answer is checked against the OpenAPI
// description (sim.violations).
import { afterEach, describe, expect, it } from '@jest/globals'
import { DEFAULT_SHA, MAX_STATUSES_PER_CONTEXT, Simulator, type CommitStatusSpec, type Scenario, type SimulatorOptions } from './index.js'

const OWNER = 'acme'
const REPO = 'widgets'
const AUTH = { authorization: 'token test-token' }
const SHA = 'a1'.repeat(20)
const OTHER_SHA = 'b2'.repeat(20)

const running: Simulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()))
})

function scenario(statuses: CommitStatusSpec[] = []): Scenario {
  return { owner: OWNER, repo: REPO, workflows: [{ id: 11, name: 'CI', file: 'ci.yml' }], runs: [], statuses, commits: [SHA, OTHER_SHA] }
}

/** A simulator on a hand-moved clock (virtual second `t` is `t` real seconds after its start). */
async function start(
  statuses: CommitStatusSpec[] = [],
  options: SimulatorOptions = {}
): Promise<{ sim: Simulator; until: (t: number) => void; startedMs: number }> {
  const startedMs = Date.now()
  let nowMs = startedMs
  const sim = await Simulator.start(scenario(statuses), { now: () => nowMs, ...options })
  running.push(sim)
  return { sim, startedMs, until: (t) => void (nowMs = Math.max(nowMs, startedMs + t * 1000)) }
}

async function call(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${sim.apiUrl}/repos/${OWNER}/${REPO}${path}`, {
    method,
    headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers }
}

const post = (sim: Simulator, sha: string, body: unknown) => call(sim, 'POST', `/statuses/${sha}`, body)

describe('POST /statuses/{sha}', () => {
  it("creates a status on GitHub's clock, by the token's login, with context 'default' when none is given", async () => {
    // A runner 90 s fast: GitHub's clock (the simulator's) is 90 s behind the runner's.
    const { sim, until, startedMs } = await start([], { skewMs: -90_000 })
    until(7)
    const created = await post(sim, SHA, { state: 'pending', description: 'Waiting for CI', target_url: 'https://github.com/acme/widgets/actions/runs/1' })
    expect(created.status).toBe(201)
    expect(created.headers.get('location')).toBe(`${sim.apiUrl}/repos/${OWNER}/${REPO}/statuses/${SHA}`)
    const expectedAt = new Date(Math.floor((startedMs - 90_000) / 1000) * 1000 + 7000).toISOString().replace('.000Z', 'Z')
    expect(created.body).toMatchObject({
      state: 'pending',
      context: 'default',
      description: 'Waiting for CI',
      target_url: 'https://github.com/acme/widgets/actions/runs/1',
      created_at: expectedAt,
      updated_at: expectedAt,
      creator: { login: 'github-actions[bot]', type: 'Bot' }
    })
    expect(sim.statuses()).toEqual([
      expect.objectContaining({ id: created.body.id, sha: SHA, context: 'default', state: 'pending', creator: 'github-actions[bot]', source: 'api' })
    ])
    expect(sim.violations).toEqual([])
  })

  it('refuses what GitHub refuses: a state it does not know, a description over 140 characters, a commit it does not have', async () => {
    const { sim } = await start()
    // The state's enum is the request schema's: a violation by the client, answered 422.
    expect((await post(sim, SHA, { state: 'green', context: 'gate' })).status).toBe(422)
    expect(sim.violations).toEqual([
      expect.stringMatching(/^POST \/repos\/acme\/widgets\/statuses\/a1a1.*: request body: \/state must be equal to one of the allowed values/)
    ])
    sim.violations.length = 0

    const long = await post(sim, SHA, { state: 'success', context: 'gate', description: 'x'.repeat(141) })
    expect(long.status).toBe(422)
    expect(long.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Status', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' }]
    })
    // Characters, not bytes nor UTF-16 units: 140 symbols outside the BMP pass.
    expect((await post(sim, SHA, { state: 'success', context: 'gate', description: '🟢'.repeat(140) })).status).toBe(201)

    const unknown = await post(sim, 'c3'.repeat(20), { state: 'success', context: 'gate' })
    expect(unknown).toMatchObject({ status: 422, body: { message: `No commit found for SHA: ${'c3'.repeat(20)}` } })
    expect(sim.statuses().map((s) => s.description?.length)).toEqual([280]) // only the one accepted (UTF-16 length)
    expect(sim.violations).toEqual([])
  })

  it('accepts 1,000 statuses per commit and context (case-insensitively), then answers a validation error', async () => {
    const seeded = Array.from({ length: MAX_STATUSES_PER_CONTEXT - 1 }, (_, i): CommitStatusSpec => ({
      sha: SHA,
      context: 'gate',
      state: 'pending',
      at: -1000 + i
    }))
    const { sim } = await start(seeded)
    expect((await post(sim, SHA, { state: 'success', context: 'gate' })).status).toBe(201) // the 1,000th
    const refused = await post(sim, SHA, { state: 'success', context: 'Gate' })
    expect(refused).toMatchObject({
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'Status', code: 'custom', message: 'This SHA and context has reached the maximum number of statuses.' }]
      }
    })
    // Another context, another commit: their own 1,000.
    expect((await post(sim, SHA, { state: 'success', context: 'gate/other' })).status).toBe(201)
    expect((await post(sim, OTHER_SHA, { state: 'success', context: 'gate' })).status).toBe(201)
    expect(sim.violations).toEqual([])
  })

  it('answers 403 to a token without statuses: write, naming the permission; reads need statuses: read', async () => {
    const { sim } = await start([{ sha: SHA, context: 'vercel', state: 'success' }], {
      tokens: { 'test-token': { statuses: 'read' }, 'no-statuses': { statuses: 'none' } }
    })
    const refused = await post(sim, SHA, { state: 'success', context: 'gate' })
    expect(refused.status).toBe(403)
    expect(refused.body.message).toBe('Resource not accessible by integration')
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('statuses=write')
    expect((await call(sim, 'GET', `/commits/${SHA}/status`)).status).toBe(200)
    const unreadable = await call(sim, 'GET', `/commits/${SHA}/statuses`, undefined, { authorization: 'token no-statuses' })
    expect(unreadable.status).toBe(403)
    expect(unreadable.headers.get('x-accepted-github-permissions')).toBe('statuses=read')
    expect(sim.statuses().filter((s) => s.source === 'api')).toEqual([])
  })
})

describe('GET /commits/{ref}/status', () => {
  it("combines the latest status of each context by GitHub's rules, with ETags", async () => {
    const { sim, until } = await start([
      { sha: SHA, context: 'ci/build', state: 'failure', at: 0, creator: 'ci-bot[bot]' },
      { sha: SHA, context: 'ci/build', state: 'success', at: 1 },
      { sha: SHA, context: 'vercel', state: 'pending', at: 2 }
    ])
    const state = async (): Promise<[string, number, [string, string][]]> => {
      const { body } = await call(sim, 'GET', `/commits/${SHA}/status`)
      return [body.state, body.total_count, body.statuses.map((s: any) => [s.context, s.state])]
    }
    until(3)
    expect(await state()).toEqual([
      'pending',
      2,
      [
        ['ci/build', 'success'],
        ['vercel', 'pending']
      ]
    ])
    sim.addStatus({ sha: SHA, context: 'Vercel', state: 'success' })
    // The context is case-insensitive: 'Vercel' is vercel's newest.
    expect(await state()).toEqual([
      'success',
      2,
      [
        ['ci/build', 'success'],
        ['Vercel', 'success']
      ]
    ])
    const first = await call(sim, 'GET', `/commits/${SHA}/status`)
    expect((await call(sim, 'GET', `/commits/${SHA}/status`, undefined, { 'if-none-match': first.headers.get('etag') ?? '' })).status).toBe(304)
    until(4)
    await post(sim, SHA, { state: 'error', context: 'gate' })
    // error counts as failure in the combined state.
    expect(await state()).toEqual([
      'failure',
      3,
      [
        ['ci/build', 'success'],
        ['Vercel', 'success'],
        ['gate', 'error']
      ]
    ])
    expect((await call(sim, 'GET', `/commits/${SHA}/status`, undefined, { 'if-none-match': first.headers.get('etag') ?? '' })).status).toBe(200)
    // No status at all: pending.
    expect((await call(sim, 'GET', `/commits/${OTHER_SHA}/status`)).body).toMatchObject({ state: 'pending', total_count: 0, statuses: [] })
    expect((await call(sim, 'GET', `/commits/${'d4'.repeat(20)}/status`)).status).toBe(404)
    expect(sim.violations).toEqual([])
  })

  it('counts every context but pages the statuses, 100 at most', async () => {
    const many = Array.from({ length: 130 }, (_, i): CommitStatusSpec => ({ sha: SHA, context: `check-${i}`, state: 'success', at: -200 + i }))
    const { sim } = await start([...many, { sha: SHA, context: 'last', state: 'failure', at: -1 }])
    const first = await call(sim, 'GET', `/commits/${SHA}/status?per_page=100`)
    expect(first.body.total_count).toBe(131)
    expect(first.body.statuses).toHaveLength(100)
    // The state is every context's, not the page's.
    expect(first.body.state).toBe('failure')
    expect(first.headers.get('link')).toContain('rel="next"')
    const second = await call(sim, 'GET', `/commits/${SHA}/status?per_page=100&page=2`)
    expect(second.body.statuses.map((s: any) => s.context).slice(-1)).toEqual(['last'])
    expect(sim.violations).toEqual([])
  })
})

describe('GET /commits/{ref}/statuses', () => {
  it('lists every status newest first, paged; a seeded status exists from its second on', async () => {
    const { sim, until } = await start([
      { sha: SHA, context: 'vercel', state: 'pending', at: 0 },
      { sha: SHA, context: 'vercel', state: 'success', at: 2 },
      { sha: SHA, context: 'netlify', state: 'success', at: 10 }
    ])
    until(3)
    await post(sim, SHA, { state: 'pending', context: 'gate' })
    const listed = await call(sim, 'GET', `/commits/${SHA}/statuses?per_page=2`)
    expect(listed.body.map((s: any) => [s.context, s.state])).toEqual([
      ['gate', 'pending'],
      ['vercel', 'success']
    ])
    expect(listed.headers.get('link')).toContain('rel="next"')
    const rest = await call(sim, 'GET', `/commits/${SHA}/statuses?per_page=2&page=2`)
    expect(rest.body.map((s: any) => [s.context, s.state])).toEqual([['vercel', 'pending']])
    until(10)
    expect((await call(sim, 'GET', `/commits/${SHA}/statuses`)).body.map((s: any) => s.context)).toEqual(['netlify', 'gate', 'vercel', 'vercel'])
    expect(sim.statuses(SHA).map((s) => [s.context, s.source])).toEqual([
      ['netlify', 'scenario'],
      ['gate', 'api'],
      ['vercel', 'scenario'],
      ['vercel', 'scenario']
    ])
    expect((await call(sim, 'GET', `/commits/${DEFAULT_SHA}/statuses`)).body).toEqual([])
    expect(sim.violations).toEqual([])
  })
})
