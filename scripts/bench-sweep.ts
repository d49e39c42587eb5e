// The sweep (`once: true` on `schedule`): what one sweep of 50 open pull requests costs, the
// first one after the gate is installed (every status absent) and a usual one (most statuses
// final, a few left pending by a lost event). In process on the fake clock shared with the
// simulator; every pull request's CI is one passed run of one workflow.
import { ciRun, scenario } from '../__fixtures__/scenarios.js'
import { startBench } from '../__tests__/inprocess/harness.js'
import type { CommitStatusSpec, FileSpec, Scenario } from '../__tests__/simulator/index.js'

const MAIN = 'aaaa000000000000000000000000000000000000'
const OPEN = 50
const sha = (n: number): string => n.toString(16).padStart(4, '0').padEnd(40, 'b')
const files: FileSpec[] = [
  {
    path: '.github/workflows/gate.yml',
    ref: 'main',
    content: 'name: Gate\non:\n  schedule:\n    - cron: "*/15 * * * *"\n  workflow_run:\n    workflows: [CI]\n    types: [requested, completed]\njobs: {}\n'
  },
  { path: '.github/workflows/ci.yml', ref: 'main', content: 'name: CI\non: pull_request\njobs: {}\n' }
]

function sweepScenario(statuses: CommitStatusSpec[]): Scenario {
  const numbers = Array.from({ length: OPEN }, (_, i) => i + 1)
  return {
    ...scenario(numbers.map((n) => ciRun(3000 + n, { sha: sha(n) }))),
    files,
    commits: [MAIN],
    pullRequests: numbers.map((n) => ({ number: n, sha: sha(n), at: n })),
    statuses
  }
}

async function measure(statuses: CommitStatusSpec[]): Promise<{ counted: number; all: number; judged: number }> {
  const bench = await startBench(sweepScenario(statuses))
  try {
    await bench.clock.sleep(600_000)
    const run = await bench.run(
      { command: 'wait', once: 'true', 'status-context': 'all-green', workflow: 'ci.yml' },
      { headSha: MAIN, runId: 4242, eventName: 'schedule', workflowRef: 'octo/app/.github/workflows/gate.yml@refs/heads/main' }
    )
    if (run.outputs.result !== 'success') throw new Error(`sweep ended ${run.outputs.result}: ${run.error ?? ''}`)
    const api = run.requests.filter((r) => r.origin === 'api')
    const judged = api.filter((r) => r.method === 'POST').length
    return { counted: api.filter((r) => r.counted).length, all: api.length, judged }
  } finally {
    await bench.sim.stop()
  }
}

export async function benchSweep(): Promise<void> {
  const final = (n: number): CommitStatusSpec => ({ sha: sha(n), context: 'all-green', state: 'success', description: 'Passed: CI' })
  const stuck = (n: number): CommitStatusSpec => ({ sha: sha(n), context: 'all-green', state: 'pending', description: 'Waiting for CI' })
  const shapes: [string, CommitStatusSpec[]][] = [
    ['first sweep: no pull request has the status yet', []],
    ['usual sweep: 45 final, 5 left pending by a lost event', Array.from({ length: OPEN }, (_, i) => (i % 10 === 0 ? stuck(i + 1) : final(i + 1)))],
    ['quiet sweep: all 50 final', Array.from({ length: OPEN }, (_, i) => final(i + 1))]
  ]
  console.log(`\nthe sweep (once: true on schedule) over ${OPEN} open pull requests, each with one passed CI run`)
  console.log('| sweep | pull requests judged | rate-limited / all requests |')
  console.log('|---|--:|--:|')
  for (const [title, statuses] of shapes) {
    const c = await measure(statuses)
    console.log(`| ${title} | ${c.judged} | ${c.counted} / ${c.all} |`)
  }
}
