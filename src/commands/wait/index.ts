// `wait`: a gate. Polls the selected runs until each is decided, the gate fails fast, or the time
// is up, and never passes on nothing: no run found, a named workflow that never appears, or only
// runs that do not count fail the step. The rules are in verdict.ts, the polling in loop.ts.
import { collectReport } from '../../collect.js'
import type { Run, RunReport } from '../../github/types.js'
import { formatDuration, runDurationMs } from '../../report/durations.js'
import { escapeMarkdown } from '../../report/escape.js'
import type { Selection, WaitSettings } from '../../settings.js'
import type { Deps } from '../deps.js'
import { cancelledVerdict, type CommandResult, type Verdict } from '../result.js'
import { label, watchRuns, type Watch, type WatchPlan } from './loop.js'
import { clockTime } from './eta.js'
import { countedVerdicts, type GateRules } from './verdict.js'

export interface WaitInputs {
  selection: Selection
  excludeCurrentRun: boolean
  wait: WaitSettings
  /** Error context lines per failed step in the summary (0 = read no logs). */
  logLines: number
  billableTime: boolean
}

function rulesOf(wait: WaitSettings): GateRules {
  return { allowed: wait.allowedConclusions, jobPatterns: wait.jobPatterns, failFast: wait.failFast }
}

export async function waitCommand(inputs: WaitInputs, deps: Deps): Promise<CommandResult> {
  const { selection, wait } = inputs
  const given: WatchPlan['given'] = []
  if (selection.kind === 'ids') {
    for (const ref of selection.runs) {
      if (given.some((g) => g.id === ref.id)) continue
      given.push({ id: ref.id, ...(ref.attempt !== undefined ? { pinnedAttempt: ref.attempt } : {}) })
    }
  }
  const discovery: WatchPlan['discovery'] =
    selection.kind === 'filters'
      ? {
          workflows: selection.workflows,
          filters: selection.filters,
          ...(inputs.excludeCurrentRun && deps.context.runId ? { excludeRunId: deps.context.runId } : {}),
          latestOnly: wait.latestOnly
        }
      : null
  const plan: WatchPlan = {
    given,
    discovery,
    rules: rulesOf(wait),
    timeoutMs: wait.timeoutMs,
    pollIntervalMs: wait.pollIntervalMs,
    appearTimeoutMs: wait.appearTimeoutMs,
    ownJobId: wait.ownJobId,
    arrived: new Map()
  }
  return finish(await watchRuns(plan, deps), inputs, deps)
}

/**
 * The wait that `rerun` and `approve` do after changing runs (`wait: true`): every job of those
 * runs counts, and each run is judged only once `arrived` holds for it.
 */
export async function waitForChangedRuns(
  runs: readonly Run[],
  arrived: Map<number, (run: Run) => boolean>,
  inputs: Omit<WaitInputs, 'selection' | 'excludeCurrentRun'>,
  deps: Deps
): Promise<CommandResult> {
  const wait = { ...inputs.wait, jobPatterns: [] }
  const plan: WatchPlan = {
    given: runs.map((run) => ({ id: run.id, run })),
    discovery: null,
    rules: rulesOf(wait),
    timeoutMs: wait.timeoutMs,
    pollIntervalMs: wait.pollIntervalMs,
    appearTimeoutMs: wait.appearTimeoutMs,
    ownJobId: wait.ownJobId,
    arrived
  }
  return finish(await watchRuns(plan, deps), { ...inputs, wait }, deps)
}

async function finish(
  watched: Awaited<ReturnType<typeof watchRuns>>,
  inputs: Omit<WaitInputs, 'selection' | 'excludeCurrentRun'>,
  deps: Deps
): Promise<CommandResult> {
  const { api, clock, log } = deps
  const { end, watches, startedAt } = watched
  const waitedFor = formatDuration(clock.now() - startedAt)
  const undecided = watches.filter((w) => w.verdict.kind === 'waiting')
  if (end.kind === 'timeout' && inputs.wait.cancelOnTimeout) {
    // Never the run this step runs in: cancelling it would cancel the step itself.
    for (const watch of undecided.filter((w) => w.run.id !== deps.context.runId)) {
      const answer = await api.cancelRun(watch.run.id)
      log.info(`${label(watch.run)}: cancel ${answer === 'accepted' ? 'requested' : 'not needed (already completed)'}.`)
    }
  }
  const reports: RunReport[] = []
  for (const watch of watches) {
    const options = { logLines: inputs.logLines, billableTime: inputs.billableTime, approvals: watch.sawWaiting, log, stop: deps.stop }
    reports.push(await collectReport(api, watch.run, watch.jobs, options))
  }

  const counted = countedVerdicts(watches)
  const failing = watches.filter((w) => counted.get(w.run.id)?.kind === 'failed')
  const notCounted = watches.filter((w) => counted.get(w.run.id)?.kind === 'not-counted')
  const line = (w: Watch): string => {
    const v = counted.get(w.run.id)
    return `${label(w.run)}: ${v && v.kind !== 'waiting' ? v.detail : (v?.reason ?? '')}`
  }
  const uncountedNote = notCounted.length > 0 ? `\n\nNot counted: ${notCounted.map((w) => escapeMarkdown(line(w))).join('; ')}` : ''

  let verdict: Verdict
  let preface: string
  switch (end.kind) {
    case 'none-found': {
      const message = `Found ${end.reason} matching the selection (looked for ${formatDuration(clock.now() - startedAt)}, appear-timeout ${formatDuration(inputs.wait.appearTimeoutMs)}); a gate does not pass on nothing.`
      verdict = { result: 'not-found', message }
      preface = `## ❌ Gate failed: ${escapeMarkdown(message)}${uncountedNote}`
      break
    }
    case 'cancelled': {
      const cancelled = cancelledVerdict(deps.stop)
      verdict = cancelled
      const open = undecided.map((w) => `- ${escapeMarkdown(line(w))}`).join('\n')
      preface = `## 🛑 Cancelled after ${waitedFor}${undecided.length > 0 ? `, ${undecided.length} run(s) undecided` : ''}\n\n${escapeMarkdown(cancelled.message)}${open ? `\n\n${open}` : ''}`
      break
    }
    case 'timeout': {
      const message = `Timed out after ${waitedFor} waiting for ${undecided.map((w) => `${label(w.run)} (${w.verdict.kind === 'waiting' ? w.verdict.reason : ''})`).join(', ')}.`
      verdict = { result: 'timeout', message }
      preface = `## ⏱️ ${escapeMarkdown(message)}`
      break
    }
    case 'failed-fast':
    case 'finished':
      if (failing.length > 0) {
        verdict = { result: 'failure', message: failing.map(line).join('; ') }
        preface = `## ❌ ${failing.length} of ${watches.length} awaited run(s) failed\n\n${failing.map((w) => `- ${escapeMarkdown(line(w))}`).join('\n')}${uncountedNote}`
      } else {
        verdict = { result: 'success' }
        const passed = watches.length - notCounted.length
        preface = `## ✅ All ${passed} awaited run(s) succeeded (waited ${waitedFor})${uncountedNote}`
      }
      break
  }
  // How the runs compare with their workflows' usual duration (only when the wait was long enough to ask).
  const expectations = watches
    .filter((w) => w.expected !== null)
    .map((w) => {
      const expected = w.expected as NonNullable<Watch['expected']>
      const usual = `the median of its workflow's last ${expected.sample} successful runs is ${formatDuration(expected.medianMs)}`
      const took = runDurationMs(w.run, w.jobs, deps.serverTime.now())
      const now = w.run.status === 'completed' && took !== null ? `took ${formatDuration(took)}` : `expected to finish around ${clockTime(expected.finishAt)}`
      return `- ${escapeMarkdown(`${label(w.run)}: ${now}; ${usual}.`)}`
    })
  if (expectations.length > 0) preface += `\n\n${expectations.join('\n')}`
  log.info(verdict.result === 'success' ? `Result: all awaited run(s) succeeded after ${waitedFor}.` : `Result: ${verdict.message}`)
  const conclusionOf = (report: RunReport): string | null | undefined => {
    const v = counted.get(report.run.id)
    if (!v || v.kind === 'waiting') return null
    return v.kind === 'not-counted' ? undefined : v.conclusion
  }
  return { reports, preface, detailed: true, outputs: {}, verdict, allowedConclusions: inputs.wait.allowedConclusions, conclusionOf }
}
