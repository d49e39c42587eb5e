// `npm run screenshot`: the built action's summaries of the demo's CI run and of a 256-job matrix
// with one failure (the demo's as a pull request's run, triaged against main), rendered in Chromium as GitHub renders them (the browser test's page), measured
// with every <details> closed, and the demo's written to docs/summary.png as GitHub first shows it.
//   --dist <path/to/index.js>   measure another build instead (e.g. an older commit's dist/)
//   --no-write                  measure only
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { demoRuns, matrixRun, scenario, SHA } from '../__fixtures__/scenarios.js'
import { openBrowser, viewSummary } from '../__tests__/browser/page.js'
import { Simulator } from '../__tests__/simulator/index.js'
import { history } from '../__tests__/simulator/histories.js'

const args = process.argv.slice(2)
const distAt = args.indexOf('--dist')
if (distAt !== -1) process.env.RUN_CONTROL_DIST = args[distAt + 1]
const write = !args.includes('--no-write')
// (Imported after the line above: the harness reads RUN_CONTROL_DIST when it loads.)
const { ROOT, runAction } = await import('../__tests__/e2e/harness.js')

// The demo's CI run as a pull request's, with main's history behind it: its failing test leg
// failed and passed on a re-run there (triaged flaky).
const ci = { ...demoRuns(-900).ci, event: 'pull_request', branch: 'add-discount-codes', pullRequest: { number: 42, base: 'main' } }
const main = history({ firstId: 6900, outcomes: ['pass', 'pass', 'rerun-pass', 'pass', 'fail', 'pass'], job: 'test (node 22)' })
const sim = await Simulator.start(scenario([...main, ci, { ...matrixRun(630), branch: 'nightly' }]))
const browser = await openBrowser()
try {
  const views = [
    { name: 'demo CI run', runId: ci.id, cause: 'Expected: 90' },
    { name: '256-job matrix, one failure', runId: 630, cause: 'Shard 18 failed: 1 test' }
  ]
  for (const { name, runId, cause } of views) {
    const run = await runAction(sim, { command: 'summarize', 'run-id': String(runId) }, { sha: SHA })
    const view = await viewSummary(browser, run.summary)
    const found = await view.find(cause)
    const chart = view.charts[0]
    const where = found === null ? 'not in the summary' : `${found.visible ? 'visible' : 'hidden (folded)'} at ${found.topPx} px`
    console.log(
      `${name}: ${run.summary.length} chars, height ${view.heightPx} px with <details> closed; "${cause}" ${where}; ` +
        (chart === undefined ? 'no chart' : `gantt ${chart.chars} chars, ${chart.heightPx} px${chart.error === null ? '' : `, error: ${chart.error}`}`)
    )
    await view.page.close()
    if (write && runId === ci.id) {
      const shown = await viewSummary(browser, run.summary, { closeDetails: false })
      mkdirSync(join(ROOT, 'docs'), { recursive: true })
      await shown.page.screenshot({ path: join(ROOT, 'docs/summary.png'), fullPage: true })
      await shown.page.close()
      console.log('  written: docs/summary.png')
    }
  }
} finally {
  await browser.close()
  await sim.stop()
}
