// Proven skips: a workflow named in `workflow` with no run on the gated commit counts as skipped
// only when its own trigger filters are proved to exclude this change (INTERFACE, "Proven
// skips"). A missing run is never proof by itself (API-NOTES: a late run, `[skip ci]`, merge
// conflicts, over 300 files, a renamed workflow, a start-up failure all leave none), so anything
// the action cannot read or evaluate keeps the workflow awaited.
import { isPermissionRefusal, NotFoundError } from '../../github/errors.js'
import type { Change } from '../../workflow-files/triggers.js'
import { judgeCommit } from '../../workflow-files/triggers.js'
import type { Deps } from '../shared/deps.js'

/**
 * `refused`: triggered only by `workflow_run`, the workflow runs on the default branch's commit,
 * never on the pull request's: a one-look gate that awaits it would stay pending.
 */
export type SkipProof = { kind: 'skipped'; filter: string } | { kind: 'awaited'; reason: string } | { kind: 'refused'; reason: string }

/** GitHub evaluates `paths` filters on a pull request's first 300 changed files (API-NOTES). */
const MAX_PATHS_FILES = 300

/** The pull request whose head is `sha`: the one known (the sweep's), the event's, else found among the open ones (forks too). */
async function pullRequestOf(sha: string, deps: Pick<Deps, 'api' | 'context'>, known?: number): Promise<number | null> {
  if (known !== undefined) return known
  const own = deps.context.event?.pullRequest
  if (own && own.headSha === sha) return own.number
  const heads = (await deps.api.listOpenPullRequestHeads()).filter((head) => head.headSha === sha)
  return heads.length === 1 ? (heads[0]?.number ?? null) : null
}

/** The change as a `pull_request` workflow at that commit would see it; a reason when it cannot be read. */
async function changeOf(sha: string, deps: Pick<Deps, 'api' | 'context'>, known?: number): Promise<Change[] | string> {
  const number = await pullRequestOf(sha, deps, known)
  if (number === null) return 'no single open pull request has this commit as its head'
  const pull = await deps.api.getPullRequest(number)
  // Its files describe its head now: once the head moved on, they are not this commit's change.
  if (pull.headSha !== sha) return `pull request #${number} has moved on to ${pull.headSha.slice(0, 7)}`
  // GitHub evaluates paths on the first 300 files only: nothing to prove, no file list to read.
  if (pull.changedFiles > MAX_PATHS_FILES)
    return `pull request #${number} changes ${pull.changedFiles} files; GitHub evaluates paths on the first ${MAX_PATHS_FILES} only`
  const [files, message] = [await deps.api.listPullRequestFiles(number), await deps.api.getCommitMessage(sha)]
  const changedFiles = files.files.flatMap((file) => (file.previousFilename ? [file.filename, file.previousFilename] : [file.filename]))
  const facts = { baseBranch: pull.baseRef, mergeable: pull.mergeable, changedFiles, changedFilesTotal: files.total, headCommitMessage: message }
  return [{ event: 'pull_request', ...facts }]
}

/**
 * For each named workflow (file names) that has no run: skipped, with the filter that proves it,
 * or awaited, with why not. Reads, only when a named workflow is missing: the pull request (and
 * the open ones, when the event does not name it), its files (one request per 100), the head
 * commit's message and each missing workflow's file at the commit.
 */
export async function proveSkips(
  sha: string,
  workflows: readonly string[],
  deps: Pick<Deps, 'api' | 'context' | 'log'>,
  pullRequest?: number
): Promise<Map<string, SkipProof>> {
  const proofs = new Map<string, SkipProof>()
  const awaitAll = (reason: string): Map<string, SkipProof> => new Map(workflows.map((w) => [w, { kind: 'awaited', reason }]))
  try {
    const change = await changeOf(sha, deps, pullRequest)
    if (typeof change === 'string') return awaitAll(change)
    for (const workflow of workflows) {
      if (/^\d+$/.test(workflow)) {
        proofs.set(workflow, { kind: 'awaited', reason: 'a workflow given by id: its file is not read' })
        continue
      }
      // A pull request that edits, renames or deletes the workflow could write the very filter
      // that skips it: never judged (a fork's author would otherwise turn the gate green).
      if (change[0]?.changedFiles.includes(`.github/workflows/${workflow}`)) {
        proofs.set(workflow, { kind: 'awaited', reason: 'the pull request changes this workflow file' })
        continue
      }
      const text = await deps.api.getWorkflowFile(`.github/workflows/${workflow}`, sha)
      if (text === null) {
        proofs.set(workflow, { kind: 'awaited', reason: 'no such workflow file at this commit (renamed or deleted?)' })
        continue
      }
      const verdict = judgeCommit(text, change)
      proofs.set(
        workflow,
        verdict.kind === 'skipped'
          ? { kind: 'skipped', filter: verdict.filter }
          : verdict.kind === 'workflow-run-only'
            ? { kind: 'refused', reason: `${workflow} is triggered only by workflow_run: it runs on the default branch's commit, never on the pull request's` }
            : { kind: 'awaited', reason: awaitedReason(verdict) }
      )
    }
    return proofs
  } catch (error) {
    if (error instanceof NotFoundError) return awaitAll(`not found: ${error.message}`)
    if (!isPermissionRefusal(error)) throw error
    deps.log.warning('Proving skips needs `contents: read` and `pull-requests: read`; without them a named workflow with no run is awaited.')
    return awaitAll('the token cannot read the pull request or the workflow files')
  }
}

function awaitedReason(verdict: ReturnType<typeof judgeCommit>): string {
  switch (verdict.kind) {
    case 'runs':
      return 'its filters include this change'
    case 'unprovable':
      return verdict.reason
    case 'not-triggered':
      return `not triggered by a pull request (${verdict.events.join(', ')})`
    case 'workflow-run-only':
      return 'triggered only by workflow_run'
    case 'skipped':
      return ''
  }
}

/** `ci.yml (paths: …)`: the skipped workflows with the filter that proved each. */
export function skippedLines(proofs: ReadonlyMap<string, SkipProof>): string[] {
  return [...proofs].flatMap(([workflow, proof]) => (proof.kind === 'skipped' ? [`${workflow}: skipped by its filters (${proof.filter})`] : []))
}
