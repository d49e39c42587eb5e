// One step: `main` reads the runner's environment into settings and dependencies, `run` runs the
// command and turns its result into outputs and a job summary, `main` publishes them. The single
// catch at the top turns any error into a failed step with a readable message.
import * as core from '@actions/core'
import { realClock, stoppable } from './time/clock.js'
import type { Deps } from './commands/shared/deps.js'
import { failsStep, type CommandResult, type Verdict } from './commands/shared/result.js'
import { COMMANDS } from './commands/registry.js'
import type { CommandDefinition } from './commands/shared/command.js'
import { contextFromEnvironment } from './runner/context.js'
import { GitHubApi } from './github/api.js'
import { createOctokit } from './github/client.js'
import type { RunReport } from './github/types.js'
import { readSettings, type Settings } from './inputs/index.js'
import { actionsLog, type Log } from './runner/log.js'
import { isFailed } from './report/conclusions.js'
import { escapeMarkdown } from './report/escape.js'
import { buildOutputs } from './report/outputs.js'
import { renderSummary } from './report/summary.js'
import { triageOutput } from './report/triage.js'
import { triageFailures } from './runs/triage.js'
import type { JobTriage } from './triage/classify.js'

/**
 * GitHub drops a step summary over 1 MiB whole; stay a little under it so the runner's own
 * additions never push it over.
 */
const SUMMARY_MAX_BYTES = 1_000_000
/** The compact failure report (`failure-markdown`): well under a PR comment's 65,536 characters. */
const FAILURE_MARKDOWN_MAX_BYTES = 64 * 1024

/**
 * On cancel the runner sends SIGINT, SIGTERM 7.5 s later, and kills the process 2.5 s after
 * that. The command gets this long to stop and report; then what is known is published as is.
 */
const WIND_DOWN_MS = 4000
/** Log lines kept in memory for a report written in a hurry. */
const RECENT_LINES = 40

/** The action's log, also remembering its last lines for a report written in a hurry. */
function rememberingLog(recent: string[]): Log {
  const keep = (line: string): void => {
    recent.push(line)
    if (recent.length > RECENT_LINES) recent.shift()
  }
  return {
    info: (line) => {
      keep(line)
      actionsLog.info(line)
    },
    warning: (line) => {
      keep(line)
      actionsLog.warning(line)
    }
  }
}

/** When the command did not stop in time: `result: cancelled` and the last lines of the log. */
async function publishInHaste(signal: string, recent: readonly string[], summaryEnabled: boolean): Promise<void> {
  core.setOutput('result', 'cancelled')
  if (summaryEnabled && process.env.GITHUB_STEP_SUMMARY) {
    const lines = recent.map((line) => `- ${escapeMarkdown(line)}`).join('\n')
    await core.summary
      .addRaw(`## 🛑 run-control was cancelled (${signal}) before it could finish its report\n\nWhat it had logged last:\n\n${lines}\n`, true)
      .write()
      .catch(() => undefined)
  }
  core.setFailed(`The step was cancelled (${signal}) and did not finish its report within ${WIND_DOWN_MS / 1000}s.`)
}

function runCommand(settings: Settings, deps: Deps): Promise<CommandResult> {
  for (const name of settings.ignoredInputs) deps.log.warning(`Input '${name}' is not used by '${settings.command}': ignored.`)
  // The settings were read by this same definition's reader (inputs/index.ts); TypeScript cannot
  // tie the two ends of the union together by itself.
  const definition = COMMANDS[settings.command] as CommandDefinition<Settings>
  return definition.run(settings, deps)
}

/** What the step publishes: its outputs, its job summary (null = none), its verdict. */
export interface StepResult {
  outputs: Record<string, string>
  summary: string | null
  verdict: Verdict
}

/** The failed jobs of the runs shown, triaged against the base branch; nothing read with `triage: false`. */
async function triageOf(settings: Settings, deps: Deps, result: CommandResult): Promise<ReadonlyMap<number, JobTriage>> {
  if (!settings.step.summary.triage || !result.detailed) return new Map()
  return triageFailures(deps.api, result.reports, { context: deps.context, log: deps.log, stop: deps.stop })
}

/** Runs the command and derives the outputs and summary; no environment, no publishing. */
export async function run(settings: Settings, deps: Deps): Promise<StepResult> {
  const result = await runCommand(settings, deps)
  const triage = await triageOf(settings, deps, result)
  // Durations of what is still going end at GitHub's now: their starts are GitHub's times.
  const nowMs = deps.serverTime.now()
  const outputs: Record<string, string> = {
    ...buildOutputs(result.reports, {
      nowMs,
      allowedConclusions: settings.step.allowedConclusions,
      ...(result.standingOf ? { standingOf: result.standingOf } : {})
    }),
    triage: triageOutput(triage),
    ...result.outputs,
    result: result.verdict.result
  }
  // An `if: always()` step that reads `conclusion` must not be told success by a failed step.
  if (result.verdict.result !== 'success' && outputs.conclusion === 'success') outputs.conclusion = 'failure'
  // The runs the command judged failed (a gate's verdict over the awaited jobs) lead the summary.
  const { standingOf, detailOf } = result
  const judged = {
    ...(standingOf
      ? {
          failed: (report: RunReport): boolean => {
            const standing = standingOf(report)
            return standing.kind === 'concluded' && !settings.step.allowedConclusions.has(standing.conclusion)
          }
        }
      : {}),
    ...(detailOf ? { detail: detailOf } : {})
  }
  // The verdict and the failed steps' causes, for a pull request comment; empty when all is well.
  const failed = result.verdict.result !== 'success' || result.reports.some((report) => report.jobs.some(isFailed))
  outputs['failure-markdown'] = failed
    ? renderSummary(result.detailed ? result.reports : [], {
        nowMs,
        logLines: settings.step.summary.logLines,
        timeline: false,
        maxBytes: FAILURE_MARKDOWN_MAX_BYTES,
        preface: result.preface,
        failuresOnly: true,
        triage,
        ...judged
      })
    : ''
  const summary = settings.step.summary.enabled
    ? renderSummary(result.detailed ? result.reports : [], {
        nowMs,
        logLines: settings.step.summary.logLines,
        timeline: settings.step.summary.timeline,
        maxBytes: SUMMARY_MAX_BYTES,
        preface: result.preface,
        triage,
        ...judged
      })
    : null
  return { outputs, summary, verdict: result.verdict }
}

export async function main(): Promise<void> {
  let summaryEnabled = true
  const stopping = new AbortController()
  const recent: string[] = []
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping.signal.aborted) return
    core.info(`Received ${signal}: stopping, and reporting what is known.`)
    stopping.abort(signal)
    setTimeout(() => {
      void publishInHaste(signal, recent, summaryEnabled).finally(() => process.exit(1))
    }, WIND_DOWN_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const context = contextFromEnvironment()
    const settings = readSettings(context)
    // Registered before anything could print it, so the runner masks it everywhere.
    core.setSecret(settings.step.token)
    summaryEnabled = settings.step.summary.enabled
    const clock = stoppable(realClock, stopping.signal)
    // Waiting for a rate limit to reset is worth it only within the command's own time budget.
    const { octokit, stats, serverTime } = createOctokit({
      token: settings.step.token,
      apiUrl: process.env.GITHUB_API_URL,
      deadline: clock.now() + settings.step.timeoutMs,
      now: clock.now,
      sleep: clock.sleep
    })
    const api = new GitHubApi(octokit, settings.step.owner, settings.step.repo)
    const step = await run(settings, { api, context, clock, stats, serverTime, log: rememberingLog(recent), stop: stopping.signal })
    for (const [name, value] of Object.entries(step.outputs)) core.setOutput(name, value)
    if (step.summary !== null && !process.env.GITHUB_STEP_SUMMARY) {
      core.info('GITHUB_STEP_SUMMARY is not set (not running on a runner?): no job summary written.')
    } else if (step.summary !== null) {
      await core.summary.addRaw(step.summary, true).write()
    }
    core.info(
      `GitHub API: ${stats.sent} requests, ${stats.notModified} of them answered 304 Not Modified (free)` +
        (stats.remaining === null ? '.' : `; ${stats.remaining}/${stats.limit} left this hour.`)
    )
    if (failsStep(step.verdict)) core.setFailed(step.verdict.message)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    core.setOutput('result', 'failure')
    if (summaryEnabled && process.env.GITHUB_STEP_SUMMARY) {
      await core.summary
        .addRaw(`## ❌ run-control failed\n\n${escapeMarkdown(message)}\n`, true)
        .write()
        .catch(() => undefined)
    }
    core.setFailed(message)
  }
}
