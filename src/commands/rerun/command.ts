// `rerun`'s own inputs: what to re-run (`scope`, `job`), `debug-logging`, `max-attempts`, the
// `rerun-if` pattern (checked so that it cannot hang the step on a long log line), and `wait`.
import { InputError } from '../../errors.js'
import { readGateOptions } from '../../inputs/groups.js'
import { splitJobNames, type InputReader } from '../../inputs/reader.js'
import { MAX_RUN_ATTEMPTS, readSelection } from '../../inputs/selection.js'
import type { CommandDefinition } from '../shared/command.js'
import { rerunRuns, type RerunInputs } from './index.js'

export interface RerunSettings {
  scope: 'failed' | 'all'
  /** Job names, globs or ids to re-run instead of `scope` (from the `job` input). */
  jobs: string[]
  debugLogging: boolean
  /** No re-run once the run's attempt has reached this. */
  maxAttempts: number
  /**
   * `rerun-if`: re-run a run only when every failed job has a failure text (its name, a failed
   * step's name, error or context line) this matches, line by line; null = always re-run.
   */
  rerunIf: RegExp | null
  /** `rerun-only-flaky`: re-run the failed jobs only when each is triaged flaky (or matches `rerunIf`). */
  onlyFlaky: boolean
}

/**
 * `rerun-if` is run on every failure line (each at most 1,000 characters): a pattern this long
 * is almost surely pasted by mistake, and a short one is easier to check for slow constructs.
 */
export const MAX_RERUN_IF_LENGTH = 500
/** Flags a `/…/flags` pattern may carry; `g` and `y` would make `test` stateful. */
const RERUN_IF_FLAGS = /^[imsuv]*$/

/** A quantifier (`*`, `+`, `{2,}`, `{1,5}`, `{3}`) that can repeat more than once, at `at`; its length, else 0. */
function repeatingQuantifierAt(pattern: string, at: number): number {
  const c = pattern[at]
  if (c === '*' || c === '+') return 1
  if (c !== '{') return 0
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at))
  if (!braces) return 0
  const [whole, min = '0', comma, max = ''] = braces
  const repeats = comma === undefined ? Number(min) > 1 : max === '' || Number(max) > 1
  return repeats ? whole.length : 0
}

/**
 * The first quantified group that itself holds a quantifier (`(a+)+`, `(?:\w+\s?)*`), or null.
 * Such nesting lets a backtracking engine try exponentially many ways to match one line: a
 * pattern that runs on other people's log lines must not be able to hang the step.
 */
export function nestedQuantifier(pattern: string): string | null {
  const groups: { start: number; quantified: boolean }[] = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]
    if (c === '\\') {
      i += 2
      continue
    }
    if (c === '[') {
      // A character class is one atom: skip to its closing bracket.
      let j = i + 1
      if (pattern[j] === '^') j++
      if (pattern[j] === ']') j++
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1
      i = j + 1
      continue
    }
    if (c === '(') {
      groups.push({ start: i, quantified: false })
      i++
      continue
    }
    if (c === ')') {
      const group = groups.pop()
      const quantifier = repeatingQuantifierAt(pattern, i + 1)
      if (group && group.quantified && quantifier > 0) return pattern.slice(group.start, i + 1 + quantifier)
      const outer = groups[groups.length - 1]
      if (outer && (group?.quantified || quantifier > 0)) outer.quantified = true
      i += 1 + quantifier
      continue
    }
    const quantifier = repeatingQuantifierAt(pattern, i)
    if (quantifier > 0) {
      const outer = groups[groups.length - 1]
      if (outer) outer.quantified = true
      i += quantifier
      continue
    }
    i++
  }
  return null
}

/**
 * `rerun-if`: a JavaScript regular expression, bare (`ECONNRESET|ETIMEDOUT`) or as `/…/flags`
 * (`/timed out/i`). Empty: no condition.
 */
function readRerunIf(inputs: InputReader): RegExp | null {
  const value = inputs.text('rerun-if').trim()
  if (value === '') return null
  if (value.length > MAX_RERUN_IF_LENGTH) {
    throw new InputError('rerun-if', `${value.slice(0, 80)}…`, `the pattern is ${value.length} characters long; at most ${MAX_RERUN_IF_LENGTH} are accepted`)
  }
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(value)
  const [pattern, flags] = literal ? [literal[1] ?? '', literal[2] ?? ''] : [value, '']
  if (!RERUN_IF_FLAGS.test(flags)) {
    throw new InputError('rerun-if', value, `unsupported flags '${flags}': use some of i, m, s, u, v (g and y are not accepted)`)
  }
  let regex: RegExp
  try {
    regex = new RegExp(pattern, flags)
  } catch (error) {
    throw new InputError('rerun-if', value, `not a valid JavaScript regular expression (${error instanceof Error ? error.message : String(error)})`)
  }
  const nested = nestedQuantifier(pattern)
  if (nested !== null) {
    throw new InputError(
      'rerun-if',
      value,
      `'${nested}' repeats a group that itself repeats, which can take exponential time on a long line; rewrite it without the nesting (e.g. (a+)+ as a+)`
    )
  }
  return regex
}

/** `rerun-only-flaky` judges the failed jobs by their triage: it re-runs failed jobs, and needs triage. */
function checkOnlyFlakyInputs(rerun: RerunSettings, triage: boolean): void {
  if (!triage) throw new InputError('rerun-only-flaky', 'true', "it re-runs only jobs triaged flaky, and 'triage' is false: set 'triage: true'")
  if (rerun.scope === 'all' || rerun.jobs.length > 0) {
    throw new InputError('rerun-only-flaky', 'true', "it re-runs the failed jobs: not with 'scope: all' or 'job'")
  }
}

function readRerun(inputs: InputReader): RerunSettings {
  return {
    scope: inputs.choice('scope', ['failed', 'all'] as const),
    jobs: splitJobNames(inputs.text('job')),
    debugLogging: inputs.boolean('debug-logging'),
    maxAttempts: inputs.integer('max-attempts', 1, MAX_RUN_ATTEMPTS),
    rerunIf: readRerunIf(inputs),
    onlyFlaky: inputs.boolean('rerun-only-flaky')
  }
}

export const rerunDefinition: CommandDefinition<RerunInputs> = {
  read: (inputs, step, scope) => {
    const selection = readSelection(inputs, scope, { command: 'rerun', implicit: 'refuse', changesRuns: true })
    const rerun = readRerun(inputs)
    if (rerun.rerunIf !== null && step.summary.logLines === 0) {
      throw new InputError('log-lines', '0', "'rerun-if' reads the failed jobs' logs, and 0 reads none: set at least 1 (default 30), or leave 'rerun-if' empty")
    }
    if (rerun.onlyFlaky) checkOnlyFlakyInputs(rerun, step.summary.triage)
    const gate = readGateOptions(inputs, step)
    return {
      selection,
      excludeCurrentRun: inputs.boolean('exclude-current-run'),
      rerun,
      waitAfter: inputs.boolean('wait'),
      dryRun: inputs.boolean('dry-run'),
      gate
    }
  },
  run: rerunRuns
}
