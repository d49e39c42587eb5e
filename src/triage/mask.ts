// The first error line of a failure, made comparable from one run to the next: what changes
// between two runs of the same failure (numbers, hex ids, temporary paths, times) is masked, so
// "same error" means the same words in the same places.

/** The runner's own line when a step's process exits non-zero: it says nothing of the cause. */
const GENERIC_ERROR = /^Process completed with exit code \d+\.?$/
/** Characters of an error line compared (the summary cuts lines at 1,000 too). */
export const MAX_COMPARED_CHARS = 1000

// Order matters: times and paths hold digits and hex, so they are masked before numbers are.
const MASKS: readonly [RegExp, string][] = [
  // ISO date-times and dates (2026-12-07T22:40:01.123Z, 2026-12-07), clock times (22:40:01).
  [/\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b/g, '<time>'],
  // Temporary paths: /tmp/…, macOS's /var/folders/…, the runner's _temp, Windows' Temp.
  [/(?:\/tmp|\/var\/folders|\/private\/var\/folders|[\w/.-]*\/_temp)\/[^\s'"`:,)]*/g, '<tmp>'],
  [/[A-Za-z]:\\[^\s'"`]*\\(?:Temp|_temp)\\[^\s'"`:,)]*/gi, '<tmp>'],
  // UUIDs, then hex runs of 7 or more with at least one digit (commit shas, object ids).
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<hex>'],
  [/\b(?:0x)?(?=[0-9a-f]*\d)[0-9a-f]{7,}\b/gi, '<hex>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Numbers, with their decimals (durations, counts, ports, line numbers).
  [/\d+(?:\.\d+)?/g, '<n>']
]

/** `line` with its run-specific parts masked and its spacing normalised. */
export function maskErrorLine(line: string): string {
  let masked = line.slice(0, MAX_COMPARED_CHARS)
  for (const [pattern, replacement] of MASKS) masked = masked.replace(pattern, replacement)
  return masked.replace(/\s+/g, ' ').trim()
}

/**
 * The line to compare among a step's error lines: the first that says more than the exit code
 * (a multi-line message by its first line); null when none does (nothing to compare).
 */
export function comparableErrorLine(errorLines: readonly string[]): string | null {
  for (const error of errorLines) {
    const first = (error.split('\n')[0] ?? '').trim()
    if (first !== '' && !GENERIC_ERROR.test(first)) return first
  }
  return null
}

/** A job log line's text after its timestamp, when it is an `##[error]` line; else null. */
function errorText(line: string): string | null {
  const text = line.replace(/^\uFEFF?\d{4}-\d{2}-\d{2}T\S+\s/, '')
  return text.startsWith('##[error]') ? text.slice('##[error]'.length) : null
}

/** The first comparable `##[error]` line of a job log, read no further than needed. */
export async function firstErrorLineOf(lines: AsyncIterable<string>): Promise<string | null> {
  for await (const line of lines) {
    const error = errorText(line.replace(/\r$/, ''))
    if (error === null) continue
    const comparable = comparableErrorLine([error])
    if (comparable !== null) return comparable.slice(0, MAX_COMPARED_CHARS)
  }
  return null
}

/** Whether two error lines are the same error once masked; null when either is unknown. */
export function sameError(ours: string | null, theirs: string | null): boolean | null {
  if (ours === null || theirs === null) return null
  return maskErrorLine(ours) === maskErrorLine(theirs)
}
