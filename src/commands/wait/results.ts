// What a gate's end is built from, shared by the polling gate, the one-look gate and the sweep:
// the runs' reports, a run's line in the verdict, its standing for the outputs.
import type { RunReport } from '../../github/types.js'
import type { GateOptions } from '../../inputs/groups.js'
import { runDurationMs } from '../../report/durations.js'
import { renderGatePreface, type GateRow, type RowStanding } from '../../report/gate.js'
import type { RunStanding } from '../../report/outputs.js'
import { bareReport, collectReport } from '../../runs/collect.js'
import type { Deps } from '../shared/deps.js'
import type { CommandResult, Verdict } from '../shared/result.js'
import { label, type Watch } from './loop.js'
import type { ExternalCheck, ExternalStanding } from './external-checks.js'
import { countedVerdicts, type RunVerdict } from './verdict.js'

/** A verdict that needs no runs read: an ignored event, or a configuration fault published as `error`. */
export function bareResult(verdict: Verdict, preface: string, statusState: string): CommandResult {
  return { reports: [], preface, detailed: false, outputs: { 'status-state': statusState }, verdict }
}

/** A configuration fault: the step fails with `result: error`, and the summary says why. */
export function errorResult(message: string, statusState: string): CommandResult {
  return bareResult({ result: 'error', message }, renderGatePreface({ outcome: { kind: 'error', message }, notCounted: [], expectations: [] }), statusState)
}

/**
 * Whether the summary shows a run in full: it did not pass (failed, or still undecided), or it was
 * given by id. A run that passed, or does not count, is a row of the gate's table.
 */
function detailedIn(counted: ReadonlyMap<number, RunVerdict>): (watch: Watch) => boolean {
  return (watch) => {
    const kind = counted.get(watch.run.id)?.kind
    return watch.given || kind === 'failed' || kind === 'waiting'
  }
}

/** Reports of the runs: in full (timing, approvals, logs) for those shown in full, the run and its jobs as read for the rest. */
export async function collectReports(watches: readonly Watch[], inputs: GateOptions, deps: Deps): Promise<RunReport[]> {
  const detailed = detailedIn(countedVerdicts(watches))
  const reports: RunReport[] = []
  for (const watch of watches) {
    if (!detailed(watch)) {
      reports.push({ ...bareReport(watch.run), jobs: watch.jobs })
      continue
    }
    const options = { logLines: inputs.logLines, billableTime: inputs.billableTime, approvals: watch.sawWaiting, log: deps.log, stop: deps.stop }
    reports.push(await collectReport(deps.api, watch.run, watch.jobs, options))
  }
  return reports
}

const ROW_STANDING: Readonly<Record<RunVerdict['kind'], RowStanding>> = { failed: 'failed', waiting: 'pending', passed: 'passed', 'not-counted': 'not-counted' }

/** An external check as a row of the gate's table. */
function checkRow(check: ExternalCheck): GateRow {
  const { name, standing, status, conclusion, url, durationMs } = check
  return { kind: 'check', name, source: check.app ?? 'status', standing, status, conclusion, url, durationMs }
}

/** The gate's table (a row per run, as counted, and per external check) and the runs its summary shows in full. */
export function gateSummary(
  watches: readonly Watch[],
  counted: ReadonlyMap<number, RunVerdict>,
  external: ExternalStanding | null,
  deps: Pick<Deps, 'serverTime'>
): { rows: GateRow[]; detailOf: (report: RunReport) => boolean } {
  const nowMs = deps.serverTime.now()
  const runRows = watches.map(({ run, jobs }): GateRow => {
    const { status, conclusion, htmlUrl: url, name: workflow, runNumber, attempt } = run
    const standing = ROW_STANDING[counted.get(run.id)?.kind ?? 'waiting']
    return { kind: 'run', standing, status, conclusion, url, durationMs: runDurationMs(run, jobs, nowMs), workflow, runNumber, attempt }
  })
  const missing = (external?.missing ?? []).map((name): GateRow => ({
    kind: 'check',
    name,
    source: 'not reported',
    standing: 'pending',
    status: 'expected',
    conclusion: null,
    url: null,
    durationMs: null
  }))
  const rows = [...runRows, ...(external?.checks ?? []).map(checkRow), ...missing]
  const detailed = new Set(watches.filter(detailedIn(counted)).map((w) => w.run.id))
  return { rows, detailOf: (report) => detailed.has(report.run.id) }
}

/** `CI #12 (run 123, attempt 1): failure`: a run and its counted verdict, or what it waits for. */
export function lineIn(counted: ReadonlyMap<number, RunVerdict>): (watch: Watch) => string {
  return (w) => {
    const v = counted.get(w.run.id)
    return `${label(w.run)}: ${v && v.kind !== 'waiting' ? v.detail : (v?.reason ?? '')}`
  }
}

/** A run's standing for the `conclusion` output: a decided run counts with its judged conclusion. */
export function standingIn(counted: ReadonlyMap<number, RunVerdict>): (report: RunReport) => RunStanding {
  return (report) => {
    const v = counted.get(report.run.id)
    if (!v || v.kind === 'waiting') return { kind: 'undecided' }
    return v.kind === 'not-counted' ? { kind: 'not-counted' } : { kind: 'concluded', conclusion: v.conclusion }
  }
}
