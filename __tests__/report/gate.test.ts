// The gate's preface on its own: how the wait ended, in Markdown, from plain-text lines.
import { describe, expect, it } from '@jest/globals'
import { escapeMarkdown } from '../../src/report/escape.js'
import {
  renderGatePreface,
  renderGateTable,
  type GateCheckRow,
  type GateOutcome,
  type GateRow,
  type GateRunRow,
  type RowStanding,
  type RunExpectation
} from '../../src/report/gate.js'

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

describe('renderGateTable', () => {
  const run = (id: number, standing: RowStanding, over: Partial<GateRunRow> = {}): GateRunRow => ({
    kind: 'run',
    standing,
    status: 'completed',
    conclusion: standing === 'failed' ? 'failure' : 'success',
    url: `https://github.com/acme/app/actions/runs/${id}`,
    durationMs: 65_000,
    workflow: `W${id}`,
    runNumber: id,
    attempt: 1,
    ...over
  })
  /** The table's rows (below its heading, header and delimiter), each as its cells. */
  const rowsOf = (md: string): string[][] =>
    md
      .split('\n')
      .slice(4)
      .map((line) => line.slice(2, -2).split(' | '))
  const order = (md: string): string[] => rowsOf(md).map((cells) => cells[1] ?? '')

  it('lists what failed first, then what is pending, then what passed, then what does not count, each in the order given', () => {
    const rows: GateRow[] = [
      run(1, 'passed'),
      run(2, 'not-counted', { conclusion: 'skipped' }),
      run(3, 'pending', { status: 'in_progress', conclusion: null }),
      run(4, 'failed'),
      run(5, 'passed'),
      run(6, 'failed', { conclusion: 'timed_out' })
    ]
    const md = renderGateTable(rows)
    expect(order(md)).toEqual(['W4', 'W6', 'W3', 'W1', 'W5', 'W2'])
    expect(md).toContain('| ❌ failure | W4 | [#4](https://github.com/acme/app/actions/runs/4) | 1m 05s |')
    expect(md).toContain('| 🔄 running | W3 | [#3](https://github.com/acme/app/actions/runs/3) | 1m 05s so far |')
    expect(md).toContain('| ⏭️ skipped (not counted) | W2 |')
    expect(md.startsWith('### Runs\n\n| | Workflow or check | Run | Duration |\n|---|---|---|--:|\n')).toBe(true)
  })

  it('says failing for a run failed fast while it still runs, and names a later attempt', () => {
    const md = renderGateTable([run(7, 'failed', { status: 'in_progress', conclusion: null, attempt: 3, durationMs: null })])
    expect(md).toContain('| ❌ failing | W7 | [#7, attempt 3](https://github.com/acme/app/actions/runs/7) | — |')
  })

  it('takes external checks as rows: name, app or status, link', () => {
    const check: GateCheckRow = {
      kind: 'check',
      standing: 'failed',
      status: 'completed',
      conclusion: 'failure',
      url: 'https://vercel.com/acme/app/123',
      durationMs: null,
      name: 'Vercel – app',
      source: 'vercel'
    }
    const md = renderGateTable([run(1, 'passed'), check])
    expect(md).toContain('### Runs and checks')
    expect(order(md)).toEqual(['Vercel – app', 'W1'])
    expect(md).toContain('| ❌ failure | Vercel – app | [vercel](https://vercel.com/acme/app/123) | — |')
  })

  it("escapes names from other people's commits, and links only to http(s)", () => {
    const md = renderGateTable([
      run(1, 'failed', { workflow: '<img src=x onerror=alert(1)> | @everyone `x`\nnext', url: 'javascript:alert(1)' }),
      { kind: 'check', standing: 'pending', status: 'queued', conclusion: null, url: null, durationMs: null, name: '**bold** | [x](y)', source: '<b>app</b>' }
    ])
    expect(md).not.toContain('<img')
    expect(md).not.toContain('<b>')
    expect(md).not.toContain('javascript:')
    expect(md).not.toContain('@everyone')
    expect(md).not.toContain('**bold**')
    // Every row keeps its four cells: no pipe or line break got through.
    for (const cells of rowsOf(md)) expect(cells).toHaveLength(4)
    expect(md).toContain('| #1 |')
  })

  it('comes between the headline and the expected finishes in the preface', () => {
    const preface = renderGatePreface({ outcome: { kind: 'passed', passed: 1, waitedMs: 0 }, notCounted: [], expectations: [], rows: [run(1, 'passed')] })
    expect(preface).toBe(`## ✅ All 1 awaited run(s) succeeded (waited 0s)\n\n${renderGateTable([run(1, 'passed')])}`)
  })
})
