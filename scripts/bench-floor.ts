// The floor that `npm run bench` measures the action against: plain pollers on the simulator,
// and how a cell of the bench's tables is counted and written.
import { ok, scenario } from '../__fixtures__/scenarios.js'
import { startBench, TOKEN, type Bench } from '../__tests__/inprocess/harness.js'
import type { JobSpec, RecordedRequest, RunSpec } from '../__tests__/simulator/index.js'

export const REPO_PATH = '/repos/octo/app/actions'

export interface Cost {
  counted: number
  all: number
  /** Ms from the deciding completion (the last run's, or the first failure's) to the poller's knowing it (null: did not finish). */
  lateMs: number | null
}

export const costOf = (requests: readonly RecordedRequest[], lateMs: number | null): Cost => {
  const api = requests.filter((r) => r.origin === 'api')
  return { counted: api.filter((r) => r.counted).length, all: api.length, lateMs }
}
export const cell = (c: Cost): string =>
  `${c.counted} / ${c.all}${c.lateMs === null ? ' (no end)' : `, ${c.lateMs < 0 ? '−' : '+'}${(Math.abs(c.lateMs) / 1000).toFixed(0)} s`}`

export async function get(bench: Bench, path: string, etag?: string): Promise<Response> {
  return fetch(`${bench.sim.apiUrl}${path}`, { headers: { authorization: `token ${TOKEN}`, ...(etag ? { 'if-none-match': etag } : {}) } })
}

/**
 * When the outcome of `runIds` was decided (`updated_at`, read after the pollers are done): the
 * first completion that failed, else the last completion.
 */
export async function completedAt(bench: Bench, runIds: readonly number[]): Promise<number> {
  let last = 0
  let firstFailure = Infinity
  for (const id of runIds) {
    const run = (await (await get(bench, `${REPO_PATH}/runs/${id}`)).json()) as { updated_at: string; conclusion: string | null }
    last = Math.max(last, Date.parse(run.updated_at))
    if (run.conclusion === 'failure') firstFailure = Math.min(firstFailure, Date.parse(run.updated_at))
  }
  return Number.isFinite(firstFailure) ? firstFailure : last
}

interface ListedRun {
  id: number
  status: string
  conclusion: string | null
}

/**
 * The floor: poll the run (or a gate's run list) every interval; the job list of one run once at
 * the end. A list poller stops when every run completed, or at the first failed one.
 */
export async function poller(
  bench: Bench,
  target: { runId: number } | { sha: string; runs: number },
  intervalMs: number,
  conditional: boolean
): Promise<number> {
  let etag: string | undefined
  let body: unknown
  const path = 'runId' in target ? `${REPO_PATH}/runs/${target.runId}` : `${REPO_PATH}/runs?head_sha=${target.sha}&per_page=100`
  for (;;) {
    const response = await get(bench, path, conditional ? etag : undefined)
    if (response.status === 200) {
      etag = response.headers.get('etag') ?? undefined
      body = await response.json()
    } else await response.arrayBuffer()
    const done =
      'runId' in target ? (body as { status: string }).status === 'completed' : listDone((body as { workflow_runs: ListedRun[] }).workflow_runs, target.runs)
    if (done) {
      if ('runId' in target) await (await get(bench, `${REPO_PATH}/runs/${target.runId}/jobs?per_page=100`)).arrayBuffer()
      return bench.clock.now()
    }
    await bench.clock.sleep(intervalMs)
  }
}

/** The commit's runs (the gate's own, 9999, left out) are all completed, or one failed. */
function listDone(listed: readonly ListedRun[], expected: number): boolean {
  const runs = listed.filter((r) => r.id !== 9999)
  if (runs.some((r) => r.status === 'completed' && r.conclusion === 'failure')) return true
  return runs.length >= expected && runs.every((r) => r.status === 'completed')
}

/** What `go` spends on a fresh simulator with `runs`, and how late it noticed the end (`go` returns when it did). */
export async function measureOn(runs: RunSpec[], go: (bench: Bench) => Promise<number>): Promise<Cost> {
  const bench = await startBench(scenario(runs))
  try {
    const noticed = await go(bench)
    const requests = [...bench.sim.requests]
    return costOf(
      requests,
      noticed -
        (await completedAt(
          bench,
          runs.map((r) => r.id)
        ))
    )
  } finally {
    await bench.sim.stop()
  }
}

/** A job of steps of these many seconds, after `needs`. */
export const job = (name: string, stepSeconds: number[], needs?: string[]): JobSpec => ({
  name,
  steps: stepSeconds.map((s, i) => ok(`Run step ${i + 1}`, s)),
  ...(needs ? { needs } : {})
})
