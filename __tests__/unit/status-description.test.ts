import { describe, expect, it } from '@jest/globals'
import { listed, MAX_DESCRIPTION, oneLine } from '../../src/commands/wait/status.js'

describe('a commit status description', () => {
  it('is one line of at most 140 characters, cut with an ellipsis', () => {
    expect(oneLine('Failed: CI ›\ntest\r\n\u0007x')).toBe('Failed: CI › test x')
    const long = oneLine(`Failed: ${'é'.repeat(200)}`)
    expect([...long]).toHaveLength(MAX_DESCRIPTION)
    expect(long.endsWith('…')).toBe(true)
    expect(oneLine('x'.repeat(140))).toBe('x'.repeat(140))
  })

  it('lists names while they fit and counts the rest', () => {
    expect(listed(['CI', 'Lint', 'CI'])).toBe('CI, Lint')
    expect(listed(['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60)], 140)).toBe(`${'a'.repeat(60)}, ${'b'.repeat(60)} and 1 more`)
    expect(listed(['x'.repeat(300)], 140)).toBe('1 item')
  })
})
