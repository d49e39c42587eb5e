// Runs a command in this process, the way main() does, against the simulator on a fake clock
// that both share: a wait of minutes takes milliseconds, and every answer is still a real HTTP
// exchange with the simulator (ETags, pagination, redirects, OpenAPI checks).
import { stoppable, type Clock } from '../../src/time/clock.js'
import type { ActionContext } from '../../src/runner/context.js'
import { GitHubApi } from '../../src/github/api.js'
import { createOctokit, type ClientTiming } from '../../src/github/client.js'
import { readSettings } from '../../src/inputs/index.js'
import { run, type StepResult } from '../../src/main.js'
import { Simulator, type RecordedRequest, type Scenario, type SimulatorOptions } from '../simulator/index.js'

export const TOKEN = 'ghs_inProcessSecretToken0123456789abcdef'

/** Time that moves only when someone sleeps: sleeping jumps ahead at once. */
export class FakeClock implements Clock {
  private t = Math.floor(Date.now() / 1000) * 1000
  readonly now = (): number => this.t
  readonly sleep = async (ms: number): Promise<void> => {
    this.t += ms
    // Let the event loop breathe (sockets, timers) as a real sleep would.
    await new Promise((resolve) => setImmediate(resolve))
  }
}

export interface InProcessRun extends StepResult {
  /** Every line the command logged (info and warning). */
  log: string[]
  /** The error a step would fail with when the command threw (bad input, API error). */
  error: string | null
  requests: RecordedRequest[]
  /** Fake milliseconds the command took. */
  tookMs: number
}

export interface RunOptions {
  /** Cancel the step (as SIGINT would) once this many fake ms have passed. */
  stopAfterMs?: number
}

export interface Bench {
  sim: Simulator
  clock: FakeClock
  run(inputs: Record<string, string>, context?: Partial<ActionContext>, options?: RunOptions): Promise<InProcessRun>
}

export interface BenchOptions extends SimulatorOptions {
  /**
   * The client's timing (default: 1 ms retry back-off, no write spacing). The retry back-off and
   * the write spacing run on real timers (the plugins' Bottleneck queues), not on the fake clock:
   * the production `writeSpacingMs` of 1 s costs a real second per write here too.
   */
  timing?: Partial<ClientTiming>
}

export async function startBench(scenario: Scenario, benchOptions: BenchOptions = {}): Promise<Bench> {
  const { timing, ...options } = benchOptions
  const clock = new FakeClock()
  const sim = await Simulator.start(scenario, { ...options, now: clock.now })
  return {
    sim,
    clock,
    run: async (inputs, overrides = {}, options = {}) => {
      const context: ActionContext = {
        repository: `${scenario.owner}/${scenario.repo}`,
        runId: 999999,
        runAttempt: 1,
        eventName: 'push',
        headSha: '0'.repeat(40),
        serverUrl: 'https://github.com',
        runnerName: 'GitHub Actions 7',
        ref: 'main',
        ...overrides
      }
      const log: string[] = []
      const firstRequest = sim.requests.length
      const started = clock.now()
      const all: Record<string, string> = { token: TOKEN, ...inputs }
      const stopping = new AbortController()
      const stopAt = options.stopAfterMs === undefined ? Infinity : started + options.stopAfterMs
      const timed: Clock = {
        now: clock.now,
        sleep: async (ms) => {
          // The signal comes during a sleep, at the fake instant it was asked for.
          if (clock.now() + ms >= stopAt) {
            await clock.sleep(Math.max(0, stopAt - clock.now()))
            stopping.abort('SIGINT')
            return
          }
          await clock.sleep(ms)
        }
      }
      const stepClock = stoppable(timed, stopping.signal)
      try {
        const settings = readSettings(context, (name) => all[name] ?? '')
        const { octokit, stats, serverTime } = createOctokit({
          token: settings.step.token,
          apiUrl: sim.apiUrl,
          deadline: clock.now() + settings.step.timeoutMs,
          now: stepClock.now,
          sleep: stepClock.sleep,
          // The retry plugin waits on the real clock: keep its back-off to milliseconds here.
          timing: { retryBaseMs: 1, writeSpacingMs: 0, ...timing },
          // Rate-limit waits are the step's log lines too, not the test runner's output.
          log: { warning: (line) => log.push(`warning: ${line}`), error: (line) => log.push(`error: ${line}`) }
        })
        const api = new GitHubApi(octokit, settings.step.owner, settings.step.repo)
        const step = await run(settings, {
          api,
          context,
          clock: stepClock,
          stats,
          serverTime,
          log: { info: (line) => log.push(line), warning: (line) => log.push(`warning: ${line}`) },
          stop: stopping.signal
        })
        return { ...step, log, error: null, requests: sim.requests.slice(firstRequest), tookMs: clock.now() - started }
      } catch (error) {
        return {
          outputs: {},
          summary: null,
          verdict: { result: 'failure', message: String(error) },
          log,
          error: error instanceof Error ? error.message : String(error),
          requests: sim.requests.slice(firstRequest),
          tookMs: clock.now() - started
        }
      }
    }
  }
}
