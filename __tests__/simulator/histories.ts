// Base-branch histories for failure triage: a workflow's runs on one branch, each with an outcome
// for the job under test, shaped like real run lists. What was checked against: GitHub's REST
// reference and OpenAPI description for GET /actions/workflows/{id}/runs (newest first; each run
// is its latest attempt, with `run_attempt`, `previous_attempt_url`, `head_sha` and
// `head_repository`), public test fixtures that record a re-run run as listed (`run_attempt: 2`,
// `previous_attempt_url` …/attempts/1, `created_at` the first attempt's), and GitHub support's
// answer quoted in badges/shields#8733: `branch=develop` also lists pull request runs from a
// fork's branch named `develop`. So a history here holds re-run attempts, two runs of one commit,
// cancelled runs (a newer push cancels them through concurrency), runs of other branches
// interleaved, and fork pull request runs whose branch has the base branch's name.
import type { JobSpec, RunSpec, StepSpec } from './scenario.js'

/** What the job under test did in one base run. */
export type BaseOutcome =
  /** Passed. */
  | 'pass'
  /** Failed (no re-run). */
  | 'fail'
  /** Failed in attempt 1, passed when its failed jobs were re-run (attempt 2). */
  | 'rerun-pass'
  /** Failed, then a second run of the same commit (a manual dispatch) passed. */
  | 'commit-pass'
  /** The run was cancelled (a newer push's run took its concurrency group). */
  | 'cancelled'

export interface HistoryOptions {
  /** Id of the oldest run; the others follow (run numbers follow scenario order). */
  firstId: number
  /** Outcomes of the base branch's runs, oldest first. */
  outcomes: readonly BaseOutcome[]
  workflow?: string
  branch?: string
  /** Name of the job under test (default `test`); a `build` job always passes beside it. */
  job?: string
  /** More jobs that do as the job under test does (a matrix's legs). */
  alike?: string[]
  /** The error the job prints when it fails in base run `i` (default a jest assertion). */
  error?: (i: number) => string
  /** Interleave a feature branch's failing run and, every third run, a fork's `main` failing run. */
  noise?: boolean
  /** Virtual second of the oldest run (default -200000); runs are 1,000 s apart. */
  at?: number
}

const SPACING = 1000

function testStep(fail: boolean, error: string): StepSpec {
  return fail
    ? { name: 'Run npm test', seconds: 20, conclusion: 'failure', log: ['> jest --ci', `##[error]${error}`, '##[error]Process completed with exit code 1.'] }
    : { name: 'Run npm test', seconds: 20, log: ['Tests: 42 passed, 42 total'] }
}

function jobs(name: string, fail: boolean, error: string, alike: readonly string[] = []): JobSpec[] {
  return [
    { name: 'build', steps: [{ name: 'Run npm run build', seconds: 2 }] },
    ...[name, ...alike].map((each) => ({ name: each, steps: [{ name: 'Run actions/checkout@v4', seconds: 1 }, testStep(fail, error)] }))
  ]
}

/** The sha of base run `i` of a history starting at `firstId`. */
export function historySha(firstId: number, i: number): string {
  return (firstId * 1000 + i).toString(16).padStart(40, '0')
}

function baseRuns(options: HistoryOptions, i: number, outcome: BaseOutcome, nextId: () => number): RunSpec[] {
  const at = (options.at ?? -200_000) + i * SPACING
  const name = options.job ?? 'test'
  const error = options.error?.(i) ?? `expect(received).toBe(expected) at checkout.test.ts:${40 + i}`
  const common = { workflow: options.workflow ?? 'ci.yml', branch: options.branch ?? 'main', sha: historySha(options.firstId, i), title: `Merge #${i}` }
  const failing = outcome !== 'pass'
  const alike = options.alike ?? []
  const run: RunSpec = { id: nextId(), ...common, attempts: [{ at, jobs: jobs(name, failing, error, alike) }] }
  if (outcome === 'rerun-pass') run.attempts.push({ at: at + 300, rerun: 'failed', jobs: jobs(name, false, error, alike) })
  if (outcome === 'cancelled') run.cancelledByConcurrencyAt = at + 10
  if (outcome !== 'commit-pass') return [run]
  return [run, { id: nextId(), ...common, event: 'workflow_dispatch', attempts: [{ at: at + 300, jobs: jobs(name, false, error, alike) }] }]
}

function noiseRuns(options: HistoryOptions, i: number, nextId: () => number): RunSpec[] {
  const at = (options.at ?? -200_000) + i * SPACING + 500
  const workflow = options.workflow ?? 'ci.yml'
  const name = options.job ?? 'test'
  const feature: RunSpec = {
    id: nextId(),
    workflow,
    branch: `feature-${i}`,
    sha: historySha(options.firstId + 500, i),
    attempts: [{ at, jobs: jobs(name, true, 'feature work in progress') }]
  }
  if (i % 3 !== 0) return [feature]
  const fork: RunSpec = {
    id: nextId(),
    workflow,
    event: 'pull_request',
    branch: options.branch ?? 'main',
    headRepository: 'mallory/app',
    sha: historySha(options.firstId + 700, i),
    attempts: [{ at: at + 100, jobs: jobs(name, true, 'a fork broke it') }]
  }
  return [feature, fork]
}

/** The runs of a history, oldest first (scenario order gives their run numbers). */
export function history(options: HistoryOptions): RunSpec[] {
  let id = options.firstId
  const nextId = (): number => id++
  return options.outcomes.flatMap((outcome, i) => [...baseRuns(options, i, outcome, nextId), ...(options.noise ? noiseRuns(options, i, nextId) : [])])
}

/** A pull request's run of the workflow, its job under test failing with `error`, a minute ago. */
export function pullRequestRun(id: number, options: { job?: string; error?: string; base?: string; workflow?: string; failing?: string[] } = {}): RunSpec {
  const name = options.job ?? 'test'
  const error = options.error ?? 'expect(received).toBe(expected) at checkout.test.ts:97'
  const others = (options.failing ?? []).map((extra) => jobs(extra, true, error)[1] as JobSpec)
  return {
    id,
    workflow: options.workflow ?? 'ci.yml',
    event: 'pull_request',
    branch: 'add-discounts',
    sha: 'f'.repeat(40),
    pullRequest: { number: 7, base: options.base ?? 'main' },
    attempts: [{ at: -60, jobs: [...jobs(name, true, error), ...others] }]
  }
}
