// Failure triage in process: a pull request's failed job judged against the base branch's runs
// of its workflow, on histories shaped like real run lists (re-runs, cancelled runs, other
// branches and forks' `main` interleaved).
import { describe, expect, it } from '@jest/globals'
import { scenario } from '../../__fixtures__/scenarios.js'
import { history, pullRequestRun, type BaseOutcome, type HistoryOptions } from '../simulator/histories.js'
import type { RunSpec } from '../simulator/index.js'
import type { InProcessRun } from './harness.js'
import { benchPerTest, expectClean, parsed } from './setup.js'

const start = benchPerTest()

interface TriageEntry {
  job: string
  step: string | null
  kind: string
  base_branch: string
  base_run: { id: number; number: number; url: string } | null
  since: { id: number; number: number; url: string } | null
  failure_count: number
  runs_read: number
  same_error: boolean | null
}

const PR_RUN = 9000

async function summarize(
  outcomes: BaseOutcome[],
  options: Partial<HistoryOptions> = {},
  pr: RunSpec = pullRequestRun(PR_RUN),
  inputs: Record<string, string> = {}
) {
  const runs = [...history({ firstId: 100, outcomes, noise: true, ...options }), pr]
  const bench = await start(scenario(runs))
  const run = await bench.run({ command: 'summarize', 'run-id': String(pr.id), ...inputs })
  expect(run.error).toBeNull()
  expectClean(run, bench)
  return { run, runs, entries: parsed<TriageEntry[]>(run, 'triage') }
}

/** The base run (id) that the history gave outcome index `i` (its first run). */
function baseId(runs: RunSpec[], i: number): number {
  const base = runs.filter(
    (run) => run.branch === 'main' && run.headRepository === undefined && run.event !== 'workflow_dispatch' && run.event !== 'pull_request'
  )
  return (base[i] as RunSpec).id
}

const historyRequests = (run: InProcessRun) => run.requests.filter((r) => /\/actions\/workflows\/\d+\/runs$/.test(r.path))
const baseJobLists = (run: InProcessRun) => run.requests.filter((r) => /\/actions\/runs\/\d+\/jobs$/.test(r.path) && r.query.filter === 'all')
const logDownloads = (run: InProcessRun) => run.requests.filter((r) => r.origin === 'api' && /\/jobs\/\d+\/logs$/.test(r.path))

describe('failure triage', () => {
  it('new: the job passes on main (a fork’s failing `main` and a feature branch do not count)', async () => {
    const { run, runs, entries } = await summarize(['pass', 'pass', 'pass'])
    expect(entries).toEqual([
      expect.objectContaining({
        job: 'test',
        step: 'Run npm test',
        kind: 'new',
        base_branch: 'main',
        failure_count: 0,
        runs_read: 3,
        same_error: null,
        since: null
      })
    ])
    expect(entries[0]?.base_run?.id).toBe(baseId(runs, 2))
    expect(historyRequests(run)).toHaveLength(1)
    expect(historyRequests(run)[0]?.query).toMatchObject({ branch: 'main', status: 'completed', per_page: '20' })
    expect(run.summary).toContain('· **🆕 new**')
    expect(run.summary).toMatch(/_Triage: passed on main in \[#\d+\]\(https:\/\/github\.com\/octo\/app\/actions\/runs\/\d+\): new in this change\._/)
  })

  it('known: failing on main since run N, with the same error (numbers masked)', async () => {
    const { runs, entries, run } = await summarize(['pass', 'pass', 'fail', 'fail', 'fail'])
    expect(entries[0]).toMatchObject({ kind: 'known', failure_count: 3, runs_read: 5, same_error: true })
    expect(entries[0]?.since?.id).toBe(baseId(runs, 2))
    expect(entries[0]?.base_run?.id).toBe(baseId(runs, 4))
    expect(run.summary).toMatch(/failing on main since \[#\d+\]\([^)]+\), 3 runs \(newest \[#\d+\]\([^)]+\)\); same error\./)
    expect(logDownloads(run).length).toBe(2) // the run's own log and one base log
    expect(run.outputs['failure-markdown']).toContain('· **📌 known**')
  })

  it('known with a different error', async () => {
    const { entries } = await summarize(['pass', 'fail', 'fail'], { error: () => 'ECONNRESET while fetching the price list' })
    expect(entries[0]).toMatchObject({ kind: 'known', same_error: false })
  })

  it('a run on the base branch is not its own baseline', async () => {
    const push = { ...pullRequestRun(PR_RUN), event: 'push', branch: 'main', pullRequest: undefined }
    const { entries } = await summarize(['fail', 'pass'], {}, push)
    expect(entries[0]).toMatchObject({ kind: 'new', base_branch: 'main', runs_read: 2 })
  })

  it('a cancelled job is not triaged', async () => {
    const pr = pullRequestRun(PR_RUN)
    pr.attempts[0]?.jobs.push({ name: 'e2e', steps: [{ name: 'Run e2e', seconds: 5, conclusion: 'cancelled' }] })
    const { entries, run } = await summarize(['pass', 'pass'], {}, pr)
    expect(parsed<{ name: string; conclusion: string }[]>(run, 'jobs').find((job) => job.name === 'e2e')?.conclusion).toBe('cancelled')
    expect(entries.map((entry) => entry.job)).toEqual(['test'])
  })

  it('log-lines 0: no log is read, so no error is compared', async () => {
    const { entries, run } = await summarize(['pass', 'fail', 'fail'], {}, pullRequestRun(PR_RUN), { 'log-lines': '0' })
    expect(entries[0]).toMatchObject({ kind: 'known', same_error: null })
    expect(logDownloads(run)).toEqual([])
  })

  it('flaky: it failed and passed on a re-run of the same commit on main, though the newest run passed', async () => {
    const { entries, run } = await summarize(['pass', 'rerun-pass', 'pass'])
    expect(entries[0]).toMatchObject({ kind: 'flaky', same_error: true })
    expect(run.summary).toContain('**🎲 flaky**')
    expect(run.summary).toContain('failed, then passed on a re-run of')
  })

  it('flaky: two runs of one commit, the first failed and the second passed', async () => {
    const { entries } = await summarize(['pass', 'commit-pass', 'pass'])
    expect(entries[0]).toMatchObject({ kind: 'flaky' })
  })

  it('a cancelled base run is neither a failure nor a pass', async () => {
    const { runs, entries } = await summarize(['pass', 'fail', 'fail', 'cancelled'])
    expect(entries[0]).toMatchObject({ kind: 'known', failure_count: 2, runs_read: 4 })
    expect(entries[0]?.base_run?.id).toBe(baseId(runs, 2))
    expect(entries[0]?.since?.id).toBe(baseId(runs, 1))
  })

  it('unknown: a renamed job is not matched to another', async () => {
    const { entries, run } = await summarize(['pass', 'fail'], {}, pullRequestRun(PR_RUN, { job: 'unit tests' }))
    expect(entries[0]).toMatchObject({ job: 'unit tests', kind: 'unknown' })
    expect(run.summary).toContain('no job of this name in main’s newest run')
  })

  it('unknown: no runs on the base branch', async () => {
    const { entries, run } = await summarize(['fail', 'fail'], {}, pullRequestRun(PR_RUN, { base: 'release/2' }))
    expect(entries[0]).toMatchObject({ kind: 'unknown', base_branch: 'release/2', runs_read: 0 })
    expect(run.summary).toContain('no completed runs of this workflow on release/2 to compare with')
  })

  it('the base branch: the run’s pull request, else the event’s, else the default branch', async () => {
    const runs = [...history({ firstId: 100, outcomes: ['fail'], branch: 'release' }), { ...pullRequestRun(PR_RUN), pullRequest: undefined }]
    const bench = await start(scenario(runs))
    const fromEvent = await bench.run(
      { command: 'summarize', 'run-id': String(PR_RUN) },
      { event: { action: 'opened', pullRequest: { number: 7, baseRef: 'release', headSha: 'f'.repeat(40), fromFork: true } } }
    )
    expect(parsed<TriageEntry[]>(fromEvent, 'triage')[0]).toMatchObject({ kind: 'known', base_branch: 'release' })
    const fromRepository = await bench.run({ command: 'summarize', 'run-id': String(PR_RUN) })
    expect(parsed<TriageEntry[]>(fromRepository, 'triage')[0]).toMatchObject({ kind: 'unknown', base_branch: 'main' })
    expect(fromRepository.requests.some((r) => r.path === '/repos/octo/app')).toBe(true)
  })

  it('bounded: 10 jobs triaged per step, one history list, at most 5 job lists and 3 logs', async () => {
    const legs = Array.from({ length: 11 }, (_, i) => `shard ${i + 1}`)
    const outcomes: BaseOutcome[] = ['rerun-pass', 'rerun-pass', 'rerun-pass', 'rerun-pass', 'fail', 'fail']
    const { run, entries } = await summarize(outcomes, { alike: legs }, pullRequestRun(PR_RUN, { failing: legs }))
    expect(entries).toHaveLength(12)
    expect(entries.filter((entry) => entry.kind === 'flaky')).toHaveLength(10)
    expect(entries.filter((entry) => entry.kind === 'unknown' && entry.runs_read === 0)).toHaveLength(2)
    expect(historyRequests(run)).toHaveLength(1)
    // The newest run (also the newest failing one) and 3 of the 4 re-run ones.
    expect(baseJobLists(run)).toHaveLength(4)
    const ownLogs = 12
    expect(logDownloads(run).length - ownLogs).toBe(3)
    expect(entries.filter((entry) => entry.same_error !== null)).toHaveLength(3)
    expect(run.summary).toContain('not triaged: at most 10 failed jobs are compared per step')
  })

  it('triage: false spends no request on it', async () => {
    const bench = await start(scenario([...history({ firstId: 100, outcomes: ['pass', 'fail', 'fail'], noise: true }), pullRequestRun(PR_RUN)]))
    const off = await bench.run({ command: 'summarize', 'run-id': String(PR_RUN), triage: 'false' })
    expect(off.outputs.triage).toBe('[]')
    expect(historyRequests(off)).toEqual([])
    expect(baseJobLists(off)).toEqual([])
    expect(off.summary).not.toContain('Triage:')
    const on = await bench.run({ command: 'summarize', 'run-id': String(PR_RUN) })
    const triageOnly = /workflows\/\d+\/runs$|runs\/(?!9000)\d+\/jobs$|jobs\/(?!9000)\d+\/logs$|^\/logs\/(?!9000)/
    expect(on.requests.filter((r) => triageOnly.test(r.path)).length).toBeGreaterThan(0)
    expect(off.requests.map((r) => r.path)).toEqual(on.requests.map((r) => r.path).filter((path) => !triageOnly.test(path)))
  })
})
