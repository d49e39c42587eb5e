// Jest-side helpers for the in-process tests: one simulator per test, stopped after it, and the
// checks every run must pass.
import { afterEach, expect } from '@jest/globals'
import { SHA } from '../../__fixtures__/scenarios.js'
import type { ActionContext } from '../../src/runner/context.js'
import type { Scenario } from '../simulator/index.js'
import { startBench, TOKEN, type Bench, type BenchOptions, type InProcessRun } from './harness.js'

export function benchPerTest(): (scenario: Scenario, options?: BenchOptions) => Promise<Bench> {
  let current: Bench | undefined
  afterEach(async () => {
    await current?.sim.stop()
    current = undefined
  })
  return async (scenario, options) => (current = await startBench(scenario, options))
}

/** Honest simulator answers, no token in log, summary or outputs, none sent to the log host. */
export function expectClean(run: InProcessRun, bench: Bench): void {
  expect(bench.sim.violations).toEqual([])
  expect(run.log.join('\n')).not.toContain(TOKEN)
  expect(run.summary ?? '').not.toContain(TOKEN)
  expect(JSON.stringify(run.outputs)).not.toContain(TOKEN)
  expect(run.requests.filter((r) => r.origin === 'logs' && r.authorization)).toEqual([])
}

export function parsed<T>(run: InProcessRun, output: string): T {
  return JSON.parse(run.outputs[output] ?? 'null') as T
}

/** The requests that change something (anything but GET), as `METHOD path`. */
export function writes(run: InProcessRun): string[] {
  return run.requests.filter((r) => r.origin === 'api' && r.method !== 'GET').map((r) => `${r.method} ${r.path}`)
}

/** The commit statuses the action posted on `sha`, oldest first, as `state — description`. */
export function postedStatuses(bench: Bench, sha: string): string[] {
  return bench.sim
    .statuses(sha)
    .filter((status) => status.source === 'api')
    .reverse()
    .map((status) => `${status.state} — ${status.description}`)
}

/** The gate's own workflow, as GITHUB_WORKFLOW_REF names it in the one-look tests. */
export const GATE_REF = 'octo/app/.github/workflows/gate.yml@refs/heads/main'

/** A one-look gate woken by pull request #7's `pull_request_target` event (`action`) on SHA. */
export function pullRequestTargetContext(action: string): Partial<ActionContext> {
  return {
    headSha: SHA,
    runId: 4242,
    eventName: 'pull_request_target',
    workflowRef: GATE_REF,
    event: { action, pullRequest: { number: 7, baseRef: 'main', headSha: SHA, fromFork: false } }
  }
}
