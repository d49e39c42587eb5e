// Simulator scenarios shared by the end-to-end tests, the demo and the benchmark.
import type { JobSpec, RunSpec, Scenario, StepSpec } from '../__tests__/simulator/index.js'

export const OWNER = 'octo'
export const REPO = 'app'
export const SHA = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00'

export const WORKFLOWS = [
  { id: 101, name: 'CI', file: 'ci.yml' },
  { id: 102, name: 'Lint', file: 'lint.yml' },
  { id: 103, name: 'Deploy', file: 'deploy.yml' },
  { id: 104, name: 'Gate', file: 'gate.yml' }
]

export function scenario(runs: RunSpec[]): Scenario {
  return { owner: OWNER, repo: REPO, workflows: WORKFLOWS, runs }
}

export const ok = (name: string, seconds = 1, log?: string[]): StepSpec => ({ name, seconds, ...(log ? { log } : {}) })

/** The lines a failing jest run prints, ending in GitHub's error annotation. */
export const JEST_FAILURE_LOG = [
  '> app@1.0.0 test',
  '> jest --ci',
  'PASS src/math.test.ts',
  'FAIL src/checkout.test.ts',
  '  ● checkout › applies the discount',
  '    expect(received).toBe(expected)',
  '    Expected: 90',
  '    Received: 100',
  'Tests:       1 failed, 41 passed, 42 total',
  '##[error]Process completed with exit code 1.'
]

export function buildJob(seconds = 2): JobSpec {
  return {
    name: 'build',
    steps: [ok('Run actions/checkout@v4'), ok('Run npm ci', seconds, ['added 312 packages in 2s']), ok('Run npm run build', 1)]
  }
}

/** A test run that failed on the network, not on the code: what `rerun-if` is for. */
export const NETWORK_FAILURE_LOG = [
  '> app@1.0.0 test',
  '> jest --ci',
  'FAIL src/prices.test.ts',
  '  ● prices › loads the price list',
  '    FetchError: request to https://prices.example/list failed, reason: connect ECONNRESET 10.0.0.7:443',
  'Tests:       1 failed, 41 passed, 42 total',
  '##[error]Process completed with exit code 1.'
]

export function testJob(options: { fail?: boolean; seconds?: number; name?: string; log?: string[] } = {}): JobSpec {
  return {
    name: options.name ?? 'test',
    steps: [
      ok('Run actions/checkout@v4'),
      {
        name: 'Run npm test',
        seconds: options.seconds ?? 2,
        conclusion: options.fail ? 'failure' : 'success',
        log: options.fail ? (options.log ?? JEST_FAILURE_LOG) : ['Tests: 42 passed, 42 total']
      }
    ]
  }
}

/** A CI run of `SHA`: build, then test (optionally failing). */
export function ciRun(id: number, options: { fail?: boolean; at?: number; workflow?: string; sha?: string } = {}): RunSpec {
  return {
    id,
    workflow: options.workflow ?? 'ci.yml',
    sha: options.sha ?? SHA,
    title: 'Add discount codes',
    attempts: [{ at: options.at ?? 0, jobs: [buildJob(), { ...testJob({ fail: options.fail }), needs: ['build'] }] }]
  }
}

/** A run whose jobs form a 256-job matrix of 20 steps each, one of them failing. */
export function matrixRun(id: number, jobs = 256, steps = 20): RunSpec {
  const matrix: JobSpec[] = Array.from({ length: jobs }, (_, j) => ({
    name: `test (shard ${j + 1}/${jobs}, node 24)`,
    queuedSeconds: 0,
    steps: Array.from({ length: steps - 2 }, (_, s) => ({
      name: `Step ${s + 1} of shard ${j + 1}`,
      seconds: 1,
      conclusion: j === 17 && s === steps - 3 ? ('failure' as const) : ('success' as const),
      ...(j === 17 && s === steps - 3 ? { log: ['Expected 1 to equal 2', '##[error]Shard 18 failed: 1 test'] } : {})
    }))
  }))
  return { id, workflow: 'ci.yml', sha: SHA, attempts: [{ at: -100, jobs: matrix }] }
}

/**
 * A CI run whose test job fails (with `log`, default JEST_FAILURE_LOG), and passes when re-run
 * through the API (a flaky test).
 */
export function flakyRun(id: number, options: { at?: number; failAgain?: boolean; log?: string[] } = {}): RunSpec {
  const run = ciRun(id, { fail: true, at: options.at })
  const failing = { ...testJob({ fail: true, ...(options.log ? { log: options.log } : {}) }), needs: ['build'] }
  return {
    ...run,
    attempts: run.attempts.map((attempt) => ({ ...attempt, jobs: attempt.jobs.map((job) => (job.name === 'test' ? failing : job)) })),
    rerunSpecs: { test: { ...testJob({ fail: options.failAgain }), needs: ['build'] } }
  }
}

/**
 * A run in which two jobs fail: `test (node 22)` on the network (NETWORK_FAILURE_LOG) and `lint`
 * on the code; both pass when re-run.
 */
export function twoFailuresRun(id: number, options: { at?: number } = {}): RunSpec {
  const lint: JobSpec = {
    name: 'lint',
    steps: [
      ok('Run actions/checkout@v4'),
      { name: 'Run npm run lint', seconds: 1, conclusion: 'failure', log: ['src/checkout.ts', "  12:7  error  'total' is never reassigned  prefer-const", '##[error]Process completed with exit code 1.'] }
    ]
  }
  const test = testJob({ name: 'test (node 22)', fail: true, log: NETWORK_FAILURE_LOG })
  return {
    id,
    workflow: 'ci.yml',
    sha: SHA,
    title: 'Add discount codes',
    attempts: [{ at: options.at ?? 0, jobs: [buildJob(), lint, { ...test, needs: ['build'] }] }],
    rerunSpecs: {
      lint: { ...lint, steps: [ok('Run actions/checkout@v4'), ok('Run npm run lint')] },
      'test (node 22)': { ...testJob({ name: 'test (node 22)' }), needs: ['build'] }
    }
  }
}

/** A run that keeps going for `seconds` (a long build step). */
export function longRun(id: number, seconds = 600, options: { at?: number; sha?: string; workflow?: string; branch?: string } = {}): RunSpec {
  return {
    id,
    workflow: options.workflow ?? 'ci.yml',
    sha: options.sha ?? SHA,
    ...(options.branch ? { branch: options.branch } : {}),
    attempts: [{ at: options.at ?? 0, jobs: [{ name: 'build', steps: [ok('Run a long build', seconds)] }] }]
  }
}

/** `days` days before the simulator's start, in virtual seconds. */
export function daysAgo(days: number): number {
  return -days * 24 * 3600
}

/**
 * The demo's runs on `SHA`: a CI run of five jobs in which one test step fails (and passes when
 * re-run through the API: a flaky test), a lint run, and the gate's own run. `at` shifts them
 * (0: they start with the simulator).
 */
export function demoRuns(at = 0): { ci: RunSpec; docs: RunSpec; gate: RunSpec } {
  const ci: RunSpec = {
    id: 7001,
    workflow: 'ci.yml',
    sha: SHA,
    title: 'Add discount codes to checkout',
    // Re-run through the API, the flaky test passes.
    rerunSpecs: {
      'test (node 22)': {
        name: 'test (node 22)',
        needs: ['build'],
        steps: [ok('Run actions/checkout@v4', 2), ok('Run actions/setup-node@v4 (node 22)', 4), ok('Run npm ci', 14), ok('Run npm test', 40, ['Tests: 42 passed, 42 total'])]
      }
    },
    attempts: [
      {
        at: 0,
        jobs: [
          { name: 'lint', steps: [ok('Run actions/checkout@v4', 2), ok('Run npm ci', 14), ok('Run npm run lint', 9)] },
          { name: 'build', steps: [ok('Run actions/checkout@v4', 2), ok('Run npm ci', 15), ok('Run npm run build', 24)] },
          ...['20', '22', '24'].map((node) => ({
            name: `test (node ${node})`,
            needs: ['build'],
            steps: [
              ok('Run actions/checkout@v4', 2),
              ok(`Run actions/setup-node@v4 (node ${node})`, 4),
              ok('Run npm ci', 14),
              node === '22'
                ? { name: 'Run npm test', seconds: 38, conclusion: 'failure' as const, log: JEST_FAILURE_LOG }
                : ok('Run npm test', 41, ['Tests: 42 passed, 42 total'])
            ]
          }))
        ]
      }
    ]
  }
  const docs: RunSpec = {
    id: 7002,
    workflow: 'lint.yml',
    sha: SHA,
    attempts: [{ at: 5, jobs: [{ name: 'markdown links', steps: [ok('Run lychee', 12)] }] }]
  }
  // The run the demo's own step "runs in": excluded from the gate.
  const gate: RunSpec = { id: 7003, workflow: 'gate.yml', sha: SHA, attempts: [{ at: 0, jobs: [{ name: 'gate', steps: [ok('Run run-control', 900)] }] }] }
  for (const run of [ci, docs, gate]) for (const attempt of run.attempts) attempt.at += at
  return { ci, docs, gate }
}

/**
 * `scenario(runs)` where deploy.yml can be dispatched: it takes an environment and a marker
 * input and shows both in its run-name, and deploys in 20 s.
 */
export function deployableScenario(runs: RunSpec[] = []): Scenario {
  const dispatch = { inputs: ['environment', 'distinct_id'], runName: 'Deploy {environment} {distinct_id}', jobs: [{ name: 'deploy', steps: [ok('Run ./deploy.sh', 20)] }] }
  return { ...scenario(runs), workflows: WORKFLOWS.map((w) => (w.file === 'deploy.yml' ? { ...w, dispatch } : w)) }
}
