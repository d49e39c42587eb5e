// `rerun-only-flaky`: the failed jobs are re-run only when every one of them is triaged `flaky`
// against the base branch (or, with `rerun-if` too, matches it). GitHub re-runs all failed jobs
// or one job per attempt, so "only the flaky ones" can only mean "only when all are".
import type { GitHubApi } from '../../github/api.js'
import type { Job, Run } from '../../github/types.js'
import type { ActionContext } from '../../runner/context.js'
import { bareReport } from '../../runs/collect.js'
import { isTriaged, triageFailures } from '../../runs/triage.js'
import { checkRerunIf, type RerunIfOptions, type RerunIfVerdict } from './rerun-if.js'

export interface OnlyFlakyOptions extends RerunIfOptions {
  context: ActionContext
}

/** Names shown in a verdict at most; the rest are counted. */
const NAMED = 3

function names(jobs: readonly Job[]): string {
  const shown = jobs.slice(0, NAMED).map((job) => `'${job.name}'`)
  return jobs.length > NAMED ? `${shown.join(', ')} and ${jobs.length - NAMED} more` : shown.join(', ')
}

/**
 * Whether `run` (its latest attempt's `jobs`) may be re-run: every failed job triaged flaky, or
 * matching `rerunIf` when it is given. A cancelled job is not judged, as with `rerun-if`.
 */
export async function checkOnlyFlaky(
  api: GitHubApi,
  run: Run,
  jobs: readonly Job[],
  rerunIf: RegExp | null,
  options: OnlyFlakyOptions
): Promise<RerunIfVerdict> {
  const failed = jobs.filter(isTriaged)
  if (failed.length === 0) return { matches: false, why: 'no failed job to triage (only cancelled ones, or none)' }
  const triage = await triageFailures(api, [{ ...bareReport(run), jobs: [...jobs] }], {
    context: options.context,
    log: options.log,
    ...(options.stop ? { stop: options.stop } : {})
  })
  const flaky = failed.filter((job) => triage.get(job.id)?.kind === 'flaky')
  const others = failed.filter((job) => !flaky.includes(job))
  const flakyWords = flaky.length > 0 ? `triaged flaky: ${names(flaky)}` : ''
  if (others.length === 0) return { matches: true, why: `every failed job is ${flakyWords}` }
  if (rerunIf === null) {
    const first = others[0] as Job
    return { matches: false, why: `job '${first.name}' is triaged ${triage.get(first.id)?.kind ?? 'unknown'}, not flaky (rerun-only-flaky)` }
  }
  const verdict = await checkRerunIf(api, run, others, rerunIf, options)
  if (!verdict.matches) return verdict
  return { matches: true, why: flakyWords === '' ? verdict.why : `${flakyWords}; the others: ${verdict.why}` }
}
