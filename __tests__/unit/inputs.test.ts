import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { parseDuration } from '../../src/time/duration.js'
import { DEFAULTS, readSettings as readCommandSettings, splitJobNames } from '../../src/inputs/index.js'
import { INPUT_NAMES } from '../../src/inputs/names.js'
import type { ActionContext } from '../../src/runner/context.js'

const context: ActionContext = {
  repository: 'octo/app',
  runId: 42,
  runAttempt: 1,
  eventName: 'push',
  headSha: 'a'.repeat(40),
  serverUrl: 'https://github.com',
  runnerName: 'GitHub Actions 2',
  ref: 'main'
}

/** The settings of whichever command the inputs chose: each test reads the fields of the command it set. */
const readSettings = (actionContext: ActionContext): any => readCommandSettings(actionContext)

function withInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  process.env.INPUT_TOKEN = 'x'
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => withInputs({}))

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90', 90_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['7d', 604_800_000],
    [' 2m ', 120_000]
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms))

  it.each(['', '-5m', '5 m', '30m1h', '5m5m', '1.5h', 'soon', 'm'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull())
})

describe('splitJobNames', () => {
  it('keeps commas inside matrix parentheses', () => {
    expect(splitJobNames('build, test (ubuntu, 20),lint')).toEqual(['build', 'test (ubuntu, 20)', 'lint'])
  })
  it('takes one name per line', () => {
    expect(splitJobNames('a\n  b c \n\n')).toEqual(['a', 'b c'])
  })
})

describe('readSettings', () => {
  it('applies the defaults of action.yml when inputs are absent', () => {
    const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    for (const [name, value] of Object.entries(DEFAULTS)) expect([name, action.inputs[name]?.default]).toEqual([name, value])
    withInputs({})
    const settings = readSettings(context)
    expect(settings.command).toBe('summarize')
    expect(settings.selection).toEqual({ kind: 'current-run', run: { id: 42 } })
    expect(settings.step.timeoutMs).toBe(30 * 60_000)
    expect([...settings.step.allowedConclusions]).toEqual(['success', 'neutral'])
  })

  it('waits on the current commit by default', () => {
    withInputs({ command: 'wait' })
    expect(readSettings(context).selection).toEqual({
      kind: 'filters',
      workflows: [],
      filters: { head_sha: 'a'.repeat(40) },
      implicit: true
    })
  })

  it('reads run URLs with attempts, and pins the attempt input on plain ids', () => {
    withInputs({ 'run-id': 'https://github.com/octo/app/actions/runs/7/attempts/3, 8', attempt: '2' })
    expect(readSettings(context).selection).toEqual({
      kind: 'ids',
      runs: [
        { id: 7, attempt: 3 },
        { id: 8, attempt: 2 }
      ]
    })
  })

  it('refuses attempt on wait without run-id (the commit’s runs or filters), keeps it for summarize', () => {
    withInputs({ command: 'wait', attempt: '2' })
    expect(() => readSettings(context)).toThrow("Input 'attempt' has an invalid value '2': 'wait' pins an attempt only on the runs given in 'run-id'")
    withInputs({ command: 'wait', attempt: '2', branch: 'main' })
    expect(() => readSettings(context)).toThrow("Input 'attempt' has an invalid value '2'")
    withInputs({ command: 'wait', attempt: '2', 'run-id': '8' })
    expect(readSettings(context).selection).toEqual({ kind: 'ids', runs: [{ id: 8, attempt: 2 }] })
    withInputs({ command: 'summarize', attempt: '2' })
    expect(readSettings(context).selection).toEqual({ kind: 'current-run', run: { id: 42, attempt: 2 } })
  })

  it('normalises workflow paths to file names', () => {
    withInputs({ workflow: '.github/workflows/ci.yml, 123', branch: 'main' })
    expect(readSettings(context).selection).toEqual({
      kind: 'filters',
      workflows: ['ci.yml', '123'],
      filters: { branch: 'main' },
      implicit: false
    })
  })

  it('refuses an empty token', () => {
    withInputs({})
    process.env.INPUT_TOKEN = ''
    expect(() => readSettings(context)).toThrow("Input 'token' has an invalid value ''")
  })
})

describe('run ids', () => {
  it('counts the same run given twice (an id and its URL) once', () => {
    withInputs({ command: 'wait', 'run-id': '123, https://github.com/octo/app/actions/runs/123 123' })
    expect(readSettings(context).selection).toEqual({ kind: 'ids', runs: [{ id: 123 }] })
  })
})

describe('rerun-if', () => {
  const rerunIf = (pattern: string, more: Record<string, string> = {}): RegExp | null => {
    withInputs({ command: 'rerun', 'run-id': '7', 'rerun-if': pattern, ...more })
    return readSettings(context).rerun.rerunIf
  }

  it('is off when empty', () => expect(rerunIf('')).toBeNull())

  it('takes a bare pattern, or /pattern/flags', () => {
    expect(rerunIf('ECONNRESET|ETIMEDOUT')).toEqual(/ECONNRESET|ETIMEDOUT/)
    expect(rerunIf('/timed out/i')).toEqual(/timed out/i)
    expect(rerunIf('/runner (?:lost|offline)/')?.test('the runner lost communication')).toBe(true)
  })

  it.each([
    ['(unclosed', /Input 'rerun-if' has an invalid value '\(unclosed': not a valid JavaScript regular expression \(.*\)/],
    ['/x/g', /Input 'rerun-if' has an invalid value '\/x\/g': unsupported flags 'g'/],
    ['(a+)+$', /Input 'rerun-if' has an invalid value '\(a\+\)\+\$': '\(a\+\)\+' repeats a group that itself repeats/],
    ['(?:\\w+\\s?)*x', /'\(\?:\\w\+\\s\?\)\*' repeats a group that itself repeats/],
    ['((a|b){2,})+', /'\(\(a\|b\)\{2,\}\)\+' repeats a group/]
  ])('refuses %j, naming the input and the value', (pattern, message) => {
    expect(() => rerunIf(pattern)).toThrow(message)
  })

  it('accepts repetitions that cannot nest: an optional group, a class, an escaped parenthesis', () => {
    for (const pattern of ['(\\d+)?', '(ECONNRESET|ETIMEDOUT)+', '[(a+)]+', '\\(a+\\)+', '(a+){1}', '(a+)?b+']) {
      expect(rerunIf(pattern)).toBeInstanceOf(RegExp)
    }
  })

  it('refuses a pattern over 500 characters', () => {
    expect(() => rerunIf('x'.repeat(501))).toThrow(/Input 'rerun-if' has an invalid value 'x{80}…': the pattern is 501 characters long; at most 500/)
    expect(rerunIf('x'.repeat(500))).toBeInstanceOf(RegExp)
  })

  it('refuses log-lines 0 with rerun (it would read no log to match)', () => {
    expect(() => rerunIf('ECONNRESET', { 'log-lines': '0' })).toThrow(/Input 'log-lines' has an invalid value '0': 'rerun-if' reads the failed jobs' logs/)
  })
})

describe('inputs the chosen command does not use', () => {
  it('are named, not refused; defaults and what the runner fills in are not named', () => {
    withInputs({ command: 'wait', scope: 'bogus', 'older-than': '30d', keep: '0', 'job-id': '77', repository: 'octo/app' })
    const settings = readSettings(context)
    expect(settings.ignoredInputs).toEqual(['scope', 'older-than'])
  })

  it('are none when every input given is read', () => {
    withInputs({ command: 'delete', 'run-id': '7', 'older-than': '30d', keep: '2' })
    expect(readSettings(context).ignoredInputs).toEqual([])
  })

  it('are checked against the names action.yml declares', () => {
    const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> }
    expect([...INPUT_NAMES].sort()).toEqual(Object.keys(action.inputs).sort())
  })
})
