// `rerun-if`: a run is re-run only when every failed job's failure matches the pattern. The
// failures are what the summary shows of them (collectReport: each failed step's error lines and
// the lines before them), plus the failed job's and steps' names; matching is line by line, on
// lines cut to MAX_LINE_LENGTH characters. Only the logs of failed jobs whose names did not
// already match are read.
import { collectReport, hasFailedStep, MAX_LINE_LENGTH } from '../../runs/collect.js'
import type { GitHubApi } from '../../github/api.js'
import type { Job, Run, Step, StepLogExcerpt } from '../../github/types.js'
import type { Log } from '../../runner/log.js'
import { isFailedConclusion } from '../../report/conclusions.js'
import { sliceChars } from '../../report/escape.js'

/**
 * The jobs whose failure must match. A cancelled job is not judged: in a failing run it is
 * usually collateral (a matrix's fail-fast cancels the other legs), and its log says no more
 * than that it was cancelled.
 */
const JUDGED = new Set(['failure', 'timed_out'])
/** Characters of a matching line quoted in the detail. */
const QUOTED_CHARS = 60

export type RerunIfVerdict = { matches: boolean; why: string }

export interface RerunIfOptions {
  /** Context lines read before each failed step's error lines (`log-lines`). */
  logLines: number
  log: Log
  stop?: AbortSignal
}

function failedSteps(job: Job): Step[] {
  return [...job.steps].sort((a, b) => a.number - b.number).filter((step) => isFailedConclusion(step.conclusion))
}

/** `job 'test' › step 'Run npm test'`: the job and its first failed step. */
function where(job: Job): string {
  const step = failedSteps(job)[0]
  return step ? `job '${job.name}' › step '${step.name}'` : `job '${job.name}'`
}

/** Characters shown before the match when a line is quoted from the middle. */
const QUOTED_BEFORE = 20

/** `text` quoted around what `pattern` matched in it, at most QUOTED_CHARS characters of it. */
function quote(text: string, pattern: RegExp): string {
  const line = text.trim()
  if (line.length <= QUOTED_CHARS) return `"${line}"`
  const at = pattern.exec(line)?.index ?? 0
  const start = at + QUOTED_CHARS <= line.length ? Math.max(0, at - QUOTED_BEFORE) : Math.max(0, line.length - QUOTED_CHARS)
  const shown = sliceChars(line.slice(start), QUOTED_CHARS)
  return `"${start > 0 ? '…' : ''}${shown}${start + shown.length < line.length ? '…' : ''}"`
}

/** Every failure line of an excerpt: error lines (a multi-line message line by line), then context. */
function failureLines(excerpt: StepLogExcerpt): string[] {
  return [...excerpt.errorLines.flatMap((line) => line.split('\n')), ...excerpt.contextLines]
}

/**
 * Whether `run` (its latest attempt's `jobs`) may be re-run under `pattern`, and why: the first
 * failed job with no matching failure text is named; a log that could not be read counts as no
 * match (nothing is re-run on a guess).
 */
export async function checkRerunIf(api: GitHubApi, run: Run, jobs: readonly Job[], pattern: RegExp, options: RerunIfOptions): Promise<RerunIfVerdict> {
  const failed = jobs.filter((job) => job.status === 'completed' && JUDGED.has(job.conclusion ?? ''))
  if (failed.length === 0) {
    const cancelled = jobs.some((job) => job.status === 'completed' && isFailedConclusion(job.conclusion))
    return { matches: false, why: cancelled ? 'only cancelled jobs, no failure for rerun-if to match' : 'nothing failed, no failure for rerun-if to match' }
  }
  const matches = (text: string): boolean => pattern.test(sliceChars(text, MAX_LINE_LENGTH))

  const byName = new Map<number, string>()
  for (const job of failed) {
    const name = [job.name, ...failedSteps(job).map((step) => step.name)].find(matches)
    if (name !== undefined) byName.set(job.id, name)
  }
  const toRead = failed.filter((job) => !byName.has(job.id) && hasFailedStep(job))
  const excerpts =
    toRead.length === 0
      ? new Map<string, StepLogExcerpt>()
      : (
          await collectReport(api, run, [...toRead], {
            logLines: options.logLines,
            billableTime: false,
            approvals: false,
            log: options.log,
            ...(options.stop ? { stop: options.stop } : {})
          })
        ).excerpts

  const matched: string[] = []
  for (const job of failed) {
    const name = byName.get(job.id)
    if (name !== undefined) {
      matched.push(`${job.name}: ${quote(name, pattern)}`)
      continue
    }
    const found = failedSteps(job)
      .map((step) => excerpts.get(`${job.id}:${step.number}`))
      .filter((excerpt): excerpt is StepLogExcerpt => excerpt !== undefined)
    const line = found.flatMap(failureLines).find(matches)
    if (line !== undefined) {
      matched.push(`${job.name}: ${quote(sliceChars(line, MAX_LINE_LENGTH), pattern)}`)
      continue
    }
    if (hasFailedStep(job) && found.length === 0) {
      return { matches: false, why: `the log of ${where(job)} could not be read, so whether it matches rerun-if is unknown` }
    }
    return { matches: false, why: `${where(job)} has no failure line matching rerun-if` }
  }
  const shown = matched.slice(0, 2).join('; ')
  const more = matched.length > 2 ? `; and ${matched.length - 2} more job(s)` : ''
  return { matches: true, why: `every failure matches rerun-if (${shown}${more})` }
}
