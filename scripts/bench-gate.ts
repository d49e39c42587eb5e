// A gate over many runs of one commit beside the floor that lists the commit's runs with ETags
// (a 304 is free): what the gate's rate-limited requests cost over that floor, on several run
// shapes, and how late each noticed the end. In process, on the fake clock shared with the
// simulator; 10 s polls. Target: at most 1.2 × the floor on every shape.
import { SHA } from '../__fixtures__/scenarios.js'
import type { RunSpec } from '../__tests__/simulator/index.js'
import { cell, job, measureOn, poller, type Cost } from './bench-floor.js'

const POLL_MS = 10_000

/** n runs (two workflows) starting 3 s apart and taking 15 s more each: finishes spread over minutes. */
export function staggeredRuns(n: number): RunSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: 9100 + i,
    workflow: i % 2 === 0 ? 'ci.yml' : 'lint.yml',
    sha: SHA,
    attempts: [{ at: i * 3, jobs: [job('build', [20 + i * 5, 10]), job('test', [30 + i * 7], ['build'])] }]
  }))
}

/** n runs started within n seconds that end within about a minute of each other; `failing`: the run whose test fails. */
export function bunchedRuns(n: number, failing?: number): RunSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const test = job('test', [40 + (i % 7) * 5], ['build'])
    if (i === failing) test.steps = [{ name: 'Run step 1', seconds: 30, conclusion: 'failure' }]
    return {
      id: 9100 + i,
      workflow: i % 2 === 0 ? 'ci.yml' : 'lint.yml',
      sha: SHA,
      attempts: [{ at: i, jobs: [job('build', [20 + (i % 5) * 4, 10]), test] }]
    }
  })
}

const SHAPES: { title: string; runs: RunSpec[]; result: string }[] = [
  { title: '10 runs, finishes over 3 min', runs: staggeredRuns(10), result: 'success' },
  { title: '30 runs, all passing within a minute', runs: bunchedRuns(30), result: 'success' },
  { title: '30 runs, one failing', runs: bunchedRuns(30, 12), result: 'failure' },
  { title: '30 runs, finishes over 8 min', runs: staggeredRuns(30), result: 'success' }
]

/** The gate's cost on `shape` with `inputs` beside the defaults; it must end as the shape says. */
function measureGate(shape: (typeof SHAPES)[number], inputs: Record<string, string>): Promise<Cost> {
  return measureOn(shape.runs, async (bench) => {
    const started = bench.clock.now()
    const run = await bench.run({ command: 'wait', 'poll-interval': `${POLL_MS / 1000}s`, timeout: '2h', ...inputs }, { headSha: SHA, runId: 9999 })
    if (run.verdict.result !== shape.result) throw new Error(`${shape.title}: the gate ended ${run.verdict.result}: ${run.error ?? ''}`)
    return started + run.tookMs
  })
}

export async function benchGateRuns(): Promise<void> {
  console.log(`\ngate over a commit's runs beside the ETag poller that lists them (10 s polls; rate-limited / all requests, how late the end was noticed)`)
  console.log('| shape | run-control (gate) | ÷ poller | `fail-fast: false` | ÷ poller | ETag list poller |')
  console.log('|---|---|--:|---|--:|---|')
  for (const shape of SHAPES) {
    const gate = await measureGate(shape, {})
    const noFailFast = await measureGate(shape, { 'fail-fast': 'false' })
    const floor = await measureOn(shape.runs, (bench) => poller(bench, { sha: SHA, runs: shape.runs.length }, POLL_MS, true))
    const ratio = (c: Cost): string => `${(c.counted / floor.counted).toFixed(2)} ×`
    console.log(`| ${shape.title} | ${cell(gate)} | ${ratio(gate)} | ${cell(noFailFast)} | ${ratio(noFailFast)} | ${cell(floor)} |`)
  }
}
