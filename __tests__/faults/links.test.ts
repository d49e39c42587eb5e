// Rule 4: pages are followed only on the API's own origin. A `Link: rel="next"` pointing at
// another host is refused before anything (the token above all) is sent there.
import { describe, expect, it } from '@jest/globals'
import { ciRun, matrixRun, scenario } from '../../__fixtures__/scenarios.js'
import { ForeignOriginError, isTransient } from '../../src/github/api.js'
import { apiBenchPerTest, lines, rejection } from './bench.js'

const start = apiBenchPerTest()
const REPO = '/repos/octo/app/actions'

describe('Link pages only on the API origin', () => {
  it('follows rel="next" on its own origin: all 150 jobs of a matrix, two pages', async () => {
    const bench = await start(scenario([matrixRun(740, 150, 3)]))
    const jobs = await bench.api.listJobs(740)
    expect(new Set(jobs.map((j) => j.id)).size).toBe(150)
    expect(lines(bench.apiRequests())).toEqual([`GET ${REPO}/runs/740/jobs`, `GET ${REPO}/runs/740/jobs?page=2`])
  })

  it('refuses a next page on another origin, and sends it nothing (no token)', async () => {
    const bench = await start(scenario([matrixRun(741, 150, 3)]))
    // The Link points at the log host: any request that followed it would be recorded there.
    bench.sim.inject({ path: `${REPO}/runs/741/jobs`, kind: 'foreign-link' })
    const error = await rejection(bench.api.listJobs(741))
    expect(error).toBeInstanceOf(ForeignOriginError)
    expect(error.message).toBe(
      `Refused to request ${bench.sim.logOrigin}${REPO}/runs/741/jobs: it is not on the GitHub API's origin (${new URL(bench.sim.apiUrl).origin}), and the token is sent only there. A Link header pointing elsewhere is not followed.`
    )
    expect(isTransient(error)).toBe(false)
    expect(bench.sim.requests.filter((r) => r.origin === 'logs')).toEqual([])
    expect(bench.apiRequests()).toHaveLength(1) // not retried either
  })

  it('refuses a foreign next page on a one-page list too (runs)', async () => {
    const bench = await start(scenario([ciRun(742, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs`, kind: 'foreign-link', origin: 'https://evil.example' })
    await expect(bench.api.listRuns({})).rejects.toThrow(
      /^Refused to request https:\/\/evil\.example\/repos\/octo\/app\/actions\/runs: it is not on the GitHub API's origin/
    )
  })

  it('pages under a GHES path prefix are on the origin', async () => {
    const bench = await start(scenario([matrixRun(743, 150, 3)]), { sim: { pathPrefix: '/api/v3' } })
    expect(await bench.api.listJobs(743)).toHaveLength(150)
  })
})
