// The sweep: `once: true` with no event commit (`schedule`, `workflow_dispatch`). An event-driven
// gate is only as good as its events: a run that fails at start-up sends no `workflow_run` event
// (pytorch/test-infra#5164), a re-run raises no `requested` (actions/runner#726), a pull request
// opened before the gate existed never got one. So the heads of open pull requests whose context
// is `pending` or absent are judged again, oldest first, at most MAX_SWEPT a step: a lost event
// costs minutes, not a stuck pull request. A final status (success, failure, error) is left alone:
// the events of a new push or re-run judge it again.
import { isPermissionRefusal, statusOf } from '../../github/errors.js'
import type { PullRequestHead } from '../../github/types.js'
import { renderSweep, type SweptPullRequest } from '../../report/sweep.js'
import type { Deps } from '../shared/deps.js'
import type { CommandResult } from '../shared/result.js'
import type { WaitInputs } from './index.js'
import type { WatchPlan } from './loop.js'
import { judgeCommit } from './one-look.js'
import { wiringFault } from './once.js'
import { bareResult, errorResult } from './results.js'
import { StatusPublisher, type StatusVerdict } from './status.js'

/**
 * Pull requests judged per step. A judge of a commit whose runs passed costs 2–4 requests (the
 * bench: 153 for a first sweep of 50), beside one status read per open pull request; a
 * GITHUB_TOKEN has 1,000 an hour per repository, so 50 every 15 minutes leaves room for the
 * events' judges even when every pull request needs judging.
 */
export const MAX_SWEPT = 50

/** The events that name no commit: a one-look gate started by them sweeps. */
export const SWEEPING_EVENTS: ReadonlySet<string> = new Set(['schedule', 'workflow_dispatch'])

/** Open pull requests, oldest first (numbers grow with creation), one per head commit. */
function oldestFirst(heads: readonly PullRequestHead[]): PullRequestHead[] {
  const seen = new Set<string>()
  return [...heads]
    .sort((a, b) => a.number - b.number)
    .filter((head) => {
      if (seen.has(head.headSha)) return false
      seen.add(head.headSha)
      return true
    })
}

/** The plan of one pull request's judge: the same rules, on its head commit. */
function onCommit(plan: WatchPlan, sha: string): WatchPlan {
  const discovery = plan.discovery ? { ...plan.discovery, filters: { ...plan.discovery.filters, head_sha: sha } } : null
  return { ...plan, discovery, ...(plan.external ? { external: { ...plan.external, sha } } : {}) }
}

const pullUrl = (deps: Pick<Deps, 'context'>, head: PullRequestHead): string => `${deps.context.serverUrl}/${deps.context.repository}/pull/${head.number}`

/** One pull request's turn: left alone (final), or judged; an error is its own row, not the sweep's end. */
async function sweepOne(head: PullRequestHead, plan: WatchPlan, inputs: WaitInputs, deps: Deps): Promise<SweptPullRequest> {
  const context = inputs.status?.context ?? ''
  const { serverUrl, repository, runId } = deps.context
  const row = { number: head.number, url: pullUrl(deps, head), sha: head.headSha }
  const target = { context, sha: head.headSha, targetUrl: `${serverUrl}/${repository}/actions/runs/${runId}`, dryRun: inputs.status?.dryRun ?? false }
  const publisher = new StatusPublisher(target, deps)
  let before: StatusVerdict | null = null
  try {
    before = await publisher.current()
    if (before && before.state !== 'pending') return { ...row, before: before.state, after: null }
    deps.log.info(`#${head.number} (${head.headSha.slice(0, 7)}): '${context}' is ${before ? 'pending' : 'absent'}; judging.`)
    const judged = await judgeCommit(onCommit(plan, head.headSha), publisher, inputs, deps, { pullRequest: head.number, reports: false })
    return { ...row, before: before?.state ?? 'absent', after: judged.status, ...(judged.result.verdict.result === 'error' ? { note: 'error' } : {}) }
  } catch (error) {
    // A pull request closed or pushed to while the sweep ran, or an error that outlived the
    // retries: the others are still judged, and the step fails at the end.
    const message = error instanceof Error ? error.message : String(error)
    deps.log.warning(`#${head.number}: could not be judged (${message}).`)
    return { ...row, before: before?.state ?? 'absent', after: null, note: 'error', error: message }
  }
}

export async function sweep(plan: WatchPlan, inputs: WaitInputs, deps: Deps): Promise<CommandResult> {
  const context = inputs.status?.context ?? ''
  const fault = await wiringFault(plan.discovery?.workflows ?? [], deps, inputs.checks)
  if (fault) return errorResult(fault, '')
  let heads: PullRequestHead[]
  try {
    heads = oldestFirst(await deps.api.listOpenPullRequestHeads())
  } catch (error) {
    if (!isPermissionRefusal(error)) throw error
    return errorResult(`the token cannot list pull requests (${statusOf(error)}): give the sweep \`pull-requests: read\``, '')
  }
  deps.log.info(`Sweeping ${heads.length} open pull request(s) for '${context}' statuses left pending or absent.`)
  const deadline = deps.clock.now() + plan.timeoutMs
  const rows: SweptPullRequest[] = []
  for (const head of heads) {
    const judged = rows.filter((r) => r.after !== null).length
    // The step's timeout bounds the sweep too: what is left waits for the next one.
    if (deps.stop.aborted || judged >= MAX_SWEPT || deps.clock.now() >= deadline) {
      rows.push({ number: head.number, url: pullUrl(deps, head), sha: head.headSha, before: '', after: null, note: 'left' })
      continue
    }
    rows.push(await sweepOne(head, plan, inputs, deps))
  }
  const preface = renderSweep(context, rows, MAX_SWEPT)
  const faults = rows.filter((row) => row.note === 'error').length
  if (faults > 0)
    return bareResult({ result: 'error', message: `${faults} pull request(s) could not be judged: see the summary and their '${context}' status` }, preface, '')
  return { reports: [], preface, detailed: false, outputs: {}, verdict: { result: 'success' } }
}
