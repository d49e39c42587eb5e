// What a write command did to each selected run: recorded once, logged as it happens, and turned
// into the summary's table and the step's failure message at the end.
import type { Run } from '../../github/types.js'
import type { Log } from '../../runner/log.js'
import type { ActionOutcome, ActionRecord } from '../../report/actions.js'

/** `CI #12 (run 123)`, or with the attempt: `CI #12 (run 123, attempt 2)`. */
export function runLabel(run: Run, withAttempt = false): string {
  return `${run.name} #${run.runNumber} (run ${run.id}${withAttempt ? `, attempt ${run.attempt}` : ''})`
}

export class ActionLog {
  private readonly records = new Map<number, ActionRecord>()

  constructor(
    private readonly log: Log,
    private readonly withAttempt = false
  ) {}

  record(run: Run, outcome: ActionOutcome, detail: string): void {
    this.records.set(run.id, { run, outcome, detail })
    this.note(run, detail)
  }

  /** A line about a run that records no outcome yet (a cancel sent, still to be verified). */
  note(run: Run, line: string): void {
    this.log.info(`${runLabel(run, this.withAttempt)}: ${line}`)
  }

  outcomeOf(runId: number): ActionOutcome | undefined {
    return this.records.get(runId)?.outcome
  }

  /** One row per selected run, in selection order, each run as last seen (`latest`). */
  rows(targets: readonly Run[], latest: ReadonlyMap<number, Run> = new Map()): ActionRecord[] {
    return targets.map((run) => {
      const row = this.records.get(run.id) ?? { run, outcome: 'skipped' as const, detail: 'not handled' }
      return { ...row, run: latest.get(run.id) ?? row.run }
    })
  }

  /** `label: detail` for each failed row, for the step's failure message. */
  static failures(rows: readonly ActionRecord[], withAttempt = false): string[] {
    return rows.filter((r) => r.outcome === 'failed').map((r) => `${runLabel(r.run, withAttempt)}: ${r.detail}`)
  }
}
