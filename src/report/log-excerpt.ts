// Reads a job's log once, as a stream, and keeps for each failed step its `##[error]` lines and the
// lines just before the first one. Memory stays bounded whatever the log's size: a ring buffer of
// context lines per failed step, a cap on error lines, a cap on each line's length.
//
// The log does not mark step boundaries, so lines are matched to steps by time: each line's
// timestamp against the steps' `started_at`/`completed_at` (whole seconds, so boundaries are
// ambiguous), with the `##[group]Run …` line that opens each step's output as a tie-breaker.

import type { Job, Step, StepLogExcerpt } from '../github/types.js'
import { isFailedConclusion } from './conclusions.js'
import { parseTime } from './durations.js'
import { sliceChars } from './escape.js'

export interface ExcerptOptions {
  /** Lines kept before the first error line (or at the end of a step without one); 0 = none. */
  contextLines: number
  /** Error lines kept per step; more set `truncated`. */
  maxErrorLines: number
  /** Characters kept per line, `…` included; longer lines are cut and set `truncated`. */
  maxLineLength: number
}

// `2026-11-21T10:00:05.1234567Z ` — the runner's prefix on every line it writes.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/
// Length of `2026-11-21T10:00:05`, the part of the timestamp steps can be compared with.
const SECOND_PREFIX_LENGTH = 19
const RUN_HEADER = '##[group]Run '
const BOM = '\uFEFF'

// Steps the runner writes without a `##[group]Run` header of their own.
const HEADERLESS_STEP = /^(?:Set up job|Complete job|Post )/

/** Keeps the last `size` items pushed, in order. */
class Ring<T> {
  private readonly items: T[] = []
  private next = 0

  constructor(private readonly size: number) {}

  push(item: T): void {
    if (this.size <= 0) return
    if (this.items.length < this.size) this.items.push(item)
    else this.items[this.next] = item
    this.next = (this.next + 1) % this.size
  }

  toArray(): T[] {
    if (this.items.length < this.size) return [...this.items]
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)]
  }
}

interface Kept {
  text: string
  cut: boolean
}

/** What is kept for one failed step while the log streams past. */
class StepCollector {
  private readonly ring: Ring<Kept>
  private context: Kept[] | null = null
  private readonly errors: string[] = []
  private truncated = false
  /** Lines of the step seen so far, and the number of its first error line. */
  private lineNumber = 0
  private firstErrorLine: number | null = null

  constructor(
    private readonly jobId: number,
    private readonly stepNumber: number,
    private readonly options: ExcerptOptions
  ) {
    this.ring = new Ring<Kept>(options.contextLines)
  }

  /** True while the last line kept was an error line: untimestamped lines continue it. */
  private inError = false
  /**
   * The runner's preamble of a step (`##[group]Run …`, the command, `shell:`, `env:` … up to
   * `##[endgroup]`), held back: dropped when its `##[endgroup]` comes, kept as output if it
   * never does (a log cut short, a group the step opened itself).
   */
  private preamble: Ring<Kept> | null = null

  take(text: string, continuation: boolean): void {
    // GitHub's log viewer numbers a step's lines from 1, its `##[group]Run` header included; every
    // line of the step's part of the log is counted, as the viewer's line anchors count them.
    this.lineNumber += 1
    if (continuation && this.inError) {
      this.continueError(text)
      return
    }
    this.inError = false
    if (text.startsWith('##[debug]')) return
    if (text.startsWith('##[error]')) {
      this.firstErrorLine ??= this.lineNumber
      this.addError(text.slice('##[error]'.length))
      this.inError = true
      return
    }
    // Context stops at the first error line.
    if (this.context !== null) return
    // The runner's echo of what the step runs is not the cause.
    if (text.startsWith(RUN_HEADER)) {
      this.flushPreamble()
      this.preamble = new Ring<Kept>(this.options.contextLines)
      this.preamble.push(this.keep(text.slice('##[group]'.length)))
      return
    }
    if (this.preamble !== null) {
      if (text.startsWith('##[endgroup]')) this.preamble = null
      else this.preamble.push(this.keep(displayText(text) ?? text))
      return
    }
    const shown = displayText(text)
    if (shown !== null) this.ring.push(this.keep(shown))
  }

  /** A preamble that was not closed turns out to be output: keep it as context. */
  private flushPreamble(): void {
    for (const kept of this.preamble?.toArray() ?? []) this.ring.push(kept)
    this.preamble = null
  }

  /** A line of a multi-line error message: part of the error line before it. */
  private continueError(text: string): void {
    const last = this.errors.length - 1
    if (last < 0) return
    const joined = this.keep(`${this.errors[last]}\n${text}`)
    if (joined.cut) this.truncated = true
    this.errors[last] = joined.text
  }

  private addError(text: string): void {
    if (this.context === null) {
      this.flushPreamble()
      this.context = this.ring.toArray()
    }
    if (this.errors.length >= this.options.maxErrorLines) {
      this.truncated = true
      return
    }
    const kept = this.keep(text)
    if (kept.cut) this.truncated = true
    this.errors.push(kept.text)
  }

  private keep(text: string): Kept {
    const max = Math.max(1, this.options.maxLineLength)
    if (text.length <= max) return { text, cut: false }
    return { text: `${sliceChars(text, max - 1)}…`, cut: true }
  }

  result(): StepLogExcerpt {
    if (this.context === null) this.flushPreamble()
    const context = this.context ?? this.ring.toArray()
    return {
      jobId: this.jobId,
      stepNumber: this.stepNumber,
      errorLines: this.errors,
      contextLines: context.map((k) => k.text),
      truncated: this.truncated || context.some((k) => k.cut),
      causeLine: this.firstErrorLine ?? (this.lineNumber > 0 ? this.lineNumber : null)
    }
  }
}

/** A log line as a reader wants it: markers removed, `null` for lines not worth showing. */
function displayText(text: string): string | null {
  if (!text.startsWith('##[')) return text
  if (text.startsWith('##[endgroup]')) return null
  if (text.startsWith('##[group]')) return text.slice('##[group]'.length)
  if (text.startsWith('##[command]')) return text.slice('##[command]'.length)
  if (text.startsWith('##[section]')) return text.slice('##[section]'.length)
  if (text.startsWith('##[warning]')) return `Warning: ${text.slice('##[warning]'.length)}`
  if (text.startsWith('##[notice]')) return `Notice: ${text.slice('##[notice]'.length)}`
  return text
}

/** A step that wrote to the log, with its time span in whole seconds (ms since the epoch). */
interface Slot {
  step: Step
  startSec: number
  endSec: number | null
  hasHeader: boolean
}

function floorSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000
}

/**
 * The first line of the steps that have no `##[group]Run` header (checked on real job logs, see
 * API-NOTES): a `Post …` step opens with `Post job cleanup.`, `Complete job` with `Cleaning up
 * orphan processes`. Both very often start in the second the step before them ended.
 */
const HEADERLESS_OPENING = /^(?:Post job cleanup\.|Cleaning up orphan processes)/

/** One log line as attributed: the step it belongs to, its text without the timestamp. */
export interface AttributedLine {
  /** The step's number; null for lines before the first step that wrote to the log. */
  step: number | null
  text: string
  /**
   * A line without a timestamp: it continues the line before it (a multi-line `##[error]`
   * message is one timestamped line followed by such lines).
   */
  continuation: boolean
}

/**
 * Gives each line of a job log to the step that wrote it. The log does not mark boundaries, so
 * lines go by time: a line belongs to the current step until its completion second is over,
 * and at a boundary second (a step's end is the next one's start) the next step's opening line
 * moves it on: its `##[group]Run …` header (which, when the step's name is GitHub's default
 * `Run …`, must be that name: a composite action writes inner headers of its own), or the
 * opening line of a headerless `Post …` / `Complete job` step.
 */
export async function* attributeLines(lines: AsyncIterable<string>, job: Job): AsyncIterable<AttributedLine> {
  // Skipped steps and steps that never started write nothing: leaving them out keeps a header
  // line from being given to them.
  const slots: Slot[] = []
  for (const step of [...job.steps].sort((a, b) => a.number - b.number)) {
    const started = parseTime(step.startedAt)
    if (started === null || step.conclusion === 'skipped') continue
    const completed = parseTime(step.completedAt)
    slots.push({
      step,
      startSec: floorSecond(started),
      endSec: completed === null ? null : floorSecond(completed),
      hasHeader: !HEADERLESS_STEP.test(step.name)
    })
  }
  let index = 0
  let headerSeen = false
  let first = true
  let cachedPrefix = ''
  let cachedSecond = 0

  for await (const raw of lines) {
    const line = first && raw.startsWith(BOM) ? raw.slice(1) : raw
    first = false
    const stamp = TIMESTAMP.exec(line)
    if (stamp === null) {
      yield { step: slots[index]?.step.number ?? null, text: line, continuation: true }
      continue
    }
    const text = line.slice(stamp[0].length)
    const prefix = line.slice(0, SECOND_PREFIX_LENGTH)
    if (prefix !== cachedPrefix) {
      cachedPrefix = prefix
      cachedSecond = Date.parse(`${prefix}Z`)
    }
    const second = cachedSecond

    // Past the current step's completion second: it is over, whatever the markers say.
    for (let slot = slots[index]; slot !== undefined && index < slots.length - 1; slot = slots[index]) {
      if (slot.endSec === null || second < slot.endSec + 1000) break
      index += 1
      headerSeen = false
    }
    const current = slots[index]
    const next = slots[index + 1]
    const nextHasStarted = next !== undefined && second >= next.startSec
    if (text.startsWith(RUN_HEADER)) {
      if (current !== undefined && current.hasHeader && !headerSeen) {
        headerSeen = true
      } else if (nextHasStarted && next.hasHeader && opensStep(text, next.step)) {
        index += 1
        headerSeen = true
      }
    } else if (nextHasStarted && !next.hasHeader && HEADERLESS_OPENING.test(text)) {
      index += 1
      headerSeen = false
    }
    yield { step: slots[index]?.step.number ?? null, text, continuation: false }
  }
}

/**
 * Whether a `##[group]Run X` header can be `step`'s own: a step with GitHub's default name
 * (`Run npm test`, `Run actions/checkout@v4`) is opened by exactly that header; a step named by
 * its author can be opened by any.
 */
function opensStep(header: string, step: Step): boolean {
  return !step.name.startsWith('Run ') || header.slice(RUN_HEADER.length - 'Run '.length) === step.name
}

/** One excerpt per failed step of `job` (failure, timed out, cancelled), in step order. */
export async function extractExcerpts(lines: AsyncIterable<string>, job: Job, options: ExcerptOptions): Promise<StepLogExcerpt[]> {
  const failed = [...job.steps].sort((a, b) => a.number - b.number).filter((step) => isFailedConclusion(step.conclusion))
  if (failed.length === 0) return []
  const collectors = new Map<number, StepCollector>()
  for (const step of failed) collectors.set(step.number, new StepCollector(job.id, step.number, options))
  const lastFailed = Math.max(...failed.map((step) => step.number))

  for await (const line of attributeLines(lines, job)) {
    // Every failed step is behind us: stop reading (ends the download early).
    if (line.step !== null && line.step > lastFailed) break
    if (line.step !== null) collectors.get(line.step)?.take(line.text, line.continuation)
  }
  return failed.map((step) => (collectors.get(step.number) as StepCollector).result())
}

// Longest line `splitLines` yields: far beyond any excerpt's line length, small enough that one
// runaway line (minified code, base64) cannot hold megabytes in memory.
const SPLIT_MAX_LINE = 65_536

/**
 * Lines of a UTF-8 byte (or text) stream: `\n` or `\r\n` endings removed, characters split
 * between chunks decoded whole, lines longer than `maxLineLength` cut there (the rest dropped).
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array | string>, options: { maxLineLength?: number } = {}): AsyncIterable<string> {
  const cap = options.maxLineLength ?? SPLIT_MAX_LINE
  const decoder = new TextDecoder('utf-8')
  let pending = ''
  let dropping = false

  const append = (text: string): void => {
    if (dropping || text === '') return
    pending += text.length > cap ? text.slice(0, cap + 1) : text
    if (pending.length > cap) {
      pending = sliceChars(pending, cap)
      dropping = true
    }
  }
  const finish = (): string => {
    const line = !dropping && pending.endsWith('\r') ? pending.slice(0, -1) : pending
    pending = ''
    dropping = false
    return line
  }

  for await (const chunk of chunks) {
    // A text chunk after bytes: whatever bytes were pending are complete by now.
    const text = typeof chunk === 'string' ? decoder.decode() + chunk : decoder.decode(chunk, { stream: true })
    let start = 0
    for (;;) {
      const newline = text.indexOf('\n', start)
      if (newline === -1) {
        append(text.slice(start))
        break
      }
      append(text.slice(start, newline))
      yield finish()
      start = newline + 1
    }
  }
  append(decoder.decode())
  if (pending !== '' || dropping) yield finish()
}
