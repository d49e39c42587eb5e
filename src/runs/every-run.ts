// Every run a filtered listing matches, past GitHub's limit of 1,000 results per search.
//
// GitHub lists runs newest first and stops at 1,000 when any of actor, branch, check_suite_id,
// created, event, head_sha or status is given (and this action reads at most 10 pages of 100 in
// any case). So when a listing comes back full, the runs newer than its oldest one are all known,
// and the search is made again for the runs created up to that oldest second: a walk back in
// `created` windows that needs no lower bound and costs one request per 100 runs, plus one
// search per 1,000. The boundary second is listed again (it may hold more runs than fitted); a
// run met twice is kept once. A second holding 1,000 runs or more cannot be read whole by any
// search: that fails with a clear error before anything is changed.
import { MAX_LISTED_RUNS, type GitHubApi } from '../github/api.js'
import type { Run, RunFilters } from '../github/types.js'
import { createdFilter, isEmpty, isoSecond, type CreatedRange } from '../time/created.js'
import type { Log } from '../runner/log.js'
import { parseTime } from '../report/durations.js'
import { CrowdedSecondError } from '../errors.js'

export interface EveryRun {
  runs: Run[]
  /** Searches made (each up to 10 pages). */
  searches: number
}

/**
 * Every run of `workflow` (or of the repository) matching `filters` and created within `range`
 * (which replaces the filters' own `created`), newest first, each once.
 */
export async function listEveryRun(api: GitHubApi, filters: RunFilters, workflow: string | undefined, range: CreatedRange, log: Log): Promise<EveryRun> {
  const found = new Map<number, Run>()
  if (isEmpty(range)) return { runs: [], searches: 0 }
  const { created: _ignored, ...rest } = filters
  const where = workflow === undefined ? '' : ` of ${workflow}`
  let upTo = range.to
  let searches = 0
  for (;;) {
    const created = createdFilter({ from: range.from, to: upTo })
    const listed = await api.listRuns(created === undefined ? rest : { ...rest, created }, workflow)
    searches += 1
    for (const run of listed) if (!found.has(run.id)) found.set(run.id, run)
    if (listed.length < MAX_LISTED_RUNS) break
    const times = listed.map((run) => parseTime(run.createdAt)).filter((ms): ms is number => ms !== null)
    if (times.length < listed.length)
      throw new Error(`GitHub listed a run${where} without a creation time; cannot walk back past the ${MAX_LISTED_RUNS}-run limit.`)
    const oldest = Math.min(...times)
    const newest = Math.max(...times)
    // A server that ignored the window would have the walk go round in circles.
    if (upTo !== null && newest > upTo) {
      throw new Error(
        `GitHub listed runs${where} created after ${isoSecond(upTo)} for a search of runs created up to then; cannot walk back past the ${MAX_LISTED_RUNS}-run limit.`
      )
    }
    // All in one second: the next search (up to that second) would list the same runs again.
    if (oldest === newest) throw new CrowdedSecondError(isoSecond(oldest), where, MAX_LISTED_RUNS)
    upTo = oldest
    log.info(
      `GitHub lists at most ${MAX_LISTED_RUNS} runs per search: ${found.size} run(s)${where} found so far; searching again for those created up to ${isoSecond(upTo)}.`
    )
  }
  const runs = [...found.values()].sort((a, b) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1))
  if (searches > 1) log.info(`Found ${runs.length} run(s)${where} in ${searches} searches.`)
  return { runs, searches }
}
