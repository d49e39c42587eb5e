// `rerun-only-flaky`: the failed jobs are re-run only when every one is triaged flaky against the
// base branch (with `rerun-if` too: each is flaky or matches it).
import { describe, expect, it } from '@jest/globals'
import { scenario } from '../../__fixtures__/scenarios.js'
import { history, pullRequestRun, type BaseOutcome } from '../simulator/histories.js'
import { summaryText } from '../helpers/summary-text.js'
import { benchPerTest, expectClean, writes } from './setup.js'

const start = benchPerTest()
const PR_RUN = 9000

async function rerun(outcomes: BaseOutcome[], inputs: Record<string, string> = {}, failing: string[] = []) {
  const bench = await start(scenario([...history({ firstId: 100, outcomes, noise: true }), pullRequestRun(PR_RUN, { failing })]))
  const run = await bench.run({ command: 'rerun', 'run-id': String(PR_RUN), 'rerun-only-flaky': 'true', ...inputs })
  expectClean(run, bench)
  return run
}

const RERUN = `POST /repos/octo/app/actions/runs/${PR_RUN}/rerun-failed-jobs`

describe('rerun-only-flaky', () => {
  it('re-runs the failed jobs when each is triaged flaky', async () => {
    const run = await rerun(['pass', 'rerun-pass', 'pass'])
    expect(run.error).toBeNull()
    expect(writes(run)).toEqual([RERUN])
    expect(run.outputs.reran).toBe('true')
    expect(summaryText(run.summary)).toContain("every failed job is triaged flaky: 'test'")
  })

  it('leaves the run alone when a failed job is new (not an error)', async () => {
    const run = await rerun(['pass', 'pass'])
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual([])
    expect(run.outputs.reran).toBe('false')
    expect(summaryText(run.summary)).toContain("job 'test' is triaged new, not flaky")
  })

  it('leaves it alone when only some failed jobs are flaky', async () => {
    const run = await rerun(['pass', 'rerun-pass', 'pass'], {}, ['lint'])
    expect(writes(run)).toEqual([])
    expect(summaryText(run.summary)).toContain("job 'lint' is triaged unknown, not flaky")
  })

  it('with rerun-if: each failed job is flaky or matches it', async () => {
    const matching = await rerun(['pass', 'rerun-pass', 'pass'], { 'rerun-if': 'checkout\\.test\\.ts' }, ['lint'])
    expect(writes(matching)).toEqual([RERUN])
    expect(summaryText(matching.summary)).toContain("triaged flaky: 'test'; the others: every failure matches rerun-if")
  })

  it('refuses triage: false, scope: all and job, before any request', async () => {
    const bench = await start(scenario([pullRequestRun(PR_RUN)]))
    for (const [inputs, words] of [
      [{ triage: 'false' }, "'triage' is false"],
      [{ scope: 'all' }, "not with 'scope: all' or 'job'"],
      [{ job: 'test' }, "not with 'scope: all' or 'job'"]
    ] as const) {
      const run = await bench.run({ command: 'rerun', 'run-id': String(PR_RUN), 'rerun-only-flaky': 'true', ...inputs })
      expect(run.error).toContain("Input 'rerun-only-flaky'")
      expect(run.error).toContain(words)
      expect(run.requests).toEqual([])
    }
  })
})
