// `npm run bench`: what the action spends, beside the floor, on the same simulated runs.
//
// Waits run in this process on one fake clock shared with the simulator (a 30-minute run takes
// a moment, polls are at their simulated interval): the action's `wait` (through `run()`, as
// main() calls it), a naive poller (GET the run every interval, the job list once at the end)
// and an ETag poller (the same with If-None-Match: 304s are free). Columns: requests counted
// against the token's hourly budget / all requests, and how long after the run's end the end
// was noticed.
// Then: a gate's requests per poll as it grows from 1 to 100 runs; summarize of a 256 × 30 run
// with 20 failed 1 MB logs by the built action (wall, peak RSS, requests, bytes); the write
// commands by the built action; what `delete`'s keep-pull-requests adds to 20 and 2,500 runs;
// what failure triage adds to summarize (bench-triage.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ciRun, daysAgo, deployableScenario, flakyRun, longRun, ok, scenario, SHA } from '../__fixtures__/scenarios.js'
import { runAction, type ActionRun } from '../__tests__/e2e/harness.js'
import { startBench, TOKEN, type Bench } from '../__tests__/inprocess/harness.js'
import { benchEventGate } from './bench-event-gate.js'
import { benchSweep } from './bench-sweep.js'
import { benchTriage } from './bench-triage.js'
import { Simulator, type JobSpec, type RecordedRequest, type RunSpec } from '../__tests__/simulator/index.js'
import { benchGateRuns, staggeredRuns } from './bench-gate.js'
import { cell, completedAt, costOf, get, job, measureOn, poller, REPO_PATH, type Cost } from './bench-floor.js'

/**
 * await-remote-run 3.0.0 (Codex-/await-remote-run, August 2026), its requests as its source
 * makes them, re-expressed here: every GET conditional (a process-wide ETag cache); first the
 * run's job list (first page, 100 a page) every second until a job is in progress or done, for
 * at most 30 s; then the run every poll interval until it completes; the job list again only if
 * it did not succeed. It writes no summary, and does not look at jobs while the run goes on.
 */
async function awaitRemoteRun(bench: Bench, runId: number, intervalMs: number): Promise<number> {
  const etags = new Map<string, { etag: string; body: unknown }>()
  const read = async (path: string): Promise<unknown> => {
    const cached = etags.get(path)
    const response = await get(bench, path, cached?.etag)
    if (response.status === 304 && cached) {
      await response.arrayBuffer()
      return cached.body
    }
    const body: unknown = await response.json()
    const etag = response.headers.get('etag')
    if (etag) etags.set(path, { etag, body })
    return body
  }
  const jobsPath = `${REPO_PATH}/runs/${runId}/jobs?filter=latest&per_page=100`
  const lookingSince = bench.clock.now()
  while (bench.clock.now() - lookingSince < 30_000) {
    const { jobs } = (await read(jobsPath)) as { jobs: { status: string }[] }
    if (jobs.some((j) => j.status === 'in_progress' || j.status === 'completed')) break
    await bench.clock.sleep(1000)
  }
  for (;;) {
    const run = (await read(`${REPO_PATH}/runs/${runId}`)) as { status: string; conclusion: string | null }
    if (run.status === 'completed') {
      const noticed = bench.clock.now()
      if (run.conclusion !== 'success') await read(jobsPath)
      return noticed
    }
    await bench.clock.sleep(intervalMs)
  }
}

/**
 * The completion-list poller: the run list filtered by the run's check suite and
 * `status=completed` (empty, so a free 304, until the run ends), the job list once at the end.
 * What the issue asked to find out: it sees no status change before the end (no `in_progress`,
 * no `waiting` for an approval), and a re-run's new attempt has another check suite.
 */
async function completionListPoller(bench: Bench, runId: number, intervalMs: number): Promise<number> {
  const run = (await (await get(bench, `${REPO_PATH}/runs/${runId}`)).json()) as { check_suite_id: number }
  const path = `${REPO_PATH}/runs?check_suite_id=${run.check_suite_id}&status=completed&per_page=1`
  let etag: string | undefined
  for (;;) {
    const response = await get(bench, path, etag)
    if (response.status === 200) {
      etag = response.headers.get('etag') ?? undefined
      const { total_count } = (await response.json()) as { total_count: number }
      if (total_count > 0) {
        const noticed = bench.clock.now()
        await (await get(bench, `${REPO_PATH}/runs/${runId}/jobs?per_page=100`)).arrayBuffer()
        return noticed
      }
    } else await response.arrayBuffer()
    await bench.clock.sleep(intervalMs)
  }
}

interface WaitShape {
  title: string
  runs: RunSpec[]
  pollSeconds: number
  /** The action's inputs beyond the poll interval. */
  inputs: Record<string, string>
  /** What the floor pollers watch. */
  target: { runId: number } | { sha: string; runs: number }
}

async function measureWait(shape: WaitShape): Promise<{ action: Cost; naive: Cost; etag: Cost; peer: Cost | null }> {
  const one = (go: (bench: Bench) => Promise<number>): Promise<Cost> => measureOn(shape.runs, go)
  const interval = `${shape.pollSeconds}s`
  const action = await one(async (bench) => {
    const started = bench.clock.now()
    const run = await bench.run({ command: 'wait', 'poll-interval': interval, timeout: '2h', ...shape.inputs }, { headSha: SHA, runId: 9999 })
    if (run.verdict.result !== 'success') throw new Error(`${shape.title}: wait ended ${run.verdict.result}: ${run.error ?? ''}`)
    return started + run.tookMs
  })
  const naive = await one((bench) => poller(bench, shape.target, shape.pollSeconds * 1000, false))
  const etag = await one((bench) => poller(bench, shape.target, shape.pollSeconds * 1000, true))
  const { target } = shape
  const peer = 'runId' in target ? await one((bench) => awaitRemoteRun(bench, target.runId, shape.pollSeconds * 1000)) : null
  return { action, naive, etag, peer }
}

const waitShapes: WaitShape[] = [
  {
    title: '1 run, 2 jobs, 17 s, 1 s polls',
    runs: [{ id: 9001, workflow: 'ci.yml', sha: SHA, attempts: [{ at: 0, jobs: [job('build', [3, 3]), job('test', [3, 3], ['build'])] }] }],
    pollSeconds: 1,
    inputs: { 'run-id': '9001' },
    target: { runId: 9001 }
  },
  {
    title: '1 run, 20 jobs, 5 min, 10 s polls',
    runs: [
      {
        id: 9002,
        workflow: 'ci.yml',
        sha: SHA,
        attempts: [
          {
            at: 0,
            jobs: [
              job('build', [10, 40, 20]),
              ...Array.from({ length: 19 }, (_, i) => job(`test (shard ${i + 1})`, [5, 60 + i * 8, 30 + (i % 5) * 10], ['build']))
            ]
          }
        ]
      }
    ],
    pollSeconds: 10,
    inputs: { 'run-id': '9002' },
    target: { runId: 9002 }
  },
  {
    title: '1 run, 30 min, 10 s polls',
    runs: [longRun(9003, 1800, { at: 0 })],
    pollSeconds: 10,
    inputs: { 'run-id': '9003' },
    target: { runId: 9003 }
  },
  {
    title: 'gate on a commit with 10 runs, 10 s polls',
    runs: staggeredRuns(10),
    pollSeconds: 10,
    inputs: {},
    target: { sha: SHA, runs: 10 }
  }
]

// `npm run bench -- gate`: the gate over many runs alone.
if (process.argv[2] === 'gate') {
  await benchGateRuns()
  process.exit(0)
}

console.log('wait: rate-limited / all requests, and how late the end was noticed')
console.log('| shape | run-control | await-remote-run 3.0.0 (modelled, no summary) | ETag poller | naive poller |')
console.log('|---|---|---|---|---|')
for (const shape of waitShapes) {
  const { action, naive, etag, peer } = await measureWait(shape)
  console.log(`| ${shape.title} | ${cell(action)} | ${peer ? cell(peer) : '— (one run only)'} | ${cell(etag)} | ${cell(naive)} |`)
}
// Fail-fast (the default) looks at the completed check runs every 30 s while jobs run, to notice
// a failed job before its run ends; without it, the action's extra over the ETag poller is the
// final job list (and the expected finish's one list).
for (const shape of waitShapes.filter((s) => !s.title.includes('2 jobs'))) {
  const { action, etag, peer } = await measureWait({ ...shape, title: `${shape.title}, fail-fast: false`, inputs: { ...shape.inputs, 'fail-fast': 'false' } })
  console.log(`| ${shape.title}, \`fail-fast: false\` | ${cell(action)} | ${peer ? cell(peer) : '—'} | ${cell(etag)} | |`)
}

// The completion list, for the issue's question whether a cheaper completion signal exists.
console.log('\ncompletion list (runs?check_suite_id=…&status=completed, then the job list) beside the ETag poller:')
for (const shape of waitShapes) {
  const { target } = shape
  if (!('runId' in target)) continue
  const bench = await startBench(scenario(shape.runs))
  try {
    const noticed = await completionListPoller(bench, target.runId, shape.pollSeconds * 1000)
    console.log(`  ${shape.title}: ${cell(costOf([...bench.sim.requests], noticed - (await completedAt(bench, [target.runId]))))}`)
  } finally {
    await bench.sim.stop()
  }
}

// Waiting on the other jobs of the current run (alls-green), and a `job` gate: their job lists
// decide, read when a job ended (check runs) rather than at every poll.
{
  const parts = Array.from({ length: 6 }, (_, i) => ({ name: `part ${i}`, steps: Array.from({ length: 30 + i * 10 }, (_, s) => ok(`Run step ${s}`, 1)) }))
  const current: RunSpec = {
    id: 9020,
    workflow: 'ci.yml',
    sha: SHA,
    attempts: [{ at: 0, jobs: [{ name: 'gate', runnerName: 'GitHub Actions 1', steps: [ok('Run run-control', 600)] }, ...parts] }]
  }
  for (const [title, inputs, context] of [
    [
      'the other 6 jobs of the current run (30–80 one-second steps each), 2 s polls',
      { 'run-id': '9020', 'job-id': String(9020 * 100000 + 1000) },
      { runId: 9020 }
    ],
    ['a `job` gate on 2 of those jobs, 2 s polls', { 'run-id': '9020', job: 'part 0, part 1' }, { runId: 9999 }]
  ] as const) {
    const bench = await startBench(scenario([current]))
    const run = await bench.run({ command: 'wait', 'poll-interval': '2s', ...inputs }, { headSha: SHA, ...context })
    const api = run.requests.filter((r) => r.origin === 'api')
    const jobLists = api.filter((r) => r.path.endsWith('/jobs')).length
    console.log(
      `\n${title} → ${run.verdict.result} after ${(run.tookMs / 1000).toFixed(0)} s: ${api.filter((r) => r.counted).length} rate-limited / ${api.length} requests, ${jobLists} job lists`
    )
    await bench.sim.stop()
  }
}

// Fail-fast: a job that fails while the run's other jobs go on for minutes.
{
  const jobs = [
    job('build', [10]),
    ...Array.from({ length: 19 }, (_, i) => ({
      ...job(`test ${i}`, [i === 3 ? 40 : 280], ['build']),
      ...(i === 3 ? { steps: [{ name: 'Run tests', seconds: 40, conclusion: 'failure' as const }] } : {})
    }))
  ]
  const bench = await startBench(scenario([{ id: 9010, workflow: 'ci.yml', sha: SHA, attempts: [{ at: 0, jobs }] }]))
  const started = bench.clock.now()
  const run = await bench.run({ command: 'wait', 'run-id': '9010', 'poll-interval': '10s' })
  const failed = (JSON.parse(run.outputs.jobs ?? '[]') as { name: string; completed_at?: string; completedAt?: string }[]).find((j) => j.name === 'test 3')
  const failedAt = Date.parse(failed?.completed_at ?? failed?.completedAt ?? '')
  const noticed = started + run.tookMs
  const counted = run.requests.filter((r) => r.origin === 'api' && r.counted).length
  console.log(
    `\nfail-fast: one of 20 jobs fails at ${((failedAt - started) / 1000).toFixed(0)} s while the others run to ~300 s (10 s polls): the wait ended ${((noticed - failedAt) / 1000).toFixed(0)} s after the failure, ${run.verdict.result}, ${counted} rate-limited requests`
  )
  await bench.sim.stop()
}

// Dispatch-and-wait: start deploy.yml (a 22 s run) and wait for it, 1 s polls.
for (const answer of ['run-details', 'no-content'] as const) {
  const bench = await startBench(deployableScenario(), { dispatchAnswer: answer })
  const run = await bench.run({
    command: 'dispatch',
    workflow: 'deploy.yml',
    inputs: 'environment: staging',
    wait: 'true',
    'poll-interval': '1s',
    ...(answer === 'no-content' ? { 'marker-input': 'distinct_id' } : {})
  })
  const api = run.requests.filter((r) => r.origin === 'api')
  const byPath = new Map<string, number>()
  for (const r of api.filter((r) => r.counted))
    byPath.set(`${r.method} ${r.path.replace(/\d{3,}/g, '{id}')}`, (byPath.get(`${r.method} ${r.path.replace(/\d{3,}/g, '{id}')}`) ?? 0) + 1)
  console.log(
    `\ndispatch deploy.yml and wait for it (${answer === 'run-details' ? 'GitHub returns the run id' : 'no run id: found by its marker'}), 1 s polls → ${run.verdict.result}`
  )
  console.log(`  ${api.filter((r) => r.counted).length} rate-limited / ${api.length} API requests: ${[...byPath].map(([k, n]) => `${n} × ${k}`).join(', ')}`)
  await bench.sim.stop()
}

// A gate on n long runs, after the appear window: what one poll costs.
console.log('\ngate: requests per poll after the appear window (runs of 20 min, 10 s polls, minutes 2 to 5)')
console.log('| runs | rate-limited per poll | all per poll |')
console.log('|--:|--:|--:|')
for (const n of [1, 10, 30, 100]) {
  const runs = Array.from({ length: n }, (_, i) => longRun(9200 + i, 1200, { at: -5, workflow: i % 2 ? 'lint.yml' : 'ci.yml' }))
  const bench = await startBench(scenario(runs))
  const started = bench.clock.now()
  await bench.run(
    { command: 'wait', 'poll-interval': '10s', 'appear-timeout': '60s', timeout: '1h' },
    { headSha: SHA, runId: 9999 },
    { stopAfterMs: 5 * 60_000 }
  )
  const window = bench.sim.requests.filter((r) => r.origin === 'api' && r.atMs >= started + 120_000 && r.atMs < started + 300_000)
  const polls = 18
  console.log(`| ${n} | ${(window.filter((r) => r.counted).length / polls).toFixed(1)} | ${(window.length / polls).toFixed(1)} |`)
  await bench.sim.stop()
}

// Summarize 256 jobs × 30 steps, 20 of them failed with a 1 MB log each, by the built action.
{
  const jobs: JobSpec[] = Array.from({ length: 256 }, (_, j) => ({
    name: `test (shard ${j + 1}/256)`,
    queuedSeconds: 0,
    steps: Array.from({ length: 28 }, (_, s) => {
      const failing = j % 13 === 0 && j < 260 && s === 27
      return {
        name: `Step ${s + 1}`,
        seconds: 1,
        ...(failing ? { conclusion: 'failure' as const, fillerLines: 9_500, log: ['##[error]Shard failed: 3 tests'] } : {})
      }
    })
  }))
  const run: RunSpec = { id: 9300, workflow: 'ci.yml', sha: SHA, attempts: [{ at: -120, jobs }] }
  const sim = await Simulator.start(scenario([run]))
  // The action's own peak RSS, written by a preloaded module when its process exits.
  const dir = mkdtempSync(join(tmpdir(), 'bench-rss-'))
  const rssFile = join(dir, 'rss')
  // (NODE_OPTIONS splits at spaces and drops double quotes: the module has neither.)
  const probe = `data:text/javascript,process.on('exit',()=>process.getBuiltinModule('fs').writeFileSync('${rssFile}',String(process.resourceUsage().maxRSS)))`
  writeFileSync(rssFile, '0')
  const summarized = await runAction(sim, { command: 'summarize', 'run-id': '9300' }, { env: { NODE_OPTIONS: `--import=${probe}` } })
  const rssKiB = Number(readFileSync(rssFile, 'utf8'))
  const failed = jobs.filter((j) => j.steps.some((s) => s.conclusion === 'failure')).length
  const logBytes = summarized.requests.filter((r) => r.origin === 'logs').reduce((sum, r) => sum + (r.bytes ?? 0), 0)
  const api = summarized.requests.filter((r) => r.origin === 'api')
  if (summarized.exitCode !== 0) console.log(summarized.log.slice(0, 2000))
  console.log(`\nsummarize 256 jobs × 30 steps, ${failed} failed steps with ~1 MB logs (built action, exit ${summarized.exitCode})`)
  console.log(
    `  wall ${(summarized.ms / 1000).toFixed(2)} s · peak RSS ${(rssKiB / 1024).toFixed(0)} MB · ${api.filter((r) => r.counted).length} rate-limited / ${api.length} API requests · ${(logBytes / 1e6).toFixed(1)} MB of logs read · summary ${Buffer.byteLength(summarized.summary)} bytes`
  )
  await sim.stop()
}

// The write commands, by the built action (writes are spaced a second apart).
function report(title: string, run: ActionRun): void {
  const api = run.requests.filter((r) => r.origin === 'api')
  const byPath = new Map<string, number>()
  for (const r of api.filter((r) => r.counted)) {
    const key = `${r.method} ${r.path.replace(/\d{3,}/g, '{id}')}`
    byPath.set(key, (byPath.get(key) ?? 0) + 1)
  }
  console.log(`\n${title}`)
  console.log(`  wall ${(run.ms / 1000).toFixed(1)} s, exit ${run.exitCode} · ${api.filter((r) => r.counted).length} rate-limited / ${api.length} API requests`)
  for (const [k, n] of byPath) console.log(`    ${n} × ${k}`)
}
{
  const sim = await Simulator.start(scenario([flakyRun(9401, { at: -30 })]), { speed: 5 })
  const run = await runAction(sim, { command: 'rerun', 'run-id': '9401', wait: 'true', 'poll-interval': '1s' })
  report(`rerun a flaky run's failed jobs and wait for the new attempt (5x speed) → ${run.outputs.conclusion}`, run)
  await sim.stop()
}
{
  const runs = Array.from({ length: 10 }, (_, i) => longRun(9500 + i, 600, { at: -20 + i, workflow: i % 2 ? 'lint.yml' : 'ci.yml' }))
  const sim = await Simulator.start(scenario(runs), { speed: 5 })
  const run = await runAction(sim, { command: 'cancel', 'head-sha': SHA, 'poll-interval': '1s' }, { runId: 9999, sha: SHA })
  report(`cancel the 10 runs still going for a commit, verified (5x speed) → ${JSON.parse(run.outputs['cancelled-run-ids'] ?? '[]').length} cancelled`, run)
  await sim.stop()
}
{
  const runs = Array.from({ length: 20 }, (_, i) => ciRun(9600 + i, { at: daysAgo(40) + i }))
  const sim = await Simulator.start(scenario(runs))
  const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml', 'older-than': '30d' })
  report(`delete 20 runs older than 30 days → ${JSON.parse(run.outputs['deleted-run-ids'] ?? '[]').length} deleted`, run)
  await sim.stop()
}
// What keep-pull-requests adds to a clean-up: the open pull requests, listed once, 100 a page
// (nothing when nothing is to be deleted). In process on the fake clock: the same runs deleted with
// the guard off and on, against 0, 30 and 250 open pull requests (none on the runs' commits, so
// the deletes are the same). 2,500 runs are a dry run: the guard's requests do not depend on the
// deletes, and 2,500 deletes would be 2,500 more requests on both sides.
{
  console.log(`\nkeep-pull-requests: requests it adds to delete (in process; rate-limited requests, guard off → on)`)
  const bare = (count: number): RunSpec[] =>
    Array.from({ length: count }, (_, i) => ({ id: 20_000 + i, workflow: 'ci.yml', attempts: [{ at: daysAgo(40) + Math.floor(i / 3), jobs: [] }] }))
  const pulls = (count: number) => Array.from({ length: count }, (_, i) => ({ number: i + 1, sha: (i + 1).toString(16).padStart(40, 'f'), at: -i }))
  const counted = (requests: readonly RecordedRequest[]): number => requests.filter((r) => r.origin === 'api' && r.counted).length
  for (const runs of [20, 2500]) {
    for (const open of [0, 30, 250]) {
      const cost: Record<string, number> = {}
      let guardReads = ''
      for (const guard of ['false', 'true']) {
        const bench = await startBench({ ...scenario(bare(runs)), pullRequests: pulls(open) }, { rateLimit: 100_000 })
        const run = await bench.run({
          command: 'delete',
          workflow: 'ci.yml',
          timeout: '2h',
          'keep-pull-requests': guard,
          ...(runs > 20 ? { 'dry-run': 'true' } : {})
        })
        cost[guard] = counted(run.requests)
        if (guard === 'true')
          guardReads = run.requests
            .filter((r) => r.path.endsWith('/pulls'))
            .map((r) => `GET /pulls page ${r.query.page ?? '1'}`)
            .join(', ')
        await bench.sim.stop()
      }
      const added = (cost.true ?? 0) - (cost.false ?? 0)
      console.log(
        `  ${String(runs).padStart(4)} runs${runs > 20 ? ' (dry run)' : ''}, ${String(open).padStart(3)} open pull requests: ${cost.false} → ${cost.true} (+${added}: ${guardReads})`
      )
    }
  }
  // A token without pull-requests: read: the refused list, and the repository when the event does not name its default branch.
  for (const event of [{ defaultBranch: 'main' }, {}]) {
    const bench = await startBench({ ...scenario(bare(20)), pullRequests: pulls(30) }, { tokens: { [TOKEN]: { pullRequests: 'none' } } })
    const run = await bench.run({ command: 'delete', workflow: 'ci.yml' }, event)
    const extra = run.requests
      .filter((r) => r.path.endsWith('/pulls') || r.path === '/repos/octo/app')
      .map((r) => `GET ${r.path.replace('/repos/octo/app', '') || '/repos/{o}/{r}'} ${r.status}`)
    console.log(
      `    20 runs, no pull-requests: read, default branch ${'defaultBranch' in event ? 'in the event' : 'read from the repository'}: +${extra.length} (${extra.join(', ')})`
    )
    await bench.sim.stop()
  }
}

await benchGateRuns()
await benchEventGate()
await benchSweep()

await benchTriage()
