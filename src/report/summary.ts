// The job summary: per run a header, the jobs table, the failed steps with their log excerpts,
// a gantt chart and each job's steps. GitHub drops a step summary over 1 MiB entirely, so the
// result is kept under `maxBytes` by leaving out detail level by level, never by dropping it.
//
// Each part is rendered once per variant it is needed in and measured once; a level's size is
// the sum of its parts' sizes, so trying a level costs no rendering.

import type { Approval, Job, PendingDeployment, RunReport, Step, StepLogExcerpt } from '../github/types.js'
import { isCompleted, isFailed, isFailedConclusion, stateEmoji, stateOf, stateWord } from './conclusions.js'
import { formatDuration, jobDurationMs, jobQueuedMs, runDurationMs, stepDurationMs } from './durations.js'
import { escapeCodeLine, escapeHtmlBlockText, escapeMarkdown, markdownLink, safeUrl, sliceChars } from './escape.js'
import { renderGantt } from './timeline.js'
import type { JobTriage } from '../triage/classify.js'
import { triageBadge, triageEvidence, triageRank } from './triage.js'

export interface SummaryOptions {
  nowMs: number
  /** Context lines shown per failed step at full detail (`log-lines`). */
  logLines: number
  /** Include the mermaid gantt. */
  timeline: boolean
  /** Upper bound of the result in UTF-8 bytes. */
  maxBytes: number
  /** Already-safe Markdown placed at the top, e.g. the wait verdict. */
  preface?: string
  /** Only each run's header and its failed steps: the compact form for a pull request comment. */
  failuresOnly?: boolean
  /**
   * Whether the command judged a run failed (a gate's verdict, over its awaited jobs); default:
   * the run ended failed or has a failed job. Failed runs are shown first.
   */
  failed?: (report: RunReport) => boolean
  /**
   * The runs shown in full (jobs, failures, timeline, steps); default every run. A gate shows the
   * runs that did not pass: the preface's table lists the rest.
   */
  detail?: (report: RunReport) => boolean
  /** Failure triage by job id: each failed step's heading says its job's kind, and failures are listed new, unknown, flaky, known. */
  triage?: ReadonlyMap<number, JobTriage>
}

// Mermaid's practical limit for one diagram (its default `maxTextSize` is 50,000 characters).
const MERMAID_MAX_CHARS = 50_000
// Notes shown per run: they are meant as a short list; the rest are counted.
const MAX_NOTES = 10
/** Past this many jobs, the successful and skipped ones are folded into a count in the jobs table. */
const LARGE_RUN_JOBS = 20
// Characters kept of a run title or an approval comment: one line in a header, not an essay.
const MAX_TITLE_CHARS = 120
const MAX_COMMENT_CHARS = 200
// Length of the commit sha shown, as GitHub abbreviates it.
const SHORT_SHA = 7

type GanttMode = 'steps' | 'jobs' | 'none'

/** One degree of detail. Levels are tried in order until the summary fits. */
interface Level {
  /** Most context lines per failed step (also bounded by `logLines`). */
  context: number
  gantt: GanttMode
  /** Step lists for every job, or only for failed and unfinished ones. */
  allSteps: boolean
  /** Most error lines per failed step. */
  errors: number
  /** Every job in the table, or only those that did not succeed (plus a count). */
  fullTable: boolean
  /** What was left out, for the note under a reduced summary. */
  omitted: string
}

// Each level leaves out more than the one before; the values are where the detail stops paying
// for its bytes: 10 context lines still show the lead-up to an error, 3 the error's neighbours,
// 5 and 2 error lines still name the problem.
const LEVELS: readonly Level[] = [
  { context: Infinity, gantt: 'steps', allSteps: true, errors: Infinity, fullTable: true, omitted: '' },
  { context: 10, gantt: 'steps', allSteps: true, errors: Infinity, fullTable: true, omitted: 'fewer log lines' },
  { context: 10, gantt: 'jobs', allSteps: true, errors: Infinity, fullTable: true, omitted: 'fewer log lines, no steps in the timeline' },
  { context: 10, gantt: 'jobs', allSteps: false, errors: Infinity, fullTable: true, omitted: 'fewer log lines, steps of failed and unfinished jobs only' },
  {
    context: 3,
    gantt: 'none',
    allSteps: false,
    errors: Infinity,
    fullTable: true,
    omitted: 'fewer log lines, no timeline, steps of failed and unfinished jobs only'
  },
  {
    context: 0,
    gantt: 'none',
    allSteps: false,
    errors: 5,
    fullTable: true,
    omitted: 'no log lines, fewer error lines, no timeline, steps of failed and unfinished jobs only'
  },
  {
    context: 0,
    gantt: 'none',
    allSteps: false,
    errors: 2,
    fullTable: false,
    omitted: 'no log lines, fewer error lines, no timeline, only unsuccessful jobs listed'
  }
]

interface Block {
  text: string
  bytes: number
}

function block(text: string): Block {
  return { text, bytes: Buffer.byteLength(text, 'utf8') }
}

// Blocks are joined by a blank line.
const SEPARATOR = '\n\n'
const SEPARATOR_BYTES = 2

function sizeOf(blocks: readonly Block[]): number {
  let total = 0
  for (const b of blocks) total += b.bytes
  return total + Math.max(0, blocks.length - 1) * SEPARATOR_BYTES
}

function durationText(ms: number | null, running: boolean): string {
  if (ms === null) return '—'
  return running ? `${formatDuration(ms)} so far` : formatDuration(ms)
}

/** Renders the parts of one run's summary, each variant once. */
class RunParts {
  private readonly memo = new Map<string, Block[]>()
  private readonly run: RunReport['run']
  private readonly jobs: readonly Job[]

  constructor(
    private readonly report: RunReport,
    private readonly options: SummaryOptions
  ) {
    this.run = report.run
    this.jobs = report.jobs
  }

  blocks(level: Level): Block[] {
    const gantt = this.options.timeline ? level.gantt : 'none'
    const context = Math.max(0, Math.min(level.context, this.options.logLines))
    if (this.options.failuresOnly) {
      return [...this.cached('head', () => this.head()), ...this.cached(`failures:${context}:${level.errors}`, () => this.failures(context, level.errors))]
    }
    return [
      ...this.cached('head', () => this.head()),
      // Read by the person whose build broke: the failures before anything that succeeded.
      ...this.cached(`failures:${context}:${level.errors}`, () => this.failures(context, level.errors)),
      ...this.cached(`table:${level.fullTable}`, () => this.table(level.fullTable && this.jobs.length <= LARGE_RUN_JOBS)),
      ...this.cached(`gantt:${gantt}`, () => this.gantt(gantt)),
      ...this.cached(`steps:${level.allSteps}`, () => this.stepLists(level.allSteps))
    ]
  }

  private cached(key: string, render: () => Block[]): Block[] {
    let blocks = this.memo.get(key)
    if (blocks === undefined) {
      blocks = render()
      this.memo.set(key, blocks)
    }
    return blocks
  }

  private head(): Block[] {
    const { run, options } = this
    const title = `### ${stateEmoji(run)} ${escapeMarkdown(run.name)} #${run.runNumber}: ${escapeMarkdown(sliceChars(run.displayTitle, MAX_TITLE_CHARS))}`
    const facts: string[] = [`**${escapeMarkdown(stateWord(run))}**`]
    const latest = this.report.latestAttempt
    facts.push(latest !== undefined && latest > run.attempt ? `attempt ${run.attempt} of ${latest}` : `attempt ${run.attempt}`)
    facts.push(escapeMarkdown(run.event))
    if (run.headBranch !== null) facts.push(`branch ${escapeMarkdown(run.headBranch)}`)
    facts.push(`commit ${this.commit()}`)
    const duration = runDurationMs(run, this.jobs, options.nowMs)
    if (duration !== null) facts.push(isCompleted(run) ? `took ${formatDuration(duration)}` : `running for ${formatDuration(duration)}`)
    if (this.report.timing !== null) facts.push(`billable ${formatDuration(this.report.timing.billableMs)}`)
    const link = safeUrl(run.htmlUrl)
    if (link !== null) facts.push(`[view run](${link})`)

    const lines = [title, '', facts.join(' · ')]
    const people = [...this.report.approvals.map(approvalLine), ...this.report.pendingDeployments.map(pendingLine)]
    if (people.length > 0) lines.push('', ...people)
    const blocks = [block(lines.join('\n'))]
    const notes = this.report.notes
    if (notes.length > 0) {
      const shown = notes.slice(0, MAX_NOTES).map((note) => `- ⚠️ ${escapeMarkdown(note)}`)
      if (notes.length > MAX_NOTES) shown.push(`- …and ${notes.length - MAX_NOTES} more`)
      blocks.push(block(shown.join('\n')))
    }
    return blocks
  }

  private commit(): string {
    const sha = this.run.headSha
    if (!/^[0-9a-f]{7,64}$/i.test(sha)) return escapeMarkdown(sha)
    const short = `\`${sha.slice(0, SHORT_SHA)}\``
    // The repository's page is the run URL minus `/actions/runs/…`.
    const repo = /^(https?:\/\/.+)\/actions\/runs\/\d+/.exec(this.run.htmlUrl)?.[1]
    const target = repo === undefined ? null : safeUrl(`${repo}/commit/${sha}`)
    return target === null ? short : `[${short}](${target})`
  }

  private table(full: boolean): Block[] {
    const { nowMs } = this.options
    const showAttempt = this.jobs.some((job) => job.runAttempt !== this.run.attempt)
    const header = showAttempt ? '| | Job | Queued | Duration | Attempt |\n|---|---|--:|--:|--:|' : '| | Job | Queued | Duration |\n|---|---|--:|--:|'
    const rows = [header]
    let hidden = 0
    for (const job of [...this.jobs].sort((a, b) => tableRank(a) - tableRank(b))) {
      const state = stateOf(job)
      if (!full && isCompleted(job) && (state === 'success' || state === 'skipped' || state === 'neutral')) {
        hidden += 1
        continue
      }
      const running = !isCompleted(job)
      const queuedRunning = running && job.startedAt === null
      const cells = [
        `${stateEmoji(job)} ${escapeMarkdown(stateWord(job))}`,
        markdownLink(job.name, job.htmlUrl),
        durationText(jobQueuedMs(job, nowMs), queuedRunning),
        durationText(jobDurationMs(job, nowMs), running)
      ]
      // Jobs carried over from an earlier attempt by a re-run of failed jobs.
      if (showAttempt) cells.push(job.runAttempt === this.run.attempt ? String(job.runAttempt) : `${job.runAttempt} (not re-run)`)
      rows.push(`| ${cells.join(' | ')} |`)
    }
    const blocks: Block[] = []
    if (this.jobs.length === 0) return [block('_No jobs yet._')]
    if (rows.length > 1) blocks.push(block(rows.join('\n')))
    if (hidden > 0) blocks.push(block(`_${hidden} successful or skipped ${hidden === 1 ? 'job' : 'jobs'} not listed._`))
    return blocks
  }

  private failures(context: number, maxErrors: number): Block[] {
    const blocks: Block[] = []
    const triage = this.options.triage
    // Stable: within a kind, the run's own order.
    const jobs = [...this.jobs].sort((a, b) => triageRank(triage?.get(a.id)) - triageRank(triage?.get(b.id)))
    for (const job of jobs) {
      let said = false
      for (const step of job.steps) {
        if (!isFailedConclusion(step.conclusion)) continue
        const excerpt = this.report.excerpts.get(`${job.id}:${step.number}`)
        const section = failureSection(job, step, excerpt, context, maxErrors)
        const judged = triage?.get(job.id)
        blocks.push(block(judged === undefined ? section : withTriage(section, judged, !said)))
        said = true
      }
    }
    if (blocks.length === 0) return []
    return [block('#### Failed steps'), ...blocks]
  }

  private gantt(mode: GanttMode): Block[] {
    if (mode === 'none') return []
    const { nowMs } = this.options
    let chart = mode === 'steps' ? renderGantt(this.report, { nowMs, includeSteps: true }) : ''
    // (The chart's rows are bounded, so this is a guard for very long names, not the rule.)
    if (chart === '' || chart.length > MERMAID_MAX_CHARS) chart = renderGantt(this.report, { nowMs, includeSteps: false })
    if (chart === '' || chart.length > MERMAID_MAX_CHARS) return []
    return [block(`#### Timeline\n\n${chart}`)]
  }

  private stepLists(all: boolean): Block[] {
    const blocks: Block[] = []
    const folded: string[] = []
    let hiddenJobs = 0
    let hiddenSteps = 0
    // In a large run the successful jobs' lists go inside one more <details>: a row each would
    // make the page thousands of pixels tall even with every list closed.
    const fold = this.jobs.length > LARGE_RUN_JOBS
    for (const job of this.jobs) {
      if (job.steps.length === 0) continue
      const settled = !isFailed(job) && isCompleted(job)
      if (!all && settled) {
        hiddenJobs += 1
        hiddenSteps += job.steps.length
        continue
      }
      if (fold && settled) folded.push(stepList(job, this.options.nowMs))
      else blocks.push(block(stepList(job, this.options.nowMs)))
    }
    if (folded.length > 0) {
      const what = `${folded.length} other ${folded.length === 1 ? 'job' : 'jobs'}`
      blocks.push(block(`<details><summary>Steps of ${what}</summary>\n\n${folded.join('\n\n')}\n\n</details>`))
    }
    if (hiddenJobs > 0) {
      blocks.push(block(`_Steps of ${hiddenJobs} other ${hiddenJobs === 1 ? 'job' : 'jobs'} (${hiddenSteps} steps) not listed to keep the summary small._`))
    }
    if (blocks.length === 0) return []
    return [block('#### Steps'), ...blocks]
  }
}

/**
 * Run order, as for jobs inside a run: failed first, then what is still going, then the rest,
 * each group in the order given. With one passing and one failing run found in that order, the
 * failure's cause was 850 px down the page, below a 1280×800 screen; first, it is near the top.
 */
function runsInOrder(reports: readonly RunReport[], failed: (report: RunReport) => boolean): RunReport[] {
  const rank = (report: RunReport): number => (failed(report) ? 0 : isCompleted(report.run) ? 2 : 1)
  return [...reports].sort((a, b) => rank(a) - rank(b))
}

function endedBadly(report: RunReport): boolean {
  return isFailed(report.run) || report.jobs.some(isFailed)
}

/**
 * Jobs table order: failed first, then what is still going, then the rest (each group in the
 * run's own order, the sort being stable).
 */
function tableRank(job: Job): number {
  if (isFailed(job)) return 0
  if (!isCompleted(job)) return 1
  return 2
}

function approvalLine(approval: Approval): string {
  const emoji = approval.state === 'approved' ? '✅' : approval.state === 'rejected' ? '❌' : '📝'
  const where = approval.environments.length > 0 ? ` for ${approval.environments.map(escapeMarkdown).join(', ')}` : ''
  const comment = approval.comment.trim() === '' ? '' : `: “${escapeMarkdown(sliceChars(approval.comment, MAX_COMMENT_CHARS))}”`
  return `- ${emoji} ${escapeMarkdown(approval.state)} by ${escapeMarkdown(approval.user)}${where}${comment}`
}

function pendingLine(pending: PendingDeployment): string {
  const parts = [`- ⏸️ waiting for **${escapeMarkdown(pending.environment)}**`]
  if (pending.waitTimerMinutes > 0) parts.push(`wait timer ${pending.waitTimerMinutes} min`)
  if (pending.reviewers.length > 0) parts.push(`reviewers: ${pending.reviewers.map(escapeMarkdown).join(', ')}`)
  if (pending.currentUserCanApprove) parts.push('this token may approve')
  return parts.join(' · ')
}

/** The runner's own line when a step's process exits non-zero: it says nothing of the cause. */
const GENERIC_ERROR = /^Process completed with exit code \d+\.?$/
/** Last lines shown without a click when the error is generic: a screenful, not the whole excerpt. */
const VISIBLE_CAUSE_LINES = 15

function pre(lines: readonly string[]): string {
  // Inside <pre> GitHub parses no Markdown: HTML-escaping each line is all it needs.
  return `<pre>\n${lines.map(escapeCodeLine).join('\n')}\n</pre>`
}

function failureSection(job: Job, step: Step, excerpt: StepLogExcerpt | undefined, context: number, maxErrors: number): string {
  // Linked to the line that says why (GitHub's `#step:<number>:<line>` anchor on the job page).
  const anchor = job.htmlUrl === null ? null : `${job.htmlUrl}#step:${step.number}:${excerpt?.causeLine ?? 1}`
  const parts = [`##### ${stateEmoji(step)} ${markdownLink(`${job.name} › ${step.name}`, anchor)}`]
  if (excerpt === undefined) {
    parts.push('_No log excerpt._')
    return parts.join('\n\n')
  }
  const errors = excerpt.errorLines
  const lines = context > 0 ? excerpt.contextLines.slice(-context) : []
  // When the errors say no more than the exit code (or there are none, as when an action
  // crashed), the cause is in the step's last lines: those are shown, not folded away.
  if (lines.length > 0 && errors.every((error) => GENERIC_ERROR.test(error))) {
    const visible = lines.slice(-VISIBLE_CAUSE_LINES)
    const said = errors.length === 0 ? 'No `##[error]` line' : 'Its error line gives only the exit code'
    parts.push(`_${said}; the step’s last ${visible.length === 1 ? 'line' : `${visible.length} lines`}:_\n\n${pre(visible)}`)
    if (errors.length > 0) parts.push(pre(errors))
    if (visible.length < lines.length) parts.push(`<details><summary>All ${lines.length} log lines before the error</summary>\n\n${pre(lines)}\n\n</details>`)
    if (excerpt.truncated) parts.push('_Excerpt shortened: long lines or many error lines were cut._')
    return parts.join('\n\n')
  }
  if (errors.length > 0) {
    const shown = errors.length > maxErrors ? errors.slice(0, maxErrors) : errors
    // A multi-line error is one entry: its lines are shown as lines.
    parts.push(pre(shown.flatMap((error) => error.split('\n'))))
    if (shown.length < errors.length) parts.push(`_…and ${errors.length - shown.length} more error lines._`)
  } else {
    parts.push('_No `##[error]` lines in this step’s log._')
  }
  if (lines.length > 0) {
    const what = errors.length > 0 ? 'before the error' : 'of the step'
    const summary = `Last ${lines.length} log ${lines.length === 1 ? 'line' : 'lines'} ${what}`
    parts.push(`<details><summary>${summary}</summary>\n\n${pre(lines)}\n\n</details>`)
  }
  if (excerpt.truncated) parts.push('_Excerpt shortened: long lines or many error lines were cut._')
  return parts.join('\n\n')
}

/** A failed step's section with its job's kind on the heading and, under the first, the evidence. */
function withTriage(section: string, triage: JobTriage, evidence: boolean): string {
  const end = section.indexOf('\n')
  const heading = end === -1 ? section : section.slice(0, end)
  const rest = end === -1 ? '' : section.slice(end)
  return `${heading} · ${triageBadge(triage)}${evidence ? `\n\n${triageEvidence(triage)}` : ''}${rest}`
}

function stepList(job: Job, nowMs: number): string {
  const durations = job.steps.map((step) => (step.conclusion === 'skipped' ? null : stepDurationMs(step, nowMs)))
  // The slowest step, when one is slower than every other (a tie marks none: picking one of
  // two equal steps would say something untrue).
  let slowest = -1
  let runnerUp = -1
  durations.forEach((ms, i) => {
    if (ms === null) return
    if (slowest === -1 || ms > (durations[slowest] ?? 0)) {
      runnerUp = slowest
      slowest = i
    } else if (runnerUp === -1 || ms > (durations[runnerUp] ?? 0)) runnerUp = i
  })
  if (runnerUp === -1 || durations[runnerUp] === durations[slowest]) slowest = -1

  const rows = ['| # | Step | Duration |', '|--:|---|--:|']
  job.steps.forEach((step, i) => {
    const running = !isCompleted(step)
    const ms = durations[i] ?? null
    let name = escapeMarkdown(step.name)
    let duration = durationText(ms, running && ms !== null)
    if (i === slowest) {
      name = `**${name}** 🐢`
      duration = `**${duration}**`
    }
    rows.push(`| ${step.number} | ${stateEmoji(step)} ${name} | ${duration} |`)
  })
  const total = jobDurationMs(job, nowMs)
  const facts = [`${job.steps.length} ${job.steps.length === 1 ? 'step' : 'steps'}`]
  if (total !== null) facts.push(durationText(total, !isCompleted(job)))
  const open = isFailed(job) ? ' open' : ''
  const summary = `${stateEmoji(job)} ${escapeHtmlBlockText(job.name)} · ${facts.join(' · ')}`
  return `<details${open}><summary>${summary}</summary>\n\n${rows.join('\n')}\n\n</details>`
}

/** Cuts `text` at a line boundary within `budget` bytes, closing what the cut left open. */
function cutBlock(text: string, budget: number): string {
  const lines = text.split('\n')
  const kept: string[] = []
  // Closing tags and a fence, reserved so the cut text stays well-formed.
  const reserve = 64
  let used = 0
  let openDetails = 0
  let inPre = false
  let inFence = false
  for (const line of lines) {
    const bytes = Buffer.byteLength(line, 'utf8') + 1
    if (used + bytes + reserve > budget) break
    used += bytes
    kept.push(line)
    // Untrusted text is escaped, so every tag seen here is one this module wrote.
    if (line.startsWith('<pre>')) inPre = true
    if (line.includes('</pre>')) inPre = false
    if (!inPre && line.startsWith('```')) inFence = !inFence
    if (!inPre && line.startsWith('<details')) openDetails += 1
    if (!inPre && line === '</details>') openDetails -= 1
  }
  if (inPre) kept.push('</pre>')
  if (inFence) kept.push('```')
  for (let i = 0; i < openDetails; i++) kept.push('', '</details>')
  return kept.join('\n')
}

/** The first bytes of `text` that fit in `max`, never splitting a character. */
function byteSlice(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= max) return text
  let end = Math.max(0, max)
  // Back up over UTF-8 continuation bytes to the start of a character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1
  return bytes.subarray(0, end).toString('utf8')
}

/** The job summary for `reports`, at most `options.maxBytes` UTF-8 bytes. */
export function renderSummary(reports: readonly RunReport[], options: SummaryOptions): string {
  const detailed = options.detail ? reports.filter(options.detail) : reports
  const runs = runsInOrder(detailed, options.failed ?? endedBadly).map((report) => new RunParts(report, options))
  const preface = options.preface !== undefined && options.preface.trim() !== '' ? [block(options.preface.trim())] : []
  const compose = (level: Level): Block[] => {
    const blocks = [...preface]
    for (const run of runs) blocks.push(...run.blocks(level))
    if (reports.length === 0 && preface.length === 0) blocks.push(block('_No workflow runs selected._'))
    if (level.omitted !== '') {
      blocks.push(block(`_Left out to stay under GitHub’s summary size limit: ${level.omitted}._`))
    }
    return blocks
  }

  let blocks: Block[] = []
  for (const level of LEVELS) {
    blocks = compose(level)
    if (sizeOf(blocks) <= options.maxBytes) return blocks.map((b) => b.text).join(SEPARATOR)
  }

  // Still too big at the least detailed level: keep whole blocks while they fit, cut the first
  // one that does not at a line boundary, and say so.
  const note = block('> [!WARNING]\n> This summary was cut to stay under GitHub’s size limit; the run’s page has the rest.')
  const budget = options.maxBytes - note.bytes - SEPARATOR_BYTES
  const kept: string[] = []
  let used = 0
  for (const b of blocks) {
    const cost = b.bytes + (kept.length > 0 ? SEPARATOR_BYTES : 0)
    if (used + cost <= budget) {
      kept.push(b.text)
      used += cost
      continue
    }
    const rest = budget - used - (kept.length > 0 ? SEPARATOR_BYTES : 0)
    const cut = rest > 0 ? cutBlock(b.text, rest) : ''
    if (cut !== '' && Buffer.byteLength(cut, 'utf8') <= rest) kept.push(cut)
    break
  }
  kept.push(note.text)
  return byteSlice(kept.join(SEPARATOR), options.maxBytes)
}
