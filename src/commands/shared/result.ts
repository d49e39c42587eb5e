import type { RunReport } from '../../github/types.js'
import type { RunStanding } from '../../report/outputs.js'

/**
 * The step's verdict, also the `result` output. `cancelled` is reserved for the action itself
 * being cancelled; a failed verdict carries the message the step fails with. A one-look gate
 * (`once: true`) publishes its verdict as a commit status, which is the signal: its `pending`
 * and its `failure` (`published`) leave the step green; its `error` (a configuration fault) fails it.
 */
export type Verdict =
  | { result: 'success' }
  | { result: 'pending'; message: string }
  | { result: 'failure'; message: string; published?: true }
  | { result: 'timeout' | 'not-found' | 'cancelled' | 'error'; message: string }

/** Whether the step fails with this verdict. */
export function failsStep(verdict: Verdict): verdict is Exclude<Verdict, { result: 'success' | 'pending' }> {
  if (verdict.result === 'success' || verdict.result === 'pending') return false
  return !(verdict.result === 'failure' && verdict.published === true)
}

export const SUCCESS: Verdict = { result: 'success' }

/** A failed verdict from messages (none = success). */
export function failureOf(messages: readonly string[]): Verdict {
  return messages.length === 0 ? SUCCESS : { result: 'failure', message: messages.join('; ') }
}

/** The verdict of a command that stopped because the step was cancelled. */
export function cancelledVerdict(stop: AbortSignal): { result: 'cancelled'; message: string } {
  return { result: 'cancelled', message: `The step was cancelled (${String(stop.reason ?? 'signal')}); what was known then is reported.` }
}

/**
 * The verdict of a write command: cancelled when the step was; the wait's own verdict (a
 * timeout stays a timeout) when it is the only failure; else the failures together.
 */
export function writeVerdict(stop: AbortSignal, failures: readonly string[], waited: Verdict | null): Verdict {
  if (stop.aborted) return cancelledVerdict(stop)
  if (waited && waited.result !== 'success' && failures.length === 1) return waited
  return failureOf(failures)
}

/** What a command hands back to main.ts, which writes the outputs, the summary and the verdict. */
export interface CommandResult {
  /** The runs the outputs describe (run-ids, runs, jobs…). */
  reports: RunReport[]
  /** Markdown (already escaped) shown above the runs in the summary: the command's verdict. */
  preface: string
  /**
   * Whether the summary shows each run in full (jobs, steps, errors, timeline). Commands that
   * act on many runs (cancel, delete) show only their table of actions in the preface.
   */
  detailed: boolean
  /** Command-specific outputs (reran, cancelled-run-ids…), already strings. */
  outputs: Record<string, string>
  verdict: Verdict
  /** A run's standing as this command judges it (e.g. only the awaited jobs); default the run's conclusion. */
  standingOf?: (report: RunReport) => RunStanding
}
