import { describe, expect, it } from '@jest/globals'
import { aJob, aReport, aRun, aStep, at } from '../../__fixtures__/runs.js'
import { T0 } from '../../__fixtures__/runs.js'
import { renderGantt } from '../../src/report/timeline.js'
import { expectMermaidParses } from '../mermaid.js'

const t = (s: number): number => T0 + s * 1000
const HEAD = ['```mermaid', '---', 'displayMode: compact', '---', 'gantt', '    dateFormat x']
/** The task and section lines, without the fence and the settings. */
const body = (chart: string): string[] =>
  chart.split('\n').filter((line) => line.startsWith('    ') && !/^    (dateFormat|axisFormat|tickInterval|todayMarker) /.test(line))

describe('renderGantt', () => {
  // The run started at 0; build was created at 0, got a runner at 2 and failed at 120.
  const build = aJob({
    name: 'build: <linux>',
    conclusion: 'failure',
    steps: [
      aStep({ number: 1, name: 'Set up job', startedAt: at(2), completedAt: at(3) }),
      aStep({ number: 2, name: 'Install', startedAt: at(3), completedAt: at(40) }),
      aStep({ number: 3, name: 'section #1; test', conclusion: 'failure', startedAt: at(40), completedAt: at(118) }),
      aStep({ number: 4, name: 'Skipped', conclusion: 'skipped', startedAt: at(118), completedAt: at(118) }),
      aStep({ number: 5, name: 'Complete job', startedAt: at(118), completedAt: at(120) })
    ]
  })
  const deploy = aJob({
    id: 2,
    name: 'deploy',
    status: 'in_progress',
    conclusion: null,
    createdAt: at(0),
    startedAt: at(10),
    completedAt: null,
    steps: [aStep({ number: 1, name: 'Ship', status: 'in_progress', conclusion: null, startedAt: at(10), completedAt: null })]
  })
  const waiting = aJob({ id: 3, name: 'waiting', status: 'queued', conclusion: null, createdAt: at(50), startedAt: at(50), completedAt: null })
  const report = aReport({ jobs: [build, deploy, waiting] })

  it('counts the axis from the run start in seconds, draws queue time, and steps that matter', () => {
    const chart = renderGantt(report, { nowMs: t(150), includeSteps: true })
    expect(chart.split('\n').slice(0, 9)).toEqual([...HEAD, '    axisFormat %s s', '    tickInterval 15second', '    todayMarker off'])
    expect(body(chart)).toEqual([
      // The run as a whole first: the axis starts at its start.
      '    section CI',
      '    2m 30s :done, 0, 150000',
      '    section build\uA789 \u2039linux\u203A',
      // The section names the job; its bar gives the time it ran. A 2-second queue (under 2%
      // of the axis) gets no bar.
      '    1m 58s :crit, 2000, 120000',
      // "Set up job", "Complete job" (under 10% of the job) and the skipped step get no bar.
      '    Install 37s :done, 3000, 40000',
      '    \u200Bsection \uFF031, test 1m 18s :crit, 40000, 118000',
      '    section deploy',
      // A queue bar too narrow for its words gets the hourglass.
      '    ⏳ :0, 10000',
      '    2m 20s :active, 10000, 150000',
      '    Ship 2m 20s :active, 10000, 150000',
      '    section waiting',
      '    queued 1m 40s :50000, 150000'
    ])
  })

  it('draws one bar per job without steps', () => {
    const chart = renderGantt(report, { nowMs: t(150), includeSteps: false })
    expect(body(chart).filter((line) => !line.includes('section'))).toEqual([
      '    2m 30s :done, 0, 150000',
      '    1m 58s :crit, 2000, 120000',
      '    ⏳ :0, 10000',
      '    2m 20s :active, 10000, 150000',
      '    queued 1m 40s :50000, 150000'
    ])
  })

  it('draws the steps of the slowest and the failed jobs only, in a larger run', () => {
    const steps = [aStep({ number: 1, name: 'work', startedAt: at(2), completedAt: at(100) })]
    const jobs = [1, 2, 3, 4].map((id) => aJob({ id, name: `job ${id}`, steps, completedAt: at(id === 3 ? 110 : 100) }))
    const lines = body(renderGantt(aReport({ jobs }), { nowMs: t(200), includeSteps: true }))
    expect(lines.filter((line) => line.startsWith('    work'))).toHaveLength(1)
    expect(lines[lines.indexOf('    section job 3') + 2]).toBe('    work 1m 38s :done, 2000, 100000')
  })

  it('counts from the run start, not from the first job', () => {
    const late = aReport({ run: aRun({ runStartedAt: at(0) }), jobs: [aJob({ createdAt: at(30), startedAt: at(40), completedAt: at(100) })] })
    expect(body(renderGantt(late, { nowMs: t(200), includeSteps: false }))).toEqual([
      '    section CI',
      '    1m 40s :done, 0, 100000',
      '    section build',
      '    queued 10s :30000, 40000',
      '    1m 00s :done, 40000, 100000'
    ])
  })

  it('switches the unit to minutes, then hours, with ticks that divide a minute', () => {
    const minutes = renderGantt(aReport({ jobs: [aJob({ createdAt: at(0), startedAt: at(0), completedAt: at(40 * 60) })] }), {
      nowMs: t(1),
      includeSteps: false
    })
    expect(minutes).toContain('    axisFormat %s min\n    tickInterval 5second\n')
    // One chart second is one minute: the 40-minute job ends at chart second 40.
    expect(minutes).toContain('    40m 00s :done, 0, 40000')
    const hours = renderGantt(aReport({ jobs: [aJob({ createdAt: at(0), startedAt: at(0), completedAt: at(3 * 86_400) })] }), {
      nowMs: t(1),
      includeSteps: false
    })
    expect(hours).toContain('    axisFormat %s h\n    tickInterval 10second\n')
  })

  it('keeps a one-second job visible on a long axis', () => {
    const jobs = [
      aJob({ id: 1, name: 'long', createdAt: at(0), startedAt: at(0), completedAt: at(3600) }),
      aJob({ id: 2, name: 'blip', createdAt: at(10), startedAt: at(10), completedAt: at(10) })
    ]
    const lines = body(renderGantt(aReport({ jobs }), { nowMs: t(1), includeSteps: false }))
    // 0.4% of 60 minutes is 14.4 s, i.e. 240 chart milliseconds at one minute per chart second.
    expect(lines).toContain('    0s :done, 167, 407')
  })

  it('folds a large run into failed jobs and one bar per matrix family, whatever its size', async () => {
    const legs = Array.from({ length: 256 }, (_, i) =>
      aJob({
        id: 100 + i,
        name: `test (node ${i % 4}, shard ${i})`,
        createdAt: at(0),
        startedAt: at(5 + (i % 7)),
        completedAt: at(60 + i),
        conclusion: i === 77 ? 'failure' : 'success'
      })
    )
    const chart = renderGantt(aReport({ jobs: [aJob({ id: 1, name: 'lint' }), ...legs] }), { nowMs: t(400), includeSteps: true })
    const sections = body(chart).filter((line) => line.startsWith('    section '))
    expect(sections).toEqual(['    section CI', '    section test (node 1, shard 77)', '    section lint', '    section test'])
    // Past 5 minutes the unit is the minute: chart second 5.25 is 5 min 15 s.
    expect(chart).toContain('    test × 255, 55s–5m 07s each :done, 83, 5250')
    expect(chart.split('\n').length).toBeLessThan(20)
    await expectMermaidParses(chart)
  })

  it('keeps hostile names from breaking out of the diagram or its fence', async () => {
    const name = 'x\n```\n<img src=x onerror=alert(1)>\n%%{init: {"theme":"dark"}}%%'
    // As a section title and as a task label (a step's).
    const hostile = aReport({ jobs: [aJob({ name, steps: [aStep({ name, startedAt: at(2), completedAt: at(120) })] })] })
    const chart = renderGantt(hostile, { nowMs: t(100), includeSteps: true })
    const label = 'x \'\'\' \u2039img src=x onerror=alert(1)\u203A \uFF05\uFF05(init\uA789 ("theme"\uA789"dark"))\uFF05\uFF05'
    expect(body(chart)).toEqual([
      '    section CI',
      '    2m 00s :done, 0, 120000',
      `    section ${label}`,
      '    1m 58s :done, 2000, 120000',
      `    ${label} 1m 58s :done, 2000, 120000`
    ])
    await expectMermaidParses(chart)
  })

  it('makes charts mermaid accepts', async () => {
    for (const includeSteps of [true, false]) expect(await expectMermaidParses(renderGantt(report, { nowMs: t(150), includeSteps }))).toBe(1)
  })

  it('is empty when nothing has started or been queued', () => {
    expect(
      renderGantt(aReport({ jobs: [aJob({ createdAt: '', startedAt: null, completedAt: null, status: 'queued' })] }), { nowMs: t(1), includeSteps: true })
    ).toBe('')
  })
})
