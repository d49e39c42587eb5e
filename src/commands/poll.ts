// Re-reads runs until they complete: what cancel does to verify a cancellation and rerun does
// before re-running a run that is still going. Each read is a conditional GET (free while the
// run is unchanged), so watching costs nothing but time.
import type { GitHubApi } from '../github/api.js'
import type { Run } from '../github/types.js'
import type { Clock } from '../clock.js'

export interface PollOptions {
  deadline: number
  pollIntervalMs: number
  clock: Clock
  /** Called after each round with the runs still going (e.g. to escalate a cancel). */
  onRound?: (going: Run[]) => Promise<void>
}

/** The runs as last read: completed ones, and those still going at the deadline. */
export async function pollUntilCompleted(api: GitHubApi, runs: readonly Run[], options: PollOptions): Promise<{ completed: Run[]; going: Run[] }> {
  const latest = new Map(runs.map((run) => [run.id, run]))
  const going = (): Run[] => [...latest.values()].filter((run) => run.status !== 'completed')
  for (;;) {
    if (options.onRound && going().length > 0) await options.onRound(going())
    if (going().length === 0 || options.clock.now() >= options.deadline) break
    await options.clock.sleep(Math.max(0, Math.min(options.pollIntervalMs, options.deadline - options.clock.now())))
    for (const run of going()) latest.set(run.id, await api.getRun(run.id))
  }
  const all = [...latest.values()]
  return { completed: all.filter((run) => run.status === 'completed'), going: going() }
}
