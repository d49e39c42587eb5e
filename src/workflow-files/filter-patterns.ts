// GitHub's filter patterns, the ones `on.<event>.branches`, `tags`, `paths` and their `-ignore`
// lists take, as the "Filter pattern cheat sheet" of GitHub's workflow syntax docs defines them
// (docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#filter-pattern-cheat-sheet):
//
//   `*`    zero or more characters, never `/`        `**`  zero or more of any character
//   `?`    zero or one of the preceding character    `+`   one or more of the preceding character
//   `[]`   one character listed or in a range; ranges only within a-z, A-Z or 0-9
//   `!`    first character only: the pattern negates earlier ones; in a list the last match decides
//   `\`    the next character is literal ("escape each of these special characters with \")
//
// Why not picomatch or minimatch (both checked, picomatch 4.0.7 on the cheat sheet's examples):
// their `?` is "one character" (`*.jsx?` misses `page.js` and `page.jsx`, and matches `page.jsxx`);
// their `+` is a literal outside a class (`a+b` misses `aab`); `*` and `**` skip dot-files unless
// `dot: true` (GitHub's `**` is "all the files", `.github/…` included); `**` inside a segment is a
// plain `*` (`releases/**-alpha` misses `releases/beta/3-alpha`, the docs' own example); a leading `!`
// negates one pattern, not the list in order; and they expand braces, extglobs and `[!a]`, which
// GitHub does not document. So patterns are translated here, for the documented forms only.
//
// Facts beyond the cheat sheet: `**/` also matches no directory at all (`docs/**/*.md` matches
// `docs/README.md`, `**/README.md` matches `README.md`: the docs' examples); `.` is literal (`*.js`
// "matches all .js files"); a list of `!` patterns alone is not allowed (the docs require one
// positive pattern). nektos/act's pkg/workflowpattern reads the docs the same way.
//
// Anything the docs leave open throws FilterPatternError, so a caller treats the filter as not
// provable rather than guess: `?`/`+` with nothing single before them, `***`, `**/` inside a
// segment, a class other than letters, digits and their ranges, and unescaped `(`, `)`, `{`, `}`,
// `|`, `^`, `$`, `]` ("`*`, `**`, `+`, `?`, `!` and others" says the docs, without naming the others).
//
// Matching walks the pattern as a small automaton (pattern length × value length steps), never as a
// backtracking RegExp: a pull request can change the workflow file whose patterns are read, and
// `**a**a**a…` against a long path would hang a RegExp.

/** A pattern this module cannot give GitHub's certain meaning to. */
export class FilterPatternError extends Error {
  constructor(
    /** The pattern as written. */
    readonly pattern: string,
    /** What is wrong with it, e.g. "`+` with nothing before it to repeat". */
    readonly problem: string
  ) {
    super(`filter pattern '${pattern}': ${problem}`)
    this.name = 'FilterPatternError'
  }
}

export interface MatchOptions {
  /** Compare letters without case (GitHub does not document whether its filters do). */
  readonly ignoreCase?: boolean
}

/** One compiled pattern. */
export interface FilterPattern {
  /** The pattern as written, `!` included. */
  readonly source: string
  /** Written with a leading `!`: in a list, a match excludes. */
  readonly negative: boolean
  /** Whether the whole of `value` (a branch, a tag, a file path) matches, the `!` left aside. */
  matches(value: string): boolean
}

/** A compiled list, in the order written. */
export interface FilterPatternList {
  readonly patterns: readonly FilterPattern[]
  /** The last pattern that matches decides: a positive one includes, a `!` one excludes; none matching excludes. */
  includes(value: string): boolean
}

type CharTest = (c: string) => boolean

// One piece of a pattern: a character test taken once, optionally (`?`) or repeatedly (`+`, `*`),
// or `dirs`, the `**/` that stands for any directories or none.
type Step = { readonly kind: 'chars'; readonly test: CharTest; readonly optional: boolean; readonly repeats: boolean } | { readonly kind: 'dirs' }

// Characters a regular expression gives a meaning to and the cheat sheet does not: GitHub's
// handling of them is unknown, so they must be escaped to be read.
const UNDOCUMENTED = new Set(['(', ')', '{', '}', '|', '^', '$', ']'])

const anyChar: CharTest = () => true
const notSlash: CharTest = (c) => c !== '/'

/** Compiles one pattern; throws FilterPatternError for a form the docs leave open. */
export function compileFilterPattern(pattern: string, options: MatchOptions = {}): FilterPattern {
  const negative = pattern.startsWith('!')
  const body = negative ? pattern.slice(1) : pattern
  if (body === '') throw new FilterPatternError(pattern, 'an empty pattern')
  const steps = stepsOf([...body], pattern, options.ignoreCase === true)
  return { source: pattern, negative, matches: (value) => runs(steps, value) }
}

/** Compiles a list in order; throws FilterPatternError for the first pattern it cannot read. */
export function compileFilterPatterns(patterns: readonly string[], options: MatchOptions = {}): FilterPatternList {
  const compiled = patterns.map((pattern) => compileFilterPattern(pattern, options))
  return {
    patterns: compiled,
    includes(value) {
      let included = false
      for (const pattern of compiled) if (pattern.matches(value)) included = !pattern.negative
      return included
    }
  }
}

function stepsOf(chars: readonly string[], pattern: string, ignoreCase: boolean): Step[] {
  const steps: Step[] = []
  // Whether the last step is one character that `?` or `+` may apply to.
  let quantifiable = false
  let i = 0
  while (i < chars.length) {
    const c = chars[i] as string
    if (c === '*') {
      i = starSteps(chars, i, pattern, steps)
      quantifiable = false
    } else if (c === '?' || c === '+') {
      const last = steps.at(-1)
      if (!quantifiable || last?.kind !== 'chars') throw new FilterPatternError(pattern, `\`${c}\` with no single character before it to apply to`)
      steps[steps.length - 1] = { ...last, optional: c === '?', repeats: c === '+' }
      quantifiable = false
      i++
    } else if (c === '[') {
      const { test, end } = classAt(chars, i, pattern)
      steps.push(once(ignoreCase ? folded(test) : test))
      quantifiable = true
      i = end
    } else {
      const literal = c === '\\' ? chars[i + 1] : c
      if (literal === undefined) throw new FilterPatternError(pattern, 'a `\\` at the end, with nothing to escape')
      if (c !== '\\' && UNDOCUMENTED.has(c)) throw new FilterPatternError(pattern, `an unescaped \`${c}\`, which the docs give no meaning to`)
      steps.push(once(ignoreCase ? folded((x) => x === literal) : (x) => x === literal))
      quantifiable = true
      i += c === '\\' ? 2 : 1
    }
  }
  return steps
}

// Reads `*`, `**` or `**/` at `i`, appends its step, returns the index after it.
function starSteps(chars: readonly string[], i: number, pattern: string, steps: Step[]): number {
  if (chars[i + 1] !== '*') {
    steps.push({ kind: 'chars', test: notSlash, optional: true, repeats: true })
    return i + 1
  }
  if (chars[i + 2] === '*') throw new FilterPatternError(pattern, 'three or more `*` in a row')
  if (chars[i + 2] !== '/') {
    steps.push({ kind: 'chars', test: anyChar, optional: true, repeats: true })
    return i + 2
  }
  // `**/` stands for "any directories, or none" only where a path segment starts.
  if (i > 0 && chars[i - 1] !== '/') throw new FilterPatternError(pattern, '`**/` after other characters of the same segment')
  steps.push({ kind: 'dirs' })
  return i + 3
}

/** Reads a `[…]` class at `i`: letters and digits, and ranges within a-z, A-Z or 0-9. */
function classAt(chars: readonly string[], i: number, pattern: string): { test: CharTest; end: number } {
  const ranges: Array<[string, string]> = []
  let j = i + 1
  while (j < chars.length && chars[j] !== ']') {
    const lo = chars[j] as string
    if (chars[j + 1] === '-' && j + 2 < chars.length && chars[j + 2] !== ']') {
      const hi = chars[j + 2] as string
      if (rangeKind(lo) === undefined || rangeKind(lo) !== rangeKind(hi) || lo > hi)
        throw new FilterPatternError(pattern, `the range \`${lo}-${hi}\` (ranges stay within a-z, A-Z or 0-9)`)
      ranges.push([lo, hi])
      j += 3
    } else {
      if (rangeKind(lo) === undefined)
        throw new FilterPatternError(pattern, `\`${lo}\` in a \`[]\` class (only letters, digits and their ranges are documented)`)
      ranges.push([lo, lo])
      j++
    }
  }
  if (j >= chars.length) throw new FilterPatternError(pattern, 'a `[` with no closing `]`')
  if (ranges.length === 0) throw new FilterPatternError(pattern, 'an empty `[]`')
  return { test: (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi), end: j + 1 }
}

function rangeKind(c: string): 'lower' | 'upper' | 'digit' | undefined {
  if (c >= 'a' && c <= 'z') return 'lower'
  if (c >= 'A' && c <= 'Z') return 'upper'
  if (c >= '0' && c <= '9') return 'digit'
  return undefined
}

function once(test: CharTest): Step {
  return { kind: 'chars', test, optional: false, repeats: false }
}

function folded(test: CharTest): CharTest {
  return (c) => test(c) || test(c.toLowerCase()) || test(c.toUpperCase())
}

// Automaton states: 2·i = step i not begun; 2·i + 1 = step i has taken at least one character
// and may take more (a repeating step, or `**/` before its closing `/`); 2·steps.length = done.

/** Whether `steps` match the whole of `value`, in steps × characters time. */
function runs(steps: readonly Step[], value: string): boolean {
  let current = closure(steps, [0])
  for (const c of value) {
    const next: number[] = []
    for (const state of current) next.push(...advance(steps, state, c))
    if (next.length === 0) return false
    current = closure(steps, next)
  }
  return current.has(2 * steps.length)
}

/** The states reachable from `states` without taking a character. */
function closure(steps: readonly Step[], states: readonly number[]): Set<number> {
  const reached = new Set<number>()
  const pending = [...states]
  while (pending.length > 0) {
    const state = pending.pop() as number
    if (reached.has(state)) continue
    reached.add(state)
    const step = steps[state >> 1]
    if (step === undefined) continue
    const begun = (state & 1) === 1
    // A step may be left out when optional (`?`, `*`, `**`, `**/`), or left once it took a character if it repeats.
    const skippable = step.kind === 'dirs' ? !begun : begun || step.optional
    if (skippable) pending.push(2 * ((state >> 1) + 1))
  }
  return reached
}

/** The states `state` moves to on the character `c`. */
function advance(steps: readonly Step[], state: number, c: string): number[] {
  const index = state >> 1
  const step = steps[index]
  if (step === undefined) return []
  const begun = (state & 1) === 1
  if (step.kind === 'dirs') {
    // `(.+/)?`: a first character of any kind, then any, and a `/` may close it.
    return begun && c === '/' ? [state, 2 * (index + 1)] : [2 * index + 1]
  }
  if (!step.test(c)) return []
  return step.repeats ? [2 * index + 1] : [2 * (index + 1)]
}
