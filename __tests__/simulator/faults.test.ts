// The fault kinds that mangle an answer rather than replace it: a lost reply (the request was
// performed), stalls and truncated bodies, HTML and `{}` with status 200, a foreign Link, pages
// that shift between requests; on the API and on the log host. Raw fetch, no Octokit.
import { afterEach, describe, expect, it } from '@jest/globals'
import { Simulator, type RunSpec } from './index.js'

const OWNER = 'acme'
const REPO = 'widgets'
const REPO_PATH = `/repos/${OWNER}/${REPO}/actions`
const AUTH = { authorization: 'token test-token' }

/** Virtual time that moves only when told to. */
let t = 0
const now = (): number => t

const running: Simulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()))
})

async function start(runs: RunSpec[]): Promise<Simulator> {
  t = Math.floor(Date.now() / 1000) * 1000
  const sim = await Simulator.start({ owner: OWNER, repo: REPO, workflows: [{ id: 11, name: 'CI', file: 'ci.yml' }], runs }, { now })
  running.push(sim)
  return sim
}

function api(sim: Simulator, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.apiUrl}${path}`, { redirect: 'manual', ...init, headers: { ...AUTH, ...(init.headers as Record<string, string> | undefined) } })
}

/** Resolves to 'timeout' when `promise` has not settled within `ms` (real) milliseconds. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  return Promise.race([promise, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms))])
}

const longRun: RunSpec = { id: 1, workflow: 'ci.yml', attempts: [{ at: -10, jobs: [{ name: 'forever', steps: [{ name: 'sleep', seconds: 3600 }] }] }] }
const failedRun: RunSpec = {
  id: 2,
  workflow: 'ci.yml',
  attempts: [{ at: -60, jobs: [{ name: 'test', steps: [{ name: 'Run test', seconds: 1, conclusion: 'failure', log: ['##[error]boom'] }] }] }]
}
const bigRun: RunSpec = {
  id: 3,
  workflow: 'ci.yml',
  attempts: [{ at: -60, jobs: Array.from({ length: 5 }, (_, i) => ({ name: `job ${i}`, queuedSeconds: 0, steps: [{ name: 'work', seconds: 1 }] })) }]
}

describe('lost replies', () => {
  it('performs the cancel, then answers 502: the run is cancelled all the same', async () => {
    const sim = await start([longRun])
    sim.inject({ method: 'POST', path: `${REPO_PATH}/runs/1/cancel`, kind: 'lost-reply' })
    const answer = await api(sim, `${REPO_PATH}/runs/1/cancel`, { method: 'POST' })
    expect(answer.status).toBe(502)
    expect(sim.requests.at(-1)).toMatchObject({ method: 'POST', status: 502, counted: true })
    t += 5_000
    expect(((await (await api(sim, `${REPO_PATH}/runs/1`)).json()) as { conclusion: string }).conclusion).toBe('cancelled')
    // A second cancel now meets a completed run: the first one was done.
    expect((await api(sim, `${REPO_PATH}/runs/1/cancel`, { method: 'POST' })).status).toBe(409)
  })

  it('or drops the connection after performing it', async () => {
    const sim = await start([longRun])
    sim.inject({ method: 'POST', path: `${REPO_PATH}/runs/1/cancel`, kind: 'lost-reply', reply: 'reset' })
    await expect(api(sim, `${REPO_PATH}/runs/1/cancel`, { method: 'POST' })).rejects.toThrow()
    expect(sim.requests.at(-1)).toMatchObject({ status: 0 })
    t += 5_000
    expect((await api(sim, `${REPO_PATH}/runs/1/cancel`, { method: 'POST' })).status).toBe(409)
  })
})

describe('bodies that stall, stop or are not JSON', () => {
  it('stall-after-headers: status and headers come, the body never does', async () => {
    const sim = await start([longRun])
    sim.inject({ path: `${REPO_PATH}/runs/1`, kind: 'stall-after-headers' })
    const controller = new AbortController()
    const response = await api(sim, `${REPO_PATH}/runs/1`, { signal: controller.signal })
    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).toMatch(/^W\/"/)
    expect(await within(response.text(), 300)).toBe('timeout')
    controller.abort()
  })

  it('truncate-body: half the JSON, then a reset (the length promised more), or a clean end', async () => {
    const sim = await start([longRun])
    const full = await (await api(sim, `${REPO_PATH}/runs/1`)).text()
    sim.inject({ path: `${REPO_PATH}/runs/1`, kind: 'truncate-body' })
    const cut = await api(sim, `${REPO_PATH}/runs/1`)
    expect(cut.headers.get('content-length')).toBe(String(Buffer.byteLength(full)))
    await expect(cut.text()).rejects.toThrow()

    sim.inject({ path: `${REPO_PATH}/runs/1`, kind: 'truncate-body', then: 'end', bytes: 20 })
    const ended = await (await api(sim, `${REPO_PATH}/runs/1`)).text()
    expect(ended).toBe(full.slice(0, 20))
    expect(() => JSON.parse(ended) as unknown).toThrow()

    sim.inject({ path: `${REPO_PATH}/runs/1`, kind: 'truncate-body', then: 'stall', bytes: 10 })
    const stalled = await api(sim, `${REPO_PATH}/runs/1`)
    expect(await within(stalled.text(), 300)).toBe('timeout')
  })

  it('html-200 and empty-object: status 200, but not the run', async () => {
    const sim = await start([longRun])
    sim.inject({ path: `${REPO_PATH}/runs/1`, kind: 'html-200' })
    const html = await api(sim, `${REPO_PATH}/runs/1`)
    expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8'])
    expect(await html.text()).toMatch(/^<!DOCTYPE html>/)
    sim.inject({ path: `${REPO_PATH}/runs/1`, kind: 'empty-object' })
    const empty = await api(sim, `${REPO_PATH}/runs/1`)
    expect([empty.status, await empty.json()]).toEqual([200, {}])
    expect(sim.violations).toEqual([])
  })
})

describe('Link and paging faults', () => {
  it('foreign-link: the page links point at another origin (added when there were none)', async () => {
    const sim = await start([bigRun])
    sim.inject({ path: `${REPO_PATH}/runs/3/jobs`, kind: 'foreign-link' })
    const paged = await api(sim, `${REPO_PATH}/runs/3/jobs?per_page=2`)
    const link = paged.headers.get('link') ?? ''
    expect(link).toContain(`<${sim.logOrigin}${REPO_PATH}/runs/3/jobs?per_page=2&page=2>; rel="next"`)
    expect(link).not.toContain(new URL(sim.apiUrl).origin)
    sim.inject({ path: `${REPO_PATH}/runs/3/jobs`, kind: 'foreign-link', origin: 'https://evil.example' })
    const single = await api(sim, `${REPO_PATH}/runs/3/jobs`)
    expect(single.headers.get('link')).toBe(
      `<https://evil.example${REPO_PATH}/runs/3/jobs?page=2>; rel="next", <https://evil.example${REPO_PATH}/runs/3/jobs?page=2>; rel="last"`
    )
  })

  it('shifting-pages, matched to page 2: an item moved between the two requests (one listed twice, one never)', async () => {
    const sim = await start([bigRun])
    const names = async (page: number): Promise<string[]> =>
      ((await (await api(sim, `${REPO_PATH}/runs/3/jobs?per_page=3&page=${page}`)).json()) as { jobs: { name: string }[] }).jobs.map((j) => j.name)
    sim.inject({ path: `${REPO_PATH}/runs/3/jobs`, query: { page: '2' }, kind: 'shifting-pages' })
    const first = await names(1) // the fault waits for page 2
    const second = await names(2)
    expect(first).toEqual(['job 0', 'job 1', 'job 2'])
    expect(second).toEqual(['job 4', 'job 0'])
    // Used up: page 2 is back to normal.
    expect(await names(2)).toEqual(['job 3', 'job 4'])
  })

  it('a query matcher counts a missing page as page 1', async () => {
    const sim = await start([bigRun])
    sim.inject({ path: `${REPO_PATH}/runs/3/jobs`, query: { page: '1' }, kind: 'status', status: 503 })
    expect((await api(sim, `${REPO_PATH}/runs/3/jobs?page=2&per_page=3`)).status).toBe(200)
    expect((await api(sim, `${REPO_PATH}/runs/3/jobs?per_page=3`)).status).toBe(503)
  })
})

describe('log host faults', () => {
  async function logUrl(sim: Simulator): Promise<string> {
    const jobs = ((await (await api(sim, `${REPO_PATH}/runs/2/jobs`)).json()) as { jobs: { id: number }[] }).jobs
    const redirect = await api(sim, `${REPO_PATH}/jobs/${jobs[0]?.id}/logs`)
    return redirect.headers.get('location') ?? ''
  }

  it('stall-after-headers, truncate-body and html-200 on a job log', async () => {
    const sim = await start([failedRun])
    const url = await logUrl(sim)
    const path = new URL(url).pathname
    const full = await (await fetch(url)).text()
    expect(full).toContain('##[error]boom')

    sim.inject({ path, kind: 'stall-after-headers' })
    const stalled = await fetch(url)
    expect(stalled.status).toBe(200)
    expect(await within(stalled.text(), 300)).toBe('timeout')

    // Bytes, not text: the log starts with a byte-order mark, which decoding drops.
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer())
    sim.inject({ path, kind: 'truncate-body', bytes: 30, then: 'end' })
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(bytes.subarray(0, 30))
    sim.inject({ path, kind: 'truncate-body', bytes: 30 })
    await expect((await fetch(url)).text()).rejects.toThrow()
    sim.inject({ path, kind: 'truncate-body', bytes: 30, then: 'stall' })
    expect(await within((await fetch(url)).text(), 300)).toBe('timeout')

    sim.inject({ path, kind: 'html-200' })
    expect(await (await fetch(url)).text()).toMatch(/^<!DOCTYPE html>/)
    expect(await (await fetch(url)).text()).toBe(full)
  })
})
