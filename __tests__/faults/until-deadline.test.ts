// Rule 6: a read retried on the caller's clock until a deadline, so a GitHub incident longer
// than the client's own three retries does not fail a long wait. On the fake clock: pauses jump.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { AmbiguousWriteError, ForeignOriginError, MalformedBodyError, NotFoundError, TimeBudgetError } from '../../src/github/api.js'
import { isTransient } from '../../src/github/errors.js'
import { untilDeadline } from '../../src/github/until-deadline.js'
import { FakeClock } from '../inprocess/harness.js'
import { apiBenchPerTest, rejection } from './bench.js'

const start = apiBenchPerTest()
const REPO = '/repos/octo/app/actions'

const httpError = (status: number): Error => Object.assign(new Error(`HTTP ${status}`), { status })

describe('untilDeadline', () => {
  it('outlasts an outage longer than the client retries: six 502s and a reset, then the run', async () => {
    const bench = await start(scenario([ciRun(760, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/760`, kind: 'status', status: 502, times: 6 })
    bench.sim.inject({ path: `${REPO}/runs/760`, kind: 'reset' })
    const retries: string[] = []
    const run = await untilDeadline(() => bench.api.getRun(760), {
      deadline: bench.clock.now() + 600_000,
      clock: bench.clock,
      onRetry: (error, ms) => retries.push(`${(error as { status?: number }).status} ${ms}`)
    })
    expect(run.id).toBe(760)
    // The client's own tries come in fours (one and three retries); the helper paused between them.
    expect(bench.apiRequests().map((r) => r.status)).toEqual([502, 502, 502, 502, 502, 502, 0, 200])
    expect(retries).toEqual(['502 5000'])
  })

  it('backs off 5 s, 10 s, 20 s … up to a minute, never sleeping past the deadline, then throws the last error', async () => {
    const clock = new FakeClock()
    const began = clock.now()
    const deadline = began + 200_000
    const pauses: number[] = []
    let calls = 0
    const error = await rejection(
      untilDeadline(
        async () => {
          calls++
          throw httpError(503)
        },
        { deadline, clock, onRetry: (_e, ms) => pauses.push(ms) }
      )
    )
    expect(error.message).toBe('HTTP 503')
    expect(pauses).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 5_000])
    expect(calls).toBe(pauses.length + 1)
    expect(clock.now()).toBe(deadline)
  })

  it('does not retry what asking again cannot fix', async () => {
    const clock = new FakeClock()
    for (const error of [
      httpError(404),
      httpError(403),
      new NotFoundError('gone'),
      new ForeignOriginError('https://x', 'https://api'),
      new AmbiguousWriteError('POST /x', 502, 'Bad Gateway'),
      new TimeBudgetError('deadline', 'late', true)
    ]) {
      let calls = 0
      await expect(
        untilDeadline(
          async () => {
            calls++
            throw error
          },
          { deadline: clock.now() + 600_000, clock }
        )
      ).rejects.toBe(error)
      expect(calls).toBe(1)
    }
  })

  it('retries what is transient: 5xx, resets, timeouts, malformed bodies', () => {
    const reset = Object.assign(new Error('other side closed'), { status: 500, request: {} })
    expect(
      [httpError(500), httpError(502), reset, new TimeBudgetError('timeout', 'slow', true), new MalformedBodyError('GET /x', 'a run', '{}')].map(isTransient)
    ).toEqual([true, true, true, true, true])
  })

  it('a deadline already passed: one call, no pause', async () => {
    const clock = new FakeClock()
    let calls = 0
    await expect(
      untilDeadline(
        async () => {
          calls++
          throw httpError(502)
        },
        { deadline: clock.now() - 1, clock }
      )
    ).rejects.toThrow('HTTP 502')
    expect(calls).toBe(1)
  })
})
