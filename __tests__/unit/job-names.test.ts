// Job name globs: matched without regular expressions, so no pattern can hang the step.
import { describe, expect, it, jest } from '@jest/globals'
import { realClock } from '../../src/time/clock.js'
import { globMatches, jobNameMatcher } from '../../src/runs/job-names.js'

describe('globMatches', () => {
  it.each([
    ['build', 'build', true],
    ['build', 'builds', false],
    ['b*ld', 'build', true],
    ['tes?', 'test', true],
    ['tes?', 'tests', false],
    ['test (*', 'test (ubuntu-latest, 24)', true],
    ['*', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['[x]', '[x]', true],
    ['.*', 'anything', false]
  ])('%j against %j is %s', (glob, name, expected) => expect(globMatches(glob, name)).toBe(expected))

  it('answers at once for a pattern of 24 stars that does not match (no backtracking blow-up)', () => {
    const started = Date.now()
    expect(jobNameMatcher(['*'.repeat(24) + 'x'])('a'.repeat(5000))).toBe(false)
    expect(globMatches('*a'.repeat(24) + 'x', 'a'.repeat(2000))).toBe(false)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('realClock.sleep', () => {
  it('sleeps past the 2^31-1 ms a Node timer can hold, in slices, instead of firing at once', async () => {
    jest.useFakeTimers()
    try {
      let done = false
      const sleeping = realClock.sleep(25 * 24 * 3600 * 1000).then(() => (done = true))
      await jest.advanceTimersByTimeAsync(2 ** 31 - 1)
      expect(done).toBe(false)
      await jest.advanceTimersByTimeAsync(25 * 24 * 3600 * 1000)
      await sleeping
      expect(done).toBe(true)
    } finally {
      jest.useRealTimers()
    }
  })
})
