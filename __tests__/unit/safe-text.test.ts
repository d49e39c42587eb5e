// Untrusted text printed with `core.info` must come out as one line the runner never takes for a
// workflow command. `commandsIn` (__tests__/helpers/workflow-commands.ts) reads output the way the
// runner does. Jest prints test titles and failure diffs to the CI log, which the runner scans too:
// hostile text appears there only as `printable(...)`.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { actionsLog } from '../../src/runner/log.js'
import { LINE_BREAK_MARKER, neutralise } from '../../src/runner/safe-text.js'
import { commandsIn, printable } from '../helpers/workflow-commands.js'

// [hostile text, words a reader must still find, whether the raw text is itself a command]
const hostile: [string, string[], boolean][] = [
  ['::stop-commands::x', ['stop-commands', 'x'], true],
  ['  ::error title=a::b', ['error title=a', 'b'], true],
  ['\t::set-output name=x::y', ['set-output name=x', 'y'], true],
  ['##[set-output name=conclusion;]success', ['set-output name=conclusion;]success'], true],
  ['a ##[error]b', ['a ', 'error]b'], true],
  ['x\n::error::y', ['x', 'error', 'y'], true],
  ['x\r::error::y', ['x', 'error', 'y'], true],
  ['x\r\n##[group]y', ['x', 'group]y'], true],
  ['x\u2028::warning::y', ['x', 'warning', 'y'], false],
  ['x\u2029##[add-mask]y', ['x', 'add-mask]y'], true],
  ['::add-mask::secret', ['add-mask', 'secret'], true],
  ['%0A::error::y', ['%0A', 'error', 'y'], false],
  ['x%0D%0A::error::y', ['x%0D%0A', 'error', 'y'], false],
  [':::error::y', ['error', 'y'], true],
  ['###[error]y', ['###', 'error]y'], true],
  ['\u0085::error::y', ['error', 'y'], true],
  ['\u00A0\u3000\u2003::error::y', ['error', 'y'], true],
  ['\uFEFF::error::y', ['error', 'y'], true],
  ['::::::', [':'], true],
  ['#\n#[error]y', ['#', 'error]y'], false],
  [':\n:error::y', ['error', 'y'], false],
  ['\r\r\n\n::endgroup::', ['endgroup'], true],
  ['::error::a ##[set-output name=x]y', ['error', 'a ', 'set-output name=x]y'], true],
  [' \t\v\f::notice::x', ['notice', 'x'], true],
  ['CI #12 (run 1): ::set-env name=NODE_OPTIONS::--require /tmp/x', ['CI #12 (run 1): ', 'set-env name=NODE_OPTIONS', '--require /tmp/x'], false],
  ['\n\n::stop-commands::tok\n::error::hidden\n::tok::', ['stop-commands', 'tok', 'hidden'], true],
  ['build\u2028\u2029##[endgroup]', ['build', 'endgroup]'], true],
  ["  test: failure, step 'x\r##[error]forged'", ['test: failure, step', 'error]forged'], true]
]

describe('neutralise', () => {
  const cases = hostile.map(([text, words, rawIsCommand]) => [printable(text), text, words, rawIsCommand] as const)
  it.each(cases)('%s: one line, no command, still readable', (_title, text, words, rawIsCommand) => {
    expect(commandsIn(text).length > 0).toBe(rawIsCommand)
    const out = neutralise(text)
    expect(commandsIn(out).map(printable)).toEqual([])
    expect(printable(out)).not.toMatch(/\\u(000a|000d|2028|2029)/)
    expect(out.split(/\r\n|\r|\n/)).toHaveLength(1)
    for (const word of words) expect(printable(out)).toContain(printable(word))
  })

  it('has at least 20 hostile strings', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(20)
  })

  it('shows each line break as a marker and leaves percent text alone', () => {
    expect(neutralise('a\r\nb\rc\nd\u2028e\u2029f')).toBe(['a', 'b', 'c', 'd', 'e', 'f'].join(LINE_BREAK_MARKER))
    expect(neutralise('100% done %0A %25')).toBe('100% done %0A %25')
  })

  it('leaves ordinary progress lines as they are', () => {
    const line = 'CI #12 (run 123, attempt 2): cancel requested — https://github.com/o/r/actions/runs/123 (build: 3m 2s)'
    expect(neutralise(line)).toBe(line)
  })
})

describe('actionsLog.info', () => {
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('writes the neutralised text as one line', () => {
    const written: string[] = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    })
    // Escaped in the source too: a failure's code frame prints this line to the CI log.
    actionsLog.info('  deploy: failure\n\u003a\u003astop-commands\u003a\u003ax\r\u0023\u0023[set-output name=result]success')
    const output = written.join('')
    expect(commandsIn(output).map(printable)).toEqual([])
    expect(
      output
        .split(/\r\n|\r|\n/)
        .filter((line) => line !== '')
        .map(printable)
    ).toHaveLength(1)
    expect(output).toContain('deploy: failure')
  })
})
