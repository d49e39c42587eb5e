import { describe, expect, it } from '@jest/globals'
import { aRun, at, T0 } from '../../__fixtures__/runs.js'
import { clockTime, expectationFor } from '../../src/commands/wait/eta.js'

// A successful run that started at `start` and took `seconds`.
const past = (id: number, start: number, seconds: number, conclusion = 'success') =>
  aRun({ id, runStartedAt: at(start), updatedAt: at(start + seconds), conclusion })

describe('expectationFor', () => {
  const current = aRun({ id: 1, status: 'in_progress', conclusion: null, runStartedAt: at(0) })

  it('is the median of the successful runs, from the run’s start', () => {
    const history = [past(10, -900, 300), past(11, -1900, 310), past(12, -2900, 2000), past(13, -3900, 290), past(14, -4900, 305, 'failure')]
    // 290, 300, 310, 2000 → (300 + 310) / 2: the slow outlier and the failed run do not count.
    expect(expectationFor(current, history)).toEqual({ medianMs: 305_000, sample: 4, finishAt: T0 + 305_000 })
  })

  it('takes the newest 20 only', () => {
    const history = [
      ...Array.from({ length: 20 }, (_, i) => past(100 + i, -1000 * (i + 1), 60)),
      ...Array.from({ length: 30 }, (_, i) => past(200 + i, -100_000 - i, 600))
    ]
    expect(expectationFor(current, history)?.medianMs).toBe(60_000)
  })

  it('gives nothing from fewer than 3 runs, or the run itself', () => {
    expect(expectationFor(current, [past(10, -900, 300), past(11, -1900, 300)])).toBeNull()
    expect(expectationFor(current, [past(1, -900, 300), past(10, -900, 300), past(11, -1900, 300)])).toBeNull()
  })

  it('writes the time of day in UTC', () => {
    expect(clockTime(Date.parse('2026-11-21T10:42:59Z'))).toBe('10:42 UTC')
  })
})
