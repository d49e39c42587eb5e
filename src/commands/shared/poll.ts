// Re-reads runs until they complete: what cancel does to verify a cancellation and rerun does
// before re-running a run that is still going. Each read is a conditional GET (free while the
// run is unchanged), so watching costs nothing but time.
import type { GitHubApi } from '../../github/api.js'
import type { Run } from '../../github/types.js'
import type { Clock } from '../../time/clock.js'

export interface PollOptions {
  deadline: number
  pollIntervalMs: number
  clock: Clock
  /** Called after each round with the runs still going (e.g. to escalate a cancel). */
  onRound?: (going: Run[]) => Promise<void>
  /** Stops watching (the step is being cancelled). */
  stop: AbortSignal
  /** The first look comes this soon (default: one poll interval). */
  firstLookMs?: number
  /**
   * Reads many runs at once (a run list, one request per 100 runs): used instead of one GET per
   * run when there is more than one to watch; a run missing from it is read by itself.
   */
  list?: () => Promise<Run[]>
}

/** The runs as last read: completed ones, and those still going at the deadline. */
export async function pollUntilCompleted(api: GitHubApi, runs: readonly Run[], options: PollOptions): Promise<{ completed: Run[]; going: Run[] }> {
  const latest = new Map(runs.map((run) => [run.id, run]))
  const going = (): Run[] => [...latest.values()].filter((run) => run.status !== 'completed')
  let wait = options.firstLookMs ?? options.pollIntervalMs
  for (;;) {
    if (options.onRound && going().length > 0 && !options.stop.aborted) await options.onRound(going())
    if (going().length === 0 || options.clock.now() >= options.deadline || options.stop.aborted) break
    await options.clock.sleep(Math.max(0, Math.min(wait, options.deadline - options.clock.now())))
    wait = options.pollIntervalMs
    if (options.stop.aborted) break
    const stillGoing = going()
    const listed = options.list !== undefined && stillGoing.length > 1 ? new Map((await options.list()).map((run) => [run.id, run])) : new Map<number, Run>()
    for (const run of stillGoing) latest.set(run.id, listed.get(run.id) ?? (await api.getRun(run.id)))
  }
  const all = [...latest.values()]
  return { completed: all.filter((run) => run.status === 'completed'), going: going() }
}
