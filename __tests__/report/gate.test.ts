// The gate's preface on its own: how the wait ended, in Markdown, from plain-text lines.
import { describe, expect, it } from '@jest/globals'
import { escapeMarkdown } from '../../src/report/escape.js'
import { renderGatePreface, type GateOutcome, type RunExpectation } from '../../src/report/gate.js'

const T = Date.parse('2026-11-21T10:42:00Z')

describe('renderGatePreface', () => {
  const cases: [string, GateOutcome, string[], string][] = [
    [
      'nothing found, with what did not count',
      { kind: 'none-found', message: 'Found no run' },
      ['CI run 1: skipped'],
      '## ❌ Gate failed: Found no run\n\nNot counted: CI run 1: skipped'
    ],
    [
      'cancelled, naming the runs undecided',
      { kind: 'cancelled', waitedMs: 65_000, message: 'The step was cancelled.', undecided: ['CI run 2: running'] },
      ['ignored'],
      '## 🛑 Cancelled after 1m 05s, 1 run(s) undecided\n\nThe step was cancelled.\n\n- CI run 2: running'
    ],
    [
      'cancelled with nothing undecided',
      { kind: 'cancelled', waitedMs: 5_000, message: 'Cancelled.', undecided: [] },
      [],
      '## 🛑 Cancelled after 5s\n\nCancelled.'
    ],
    [
      'timed out',
      { kind: 'timeout', message: 'Timed out after 30m 00s waiting for CI run 3.' },
      ['ignored'],
      '## ⏱️ Timed out after 30m 00s waiting for CI run 3.'
    ],
    [
      'failed',
      { kind: 'failed', failing: ['CI run 4: failure', 'Lint run 5: timed out'], awaited: 3 },
      ['Docs run 6: skipped'],
      '## ❌ 2 of 3 awaited run(s) failed\n\n- CI run 4: failure\n- Lint run 5: timed out\n\nNot counted: Docs run 6: skipped'
    ],
    ['passed', { kind: 'passed', passed: 2, waitedMs: 90_000 }, [], '## ✅ All 2 awaited run(s) succeeded (waited 1m 30s)'],
    [
      'passed, with what did not count',
      { kind: 'passed', passed: 1, waitedMs: 90_000 },
      ['Docs run 6: skipped'],
      '## ✅ All 1 awaited run(s) succeeded (waited 1m 30s)\n\nNot counted: Docs run 6: skipped'
    ]
  ]
  it.each(cases)('%s', (_name, outcome, notCounted, markdown) => {
    expect(renderGatePreface({ outcome, notCounted, expectations: [] })).toBe(markdown)
  })

  it("escapes the lines, which carry names from other people's commits", () => {
    const preface = renderGatePreface({
      outcome: { kind: 'failed', failing: ['<img src=x> run 1: failure'], awaited: 1 },
      notCounted: ['*b* run 2: skipped'],
      expectations: []
    })
    expect(preface).not.toContain('<img')
    expect(preface).not.toContain('*b*')
  })

  it("adds how each run compares with its workflow's usual time", () => {
    const expectations: RunExpectation[] = [
      { label: 'CI run 7', tookMs: 125_000, finishAt: T, sample: 20, medianMs: 120_000 },
      { label: 'E2E run 8', tookMs: null, finishAt: T, sample: 5, medianMs: 600_000 }
    ]
    expect(renderGatePreface({ outcome: { kind: 'passed', passed: 1, waitedMs: 0 }, notCounted: [], expectations })).toBe(
      `## ✅ All 1 awaited run(s) succeeded (waited 0s)\n\n- ${escapeMarkdown("CI run 7: took 2m 05s; the median of its workflow's last 20 successful runs is 2m 00s.")}\n- ${escapeMarkdown("E2E run 8: expected to finish around 10:42 UTC; the median of its workflow's last 5 successful runs is 10m 00s.")}`
    )
  })
})
