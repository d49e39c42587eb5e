// The `created` filter read as the seconds it covers, and written back for a search window.
import { describe, expect, it } from '@jest/globals'
import { createdFilter, intersect, isEmpty, parseCreated } from '../../src/time/created.js'

const at = (iso: string): number => Date.parse(iso)

describe('parseCreated', () => {
  it('reads dates as whole UTC days and date-times as seconds', () => {
    expect(parseCreated('2026-11-01')).toEqual({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-01T23:59:59Z') })
    expect(parseCreated('2026-11-01T10:20:30Z')).toEqual({ from: at('2026-11-01T10:20:30Z'), to: at('2026-11-01T10:20:30Z') })
    expect(parseCreated('2026-11-01T10:20:30.999+02:00')).toEqual({ from: at('2026-11-01T08:20:30Z'), to: at('2026-11-01T08:20:30Z') })
    expect(parseCreated('2026-11-01T10:20+0200')).toEqual({ from: at('2026-11-01T08:20:00Z'), to: at('2026-11-01T08:20:00Z') })
  })

  it('reads the comparisons and ranges of GitHub’s search syntax', () => {
    expect(parseCreated('>=2026-11-01')).toEqual({ from: at('2026-11-01T00:00:00Z'), to: null })
    expect(parseCreated('>2026-11-01')).toEqual({ from: at('2026-11-02T00:00:00Z'), to: null })
    expect(parseCreated('<=2026-11-01')).toEqual({ from: null, to: at('2026-11-01T23:59:59Z') })
    expect(parseCreated('<2026-11-01')).toEqual({ from: null, to: at('2026-10-31T23:59:59Z') })
    expect(parseCreated('<2026-11-01T00:00:10Z')).toEqual({ from: null, to: at('2026-11-01T00:00:09Z') })
    expect(parseCreated('2026-11-01..2026-11-20')).toEqual({ from: at('2026-11-01T00:00:00Z'), to: at('2026-11-20T23:59:59Z') })
    expect(parseCreated('*..2026-11-20')).toEqual({ from: null, to: at('2026-11-20T23:59:59Z') })
    expect(parseCreated('2026-11-01T12:00:00Z..*')).toEqual({ from: at('2026-11-01T12:00:00Z'), to: null })
  })

  it('refuses what is not a date', () => {
    for (const bad of ['yesterday', '2026-02-30', '2026-11-01foo', '>=', '2026-11-01..', '..2026-11-01', '2026-13-01', '2026-11-01T25:00:00Z']) {
      expect([bad, parseCreated(bad)]).toEqual([bad, null])
    }
  })
})

describe('windows', () => {
  it('intersects ranges, and writes a range back as a filter GitHub reads the same way', () => {
    const user = parseCreated('>=2026-11-01') ?? { from: null, to: null }
    const window = intersect(user, { from: null, to: at('2026-11-20T10:00:00Z') })
    expect(createdFilter(window)).toBe('2026-11-01T00:00:00Z..2026-11-20T10:00:00Z')
    expect(parseCreated(createdFilter(window) ?? '')).toEqual(window)
    expect(createdFilter({ from: null, to: at('2026-11-20T10:00:00Z') })).toBe('<=2026-11-20T10:00:00Z')
    expect(createdFilter({ from: at('2026-11-20T10:00:00Z'), to: null })).toBe('>=2026-11-20T10:00:00Z')
    expect(createdFilter({ from: null, to: null })).toBeUndefined()
    expect(isEmpty(intersect(parseCreated('>=2026-11-02') ?? user, { from: null, to: at('2026-11-01T10:00:00Z') }))).toBe(true)
    expect(isEmpty(window)).toBe(false)
  })
})
