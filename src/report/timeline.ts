// The run as a mermaid gantt chart, read as "where did the time go": the axis counts from the
// run's start, each job is one row (its queue time, then its run), and step bars appear only
// where they say something (failed jobs, the slowest job, small runs). Large runs fold their
// matrix legs into one bar per family, so the chart's height stays bounded.
//
// Checked against mermaid 11's gantt renderer (its source, and the parser in the tests):
// - `displayMode: compact` in front matter puts tasks of a section that do not overlap on one
//   row; a viewer with an older mermaid draws the same tasks one per row.
// - Axis labels go through d3's *local-time* formatter, so `%H:%M` would shift with the reader's
//   time zone. `%s` (seconds since the epoch) does not; times are therefore written as offsets
//   from the run's start, scaled so that one chart second is one axis unit (s, min or h).
// - `tickInterval <n>second` uses d3's `timeSecond.every(n)`, which counts seconds within a
//   minute: only divisors of 60 give even ticks.

import type { Job, RunReport, Step } from '../github/types.js'
import { isCompleted, isFailed } from './conclusions.js'
import { formatDuration, parseTime, runStartMs } from './durations.js'
import { mermaidText } from './escape.js'

export interface GanttOptions {
  nowMs: number
  /** Step bars where they help; false = job bars only. */
  includeSteps: boolean
}

// Job sections drawn one by one; past this, matrix families share a bar. Mermaid draws a row in
// about 24 px, so the chart stays within about 40 rows (≈ 1,000 px) whatever the run's size.
const MAX_JOB_SECTIONS = 20
// Step rows: the failed jobs' and the slowest job's, and every job's in a run this small.
const MAX_STEP_ROWS = 8
const SMALL_RUN_JOBS = 3
// A step gets a bar when it failed or took at least this share of its job: this drops the
// one-second "Set up job" / "Complete job" slivers that made a wall of rows.
const STEP_SHARE = 0.1
// The shortest bar, as a share of the axis: mermaid draws nothing for a zero-length task.
const MIN_BAR_SHARE = 0.004
// A finished job's queue time gets a bar from this share of the axis on (the jobs table has
// every queue time; a sliver only crowds the row).
const QUEUE_MIN_SHARE = 0.02
// Room for the bars on github.com (the summary column less mermaid's side paddings) and the
// width of a character of a bar label: a label wider than its bar is drawn over the next one.
const BARS_WIDTH_PX = 700
const LABEL_CHAR_PX = 6.5
// Ticks wanted on the axis, at most; tick steps divide 60 (see above).
const MAX_TICKS = 10
const TICK_STEPS = [1, 2, 5, 10, 15, 30]

interface Unit {
  seconds: number
  label: string
}
// The axis unit, by the run's span: the first that needs no more than MAX_TICKS ticks of 30.
const UNITS: readonly Unit[] = [
  { seconds: 1, label: 's' },
  { seconds: 60, label: 'min' },
  { seconds: 3600, label: 'h' },
  { seconds: 86_400, label: 'd' }
]

type Tag = 'done' | 'active' | 'crit' | ''

interface Bar {
  label: string
  /** A label for when `label` would not fit in the bar (it would spill over its neighbours). */
  short?: string
  /** Bars narrower than this share of the axis are left out (a one-second queue says nothing). */
  minShare?: number
  tag: Tag
  startMs: number
  endMs: number
}

interface Section {
  title: string
  bars: Bar[]
}

function tagOf(item: { status: string; conclusion: string | null }): Tag {
  if (isFailed(item)) return 'crit'
  return isCompleted(item) ? 'done' : 'active'
}

/** [start, end] of something that started, to now while it runs; null if it never started. */
function spanOf(
  item: { status: string; conclusion: string | null; startedAt: string | null; completedAt: string | null },
  nowMs: number
): [number, number] | null {
  const start = parseTime(item.startedAt)
  if (start === null) return null
  const end = isCompleted(item) ? (parseTime(item.completedAt) ?? start) : Math.max(nowMs, start)
  return [start, Math.max(start, end)]
}

/** The queue bar and the run bar of one job (GitHub gives a queued job `started_at` = `created_at`). */
function jobBars(job: Job, nowMs: number): Bar[] {
  const bars: Bar[] = []
  const created = parseTime(job.createdAt)
  const queued = job.status === 'queued' || job.status === 'waiting' || job.status === 'pending' || job.status === 'requested'
  if (queued) {
    if (created !== null) bars.push(queueBar(created, Math.max(created, nowMs)))
    return bars
  }
  const span = spanOf(job, nowMs)
  if (span === null) return bars
  if (created !== null && span[0] > created) bars.push({ ...queueBar(created, span[0]), minShare: QUEUE_MIN_SHARE })
  // The section title names the job: its bar says how long it ran.
  bars.push({ label: formatDuration(span[1] - span[0]), tag: tagOf(job), startMs: span[0], endMs: span[1] })
  return bars
}

function queueBar(start: number, end: number): Bar {
  return { label: `queued ${formatDuration(end - start)}`, short: '⏳', tag: '', startMs: start, endMs: end }
}

/** The steps of a job worth a bar: the failed ones and those that took a real share of the job. */
function stepBars(job: Job, nowMs: number): Bar[] {
  const jobSpan = spanOf(job, nowMs)
  if (jobSpan === null) return []
  const threshold = (jobSpan[1] - jobSpan[0]) * STEP_SHARE
  const bars: Bar[] = []
  for (const step of job.steps as Step[]) {
    if (step.conclusion === 'skipped') continue
    const span = spanOf(step, nowMs)
    if (span === null) continue
    if (!isFailed(step) && isCompleted(step) && span[1] - span[0] < Math.max(threshold, 1000)) continue
    bars.push({ label: `${mermaidText(step.name)} ${formatDuration(span[1] - span[0])}`, tag: tagOf(step), startMs: span[0], endMs: span[1] })
  }
  return bars
}

function jobRunMs(job: Job, nowMs: number): number {
  const span = spanOf(job, nowMs)
  return span === null ? -1 : span[1] - span[0]
}

/** `test (ubuntu, 20)` → `test`: GitHub names matrix legs `<job> (<values>)`. */
function familyOf(name: string): string {
  const open = name.indexOf(' (')
  return open > 0 && name.endsWith(')') ? name.slice(0, open) : name
}

/** One bar for many finished jobs: from the first start to the last end. */
function groupBar(title: string, jobs: readonly Job[], nowMs: number): Bar | null {
  let start = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  let shortest = Number.POSITIVE_INFINITY
  let longest = 0
  for (const job of jobs) {
    const span = spanOf(job, nowMs)
    if (span === null) continue
    start = Math.min(start, span[0])
    end = Math.max(end, span[1])
    shortest = Math.min(shortest, span[1] - span[0])
    longest = Math.max(longest, span[1] - span[0])
  }
  if (!Number.isFinite(start)) return null
  const range = shortest === longest ? formatDuration(longest) : `${formatDuration(shortest)}–${formatDuration(longest)}`
  return { label: `${title} × ${jobs.length}, ${range} each`, tag: 'done', startMs: start, endMs: end }
}

function sections(report: RunReport, options: GanttOptions): Section[] {
  const { nowMs } = options
  const drawn = report.jobs.filter((job) => job.conclusion !== 'skipped' && jobBars(job, nowMs).length > 0)
  const slowest = drawn.reduce<Job | null>((best, job) => (best === null || jobRunMs(job, nowMs) > jobRunMs(best, nowMs) ? job : best), null)
  let stepRows = 0
  const withSteps = (job: Job): boolean => {
    if (!options.includeSteps || stepRows >= MAX_STEP_ROWS) return false
    return isFailed(job) || job === slowest || drawn.length <= SMALL_RUN_JOBS
  }
  const sectionOf = (job: Job): Section => {
    const bars = jobBars(job, nowMs)
    if (withSteps(job)) {
      const steps = stepBars(job, nowMs)
      if (steps.length > 0) stepRows += 1
      bars.push(...steps)
    }
    return { title: mermaidText(job.name), bars }
  }

  if (drawn.length <= MAX_JOB_SECTIONS) return drawn.map(sectionOf)

  // A large run: what went wrong or is still going gets its own row, the rest is folded.
  const own = drawn.filter((job) => isFailed(job) || !isCompleted(job)).slice(0, MAX_JOB_SECTIONS / 2)
  const rest = drawn.filter((job) => !own.includes(job))
  const families = new Map<string, Job[]>()
  for (const job of rest) {
    const family = familyOf(job.name)
    families.set(family, [...(families.get(family) ?? []), job])
  }
  const result = own.map(sectionOf)
  const room = MAX_JOB_SECTIONS - result.length
  const entries = [...families.entries()]
  const shown = entries.length <= room ? entries : entries.slice(0, room - 1)
  for (const [family, jobs] of shown) {
    const bar = jobs.length === 1 ? null : groupBar(mermaidText(family), jobs, nowMs)
    result.push(bar === null ? sectionOf(jobs[0] as Job) : { title: mermaidText(family), bars: [bar] })
  }
  if (shown.length < entries.length) {
    const others = entries.slice(shown.length).flatMap(([, jobs]) => jobs)
    const bar = groupBar('other jobs', others, nowMs)
    if (bar !== null) result.push({ title: 'other jobs', bars: [bar] })
  }
  return result
}

interface Axis {
  unit: Unit
  tickStep: number
}

function axisFor(spanMs: number): Axis {
  for (const unit of UNITS) {
    const units = spanMs / 1000 / unit.seconds
    const tickStep = TICK_STEPS.find((step) => units / step <= MAX_TICKS)
    if (tickStep !== undefined) return { unit, tickStep }
  }
  const unit = UNITS[UNITS.length - 1] as Unit
  return { unit, tickStep: TICK_STEPS[TICK_STEPS.length - 1] as number }
}

/** A fenced ```mermaid gantt block; an empty string when nothing has started yet. */
export function renderGantt(report: RunReport, options: GanttOptions): string {
  const chartSections = sections(report, options).filter((section) => section.bars.length > 0)
  if (chartSections.length === 0) return ''
  const bars = chartSections.flatMap((section) => section.bars)
  // The run's start: the attempt's, or its first job's creation if that is earlier (a job
  // carried over from an earlier attempt).
  const runStart = runStartMs(report.run) ?? Number.POSITIVE_INFINITY
  const origin = Math.min(runStart, ...bars.map((bar) => bar.startMs))
  const spanMs = Math.max(1000, ...bars.map((bar) => bar.endMs - origin))
  const { unit, tickStep } = axisFor(spanMs)
  const scale = (ms: number): number => Math.round((ms - origin) / unit.seconds)
  const minBar = Math.max(1, Math.round((spanMs * MIN_BAR_SHARE) / unit.seconds))

  // The run as a whole on the first row: it starts the axis at the run's start (mermaid's axis
  // begins at the earliest bar) and shows the run's length.
  const runBar: Bar = { label: formatDuration(spanMs), tag: tagOf(report.run), startMs: origin, endMs: origin + spanMs }
  chartSections.unshift({ title: mermaidText(report.run.name), bars: [runBar] })

  const lines = [
    '```mermaid',
    '---',
    'displayMode: compact',
    '---',
    'gantt',
    '    dateFormat x',
    `    axisFormat %s ${unit.label}`,
    `    tickInterval ${tickStep}second`,
    // The marker would stretch the axis to today's date.
    '    todayMarker off'
  ]
  for (const section of chartSections) {
    lines.push(`    section ${section.title}`)
    for (const bar of section.bars) {
      const share = (bar.endMs - bar.startMs) / spanMs
      if (share < (bar.minShare ?? 0)) continue
      const fits = share * BARS_WIDTH_PX >= bar.label.length * LABEL_CHAR_PX
      const start = scale(bar.startMs)
      const end = Math.max(scale(bar.endMs), start + minBar)
      lines.push(`    ${fits || bar.short === undefined ? bar.label : bar.short} :${bar.tag === '' ? '' : `${bar.tag}, `}${start}, ${end}`)
    }
  }
  lines.push('```')
  return lines.join('\n')
}
