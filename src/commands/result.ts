import type { RunReport } from '../github/types.js'

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
  detailed?: boolean
  /** Command-specific outputs (reran, cancelled-run-ids…), already strings. */
  outputs?: Record<string, string>
  /** Set when the step must fail; the message is shown by setFailed. */
  failure?: string
  /** Conclusions that count as success for the `conclusion` output. */
  allowedConclusions: ReadonlySet<string>
  /** A run's conclusion as this command judges it (e.g. only the awaited jobs); default the run's. */
  conclusionOf?: (report: RunReport) => string | null
}
