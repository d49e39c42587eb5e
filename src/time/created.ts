// The `created` list filter (GitHub's search syntax for dates) as the span of whole seconds it
// covers, so a listing can be narrowed and split into windows: `delete` walks back past GitHub's
// 1,000-result limit with `created` windows and folds `older-than` into the same filter.
//
// Forms (GitHub's "Query for dates"): `X`, `>X`, `>=X`, `<X`, `<=X`, `A..B` (`*` for an open end),
// where X is a date (`2026-11-01`: the whole day, UTC) or a date-time (`2026-11-01T10:00:00Z`,
// an offset such as `+02:00`, or no zone = UTC: that second).

/** Whole seconds as epoch ms, both ends included; null = open. */
export interface CreatedRange {
  from: number | null
  to: number | null
}

export const ANY_TIME: CreatedRange = { from: null, to: null }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

/** The first and last second (epoch ms) a date or date-time names; null when it is neither. */
function span(text: string): [number, number] | null {
  const date = DATE.exec(text)
  if (date) {
    const start = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))
    // Date.UTC rolls 2026-02-30 over into March: only a real calendar day counts.
    if (new Date(start).toISOString().slice(0, 10) !== text) return null
    return [start, start + 86_400_000 - 1000]
  }
  const time = DATE_TIME.exec(text)
  if (time) {
    const zone = time[7] ?? 'Z'
    const ms = Date.parse(
      `${time[1]}-${time[2]}-${time[3]}T${time[4]}:${time[5]}:${time[6] ?? '00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`
    )
    if (Number.isNaN(ms)) return null
    const second = Math.floor(ms / 1000) * 1000
    return [second, second]
  }
  return null
}

/** The seconds a `created` expression covers, or null when GitHub's date syntax does not read it. */
export function parseCreated(expression: string): CreatedRange | null {
  const text = expression.trim()
  const op = /^(>=|<=|>|<)(.+)$/.exec(text)
  if (op) {
    const bounds = span((op[2] ?? '').trim())
    if (!bounds) return null
    const [first, last] = bounds
    switch (op[1]) {
      case '>=':
        return { from: first, to: null }
      case '>':
        return { from: last + 1000, to: null }
      case '<=':
        return { from: null, to: last }
      default:
        return { from: null, to: first - 1000 }
    }
  }
  const range = /^(.+?)\.\.(.+)$/.exec(text)
  if (range) {
    const from = (range[1] ?? '').trim()
    const to = (range[2] ?? '').trim()
    const start = from === '*' ? null : span(from)
    const end = to === '*' ? null : span(to)
    if ((from !== '*' && !start) || (to !== '*' && !end)) return null
    return { from: start ? start[0] : null, to: end ? end[1] : null }
  }
  const bounds = span(text)
  return bounds ? { from: bounds[0], to: bounds[1] } : null
}

/** The seconds both ranges cover (possibly none: see isEmpty). */
export function intersect(a: CreatedRange, b: CreatedRange): CreatedRange {
  const pick = (x: number | null, y: number | null, choose: (p: number, q: number) => number): number | null => (x === null ? y : y === null ? x : choose(x, y))
  return { from: pick(a.from, b.from, Math.max), to: pick(a.to, b.to, Math.min) }
}

export function isEmpty(range: CreatedRange): boolean {
  return range.from !== null && range.to !== null && range.from > range.to
}

/** The whole second (epoch ms) that `ms` falls in. */
export function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000
}

/** `2026-11-01T10:00:00Z`. */
export function isoSecond(ms: number): string {
  return new Date(wholeSecond(ms)).toISOString().replace('.000Z', 'Z')
}

/** The `created` filter for a range (undefined when it is open at both ends). */
export function createdFilter(range: CreatedRange): string | undefined {
  if (range.from === null && range.to === null) return undefined
  if (range.from === null) return `<=${isoSecond(range.to ?? 0)}`
  if (range.to === null) return `>=${isoSecond(range.from)}`
  return `${isoSecond(range.from)}..${isoSecond(range.to)}`
}
