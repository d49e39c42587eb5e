// Fail-fast's cheap signal: the completed check runs of the runs still going. GitHub Actions
// makes a check run of every job execution (same id and name), so the list of completed ones
// changes only when a job finishes, where a job list changes at every step: while nothing
// finishes it is a free 304. A gate's runs on one commit share one list, whatever their number.
// A check run that did not end well only says which run's job list to read: the verdict is
// always made from the job list (check-run semantics across re-runs are not documented enough
// to decide on).
import { isPermissionRefusal, statusOf } from '../../github/errors.js'
import type { CheckRun, Run } from '../../github/types.js'
import { formatDuration, runStartMs } from '../../report/durations.js'
import type { Deps } from '../shared/deps.js'

/** What the signal needs of a watched run. */
export interface SignalWatch {
  run: Run
  /** Job id → the status last logged (shared with the job-list reads, so each line is logged once). */
  logged: Map<number, string>
}

/** Conclusions that never fail a run by themselves (cancelled: left to the run's conclusion). */
const HARMLESS = new Set(['success', 'skipped', 'neutral', 'cancelled'])

export interface CheckRunSignal {
  /**
   * Reads the list of the runs whose turn it is (one list per call: one commit's, or one run's
   * suite; due `intervalMs` after the last read of it), logs the jobs that finished, and returns
   * the watches whose job list is worth reading now (see SignalTrigger). Null: check runs cannot
   * be read (no `checks: read`), use job lists instead.
   */
  look(going: readonly SignalWatch[], intervalMs: number, trigger: SignalTrigger): Promise<Set<SignalWatch> | null>
}

type Scope = { checkSuiteId: number } | { sha: string }

/**
 * What makes a job list worth reading: `failure`, a job that did not end well (fail-fast, where
 * only failures decide while the run goes on); `any`, any job that ended (a `job` gate or the
 * current run, where a success decides too).
 */
export type SignalTrigger = 'failure' | 'any'

export function checkRunSignal(deps: Pick<Deps, 'api' | 'clock' | 'log' | 'serverTime'>, allowed: ReadonlySet<string>): CheckRunSignal {
  const { api, clock, log, serverTime } = deps
  let available = true
  /** Trigger and scope → when its list was last read (monotonic clock). */
  const readAt = new Map<string, number>()
  /** Check run ids already acted on: each one asks for at most one job-list read. */
  const hinted = new Set<number>()
  /** Commits whose list was cut at its page limit: their runs are watched by their own suites. */
  const tooLong = new Set<string>()

  const startOf = (run: Run): number => runStartMs(run) ?? -Infinity

  return {
    async look(going, intervalMs, trigger) {
      if (!available) return null
      // One run on its commit: its own suite's list. Several: the commit's, shared.
      const bySha = new Map<string, SignalWatch[]>()
      for (const watch of going) {
        // A commit too long to list: each run on it is a group of its own (its suite's list).
        const group = tooLong.has(watch.run.headSha) ? `${watch.run.headSha} ${watch.run.id}` : watch.run.headSha
        bySha.set(group, [...(bySha.get(group) ?? []), watch])
      }
      const scopes = [...bySha.values()].map((watches) => {
        const only = watches.length === 1 ? watches[0] : undefined
        const scope: Scope = only?.run.checkSuiteId != null ? { checkSuiteId: only.run.checkSuiteId } : { sha: watches[0]?.run.headSha ?? '' }
        const key = `${trigger} ${'checkSuiteId' in scope ? `suite ${scope.checkSuiteId}` : `commit ${scope.sha}`}`
        // No job can have failed before its run started (GitHub's clock): the first look waits for that too.
        const lastRead = readAt.get(key) ?? -Infinity
        const started = Math.min(...watches.map((w) => startOf(w.run)))
        return { scope, key, watches, lastRead, started }
      })
      const serverNow = serverTime.now()
      const turn = scopes
        .filter((s) => clock.now() - s.lastRead >= intervalMs && serverNow - s.started >= intervalMs)
        .sort((a, b) => a.lastRead - b.lastRead || a.started - b.started)[0]
      const worth = new Set<SignalWatch>()
      if (!turn) return worth
      let checkRuns: CheckRun[]
      try {
        const listed = await api.listCompletedCheckRuns(turn.scope)
        checkRuns = listed.checkRuns
        if (!listed.complete && 'sha' in turn.scope) tooLong.add(turn.scope.sha)
      } catch (error) {
        if (!isPermissionRefusal(error)) throw error
        const status = statusOf(error)
        available = false
        log.info(`Job lists are read instead of check runs, which could not be read (${status}; the token needs 'checks: read' for the cheaper signal).`)
        return null
      }
      readAt.set(turn.key, clock.now())
      for (const checkRun of checkRuns) {
        const watch = turn.watches.find((w) => w.run.checkSuiteId !== null && w.run.checkSuiteId === checkRun.checkSuiteId)
        if (!watch) continue
        // Finished before this attempt began: an earlier attempt's, whatever its suite.
        if (Date.parse(checkRun.completedAt ?? '') < startOf(watch.run)) continue
        if (watch.logged.get(checkRun.id) !== 'completed') {
          watch.logged.set(checkRun.id, 'completed')
          const took = Date.parse(checkRun.completedAt ?? '') - Date.parse(checkRun.startedAt ?? '')
          log.info(`  ${checkRun.name}: ${checkRun.conclusion ?? 'completed'}${Number.isFinite(took) && took >= 0 ? ` in ${formatDuration(took)}` : ''}`)
        }
        const conclusion = checkRun.conclusion ?? 'failure'
        const telling = trigger === 'any' || (!HARMLESS.has(conclusion) && !allowed.has(conclusion))
        if (telling && !hinted.has(checkRun.id)) {
          hinted.add(checkRun.id)
          worth.add(watch)
        }
      }
      return worth
    }
  }
}
