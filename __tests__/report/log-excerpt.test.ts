import { describe, expect, it } from '@jest/globals'
import { aJob, aStep } from '../../__fixtures__/runs.js'
import type { Step } from '../../src/github/types.js'
import { extractExcerpts, splitLines } from '../../src/report/log-excerpt.js'

const options = { contextLines: 3, maxErrorLines: 10, maxLineLength: 200 }

async function* fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  for (const item of items) yield item
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = []
  for await (const line of lines) out.push(line)
  return out
}

function step(number: number, name: string, start: string, end: string, conclusion = 'success'): Step {
  return aStep({ number, name, conclusion, startedAt: `2026-11-21T10:00:${start}Z`, completedAt: `2026-11-21T10:00:${end}Z` })
}

const ts = (s: string): string => `2026-11-21T10:00:${s}Z`

describe('extractExcerpts on a realistic log', () => {
  // Checkout ends and Build and Test start in the same second (05): only the `##[group]Run`
  // lines tell them apart.
  const job = aJob({
    conclusion: 'failure',
    steps: [
      step(1, 'Set up job', '00', '02'),
      step(2, 'Checkout', '02', '05'),
      step(3, 'Build', '05', '05'),
      step(4, 'Test', '05', '09', 'failure'),
      step(5, 'Skipped one', '09', '09', 'skipped'),
      step(6, 'Post Checkout', '09', '10'),
      step(7, 'Complete job', '10', '10')
    ]
  })
  const log = [
    `\uFEFF${ts('00.5000000')} Current runner version: '2.330.0'`,
    `${ts('00.6000000')} ##[group]Operating System`,
    `${ts('00.7000000')} Ubuntu`,
    `${ts('00.8000000')} ##[endgroup]`,
    `${ts('02.1000000')} ##[group]Run actions/checkout@v4`,
    `${ts('02.2000000')} with:`,
    `${ts('02.3000000')} ##[endgroup]`,
    `${ts('04.9000000')} checkout: fetching`,
    `${ts('05.1000000')} checkout: done`,
    `${ts('05.2000000')} ##[group]Run make build`,
    `${ts('05.3000000')} make: nothing to be done`,
    `${ts('05.4000000')} ##[group]Run npm test`,
    `${ts('05.5000000')} npm test`,
    `${ts('05.6000000')} ##[endgroup]`,
    `${ts('06.0000000')} > app@1.0.0 test`,
    'a line without a timestamp',
    `${ts('07.0000000')} ##[debug]debug noise`,
    `${ts('08.0000000')} FAIL test/parser.test.ts`,
    `${ts('08.1000000')} ##[error]Process completed with exit code 1.`,
    `${ts('08.2000000')} after the error`,
    `${ts('10.1000000')} Post job cleanup.`
  ]

  it('attributes lines to the right step and keeps the lines before the error', async () => {
    const excerpts = await extractExcerpts(fromArray(log), job, { ...options, contextLines: 5 })
    expect(excerpts).toEqual([
      {
        jobId: job.id,
        stepNumber: 4,
        errorLines: ['Process completed with exit code 1.'],
        // Not `make: nothing to be done` (Build, same second), nor the debug line, nor the
        // runner's preamble (`Run npm test`, the command echoed inside its group).
        contextLines: ['> app@1.0.0 test', 'a line without a timestamp', 'FAIL test/parser.test.ts'],
        truncated: false,
        // The step's 8th line: its header, the command, the end of the group, 4 lines, the error.
        causeLine: 8
      }
    ])
  })

  it('keeps only the last `contextLines` lines', async () => {
    const [excerpt] = await extractExcerpts(fromArray(log), job, options)
    expect(excerpt?.contextLines).toEqual(['> app@1.0.0 test', 'a line without a timestamp', 'FAIL test/parser.test.ts'])
  })

  it('keeps no context with contextLines 0', async () => {
    const [excerpt] = await extractExcerpts(fromArray(log), job, { ...options, contextLines: 0 })
    expect(excerpt?.contextLines).toEqual([])
    expect(excerpt?.errorLines).toEqual(['Process completed with exit code 1.'])
  })

  it('gives a step that ended without an error line its last lines', async () => {
    const cancelled = aJob({
      steps: [step(1, 'Set up job', '00', '02'), step(2, 'Checkout', '02', '05', 'cancelled'), step(3, 'Build', '05', '05')]
    })
    const [excerpt] = await extractExcerpts(fromArray(log.slice(0, 12)), cancelled, options)
    expect(excerpt).toEqual({
      jobId: cancelled.id,
      stepNumber: 2,
      errorLines: [],
      // The `##[group]Run actions/checkout@v4` … `##[endgroup]` preamble is left out.
      contextLines: ['checkout: fetching', 'checkout: done'],
      truncated: false,
      // No error line: the link goes to the step's last line.
      causeLine: 5
    })
  })

  it('gives a step reached by time its own `##[group]Run` line', async () => {
    // A ends at 03; B's header at 05.1 is past A's second, and B must not hand it on to C.
    const gapJob = aJob({
      steps: [step(1, 'Set up job', '00', '02'), step(2, 'A', '02', '03'), step(3, 'B', '05', '05', 'failure'), step(4, 'C', '05', '08', 'failure')]
    })
    const gapLog = [
      `${ts('02.1')} ##[group]Run a`,
      `${ts('02.5')} a out`,
      `${ts('05.1')} ##[group]Run b`,
      `${ts('05.2')} b out`,
      `${ts('05.25')} ##[error]b failed`,
      `${ts('05.3')} ##[group]Run c`,
      `${ts('06.0')} c out`,
      `${ts('07.0')} ##[error]c failed`
    ]
    const excerpts = await extractExcerpts(fromArray(gapLog), gapJob, options)
    expect(excerpts.map((e) => [e.stepNumber, e.contextLines, e.errorLines])).toEqual([
      [3, ['Run b', 'b out'], ['b failed']],
      [4, ['Run c', 'c out'], ['c failed']]
    ])
  })

  it('returns nothing for a job without failed steps, and reads nothing', async () => {
    let read = 0
    async function* counting(): AsyncIterable<string> {
      for (const line of log) {
        read += 1
        yield line
      }
    }
    expect(await extractExcerpts(counting(), aJob({ steps: [step(1, 'Set up job', '00', '02')] }), options)).toEqual([])
    expect(read).toBe(0)
  })

  it('stops reading once past the last failed step', async () => {
    let read = 0
    async function* counting(): AsyncIterable<string> {
      for (const line of [...log, `${ts('30.0')} way later`, `${ts('31.0')} even later`]) {
        read += 1
        yield line
      }
    }
    await extractExcerpts(counting(), job, options)
    // The last line of `log` (10.1) is past Test's completion second: nothing after it is read.
    expect(read).toBe(log.length)
  })
})

describe('extractExcerpts on a 200,000-line log', () => {
  const job = aJob({
    steps: [
      aStep({ number: 1, name: 'Set up job', startedAt: '2026-11-21T10:00:00Z', completedAt: '2026-11-21T10:00:01Z' }),
      aStep({ number: 2, name: 'Soak', conclusion: 'failure', startedAt: '2026-11-21T10:00:01Z', completedAt: '2026-11-21T11:00:00Z' })
    ]
  })

  async function* hugeLog(): AsyncIterable<string> {
    yield '2026-11-21T10:00:00.1Z setting up'
    yield '2026-11-21T10:00:01.1Z ##[group]Run ./soak.sh'
    for (let i = 0; i < 200_000; i++) {
      const second = 2 + Math.floor(i / 100)
      const stamp = `2026-11-21T10:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.5Z`
      if (i === 150_000) yield `${stamp} ${'x'.repeat(10_000)}`
      if (i >= 199_990) yield `${stamp} ##[error]failure number ${i}`
      else yield `${stamp} line ${i}`
    }
  }

  it('keeps a bounded excerpt: the last context lines, capped error lines, cut long lines', async () => {
    const [excerpt] = await extractExcerpts(hugeLog(), job, { contextLines: 4, maxErrorLines: 3, maxLineLength: 50 })
    expect(excerpt).toEqual({
      jobId: job.id,
      stepNumber: 2,
      errorLines: ['failure number 199990', 'failure number 199991', 'failure number 199992'],
      contextLines: ['line 199986', 'line 199987', 'line 199988', 'line 199989'],
      truncated: true,
      // The header, 199,990 lines and the long one come before the first error line.
      causeLine: 199_993
    })
  })

  it('cuts over-long lines with an ellipsis', async () => {
    const [excerpt] = await extractExcerpts(hugeLog(), job, { contextLines: 200_000, maxErrorLines: 1, maxLineLength: 50 })
    const long = excerpt?.contextLines.find((l) => l.startsWith('xxx'))
    expect(long).toBe(`${'x'.repeat(49)}…`)
    // The header, lines 0 to 199,989 and the long line.
    expect(excerpt?.contextLines).toHaveLength(199_992)
  })
})

describe('splitLines', () => {
  it('decodes characters split between chunks and CRLF split between chunks, dropping the BOM', async () => {
    const bytes = new TextEncoder().encode('\uFEFFfirst €uro 🚀\r\nsecond ✓\r\nthird')
    // Cut inside the euro sign, inside the rocket, and between \r and \n.
    const euro = bytes.indexOf(0xe2)
    const rocket = bytes.indexOf(0xf0)
    const cr = bytes.indexOf(0x0d)
    const chunks = [bytes.slice(0, euro + 1), bytes.slice(euro + 1, rocket + 2), bytes.slice(rocket + 2, cr + 1), bytes.slice(cr + 1)]
    expect(await collect(splitLines(fromArray(chunks)))).toEqual(['first €uro 🚀', 'second ✓', 'third'])
  })

  it('accepts text chunks, empty lines and a trailing newline', async () => {
    expect(await collect(splitLines(fromArray(['a\n\nb', 'c\n'])))).toEqual(['a', '', 'bc'])
  })

  it('caps a runaway line', async () => {
    const lines = await collect(splitLines(fromArray(['y'.repeat(30), 'y'.repeat(30), 'z\nnext']), { maxLineLength: 40 }))
    expect(lines).toEqual(['y'.repeat(40), 'next'])
  })

  it('feeds extractExcerpts with a BOM-prefixed, CRLF log', async () => {
    const job = aJob({ steps: [step(1, 'Set up job', '00', '01'), step(2, 'Go', '01', '03', 'failure')] })
    const text = `\uFEFF${ts('00.1')} setup\r\n${ts('01.2')} ##[group]Run go\r\n${ts('02.0')} ünïcödé\r\n${ts('02.5')} ##[error]boom ✗\r\n`
    const bytes = new TextEncoder().encode(text)
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.slice(i * 7, i * 7 + 7))
    const [excerpt] = await extractExcerpts(splitLines(fromArray(chunks)), job, options)
    expect(excerpt?.contextLines).toEqual(['Run go', 'ünïcödé'])
    expect(excerpt?.errorLines).toEqual(['boom ✗'])
  })
})
