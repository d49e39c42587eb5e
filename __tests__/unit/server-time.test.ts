// GitHub's "now" from the answers' Date headers: a lower bound that follows the monotonic clock.
import { describe, expect, it } from '@jest/globals'
import { ServerTime } from '../../src/github/server-time.js'

describe('ServerTime', () => {
  const at = (iso: string): number => Date.parse(iso)

  it('is GitHub’s Date plus the monotonic time since that answer, whichever way the runner is off', () => {
    for (const skewMs of [-600_000, -90_000, 0, 90_000, 600_000]) {
      let mono = at('2026-12-07T10:00:00.400Z') // the runner's clock
      const time = new ServerTime(() => mono)
      time.observe(new Date(mono + skewMs).toUTCString()) // whole seconds, floored
      mono += 5_000
      const truth = mono + skewMs
      expect(truth - time.now()).toBeGreaterThanOrEqual(0)
      expect(truth - time.now()).toBeLessThan(1_000)
    }
  })

  it('keeps the tightest lower bound: a later answer whose Date came late does not move it back', () => {
    let mono = 1_000_000
    const time = new ServerTime(() => mono)
    time.observe('Mon, 07 Dec 2026 10:00:00 GMT')
    mono += 2_900 // the next Date says 10:00:02: at most 2.9 s later, so the offset stays
    time.observe('Mon, 07 Dec 2026 10:00:02 GMT')
    expect(time.now()).toBe(at('2026-12-07T10:00:02.900Z'))
    mono += 100 // a Date of 10:00:04 one tenth later: GitHub is further on than thought
    time.observe('Mon, 07 Dec 2026 10:00:04 GMT')
    expect(time.now()).toBe(at('2026-12-07T10:00:04.000Z'))
  })

  it('at() maps a monotonic instant taken before the first answer', () => {
    let mono = 5_000
    const time = new ServerTime(() => mono)
    const sentAt = mono
    mono += 700
    time.observe('Mon, 07 Dec 2026 10:00:00 GMT')
    expect(time.at(sentAt)).toBe(at('2026-12-07T10:00:00Z') - 700)
  })

  it('without a usable Date, the monotonic clock stands in, and it says so', () => {
    const time = new ServerTime(() => 42)
    time.observe(null)
    time.observe('not a date')
    expect(time.known).toBe(false)
    expect(time.now()).toBe(42)
  })
})
