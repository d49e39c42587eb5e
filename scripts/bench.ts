// `npm run bench`: what the action costs, measured against the simulator with the built action.
// 1. Waiting on one run whose state changes about six times, polling every second: the
//    rate-limited requests spent, against a plain poller's one per poll and endpoint.
// 2. Summarizing a 256-job × 20-step run: job-list requests, all requests, summary bytes, time.
// 3. The write commands: a flaky re-run waited for, cancelling ten runs of a commit, deleting
//    twenty old runs: requests by endpoint and wall time (writes are spaced a second apart).
import { Simulator } from '../__tests__/simulator/index.js'
import { runAction, type ActionRun } from '../__tests__/e2e/harness.js'
import { ciRun, daysAgo, flakyRun, longRun, matrixRun, ok, scenario, SHA } from '../__fixtures__/scenarios.js'

const counted = (run: ActionRun) => run.requests.filter((r) => r.origin === 'api' && r.counted)
const api = (run: ActionRun) => run.requests.filter((r) => r.origin === 'api')
const describeRequests = (run: ActionRun) => {
  const byPath = new Map<string, number>()
  for (const r of counted(run)) {
    const key = `${r.method} ${r.path.replace(/\d{3,}/g, '{id}')}`
    byPath.set(key, (byPath.get(key) ?? 0) + 1)
  }
  return [...byPath].map(([k, n]) => `      ${n} × ${k}`).join('\n')
}

// 1. One job whose steps finish two or more seconds apart, so a 1 s poller sees every change:
//    queued → in_progress, four step transitions, completed.
{
  const run = {
    id: 9001,
    workflow: 'ci.yml',
    attempts: [
      {
        at: 0,
        jobs: [{ name: 'build', queuedSeconds: 2, steps: [ok('Run npm ci', 3), ok('Run npm run build', 3), ok('Run npm test', 3)] }]
      }
    ]
  }
  const sim = await Simulator.start(scenario([run]))
  const waited = await runAction(sim, { command: 'wait', 'run-id': '9001', 'poll-interval': '1s', 'log-lines': '0' })
  const polls = api(waited).filter((r) => r.path === '/repos/octo/app/actions/runs/9001').length
  const states = new Set(
    api(waited)
      .filter((r) => r.status === 200 && (r.path.endsWith('/9001') || r.path.endsWith('/9001/jobs')))
      .map((r) => r.realMs)
  ).size
  const pollingCounted = counted(waited).filter((r) => !/timing|approvals|pending/.test(r.path)).length
  console.log('wait on one run, poll-interval 1s')
  console.log(`  wall time                     ${(waited.ms / 1000).toFixed(1)} s, exit ${waited.exitCode}`)
  console.log(`  polls                         ${polls}`)
  console.log(`  API requests sent             ${api(waited).length} (${api(waited).filter((r) => r.status === 304).length} answered 304, free)`)
  console.log(`  polls answered 200 (news)     ${states}`)
  console.log(`  rate-limited: polling + jobs  ${pollingCounted}`)
  console.log(`  rate-limited: all             ${counted(waited).length}`)
  console.log(describeRequests(waited))
  console.log(`  a plain poller (run + jobs every poll) would spend ${polls * 2}`)
  await sim.stop()
}

// 2. The 256 × 20 matrix.
{
  const sim = await Simulator.start(scenario([matrixRun(9002)]))
  const summarized = await runAction(sim, { 'run-id': '9002' })
  const jobLists = api(summarized).filter((r) => r.path.endsWith('/runs/9002/jobs')).length
  console.log('\nsummarize a 256-job × 20-step run')
  console.log(`  wall time                     ${(summarized.ms / 1000).toFixed(1)} s, exit ${summarized.exitCode}`)
  console.log(`  job-list requests             ${jobLists}`)
  console.log(`  rate-limited requests         ${counted(summarized).length}`)
  console.log(describeRequests(summarized))
  console.log(`  summary bytes                 ${Buffer.byteLength(summarized.summary)} (limit 1048576)`)
  console.log(`  outputs.jobs entries          ${(JSON.parse(summarized.outputs.jobs ?? '[]') as unknown[]).length}`)
  await sim.stop()
}

// 3. Write commands.
function report(title: string, run: ActionRun): void {
  console.log(`\n${title}`)
  console.log(`  wall time                     ${(run.ms / 1000).toFixed(1)} s, exit ${run.exitCode}`)
  console.log(`  API requests sent             ${api(run).length} (${api(run).filter((r) => r.status === 304).length} answered 304, free)`)
  console.log(`  rate-limited requests         ${counted(run).length}`)
  console.log(describeRequests(run))
}
{
  const sim = await Simulator.start(scenario([flakyRun(9101, { at: -30 })]), { speed: 5 })
  const run = await runAction(sim, { command: 'rerun', 'run-id': '9101', wait: 'true', 'poll-interval': '1s' })
  report(`rerun a flaky run's failed jobs and wait for the new attempt (5x speed) → ${run.outputs.conclusion}`, run)
  await sim.stop()
}
{
  const runs = Array.from({ length: 10 }, (_, i) => longRun(9200 + i, 600, { at: -20 + i, workflow: i % 2 ? 'lint.yml' : 'ci.yml' }))
  const sim = await Simulator.start(scenario(runs), { speed: 5 })
  const run = await runAction(sim, { command: 'cancel', 'head-sha': SHA, 'poll-interval': '1s' }, { runId: 9999, sha: SHA })
  report(`cancel the 10 runs still going for a commit, verified (5x speed) → ${JSON.parse(run.outputs['cancelled-run-ids'] ?? '[]').length} cancelled`, run)
  await sim.stop()
}
{
  const runs = Array.from({ length: 20 }, (_, i) => ciRun(9300 + i, { at: daysAgo(40) + i }))
  const sim = await Simulator.start(scenario(runs))
  const run = await runAction(sim, { command: 'delete', workflow: 'ci.yml', 'older-than': '30d' })
  report(`delete 20 runs older than 30 days → ${JSON.parse(run.outputs['deleted-run-ids'] ?? '[]').length} deleted`, run)
  await sim.stop()
}
