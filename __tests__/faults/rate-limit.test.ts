// Rule 7: rate limits by the clock. An exhausted primary limit whose reset comes before the
// deadline is waited for (plugin-throttling sleeps until x-ratelimit-reset, plus a second), and
// said once, not once per refused request; the last reset seen is in RequestStats for callers
// that want to sleep until it. The waits here are real (the plugin's), a few seconds at most.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { NotFoundError } from '../../src/github/api.js'
import { apiBenchPerTest, rejection } from './bench.js'

const start = apiBenchPerTest()
const REPO = '/repos/octo/app/actions'

describe('rate limits', () => {
  it('waits for a reset before the deadline, and says so once for requests refused together', async () => {
    const bench = await start(scenario([ciRun(770, { at: -60 }), ciRun(771, { at: -60 }), ciRun(772, { at: -60 })]))
    const resetAt = Math.ceil(Date.now() / 1000) + 1
    bench.sim.inject({ path: /\/runs\/77[012]$/, kind: 'primary-rate-limit', resetInSeconds: 1, resetAt, times: 3 })
    const runs = await Promise.all([770, 771, 772].map((id) => bench.api.getRun(id)))
    expect(runs.map((r) => r.id)).toEqual([770, 771, 772])
    const limited = bench.warnings.filter((line) => line.includes('rate limit'))
    expect(limited).toHaveLength(1)
    expect(limited[0]).toMatch(/^GitHub API rate limit exhausted; waiting \ds for it to reset \(at \d\d:\d\d:\d\d UTC; first hit by GET /)
    const requests = bench.apiRequests()
    expect(requests.map((r) => r.status).sort()).toEqual([200, 200, 200, 403, 403, 403])
    // Each retry came after the reset (a lower bound: the wait is the plugin's, in real time).
    for (const retried of requests.filter((r) => r.status === 200)) expect(retried.realMs).toBeGreaterThanOrEqual(resetAt * 1000)
    expect(bench.errors).toEqual([])
  }, 15_000)

  it('a runner whose clock is fast still waits for the reset on GitHub’s clock', async () => {
    // The runner is 90 s ahead: the plugin, reading the runner's clock, sees the reset as past
    // and would retry at once; the rest of the wait is slept on the step's (fake) clock.
    const bench = await start(scenario([ciRun(778, { at: -60 })]), { sim: { skewMs: -90_000 } })
    await bench.api.getRun(778) // an answer, whose Date tells GitHub's time
    const resetAt = Math.ceil(bench.sim.nowMs() / 1000) + 2
    bench.sim.inject({ path: `${REPO}/runs/778`, kind: 'primary-rate-limit', resetInSeconds: 2, resetAt, times: 1 })
    expect((await bench.api.getRun(778)).id).toBe(778)
    const [, refused, retried] = bench.apiRequests()
    expect(refused?.status).toBe(403)
    expect(retried?.status).toBe(304) // the same run, asked again with its ETag
    expect(retried?.atMs).toBeGreaterThanOrEqual(resetAt * 1000)
    expect(bench.warnings).toEqual([expect.stringMatching(/^GitHub API rate limit exhausted; waiting [34]s for it to reset/)])
  })

  it('does not wait for a reset after the deadline: one request, and why', async () => {
    const bench = await start(scenario([ciRun(773, { at: -60 })]), { deadlineInMs: 60_000 })
    bench.sim.inject({ path: `${REPO}/runs/773`, kind: 'primary-rate-limit', resetInSeconds: 3000 })
    await expect(bench.api.getRun(773)).rejects.toMatchObject({ status: 403 })
    expect(bench.errors).toEqual([expect.stringMatching(/^GitHub API rate limit exhausted and it resets in \d+s, after this step's deadline \(60s left\)/)])
    expect(bench.warnings).toEqual([])
    expect(bench.apiRequests()).toHaveLength(1)
  })

  it('gives up on a limit still exhausted after three waits (a reset that does not lift it)', async () => {
    const bench = await start(scenario([ciRun(774, { at: -60 })]))
    // A reset already past: the plugin's wait is 0 s, so the three waits cost nothing here.
    bench.sim.inject({ path: `${REPO}/runs/774`, kind: 'primary-rate-limit', resetInSeconds: 0, resetAt: Math.floor(Date.now() / 1000) - 10, times: 10 })
    await expect(bench.api.getRun(774)).rejects.toMatchObject({ status: 403 })
    expect(bench.apiRequests()).toHaveLength(4)
    expect(bench.warnings).toHaveLength(1)
    expect(bench.errors).toEqual([expect.stringMatching(/still exhausted after 3 waits for its reset/)])
  })

  it('RequestStats.rateLimitResetMs is the reset of the last response that sent one', async () => {
    const bench = await start(scenario([ciRun(775, { at: -60 })]))
    expect(bench.stats.rateLimitResetMs).toBeNull()
    await bench.api.getRun(775)
    // The simulator's hour window began when the first request came.
    const windowReset = bench.stats.rateLimitResetMs ?? 0
    expect(windowReset % 1000).toBe(0)
    expect(Math.abs(windowReset - (Date.now() + 3_600_000))).toBeLessThan(60_000)
    bench.sim.inject({ path: `${REPO}/runs/776`, kind: 'status', status: 404, headers: { 'x-ratelimit-reset': '1900000000', 'x-ratelimit-remaining': '0' } })
    expect(await rejection(bench.api.getRun(776))).toBeInstanceOf(NotFoundError)
    expect(bench.stats).toMatchObject({ rateLimitResetMs: 1_900_000_000_000, remaining: 0 })
  })
})
