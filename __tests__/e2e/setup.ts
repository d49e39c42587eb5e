// Jest-side helpers shared by the end-to-end test files (kept apart from harness.ts, which the
// demo and the benchmark import outside Jest).
import { afterEach, expect } from '@jest/globals'
import { Simulator, type Scenario, type SimulatorOptions } from '../simulator/index.js'
import { logWithoutMaskCommand, TOKEN, type ActionRun } from './harness.js'

/** Returns a `start` that launches a simulator for the current test; it is stopped after it. */
export function simulatorPerTest(): (scenario: Scenario, options?: SimulatorOptions) => Promise<Simulator> {
  let current: Simulator | undefined
  afterEach(async () => {
    await current?.stop()
    current = undefined
  })
  return async (scenario, options) => (current = await Simulator.start(scenario, options))
}

/** What every run must respect: honest simulator answers, no token anywhere, none to the log host. */
export function expectCleanRun(run: ActionRun, sim: Simulator): void {
  expect(sim.violations).toEqual([])
  expect(logWithoutMaskCommand(run)).not.toContain(TOKEN)
  expect(run.summary).not.toContain(TOKEN)
  expect(JSON.stringify(run.outputs)).not.toContain(TOKEN)
  expect(run.requests.filter((r) => r.origin === 'logs' && r.authorization)).toEqual([])
}

/** The requests that change something (anything but GET), as `METHOD path`. */
export function writesOf(run: ActionRun): string[] {
  return run.requests.filter((r) => r.origin === 'api' && r.method !== 'GET').map((r) => `${r.method} ${r.path}`)
}
