// `wait` with `once: true`: a gate that holds no runner. Each event judges the commit once and
// publishes the commit status; in process on a fake clock. Each rule of INTERFACE's "One look"
// has a case here that fails without it.
import { describe, expect, it } from '@jest/globals'
import { ciRun, longRun, scenario, SHA } from '../../__fixtures__/scenarios.js'
import type { ActionContext } from '../../src/runner/context.js'
import type { FileSpec, RunSpec, Scenario } from '../simulator/index.js'
import type { Bench } from './harness.js'
import { benchPerTest, postedStatuses, writes, pullRequestTargetContext } from './setup.js'

const start = benchPerTest()
const gate = { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml, lint.yml' }

/** The gate's workflow, listening to CI and Lint, and the two workflows' files, on main. */
function files(listening = ['CI', 'Lint']): FileSpec[] {
  const gateYml = `name: Gate\non:\n  pull_request_target:\n  workflow_run:\n    workflows: [${listening.map((n) => JSON.stringify(n)).join(', ')}]\n    types: [requested, completed]\njobs: {}\n`
  return [
    { path: '.github/workflows/gate.yml', ref: 'main', content: gateYml },
    { path: '.github/workflows/ci.yml', ref: 'main', content: 'name: CI\non: pull_request\njobs: {}\n' },
    { path: '.github/workflows/lint.yml', ref: 'main', content: 'name: Lint\non: pull_request\njobs: {}\n' }
  ]
}

function gated(runs: RunSpec[], more: Partial<Scenario> = {}): Scenario {
  return { ...scenario(runs), files: files(), ...more }
}

const pullRequestEvent = pullRequestTargetContext('opened')

const posted = (bench: Bench): string[] => postedStatuses(bench, SHA)

/** CI's workflow_run `completed` event for run `id`, sent a second after the simulator's now (its jobs, as read, may still run). */
function ciCompleted(bench: Bench, id: number): Partial<ActionContext> {
  const completed = { id, attempt: 1, name: 'CI', path: '.github/workflows/ci.yml', headSha: SHA, status: 'completed', conclusion: 'success' }
  return {
    ...pullRequestEvent,
    eventName: 'workflow_run',
    event: { action: 'completed', wakingRun: { ...completed, updatedAt: new Date(bench.sim.nowMs() + 1000).toISOString() } }
  }
}

describe('once: true — judged at each event, no waiting', () => {
  it('is pending while a named run goes, and success at the event after it passed; no waiting', async () => {
    const bench = await start(gated([longRun(700, 300), ciRun(701, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(60_000)
    const first = await bench.run(gate, pullRequestEvent)
    expect(first.outputs.result).toBe('pending')
    expect(first.error).toBeNull()
    expect(first.tookMs).toBeLessThan(1000)
    await bench.clock.sleep(400_000)
    const completed = bench.sim.nowMs()
    const second = await bench.run(gate, {
      ...pullRequestEvent,
      eventName: 'workflow_run',
      event: {
        action: 'completed',
        wakingRun: {
          id: 700,
          attempt: 1,
          name: 'CI',
          path: '.github/workflows/ci.yml',
          headSha: SHA,
          status: 'completed',
          conclusion: 'success',
          updatedAt: new Date(completed).toISOString()
        }
      }
    })
    expect(second.outputs.result).toBe('success')
    expect(posted(bench)).toEqual(['pending — Waiting for CI', 'success — Passed: CI, Lint'])
    expect(second.outputs['status-state']).toBe('success')
  })

  it('fails naming workflow › job, and the step stays green (the status is the signal)', async () => {
    const bench = await start(gated([ciRun(702, { fail: true }), ciRun(703, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(60_000)
    const run = await bench.run(gate, pullRequestEvent)
    expect(run.outputs.result).toBe('failure')
    expect(run.error).toBeNull()
    expect(posted(bench)).toEqual(['failure — Failed: CI › test'])
  })

  it('is pending, never green, while a named workflow has no run yet (requested late)', async () => {
    const bench = await start(gated([ciRun(704), ciRun(705, { workflow: 'lint.yml', at: 90 })]))
    await bench.clock.sleep(60_000)
    const run = await bench.run(gate, pullRequestEvent)
    expect(run.outputs.result).toBe('pending')
    expect(posted(bench)).toEqual(['pending — Waiting for lint.yml'])
  })

  it("is pending while a fork pull request's run waits for a maintainer's approval", async () => {
    const waiting: RunSpec = { ...ciRun(706), outcome: 'action_required' }
    const bench = await start(gated([waiting, ciRun(707, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(60_000)
    const run = await bench.run(gate, pullRequestEvent)
    expect(run.outputs.result).toBe('pending')
    expect(posted(bench)).toEqual(['pending — Waiting for CI'])
  })

  it('publishes error and fails the step when a named workflow cannot wake the gate (name mismatch)', async () => {
    const bench = await start(gated([ciRun(708), ciRun(709, { workflow: 'lint.yml' })], { files: files(['CI', 'Linting']) }))
    const run = await bench.run(gate, pullRequestEvent)
    expect(run.outputs.result).toBe('error')
    expect(posted(bench)).toEqual(["error — on.workflow_run.workflows of gate.yml lacks 'Lint' (lint.yml): its runs would never wake the gate"])
    expect(run.outputs['status-state']).toBe('error')
  })

  it('publishes error when the gate listens to a workflow that `workflow` does not name', async () => {
    const bench = await start(gated([ciRun(710)], { files: files(['CI', 'Lint', 'Docs']) }))
    const run = await bench.run(gate, pullRequestEvent)
    expect(run.outputs.result).toBe('error')
    expect(posted(bench)[0]).toMatch(/lists 'Docs', which 'workflow' does not name/)
  })

  it('judges again instead of publishing when another judge published while it read (two events a second apart)', async () => {
    const bench = await start(gated([longRun(716, 300), ciRun(717, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(60_000)
    // Another judge's status, posted a second after this one started reading.
    bench.sim.addStatus({ sha: SHA, context: 'all-green', state: 'pending', description: 'Waiting for CI', at: Math.ceil(bench.sim.virtualSeconds()) + 1 })
    // The event says CI completed; its jobs, as read, still run: the judge looks again, 1 s apart.
    const run = await bench.run(gate, ciCompleted(bench, 716))
    expect(run.log).toContain("A newer 'all-green' status was published while this judge read: judging again.")
    // Published once, by the second judge.
    expect(posted(bench)).toEqual(['success — Passed: CI, Lint'])
    expect(run.outputs['status-state']).toBe('success')
  })

  it('takes the waking run from the event over a run list that lags behind it', async () => {
    const bench = await start(gated([longRun(718, 300), ciRun(719, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(60_000)
    // The event says CI completed a second ago; the run as GitHub's list shows it still runs.
    const waking = { id: 718, attempt: 1, name: 'CI', path: '.github/workflows/ci.yml', headSha: SHA, status: 'completed', conclusion: 'success' }
    const run = await bench.run(gate, {
      ...pullRequestEvent,
      eventName: 'workflow_run',
      event: { action: 'completed', wakingRun: { ...waking, updatedAt: new Date(bench.sim.nowMs() + 1000).toISOString() } }
    })
    expect(run.outputs.result).toBe('success')
    expect(posted(bench)).toEqual(['success — Passed: CI, Lint'])
  })

  it('ignores an event about its own status context', async () => {
    const bench = await start(gated([ciRun(713)]))
    const run = await bench.run(gate, { ...pullRequestEvent, eventName: 'status', event: { action: '', statusContext: 'All-Green' } })
    expect(writes(run)).toEqual([])
    expect(run.log).toContain("The event is about the gate's own status 'All-Green': ignored.")
  })

  it('dry-run: judges and publishes nothing', async () => {
    const bench = await start(gated([ciRun(714), ciRun(715, { workflow: 'lint.yml' })]))
    await bench.clock.sleep(60_000)
    const run = await bench.run({ ...gate, 'dry-run': 'true' }, pullRequestEvent)
    expect(run.outputs.result).toBe('success')
    expect(writes(run)).toEqual([])
  })

  it('refuses once without status-context, or without workflow', async () => {
    const bench = await start(gated([ciRun(716)]))
    expect((await bench.run({ command: 'wait', once: 'true', workflow: 'ci.yml' }, pullRequestEvent)).error).toMatch(
      /^Input 'once' has an invalid value 'true'/
    )
    expect((await bench.run({ command: 'wait', once: 'true', 'status-context': 'all-green' }, pullRequestEvent)).error).toMatch(
      /^Input 'workflow' has an invalid value ''/
    )
  })
})

// One clock: "newer than this judge's reads" compares a status's time with GitHub's now, never the
// runner's. With the runner's clock 10 minutes off either way, a mixed comparison would judge again
// for every older status (runner slow) or never (runner fast).
describe.each([
  ['runner 10 min fast', -600_000],
  ['runner 10 min slow', 600_000]
])('once: true with the clocks apart (%s)', (_name, skewMs) => {
  it("judges again for a status posted after its reads began, not for an older one, on GitHub's clock", async () => {
    const bench = await start(gated([longRun(720, 300), ciRun(721, { workflow: 'lint.yml' })]), { skewMs })
    await bench.clock.sleep(60_000)
    bench.sim.addStatus({ sha: SHA, context: 'all-green', state: 'pending', description: 'Waiting for Lint', at: Math.floor(bench.sim.virtualSeconds()) - 5 })
    const older = await bench.run(gate, pullRequestEvent)
    expect(older.log.join('\n')).not.toContain('judging again')
    expect(older.outputs['status-state']).toBe('pending')
    bench.sim.addStatus({ sha: SHA, context: 'all-green', state: 'pending', description: 'Waiting for CI', at: Math.ceil(bench.sim.virtualSeconds()) + 1 })
    const newer = await bench.run(gate, ciCompleted(bench, 720))
    expect(newer.log).toContain("A newer 'all-green' status was published while this judge read: judging again.")
    expect(newer.outputs['status-state']).toBe('success')
  })
})
