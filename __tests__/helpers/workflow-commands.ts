// Reading output the way the runner does, for tests that check untrusted text cannot forge
// workflow commands. The runner (actions/runner, Runner.Worker/ActionCommandManager.cs) splits a
// step's output into lines on `\r\n`, `\r` or `\n`; it tries the `::name params::value` form
// first (the line must start with `::` once leading whitespace is trimmed, and `name` must be a
// registered command) and only when that fails the old form (`##[`, name and params, a closing
// bracket, the value), which it finds anywhere in the line.
//
// Jest prints test titles and failure diffs to the CI log, which the runner scans too: hostile text
// must appear there only as `printable(...)`.

// .NET's TrimStart trims what JavaScript's \s does (minus U+FEFF) plus NEL (U+0085); trim both.
const LEADING_WHITESPACE = /^[\s\u0085]+/

/** The lines the runner reads from `output`. */
export function runnerLines(output: string): string[] {
  return output.split(/\r\n|\r|\n/)
}

export interface CommandLine {
  /** The whole line, as the runner reads it. */
  line: string
  /** `v2` for `::name params::value` at the start of the line, `v1` for the old `##[` form anywhere. */
  form: 'v2' | 'v1'
  /** The text between the first `::` and the second (`v2`), or from `##[` to the closing bracket (`v1`): name and params. */
  info: string
  /** What follows: the command's value. */
  data: string
  /** The line also holds the old `##[` form (meaningful for `v2` lines only: the runner then never reads it). */
  alsoLegacy: boolean
}

function legacyAt(line: string): { info: string; data: string } | null {
  const start = line.indexOf('##[')
  if (start < 0) return null
  const end = line.indexOf(']', start + 3)
  if (end < 0) return null
  return { info: line.slice(start + 3, end), data: line.slice(end + 1) }
}

/** Every line of `output` that has the shape of a workflow command, in either form. */
export function commandLinesIn(output: string): CommandLine[] {
  const found: CommandLine[] = []
  for (const line of runnerLines(output)) {
    const trimmed = line.replace(LEADING_WHITESPACE, '')
    const legacy = legacyAt(line)
    if (trimmed.startsWith('::')) {
      const end = trimmed.indexOf('::', 2)
      if (end >= 0) {
        found.push({ line, form: 'v2', info: trimmed.slice(2, end), data: trimmed.slice(end + 2), alsoLegacy: legacy !== null })
        continue
      }
    }
    if (legacy) found.push({ line, form: 'v1', ...legacy, alsoLegacy: true })
  }
  return found
}

/** The workflow commands the runner would find in `output`, one entry per command line. */
export function commandsIn(output: string): string[] {
  return commandLinesIn(output).map((command) => command.line)
}

/** `s` with `:`, `#`, `%`, `\\` and everything outside printable ASCII as `\\uXXXX`, char by char. */
export function printable(s: string): string {
  return s.replace(/[^ -~]|[:#%\\]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export interface OutputFile {
  /** Name → value, the last write winning (as the runner keeps it). */
  outputs: Record<string, string>
  /** Names in the order written, repeats included. */
  names: string[]
  /** Lines outside a `name<<DELIMITER … DELIMITER` block: the runner would read each as `name=value`. */
  stray: string[]
}

/**
 * GITHUB_OUTPUT as the runner reads it, strictly: `name<<DELIMITER`, value lines, `DELIMITER`
 * (what @actions/core writes); anything else outside such a block is reported as stray.
 */
export function readOutputFile(text: string): OutputFile {
  const result: OutputFile = { outputs: {}, names: [], stray: [] }
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const header = /^([^<=]+)<<(.+)$/.exec(line)
    if (!header) {
      result.stray.push(line)
      continue
    }
    const [, name = '', delimiter] = header
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '')
    if (i >= lines.length) result.stray.push(`${name}<<… (no closing delimiter)`)
    result.names.push(name)
    result.outputs[name] = value.join('\n')
  }
  return result
}
