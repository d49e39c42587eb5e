// `wait` with `status-context`: the gate's verdict published as a commit status on the gated
// commit, in process on a fake clock. Each rule of INTERFACE's "A gate that holds no runner"
// (polling) has a case here that fails without it.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario, SHA, testJob } from '../../__fixtures__/scenarios.js'
import { TOKEN, type Bench } from './harness.js'
import { benchPerTest, expectClean, postedStatuses, writes } from './setup.js'

const start = benchPerTest()
const gate = { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '5s', 'status-context': 'all-green' }
const onCommit = { headSha: SHA, runId: 4242 }

const posted = (bench: Bench): string[] => postedStatuses(bench, SHA)

describe('status-context: the verdict as a commit status', () => {
  it('publishes pending at the first look, then success, linked to this run, and says so in status-state', async () => {
    const bench = await start(scenario([ciRun(610), ciRun(611, { workflow: 'lint.yml', at: 3 })]))
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(posted(bench)).toEqual(['pending — Waiting for the runs of this commit', 'success — Passed: CI, Lint'])
    const mine = bench.sim.statuses(SHA).filter((status) => status.source === 'api')
    expect(mine.map((status) => [status.context, status.targetUrl])).toEqual([
      ['all-green', 'https://github.com/octo/app/actions/runs/4242'],
      ['all-green', 'https://github.com/octo/app/actions/runs/4242']
    ])
    expect(run.outputs['status-state']).toBe('success')
    expectClean(run, bench)
  })

  it('names the named workflows it waits for, and on failure the workflow › job that failed', async () => {
    const failing = ciRun(612, { fail: true })
    failing.attempts[0]!.jobs.push(testJob({ name: 'lint', seconds: 1 }))
    const bench = await start(scenario([failing]))
    const run = await bench.run({ ...gate, workflow: 'ci.yml' }, onCommit)
    expect(run.verdict.result).toBe('failure')
    expect(posted(bench)).toEqual(['pending — Waiting for ci.yml', 'failure — Failed: CI › test'])
    expect(run.outputs['status-state']).toBe('failure')
  })

  it('publishes error when the gate times out (it could not decide)', async () => {
    const long = ciRun(613)
    long.attempts[0]!.jobs[0]!.steps.push({ name: 'Run a long build', seconds: 600 })
    const bench = await start(scenario([long]))
    const run = await bench.run({ ...gate, timeout: '20s' }, onCommit)
    expect(run.verdict.result).toBe('timeout')
    expect(posted(bench)).toEqual(['pending — Waiting for the runs of this commit', 'error — Timed out waiting for CI'])
    expect(run.outputs['status-state']).toBe('error')
  })

  it('publishes nothing when the context already says it (only a change is published)', async () => {
    const bench = await start({
      ...scenario([ciRun(614)]),
      statuses: [{ sha: SHA, context: 'All-Green', state: 'pending', description: 'Waiting for the runs of this commit' }]
    })
    const run = await bench.run(gate, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(posted(bench)).toEqual(['success — Passed: CI'])
  })

  it('dry-run: judges, logs what it would publish, and publishes nothing', async () => {
    const bench = await start(scenario([ciRun(615)]))
    const run = await bench.run({ ...gate, 'dry-run': 'true' }, onCommit)
    expect(run.verdict.result).toBe('success')
    expect(writes(run)).toEqual([])
    expect(run.log).toContain(`Would publish the commit status 'all-green' on ${SHA.slice(0, 7)}: success — Passed: CI`)
    expect(run.outputs['status-state']).toBe('success')
  })

  it('refuses a selection that spans several commits, before any request', async () => {
    const bench = await start(scenario([ciRun(616)]))
    const run = await bench.run({ ...gate, branch: 'main' }, onCommit)
    expect(run.error).toMatch(/^Input 'status-context' has an invalid value 'all-green': a commit status is published on one commit/)
    expect(run.requests).toEqual([])
  })

  it('refuses runs given by id that are on two commits, before anything is published', async () => {
    const bench = await start(scenario([ciRun(617), ciRun(618, { sha: 'f'.repeat(40) })]))
    const run = await bench.run({ ...gate, 'run-id': '617 618' }, onCommit)
    expect(run.error).toMatch(/'status-context' publishes on one commit, and the runs given are on 2/)
    expect(writes(run)).toEqual([])
  })

  it('publishes error when an API error outlives the retries, and the step fails', async () => {
    const bench = await start(scenario([ciRun(619)]))
    // The listing answers 500 past the client's retries and the gate's own, until the timeout.
    bench.sim.inject({
      kind: 'status',
      status: 403,
      method: 'GET',
      path: /\/actions\/runs$/,
      times: 100,
      body: { message: 'Resource not accessible by integration' }
    })
    const run = await bench.run(gate, onCommit)
    expect(run.error).not.toBeNull()
    expect(posted(bench)).toEqual([expect.stringMatching(/^pending — /), expect.stringMatching(/^error — Could not decide: /)])
  })

  it('never prints the token in what it publishes', async () => {
    const bench = await start(scenario([ciRun(620)]))
    await bench.run(gate, onCommit)
    expect(JSON.stringify(bench.sim.statuses(SHA))).not.toContain(TOKEN)
  })
})
