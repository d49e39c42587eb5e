// A pull request whose CI is 10 workflows over 20 minutes, gated two ways on the same commit: by
// events (`once: true`: one short job per event, the pull request's and each run's requested and
// completed) and by a polling gate (`status-context`, one job for all of CI). In process on the
// fake clock shared with the simulator. Jobs are billed whole minutes on private repositories.
import { ok, SHA } from '../__fixtures__/scenarios.js'
import type { ActionContext, WakingRun } from '../src/runner/context.js'
import { startBench } from '../__tests__/inprocess/harness.js'
import type { FileSpec, RunSpec, Scenario } from '../__tests__/simulator/index.js'

const WORKFLOWS = Array.from({ length: 10 }, (_, i) => ({ id: 500 + i, name: `W${i + 1}`, file: `w${i + 1}.yml` }))
const GATE_REF = 'octo/app/.github/workflows/gate.yml@refs/heads/main'

/** Workflow i starts at minute i·1.5 and runs 2 + i/2 minutes: the last ends near minute 20. */
function ciScenario(): Scenario {
  const runs: RunSpec[] = WORKFLOWS.map((w, i) => ({
    id: 8000 + i,
    workflow: w.file,
    sha: SHA,
    attempts: [{ at: i * 90, jobs: [{ name: 'job', queuedSeconds: 5, steps: [ok('Run work', 120 + i * 30)] }] }]
  }))
  const files: FileSpec[] = [
    {
      path: '.github/workflows/gate.yml',
      ref: 'main',
      content: `name: Gate\non:\n  workflow_run:\n    workflows: [${WORKFLOWS.map((w) => w.name).join(', ')}]\n    types: [requested, completed]\njobs: {}\n`
    },
    ...WORKFLOWS.map((w) => ({ path: `.github/workflows/${w.file}`, ref: 'main', content: `name: ${w.name}\non: pull_request\njobs: {}\n` }))
  ]
  return { owner: 'octo', repo: 'app', workflows: [...WORKFLOWS, { id: 599, name: 'Gate', file: 'gate.yml' }], runs, files }
}

interface GateCost {
  jobs: number
  stepMs: number
  billedMinutes: number
  counted: number
  all: number
  final: string
}

const inputs = { command: 'wait', 'status-context': 'all-green', workflow: WORKFLOWS.map((w) => w.file).join(', '), timeout: '40m' }
const base: Partial<ActionContext> = { headSha: SHA, runId: 9999, workflowRef: GATE_REF }

async function byEvents(): Promise<GateCost> {
  const bench = await startBench(ciScenario())
  const start = bench.clock.now()
  // The pull request's event, then each run's requested and completed, in time order.
  // A workflow_run event carries the run as it was a second before the event was sent.
  const events: { atMs: number; waking?: Omit<WakingRun, 'updatedAt'> }[] = [{ atMs: 0 }]
  WORKFLOWS.forEach((w, i) => {
    const run = { id: 8000 + i, attempt: 1, name: w.name, path: `.github/workflows/${w.file}`, headSha: SHA }
    const startMs = i * 90_000
    const endMs = startMs + (5 + 120 + i * 30 + 10) * 1000
    events.push({ atMs: startMs + 1000, waking: { ...run, status: 'queued', conclusion: null } })
    events.push({ atMs: endMs + 1000, waking: { ...run, status: 'completed', conclusion: 'success' } })
  })
  events.sort((a, b) => a.atMs - b.atMs)
  const cost: GateCost = { jobs: 0, stepMs: 0, billedMinutes: 0, counted: 0, all: 0, final: '' }
  for (const event of events) {
    const wait = start + event.atMs - bench.clock.now()
    if (wait > 0) await bench.clock.sleep(wait)
    const { waking } = event
    const context: Partial<ActionContext> = waking
      ? {
          eventName: 'workflow_run',
          event: {
            action: waking.status === 'completed' ? 'completed' : 'requested',
            wakingRun: { ...waking, updatedAt: new Date(bench.sim.nowMs() - 1000).toISOString() }
          }
        }
      : { eventName: 'pull_request_target' }
    const run = await bench.run({ ...inputs, once: 'true' }, { ...base, ...context })
    const api = run.requests.filter((r) => r.origin === 'api')
    cost.jobs++
    cost.stepMs += run.tookMs
    cost.billedMinutes += Math.max(1, Math.ceil(run.tookMs / 60_000))
    cost.counted += api.filter((r) => r.counted).length
    cost.all += api.length
    cost.final = run.outputs['status-state'] ?? ''
  }
  await bench.sim.stop()
  return cost
}

async function byPolling(): Promise<GateCost> {
  const bench = await startBench(ciScenario())
  const run = await bench.run({ ...inputs, 'poll-interval': '10s', 'appear-timeout': '15m' }, { ...base, eventName: 'pull_request' })
  const api = run.requests.filter((r) => r.origin === 'api')
  await bench.sim.stop()
  const counted = api.filter((r) => r.counted).length
  return {
    jobs: 1,
    stepMs: run.tookMs,
    billedMinutes: Math.max(1, Math.ceil(run.tookMs / 60_000)),
    counted,
    all: api.length,
    final: run.outputs['status-state'] ?? ''
  }
}

export async function benchEventGate(): Promise<void> {
  console.log('\ngate without a runner: a pull request whose CI is 10 workflows over ~20 minutes, on one commit')
  console.log('| gate | jobs started | step time, summed | billed minutes (each job rounded up) | rate-limited / all requests | final status |')
  console.log('|---|--:|--:|--:|--:|---|')
  for (const [title, measure] of [
    ['by events (once: true)', byEvents],
    ['polling (status-context, 10 s polls)', byPolling]
  ] as const) {
    const c = await measure()
    console.log(`| ${title} | ${c.jobs} | ${(c.stepMs / 1000).toFixed(0)} s | ${c.billedMinutes} | ${c.counted} / ${c.all} | ${c.final} |`)
  }
}
