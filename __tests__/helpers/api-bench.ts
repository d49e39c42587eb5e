// GitHubApi alone against the simulator, in this process, on a fake clock both share: for tests
// of single API methods. Depends only on src/github (not on the commands or their inputs).
import { afterEach } from '@jest/globals'
import { GitHubApi } from '../../src/github/api.js'
import { createOctokit, type RequestStats } from '../../src/github/client.js'
import { Simulator, type RecordedRequest, type Scenario, type SimulatorOptions } from '../simulator/index.js'

export const BENCH_TOKEN = 'ghs_gateBenchSecretToken0123456789abcdef'

/** Time that moves only when told to (or when the client sleeps). */
export class ManualClock {
  private t = Math.floor(Date.now() / 1000) * 1000
  readonly now = (): number => this.t
  readonly sleep = async (ms: number): Promise<void> => {
    this.t += ms
    await new Promise((resolve) => setImmediate(resolve))
  }
  advance(seconds: number): void {
    this.t += seconds * 1000
  }
}

export interface GateBench {
  sim: Simulator
  clock: ManualClock
  api: GitHubApi
  stats: RequestStats
  /** API requests since the bench started, as `METHOD path` (with `?page=n` past the first page). */
  calls(filter?: (request: RecordedRequest) => boolean): string[]
}

/** Simulators for one test, stopped after it. */
export function gateBenchPerTest(): (scenario: Scenario, options?: SimulatorOptions) => Promise<GateBench> {
  const started: Simulator[] = []
  afterEach(async () => {
    await Promise.all(started.splice(0).map((sim) => sim.stop()))
  })
  return async (scenario, options = {}) => {
    const clock = new ManualClock()
    const sim = await Simulator.start(scenario, { ...options, now: clock.now })
    started.push(sim)
    const { octokit, stats } = createOctokit({
      token: BENCH_TOKEN,
      apiUrl: sim.apiUrl,
      deadline: clock.now() + 600_000,
      now: clock.now,
      sleep: clock.sleep,
      // The retry plugin and the write queue wait on real timers: keep them to milliseconds.
      timing: { retryBaseMs: 1, writeSpacingMs: 0, requestMs: 5_000 },
      log: { warning: () => undefined, error: () => undefined }
    })
    const api = new GitHubApi(octokit, scenario.owner, scenario.repo)
    const calls = (filter: (request: RecordedRequest) => boolean = () => true): string[] =>
      sim.requests
        .filter((r) => r.origin === 'api' && filter(r))
        .map((r) => `${r.method} ${r.path}${r.query['page'] && r.query['page'] !== '1' ? `?page=${r.query['page']}` : ''}`)
    return { sim, clock, api, stats, calls }
  }
}
