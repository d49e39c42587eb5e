// The client and GitHubApi alone against the simulator, on the fake clock in-process tests use,
// with short budgets: a stalled answer is given up in a fraction of a second and the retry
// plugin's backoff is milliseconds, so a fault test costs little real time. Requests are counted
// from the simulator's record, never timed.
import { afterEach } from '@jest/globals'
import { GitHubApi } from '../../src/github/api.js'
import { createOctokit, type ClientOptions, type ClientTiming, type RequestStats } from '../../src/github/client.js'
import type { ServerTime } from '../../src/github/server-time.js'
import { FakeClock, TOKEN } from '../inprocess/harness.js'
import { Simulator, type RecordedRequest, type Scenario, type SimulatorOptions } from '../simulator/index.js'

/**
 * Budgets in real milliseconds: long enough for a loaded machine to answer a healthy request
 * (the simulator answers in milliseconds), short enough for tests. Tests of stalls shorten the
 * budget they exercise.
 */
export const FAST: Partial<ClientTiming> = { retryBaseMs: 2, requestMs: 2_000, logMs: 5_000, logStallMs: 1_000, wrapUpMs: 30_000, writeSpacingMs: 0 }
/** For tests whose requests all stall: the budget they wait out. */
export const STALL_MS = 500

export interface ApiBench {
  sim: Simulator
  clock: FakeClock
  api: GitHubApi
  stats: RequestStats
  serverTime: ServerTime
  /** Deadline given to the client (fake clock ms). */
  deadline: number
  warnings: string[]
  errors: string[]
  /** The API requests (method path) since the bench started, e.g. `POST /repos/octo/app/actions/runs/5/cancel`. */
  apiRequests(filter?: (r: RecordedRequest) => boolean): RecordedRequest[]
}

export interface BenchOptions {
  sim?: SimulatorOptions
  timing?: Partial<ClientTiming>
  /** Deadline, ms after the fake clock's start (default 10 minutes). */
  deadlineInMs?: number
  client?: Partial<Pick<ClientOptions, 'apiUrl'>>
}

export function apiBenchPerTest(): (scenario: Scenario, options?: BenchOptions) => Promise<ApiBench> {
  let current: Simulator | undefined
  afterEach(async () => {
    await current?.stop()
    current = undefined
  })
  return async (scenario, options = {}) => {
    const clock = new FakeClock()
    const sim = await Simulator.start(scenario, { ...options.sim, now: clock.now })
    current = sim
    const warnings: string[] = []
    const errors: string[] = []
    const deadline = clock.now() + (options.deadlineInMs ?? 600_000)
    const { octokit, stats, serverTime } = createOctokit({
      token: TOKEN,
      apiUrl: sim.apiUrl,
      deadline,
      now: clock.now,
      sleep: clock.sleep,
      timing: { ...FAST, ...options.timing },
      log: { warning: (line) => warnings.push(line), error: (line) => errors.push(line) },
      ...options.client
    })
    const api = new GitHubApi(octokit, scenario.owner, scenario.repo)
    return {
      sim,
      clock,
      api,
      stats,
      serverTime,
      deadline,
      warnings,
      errors,
      apiRequests: (filter = () => true) => sim.requests.filter((r) => r.origin === 'api' && filter(r))
    }
  }
}

/** `METHOD path` of each request. */
export function lines(requests: RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path}${r.query.page ? `?page=${r.query.page}` : ''}`)
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection, got a value')
}
