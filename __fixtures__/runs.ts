// Typed builders for the report's domain objects: a sensible completed, successful default that
// each test overrides with just what it is about.

import type { Job, Run, RunReport, Step, StepLogExcerpt } from '../src/github/types.js'

/** 2026-11-21T10:00:00Z: the fixtures' reference instant. */
export const T0 = Date.parse('2026-11-21T10:00:00Z')

/** ISO timestamp `seconds` after T0, in GitHub's second-precision form. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z')
}

export function aRun(overrides: Partial<Run> = {}): Run {
  return {
    id: 1001,
    name: 'CI',
    displayTitle: 'Fix the parser',
    runNumber: 42,
    attempt: 1,
    status: 'completed',
    conclusion: 'success',
    event: 'push',
    headBranch: 'main',
    headSha: 'abcdef0123456789abcdef0123456789abcdef01',
    actor: 'octocat',
    workflowId: 7,
    path: '.github/workflows/ci.yml',
    htmlUrl: 'https://github.com/acme/app/actions/runs/1001',
    createdAt: at(-5),
    updatedAt: at(300),
    runStartedAt: at(0),
    checkSuiteId: 10011,
    ...overrides
  }
}

export function aStep(overrides: Partial<Step> = {}): Step {
  return {
    number: 1,
    name: 'Set up job',
    status: 'completed',
    conclusion: 'success',
    startedAt: at(2),
    completedAt: at(4),
    ...overrides
  }
}

export function aJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 5001,
    runId: 1001,
    runAttempt: 1,
    name: 'build',
    status: 'completed',
    conclusion: 'success',
    createdAt: at(0),
    startedAt: at(2),
    completedAt: at(120),
    htmlUrl: 'https://github.com/acme/app/actions/runs/1001/job/5001',
    runnerName: 'GitHub Actions 1',
    labels: ['ubuntu-latest'],
    steps: [],
    ...overrides
  }
}

export function anExcerpt(overrides: Partial<StepLogExcerpt> = {}): StepLogExcerpt {
  return { jobId: 5001, stepNumber: 1, errorLines: [], contextLines: [], truncated: false, causeLine: null, ...overrides }
}

export function aReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    run: aRun(),
    jobs: [],
    timing: { billableMs: 0, runDurationMs: null },
    approvals: [],
    pendingDeployments: [],
    excerpts: new Map(),
    notes: [],
    ...overrides
  }
}

/** Steps laid end to end from `startSecond`, each `seconds[i]` long, named by `names[i]`. */
export function stepsInSequence(names: readonly string[], seconds: readonly number[], startSecond = 2): Step[] {
  let t = startSecond
  return names.map((name, i) => {
    const length = seconds[i] ?? 1
    const step = aStep({ number: i + 1, name, startedAt: at(t), completedAt: at(t + length) })
    t += length
    return step
  })
}

/**
 * A run of `jobCount` jobs with `stepCount` steps each; every `failEvery`-th job fails at its
 * last step, with an excerpt of `contextLines` context lines and one error line naming the job.
 */
export function aMatrixReport(jobCount: number, stepCount: number, failEvery: number, contextLines: number): RunReport {
  const jobs: Job[] = []
  const excerpts = new Map<string, StepLogExcerpt>()
  for (let j = 0; j < jobCount; j++) {
    const id = 10_000 + j
    const fails = j % failEvery === 0
    const steps = Array.from({ length: stepCount }, (_, s) =>
      aStep({
        number: s + 1,
        name: s === 0 ? 'Set up job' : `Run step ${s + 1} of the matrix build`,
        conclusion: fails && s === stepCount - 1 ? 'failure' : 'success',
        startedAt: at(10 + s * 5),
        completedAt: at(10 + s * 5 + 4)
      })
    )
    jobs.push(
      aJob({
        id,
        name: `test (node ${j % 4 === 0 ? 20 : 24}, shard ${j + 1}/${jobCount})`,
        conclusion: fails ? 'failure' : 'success',
        htmlUrl: `https://github.com/acme/app/actions/runs/1001/job/${id}`,
        startedAt: at(5),
        completedAt: at(10 + stepCount * 5),
        steps
      })
    )
    if (fails) {
      excerpts.set(
        `${id}:${stepCount}`,
        anExcerpt({
          jobId: id,
          stepNumber: stepCount,
          errorLines: [`Error: shard ${j + 1} failed: expected 200, got 500`],
          contextLines: Array.from({ length: contextLines }, (_, k) => `  at Object.<anonymous> (test/shard-${j + 1}.test.ts:${k + 1}:13) context line ${k}`)
        })
      )
    }
  }
  return aReport({ run: aRun({ conclusion: 'failure' }), jobs, excerpts })
}
