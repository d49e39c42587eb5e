// How long `delete` takes at the paced rate: deletes N runs (default 2,500) of one workflow in
// process, against the simulator on the fake clock, with the client's production write spacing
// (1 s). The spacing runs on the throttling plugin's real timers, so this takes real time: about
// N seconds (2,500: some 42 minutes). The simulator's rate limit is raised out of the way: with
// GITHUB_TOKEN's 1,000 requests an hour the deletes would also wait for the hourly resets.
//
//   npx tsx scripts/bench-delete.ts [runs] [write-spacing-ms]
import { startBench } from '../__tests__/inprocess/harness.js'
import { daysAgo, scenario } from '../__fixtures__/scenarios.js'
import { DEFAULT_TIMING } from '../src/github/client.js'

const count = Number(process.argv[2] ?? 2500)
const spacingMs = Number(process.argv[3] ?? DEFAULT_TIMING.writeSpacingMs)
// Three runs a second, from 40 days ago: the searches split seconds as they walk back.
const runs = Array.from({ length: count }, (_, i) => ({ id: 100_000 + i, workflow: 'ci.yml', attempts: [{ at: daysAgo(40) + Math.floor(i / 3), jobs: [] }] }))
const bench = await startBench(scenario(runs), { rateLimit: 1_000_000, timing: { writeSpacingMs: spacingMs } })
const started = Date.now()
const run = await bench.run({ command: 'delete', workflow: 'ci.yml', timeout: '24h' })
const wallMs = Date.now() - started
const deletes = run.requests.filter((r) => r.method === 'DELETE')
const lists = run.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/runs'))
const gaps = deletes.slice(1).map((r, i) => r.realMs - (deletes[i]?.realMs ?? 0))
console.log(
  JSON.stringify(
    {
      runs: count,
      writeSpacingMs: spacingMs,
      result: run.verdict.result,
      error: run.error,
      deletes: deletes.length,
      distinctDeletes: new Set(deletes.map((r) => r.path)).size,
      listRequests: lists.length,
      // keep-pull-requests: the open pull requests, listed once (the scenario has none: one page).
      pullRequestLists: run.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pulls')).length,
      wallSeconds: Math.round(wallMs / 100) / 10,
      firstToLastDeleteSeconds: Math.round(((deletes.at(-1)?.realMs ?? 0) - (deletes[0]?.realMs ?? 0)) / 100) / 10,
      meanGapMs: gaps.length ? Math.round(gaps.reduce((a, b) => a + b, 0) / gaps.length) : null,
      minGapMs: gaps.length ? Math.min(...gaps) : null,
      maxGapMs: gaps.length ? Math.max(...gaps) : null,
      progressLines: run.log.filter((line) => line.startsWith('Progress: ')).length
    },
    null,
    1
  )
)
await bench.sim.stop()
