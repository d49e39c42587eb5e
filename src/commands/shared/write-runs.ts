// The one flow of the write commands (rerun, cancel, approve, delete): select the runs; plan each
// one, every check before the first write; for each planned write, the dry-run and stop guards,
// then the write, sent once: after a lost reply GitHub's state is read back, since sending it
// again could act twice; then what the command does with the runs it changed (wait for them,
// verify them); last the table of actions, the summary's preface and the verdict. A command
// supplies only what is its own: which runs, its plan, its write and read back, its words, its
// outputs.
import { bareReport } from '../../runs/collect.js'
import type { Run, RunReport } from '../../github/types.js'
import type { GateOptions } from '../../inputs/groups.js'
import { renderActions, type ActionOutcome, type ActionRecord } from '../../report/actions.js'
import { waitForChangedRuns } from '../wait/index.js'
import { ActionLog } from './action-log.js'
import type { Deps } from './deps.js'
import { writeVerdict, type CommandResult } from './result.js'
import { describeWriteError, isAmbiguous } from './write-error.js'

/** What the plan step decided for one run. */
export type RunPlan<W> =
  | { kind: 'write'; write: W }
  /** Left alone: recorded as skipped. */
  | { kind: 'skip'; reason: string }
  /** Cannot be done as asked: recorded as failed, and the step fails. */
  | { kind: 'fail'; reason: string }

/** A run and the write planned for it. */
export interface Planned<W> {
  run: Run
  write: W
}

/** What one write came to. */
export type WriteResult =
  /** It took effect: answered, or seen when read back. */
  | { kind: 'done'; detail: string }
  /** Nothing was left to do (a delete's 404): recorded as skipped. */
  | { kind: 'unchanged'; detail: string }
  /** Sent, its effect still to be seen by the command (cancel watches the run): only logged. */
  | { kind: 'sent'; note: string }
  /** Refused, or not confirmed after a lost reply. */
  | { kind: 'failed'; detail: string; error: unknown }

/** A write held back before it is sent. */
export interface Hold {
  outcome: Extract<ActionOutcome, 'skipped' | 'failed'>
  detail: string
}

export interface WriteWords<W> {
  /** 're-run': "re-run refused: …", "re-run not confirmed: …". */
  verb(write: W): string
  /** 'not re-run': "not re-run: this step was cancelled first". */
  notSent: string
  /** What a dry run would do, after "dry run: ". */
  wouldDo(run: Run, write: W): string
  /** What GitHub still shows when a lost reply is not confirmed ('the run still waits'). */
  stillShows?(run: Run, write: W): string
}

/** What the command does with the runs it changed, before the report. */
export interface Settled {
  /** The wait for the changed runs: its reports, preface and verdict join the command's. */
  waited?: CommandResult | null
  /** Each run as last read, for the table. */
  latest?: ReadonlyMap<number, Run>
}

/** What the writes came to, for the command's report. */
export interface Written<W> {
  targets: readonly Run[]
  rows: ActionRecord[]
  /** The writes planned (sent, or only listed in a dry run). */
  planned: readonly Planned<W>[]
  /** The writes done or sent. */
  changed: readonly Planned<W>[]
  /** `label: detail` of each failed row. */
  failed: string[]
  waited: CommandResult | null
}

export interface WriteReport {
  heading: string
  /** Markdown after the table (rerun's attempt comparisons). */
  sections?: string[]
  /** A sentence under the table. */
  note?: string
  outputs: Record<string, string>
  /** The command's failure messages (a failed wait's is added). */
  failures: string[]
  /** The runs the outputs describe when there was no wait (default: every selected run). */
  reports?: RunReport[]
  /** The closing log line, `Result: <result>.` */
  result?: string
}

export interface WriteCommand<W> {
  /** Labels carry the attempt (rerun, where the attempt is what changes). */
  withAttempt?: boolean
  words: WriteWords<W>
  /** The selected runs (the table's rows) and those to plan, in the order planned (default: all). */
  select(actions: ActionLog): Promise<{ targets: Run[]; toPlan?: Run[] }>
  /** Reads and checks only; a throw refuses the whole command before anything is written. */
  plan(run: Run): Promise<RunPlan<W>>
  /** Checks across runs once each is planned; returns the writes to make. */
  checkPlans?(planned: Planned<W>[], actions: ActionLog): Promise<Planned<W>[]>
  /** A reason to hold one write back, once the step is known not to be cancelled. */
  hold?(run: Run): Hold | null
  write(run: Run, write: W): Promise<WriteResult>
  /** After a lost reply: the result GitHub's state shows, or null when it shows no effect. */
  readBack(run: Run, write: W, error: unknown): Promise<WriteResult | null>
  /** Told each result as it is recorded. */
  onResult?(run: Run, write: W, result: WriteResult): void
  settle?(changed: Planned<W>[], tools: { actions: ActionLog; send: (run: Run, write: W) => Promise<WriteResult> }): Promise<Settled>
  report(written: Written<W>): WriteReport
}

export interface WriteSettings {
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
}

const RECORDED: Record<Exclude<WriteResult['kind'], 'sent'>, ActionOutcome> = { done: 'done', unchanged: 'skipped', failed: 'failed' }

export async function writeRuns<W>(command: WriteCommand<W>, settings: WriteSettings, deps: Pick<Deps, 'log' | 'stop'>): Promise<CommandResult> {
  const actions = new ActionLog(deps.log, command.withAttempt)
  const { targets, toPlan = targets } = await command.select(actions)
  const planned = await planRuns(command, toPlan, actions)
  const send = (run: Run, write: W): Promise<WriteResult> => sendOnce(command, run, write, actions)
  const changed: Planned<W>[] = []
  for (const { run, write } of planned) {
    if (settings.dryRun) {
      actions.record(run, 'planned', `dry run: ${command.words.wouldDo(run, write)}`)
      continue
    }
    const hold: Hold | null = deps.stop.aborted
      ? { outcome: 'skipped', detail: `${command.words.notSent}: this step was cancelled first` }
      : (command.hold?.(run) ?? null)
    if (hold) {
      actions.record(run, hold.outcome, hold.detail)
      continue
    }
    const result = await send(run, write)
    if (result.kind === 'done' || result.kind === 'sent') changed.push({ run, write })
  }
  const settled = (await command.settle?.(changed, { actions, send })) ?? {}
  const rows = actions.rows(targets, settled.latest)
  const waited = settled.waited ?? null
  const report = command.report({ targets, rows, planned, changed, failed: ActionLog.failures(rows, command.withAttempt), waited })
  if (report.result !== undefined) deps.log.info(`Result: ${report.result}.`)
  const failures = [
    ...report.failures,
    ...(waited && waited.verdict.result !== 'success' && waited.verdict.result !== 'pending' ? [waited.verdict.message] : [])
  ]
  return {
    reports: waited ? waited.reports : (report.reports ?? rows.map((r) => bareReport(r.run))),
    preface: [renderActions(report.heading, rows, report.note), ...(report.sections ?? []), ...(waited ? [waited.preface] : [])].join('\n\n'),
    detailed: waited !== null,
    outputs: report.outputs,
    verdict: writeVerdict(deps.stop, failures, waited?.verdict ?? null),
    ...(waited?.standingOf ? { standingOf: waited.standingOf } : {})
  }
}

/** Plans every run before anything is written; what is left alone is recorded as it is decided. */
async function planRuns<W>(command: WriteCommand<W>, runs: readonly Run[], actions: ActionLog): Promise<Planned<W>[]> {
  const planned: Planned<W>[] = []
  for (const run of runs) {
    const plan = await command.plan(run)
    if (plan.kind === 'write') planned.push({ run, write: plan.write })
    else actions.record(run, plan.kind === 'skip' ? 'skipped' : 'failed', plan.reason)
  }
  return command.checkPlans ? command.checkPlans(planned, actions) : planned
}

/** Sends one write, once, and records what it came to. */
async function sendOnce<W>(command: WriteCommand<W>, run: Run, write: W, actions: ActionLog): Promise<WriteResult> {
  let result: WriteResult
  try {
    result = await command.write(run, write)
  } catch (error) {
    result = await afterFailure(command, run, write, error)
  }
  if (result.kind === 'sent') actions.note(run, result.note)
  else actions.record(run, RECORDED[result.kind], result.detail)
  command.onResult?.(run, write, result)
  return result
}

/** A refusal (4xx) changed nothing; a lost reply (5xx, reset, timeout) may have: read back. */
async function afterFailure<W>(command: WriteCommand<W>, run: Run, write: W, error: unknown): Promise<WriteResult> {
  const { verb, stillShows } = command.words
  if (!isAmbiguous(error)) return { kind: 'failed', detail: `${verb(write)} refused: ${describeWriteError(error)}`, error }
  const read = await command.readBack(run, write, error)
  if (read !== null) return read
  const still = stillShows ? `, and ${stillShows(run, write)}` : ''
  return { kind: 'failed', detail: `${verb(write)} not confirmed: ${describeWriteError(error)}${still}; not sent again`, error }
}

/**
 * `wait: true` after rerun or approve: waits for the changed runs, each judged only once its
 * `arrived` holds (right after the write, GitHub may still show the run as it was); no `arrived`
 * judges the run as read. Nothing to wait for when not asked, nothing changed, or the step is
 * being cancelled.
 */
export async function waitForWritten<W>(
  changed: readonly Planned<W>[],
  arrived: (run: Run, write: W) => ((now: Run) => boolean) | null,
  settings: { waitAfter: boolean; gate: GateOptions },
  deps: Deps
): Promise<Settled> {
  if (!settings.waitAfter || changed.length === 0 || deps.stop.aborted) return {}
  const checks = changed.flatMap(({ run, write }) => {
    const check = arrived(run, write)
    return check ? [[run.id, check] as const] : []
  })
  return {
    waited: await waitForChangedRuns(
      changed.map(({ run }) => run),
      new Map(checks),
      settings.gate,
      deps
    )
  }
}
