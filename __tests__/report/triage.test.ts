// How triage shows in the summary and the `triage` output.
import { describe, expect, it } from '@jest/globals'
import { aJob, aReport, aRun, stepsInSequence, T0 } from '../../__fixtures__/runs.js'
import { renderSummary } from '../../src/report/summary.js'
import { triageEvidence, triageOutput } from '../../src/report/triage.js'
import type { BaseRun, JobTriage, TriageKind } from '../../src/triage/classify.js'

const base = (id: number): BaseRun => ({
  id,
  number: id - 800,
  url: `https://github.com/acme/app/actions/runs/${id}`,
  attempt: 1,
  headSha: 'a'.repeat(40),
  conclusion: 'failure'
})

function triage(jobId: number, job: string, kind: TriageKind, extra: Partial<JobTriage> = {}): JobTriage {
  return {
    kind,
    jobId,
    job,
    step: 'Test',
    baseBranch: 'main',
    baseRun: base(812),
    since: null,
    streak: 0,
    failureCount: 3,
    runsRead: 20,
    compareWith: null,
    sameError: null,
    ...extra
  }
}

function failing(id: number, name: string) {
  const steps = stepsInSequence(['Set up job', 'Test'], [1, 5])
  steps[1]!.conclusion = 'failure'
  return aJob({ id, name, conclusion: 'failure', htmlUrl: `https://github.com/acme/app/actions/runs/1001/job/${id}`, steps })
}

const report = aReport({
  run: aRun({ status: 'completed', conclusion: 'failure' }),
  jobs: [failing(1, 'known-job'), failing(2, 'flaky-job'), failing(3, 'new-job'), failing(4, 'mystery-job')]
})
const triaged = new Map<number, JobTriage>([
  [1, triage(1, 'known-job', 'known', { since: base(810), streak: 3, sameError: true })],
  [2, triage(2, 'flaky-job', 'flaky', { flakyBy: 'rerun' })],
  [3, triage(3, 'new-job', 'new', { failureCount: 0 })],
  [4, triage(4, 'mystery-job', 'unknown', { reason: 'not-matched' })]
])

describe('triage in the summary', () => {
  it('lists failed steps new, unknown, flaky, known, each heading with its kind and evidence', () => {
    const summary = renderSummary([report], { nowMs: T0 + 100_000, logLines: 30, timeline: false, maxBytes: 1_000_000, triage: triaged })
    const order = ['new-job › Test', 'mystery-job › Test', 'flaky-job › Test', 'known-job › Test'].map((heading) => summary.indexOf(heading))
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(summary).toContain('known-job › Test](https://github.com/acme/app/actions/runs/1001/job/1#step:2:1) · **📌 known**')
    expect(summary).toContain(
      '_Triage: failing on main since [#10](https://github.com/acme/app/actions/runs/810), 3 runs (newest [#12](https://github.com/acme/app/actions/runs/812)); same error._'
    )
  })

  it('keeps the run’s order without triage', () => {
    const summary = renderSummary([report], { nowMs: T0 + 100_000, logLines: 30, timeline: false, maxBytes: 1_000_000 })
    expect(summary.indexOf('known-job › Test')).toBeLessThan(summary.indexOf('new-job › Test'))
    expect(summary).not.toContain('Triage:')
  })

  it('escapes the branch name', () => {
    expect(triageEvidence(triage(3, 'x', 'new', { baseBranch: 'feat/<img src=x>_*' }))).not.toContain('<img')
  })
})

describe('the triage output', () => {
  it('snake_case entries in the order failures are shown', () => {
    const entries = JSON.parse(triageOutput(triaged)) as Record<string, unknown>[]
    expect(entries.map((entry) => entry.kind)).toEqual(['new', 'unknown', 'flaky', 'known'])
    expect(entries[3]).toEqual({
      job: 'known-job',
      step: 'Test',
      kind: 'known',
      base_branch: 'main',
      base_run: { id: 812, number: 12, url: 'https://github.com/acme/app/actions/runs/812' },
      since: { id: 810, number: 10, url: 'https://github.com/acme/app/actions/runs/810' },
      failure_count: 3,
      runs_read: 20,
      same_error: true
    })
  })
})
