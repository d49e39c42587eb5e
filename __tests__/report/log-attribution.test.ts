// Whole-log attribution on the shapes real job logs have: every line's step, then the excerpt.
import { describe, expect, it } from '@jest/globals'
import {
  compositeThenGenericFailure,
  crashWithCleanupInTheSameSecond,
  hugeInstallJob,
  hugeInstallLog,
  logText,
  multiLineErrorOnWindows,
  type AnnotatedLog
} from '../../__fixtures__/job-logs.js'
import { attributeLines, extractExcerpts, splitLines } from '../../src/report/log-excerpt.js'

const options = { contextLines: 30, maxErrorLines: 10, maxLineLength: 500 }

async function* chunksOf(text: string, size = 97): AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size)
}

async function stepsOf(log: AnnotatedLog): Promise<number[]> {
  const steps: number[] = []
  for await (const line of attributeLines(splitLines(chunksOf(logText(log))), log.job)) steps.push(line.step ?? 0)
  return steps
}

const excerptOf = async (log: AnnotatedLog) => (await extractExcerpts(splitLines(chunksOf(logText(log))), log.job, options))[0]

describe('every line goes to the step that wrote it', () => {
  it.each([
    ['a crash whose Post and Complete job steps start in its last second', crashWithCleanupInTheSameSecond],
    ["a composite action's inner headers in the second the next step starts", compositeThenGenericFailure],
    ['a multi-line error on Windows (CRLF, BOM, lines without timestamps)', multiLineErrorOnWindows]
  ])('%s', async (_name, log) => {
    expect(await stepsOf(log)).toEqual(log.lines.map(([step]) => step))
  })
})

describe('the link to the cause', () => {
  it.each([
    ['a crash (no error line: its last line)', crashWithCleanupInTheSameSecond],
    ['a composite action, then a generic failure', compositeThenGenericFailure],
    ['a multi-line error on Windows', multiLineErrorOnWindows]
  ])('%s: the line number within the failed step', async (_name, log) => {
    const excerpt = await excerptOf(log)
    // From the annotation: the failed step's lines, numbered from 1 as GitHub's log viewer does.
    const stepLines = log.lines.filter(([step]) => step === excerpt?.stepNumber).map(([, text]) => text)
    const firstError = stepLines.findIndex((text) => /^\S+Z ##\[error\]/.test(text))
    expect(excerpt?.causeLine).toBe(firstError === -1 ? stepLines.length : firstError + 1)
  })
})

describe('the excerpt of the failed step', () => {
  it('a crash with no ##[error]: its stack trace, and none of the cleanup after it', async () => {
    const excerpt = await excerptOf(crashWithCleanupInTheSameSecond)
    expect(excerpt?.errorLines).toEqual([])
    expect(excerpt?.contextLines).toEqual([
      'Publishing 3 packages',
      'file:///home/runner/work/app/app/.github/actions/publish/index.js:41',
      "    throw new TypeError('registry answered 503');",
      '    ^',
      'TypeError: registry answered 503',
      '    at publish (file:///home/runner/work/app/app/.github/actions/publish/index.js:41:11)',
      'Node.js v24.11.0'
    ])
  })

  it('a generic exit code: the output before it, without the runner preamble', async () => {
    const excerpt = await excerptOf(compositeThenGenericFailure)
    expect(excerpt?.errorLines).toEqual(['Process completed with exit code 1.'])
    expect(excerpt?.contextLines).toEqual(['> app@1.0.0 test', '  ● cart › applies the discount', '    Expected: 90', '    Received: 100'])
  })

  it('a multi-line error is kept whole', async () => {
    const excerpt = await excerptOf(multiLineErrorOnWindows)
    expect(excerpt?.errorLines).toEqual([
      "Build failed with 2 errors:\nsrc/Cart.cs(12,5): error CS1002: ; expected\nsrc/Cart.cs(30,9): error CS0103: The name 'total' does not exist",
      'Process completed with exit code 1.'
    ])
    expect(excerpt?.contextLines).toEqual(['Restore complete (0.8s)'])
  })
})

describe('in the summary', () => {
  it('shows a multi-line error as its lines, inside <pre>', async () => {
    const { renderSummary } = await import('../../src/report/summary.js')
    const { aReport, aRun } = await import('../../__fixtures__/runs.js')
    const excerpt = await excerptOf(multiLineErrorOnWindows)
    const job = multiLineErrorOnWindows.job
    const markdown = renderSummary([aReport({ run: aRun({ conclusion: 'failure' }), jobs: [job], excerpts: new Map([[`${job.id}:2`, excerpt!]]) })], {
      nowMs: Date.parse('2026-11-21T10:10:00Z'),
      logLines: 30,
      timeline: false,
      maxBytes: 1_000_000
    })
    expect(markdown).toContain(
      'Build failed with 2 errors:\nsrc/Cart.cs(12,5): error CS1002: ; expected\nsrc/Cart.cs(30,9): error CS0103: The name &#39;total&#39; does not exist'
    )
  })
})

describe('a 20 MB log, streamed', () => {
  /** The log's bytes in 64 KiB chunks, made as they are read. */
  async function* chunks(): AsyncIterable<Uint8Array> {
    const encoder = new TextEncoder()
    let pending = ''
    let first = true
    for (const [, line] of hugeInstallLog()) {
      pending += first ? line : `\n${line}`
      first = false
      if (pending.length >= 65_536) {
        yield encoder.encode(pending)
        pending = ''
      }
    }
    yield encoder.encode(pending)
  }

  it('gives every one of its lines to the right step', async () => {
    const expected = hugeInstallLog()
    let lines = 0
    let bytes = 0
    let wrong = 0
    for await (const line of attributeLines(splitLines(chunks()), hugeInstallJob)) {
      const next = expected.next()
      if (next.done === true || next.value[0] !== (line.step ?? 0)) wrong += 1
      lines += 1
      bytes += line.text.length + 1
    }
    expect(expected.next().done).toBe(true)
    expect(wrong).toBe(0)
    expect(lines).toBeGreaterThan(150_000)
    expect(bytes).toBeGreaterThan(15 * 1024 * 1024)
  })

  it("finds the failed step's cause at its end", async () => {
    const [excerpt] = await extractExcerpts(splitLines(chunks()), hugeInstallJob, options)
    expect(excerpt?.stepNumber).toBe(3)
    expect(excerpt?.errorLines).toEqual(['Tests failed:\n  cart › applies the discount: expected 90, received 100', 'Process completed with exit code 1.'])
    expect(excerpt?.contextLines).toEqual(['FAIL src/cart.test.ts'])
    expect(excerpt?.causeLine).toBe(5)
  })
})
