// Matching job names given in the `job` input: exact names, globs (`test-*`) and matrix base
// names (`test` names every `test (…)` leg).

/**
 * `*` (any run of characters) and `?` (one character), matched in O(pattern × name) steps: a
 * regular expression built from `*` backtracks exponentially on patterns like `**********x`.
 */
export function globMatches(glob: string, name: string): boolean {
  const p = [...glob]
  const s = [...name]
  let i = 0
  let j = 0
  let star = -1
  let resume = 0
  while (j < s.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === s[j]))) {
      i++
      j++
    } else if (i < p.length && p[i] === '*') {
      star = i++
      resume = j
    } else if (star >= 0) {
      // Let the last `*` take one more character and try again from there.
      i = star + 1
      j = ++resume
    } else {
      return false
    }
  }
  while (i < p.length && p[i] === '*') i++
  return i === p.length
}

/** A predicate for job names matching any of `patterns` (exact names or globs). */
export function jobNameMatcher(patterns: readonly string[]): (name: string) => boolean {
  return (name) => patterns.some((pattern) => globMatches(pattern, name))
}

/** Like jobNameMatcher, and a bare name also picks the legs of a matrix of that name. */
export function matchesJobOrMatrix(name: string, wanted: string): boolean {
  return name.startsWith(`${wanted} (`) || jobNameMatcher([wanted])(name)
}
