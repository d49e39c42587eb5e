// The run as a mermaid gantt chart: one section per job, its steps as bars (or one bar per job).

import type { Job, RunReport, Step } from '../github/types.js'
import { isCompleted, isFailed } from './conclusions.js'
import { formatDuration, parseTime } from './durations.js'
import { mermaidText } from './escape.js'

export interface GanttOptions {
  nowMs: number
  /** Steps as bars inside each job's section; false = one bar per job. */
  includeSteps: boolean
}

// Axis label formats by the chart's span: seconds matter in short runs, dates in long ones.
const TWO_HOURS_MS = 2 * 60 * 60 * 1000
const TWO_DAYS_MS = 24 * TWO_HOURS_MS

// Shortest bar drawn: mermaid draws nothing for a zero-length task, and one second is the
// precision of the timestamps anyway.
const MIN_BAR_MS = 1000

interface Bar {
  label: string
  tag: string
  start: number
  end: number
}

/** A job or a step with the fields a bar needs. */
interface Timed {
  name: string
  status: string
  conclusion: string | null
  startedAt: string | null
  completedAt: string | null
}

function barOf(item: Timed, nowMs: number): Bar | null {
  // Skipped items are zero-length noise; items that never started have nowhere to go.
  if (item.conclusion === 'skipped') return null
  const start = parseTime(item.startedAt)
  if (start === null) return null
  const running = !isCompleted(item)
  const completed = parseTime(item.completedAt)
  const end = running ? Math.max(nowMs, start) : (completed ?? start)
  const tag = isFailed(item) ? 'crit' : running ? 'active' : 'done'
  return {
    label: `${mermaidText(item.name)} (${formatDuration(end - start)})`,
    tag,
    start,
    end: Math.max(end, start + MIN_BAR_MS)
  }
}

function axisFormat(spanMs: number): string {
  if (spanMs <= TWO_HOURS_MS) return '%H:%M:%S'
  if (spanMs <= TWO_DAYS_MS) return '%H:%M'
  return '%d %b %H:%M'
}

function jobBars(job: Job, options: GanttOptions): Bar[] {
  if (!options.includeSteps) {
    const bar = barOf(job, options.nowMs)
    return bar === null ? [] : [bar]
  }
  const bars = job.steps
    .map((step: Step) => barOf(step, options.nowMs))
    .filter((bar): bar is Bar => bar !== null)
  // A job whose steps are not known yet still shows as a whole.
  if (bars.length === 0) {
    const bar = barOf(job, options.nowMs)
    if (bar !== null) bars.push(bar)
  }
  return bars
}

/** A fenced ```mermaid gantt block; an empty string when nothing has started yet. */
export function renderGantt(report: RunReport, options: GanttOptions): string {
  const sections: { title: string; bars: Bar[] }[] = []
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const job of report.jobs) {
    const bars = jobBars(job, options)
    if (bars.length === 0) continue
    for (const bar of bars) {
      min = Math.min(min, bar.start)
      max = Math.max(max, bar.end)
    }
    sections.push({ title: mermaidText(job.name), bars })
  }
  if (sections.length === 0) return ''

  const lines = [
    '```mermaid',
    'gantt',
    '    dateFormat x',
    `    axisFormat ${axisFormat(max - min)}`,
    // The marker would stretch the axis to today's date when viewing an old run.
    '    todayMarker off'
  ]
  for (const section of sections) {
    lines.push(`    section ${section.title}`)
    for (const bar of section.bars) lines.push(`    ${bar.label} :${bar.tag}, ${bar.start}, ${bar.end}`)
  }
  lines.push('```')
  return lines.join('\n')
}
