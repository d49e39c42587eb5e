// What a person sees: summaries the action wrote for simulated runs (the demo's CI run, a
// 256-job matrix with one failure, a gate over two runs, hostile names), rendered as GitHub renders them in headless
// Chromium, with every <details> closed.
import { afterAll, beforeAll, describe as describeAll, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { ciRun, demoRuns, matrixRun, ok, scenario, SHA } from '../../__fixtures__/scenarios.js'
import { startBench } from '../inprocess/harness.js'
import type { RunSpec } from '../simulator/index.js'
import { CHROMIUM, openBrowser, viewSummary, type SummaryView } from './page.js'

// Names and log lines that would run a script, draw an element or break the chart if they
// reached the page as markup.
const HOSTILE_JOB = 'deploy <img src=x onerror=alert(1)> `x` ```'
const HOSTILE_STEP = '<script>alert(2)</script> %%{init: {"securityLevel":"loose"}}%%'
const HOSTILE_LINE = '</pre></details><iframe src="javascript:alert(3)"></iframe><a href="javascript:alert(4)">x</a>'
const hostileRun: RunSpec = {
  id: 950,
  workflow: 'ci.yml',
  title: '<b onmouseover=alert(5)>title</b> @everyone',
  attempts: [
    {
      at: -120,
      jobs: [
        {
          name: HOSTILE_JOB,
          steps: [
            ok('Run actions/checkout@v4'),
            { name: HOSTILE_STEP, seconds: 5, conclusion: 'failure', log: [HOSTILE_LINE, '##[error]Process completed with exit code 1.'] }
          ]
        },
        { name: 'click call href "x" :done, 0, 1', steps: [ok('section x', 2)] },
        // What GitHub's Markdown would make links of.
        { name: 'deploy https://evil.example/x', steps: [ok('Run www.evil.example/setup'), ok('mail me@evil.example')] }
      ]
    }
  ]
}

/** The summary `summarize` writes for `run` (in process, against the simulator). */
async function summaryOf(run: RunSpec): Promise<string> {
  const bench = await startBench(scenario([run]))
  try {
    const step = await bench.run({ command: 'summarize', 'run-id': String(run.id) })
    expect(bench.sim.violations).toEqual([])
    return step.summary ?? ''
  } finally {
    await bench.sim.stop()
  }
}

// CI (.ci/run sets REQUIRE_BROWSER=1) installs Chromium and must run these tests; a contributor
// without it is told so, and the rest of `npm test` still runs.
const haveBrowser = existsSync(CHROMIUM)
if (!haveBrowser && process.env.REQUIRE_BROWSER !== '1') {
  console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`)
}
const describe = haveBrowser || process.env.REQUIRE_BROWSER === '1' ? describeAll : describeAll.skip

let browser: Browser
beforeAll(async () => {
  if (!haveBrowser && process.env.REQUIRE_BROWSER !== '1') return
  if (!haveBrowser) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`)
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** Each view's numbers, printed for the record with `TEST_STATS=1` (npm run screenshot prints them too). */
const measured: string[] = []
afterAll(() => {
  if (measured.length > 0 && process.env.TEST_STATS) console.log(`browser measurements (900 px column, every <details> closed):\n${measured.join('\n')}`)
})

async function expectSafe(view: SummaryView): Promise<void> {
  expect(view.unsafeElements).toEqual([])
  expect(view.scriptCalls).toEqual([])
  for (const chart of view.charts) expect(chart.error).toBeNull()
}

describe('the demo CI run', () => {
  let view: SummaryView
  beforeAll(async () => {
    view = await viewSummary(browser, await summaryOf(demoRuns(-900).ci))
  })
  afterAll(async () => view?.page.close())

  it('opens with the verdict as the largest heading', () => {
    expect(view.verdict.largest).toBe(true)
    expect(view.verdict.text).toMatch(/^❌ CI #\d+: Add discount codes to checkout$/)
  })

  it('shows the cause without a click, above the fold', async () => {
    const cause = await view.find('Expected: 90')
    expect(cause?.visible).toBe(true)
    expect(cause?.topPx).toBeLessThan(800)
    measured.push(
      `demo: height ${view.heightPx} px; cause "Expected: 90" at ${cause?.topPx} px; gantt ${view.charts[0]?.chars} chars, ${view.charts[0]?.heightPx} px`
    )
  })

  it('draws the timeline', async () => {
    expect(view.charts).toHaveLength(1)
    expect(view.charts[0]?.heightPx).toBeGreaterThan(50)
    await expectSafe(view)
  })
})

describe('a 256-job matrix with one failure', () => {
  let view: SummaryView
  beforeAll(async () => {
    view = await viewSummary(browser, await summaryOf(matrixRun(630)))
  })
  afterAll(async () => view?.page.close())

  it('puts the failure near the top and keeps the page and the chart short', async () => {
    expect(view.verdict.largest).toBe(true)
    const cause = await view.find('Shard 18 failed: 1 test')
    expect(cause?.visible).toBe(true)
    expect(cause?.topPx).toBeLessThan(600)
    expect(view.charts).toHaveLength(1)
    // A row per drawn section, not per job.
    expect(view.charts[0]?.heightPx).toBeLessThan(400)
    expect(view.heightPx).toBeLessThan(3000)
    await expectSafe(view)
    measured.push(
      `256 jobs: height ${view.heightPx} px; cause "Shard 18 failed: 1 test" at ${cause?.topPx} px; gantt ${view.charts[0]?.chars} chars, ${view.charts[0]?.heightPx} px`
    )
  })
})

describe('a gate with one passing and one failing run', () => {
  let view: SummaryView
  beforeAll(async () => {
    // The passing run is found first and ends first, as in the report of issue 17 (the cause was 857 px down).
    const failing = ciRun(961, { workflow: 'lint.yml', fail: true, at: 5 })
    failing.attempts[0]!.jobs[1]!.steps[1]!.log = ['Linting 212 files', '##[error]src/checkout.ts:14:3: no-floating-promises']
    const bench = await startBench(scenario([ciRun(960), failing]))
    try {
      const step = await bench.run({ command: 'wait', 'poll-interval': '1s', 'appear-timeout': '1s' }, { headSha: SHA })
      expect(step.verdict.result).toBe('failure')
      expect(bench.sim.violations).toEqual([])
      view = await viewSummary(browser, step.summary ?? '', { widthPx: 1280 })
    } finally {
      await bench.sim.stop()
    }
  })
  afterAll(async () => view?.page.close())

  it('shows the failed step’s error line on the first screen (1280×800)', async () => {
    const cause = await view.find('no-floating-promises')
    expect(cause?.visible).toBe(true)
    expect(cause?.topPx).toBeLessThan(800)
    measured.push(`gate, 1 passing + 1 failing run: height ${view.heightPx} px; cause "no-floating-promises" at ${cause?.topPx} px`)
  })
})

describe('hostile names and log lines', () => {
  let view: SummaryView
  beforeAll(async () => {
    view = await viewSummary(browser, await summaryOf(hostileRun))
  })
  afterAll(async () => view?.page.close())

  it('runs no script and adds no element, and the chart still draws', async () => {
    await expectSafe(view)
    expect(view.charts).toHaveLength(1)
    expect(view.charts[0]?.heightPx).toBeGreaterThan(50)
  })

  it('shows the hostile text as text (the checks above saw it)', async () => {
    expect((await view.find('<img src=x onerror=alert(1)>'))?.visible).toBe(true)
    expect((await view.find('<iframe src="javascript:alert(3)">'))?.visible).toBe(true)
  })

  it('makes no link of a URL, a www. host or an e-mail address in a name, and shows each as it is', async () => {
    const hrefs = await view.page.evaluate(() => Array.from(document.querySelectorAll('a')).map((a) => a.href))
    expect(hrefs.filter((href) => href.includes('evil.example'))).toEqual([])
    expect((await view.find('https://evil.example/x'))?.visible).toBe(true)
    for (const name of ['www.evil.example/setup', 'me@evil.example']) expect(await view.find(name)).not.toBeNull()
  })
})
