// `wait` as a gate (runs found by filters or the current commit) and its rules, in process on a
// fake clock. Each rule of INTERFACE.md's `wait` section has a case here that fails without it.
import { describe, expect, it } from '@jest/globals'
import { buildJob, ciRun, ok, scenario, SHA, testJob, WORKFLOWS } from '../../__fixtures__/scenarios.js'
import type { RunSpec } from '../simulator/index.js'
import { benchPerTest, expectClean, parsed } from './setup.js'

const start = benchPerTest()
const gate = { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '5s' }
const onCommit = { headSha: SHA }

/** build, then deploy (needs build); build fails when asked. */
function deployRun(id: number, options: { buildFails?: boolean; deploySeconds?: number } = {}): RunSpec {
  return {
    id,
    workflow: 'deploy.yml',
    sha: SHA,
    attempts: [
      {
        at: 0,
        jobs: [
          { ...testJob({ name: 'build', fail: options.buildFails, seconds: 5 }) },
          { name: 'deploy', needs: ['build'], steps: [ok('Run ./deploy.sh', options.deploySeconds ?? 4)] }
        ]
      }
    ]
  }
}

describe('the gate finds runs', () => {
  it('gates on the current commit, waiting for a workflow whose run appears late', async () => {
    const bench = await start(scenario([ciRun(510), ciRun(511, { workflow: 'lint.yml', at: 4 }), ciRun(512, { sha: 'f'.repeat(40) })]))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([510, 511])
    expect(parsed<{ status: string }[]>(run, 'runs').every((r) => r.status === 'completed')).toBe(true)
    expectClean(run, bench)
  })

  it('picks up a run that appears after appear-timeout while another run is still going', async () => {
    const long = ciRun(513)
    long.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 60))
    // A run held by concurrency, or a workflow_run chain: it appears long after the start.
    const late = ciRun(514, { workflow: 'lint.yml', at: 40, fail: true })
    const bench = await start(scenario([long, late]))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([513, 514])
  })

  it('looks once more after the last run finished: a workflow_run chain starts when its trigger ends', async () => {
    // CI: set up 1 s, build 10 s, complete 1 s: completed at second 12.
    const ci: RunSpec = {
      id: 515,
      workflow: 'ci.yml',
      sha: SHA,
      attempts: [{ at: 0, jobs: [{ name: 'build', queuedSeconds: 0, steps: [ok('Run build', 10)] }] }]
    }
    // The chained run is created the second after its trigger completed.
    const chained = ciRun(516, { workflow: 'deploy.yml', fail: true, at: 13 })
    const bench = await start(scenario([ci, chained]))
    const run = await bench.run({ ...gate, 'appear-timeout': '2s' }, onCommit)
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([515, 516])
    expect(run.verdict.result).toBe('failure')
  })

  it('the closing look waits for a chain that GitHub is slow to create, however short the poll', async () => {
    const ci: RunSpec = {
      id: 517,
      workflow: 'ci.yml',
      sha: SHA,
      attempts: [{ at: 0, jobs: [{ name: 'build', queuedSeconds: 0, steps: [ok('Run build', 10)] }] }]
    }
    // Created 8 s after its trigger completed (at second 12): a look one 1 s poll later misses it.
    const chained = ciRun(518, { workflow: 'deploy.yml', fail: true, at: 20 })
    const bench = await start(scenario([ci, chained]))
    const run = await bench.run({ ...gate, 'appear-timeout': '2s' }, onCommit)
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([517, 518])
    expect(run.verdict.result).toBe('failure')
  })

  it('a gate on runs long finished ends at its first listing: nothing is left to start', async () => {
    const bench = await start(scenario([ciRun(519), ciRun(520, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(120_000)
    const run = await bench.run({ command: 'wait', 'poll-interval': '30s', 'appear-timeout': '0s' }, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(run.tookMs).toBeLessThan(1000)
    expect(bench.sim.requests.filter((r) => r.query.head_sha === SHA).length).toBe(1)
  })

  it('ends one settle time after the last completion, not a whole poll after noticing it', async () => {
    // CI completes at second 12, lint at 25 (set up 1 s, lint 23 s, complete 1 s).
    const ci: RunSpec = {
      id: 521,
      workflow: 'ci.yml',
      sha: SHA,
      attempts: [{ at: 0, jobs: [{ name: 'build', queuedSeconds: 0, steps: [ok('Run build', 10)] }] }]
    }
    const lint: RunSpec = {
      id: 522,
      workflow: 'lint.yml',
      sha: SHA,
      attempts: [{ at: 0, jobs: [{ name: 'lint', queuedSeconds: 0, steps: [ok('Run lint', 23)] }] }]
    }
    const bench = await start(scenario([ci, lint]))
    const run = await bench.run({ command: 'wait', 'poll-interval': '30s', 'appear-timeout': '0s' }, onCommit)
    expect(run.verdict.result).toBe('success')
    // Noticed by the poll at 30; the closing look is due 10 s after 25, at 35, not at the poll at 60.
    expect(run.tookMs).toBe(35_000)
  })

  it('fails a gate that finds no run at all, with result not-found', async () => {
    const bench = await start(scenario([ciRun(530)]))
    const run = await bench.run(gate, { headSha: 'a'.repeat(40) })
    expect(run.verdict.result).toBe('not-found')
    expect(run.outputs).toMatchObject({ result: 'not-found', 'run-ids': '[]', conclusion: '' })
    expect(run.summary).toContain('Gate failed')
  })

  it('fails when a named workflow never appears, and never says conclusion=success', async () => {
    const bench = await start(scenario([ciRun(540)]))
    const run = await bench.run({ ...gate, workflow: 'ci.yml, deploy.yml', 'head-sha': SHA })
    expect(run.verdict.result).toBe('not-found')
    expect(run.verdict.result === 'not-found' && run.verdict.message).toContain('no run of deploy.yml')
    // The run of ci.yml succeeded; an `if: always()` step reading `conclusion` must not see success.
    expect(run.outputs.conclusion).toBe('failure')
    expect(run.outputs.result).toBe('not-found')
  })

  it('finds the runs of a workflow required by a ruleset (404 on its workflow endpoint) by path', async () => {
    const workflows = [...WORKFLOWS, { id: 900, name: 'Org checks', file: 'org-checks.yml', required: true }]
    const bench = await start({ ...scenario([ciRun(541), ciRun(542, { workflow: 'org-checks.yml' })]), workflows })
    const run = await bench.run({ ...gate, workflow: 'ci.yml, org-checks.yml', 'head-sha': SHA })
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'run-ids').sort()).toEqual([541, 542])
    expect(run.log.join('\n')).toContain("Workflow 'org-checks.yml' is unknown")
  })

  it('says which environment a waiting run needs approved, and passes once it is', async () => {
    const deploy = ciRun(591, { workflow: 'deploy.yml' })
    deploy.attempts[0]!.hold = { status: 'waiting', until: 4 }
    deploy.pendingDeployments = [{ environment: 'production', id: 7, reviewers: ['release-team'] }]
    deploy.approvals = [{ user: 'mona', state: 'approved', environments: ['production'], comment: 'ship it' }]
    const bench = await start(scenario([deploy]))
    const run = await bench.run({ ...gate, workflow: 'deploy.yml', 'appear-timeout': '1s' })
    expect(run.log.join('\n')).toContain("waiting for approval of 'production' (reviewers: release-team)")
    expect(run.verdict.result).toBe('success')
    // A run that passed is a row of the gate's table: its approvals are on its page, not read here.
    expect(run.summary).toMatch(/\| ✅ success \| Deploy \| \[#1\]\(\S+\/actions\/runs\/591\) \|/)
    expect(run.requests.filter((r) => r.path.endsWith('/approvals'))).toEqual([])
  })

  it.each([
    ['the commit’s runs', {}],
    ['filters', { workflow: 'ci.yml' }]
  ])('refuses an attempt pinned on %s, naming it, before any request', async (_what, selection) => {
    const bench = await start(scenario([ciRun(543)]))
    const run = await bench.run({ ...gate, ...selection, attempt: '2' }, onCommit)
    expect(run.error).toMatch(/^Input 'attempt' has an invalid value '2': 'wait' pins an attempt only on the runs given in 'run-id'/)
    expect(run.requests).toEqual([])
  })
})

describe('siblings: every run found counts', () => {
  /** Two pull_request runs of ci.yml on one commit (say `labeled`, then `synchronize`). */
  function siblings(olderFails: boolean): RunSpec[] {
    return [
      { ...ciRun(601, { fail: olderFails }), event: 'pull_request', branch: 'feature' },
      { ...ciRun(602, { at: 3 }), event: 'pull_request', branch: 'feature' }
    ]
  }

  it('an older failing run is not hidden by a newer passing run of its workflow', async () => {
    const bench = await start(scenario(siblings(true)))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain('run 601')
  })

  it('with latest-only: true, the newest run per workflow, event and branch wins', async () => {
    const bench = await start(scenario(siblings(true)))
    const run = await bench.run({ ...gate, 'latest-only': 'true' }, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(parsed<number[]>(run, 'run-ids')).toEqual([602])
  })

  it('a cancelled run replaced by a newer run of its workflow (concurrency) does not count', async () => {
    const older = ciRun(611)
    older.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 60))
    // The newer run's concurrency group cancels the older one when it starts.
    const bench = await start(scenario([{ ...older, cancelledByConcurrencyAt: 8 }, ciRun(612, { at: 8 })]))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(parsed<{ id: number; conclusion: string }[]>(run, 'runs').find((r) => r.id === 611)?.conclusion).toBe('cancelled')
    expect(run.summary).toContain('replaced by the newer run 612')
  })

  it('the summary opens with the run that failed the gate, not a replaced cancelled one found before it', async () => {
    const older = ciRun(615)
    older.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 60))
    const runs = [{ ...older, cancelledByConcurrencyAt: 8 }, ciRun(616, { at: 8 }), ciRun(617, { workflow: 'lint.yml', fail: true, at: 10 })]
    const bench = await start(scenario(runs))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('failure')
    // Each run's header links to it.
    const shown = (md: string): string[] => [...md.matchAll(/\[view run\]\(\S+\/actions\/runs\/(\d+)\)/g)].map((m) => m[1] ?? '')
    // Only the run that did not pass is shown in full; the table lists every run, the failure first.
    expect(shown(run.summary ?? '')).toEqual(['617'])
    expect(shown(run.outputs['failure-markdown'] ?? '')).toEqual(['617'])
    const rows = [...(run.summary ?? '').matchAll(/^\| .+ \| \[#\d+\]\(\S+\/actions\/runs\/(\d+)\) \|/gm)].map((m) => m[1])
    expect(rows).toEqual(['617', '616', '615'])
  })

  it('a cancelled run with no newer run of its workflow fails the gate', async () => {
    const older = ciRun(613)
    older.attempts[0]!.jobs[0]!.steps.push(ok('Run a long build', 60))
    const bench = await start(scenario([{ ...older, cancelledByConcurrencyAt: 8 }]))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(run.outputs.conclusion).toBe('cancelled')
  })
})

describe('skipped runs and jobs', () => {
  it('an awaited job skipped because its need failed fails the gate', async () => {
    const bench = await start(scenario([deployRun(620, { buildFails: true })]))
    const run = await bench.run({ command: 'wait', 'run-id': '620', job: 'deploy', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'deploy' skipped")
    expect(run.outputs.conclusion).toBe('skipped')
  })

  it('…unless skipped is allowed', async () => {
    const bench = await start(scenario([deployRun(621, { buildFails: true })]))
    const run = await bench.run({ command: 'wait', 'run-id': '621', job: 'deploy', 'poll-interval': '1s', 'allowed-conclusions': 'success, skipped' })
    expect(run.verdict.result).toBe('success')
  })

  it('a run skipped as a whole does not count', async () => {
    const skipped: RunSpec = { id: 625, workflow: 'lint.yml', sha: SHA, attempts: [{ at: 0, jobs: [{ ...buildJob(), ifFalse: true }] }] }
    const bench = await start(scenario([ciRun(624), skipped]))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(run.summary).toContain('Not counted')
    expect(run.summary).toContain('skipped as a whole')
  })

  it('a skipped run of a workflow named in `workflow` fails unless skipped is allowed', async () => {
    const skipped: RunSpec = { id: 626, workflow: 'lint.yml', sha: SHA, attempts: [{ at: 0, jobs: [{ ...buildJob(), ifFalse: true }] }] }
    const bench = await start(scenario([skipped]))
    const named = await bench.run({ ...gate, workflow: 'lint.yml', 'head-sha': SHA })
    expect(named.verdict.result).toBe('failure')
    // Not named, and alone: nothing that counts was found.
    const unnamed = await bench.run(gate, onCommit)
    expect(unnamed.verdict.result).toBe('not-found')
    const allowed = await bench.run({ ...gate, workflow: 'lint.yml', 'head-sha': SHA, 'allowed-conclusions': 'success,skipped' })
    expect(allowed.verdict.result).toBe('success')
  })
})

describe('every `job` pattern must match', () => {
  it('waits for a job blocked on `needs`, which is not listed until it is queued', async () => {
    const bench = await start(scenario([deployRun(630, { deploySeconds: 20 })]))
    const run = await bench.run({ command: 'wait', 'run-id': '630', job: 'build, deploy', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('success')
    const jobs = parsed<{ name: string; status: string }[]>(run, 'jobs')
    expect(jobs.map((j) => [j.name, j.status])).toEqual([
      ['build', 'completed'],
      ['deploy', 'completed']
    ])
  })

  it('fails when the run completes and a pattern matched no job', async () => {
    const bench = await start(scenario([ciRun(631)]))
    const run = await bench.run({ command: 'wait', 'run-id': '631', job: 'build, deploy', 'poll-interval': '1s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("no job matches 'job' 'deploy'")
  })
})

describe('waiting on the other jobs of the current run', () => {
  /** Run 700 is the run this step is in: its job `gate` runs this step until the others finish. */
  function currentRun(failTest = false): RunSpec {
    return {
      id: 700,
      workflow: 'ci.yml',
      sha: SHA,
      attempts: [
        {
          at: 0,
          jobs: [
            { name: 'gate', runnerName: 'GitHub Actions 7', steps: [ok('Run run-control', 600)] },
            buildJob(4),
            { ...testJob({ fail: failTest, seconds: 6 }), needs: ['build'] }
          ]
        }
      ]
    }
  }
  const gateJobId = 700 * 100000 + 1 * 1000 + 0

  it('passes once every other job finished, leaving out its own job (job-id)', async () => {
    const bench = await start(scenario([currentRun()]))
    const run = await bench.run({ command: 'wait', 'run-id': '700', 'job-id': String(gateJobId), 'poll-interval': '1s' }, { runId: 700 })
    expect(run.verdict.result).toBe('success')
    // `test` needs `build`: it is listed only once build finished, and the gate waited for it.
    const jobs = parsed<{ name: string; status: string }[]>(run, 'jobs')
    expect(jobs.filter((j) => j.name !== 'gate').every((j) => j.status === 'completed')).toBe(true)
    expect(jobs.map((j) => j.name)).toContain('test')
    // Its own job runs for 600 s: counting it would have held the wait until then.
    expect(run.tookMs).toBeLessThan(60_000)
  })

  it('fails when another job fails', async () => {
    const bench = await start(scenario([currentRun(true)]))
    const run = await bench.run({ command: 'wait', 'run-id': '700', 'job-id': String(gateJobId), 'poll-interval': '1s' }, { runId: 700 })
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'test' failure")
  })

  it('finds its own job by the runner name when job-id is empty (GHES)', async () => {
    const bench = await start(scenario([currentRun()]))
    const run = await bench.run({ command: 'wait', 'run-id': '700', 'poll-interval': '1s' }, { runId: 700, runnerName: 'GitHub Actions 7' })
    expect(run.verdict.result).toBe('success')
  })

  it('says how to fix it when its own job cannot be told', async () => {
    const bench = await start(scenario([currentRun()]))
    const run = await bench.run({ command: 'wait', 'run-id': '700', 'poll-interval': '1s' }, { runId: 700, runnerName: 'someone else' })
    expect(run.error).toContain("Set 'job-id: ${{ job.check_run_id }}'")
  })
})

describe('fail-fast across a gate’s runs', () => {
  const longJob = (name: string, seconds: number, fail = false) => ({
    name,
    steps: [{ name: `Run ${name}`, seconds, conclusion: fail ? ('failure' as const) : ('success' as const) }]
  })
  /** Ten runs on the commit, each a 10-minute job; run 1609's second job fails at about 2 minutes. */
  const tenRuns = (): RunSpec[] =>
    Array.from({ length: 10 }, (_, i) => ({
      id: 1600 + i,
      workflow: i % 2 ? 'lint.yml' : 'ci.yml',
      sha: SHA,
      attempts: [{ at: 0, jobs: i === 9 ? [longJob('build', 600), longJob('flaky test', 120, true)] : [longJob('build', 600)] }]
    }))
  const failedAt = (run: { outputs: Record<string, string> }): number => {
    const jobs = JSON.parse(run.outputs.jobs ?? '[]') as { name: string; completed_at: string }[]
    return Date.parse(jobs.find((j) => j.name === 'flaky test')?.completed_at ?? '')
  }

  it('notices a failed job of any run within 30 s, at one check-run list per poll for all of them', async () => {
    const bench = await start(scenario(tenRuns()))
    const started = bench.clock.now()
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s' }, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'flaky test' failure")
    expect(started + run.tookMs - failedAt(run)).toBeLessThanOrEqual(30_000 + 10_000)
    const checkRuns = run.requests.filter((r) => r.path.endsWith('/check-runs'))
    expect(checkRuns.every((r) => r.path === `/repos/octo/app/commits/${SHA}/check-runs`)).toBe(true)
    const polls = run.requests.filter((r) => r.path === '/repos/octo/app/actions/runs').length
    expect(checkRuns.length).toBeLessThanOrEqual(polls)
    // The one job list read while the runs go on is the failing run's, asked for by its check run.
    expect(run.requests.filter((r) => r.path.endsWith('/jobs')).map((r) => r.path)).toEqual(['/repos/octo/app/actions/runs/1609/jobs'])
  })

  it('without checks: read, the one job list per poll goes round the runs: the failure is seen, later', async () => {
    const bench = await start(scenario(tenRuns()))
    bench.sim.inject({ path: /\/check-runs$/, kind: 'status', status: 403, body: { message: 'Resource not accessible by integration' }, times: 100 })
    const started = bench.clock.now()
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s' }, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(run.tookMs).toBeLessThan(600_000)
    expect(started + run.tookMs - failedAt(run)).toBeGreaterThan(0)
  })

  it('a failed job of an earlier attempt does not fail the re-run', async () => {
    // 1620 failed at about 8 s; its failed job is re-run at 20 and passes; 1621 goes on to 60 s.
    const flaky = ciRun(1620, { fail: true })
    flaky.attempts.push({ at: 20, rerun: 'failed', jobs: [{ name: 'test', steps: [ok('Run npm test', 30)] }] })
    const other: RunSpec = { id: 1621, workflow: 'lint.yml', sha: SHA, attempts: [{ at: 0, jobs: [longJob('lint', 60)] }] }
    const bench = await start(scenario([flaky, other]))
    await bench.clock.sleep(21_000)
    const run = await bench.run({ command: 'wait', 'poll-interval': '5s', 'appear-timeout': '1s' }, onCommit)
    expect(run.verdict.result).toBe('success')
    // The commit's list still holds attempt 1's failed check run: it was looked at, not believed.
    expect(run.requests.filter((r) => r.path.endsWith('/check-runs')).length).toBeGreaterThan(0)
  })
})

describe('fail-fast on check runs, at scale and across commits', () => {
  const job = (name: string, seconds: number, fail = false) => ({
    name,
    steps: [{ name: `Run ${name}`, seconds, conclusion: fail ? ('failure' as const) : ('success' as const) }]
  })

  it('finds a failed job on the second page of a 150-job run’s check runs', async () => {
    // 149 shards finish at 20 s; the last one fails at 50 s while a slow job runs to 10 min.
    const jobs = [...Array.from({ length: 148 }, (_, i) => job(`shard ${i}`, 20)), job('shard 148', 50, true), job('slow', 600)]
    const bench = await start(scenario([{ id: 1650, workflow: 'ci.yml', sha: SHA, attempts: [{ at: 0, jobs }] }]))
    const run = await bench.run({ command: 'wait', 'run-id': '1650', 'poll-interval': '10s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'shard 148' failure")
    expect(run.tookMs).toBeLessThan(120_000)
    const pages = run.requests.filter((r) => r.path.endsWith('/check-runs')).map((r) => r.query.page ?? '1')
    expect(pages).toContain('2')
  })

  it('watches a run by its own suite once its commit has more check runs than the pages read', async () => {
    // Five runs of 210 quick jobs each (1,050 check runs, listed first), then one that fails late.
    const big = Array.from({ length: 5 }, (_, r): RunSpec => ({
      id: 1670 + r,
      workflow: 'ci.yml',
      sha: SHA,
      attempts: [{ at: 0, jobs: Array.from({ length: 210 }, (_, j) => job(`shard ${j}`, 2)) }]
    }))
    // Two runs still going after the quick ones: a list for the commit would serve both.
    const late: RunSpec = { id: 1680, workflow: 'lint.yml', sha: SHA, attempts: [{ at: 0, jobs: [job('slow', 600), job('check', 100, true)] }] }
    const docs: RunSpec = { id: 1681, workflow: 'deploy.yml', sha: SHA, attempts: [{ at: 0, jobs: [job('site', 600)] }] }
    const bench = await start(scenario([...big, late, docs]))
    const run = await bench.run({ command: 'wait', 'poll-interval': '10s', 'appear-timeout': '5s', timeout: '20m' }, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'check' failure")
    expect(run.tookMs).toBeLessThan(102_000 + 40_000)
    expect(run.requests.some((r) => r.path === `/repos/octo/app/check-suites/${1680 * 10 + 1}/check-runs`)).toBe(true)
  }, 60_000)

  it('watches runs on two commits, each through its own list, taking turns', async () => {
    const other = 'd'.repeat(40)
    const runs: RunSpec[] = [
      { id: 1660, workflow: 'ci.yml', sha: SHA, branch: 'main', attempts: [{ at: 0, jobs: [job('build', 600)] }] },
      { id: 1661, workflow: 'ci.yml', sha: other, branch: 'main', attempts: [{ at: 0, jobs: [job('build', 600), job('test', 40, true)] }] }
    ]
    const bench = await start(scenario(runs))
    const run = await bench.run({ command: 'wait', workflow: 'ci.yml', branch: 'main', status: 'in_progress', 'poll-interval': '10s', 'appear-timeout': '5s' })
    expect(run.verdict.result).toBe('failure')
    expect(run.verdict.result === 'failure' && run.verdict.message).toContain("job 'test' failure")
    // test fails at about 42 s: seen within two turns of 30 s.
    expect(run.tookMs).toBeLessThan(42_000 + 60_000)
    const lists = new Set(run.requests.filter((r) => r.path.endsWith('/check-runs')).map((r) => r.path))
    expect(lists).toEqual(new Set([`/repos/octo/app/check-suites/${1660 * 10 + 1}/check-runs`, `/repos/octo/app/check-suites/${1661 * 10 + 1}/check-runs`]))
  })
})
