// `dispatch`: starts a workflow run and says which run it started; with `wait: true` it then
// waits on that run with the gate rules and writes its summary.
//
// GitHub answers a dispatch with the run's id when asked (`return_run_details`, early 2026). A
// server that does not know the field refuses it, and any server may answer 204 with no body
// (API-NOTES, "Workflow dispatch"); then the run is found by listing: a `workflow_dispatch` run
// of the workflow on the ref that was not there before the request. Two dispatches that race
// cannot be told apart that way, so with more than one candidate the step fails, unless the
// workflow echoes a marker input in its `run-name` (`marker-input`), which names ours.
import { randomBytes } from 'node:crypto'
import { bareReport } from '../../runs/collect.js'
import { isoSecond } from '../../time/created.js'
import type { GitHubApi } from '../../github/api.js'
import type { Run } from '../../github/types.js'
import { escapeMarkdown, markdownLink } from '../../report/escape.js'
import { formatDuration } from '../../report/durations.js'
import type { GateOptions } from '../../inputs/groups.js'
import type { DispatchSettings } from './command.js'
import { runLabel } from '../shared/action-log.js'
import type { Deps } from '../shared/deps.js'
import { cancelledVerdict, failureOf, SUCCESS, type CommandResult } from '../shared/result.js'
import { waitForChangedRuns } from '../wait/index.js'
import { describeWriteError, isAmbiguous } from '../shared/write-error.js'

export interface DispatchInputs {
  dispatch: DispatchSettings
  /** Read and check everything, send no write, say what would be done. */
  dryRun: boolean
  /** Wait for the run started, with the gate's rules. */
  waitAfter: boolean
  gate: GateOptions
}

/**
 * A run created up to this long before our request (on GitHub's clock, as the answers' Date
 * headers tell it) still counts: created_at and Date are both whole seconds.
 */
const CREATED_MARGIN_MS = 2_000
/** Between looks for a run started without details: it shows within seconds. */
const FIND_INTERVAL_MS = 2_000
/**
 * Once a candidate shows, looks go on this long for a second one: a rival dispatch a moment
 * before or after ours would otherwise pass for ours.
 */
const RIVAL_WINDOW_MS = 6_000

type Found = { kind: 'found'; run: Run } | { kind: 'not-found'; reason: string }

interface Search {
  workflow: string
  ref: string
  /** Runs of the workflow on the ref listed just before the request. */
  before: ReadonlySet<number>
  /** When the dispatch was sent, on GitHub's clock: what created_at is compared with. */
  requestedAt: number
  marker: string | null
  /** Monotonic ms: no new look starts after this unless a candidate's rival window is open. */
  deadline: number
  /** Monotonic ms: the step's timeout, which even a rival window does not pass. */
  hardDeadline: number
}

async function listCandidates(api: GitHubApi, search: Search): Promise<Run[]> {
  const since = search.requestedAt - CREATED_MARGIN_MS
  const listed = await api.listRuns({ event: 'workflow_dispatch', branch: search.ref, created: `>=${isoSecond(since)}` }, search.workflow, 1)
  return listed.filter((run) => !search.before.has(run.id) && Date.parse(run.createdAt) >= since)
}

/** What the search found when it had to stop: never "no run appeared" when one did. */
function notFoundReason(search: Search, candidates: readonly Run[]): string {
  const where = `${search.workflow} on ${search.ref}`
  if (search.marker !== null) {
    return `no run of ${where} shows the marker ${search.marker} within the appear-timeout (${candidates.length} new run(s) without it): does its run-name include the marker input?`
  }
  if (candidates.length > 0) {
    const ids = candidates.map((run) => run.id).join(', ')
    return `run(s) ${ids} of ${where} appeared, but the timeout ended before the ${formatDuration(RIVAL_WINDOW_MS)} in which a rival dispatch would show had passed: which run is ours cannot be told. Raise 'timeout', or set marker-input (see the README).`
  }
  return `no run of ${where} appeared within the appear-timeout`
}

/** The run our dispatch started, found by listing (bounded by `search.deadline`; a candidate seen by then gets its rival window, within `hardDeadline`). */
async function findDispatched(search: Search, deps: Deps): Promise<Found> {
  const { api, clock } = deps
  let firstSeenAt: number | null = null
  let candidates: Run[] = []
  while (!deps.stop.aborted) {
    const until = firstSeenAt === null ? search.deadline : Math.min(firstSeenAt + RIVAL_WINDOW_MS, search.hardDeadline)
    await clock.sleep(Math.max(0, Math.min(FIND_INTERVAL_MS, until - clock.now())))
    candidates = await listCandidates(api, search)
    const marker = search.marker
    if (marker !== null) {
      const mine = candidates.filter((run) => run.displayTitle.includes(marker) || run.name.includes(marker))
      if (mine.length === 1 && mine[0]) return { kind: 'found', run: mine[0] }
    } else if (candidates.length > 0) {
      firstSeenAt ??= clock.now()
      if (clock.now() - firstSeenAt >= RIVAL_WINDOW_MS) {
        if (candidates.length === 1 && candidates[0]) return { kind: 'found', run: candidates[0] }
        const ids = candidates.map((run) => run.id).join(', ')
        return {
          kind: 'not-found',
          reason: `${candidates.length} runs of ${search.workflow} on ${search.ref} started around the dispatch (${ids}): which one is ours cannot be told. Give the workflow a marker input that its run-name shows and set marker-input (see the README).`
        }
      }
    }
    const rivalWindowOpen = firstSeenAt !== null && search.marker === null
    if (clock.now() >= (rivalWindowOpen ? search.hardDeadline : search.deadline)) break
  }
  return { kind: 'not-found', reason: notFoundReason(search, candidates) }
}

function describe(settings: DispatchSettings): string {
  const inputs = Object.keys(settings.inputs)
  return `${settings.workflow} on ${settings.ref}${inputs.length > 0 ? ` with inputs ${inputs.join(', ')}` : ''}`
}

export async function dispatchCommand(inputs: DispatchInputs, deps: Deps): Promise<CommandResult> {
  const { api, clock, context, log, serverTime } = deps
  const settings = inputs.dispatch
  const heading = (text: string): string => `## ${text}`
  const base = { reports: [], detailed: false, outputs: {} }
  const marker = settings.markerInput === '' ? null : `run-control-${context.runId}-${context.runAttempt}-${randomBytes(4).toString('hex')}`
  const sent = marker === null ? settings.inputs : { ...settings.inputs, [settings.markerInput]: marker }

  // Read first: the workflow must exist (a 404 names it before anything is sent), and the runs
  // already there are not ours.
  const before = new Set((await api.listRuns({ event: 'workflow_dispatch', branch: settings.ref }, settings.workflow, 1)).map((run) => run.id))
  if (inputs.dryRun) {
    log.info(`Dry run: would dispatch ${describe(settings)}.`)
    return { ...base, preface: heading(`Dispatch (dry run): would start ${escapeMarkdown(describe(settings))}`), verdict: SUCCESS }
  }
  if (deps.stop.aborted) return { ...base, preface: heading('Dispatch: not sent, the step was cancelled first'), verdict: cancelledVerdict(deps.stop) }

  const requestedAt = clock.now()
  // The listing above told GitHub's time: created_at is compared with that clock, never the runner's.
  const search = {
    workflow: settings.workflow,
    ref: settings.ref,
    before,
    requestedAt: serverTime.at(requestedAt),
    marker,
    deadline: requestedAt + inputs.gate.wait.appearTimeoutMs,
    hardDeadline: requestedAt + inputs.gate.wait.timeoutMs
  }
  let how: string
  let found: Found
  try {
    let answer = await api.dispatchWorkflow(settings.workflow, settings.ref, sent, true)
    if (answer.kind === 'field-refused') {
      // The server refused the request, so nothing started: the same dispatch without the field.
      log.info('This server does not know return_run_details; dispatching without it and finding the run by listing.')
      answer = await api.dispatchWorkflow(settings.workflow, settings.ref, sent, false)
    }
    if (answer.kind === 'run') {
      how = 'GitHub returned its id'
      found = { kind: 'found', run: await api.getRun(answer.id) }
    } else {
      how = marker === null ? 'found by listing' : `found by listing, by its marker ${marker}`
      found = await findDispatched(search, deps)
    }
  } catch (error) {
    if (!isAmbiguous(error)) throw error
    // The reply was lost, not necessarily the request: never sent again; a run that appears is ours.
    log.info(`Dispatch sent, reply lost (${describeWriteError(error)}); looking for the run it started.`)
    how = 'reply lost; found by listing'
    found = await findDispatched(search, deps)
  }
  if (found.kind === 'not-found') {
    const message = `Dispatched ${describe(settings)}, but ${found.reason}`
    log.info(message)
    return {
      ...base,
      preface: heading(`❌ Dispatch: ${escapeMarkdown(message)}`),
      verdict: deps.stop.aborted ? cancelledVerdict(deps.stop) : failureOf([message])
    }
  }
  const run = found.run
  log.info(`Dispatched ${describe(settings)}: ${runLabel(run)} (${how}) — ${run.htmlUrl}`)
  const started = heading(
    `🚀 Dispatched ${escapeMarkdown(describe(settings))}: ${markdownLink(`${run.name} #${run.runNumber}`, run.htmlUrl)} (${escapeMarkdown(how)}, ${formatDuration(clock.now() - requestedAt)})`
  )
  if (!inputs.waitAfter || deps.stop.aborted) {
    return { ...base, reports: [bareReport(run)], preface: started, verdict: deps.stop.aborted ? cancelledVerdict(deps.stop) : SUCCESS }
  }
  const waited = await waitForChangedRuns([run], new Map(), inputs.gate, deps)
  return { ...waited, preface: `${started}\n\n${waited.preface}` }
}
