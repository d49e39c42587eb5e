// Rule 5: a paged list is used only when its pages agree with each other and with
// `total_count`; otherwise it is read again from page 1, and in the end refused (as a transient
// error) rather than returned partial.
import { describe, expect, it } from '@jest/globals'
import { ciRun, matrixRun, scenario } from '../../__fixtures__/scenarios.js'
import { InconsistentListError, isTransient } from '../../src/github/api.js'
import { apiBenchPerTest, lines, rejection } from './bench.js'

const start = apiBenchPerTest()
const REPO = '/repos/octo/app/actions'

describe('lists that cannot be trusted are read again', () => {
  it('a job that moved between page 1 and page 2 makes the list read again from page 1', async () => {
    const bench = await start(scenario([matrixRun(750, 150, 3)]))
    bench.sim.inject({ path: `${REPO}/runs/750/jobs`, query: { page: '2' }, kind: 'shifting-pages' })
    const jobs = await bench.api.listJobs(750)
    expect(new Set(jobs.map((j) => j.id)).size).toBe(150)
    expect(jobs).toHaveLength(150)
    expect(lines(bench.apiRequests())).toEqual([
      `GET ${REPO}/runs/750/jobs`,
      `GET ${REPO}/runs/750/jobs?page=2`,
      `GET ${REPO}/runs/750/jobs`,
      `GET ${REPO}/runs/750/jobs?page=2`
    ])
    // Page 1 had not changed: the second read of it was a free 304.
    expect(bench.apiRequests()[2]).toMatchObject({ status: 304, counted: false })
  })

  it('a list that keeps shifting is refused, as a transient error, after three reads', async () => {
    const bench = await start(scenario([matrixRun(751, 150, 3)]))
    bench.sim.inject({ path: `${REPO}/runs/751/jobs`, query: { page: '2' }, kind: 'shifting-pages', times: 10 })
    const error = await rejection(bench.api.listJobs(751))
    expect(error).toBeInstanceOf(InconsistentListError)
    expect(error.message).toBe(
      `The list GET ${REPO}/runs/751/jobs changed while it was being paged, 3 reads in a row (1 item(s) listed twice); not using a partial list.`
    )
    expect(isTransient(error)).toBe(true)
    expect(bench.apiRequests()).toHaveLength(6)
  })

  it('fewer items than total_count promises, every time: refused', async () => {
    const bench = await start(scenario([ciRun(752, { at: -60 })]))
    const body = { total_count: 5, jobs: [{ id: 1, run_id: 752, name: 'build', status: 'completed' }] }
    bench.sim.inject({ path: `${REPO}/runs/752/jobs`, kind: 'status', status: 200, body, times: 10 })
    await expect(bench.api.listJobs(752)).rejects.toThrow(/\(1 items for a total_count of 5\)/)
    expect(bench.apiRequests()).toHaveLength(3)
  })

  it('a run that moved between pages of the runs list: read again, all 120 runs once each', async () => {
    const runs = Array.from({ length: 120 }, (_, i) => ciRun(1000 + i, { at: -600 + i }))
    const bench = await start(scenario(runs))
    bench.sim.inject({ path: `${REPO}/runs`, query: { page: '2' }, kind: 'shifting-pages' })
    const listed = await bench.api.listRuns({})
    expect(listed).toHaveLength(120)
    expect(new Set(listed.map((r) => r.id)).size).toBe(120)
    expect(bench.apiRequests()).toHaveLength(4)
  })

  it('reading only the newest page of a longer list is no disagreement', async () => {
    const runs = Array.from({ length: 120 }, (_, i) => ciRun(2000 + i, { at: -600 + i }))
    const bench = await start(scenario(runs))
    const listed = await bench.api.listRuns({}, 'ci.yml', 1)
    expect(listed).toHaveLength(100)
    expect(listed[0]?.id).toBe(2119)
    expect(bench.apiRequests()).toHaveLength(1)
  })
})
