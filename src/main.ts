// Orchestrates one step: read the inputs, run the command, publish outputs and the job summary.
// The single catch at the top turns any error into a failed step with a readable message.
import * as core from '@actions/core'
import { approveRuns } from './commands/approve.js'
import { cancelRuns } from './commands/cancel.js'
import { deleteRuns } from './commands/delete.js'
import { rerunRuns } from './commands/rerun.js'
import { summarize } from './commands/summarize.js'
import type { CommandResult } from './commands/result.js'
import { waitForRuns } from './commands/wait.js'
import { contextFromEnvironment, type ActionContext } from './context.js'
import { GitHubApi } from './github/api.js'
import { createOctokit, type RequestStats } from './github/client.js'
import { readSettings, type Settings } from './inputs.js'
import { escapeMarkdown } from './report/escape.js'
import { buildOutputs } from './report/outputs.js'
import { renderSummary } from './report/summary.js'

/**
 * GitHub drops a step summary over 1 MiB whole; stay a little under it so the runner's own
 * additions never push it over.
 */
const SUMMARY_MAX_BYTES = 1_000_000

async function runCommand(settings: Settings, api: GitHubApi, context: ActionContext, stats: RequestStats): Promise<CommandResult> {
  switch (settings.command) {
    case 'wait':
      return waitForRuns(settings, api, context, stats)
    case 'summarize':
      return summarize(settings, api, context)
    case 'rerun':
      return rerunRuns(settings, api, context, stats)
    case 'cancel':
      return cancelRuns(settings, api, context)
    case 'approve':
      return approveRuns(settings, api, context, stats)
    case 'delete':
      return deleteRuns(settings, api, context)
  }
}

async function publish(result: CommandResult, settings: Settings): Promise<void> {
  const now = Date.now()
  const outputs = buildOutputs(result.reports, {
    nowMs: now,
    allowedConclusions: result.allowedConclusions,
    ...(result.conclusionOf ? { conclusionOf: result.conclusionOf } : {})
  })
  for (const [name, value] of Object.entries({ ...outputs, ...result.outputs })) core.setOutput(name, value)
  if (settings.summary.enabled && !process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set (not running on a runner?): no job summary written.')
  } else if (settings.summary.enabled) {
    const markdown = renderSummary(result.detailed === false ? [] : result.reports, {
      nowMs: now,
      logLines: settings.summary.logLines,
      timeline: settings.summary.timeline,
      maxBytes: SUMMARY_MAX_BYTES,
      preface: result.preface
    })
    await core.summary.addRaw(markdown, true).write()
  }
}

export async function run(): Promise<void> {
  let summaryEnabled = true
  try {
    const context = contextFromEnvironment()
    const settings = readSettings(context)
    summaryEnabled = settings.summary.enabled
    // Waiting for a rate limit to reset is worth it only within the command's own time budget.
    const { octokit, stats } = createOctokit({ token: settings.token, deadline: Date.now() + settings.wait.timeoutMs })
    const api = new GitHubApi(octokit, settings.owner, settings.repo)
    const result = await runCommand(settings, api, context, stats)
    await publish(result, settings)
    core.info(
      `GitHub API: ${stats.sent} requests, ${stats.notModified} of them answered 304 Not Modified (free)` +
        (stats.remaining === null ? '.' : `; ${stats.remaining}/${stats.limit} left this hour.`)
    )
    if (result.failure) core.setFailed(result.failure)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (summaryEnabled && process.env.GITHUB_STEP_SUMMARY) {
      await core.summary
        .addRaw(`### ❌ run-control failed\n\n${escapeMarkdown(message)}\n`, true)
        .write()
        .catch(() => undefined)
    }
    core.setFailed(message)
  }
}
