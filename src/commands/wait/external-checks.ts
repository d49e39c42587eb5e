// External checks (`checks`): other apps' check runs (Vercel, Netlify, Codecov…) and commit
// statuses on the gated commit count in the gate beside its runs, polling and one look alike.
// What was checked: GET /commits/{ref}/check-runs lists GitHub Actions' job check runs with app
// slug `github-actions` beside other apps' (GitHub's docs and real payloads), and `filter=latest`
// keeps the newest per name, so a re-requested check is judged by its new run; the combined
// status gives the newest status per context (API-NOTES, "Commit statuses and the events a
// runner-free gate uses"). A named check that has not appeared is awaited: unlike a workflow, a
// check has no trigger filters to prove it skipped.
import { isPermissionRefusal, statusOf } from '../../github/errors.js'
import type { CheckRun, CommitStatus } from '../../github/types.js'
import { globMatches } from '../../runs/job-names.js'
import type { Deps } from '../shared/deps.js'
import type { GateState } from './verdict.js'

/** The app of GitHub Actions' own check runs (one per job): those are the gate's runs, not external checks. */
export const ACTIONS_APP = 'github-actions'

export interface ExternalCheck {
  name: string
  /** `check run` (of an app) or `status` (a commit status's context). */
  kind: 'check run' | 'status'
  /** The app's slug (check runs), or null. */
  app: string | null
  standing: 'passed' | 'failed' | 'pending'
  /** What GitHub says: a check run's conclusion or status, a commit status's state. */
  detail: string
  /** As a run's: `completed` once decided (a status that is not `pending`), and its conclusion then. */
  status: string
  conclusion: string | null
  url: string | null
  /** A check run's, from its start to its end (or to GitHub's now); null for a status. */
  durationMs: number | null
}

/** Where the external checks stand after a look. */
export interface ExternalStanding {
  checks: ExternalCheck[]
  /** Names given without a wildcard that match no check run or status yet. */
  missing: string[]
}

export interface ExternalRules {
  /** Names or globs (`*`, `?`); `*` is every one on the commit. */
  patterns: readonly string[]
  /** The gate's own status context: never counted (compared case-insensitively, as GitHub does). */
  ownContext: string | null
  /** Check run conclusions that pass (allowed-conclusions). */
  allowed: ReadonlySet<string>
}

/** A permission the token lacks to read external checks: a configuration fault, never a quiet fallback. */
export class ExternalChecksRefused extends Error {}

const isLiteral = (pattern: string): boolean => !/[*?]/.test(pattern)

function checkRunStanding(run: CheckRun, allowed: ReadonlySet<string>): ExternalCheck['standing'] {
  if (run.status !== 'completed') return 'pending'
  return run.conclusion !== null && allowed.has(run.conclusion) ? 'passed' : 'failed'
}

function statusStanding(state: string): ExternalCheck['standing'] {
  if (state === 'success') return 'passed'
  return state === 'pending' ? 'pending' : 'failed'
}

/** From its start to its end, or to `nowMs` (GitHub's clock) while it runs; null when it has not started. */
function checkRunDurationMs(run: CheckRun, nowMs: number): number | null {
  const start = Date.parse(run.startedAt ?? '')
  if (!Number.isFinite(start)) return null
  const end = run.status === 'completed' ? Date.parse(run.completedAt ?? '') : nowMs
  return Number.isFinite(end) && end >= start ? end - start : null
}

/** The external checks the patterns name, from a commit's check runs and statuses (pure). */
export function judgeExternal(checkRuns: readonly CheckRun[], statuses: readonly CommitStatus[], rules: ExternalRules, nowMs: number): ExternalStanding {
  const named = (name: string): boolean => rules.patterns.some((pattern) => globMatches(pattern, name))
  const own = rules.ownContext?.toLowerCase()
  const checks: ExternalCheck[] = [
    ...checkRuns
      .filter((run) => run.app !== ACTIONS_APP && named(run.name))
      .map((run) => ({
        name: run.name,
        kind: 'check run' as const,
        app: run.app,
        standing: checkRunStanding(run, rules.allowed),
        detail: run.status === 'completed' ? (run.conclusion ?? 'completed') : run.status,
        status: run.status,
        conclusion: run.conclusion,
        url: run.url,
        durationMs: checkRunDurationMs(run, nowMs)
      })),
    ...statuses
      .filter((status) => status.context.toLowerCase() !== own && named(status.context))
      .map((status) => ({
        name: status.context,
        kind: 'status' as const,
        app: null,
        standing: statusStanding(status.state),
        detail: status.state,
        status: status.state === 'pending' ? 'pending' : 'completed',
        conclusion: status.state === 'pending' ? null : status.state,
        url: status.targetUrl,
        durationMs: null
      }))
  ]
  const missing = rules.patterns.filter(
    (pattern) => isLiteral(pattern) && pattern.toLowerCase() !== own && !checks.some((check) => globMatches(pattern, check.name))
  )
  return { checks, missing }
}

/** Reads the commit's check runs and statuses and judges them; a token that cannot read them is refused by name. */
export async function readExternal(sha: string, rules: ExternalRules, deps: Pick<Deps, 'api' | 'serverTime'>): Promise<ExternalStanding> {
  const refusal = (error: unknown, permission: string, what: string): never => {
    if (!isPermissionRefusal(error)) throw error
    throw new ExternalChecksRefused(`the token cannot read ${what} (${statusOf(error)}): give the gate \`${permission}\` for 'checks'`)
  }
  const { checkRuns } = await deps.api.listCheckRunsOfCommit(sha).catch((error: unknown) => refusal(error, 'checks: read', 'check runs'))
  const { statuses } = await deps.api.getCombinedStatus(sha).catch((error: unknown) => refusal(error, 'statuses: read', 'commit statuses'))
  return judgeExternal(checkRuns, statuses, rules, deps.serverTime.now())
}

export const passedChecks = (standing: ExternalStanding | null): string[] => standing?.checks.filter((c) => c.standing === 'passed').map((c) => c.name) ?? []

export const failedChecks = (standing: ExternalStanding | null): ExternalCheck[] => standing?.checks.filter((c) => c.standing === 'failed') ?? []

/** `Vercel: failure`: a check and what GitHub says of it. */
export const checkLine = (check: ExternalCheck): string => `${check.name}${check.app ? ` (${check.app})` : ''}: ${check.detail}`

/** What the gate still waits for among the external checks: the pending ones, and the named ones not yet seen. */
export function awaitedChecks(standing: ExternalStanding | null): string[] {
  if (!standing) return []
  return [...standing.checks.filter((c) => c.standing === 'pending').map((c) => c.name), ...standing.missing]
}

/**
 * The polling gate's state with the external checks: the runs decide first; a failed check ends
 * the gate at once with fail-fast, else when the runs are decided; pending checks hold a finished
 * gate open; a named check still unseen after the appear window ends it `none-found`.
 */
export function withExternal(
  gate: GateState | { kind: 'timeout' },
  standing: ExternalStanding | null,
  facts: { failFast: boolean; appearOver: boolean; timedOut: boolean }
): GateState | { kind: 'timeout' } {
  if (!standing || gate.kind === 'none-found' || gate.kind === 'timeout' || gate.kind === 'failed-fast') return gate
  const failed = failedChecks(standing).length > 0
  if (gate.kind === 'waiting') return failed && facts.failFast ? { kind: 'failed-fast' } : gate
  if (failed) return gate
  if (standing.missing.length > 0 && facts.appearOver) {
    return { kind: 'none-found', reason: `no check run or status named ${standing.missing.map((name) => `'${name}'`).join(', ')}` }
  }
  if (awaitedChecks(standing).length === 0) return gate
  return facts.timedOut ? { kind: 'timeout' } : { kind: 'waiting' }
}
