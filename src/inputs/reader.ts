// Reading one input: its text (or action.yml's default when it is absent), and the common forms
// (boolean, duration, choice, whole number, list). Every read is remembered, so the step can say
// which inputs the chosen command did not use.
import { RUN_CONCLUSIONS } from '../github/types.js'
import { InputError } from '../errors.js'
import { parseDuration } from '../time/duration.js'
import { DEFAULTS } from './names.js'

/** Where inputs come from: the runner's INPUT_* variables, or what a test passes. */
export type InputSource = (name: string) => string

export class InputReader {
  /** The inputs read so far: what the chosen command uses. */
  readonly used = new Set<string>()

  constructor(private readonly source: InputSource) {}

  /** The value given, else action.yml's default ('' when it has none). */
  text(name: string): string {
    this.used.add(name)
    const given = this.source(name)
    if (given !== '') return given
    return (DEFAULTS as Record<string, string>)[name] ?? ''
  }

  /** The value as given, without the default: what a user set. */
  given(name: string): string {
    return this.source(name)
  }

  boolean(name: string): boolean {
    const value = this.text(name)
    if (/^(true|yes|on)$/i.test(value)) return true
    if (/^(false|no|off)$/i.test(value)) return false
    throw new InputError(name, value, 'expected true or false')
  }

  duration(name: string, minimumMs = 0): number {
    const value = this.text(name)
    const ms = parseDuration(value)
    if (ms === null) throw new InputError(name, value, 'expected a duration such as 90, 500ms, 90s, 15m, 1h30m or 7d')
    if (ms < minimumMs) throw new InputError(name, value, `must be at least ${minimumMs / 1000}s`)
    return ms
  }

  choice<T extends string>(name: string, choices: readonly T[]): T {
    const value = this.text(name).trim()
    if (!(choices as readonly string[]).includes(value)) throw new InputError(name, value, `expected one of ${choices.join(', ')}`)
    return value as T
  }

  integer(name: string, min: number, max: number): number {
    const value = this.text(name).trim()
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InputError(name, value, `expected a whole number from ${min} to ${max}`)
    }
    return Number(value)
  }

  /** Run conclusions, at least one, each one GitHub knows. */
  conclusions(name: string): Set<string> {
    const value = this.text(name)
    const list = words(value)
    for (const c of list) {
      if (!(RUN_CONCLUSIONS as readonly string[]).includes(c)) {
        throw new InputError(name, c, `unknown conclusion; expected some of ${RUN_CONCLUSIONS.join(', ')}`)
      }
    }
    if (list.length === 0) throw new InputError(name, value, 'expected at least one conclusion, e.g. success')
    return new Set(list)
  }
}

/** Splits on commas, spaces and newlines. */
export function words(text: string): string[] {
  return text.split(/[\s,]+/).filter((w) => w !== '')
}

/**
 * Splits job names: one per line, or comma separated on one line. A comma inside parentheses
 * stays, because matrix job names look like `test (ubuntu-latest, 20)`.
 */
export function splitJobNames(text: string): string[] {
  const names: string[] = []
  for (const line of text.split(/\r?\n/)) {
    let depth = 0
    let current = ''
    for (const ch of line) {
      if (ch === '(') depth++
      if (ch === ')') depth = Math.max(0, depth - 1)
      if (ch === ',' && depth === 0) {
        names.push(current)
        current = ''
      } else {
        current += ch
      }
    }
    names.push(current)
  }
  return names.map((n) => n.trim()).filter((n) => n !== '')
}
