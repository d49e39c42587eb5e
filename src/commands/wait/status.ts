// A gate's verdict as a commit status (`status-context`): what it says, and publishing it only
// when its state or description changes. The description is one line of at most 140 characters
// (GitHub refuses longer ones with 422; checked in the simulator against the REST docs), naming
// what is awaited, proved skipped or failed (workflow › job).
import type { CommitStatusState } from '../../github/types.js'
import { isFailedConclusion } from '../../report/conclusions.js'
import type { Deps } from '../shared/deps.js'
import type { Verdict } from '../shared/result.js'
import { awaitedChecks, failedChecks, passedChecks, type ExternalStanding } from './external-checks.js'
import type { Watch } from './plan.js'
import type { RunVerdict } from './verdict.js'

/** GitHub's limit on a status description (characters, not bytes). */
export const MAX_DESCRIPTION = 140

export interface StatusTarget {
  /** The context branch protection requires, e.g. `all-green`. */
  context: string
  /** The commit gated. */
  sha: string
  /** This run's page: where the status's "Details" link leads. */
  targetUrl: string
  /** Read and judge, publish nothing. */
  dryRun: boolean
}

export interface StatusVerdict {
  state: CommitStatusState
  description: string
}

/** One line, control characters and runs of spaces folded, cut to 140 characters with an ellipsis. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- untrusted names may carry line breaks and control characters
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim()
  const chars = [...flat]
  return chars.length <= MAX_DESCRIPTION
    ? flat
    : `${chars
        .slice(0, MAX_DESCRIPTION - 1)
        .join('')
        .trimEnd()}…`
}

/** `CI, Lint and 3 more`: names listed while they fit, the rest counted. */
export function listed(names: readonly string[], room = MAX_DESCRIPTION): string {
  const unique = [...new Set(names)]
  for (let shown = unique.length; shown > 0; shown--) {
    const rest = unique.length - shown
    const text = unique.slice(0, shown).join(', ') + (rest > 0 ? ` and ${rest} more` : '')
    if ([...text].length <= room) return text
  }
  return `${unique.length} ${unique.length === 1 ? 'item' : 'items'}`
}

/**
 * Publishes `verdict` unless the context's newest status on the commit already says it (then
 * nothing is sent). Returns what the commit shows afterwards; under `dry-run`, what would be sent.
 */
export class StatusPublisher {
  private last: StatusVerdict | null | undefined

  constructor(
    readonly target: StatusTarget,
    private readonly deps: Pick<Deps, 'api' | 'log'>
  ) {}

  async publish(verdict: StatusVerdict): Promise<StatusVerdict> {
    const { api, log } = this.deps
    const { context, sha, targetUrl, dryRun } = this.target
    const description = oneLine(verdict.description)
    const wanted = { state: verdict.state, description }
    await this.current()
    if (this.last && this.last.state === wanted.state && this.last.description === wanted.description) return wanted
    if (dryRun) {
      log.info(`Would publish the commit status '${context}' on ${sha.slice(0, 7)}: ${wanted.state} — ${description}`)
    } else {
      await api.createCommitStatus(sha, { state: wanted.state, context, description, targetUrl })
      log.info(`Published the commit status '${context}' on ${sha.slice(0, 7)}: ${wanted.state} — ${description}`)
    }
    this.last = wanted
    return wanted
  }

  /** The context's newest status on the commit, as the next publish will compare with (read once). */
  async current(): Promise<StatusVerdict | null> {
    if (this.last === undefined) this.last = await this.read()
    return this.last
  }

  /**
   * Whether the context's newest status was posted after `serverMs` (GitHub's clock): another
   * judge, woken by a later event, published while this one judged.
   */
  async newerThan(serverMs: number): Promise<boolean> {
    const newest = await this.read()
    this.last = newest
    return newest !== null && newest.atMs > serverMs
  }

  /** The context's newest status on the commit (GitHub compares contexts case-insensitively). */
  private async read(): Promise<(StatusVerdict & { atMs: number }) | null> {
    const combined = await this.deps.api.getCombinedStatus(this.target.sha)
    const mine = combined.statuses.find((status) => status.context.toLowerCase() === this.target.context.toLowerCase())
    return mine ? { state: mine.state as CommitStatusState, description: mine.description ?? '', atMs: Date.parse(mine.updatedAt) } : null
  }
}

/** The workflow › job names of what failed in a run judged failed (the run's workflow alone when no job failed). */
export function failedNames(watch: Watch): string[] {
  const jobs = watch.jobs.filter((job) => job.status === 'completed' && job.conclusion !== null && isFailedConclusion(job.conclusion))
  return jobs.length > 0 ? jobs.map((job) => `${watch.run.name} › ${job.name}`) : [watch.run.name]
}

/** `Passed: CI, Lint; skipped by their filters: docs.yml`, or that no gated workflow ran for this change. */
export function passedDescription(passed: readonly string[], skipped: readonly string[]): string {
  const skips = skipped.length > 0 ? `; skipped by their filters: ${listed(skipped, 50)}` : ''
  if (passed.length === 0) return `No gated workflow runs for this change${skips}`
  return `Passed: ${listed(passed, MAX_DESCRIPTION - 8 - skips.length)}${skips}`
}

/** The status a gate's end publishes: `error` when it could not decide, else what it judged. */
export function gateStatus(
  verdict: Verdict,
  watches: readonly Watch[],
  counted: ReadonlyMap<number, RunVerdict>,
  skipped: readonly string[] = [],
  external: ExternalStanding | null = null
): StatusVerdict {
  switch (verdict.result) {
    case 'success': {
      const passed = [...watches.filter((w) => counted.get(w.run.id)?.kind === 'passed').map((w) => w.run.name), ...passedChecks(external)]
      return { state: 'success', description: passedDescription(passed, skipped) }
    }
    case 'failure': {
      const failed = [...watches.filter((w) => counted.get(w.run.id)?.kind === 'failed').flatMap(failedNames), ...failedChecks(external).map((c) => c.name)]
      return { state: 'failure', description: `Failed: ${listed(failed, MAX_DESCRIPTION - 8)}` }
    }
    case 'not-found':
      return { state: 'failure', description: verdict.message }
    case 'timeout': {
      const waiting = [...watches.filter((w) => w.verdict.kind === 'waiting').map((w) => w.run.name), ...awaitedChecks(external)]
      return { state: 'error', description: `Timed out waiting for ${listed(waiting, MAX_DESCRIPTION - 24)}` }
    }
    case 'cancelled':
      return { state: 'error', description: 'The gate was cancelled before it decided' }
    case 'pending':
    case 'error':
      return { state: verdict.result, description: verdict.message }
  }
}

/** The `pending` a polling gate publishes at its first look: the named workflows, or the commit's runs. */
export function pendingStatus(workflows: readonly string[]): StatusVerdict {
  return {
    state: 'pending',
    description: workflows.length > 0 ? `Waiting for ${listed(workflows, MAX_DESCRIPTION - 12)}` : 'Waiting for the runs of this commit'
  }
}
