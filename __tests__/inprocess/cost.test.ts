// Requests spent only on information: what `wait` and `summarize` read, and what they leave alone.
import { describe, expect, it } from '@jest/globals'
import { ciRun, ok, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { InProcessRun } from './harness.js'
import { benchPerTest, expectClean } from './setup.js'

const start = benchPerTest()
const REPO = '/repos/octo/app/actions'
const paths = (run: InProcessRun, pattern: RegExp): string[] => run.requests.filter((r) => r.origin === 'api' && pattern.test(r.path)).map((r) => r.path)

describe('the summary’s extra reads', () => {
  it('reads neither /timing nor /approvals for a run that never waited on an environment', async () => {
    const bench = await start(scenario([ciRun(1500, { at: -60 })]))
    const run = await bench.run({ command: 'wait', 'run-id': '1500' })
    expect(run.verdict.result).toBe('success')
    expect(paths(run, /\/(timing|approvals)$/)).toEqual([])
    expect(run.summary).not.toContain('billable')
    expectClean(run, bench)
  })

  it('reads /timing when billable-time is on, and says nothing when it is gone (410)', async () => {
    const bench = await start(scenario([ciRun(1501, { at: -60 })]))
    expect(paths(await bench.run({ command: 'wait', 'run-id': '1501', 'billable-time': 'true' }), /\/timing$/)).toEqual([`${REPO}/runs/1501/timing`])
    bench.sim.inject({ path: `${REPO}/runs/1501/timing`, kind: 'status', status: 410, body: { message: 'Gone' } })
    const gone = await bench.run({ command: 'summarize', 'run-id': '1501', 'billable-time': 'true' })
    expect(gone.verdict.result).toBe('success')
    expect(gone.log.filter((line) => line.startsWith('warning:'))).toEqual([])
    expect(gone.summary).not.toContain('Could not read')
  })

  it('reads the approvals of a run it saw waiting on an environment', async () => {
    const held = {
      ...ciRun(1502, { at: -5 }),
      attempts: [{ at: -5, hold: { status: 'waiting' as const, until: 30 }, jobs: [{ name: 'deploy', steps: [ok('Run ./deploy', 5)] }] }],
      approvals: [{ user: 'alice', state: 'approved' as const, environments: ['production'], comment: 'go' }],
      pendingDeployments: [{ environment: 'production', id: 1 }]
    }
    const bench = await start(scenario([held]))
    const run = await bench.run({ command: 'wait', 'run-id': '1502', 'poll-interval': '5s' })
    expect(run.verdict.result).toBe('success')
    expect(paths(run, /\/approvals$/)).toEqual([`${REPO}/runs/1502/approvals`])
    expect(run.summary).toContain('approved by alice')
  })

  it('summarize, which knows nothing of a run’s past, still reads its approvals', async () => {
    const bench = await start(scenario([ciRun(1503, { at: -60 })]))
    expect(paths(await bench.run({ command: 'summarize', 'run-id': '1503' }), /\/approvals$/)).toEqual([`${REPO}/runs/1503/approvals`])
  })
})

describe('job lists, only when they can change a decision', () => {
  const twentyJobs = {
    id: 1510,
    workflow: 'ci.yml',
    attempts: [
      {
        at: 0,
        jobs: [
          { name: 'build', steps: [ok('Run make', 30)] },
          ...Array.from({ length: 19 }, (_, i) => ({ name: `test ${i}`, needs: ['build'], steps: [ok('Run tests', 60 + i * 8)] }))
        ]
      }
    ]
  }
  const jobReads = (run: InProcessRun): number => paths(run, /\/jobs$/).length

  it('without fail-fast: the final list only (the summary uses it)', async () => {
    const bench = await start(scenario([twentyJobs]))
    const run = await bench.run({ command: 'wait', 'run-id': '1510', 'poll-interval': '10s', 'fail-fast': 'false' })
    expect(run.verdict.result).toBe('success')
    expect(jobReads(run)).toBe(1)
    expect(run.summary).toContain('test 18')
  })

  const checkRunReads = (run: InProcessRun) => run.requests.filter((r) => r.origin === 'api' && r.path.endsWith('/check-runs'))
  const refuseCheckRuns = {
    path: /\/check-runs$/,
    kind: 'status' as const,
    status: 403,
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/checks/runs#list-check-runs-in-a-check-suite',
      status: '403'
    }
  }

  it('with fail-fast: the completed check runs every 30 s (a free 304 until a job finishes), the job list only at the end', async () => {
    const bench = await start(scenario([twentyJobs]))
    const run = await bench.run({ command: 'wait', 'run-id': '1510', 'poll-interval': '10s' })
    expect(run.verdict.result).toBe('success')
    expect(jobReads(run)).toBe(1)
    const reads = checkRunReads(run)
    const gaps = reads.slice(1).map((r, i) => r.atMs - (reads[i]?.atMs ?? 0))
    expect(gaps.every((gap) => gap >= 30_000)).toBe(true)
    expect(reads.length).toBeGreaterThan(5)
    // A 200 only when some job finished since the last look (jobs finish at 10 distinct seconds
    // here, spread over a minute and a half); the 304s are free.
    expect(reads.filter((r) => r.counted).length).toBeLessThan(reads.length)
    // Its own suite's list, not the commit's: other runs of the commit cannot make it change.
    expect(reads.every((r) => r.path.includes('/check-suites/'))).toBe(true)
    expect(run.log.join('\n')).toMatch(/ {2}test 3: success in 1m/)
  })

  it('without checks: read, fail-fast falls back to a job list every 30 s, and says so once', async () => {
    const bench = await start(scenario([twentyJobs]))
    bench.sim.inject({ ...refuseCheckRuns, times: 100 })
    const run = await bench.run({ command: 'wait', 'run-id': '1510', 'poll-interval': '10s' })
    expect(run.verdict.result).toBe('success')
    expect(checkRunReads(run)).toHaveLength(1)
    expect(run.log.filter((line) => line.includes("needs 'checks: read'"))).toHaveLength(1)
    const reads = run.requests.filter((r) => r.path.endsWith('/jobs')).map((r) => r.atMs)
    const gaps = reads.slice(1, -1).map((t, i) => t - (reads[i] ?? 0))
    expect(reads.length).toBeGreaterThan(3)
    expect(gaps.every((gap) => gap >= 30_000)).toBe(true)
    expect(reads.length).toBeLessThanOrEqual(Math.ceil(run.tookMs / 30_000) + 1)
    expect(run.log.filter((line) => line.startsWith('warning:'))).toEqual([])
  })

  it('a secondary rate limit on the check runs is waited out, not taken for a missing permission', async () => {
    const bench = await start(scenario([twentyJobs]))
    bench.sim.inject({ path: /\/check-runs$/, kind: 'secondary-rate-limit', retryAfter: 1, times: 1 })
    const run = await bench.run({ command: 'wait', 'run-id': '1510', 'poll-interval': '10s' })
    expect(run.verdict.result).toBe('success')
    expect(run.log.join('\n')).not.toContain("needs 'checks: read'")
    expect(run.log.filter((line) => line.startsWith('warning:'))).toEqual([
      expect.stringMatching(/^warning: GitHub secondary rate limit hit; retrying in 1s \(GET .*\/check-runs/)
    ])
    expect(checkRunReads(run).length).toBeGreaterThan(5)
    expect(jobReads(run)).toBe(1)
  })

  it('with fail-fast: no look before a job can have failed, so a run over in 30 s costs the final list only', async () => {
    const bench = await start(scenario([ciRun(1511)]))
    const run = await bench.run({ command: 'wait', 'run-id': '1511', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    expect(jobReads(run)).toBe(1)
  })

  it('with fail-fast: a run that started long ago may already hold a failed job, so it is looked at at once', async () => {
    const old = await start(scenario([{ ...ciRun(1512, { at: -300 }), attempts: [{ at: -300, jobs: [{ name: 'build', steps: [ok('Run make', 600)] }] }] }]))
    const stopped = await old.run({ command: 'wait', 'run-id': '1512', 'poll-interval': '1s' }, {}, { stopAfterMs: 5_000 })
    expect(checkRunReads(stopped).map((r) => r.atMs - old.sim.requests[0]!.atMs)).toEqual([0])
  })

  it('…and so is its job list, without checks: read', async () => {
    const old = await start(scenario([{ ...ciRun(1513, { at: -300 }), attempts: [{ at: -300, jobs: [{ name: 'build', steps: [ok('Run make', 600)] }] }] }]))
    old.sim.inject({ ...refuseCheckRuns, times: 10 })
    const stopped = await old.run({ command: 'wait', 'run-id': '1513', 'poll-interval': '1s' }, {}, { stopAfterMs: 5_000 })
    expect(stopped.requests.filter((r) => r.path.endsWith('/jobs')).map((r) => r.atMs - old.sim.requests[0]!.atMs)).toEqual([0])
  })

  /** The run this step is in: its own job `gate`, and six jobs of 30 one-second steps ending 10 s apart. */
  const currentRun = {
    id: 1520,
    workflow: 'ci.yml',
    sha: SHA,
    attempts: [
      {
        at: 0,
        jobs: [
          { name: 'gate', runnerName: 'GitHub Actions 1', steps: [ok('Run run-control', 600)] },
          ...Array.from({ length: 6 }, (_, i) => ({ name: `part ${i}`, steps: Array.from({ length: 30 + i * 10 }, (_, s) => ok(`Run step ${s}`, 1)) }))
        ]
      }
    ]
  }
  const ownJob = String(1520 * 100000 + 1 * 1000 + 0)

  it('waiting on the other jobs of its own run: their list is read when one of them ended, not at every poll', async () => {
    const bench = await start(scenario([currentRun]))
    const run = await bench.run({ command: 'wait', 'run-id': '1520', 'job-id': ownJob, 'poll-interval': '2s' }, { runId: 1520 })
    expect(run.verdict.result).toBe('success')
    const polls = paths(run, /\/runs\/1520$/).length
    // The first read, one per job ending (six), and the confirming read: not one per 2 s poll.
    expect(polls).toBeGreaterThan(30)
    expect(jobReads(run)).toBeLessThanOrEqual(1 + 6 + 2)
    expect(checkRunReads(run).length).toBeGreaterThan(20)
    expect(run.log.join('\n')).toMatch(/ {2}part 5: success in 1m 22s/)
  })

  it('…and at every poll without checks: read, as before', async () => {
    const bench = await start(scenario([currentRun]))
    bench.sim.inject({ ...refuseCheckRuns, times: 100 })
    const run = await bench.run({ command: 'wait', 'run-id': '1520', 'job-id': ownJob, 'poll-interval': '2s' }, { runId: 1520 })
    expect(run.verdict.result).toBe('success')
    expect(jobReads(run)).toBeGreaterThan(30)
    expect(run.log.filter((line) => line.includes("needs 'checks: read'"))).toHaveLength(1)
  })

  it('a `job` gate reads its run’s job list when a job ended', async () => {
    const bench = await start(scenario([{ ...currentRun, id: 1521 }]))
    const run = await bench.run({ command: 'wait', 'run-id': '1521', job: 'part 0, part 1', 'poll-interval': '2s' })
    expect(run.verdict.result).toBe('success')
    // part 0 ends at about 32 s, part 1 at 42 s: the gate passes then, with a few job reads.
    expect(run.tookMs).toBeLessThan(50_000)
    expect(jobReads(run)).toBeLessThanOrEqual(4)
  })

  it('a gate spends one job list per poll at most, however many runs it watches', async () => {
    const runs = Array.from({ length: 30 }, (_, i) => ({
      id: 1600 + i,
      workflow: i % 2 ? 'lint.yml' : 'ci.yml',
      sha: SHA,
      attempts: [{ at: -5, jobs: [{ name: 'build', steps: [ok('Run make', 600)] }] }]
    }))
    const bench = await start(scenario(runs))
    const started = bench.clock.now()
    await bench.run({ command: 'wait', 'poll-interval': '10s', timeout: '1h' }, { headSha: SHA }, { stopAfterMs: 300_000 })
    const later = bench.sim.requests.filter((r) => r.origin === 'api' && r.atMs >= started + 60_000)
    const polls = later.filter((r) => r.path === '/repos/octo/app/actions/runs').length
    expect(polls).toBeGreaterThan(20)
    expect(later.filter((r) => r.path.endsWith('/jobs')).length).toBeLessThanOrEqual(polls)
    // No run is read by itself: the list says what each one is doing.
    expect(later.filter((r) => /\/runs\/\d+$/.test(r.path))).toEqual([])
  })
})

describe('the expected finish', () => {
  // Five earlier successful runs of ci.yml took 200 to 240 s; this one takes 600 s.
  const history = [200, 210, 220, 230, 240].map((seconds, i) => ({
    id: 1700 + i,
    workflow: 'ci.yml',
    sha: SHA,
    attempts: [{ at: -10_000 + i * 1000, jobs: [{ name: 'build', steps: [ok('Run make', seconds)] }] }]
  }))
  const slow = { id: 1710, workflow: 'ci.yml', sha: SHA, attempts: [{ at: 0, jobs: [{ name: 'build', steps: [ok('Run make', 600)] }] }] }

  it('logs when a long wait should end, from the median of recent successful runs, and compares in the summary', async () => {
    const bench = await start(scenario([...history, slow]))
    const run = await bench.run({ command: 'wait', 'run-id': '1710', 'poll-interval': '10s' })
    expect(run.verdict.result).toBe('success')
    // The median of 5 runs of about 200 to 240 s (plus set-up and clean-up steps): about 3m 43s.
    expect(run.log.join('\n')).toMatch(
      /CI #6 \(run 1710, attempt 1\): expected to finish around \d\d:\d\d UTC \(median of the last 5 successful runs: 3m 4\ds\)\./
    )
    expect(run.summary).toMatch(/took 10m 0\ds; the median of its workflow&#39;s last 5 successful runs is 3m 4\ds\./)
    // One list of the workflow's successful runs, once.
    expect(paths(run, /\/workflows\/[^/]+\/runs$/)).toHaveLength(1)
  })

  const OTHER_SHA = 'e'.repeat(40)
  const pastRuns = (workflow: string, count: number, firstId: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: firstId + i,
      workflow,
      sha: OTHER_SHA,
      attempts: [{ at: -20_000 + i * 100, jobs: [{ name: 'build', steps: [ok('Run make', 200 + (i % 5) * 10)] }] }]
    }))
  const slowOn = (id: number, workflow: string) => ({ id, workflow, sha: SHA, attempts: [{ at: 0, jobs: [{ name: 'build', steps: [ok('Run make', 600)] }] }] })
  const historyLists = (run: InProcessRun) => ({
    repo: run.requests.filter((r) => r.path === `${REPO}/runs` && r.query.status === 'success').length,
    perWorkflow: paths(run, /\/workflows\/[^/]+\/runs$/).length
  })

  it('a gate over several workflows reads one list of the repository’s successful runs for all of them', async () => {
    const bench = await start(scenario([...pastRuns('ci.yml', 5, 1720), ...pastRuns('lint.yml', 5, 1730), slowOn(1740, 'ci.yml'), slowOn(1741, 'lint.yml')]))
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s' }, { headSha: SHA })
    expect(run.verdict.result).toBe('success')
    expect(historyLists(run)).toEqual({ repo: 1, perWorkflow: 0 })
    expect(run.log.join('\n')).toMatch(/The gate should be decided around \d\d:\d\d UTC/)
  })

  it('…and lists a workflow by itself where the repository’s list has too few of its runs', async () => {
    // 100 newer successful runs of ci.yml push lint.yml's out of the repository's first page.
    const bench = await start(scenario([...pastRuns('lint.yml', 5, 1750), ...pastRuns('ci.yml', 100, 1800), slowOn(1940, 'ci.yml'), slowOn(1941, 'lint.yml')]))
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s' }, { headSha: SHA })
    expect(historyLists(run)).toEqual({ repo: 1, perWorkflow: 1 })
    expect(run.log.join('\n')).toMatch(/Lint #\d+ \(run 1941, attempt 1\): expected to finish around/i)
  })

  it('…but not where the repository’s list was short of a page: it already held every successful run', async () => {
    const bench = await start(scenario([...pastRuns('ci.yml', 5, 1960), ...pastRuns('lint.yml', 2, 1970), slowOn(1980, 'ci.yml'), slowOn(1981, 'lint.yml')]))
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s' }, { headSha: SHA })
    expect(historyLists(run)).toEqual({ repo: 1, perWorkflow: 0 })
    expect(run.log.join('\n')).toMatch(/run 1980, attempt 1\): expected to finish around/)
    expect(run.log.join('\n')).not.toMatch(/run 1981, attempt 1\): expected/)
  })

  it('spends nothing on it when the wait is short', async () => {
    const bench = await start(scenario([...history, { ...slow, attempts: [{ at: 0, jobs: [{ name: 'build', steps: [ok('Run make', 20)] }] }] }]))
    const run = await bench.run({ command: 'wait', 'run-id': '1710', 'poll-interval': '10s' })
    expect(run.verdict.result).toBe('success')
    expect(paths(run, /\/workflows\/[^/]+\/runs$/)).toEqual([])
    expect(run.log.join('\n')).not.toContain('expected to finish')
  })
})
