// `npm run bench`, failure triage: the requests `triage` adds to `summarize` of a pull request's
// run with 1 and with 10 failed jobs, against a base branch of 20 runs (re-runs, failures,
// cancelled runs; other branches and a fork's `main` interleaved), in process on the fake clock.
import { scenario } from '../__fixtures__/scenarios.js'
import { startBench } from '../__tests__/inprocess/harness.js'
import { history, pullRequestRun, type BaseOutcome } from '../__tests__/simulator/histories.js'
import type { RecordedRequest } from '../__tests__/simulator/index.js'

/** 20 runs of main: passing with re-runs, one run of a commit twice, cancelled runs, then failing. */
const MIXED: BaseOutcome[] = [
  ...Array.from({ length: 12 }, (_, i): BaseOutcome => (i % 4 === 1 ? 'rerun-pass' : 'pass')),
  'cancelled',
  'commit-pass',
  'pass',
  'fail',
  'fail',
  'cancelled',
  'fail',
  'fail'
]
/** 20 runs of main: passing, then failing since the 16th. */
const FAILING_SINCE: BaseOutcome[] = [...Array.from({ length: 15 }, (): BaseOutcome => 'pass'), 'fail', 'fail', 'fail', 'fail', 'fail']

function added(on: readonly RecordedRequest[], off: readonly RecordedRequest[]): string {
  const count = (requests: readonly RecordedRequest[]) => {
    const byPath = new Map<string, number>()
    for (const r of requests.filter((r) => r.origin === 'api')) {
      const key = `GET ${r.path.replace('/repos/octo/app/actions', '').replace(/\d{3,}/g, '{id}')}${r.query.filter ? `?filter=${r.query.filter}` : ''}`
      byPath.set(key, (byPath.get(key) ?? 0) + 1)
    }
    return byPath
  }
  const before = count(off)
  return [...count(on)]
    .map(([key, n]) => [key, n - (before.get(key) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => `${n} × ${key}`)
    .join(', ')
}

export async function benchTriage(): Promise<void> {
  console.log('\ntriage: requests it adds to summarize (in process; rate-limited / all API requests, triage false → true)')
  for (const [title, outcomes] of [
    ['a mixed history', MIXED],
    ['a base branch failing since run 16', FAILING_SINCE]
  ] as const)
    for (const failed of [1, 10]) await measure(title, outcomes, failed)
}

async function measure(title: string, outcomes: readonly BaseOutcome[], failed: number): Promise<void> {
  const legs = Array.from({ length: failed - 1 }, (_, i) => `shard ${i + 2}`)
  const runs = [...history({ firstId: 100, outcomes, noise: true, alike: legs }), pullRequestRun(9000, { failing: legs })]
  const bench = await startBench(scenario(runs))
  const off = (await bench.run({ command: 'summarize', 'run-id': '9000', triage: 'false' })).requests.filter((r) => r.origin === 'api')
  const triaged = await bench.run({ command: 'summarize', 'run-id': '9000' })
  const on = triaged.requests.filter((r) => r.origin === 'api')
  const kinds = new Set((JSON.parse(triaged.outputs.triage ?? '[]') as { kind: string }[]).map((entry) => entry.kind))
  const counted = (requests: readonly RecordedRequest[]) => requests.filter((r) => r.counted).length
  console.log(`  ${title}, ${failed} failed ${failed === 1 ? 'job' : 'jobs'} (triaged ${[...kinds].join(', ')})`)
  console.log(`    ${counted(off)} / ${off.length} → ${counted(on)} / ${on.length} (+${on.length - off.length}: ${added(on, off)})`)
  await bench.sim.stop()
}
