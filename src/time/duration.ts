// Durations as users write them in workflow files: `500ms`, `90` (seconds), `90s`, `15m`,
// `1h30m`, `7d`. Returns milliseconds, or null when the text is not a duration.

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000
}

// Units must come largest first and at most once each (`1h30m`, not `30m1h`), which catches
// typos such as `5m5m` instead of silently adding them up.
const UNIT_ORDER = ['d', 'h', 'm', 's', 'ms']

export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  if (trimmed === '') return null
  const parts = trimmed.match(/\d+(?:ms|[dhms])/g)
  if (!parts || parts.join('') !== trimmed) return null
  let total = 0
  let lastRank = -1
  for (const part of parts) {
    const [, digits, unit] = /^(\d+)(ms|[dhms])$/.exec(part) ?? []
    const rank = UNIT_ORDER.indexOf(unit ?? '')
    if (digits === undefined || rank <= lastRank) return null
    lastRank = rank
    total += Number(digits) * (UNIT_MS[unit!] ?? 0)
  }
  return Number.isSafeInteger(total) ? total : null
}
