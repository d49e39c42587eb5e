// The Simulator: owns the two HTTP servers (API and log storage) and the scenario state.
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { VirtualClock } from './clock.js'
import { FaultQueue } from './faults.js'
import { LogSigner } from './logs.js'
import { RunModel } from './model.js'
import { prepareValidators } from './openapi.js'
import { RateLimiter } from './ratelimit.js'
import { RepoState, type StoredStatus } from './repo-state.js'
import {
  checkRun,
  type CommitStatusSpec,
  type ExternalCheckRunSpec,
  type Fault,
  type PullRequestSpec,
  type RecordedRequest,
  type RunSpec,
  type Scenario,
  type SimulatorOptions
} from './scenario.js'
import { apiHandler, logHandler, type ServerState } from './server.js'

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

export class Simulator {
  readonly apiUrl: string
  readonly logOrigin: string
  readonly requests: RecordedRequest[]
  readonly violations: string[]
  private readonly runNumbers = new Map<string, number>()

  private constructor(
    private readonly state: ServerState,
    private readonly servers: Server[]
  ) {
    this.apiUrl = state.apiUrl
    this.logOrigin = state.logOrigin
    this.requests = state.requests
    this.violations = state.violations
  }

  static async start(scenario: Scenario, options: SimulatorOptions = {}): Promise<Simulator> {
    const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '')
    if (prefix && !prefix.startsWith('/')) throw new Error('pathPrefix must start with /')
    const validate = options.validate ?? true
    if (validate) prepareValidators() // before the clock starts
    const state: ServerState = {
      // Copied so addRun and updatePullRequest do not mutate the caller's scenario.
      scenario: { ...scenario, workflows: [...scenario.workflows], runs: [], pullRequests: (scenario.pullRequests ?? []).map((pull) => ({ ...pull })) },
      runs: new Map(),
      clock: new VirtualClock(options.speed ?? 1, options.now, options.skewMs ?? 0),
      faults: new FaultQueue(),
      limiter: new RateLimiter(options.rateLimit ?? 1000, () => (options.now ?? Date.now)() + (options.skewMs ?? 0)),
      signer: new LogSigner(randomBytes(32)),
      requests: [],
      violations: [],
      validate,
      pathPrefix: prefix,
      serverUrl: (options.serverUrl ?? 'https://github.com').replace(/\/+$/, ''),
      apiUrl: '',
      logOrigin: '',
      dispatchAnswer: options.dispatchAnswer ?? 'run-details',
      tokens: options.tokens ?? {},
      addRun: () => undefined,
      repoState: new RepoState(scenario)
    }
    const api = createServer(apiHandler(state))
    const logs = createServer(logHandler(state))
    const [apiPort, logPort] = await Promise.all([listen(api), listen(logs)])
    state.apiUrl = `http://127.0.0.1:${apiPort}${prefix}`
    state.logOrigin = `http://127.0.0.1:${logPort}`
    const simulator = new Simulator(state, [api, logs])
    state.addRun = (spec) => simulator.addRun(spec)
    try {
      // Run numbers follow creation order within each workflow.
      const ordered = scenario.runs
        .map((run, index) => ({ run, index }))
        .sort((a, b) => (a.run.attempts[0]?.at ?? 0) - (b.run.attempts[0]?.at ?? 0) || a.index - b.index)
      for (const { run } of ordered) simulator.addRun(run)
    } catch (error) {
      await simulator.stop()
      throw error
    }
    return simulator
  }

  /** Virtual now, epoch milliseconds. */
  nowMs(): number {
    return this.state.clock.nowMs()
  }

  /** Virtual now, in seconds since the start: the scale of RunSpec's `at`. */
  virtualSeconds(): number {
    return this.state.clock.now()
  }

  inject(fault: Fault): void {
    this.state.faults.add(fault)
  }

  addRun(spec: RunSpec): void {
    checkRun(spec, this.state.scenario, new Set(this.state.runs.keys()))
    const number = (this.runNumbers.get(spec.workflow) ?? 0) + 1
    this.runNumbers.set(spec.workflow, number)
    this.state.scenario.runs.push(spec)
    this.state.runs.set(spec.id, new RunModel(spec, number))
  }

  /** Adds a commit status of someone else (another app, a person), at virtual second `at` (default now). */
  addStatus(spec: CommitStatusSpec): SimulatedStatus {
    return statusRecord(this.state.repoState.seedStatus({ ...spec, at: spec.at ?? this.state.clock.now() }), this.state.clock.epochMs.bind(this.state.clock))
  }

  /**
   * Every commit status (of `sha`, or of every commit), newest first, that exists now: the
   * scenario's, the ones added with addStatus and the ones posted through the API (`source:
   * 'api'`: what the action wrote).
   */
  statuses(sha?: string): SimulatedStatus[] {
    const epochMs = this.state.clock.epochMs.bind(this.state.clock)
    return this.state.repoState.statuses(sha, this.state.clock.now()).map((status) => statusRecord(status, epochMs))
  }

  /** Adds another app's check run (created at `at`, default now); returns its id. A re-requested check is a new one of the same name. */
  addCheckRun(spec: ExternalCheckRunSpec): number {
    return this.state.repoState.addCheckRun({ ...spec, at: spec.at ?? this.state.clock.now() }).id
  }

  /** Completes another app's check run with `conclusion` at `at` (default now). */
  completeCheckRun(id: number, conclusion: NonNullable<ExternalCheckRunSpec['conclusion']>, at?: number): void {
    this.state.repoState.completeCheckRun(id, conclusion, at ?? this.state.clock.now())
  }

  /** Sets the file at `path` on `ref` (a sha or a branch), or removes it with null. */
  setFile(ref: string, path: string, content: string | null): void {
    this.state.repoState.setFile(ref, path, content)
  }

  /** Changes a pull request from now on (a new head sha, files, mergeability…). */
  updatePullRequest(number: number, changes: Partial<Omit<PullRequestSpec, 'number'>>): void {
    const pull = this.state.scenario.pullRequests?.find((candidate) => candidate.number === number)
    if (!pull) throw new Error(`no pull request #${number}`)
    Object.assign(pull, changes)
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map(close))
  }
}

/** A commit status as a test reads it back (Simulator.statuses). */
export interface SimulatedStatus {
  id: number
  sha: string
  context: string
  state: StoredStatus['state']
  description: string | null
  targetUrl: string | null
  creator: string
  /** The simulator's epoch ms (GitHub's clock: skewMs applies) when it was created. */
  createdMs: number
  source: StoredStatus['source']
}

function statusRecord(status: StoredStatus, epochMs: (t: number) => number): SimulatedStatus {
  const { t, ...rest } = status
  return { ...rest, createdMs: epochMs(t) }
}
