// The gate's summary and what it reads (INTERFACE.md, "The gate's summary"): one table of every
// run, failed first; job and step detail only for runs that did not pass, or were given by id;
// no job list of a run that passed, unless `job` patterns must be matched in it. Requests are
// counted from the simulator's record, in process on a fake clock.
import { describe, expect, it } from '@jest/globals'
import { ciRun, ok, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { RecordedRequest } from '../simulator/index.js'
import type { InProcessRun } from './harness.js'
import { benchPerTest, expectClean, parsed } from './setup.js'

const start = benchPerTest()
const gate = { command: 'wait', 'poll-interval': '5s', 'appear-timeout': '5s' }
const onCommit = { headSha: SHA, runId: 9999 }

/** The runs whose job list the simulator served (any attempt), sorted. */
function jobListsRead(requests: readonly RecordedRequest[]): number[] {
  const ids = requests.filter((r) => r.origin === 'api').flatMap((r) => /\/actions\/runs\/(\d+)(?:\/attempts\/\d+)?\/jobs$/.exec(r.path)?.[1] ?? [])
  return [...new Set(ids.map(Number))].sort((a, b) => a - b)
}

/** The runs shown in full: each has a header linking to it. */
const detailed = (markdown: string): string[] => [...markdown.matchAll(/\[view run\]\(\S+\/actions\/runs\/(\d+)\)/g)].map((m) => m[1] ?? '')

/** The runs of the gate's table, top to bottom. */
const tableRows = (run: InProcessRun): string[] =>
  [...(run.summary ?? '').matchAll(/^\| .+ \| \[#\d+\]\(\S+\/actions\/runs\/(\d+)\) \| .+ \|$/gm)].map((m) => m[1] ?? '')

/** Twelve runs of two workflows, starting a second apart; `failing`: the one whose test fails. */
function twelveRuns(failing?: number) {
  return Array.from({ length: 12 }, (_, i) => ciRun(700 + i, { workflow: i % 2 ? 'lint.yml' : 'ci.yml', at: i, fail: 700 + i === failing }))
}

describe("a gate's summary", () => {
  it('reads no job list of a run that passed, and lists every run in one table', async () => {
    const bench = await start(scenario(twelveRuns()))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(jobListsRead(bench.sim.requests)).toEqual([])
    expect(tableRows(run)).toHaveLength(12)
    expect(detailed(run.summary ?? '')).toEqual([])
    // The outputs still describe every run; the jobs of runs that passed were not read.
    expect(parsed<number[]>(run, 'run-ids')).toHaveLength(12)
    expect(parsed<unknown[]>(run, 'jobs')).toEqual([])
    expectClean(run, bench)
  })

  it('still reads the job list and log of the run that failed, shows it in full, and lists it first', async () => {
    const bench = await start(scenario(twelveRuns(707)))
    const run = await bench.run({ ...gate, 'fail-fast': 'false' }, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(jobListsRead(bench.sim.requests)).toEqual([707])
    expect(detailed(run.summary ?? '')).toEqual(['707'])
    expect(run.summary).toContain('test › Run npm test')
    expect(run.summary).toContain('Received: 100')
    expect(tableRows(run)[0]).toBe('707')
    expect(tableRows(run)).toHaveLength(12)
    expect(parsed<{ run_id: number }[]>(run, 'jobs').map((job) => job.run_id)).toEqual([707, 707])
    expect(parsed<string[]>(run, 'failed-jobs')).toEqual(['test'])
  })

  it('reads the job lists of passing runs when `job` patterns must be matched in them', async () => {
    // Completed before the gate starts: judged at the first look, not while their jobs ran.
    const runs = [0, 1, 2, 3].map((i) => ciRun(700 + i, { workflow: i % 2 ? 'lint.yml' : 'ci.yml', at: -60 }))
    const bench = await start(scenario(runs))
    const run = await bench.run({ ...gate, job: 'build' }, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(jobListsRead(bench.sim.requests)).toEqual([700, 701, 702, 703])
    expect(parsed<{ name: string }[]>(run, 'jobs').filter((job) => job.name === 'build')).toHaveLength(4)
  })

  it('shows a run given by run-id in full, passed or not', async () => {
    const bench = await start(scenario([ciRun(700), ciRun(701, { workflow: 'lint.yml' })]))
    const run = await bench.run({ ...gate, 'run-id': '700 701' })
    expect(run.verdict.result).toBe('success')
    expect(jobListsRead(bench.sim.requests)).toEqual([700, 701])
    expect(detailed(run.summary ?? '').sort()).toEqual(['700', '701'])
    expect(tableRows(run)).toHaveLength(2)
  })

  it('shows a run still going at the timeout in full, after the failed ones and before those that passed', async () => {
    // The run that passes is the newer: listed first, shown last.
    const slow = ciRun(720, { at: -30 })
    slow.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 600))
    const bench = await start(scenario([ciRun(721, { workflow: 'lint.yml', at: -1 }), slow]))
    const run = await bench.run({ ...gate, timeout: '40s' }, onCommit)
    expect(run.verdict.result).toBe('timeout')
    expect(tableRows(run)).toEqual(['720', '721'])
    expect(run.summary).toMatch(/^\| 🔄 running \| CI \| \[#\d+\]\(\S+\/runs\/720\) \| .+ so far \|$/m)
    expect(detailed(run.summary ?? '')).toEqual(['720'])
  })

  it('a one-look gate reads no job list of a run that passed either', async () => {
    const runs = twelveRuns().slice(0, 3)
    const bench = await start({ ...scenario(runs), pullRequests: [] })
    await bench.clock.sleep(120_000)
    const run = await bench.run(
      { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml, lint.yml' },
      { ...onCommit, eventName: 'workflow_run' }
    )
    expect(run.outputs['status-state']).toBe('success')
    expect(jobListsRead(bench.sim.requests)).toEqual([])
    expect(tableRows(run)).toHaveLength(3)
    expect(detailed(run.summary ?? '')).toEqual([])
  })
})
