// `npm run demo`: what a user sees, without GitHub. Starts the built-in GitHub API simulator with
// a CI run of several jobs (one test step fails, and passes when re-run: a flaky test), runs the
// built action's `wait` (as a gate on the commit), `summarize`, and `rerun` with `wait: true`
// against it, and prints the log and outputs. Each job summary is written as Markdown and as an
// HTML preview rendered as GitHub would (mermaid included), whose paths are printed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { summaryHtml } from '../__tests__/browser/render.js'
import { Simulator } from '../__tests__/simulator/index.js'
import { ROOT, runAction, type ActionRun } from '../__tests__/e2e/harness.js'
import { demoRuns, scenario, SHA } from '../__fixtures__/scenarios.js'

/** Ten simulated seconds per real second: a three-minute CI run plays in about twenty seconds. */
const SPEED = 10
const { ci, docs, gate } = demoRuns()

function show(title: string, story: string, run: ActionRun): void {
  console.log(`\n━━━ ${title} (exit code ${run.exitCode}, ${(run.ms / 1000).toFixed(1)}s) ━━━`)
  console.log(story)
  console.log('--- log ---')
  console.log(
    run.log
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
      .trimEnd()
  )
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
  show(
    'wait: gate on the commit',
    'A deploy gate on the commit: it waits for every other workflow run of the commit. The CI run has a failing test,\nso the gate FAILS (exit code 1), and that is the point: a deploy behind it would not start.',
    waited
  )
  const summarized = await runAction(sim, { command: 'summarize', 'run-id': String(ci.id) }, context)
  show('summarize: the CI run', 'The failure summarizer on the CI run: the summary opens with the failed step and the log lines that say why.', summarized)
  const reran = await runAction(sim, { command: 'rerun', 'run-id': String(ci.id), wait: 'true', 'poll-interval': '1s' }, context)
  show(
    'rerun: the failed jobs of the CI run, waiting for the new attempt',
    'Re-running the failed job of the CI run and waiting for attempt 2: the flaky test passes this time, so the step succeeds.',
    reran
  )

  const dir = join(ROOT, 'demo-output')
  mkdirSync(dir, { recursive: true })
  // The previews load mermaid from the project's node_modules, so they work offline.
  const mermaidSrc = relative(dir, join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js'))
  const written: string[] = []
  for (const [name, run] of [
    ['wait-summary', waited],
    ['summary', summarized],
    ['rerun-summary', reran]
  ] as const) {
    writeFileSync(join(dir, `${name}.md`), run.summary)
    writeFileSync(join(dir, `${name}.html`), summaryHtml(run.summary, { mermaidSrc }))
    written.push(join(dir, `${name}.html`))
  }
  const counted = (run: ActionRun): number => run.requests.filter((r) => r.origin === 'api' && r.counted).length
  console.log(`\nRate-limited requests: wait ${counted(waited)}, summarize ${counted(summarized)}, rerun ${counted(reran)}.`)
  console.log('Job summaries, as GitHub would show them (open in a browser; the .md next to each is what the runner gets):')
  for (const file of written) console.log(`  ${file}`)
} finally {
  await sim.stop()
}
