import { describe, expect, it } from '@jest/globals'
import { aJob, aMatrixReport, anExcerpt, aReport, aRun, aStep, at, stepsInSequence, T0 } from '../../__fixtures__/runs.js'
import type { RunReport } from '../../src/github/types.js'
import { renderSummary, type SummaryOptions } from '../../src/report/summary.js'
import { summaryHtml } from '../browser/render.js'
import { expectMermaidParses } from '../mermaid.js'

const MiB = 1024 * 1024
const options: SummaryOptions = { nowMs: T0 + 200_000, logLines: 30, timeline: true, maxBytes: MiB }
const HOSTILE = '<img src=x onerror=alert(1)> | pipes | @everyone </details> `tick` ```\nnext line'

function failedReport(jobName = 'build', stepName = 'Test'): RunReport {
  const steps = stepsInSequence(['Set up job', 'Checkout', 'Compile', stepName, 'Complete job'], [2, 3, 60, 20, 1])
  const failing = steps[3]
  if (failing !== undefined) failing.conclusion = 'failure'
  return aReport({
    // Still running (deploy is), with a job already failed.
    run: aRun({ status: 'in_progress', conclusion: null, attempt: 2 }),
    jobs: [
      aJob({ id: 1, name: jobName, conclusion: 'failure', runAttempt: 2, htmlUrl: 'https://github.com/acme/app/actions/runs/1001/job/1', steps }),
      aJob({
        id: 2,
        name: 'lint',
        runAttempt: 1,
        htmlUrl: 'https://github.com/acme/app/actions/runs/1001/job/2',
        steps: stepsInSequence(['Set up job', 'Lint'], [1, 5])
      }),
      aJob({
        id: 3,
        name: 'deploy',
        runAttempt: 2,
        status: 'in_progress',
        conclusion: null,
        startedAt: at(100),
        completedAt: null,
        steps: [
          aStep({ number: 1, name: 'Set up job', startedAt: at(100), completedAt: at(102) }),
          aStep({ number: 2, name: 'Ship', status: 'in_progress', conclusion: null, startedAt: at(102), completedAt: null })
        ]
      })
    ],
    timing: { billableMs: 180_000, runDurationMs: null },
    approvals: [{ user: 'alice', state: 'approved', environments: ['production'], comment: 'LGTM' }],
    pendingDeployments: [{ environmentId: 9, environment: 'staging', waitTimerMinutes: 5, currentUserCanApprove: true, reviewers: ['bob'] }],
    excerpts: new Map([
      [
        '1:4',
        anExcerpt({
          jobId: 1,
          stepNumber: 4,
          errorLines: ['Process completed with exit code 1.'],
          contextLines: ['> app@1.0.0 test', 'FAIL test/parser.test.ts', 'Expected: 2'],
          causeLine: 12
        })
      ]
    ]),
    notes: ['Could not read the log of job 7']
  })
}

/** Our own markup must stay balanced, whatever the names contain. */
function expectBalanced(markdown: string): void {
  const count = (re: RegExp): number => markdown.match(re)?.length ?? 0
  expect(count(/<details/g)).toBe(count(/<\/details>/g))
  expect(count(/<pre>/g)).toBe(count(/<\/pre>/g))
  expect(count(/^```/gm) % 2).toBe(0)
}

describe('renderSummary for a failed run', () => {
  const md = renderSummary([{ ...failedReport(), latestAttempt: 3 }], { ...options, preface: '**Verdict: failed**' })

  it('starts with the preface and a header of the run', () => {
    expect(md.startsWith('**Verdict: failed**\n\n### 🔄 CI #42: Fix the parser\n\n')).toBe(true)
    expect(md).toContain(
      '**running** · attempt 2 of 3 · push · branch main · commit [`abcdef0`](https://github.com/acme/app/commit/abcdef0123456789abcdef0123456789abcdef01) · running for 3m 20s · billable 3m 00s · [view run](https://github.com/acme/app/actions/runs/1001)'
    )
    expect(md).toContain('- ✅ approved by alice for production: “LGTM”')
    expect(md).toContain('- ⏸️ waiting for **staging** · wait timer 5 min · reviewers: bob · this token may approve')
    expect(md).toContain('- ⚠️ Could not read the log of job 7')
  })

  it('lists the jobs with their state, queue time, duration and carried-over attempt', () => {
    expect(md).toContain(
      [
        '| | Job | Queued | Duration | Attempt |',
        '|---|---|--:|--:|--:|',
        // Failed first, then what is still going, then the rest.
        '| ❌ failure | [build](https://github.com/acme/app/actions/runs/1001/job/1) | 2s | 1m 58s | 2 |',
        '| 🔄 running | [deploy](https://github.com/acme/app/actions/runs/1001/job/5001) | 1m 40s | 1m 40s so far | 2 |',
        '| ✅ success | [lint](https://github.com/acme/app/actions/runs/1001/job/2) | 2s | 1m 58s | 1 (not re-run) |'
      ].join('\n')
    )
  })

  it('shows the failed step with its last lines in view when its error line is only the exit code', () => {
    expect(md).toContain(
      [
        // Linked to the error line on the job's page.
        '##### ❌ [build › Test](https://github.com/acme/app/actions/runs/1001/job/1#step:4:12)',
        '',
        '_Its error line gives only the exit code; the step’s last 3 lines:_',
        '',
        '<pre>',
        '&gt; app@1.0.0 test',
        'FAIL test/parser.test.ts',
        'Expected: 2',
        '</pre>',
        '',
        '<pre>',
        'Process completed with exit code 1.',
        '</pre>'
      ].join('\n')
    )
    expect(md).not.toContain('<details><summary>Last 3 log lines before the error</summary>')
  })

  it('marks the slowest step and opens the failed job', () => {
    expect(md).toContain('<details open><summary>❌ build · 5 steps · 1m 58s</summary>')
    expect(md).toContain('| 3 | ✅ **Compile** 🐢 | **1m 00s** |')
    expect(md).toContain('| 4 | ❌ Test | 20s |')
    expect(md).toContain('<details><summary>✅ lint · 2 steps · 1m 58s</summary>')
  })

  it('marks no step as the slowest when two tie', () => {
    const tied = aReport({ jobs: [aJob({ steps: stepsInSequence(['Set up job', 'Build', 'Test'], [1, 30, 30]) })] })
    const list = renderSummary([tied], options)
    expect(list).toContain('| 2 | ✅ Build | 30s |')
    expect(list).toContain('| 3 | ✅ Test | 30s |')
    expect(list).not.toContain('🐢')
  })

  it('shows the running job and step as running, with elapsed time', () => {
    expect(md).toContain('<details><summary>🔄 deploy · 2 steps · 1m 40s so far</summary>')
    expect(md).toContain('| 2 | 🔄 **Ship** 🐢 | **1m 38s so far** |')
  })

  it('includes the timeline with steps', async () => {
    expect(md).toContain('#### Timeline\n\n```mermaid\n---\ndisplayMode: compact\n---\ngantt\n')
    // The run started at T0: Compile ran from its 7th second to its 67th.
    expect(md).toContain('    Compile 1m 00s :done, 7000, 67000')
    expect(md).toContain(':crit,')
    expect(md).toContain(':active,')
    expectBalanced(md)
    expect(await expectMermaidParses(md)).toBe(1)
  })

  it('leaves the context out with log-lines 0 and the timeline out when asked', () => {
    const bare = renderSummary([failedReport()], { ...options, logLines: 0, timeline: false })
    expect(bare).toContain(
      '##### ❌ [build › Test](https://github.com/acme/app/actions/runs/1001/job/1#step:4:12)\n\n<pre>\nProcess completed with exit code 1.\n</pre>'
    )
    expect(bare).not.toContain('log lines before')
    expect(bare).not.toContain('mermaid')
    expect(bare).toContain('attempt 2 ·')
  })

  it('says so when a failed step has no excerpt', () => {
    const report = failedReport()
    report.excerpts.clear()
    // No excerpt, no line: the link goes to the step's first line.
    expect(renderSummary([report], options)).toContain(
      '##### ❌ [build › Test](https://github.com/acme/app/actions/runs/1001/job/1#step:4:1)\n\n_No log excerpt._'
    )
  })
})

describe('renderSummary with hostile names and log lines', () => {
  const report = failedReport(HOSTILE, HOSTILE)
  report.run.name = HOSTILE
  report.run.displayTitle = HOSTILE
  report.run.headBranch = HOSTILE
  report.notes = [HOSTILE]
  report.approvals = [{ user: HOSTILE, state: 'approved', environments: [HOSTILE], comment: HOSTILE }]
  const excerpt = report.excerpts.get('1:4')
  if (excerpt !== undefined) {
    excerpt.errorLines = [HOSTILE]
    excerpt.contextLines = ['</pre></details><script>alert(1)</script>', HOSTILE]
  }
  const md = renderSummary([report], options)
  const escaped = '&lt;img src=x onerror=alert&#40;1&#41;&gt; &#124; pipes &#124; @\u200Deveryone &lt;/details&gt; &#96;tick&#96; &#96;&#96;&#96; next line'

  it('never lets the payload through raw', () => {
    expect(md).not.toContain('<img')
    expect(md).not.toContain('<script')
    // Outside <pre> and the mermaid block (where GitHub links no mentions) `@everyone` is broken up.
    expect(md.replace(/<pre>[^]*?<\/pre>/g, '').replace(/```mermaid[^]*?```/g, '')).not.toMatch(/@everyone/)
    expect(md.split('\n').filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```'])
    expectBalanced(md)
    // Every `</details>` is one of ours, alone on its line.
    expect(md.split('\n').filter((l) => l.includes('</details>') && l !== '</details>')).toEqual([])
  })

  it('escapes the names in the heading, table, details summary and failure heading', () => {
    expect(md).toContain(`## 🔄 ${escaped} #42: ${escaped}`)
    expect(md).toContain(`| ❌ failure | [${escaped}](https://github.com/acme/app/actions/runs/1001/job/1) |`)
    expect(md).toContain(`<details open><summary>❌ ${escaped} · 5 steps · 1m 58s</summary>`)
    expect(md).toContain(`##### ❌ [${escaped} › ${escaped}](https://github.com/acme/app/actions/runs/1001/job/1#step:4:`)
    expect(md).toContain(`| 4 | ❌ ${escaped} | 20s |`)
    expect(md).toContain(`branch ${escaped}`)
    expect(md).toContain(`- ⚠️ ${escaped}`)
  })

  it('HTML-escapes log lines in <pre>', () => {
    // An error entry's line break (a multi-line error) is a line break inside <pre>, where it is inert.
    expect(md).toContain('<pre>\n&lt;img src=x onerror=alert(1)&gt; | pipes | @everyone &lt;/details&gt; `tick` ```\nnext line\n</pre>')
    expect(md).toContain('&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('passes the names through mermaidText in the gantt', async () => {
    const gantt = md.slice(md.indexOf('```mermaid'), md.lastIndexOf('```'))
    expect(gantt).toContain("    section \u2039img src=x onerror=alert(1)\u203A | pipes | @everyone \u2039/details\u203A 'tick' ''' next line\n")
    expect(await expectMermaidParses(md)).toBe(1)
  })
})

describe('renderSummary with names GitHub would autolink', () => {
  const JOB = 'deploy https://evil.example/x'
  const STEP = 'Run www.evil.example/setup'
  const WORKFLOW = 'mail me@evil.example'
  const TITLE = 'Fix it (see http://evil.example/t) by ops+ci@evil.example'
  const report = failedReport(JOB, STEP)
  report.run.name = WORKFLOW
  report.run.displayTitle = TITLE
  // Without a job link, the job and step names stand as plain text in the failure heading.
  const job = report.jobs[0]
  if (job !== undefined) job.htmlUrl = null
  const md = renderSummary([report], options)
  // Rendered by marked with GFM autolinks on (URLs, `www.` hosts, e-mail addresses), as GitHub does.
  const html = summaryHtml(md)

  it('makes no link of them', () => {
    const hrefs = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1])
    expect(hrefs.length).toBeGreaterThan(0)
    expect(hrefs.filter((href) => /evil\.example/.test(href ?? ''))).toEqual([])
  })

  it('shows each as code that copies as the name', () => {
    for (const word of ['https://evil.example/x', 'www.evil.example/setup', 'me@evil.example', 'http://evil.example/t)', 'ops+ci@evil.example']) {
      expect(html).toContain(`<code>${word}</code>`)
    }
    // In the steps list's <summary> (raw HTML, no Markdown) too.
    expect(md).toContain('<summary>❌ deploy <code>https://evil.example/x</code> · ')
  })
})

describe('renderSummary size', () => {
  const big = aMatrixReport(256, 20, 10, 30)
  const failedJobs = big.jobs.filter((j) => j.conclusion === 'failure')

  it('keeps 256 jobs × 20 steps well under 1 MiB at full detail, every error line included', () => {
    const md = renderSummary([big], { ...options, nowMs: T0 + 1_000_000, maxBytes: MiB - 16 * 1024 })
    const bytes = Buffer.byteLength(md, 'utf8')
    expect(bytes).toBeLessThan(600 * 1024)
    expect(failedJobs).toHaveLength(26)
    for (let j = 0; j < 256; j += 10) expect(md).toContain(`<pre>\nError: shard ${j + 1} failed: expected 200, got 500\n</pre>`)
    // Every job's steps are listed, the timeline has one bar per job (steps would be too big
    // for mermaid), the 30 context lines are there, and nothing had to be left out.
    expect(md.match(/<details( open)?><summary>(✅|❌) test/g)).toHaveLength(256)
    expect(md).toContain('#### Timeline')
    expect(md).not.toContain('    Set up job (4s)')
    expect(md).toContain('Last 30 log lines before the error')
    expect(md).not.toContain('Left out')
    expectBalanced(md)
  })

  it('draws a bounded timeline for 256 jobs: the failed ones, then one bar per matrix family', async () => {
    const md = renderSummary([big], { ...options, nowMs: T0 + 1_000_000, maxBytes: MiB - 16 * 1024 })
    const chart = md.slice(md.indexOf('```mermaid'), md.indexOf('```', md.indexOf('```mermaid') + 3))
    expect(chart.match(/^    section /gm)?.length).toBeLessThanOrEqual(20)
    expect(chart.split('\n').length).toBeLessThan(60)
    expect(await expectMermaidParses(md)).toBe(1)
  })

  it('puts the failed steps before the jobs table, and folds the successful jobs of a large run into a count', () => {
    const md = renderSummary([big], { ...options, nowMs: T0 + 1_000_000, maxBytes: MiB - 16 * 1024 })
    expect(md.indexOf('#### Failed steps')).toBeGreaterThan(0)
    expect(md.indexOf('#### Failed steps')).toBeLessThan(md.indexOf('| | Job |'))
    expect(md).toContain('_230 successful or skipped jobs not listed._')
    expect(md.match(/^\| ❌ failure \| /gm)).toHaveLength(26)
  })

  it('shrinks detail step by step to fit, keeping the error lines', () => {
    let previous = Infinity
    // (The jobs table of a run this large folds its successful jobs into a count at every level.)
    const full = Buffer.byteLength(renderSummary([big], { ...options, maxBytes: MiB }), 'utf8')
    for (const maxBytes of [full - 1, 95_000, 60_000, 40_000]) {
      const md = renderSummary([big], { ...options, maxBytes })
      const bytes = Buffer.byteLength(md, 'utf8')
      expect(bytes).toBeLessThanOrEqual(maxBytes)
      expect(bytes).toBeLessThan(previous)
      previous = bytes
      expect(md).toContain('Left out to stay under GitHub’s summary size limit')
      expect(md).toContain('Error: shard 251 failed: expected 200, got 500')
      expect(md.startsWith('### ❌ CI #42')).toBe(true)
      expectBalanced(md)
    }
    const small = renderSummary([big], { ...options, maxBytes: 40_000 })
    expect(small).toContain('_230 successful or skipped jobs not listed._')
    expect(small).not.toContain('mermaid')
  })

  it('cuts at a line boundary with a note when even the least detail is too big', () => {
    for (const maxBytes of [8000, 2000, 400]) {
      const md = renderSummary([big], { ...options, maxBytes })
      expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(maxBytes)
      expect(md.startsWith('### ❌ CI #42')).toBe(true)
      expect(md.endsWith('> This summary was cut to stay under GitHub’s size limit; the run’s page has the rest.')).toBe(true)
      expectBalanced(md)
    }
  })

  it('never exceeds a budget smaller than its own note', () => {
    expect(Buffer.byteLength(renderSummary([big], { ...options, maxBytes: 50 }), 'utf8')).toBeLessThanOrEqual(50)
  })
})

describe('renderSummary with several runs', () => {
  it('renders each run and a placeholder when there are none', () => {
    const md = renderSummary([failedReport(), aReport({ run: aRun({ id: 2, runNumber: 43, name: 'Docs' }) })], options)
    expect(md).toContain('### 🔄 CI #42')
    expect(md).toContain('## ✅ Docs #43')
    expect(md).toContain('_No jobs yet._')
    expect(renderSummary([], options)).toBe('_No workflow runs selected._')
  })

  // The headings of the runs, in the order shown.
  const order = (md: string): string[] => [...md.matchAll(/^### \S+ (\w+) #/gm)].map((m) => m[1] ?? '')
  const passed = aReport({ run: aRun({ id: 2, runNumber: 43, name: 'Docs' }) })
  const running = aReport({ run: aRun({ id: 3, runNumber: 44, name: 'Bench', status: 'in_progress', conclusion: null }) })
  const broken = aReport({ run: aRun({ id: 4, runNumber: 45, name: 'Lint', conclusion: 'failure' }) })

  it('shows failed runs first, then runs still going, then the rest, each group in the order given', () => {
    // CI is still running but one of its jobs failed: it counts as failed.
    expect(order(renderSummary([passed, running, failedReport(), broken], options))).toEqual(['CI', 'Lint', 'Bench', 'Docs'])
    expect(order(renderSummary([passed, broken], { ...options, failuresOnly: true }))).toEqual(['Lint', 'Docs'])
  })

  it('follows the command’s judgement of which runs failed when it gives one (a gate’s verdict)', () => {
    const failed = (report: RunReport): boolean => report.run.name === 'Docs'
    expect(order(renderSummary([broken, passed], { ...options, failed }))).toEqual(['Docs', 'Lint'])
  })

  it('shows in full only the runs the command asks for (a gate: those that did not pass), in the same order', () => {
    const detail = (report: RunReport): boolean => report.run.name !== 'Docs'
    expect(order(renderSummary([passed, running, broken], { ...options, detail }))).toEqual(['Lint', 'Bench'])
    // The preface (a gate's table) is then all there is: no "no runs" line.
    expect(renderSummary([passed], { ...options, detail: () => false, preface: '## ✅ All 1 awaited run(s) succeeded' })).toBe(
      '## ✅ All 1 awaited run(s) succeeded'
    )
  })
})
