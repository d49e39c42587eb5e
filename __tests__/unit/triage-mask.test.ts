// Error lines made comparable from run to run.
import { describe, expect, it } from '@jest/globals'
import { comparableErrorLine, firstErrorLineOf, maskErrorLine, sameError } from '../../src/triage/mask.js'

async function* lines(...items: string[]): AsyncIterable<string> {
  yield* items
}

describe('maskErrorLine', () => {
  it.each([
    ['numbers', 'expected 3 to equal 4 after 120ms', 'expected 7 to equal 9 after 85ms'],
    ['hex ids', 'object 9f3c2a1b77 not found in pack 0x7ffe12', 'object 1234abcd99 not found in pack 0x1a2b'],
    ['uuids', 'request 123e4567-e89b-12d3-a456-426614174000 failed', 'request 00000000-0000-4000-8000-000000000000 failed'],
    ['temp paths', 'cannot open /tmp/jest_rs/abc/file.js: denied', 'cannot open /tmp/xyz123/other.js: denied'],
    ['runner temp paths', "ENOENT: '/home/runner/work/_temp/4f1e.sh'", "ENOENT: '/home/runner/work/_temp/99aa.sh'"],
    ['Windows temp paths', 'C:\\Users\\runner\\AppData\\Local\\Temp\\tmp12.txt locked', 'C:\\Users\\runneradmin\\AppData\\Local\\Temp\\tmp9.txt locked'],
    ['times', 'timed out at 2026-12-07T22:40:01.123Z (22:40:01)', 'timed out at 2026-11-30T01:02:03Z (01:02:03)']
  ])('masks %s', (_what, a, b) => {
    expect(maskErrorLine(a)).toBe(maskErrorLine(b))
  })

  it('keeps the words', () => {
    expect(maskErrorLine('TypeError: cannot read x')).not.toBe(maskErrorLine('TypeError: cannot read y'))
    expect(maskErrorLine('src/cart.ts(12,5): error TS1005')).toBe('src/cart.ts(<n>,<n>): error TS<n>')
  })
})

describe('comparableErrorLine', () => {
  it('skips the exit code line and takes a multi-line message by its first line', () => {
    expect(comparableErrorLine(['Process completed with exit code 1.', 'Build failed:\nsrc/a.ts'])).toBe('Build failed:')
    expect(comparableErrorLine(['Process completed with exit code 2.'])).toBeNull()
    expect(comparableErrorLine([])).toBeNull()
  })
})

describe('firstErrorLineOf', () => {
  it('the first error line of a job log after its timestamp, not the exit code', async () => {
    const log = lines(
      '\uFEFF2026-12-07T22:40:01.1234567Z ##[group]Run npm test',
      '2026-12-07T22:40:02.1234567Z ##[error]Process completed with exit code 1.',
      '2026-12-07T22:40:03.1234567Z ##[error]expected 3 to equal 4\r',
      '2026-12-07T22:40:04.1234567Z ##[error]later'
    )
    expect(await firstErrorLineOf(log)).toBe('expected 3 to equal 4')
  })

  it('null when the log has none', async () => {
    expect(await firstErrorLineOf(lines('2026-12-07T22:40:01.1234567Z all good'))).toBeNull()
  })
})

describe('sameError', () => {
  it('true, false, or null when either line is unknown', () => {
    expect(sameError('expected 3 to equal 4', 'expected 5 to equal 6')).toBe(true)
    expect(sameError('expected 3 to equal 4', 'ECONNRESET')).toBe(false)
    expect(sameError(null, 'x')).toBeNull()
    expect(sameError('x', null)).toBeNull()
  })
})
