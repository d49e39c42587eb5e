import { describe, expect, it } from '@jest/globals'
import { aJob, aRun } from '../../__fixtures__/runs.js'
import { renderActions, renderAttemptComparison } from '../../src/report/actions.js'
import { escapeMarkdown } from '../../src/report/escape.js'

describe('renderActions', () => {
  it('lists every run with what was done and counts the outcomes', () => {
    const text = renderActions('Cancel: 1 of 3 selected run(s) cancelled', [
      { run: aRun({ id: 1, runNumber: 7, conclusion: 'cancelled' }), outcome: 'done', detail: 'cancelled' },
      { run: aRun({ id: 2, runNumber: 8 }), outcome: 'skipped', detail: 'already completed (success): nothing to cancel' },
      { run: aRun({ id: 3, runNumber: 9, status: 'in_progress', conclusion: null }), outcome: 'failed', detail: 'still in_progress' }
    ])
    expect(text).toContain(`## ${escapeMarkdown('Cancel: 1 of 3 selected run(s) cancelled')}`)
    expect(text).toContain('3 run(s): 1 done, 1 skipped, 1 failed.')
    expect(text).toContain('| ✅ done | cancelled |')
    expect(text).toContain(`| ➖ skipped | ${escapeMarkdown('already completed (success): nothing to cancel')} |`)
    expect(text).toContain(`🔄 running | ❌ failed | ${escapeMarkdown('still in_progress')} |`)
  })

  it('escapes untrusted run titles and details', () => {
    const text = renderActions('Delete', [{ run: aRun({ displayTitle: '<img src=x onerror=alert(1)> | @team' }), outcome: 'planned', detail: 'pipe | <b>' }])
    expect(text).not.toContain('<img')
    expect(text).not.toContain('<b>')
    expect(text).not.toMatch(/[^\\]\| @team/)
    expect(text).toContain('📝 would do')
  })

  it('says so when nothing was selected', () => {
    expect(renderActions('Delete', [])).toContain('No run was selected.')
  })
})

describe('renderAttemptComparison', () => {
  const run = aRun({ attempt: 1, conclusion: 'failure' })
  const build = aJob({ id: 10, name: 'build' })
  const failedTest = aJob({ id: 11, name: 'test', conclusion: 'failure' })

  it('shows failed jobs then and now, and jobs carried over as not re-run', () => {
    const text = renderAttemptComparison(
      run,
      { attempt: 1, jobs: [build, failedTest] },
      { attempt: 2, jobs: [build, aJob({ id: 21, name: 'test', runAttempt: 2 })], rerunning: new Set(['test']) }
    )
    expect(text).toContain('attempt 1 → 2')
    expect(text).toMatch(/\| test \| ❌ \[failure\]\([^)]*\) \| ✅ \[success\]/)
    // build neither failed nor changed: not a row.
    expect(text).not.toMatch(/\| build \|/)
  })

  it('marks the jobs being re-run before the new attempt was waited for', () => {
    const text = renderAttemptComparison(run, { attempt: 1, jobs: [build, failedTest] }, { attempt: 2, jobs: null, rerunning: new Set(['test']) })
    expect(text).toContain('| test | ❌')
    expect(text).toContain('🔄 re-running')
  })

  it('says when nothing failed', () => {
    const text = renderAttemptComparison(run, { attempt: 1, jobs: [build] }, { attempt: 2, jobs: null, rerunning: new Set(['build']) })
    expect(text).toContain('No job failed in attempt 1.')
  })
})
