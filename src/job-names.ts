// Matching job names given in the `job` input: exact names, globs (`test-*`) and matrix base
// names (`test` names every `test (…)` leg).

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${body}$`)
}

/** A predicate for job names matching any of `patterns` (exact names or globs). */
export function jobNameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const expressions = patterns.map(globToRegExp)
  return (name) => expressions.some((e) => e.test(name))
}

/** Like jobNameMatcher, and a bare name also picks the legs of a matrix of that name. */
export function matchesJobOrMatrix(name: string, wanted: string): boolean {
  return name.startsWith(`${wanted} (`) || jobNameMatcher([wanted])(name)
}
