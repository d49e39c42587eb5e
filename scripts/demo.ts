// `npm run demo`: what a user sees, without GitHub. Starts the built-in GitHub API simulator with
// a CI run of several jobs (one test step fails, and passes when re-run: a flaky test), runs the
// built action's `wait` (as a gate on the commit), `summarize`, and `rerun` with `wait: true`
// against it, and prints the log and outputs; the job summaries go to files whose paths are printed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Simulator } from '../__tests__/simulator/index.js'
import { ROOT, runAction, type ActionRun } from '../__tests__/e2e/harness.js'
import { demoRuns, scenario, SHA } from '../__fixtures__/scenarios.js'

/** Ten simulated seconds per real second: a three-minute CI run plays in about twenty seconds. */
const SPEED = 10
const { ci, docs, gate } = demoRuns()

function show(title: string, run: ActionRun): void {
  console.log(`\n━━━ ${title} (exit code ${run.exitCode}, ${(run.ms / 1000).toFixed(1)}s) ━━━`)
  console.log('--- log ---')
  console.log(run.log.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n').trimEnd())
  console.log('--- outputs ---')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name} = ${value.length > 160 ? `${value.slice(0, 160)}… (${value.length} chars)` : value}`)
  }
}

const sim = await Simulator.start(scenario([ci, docs, gate]), { speed: SPEED })
try {
  console.log(`GitHub API simulator on ${sim.apiUrl} (logs on ${sim.logOrigin}), ${SPEED}× speed.`)
  const context = { sha: SHA, runId: gate.id }
  const waited = await runAction(sim, { command: 'wait', 'poll-interval': '1s', 'appear-timeout': '3s' }, context)
  show('wait: gate on the commit', waited)
  const summarized = await runAction(sim, { command: 'summarize', 'run-id': String(ci.id) }, context)
  show('summarize: the CI run', summarized)
  const reran = await runAction(sim, { command: 'rerun', 'run-id': String(ci.id), wait: 'true', 'poll-interval': '1s' }, context)
  show('rerun: the failed jobs of the CI run, waiting for the new attempt', reran)

  const dir = join(ROOT, 'demo-output')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'wait-summary.md'), waited.summary)
  writeFileSync(join(dir, 'summary.md'), summarized.summary)
  writeFileSync(join(dir, 'rerun-summary.md'), reran.summary)
  const counted = (run: ActionRun): number => run.requests.filter((r) => r.origin === 'api' && r.counted).length
  console.log(`\nRate-limited requests: wait ${counted(waited)}, summarize ${counted(summarized)}, rerun ${counted(reran)}.`)
  console.log(`Job summaries (GitHub-flavoured Markdown, as the runner would show them):`)
  console.log(`  ${join(dir, 'wait-summary.md')}`)
  console.log(`  ${join(dir, 'summary.md')}`)
  console.log(`  ${join(dir, 'rerun-summary.md')}`)
} finally {
  await sim.stop()
}
