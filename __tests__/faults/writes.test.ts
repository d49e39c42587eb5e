// Rule 1: a write is sent once. When its answer is lost (the simulator acted, then answered 502
// or dropped the connection) the client does not send it again, and GitHubApi says the outcome
// is unknown (AmbiguousWriteError) so the caller can read the state back.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { AmbiguousWriteError } from '../../src/github/api.js'
import { apiBenchPerTest, lines, rejection } from './bench.js'
import { REPO, WRITES } from './write-calls.js'

const start = apiBenchPerTest()

describe('writes are never retried', () => {
  it.each(WRITES)('%s: a 502 after the server acted is sent once and is ambiguous', async (_name, call, request) => {
    const bench = await start(scenario([ciRun(700, { fail: true, at: -60 })]))
    const [method = '', path = ''] = request.split(' ')
    bench.sim.inject({ method, path, kind: 'lost-reply', times: 5 })
    const error = await rejection(call(bench.api))
    expect(error).toBeInstanceOf(AmbiguousWriteError)
    expect(error).toMatchObject({ status: 502, endpoint: request })
    expect(error.message).toMatch(/may or may not have done it, and it was not sent again/)
    expect(lines(bench.apiRequests((r) => r.method !== 'GET'))).toEqual([request])
  })

  it('reads are still retried: a 502 on a GET is asked again', async () => {
    const bench = await start(scenario([ciRun(706, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/706`, kind: 'lost-reply' })
    expect((await bench.api.getRun(706)).id).toBe(706)
    expect(bench.apiRequests().map((r) => r.status)).toEqual([502, 200])
  })
})
