import { describe, expect, it } from '@jest/globals'
import { aJob, aReport, aStep, at, T0 } from '../../__fixtures__/runs.js'
import { renderGantt } from '../../src/report/timeline.js'

const t = (s: number): number => T0 + s * 1000

describe('renderGantt', () => {
  const report = aReport({
    jobs: [
      aJob({
        name: 'build: <linux>',
        conclusion: 'failure',
        steps: [
          aStep({ number: 1, name: 'Set up job', startedAt: at(2), completedAt: at(4) }),
          aStep({ number: 2, name: 'section #1; test', conclusion: 'failure', startedAt: at(4), completedAt: at(64) }),
          aStep({ number: 3, name: 'Skipped', conclusion: 'skipped', startedAt: at(64), completedAt: at(64) })
        ]
      }),
      aJob({
        id: 2,
        name: 'deploy',
        status: 'in_progress',
        conclusion: null,
        startedAt: at(10),
        completedAt: null,
        steps: [aStep({ number: 1, name: 'Ship', status: 'in_progress', conclusion: null, startedAt: at(10), completedAt: null })]
      }),
      aJob({ id: 3, name: 'queued', status: 'queued', conclusion: null, startedAt: null, completedAt: null })
    ]
  })

  it('draws each job as a section of its steps', () => {
    expect(renderGantt(report, { nowMs: t(100), includeSteps: true })).toBe(
      [
        '```mermaid',
        'gantt',
        '    dateFormat x',
        '    axisFormat %H:%M:%S',
        '    todayMarker off',
        '    section build\uA789 \u2039linux\u203A',
        `    Set up job (2s) :done, ${t(2)}, ${t(4)}`,
        `    \u200Bsection \uFF031, test (1m 00s) :crit, ${t(4)}, ${t(64)}`,
        '    section deploy',
        `    Ship (1m 30s) :active, ${t(10)}, ${t(100)}`,
        '```'
      ].join('\n')
    )
  })

  it('draws one bar per job without steps', () => {
    expect(renderGantt(report, { nowMs: t(100), includeSteps: false })).toBe(
      [
        '```mermaid',
        'gantt',
        '    dateFormat x',
        '    axisFormat %H:%M:%S',
        '    todayMarker off',
        '    section build\uA789 \u2039linux\u203A',
        `    build\uA789 \u2039linux\u203A (1m 58s) :crit, ${t(2)}, ${t(120)}`,
        '    section deploy',
        `    deploy (1m 30s) :active, ${t(10)}, ${t(100)}`,
        '```'
      ].join('\n')
    )
  })

  it('keeps hostile names from breaking out of the diagram or its fence', () => {
    const hostile = aReport({
      jobs: [aJob({ name: 'x\n```\n<img src=x onerror=alert(1)>\n%%{init: {"theme":"dark"}}%%', steps: [] })]
    })
    const chart = renderGantt(hostile, { nowMs: t(100), includeSteps: true })
    const label = "x ''' \u2039img src=x onerror=alert(1)\u203A \uFF05\uFF05(init\uA789 (\"theme\"\uA789\"dark\"))\uFF05\uFF05"
    expect(chart.split('\n').slice(5)).toEqual([
      `    section ${label}`,
      `    ${label} (1m 58s) :done, ${t(2)}, ${t(120)}`,
      '```'
    ])
  })

  it('is empty when nothing has started', () => {
    expect(renderGantt(aReport({ jobs: [aJob({ startedAt: null, completedAt: null, status: 'queued' })] }), { nowMs: t(1), includeSteps: true })).toBe('')
  })

  it('switches the axis to hours and dates on long runs', () => {
    const long = aReport({ jobs: [aJob({ startedAt: at(0), completedAt: at(3 * 86_400) })] })
    expect(renderGantt(long, { nowMs: t(1), includeSteps: false })).toContain('axisFormat %d %b %H:%M')
  })
})
