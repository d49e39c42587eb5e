// What a gate's end is built from, shared by the polling gate, the one-look gate and the sweep:
// the runs' reports, a run's line in the verdict, its standing for the outputs.
import type { RunReport } from '../../github/types.js'
import type { GateOptions } from '../../inputs/groups.js'
import { renderGatePreface } from '../../report/gate.js'
import type { RunStanding } from '../../report/outputs.js'
import { collectReport } from '../../runs/collect.js'
import type { Deps } from '../shared/deps.js'
import type { CommandResult, Verdict } from '../shared/result.js'
import { label, type Watch } from './loop.js'
import type { RunVerdict } from './verdict.js'

/** A verdict that needs no runs read: an ignored event, or a configuration fault published as `error`. */
export function bareResult(verdict: Verdict, preface: string, statusState: string): CommandResult {
  return { reports: [], preface, detailed: false, outputs: { 'status-state': statusState }, verdict }
}

/** A configuration fault: the step fails with `result: error`, and the summary says why. */
export function errorResult(message: string, statusState: string): CommandResult {
  return bareResult({ result: 'error', message }, renderGatePreface({ outcome: { kind: 'error', message }, notCounted: [], expectations: [] }), statusState)
}

export async function collectReports(watches: readonly Watch[], inputs: GateOptions, deps: Deps): Promise<RunReport[]> {
  const reports: RunReport[] = []
  for (const watch of watches) {
    const options = { logLines: inputs.logLines, billableTime: inputs.billableTime, approvals: watch.sawWaiting, log: deps.log, stop: deps.stop }
    reports.push(await collectReport(deps.api, watch.run, watch.jobs, options))
  }
  return reports
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
