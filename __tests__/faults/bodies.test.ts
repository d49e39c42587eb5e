// Rule 3: a body is checked before it is used. HTML from a proxy, `{}`, or an object without its
// id is a transient fault: the GET is asked again, and if it stays wrong the error names the
// endpoint. Never `id: NaN`, never a request to `/runs/NaN`.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { isTransient, MalformedBodyError } from '../../src/github/api.js'
import { jobProblems, runProblems } from '../../src/github/validate.js'
import { apiBenchPerTest, rejection } from './bench.js'

const start = apiBenchPerTest()
const REPO = '/repos/octo/app/actions'

describe('malformed bodies are retried, then named', () => {
  it('`{}` for a run is asked again, and the good answer is used', async () => {
    const bench = await start(scenario([ciRun(730, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/730`, kind: 'empty-object' })
    expect(await bench.api.getRun(730)).toMatchObject({ id: 730, status: 'completed', conclusion: 'success' })
    expect(bench.apiRequests()).toHaveLength(2)
  })

  it('`{}` on every try fails with an error naming the endpoint and what is missing', async () => {
    const bench = await start(scenario([ciRun(731, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/731`, kind: 'empty-object', times: 10 })
    const error = await rejection(bench.api.getRun(731))
    expect(error).toBeInstanceOf(MalformedBodyError)
    expect(error.message).toBe(`GitHub answered GET ${REPO}/runs/731 with a body that is not a workflow run (no numeric id; no string status).`)
    expect(isTransient(error)).toBe(true)
    expect(bench.apiRequests()).toHaveLength(4)
    expect(bench.sim.requests.some((r) => r.path.includes('NaN'))).toBe(false)
  })

  it('a check-run list without its check runs is asked again, then named', async () => {
    const bench = await start(scenario([ciRun(733, { at: -60 })]))
    const path = `/repos/octo/app/check-suites/${733 * 10 + 1}/check-runs`
    bench.sim.inject({ path, kind: 'empty-object' })
    expect((await bench.api.listCompletedCheckRuns({ checkSuiteId: 733 * 10 + 1 })).checkRuns.map((c) => c.name)).toEqual(['build', 'test'])
    bench.sim.inject({ path, kind: 'empty-object', times: 10 })
    const error = await rejection(bench.api.listCompletedCheckRuns({ checkSuiteId: 733 * 10 + 1 }))
    expect(error).toBeInstanceOf(MalformedBodyError)
    expect(error.message).toContain('with a body that is not a list of check runs (no numeric total_count; no check_runs array)')
    expect(isTransient(error)).toBe(true)
  })

  it('an HTML page with status 200 is not a list of jobs', async () => {
    const bench = await start(scenario([ciRun(732, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/732/jobs`, kind: 'html-200', times: 10 })
    const error = await rejection(bench.api.listJobs(732))
    expect(error.message).toBe(
      `GitHub answered GET ${REPO}/runs/732/jobs?filter=latest&per_page=100 with a body that is not a list of jobs (not JSON: "<!DOCTYPE html> <html><head><title>502 B"…).`
    )
    expect(bench.apiRequests()).toHaveLength(4)
  })

  it('an HTML page once, then the real list: retried, used', async () => {
    const bench = await start(scenario([ciRun(733, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs`, kind: 'html-200' })
    expect((await bench.api.listRuns({})).map((r) => r.id)).toEqual([733])
    expect(bench.apiRequests()).toHaveLength(2)
  })

  it('a job without its run_id is found inside the list and named', async () => {
    const bench = await start(scenario([ciRun(734, { at: -60 })]))
    const body = {
      total_count: 2,
      jobs: [
        { id: 1, run_id: 734, name: 'build', status: 'completed' },
        { id: 2, name: 'test', status: 'completed' }
      ]
    }
    bench.sim.inject({ path: `${REPO}/runs/734/jobs`, kind: 'status', status: 200, body, times: 10 })
    await expect(bench.api.listJobs(734)).rejects.toThrow(/is not a list of jobs \(jobs\[1\]: no numeric run_id\)\.$/)
  })

  it('a list without its array is malformed (paginate would otherwise fail on it)', async () => {
    const bench = await start(scenario([ciRun(735, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs`, kind: 'status', status: 200, body: { total_count: 3 }, times: 10 })
    await expect(bench.api.listRuns({})).rejects.toThrow(/is not a list of workflow runs \(no workflow_runs array\)\.$/)
  })

  it('`{}` for a job', async () => {
    const bench = await start(scenario([ciRun(736, { at: -60 })]))
    bench.sim.inject({ path: /^\/repos\/octo\/app\/actions\/jobs\/\d+$/, kind: 'empty-object', times: 10 })
    await expect(bench.api.getJob(73601001)).rejects.toThrow(
      `GitHub answered GET ${REPO}/jobs/73601001 with a body that is not a job (no numeric id; no numeric run_id; no string name; no string status).`
    )
  })

  it('a malformed body never enters the ETag cache: the next poll gets the real run', async () => {
    const bench = await start(scenario([ciRun(737, { at: -60 })]))
    // A `{}` that comes with an ETag, three times (all the tries of one call).
    bench.sim.inject({ path: `${REPO}/runs/737`, kind: 'status', status: 200, body: {}, headers: { etag: 'W/"bad"' }, times: 4 })
    await expect(bench.api.getRun(737)).rejects.toBeInstanceOf(MalformedBodyError)
    expect((await bench.api.getRun(737)).id).toBe(737)
    // Unconditional: no ETag of the bad answer was kept to send back.
    expect(bench.apiRequests().map((r) => r.conditional)).toEqual([false, false, false, false, false])
  })

  it('approvals and pending deployments must be arrays', async () => {
    const bench = await start(scenario([ciRun(738, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/738/approvals`, kind: 'empty-object', times: 10 })
    await expect(bench.api.listApprovals(738)).rejects.toThrow(
      `GitHub answered GET ${REPO}/runs/738/approvals with a body that is not a JSON array (a JSON object).`
    )
  })
})

describe('the shapes', () => {
  it('a run needs a numeric id and a string status; a job also a run_id and a name', () => {
    expect(runProblems({ id: 1, status: 'queued' })).toEqual([])
    expect(runProblems({ id: 12345678901234567890n, status: 'queued' })).toEqual([])
    expect(runProblems({ id: '1', status: 'queued' })).toEqual(['no numeric id'])
    expect(runProblems(null)).toEqual(['empty body'])
    expect(runProblems('')).toEqual(['empty body'])
    expect(runProblems([])).toEqual(['a JSON array'])
    expect(runProblems(new ArrayBuffer(3))).toEqual(['not JSON: 3 bytes of binary data'])
    expect(jobProblems({ id: 1, run_id: 2, name: 'x', status: 'completed' })).toEqual([])
    expect(jobProblems({ id: 1, run_id: 2, status: 'completed' })).toEqual(['no string name'])
  })
})
