// Job logs as the runner writes them: one `<timestamp> <text>` line each, timestamps spread over
// the window of the step that printed them, so consumers can split a log by step times the way
// they must on GitHub. Generated lazily: a log of hundreds of thousands of lines is streamed.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Readable } from 'node:stream'
import { isoTicks } from './clock.js'
import type { JobPlan, StepPlan } from './model.js'

const BOM = '\uFEFF'
const LINES_PER_CHUNK = 2000
/** Marks a line the runner writes without a timestamp (the rest of a multi-line error). */
const UNTIMESTAMPED = '\u0000'

/** One step's lines without timestamps; each element is produced only when iterated. */
function* stepTexts(job: JobPlan, step: StepPlan): Generator<string> {
  if (step.kind === 'setup') {
    yield "Current runner version: '2.330.0'"
    yield `Runner name: '${job.spec.runnerName ?? `GitHub Actions ${job.index + 1}`}'`
    yield "Runner group name: 'GitHub Actions'"
    yield '##[group]Operating System'
    yield 'Ubuntu'
    yield '24.04.3'
    yield 'LTS'
    yield '##[endgroup]'
    yield '##[group]Runner Image'
    yield 'Image: ubuntu-24.04'
    yield '##[endgroup]'
    yield 'Prepare workflow directory'
    yield 'Prepare all required actions'
    yield `Complete job name: ${job.spec.name}`
    return
  }
  if (step.kind === 'complete') {
    if (job.debug) yield '##[debug]Starting: Complete job'
    yield 'Cleaning up orphan processes'
    if (job.debug) yield '##[debug]Finishing: Complete job'
    return
  }
  if (job.debug) {
    // What the runner adds with ACTIONS_STEP_DEBUG (a re-run with enable_debug_logging).
    yield `##[debug]Evaluating condition for step: '${step.name}'`
    yield `##[debug]Evaluating: ${step.spec?.always ? 'always()' : 'success()'}`
    yield '##[debug]Result: true'
    yield `##[debug]Starting: ${step.name}`
  }
  // A `Post …` step (an action's cleanup) has no header: its log opens with this line, in real
  // logs very often in the very second the step before it ended.
  if (step.name.startsWith('Post ')) yield 'Post job cleanup.'
  else {
    // GitHub names a step "Run <command>" after the line its log opens with: don't say "Run" twice.
    yield `##[group]Run ${step.name.replace(/^Run /, '')}`
    yield 'shell: /usr/bin/bash -e {0}'
    yield '##[endgroup]'
  }
  const lines = step.spec?.log ?? []
  yield* lines
  if (step.conclusion === 'cancelled') {
    yield '##[error]The operation was canceled.'
    return
  }
  const filler = step.spec?.fillerLines ?? 0
  for (let i = 0; i < filler; i++) yield fillerLine(i)
  const [firstErrorLine, ...moreErrorLines] = step.spec?.multiLineError ?? []
  if (firstErrorLine !== undefined) {
    yield `##[error]${firstErrorLine}`
    // Marked so jobLogLines writes them without a timestamp.
    for (const line of moreErrorLines) yield `${UNTIMESTAMPED}${line}`
  }
  if (step.conclusion === 'failure' && !lines.some((line) => line.includes('##[error]')) && firstErrorLine === undefined && !step.spec?.crashed) {
    yield '##[error]Process completed with exit code 1.'
  }
  if (job.debug) yield `##[debug]Finishing: ${step.name}`
}

/** stepTexts' length, without generating filler. */
function stepLineCount(job: JobPlan, step: StepPlan): number {
  if (step.kind === 'setup') return 14
  if (step.kind === 'complete') return job.debug ? 3 : 1
  const lines = step.spec?.log ?? []
  const debugBefore = job.debug ? 4 : 0
  const opening = step.name.startsWith('Post ') ? 1 : 3
  if (step.conclusion === 'cancelled') return debugBefore + opening + lines.length + 1
  const multi = step.spec?.multiLineError?.length ?? 0
  const error = step.conclusion === 'failure' && !lines.some((line) => line.includes('##[error]')) && multi === 0 && !step.spec?.crashed ? 1 : 0
  return debugBefore + opening + lines.length + (step.spec?.fillerLines ?? 0) + multi + error + (job.debug ? 1 : 0)
}

/** Deterministic, test-runner-like output: about 110 bytes a line with its timestamp. */
function fillerLine(i: number): string {
  const suite = Math.floor(i / 50)
  return `  ✓ suite ${String(suite).padStart(5, '0')} › case ${String(i).padStart(7, '0')} returns the expected value (${(i * 7) % 97} ms) [worker ${i % 4}]`
}

/** Every line of a completed job's log, each ending in '\n'; the first starts with a BOM. */
export function* jobLogLines(job: JobPlan, epochMs: (t: number) => number): Generator<string> {
  let first = true
  for (const step of job.steps) {
    if (step.conclusion === 'skipped') continue // skipped steps print nothing
    const count = stepLineCount(job, step)
    const startMs = epochMs(step.start)
    const spanMs = epochMs(step.end) - startMs
    let i = 0
    for (const text of stepTexts(job, step)) {
      // Spread over [start, end): line i at start + span * i / count.
      const stamp = isoTicks(startMs + (spanMs * i) / Math.max(count, 1))
      const line = text.startsWith(UNTIMESTAMPED) ? text.slice(UNTIMESTAMPED.length) : `${stamp} ${text}`
      yield `${first ? BOM : ''}${line}\n`
      first = false
      i++
    }
  }
}

/** The log in chunks of lines (each generated only when iterated). */
export function* jobLogChunks(job: JobPlan, epochMs: (t: number) => number): Generator<string> {
  let chunk: string[] = []
  for (const line of jobLogLines(job, epochMs)) {
    chunk.push(line)
    if (chunk.length >= LINES_PER_CHUNK) {
      yield chunk.join('')
      chunk = []
    }
  }
  if (chunk.length) yield chunk.join('')
}

/** A stream of the log in chunks, honouring back-pressure. */
export function jobLogStream(job: JobPlan, epochMs: (t: number) => number): Readable {
  return Readable.from(jobLogChunks(job, epochMs))
}

/** The key a run-log archive link is signed for (job links are signed for the bare job id). */
export function archiveKey(runId: number, attempt: number): string {
  return `archive:${runId}:${attempt}`
}

/** Signed, expiring log URLs, like the storage links GitHub redirects to. */
export class LogSigner {
  constructor(private readonly secret: Buffer) {}

  sign(key: number | string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${key}:${expires}`).digest('hex')
  }

  url(origin: string, jobId: number, nowRealMs: number): string {
    const expires = Math.floor(nowRealMs / 1000) + 60
    return `${origin}/logs/${jobId}?expires=${expires}&sig=${this.sign(jobId, expires)}`
  }

  /** A link to the zip of one attempt's job logs. */
  archiveUrl(origin: string, runId: number, attempt: number, nowRealMs: number): string {
    const expires = Math.floor(nowRealMs / 1000) + 60
    return `${origin}/archives/${runId}/${attempt}?expires=${expires}&sig=${this.sign(archiveKey(runId, attempt), expires)}`
  }

  /** 'ok', or why the link is refused. */
  check(key: number | string, expires: string | undefined, sig: string | undefined, nowRealMs: number): 'ok' | 'expired' | 'bad-signature' {
    if (!expires || !sig || !/^\d+$/.test(expires)) return 'bad-signature'
    const expected = Buffer.from(this.sign(key, Number(expires)), 'utf8')
    const given = Buffer.from(sig, 'utf8')
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad-signature'
    if (Number(expires) * 1000 < nowRealMs) return 'expired'
    return 'ok'
  }
}
