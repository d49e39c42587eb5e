// `delete`'s last filter (`keep-pull-requests`, default on): keep what an open pull request still
// shows. Deleting a run deletes its check runs, so a nightly clean-up that deletes a failed run on
// an open pull request's head commit makes the failed check vanish, and the pull request looks
// ready to merge. Once the runs to delete are chosen, the open pull requests are listed once (none
// when nothing is to be deleted) and every run on one of their heads is kept, forks' included.
// A token that cannot list them (403/404) keeps every run not on the default branch instead: the
// step says so once and goes on.
import { isPermissionRefusal, statusOf } from '../../github/errors.js'
import type { PullRequestHead, Run } from '../../github/types.js'
import type { ActionOutcome } from '../../report/actions.js'
import type { Deps } from '../shared/deps.js'

export interface PullRequestKeep {
  /** The chosen runs minus the kept ones, in their order. */
  doomed: Run[]
  /** The runs this rule kept (the `kept-run-ids` output). */
  kept: Run[]
  /** One plain-text sentence for the summary: how many were kept and why ('' when none). */
  note: string
}

type Record = (run: Run, outcome: ActionOutcome, detail: string) => void

const WHY = 'deleting a run deletes its checks, and a failed check would vanish from the pull request'

/** `#12`, or `#12 (from the fork alice/app)`. */
function pullLabel(pull: PullRequestHead): string {
  return `#${pull.number}${pull.fork === null ? '' : ` (from the fork ${pull.fork})`}`
}

/**
 * Splits `chosen` into the runs to delete and those an open pull request still shows (each
 * recorded as kept). `enabled` false, or nothing chosen: no request, nothing kept.
 */
export async function keepPullRequestRuns(
  chosen: Run[],
  enabled: boolean,
  deps: Pick<Deps, 'api' | 'context' | 'log'>,
  record: Record
): Promise<PullRequestKeep> {
  if (!enabled || chosen.length === 0) return { doomed: chosen, kept: [], note: '' }
  let pulls: PullRequestHead[]
  try {
    pulls = await deps.api.listOpenPullRequestHeads()
  } catch (error) {
    if (!isPermissionRefusal(error)) throw error
    return keepOffDefaultBranch(chosen, statusOf(error) ?? 403, deps, record)
  }
  const bySha = new Map<string, PullRequestHead[]>()
  for (const pull of pulls) bySha.set(pull.headSha, [...(bySha.get(pull.headSha) ?? []), pull])
  const doomed: Run[] = []
  const kept: Run[] = []
  for (const run of chosen) {
    const on = bySha.get(run.headSha)
    if (on === undefined) {
      doomed.push(run)
      continue
    }
    kept.push(run)
    record(run, 'skipped', `kept: its commit is the head of open pull request ${on.map(pullLabel).join(', ')} (keep-pull-requests)`)
  }
  deps.log.info(
    kept.length === 0
      ? `keep-pull-requests: none of the ${chosen.length} run(s) to delete is on the head commit of one of the ${pulls.length} open pull request(s).`
      : `keep-pull-requests: ${kept.length} of the ${chosen.length} run(s) to delete kept, on the head commit of one of the ${pulls.length} open pull request(s) (${WHY}).`
  )
  const note = kept.length === 0 ? '' : `${kept.length} run(s) kept: their commit is the head of an open pull request (keep-pull-requests; ${WHY}).`
  return { doomed, kept, note }
}

/** When the open pull requests cannot be read: keep every run not on the default branch (all of them when it is unknown too). */
async function keepOffDefaultBranch(chosen: Run[], status: number, deps: Pick<Deps, 'api' | 'context' | 'log'>, record: Record): Promise<PullRequestKeep> {
  const { api, log } = deps
  const branch = await defaultBranch(deps)
  const doomed = branch === null ? [] : chosen.filter((run) => run.headBranch === branch)
  const going = new Set(doomed)
  const kept = chosen.filter((run) => !going.has(run))
  const reason = branch === null ? 'the default branch could not be read either' : `not on the default branch (${branch})`
  for (const run of kept) record(run, 'skipped', `kept: ${reason}, and the open pull requests could not be listed (${status}; keep-pull-requests)`)
  log.warning(
    `keep-pull-requests: the token cannot list the open pull requests of ${api.owner}/${api.repo} (${status}; it needs 'pull-requests: read'), so every run ${branch === null ? '' : `not on the default branch (${branch}) `}is kept: ${kept.length} of the ${chosen.length} run(s) to delete. Give the token 'pull-requests: read', or set 'keep-pull-requests: false' to delete them.`
  )
  const note =
    kept.length === 0
      ? ''
      : `${kept.length} run(s) kept: ${reason}, and the token cannot list the open pull requests (${status}; it needs pull-requests: read).`
  return { doomed, kept, note }
}

/** The event payload's default branch when it is this repository's (no request), else GET /repos/{o}/{r}; null when neither can say. */
async function defaultBranch(deps: Pick<Deps, 'api' | 'context'>): Promise<string | null> {
  const { api, context } = deps
  const same = context.repository.toLowerCase() === `${api.owner}/${api.repo}`.toLowerCase()
  if (same && context.defaultBranch) return context.defaultBranch
  try {
    return await api.getDefaultBranch()
  } catch {
    return null
  }
}
