// Rule 1, continued: a lost answer means the write happened (once), a reset is as ambiguous as a
// 502, clear refusals stay clear. (Split from writes.test.ts: plugin-throttling spaces writes a
// second apart, process-wide, so each file's writes cost a second each.)
import { describe, expect, it } from '@jest/globals'
import { ciRun, flakyRun, longRun, scenario } from '../../__fixtures__/scenarios.js'
import { AmbiguousWriteError } from '../../src/github/api.js'
import { apiBenchPerTest, lines, rejection } from './bench.js'
import { REPO, WRITES } from './write-calls.js'

const start = apiBenchPerTest()

describe('writes are never retried (effects, resets, refusals)', () => {
  it.each(WRITES.filter(([name]) => ['cancelRun', 'rerunJob', 'deleteRun'].includes(name)))(
    '%s: a connection reset after the server acted is sent once and is ambiguous',
    async (_name, call, request) => {
      const bench = await start(scenario([ciRun(700, { fail: true, at: -60 })]))
      const [method = '', path = ''] = request.split(' ')
      bench.sim.inject({ method, path, kind: 'lost-reply', reply: 'reset', times: 5 })
      const error = await rejection(call(bench.api))
      expect(error).toBeInstanceOf(AmbiguousWriteError)
      expect(error).toMatchObject({ status: null, endpoint: request })
      expect(lines(bench.apiRequests((r) => r.method !== 'GET'))).toEqual([request])
    }
  )

  it('a lost cancel took effect: reading the run back shows it', async () => {
    const bench = await start(scenario([longRun(701, 600, { at: -10 })]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/701/cancel`, kind: 'lost-reply' })
    await expect(bench.api.cancelRun(701)).rejects.toBeInstanceOf(AmbiguousWriteError)
    await bench.clock.sleep(5_000)
    expect(await bench.api.getRun(701)).toMatchObject({ status: 'completed', conclusion: 'cancelled' })
    expect(bench.apiRequests((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('a lost re-run took effect once: one new attempt, not two', async () => {
    const bench = await start(scenario([flakyRun(702, { at: -60 })]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/702/rerun-failed-jobs`, kind: 'lost-reply', reply: 'reset' })
    await expect(bench.api.rerunRun(702, 'failed', false)).rejects.toBeInstanceOf(AmbiguousWriteError)
    await bench.clock.sleep(5_000)
    expect((await bench.api.getRun(702)).attempt).toBe(2)
    expect(bench.apiRequests((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('a 500 the server answered itself is ambiguous too; a 422 is a plain refusal', async () => {
    const bench = await start(scenario([ciRun(703, { fail: true, at: -60 })]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/703/approve`, kind: 'status', status: 500 })
    await expect(bench.api.approveRun(703)).rejects.toMatchObject({ name: 'AmbiguousWriteError', status: 500 })
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/703/approve`, kind: 'status', status: 422 })
    const refused = await rejection(bench.api.approveRun(703))
    expect(refused).not.toBeInstanceOf(AmbiguousWriteError)
    expect(refused).toMatchObject({ status: 422 })
    expect(bench.apiRequests((r) => r.method === 'POST')).toHaveLength(2)
  })

  it("keeps GitHub's 409 on a finished run as 'already-completed', and 404 on delete as 'gone'", async () => {
    const bench = await start(scenario([ciRun(704, { at: -60 })]))
    expect(await bench.api.cancelRun(704)).toBe('already-completed')
    expect(await bench.api.deleteRun(999, false)).toBe('gone')
    expect(bench.apiRequests((r) => r.method !== 'GET')).toHaveLength(2)
  })

  it('a write refused by a secondary rate limit (GitHub did nothing) is still retried by the throttling plugin', async () => {
    const bench = await start(scenario([longRun(705, 600, { at: -10 })]))
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/705/cancel`, kind: 'secondary-rate-limit', retryAfter: 1 })
    expect(await bench.api.cancelRun(705)).toBe('accepted')
    expect(bench.apiRequests((r) => r.method === 'POST').map((r) => r.status)).toEqual([403, 202])
  })
})
