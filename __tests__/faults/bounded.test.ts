// Rule 2: every HTTP exchange is bounded, the body included, and nothing outlasts the deadline.
// Budgets here are FAST's (a second per exchange, half a second of log silence); the tests count
// requests and read the errors, they do not time anything.
import { describe, expect, it } from '@jest/globals'
import { ciRun, scenario } from '../../__fixtures__/scenarios.js'
import { AmbiguousWriteError, TimeBudgetError, type GitHubApi } from '../../src/github/api.js'
import { collectReport } from '../../src/runs/collect.js'
import type { RunSpec } from '../simulator/index.js'
import { apiBenchPerTest, rejection, STALL_MS } from './bench.js'

const start = apiBenchPerTest()
const REPO = '/repos/octo/app/actions'

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0
  for await (const chunk of stream) bytes += chunk.length
  return bytes
}

async function failedJobId(api: GitHubApi, runId: number): Promise<number> {
  const job = (await api.listJobs(runId)).find((j) => j.conclusion === 'failure')
  if (!job) throw new Error('no failed job')
  return job.id
}

/** A completed run with three failing jobs, each with a log. */
function failures(id: number, names = ['a', 'b', 'c']): RunSpec {
  const failing = (name: string) => ({ name, steps: [{ name: `Run ${name}`, seconds: 1, conclusion: 'failure' as const, log: [`##[error]${name} broke`] }] })
  return { id, workflow: 'ci.yml', attempts: [{ at: -60, jobs: names.map(failing) }] }
}

describe('API answers are bounded, body included', () => {
  it('a GET whose body never comes is given up after its budget and asked again', async () => {
    const bench = await start(scenario([ciRun(710, { at: -60 })]), { timing: { requestMs: 1_000 } })
    bench.sim.inject({ path: `${REPO}/runs/710`, kind: 'stall-after-headers' })
    expect((await bench.api.getRun(710)).status).toBe('completed')
    // Both answered 200 with headers; the first never sent its body.
    expect(bench.apiRequests()).toHaveLength(2)
  }, 10_000)

  it('when the body never comes on any try, it fails after the retries, naming the budget', async () => {
    const bench = await start(scenario([ciRun(711, { at: -60 })]), { timing: { requestMs: STALL_MS } })
    bench.sim.inject({ path: `${REPO}/runs/711`, kind: 'stall-after-headers', times: 10 })
    const error = await rejection(bench.api.getRun(711))
    expect(error.message).toMatch(/GET 127\.0\.0\.1:\d+\/repos\/octo\/app\/actions\/runs\/711: no complete answer within 0\.5s/)
    expect(bench.apiRequests()).toHaveLength(4) // one try and the retry plugin's three
  }, 15_000)

  it('a body cut off mid-way (the length promised more) is asked again', async () => {
    const bench = await start(scenario([ciRun(712, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/712/jobs`, kind: 'truncate-body' })
    expect((await bench.api.listJobs(712)).map((j) => j.name)).toEqual(['build', 'test'])
    expect(bench.apiRequests()).toHaveLength(2)
  })

  it('a body cut short with a clean end (JSON that does not parse) is malformed and asked again', async () => {
    const bench = await start(scenario([ciRun(713, { at: -60 })]))
    bench.sim.inject({ path: `${REPO}/runs/713`, kind: 'truncate-body', then: 'end' })
    expect((await bench.api.getRun(713)).id).toBe(713)
    expect(bench.apiRequests()).toHaveLength(2)
  })

  it('a write whose answer stalls is ambiguous and sent once', async () => {
    const bench = await start(scenario([ciRun(714, { fail: true, at: -60 })]), { timing: { requestMs: STALL_MS } })
    bench.sim.inject({ method: 'POST', path: `${REPO}/runs/714/rerun-failed-jobs`, kind: 'stall-after-headers' })
    const error = await rejection(bench.api.rerunRun(714, 'failed', false))
    expect(error).toBeInstanceOf(AmbiguousWriteError)
    expect(error.message).toMatch(/no complete answer within 0\.5s/)
    expect(bench.apiRequests((r) => r.method === 'POST')).toHaveLength(1)
  }, 10_000)
})

describe('nothing outlasts the deadline', () => {
  it("a request is cut at the step's deadline, long before its own budget, and not retried", async () => {
    const bench = await start(scenario([ciRun(715, { at: -60 })]), { deadlineInMs: 300, timing: { requestMs: 60_000, wrapUpMs: 0 } })
    bench.sim.inject({ path: `${REPO}/runs/715`, kind: 'stall-after-headers', times: 10 })
    const error = await rejection(bench.api.getRun(715))
    expect(error).toBeInstanceOf(TimeBudgetError)
    expect(error).toMatchObject({ kind: 'deadline' })
    expect(error.message).toMatch(/no complete answer before the step's deadline \(0\.3s left\)/)
    expect(bench.apiRequests()).toHaveLength(1)
  }, 10_000)

  it('past the deadline and its wrap-up, nothing is sent at all', async () => {
    const bench = await start(scenario([ciRun(716, { at: -60 })]), { deadlineInMs: 1_000, timing: { wrapUpMs: 5_000 } })
    await bench.clock.sleep(6_000)
    const error = await rejection(bench.api.getRun(716))
    expect(error.message).toMatch(/not sent: the step's deadline has passed/)
    expect(bench.apiRequests()).toHaveLength(0)
  })

  it('in the wrap-up after the deadline, requests still go out (cancel on timeout, the summary), but are not retried', async () => {
    const bench = await start(scenario([ciRun(717, { at: -60 })]), { deadlineInMs: 1_000, timing: { wrapUpMs: 30_000 } })
    await bench.clock.sleep(2_000)
    bench.sim.inject({ path: `${REPO}/runs/717`, kind: 'status', status: 502 })
    await expect(bench.api.getRun(717)).rejects.toMatchObject({ status: 502 })
    expect((await bench.api.getRun(717)).id).toBe(717)
    expect(bench.apiRequests().map((r) => r.status)).toEqual([502, 200])
  })
})

describe('log downloads are bounded', () => {
  it('a log host that sends headers and then nothing is given up after the stall budget, and not asked again', async () => {
    const bench = await start(scenario([ciRun(720, { fail: true, at: -60 })]), { timing: { logStallMs: STALL_MS } })
    const jobId = await failedJobId(bench.api, 720)
    bench.sim.inject({ path: `/logs/${jobId}`, kind: 'stall-after-headers', times: 5 })
    const error = await rejection(drain(bench.api.jobLog(jobId)))
    expect(error).toBeInstanceOf(TimeBudgetError)
    expect(error).toMatchObject({ kind: 'stall' })
    expect(error.message).toMatch(/the log download stalled \(no bytes for 0\.5s\)/)
    // The message names the API endpoint, never the signed storage URL.
    expect(error.message).not.toMatch(/sig=|expires=/)
    expect(bench.sim.requests.filter((r) => r.origin === 'logs')).toHaveLength(1)
  }, 10_000)

  it('a log that stops in the middle is given up when no more bytes come', async () => {
    const bench = await start(scenario([ciRun(721, { fail: true, at: -60 })]), { timing: { logStallMs: STALL_MS } })
    const jobId = await failedJobId(bench.api, 721)
    bench.sim.inject({ path: `/logs/${jobId}`, kind: 'truncate-body', bytes: 100, then: 'stall' })
    let received = 0
    const error = await rejection(
      (async () => {
        for await (const chunk of bench.api.jobLog(jobId)) received += chunk.length
      })()
    )
    expect(received).toBe(100)
    expect(error).toMatchObject({ name: 'TimeBudgetError', kind: 'stall' })
  }, 10_000)

  it('a log download that keeps the line open is cut at its total budget', async () => {
    const bench = await start(scenario([ciRun(722, { fail: true, at: -60 })]), { timing: { logMs: 600, logStallMs: 60_000 } })
    const jobId = await failedJobId(bench.api, 722)
    bench.sim.inject({ path: `/logs/${jobId}`, kind: 'stall-after-headers' })
    const error = await rejection(drain(bench.api.jobLog(jobId)))
    expect(error).toMatchObject({ name: 'TimeBudgetError', kind: 'timeout' })
    expect(error.message).toMatch(/no complete answer within 0\.6s/)
  }, 10_000)

  it('a log host that never answers at all costs one stall budget too', async () => {
    const bench = await start(scenario([ciRun(723, { fail: true, at: -60 })]), { timing: { logStallMs: STALL_MS } })
    const jobId = await failedJobId(bench.api, 723)
    bench.sim.inject({ path: `/logs/${jobId}`, kind: 'delay', ms: 5_000 })
    await expect(drain(bench.api.jobLog(jobId))).rejects.toMatchObject({ name: 'TimeBudgetError', kind: 'stall' })
  }, 10_000)

  it('a run-log archive that stalls is given up the same way', async () => {
    const bench = await start(scenario([ciRun(724, { fail: true, at: -60 })]), { timing: { logStallMs: STALL_MS } })
    bench.sim.inject({ path: /^\/archives\//, kind: 'truncate-body', bytes: 50, then: 'stall' })
    await expect(drain(bench.api.runLogArchive(724))).rejects.toMatchObject({ name: 'TimeBudgetError', kind: 'stall' })
  }, 10_000)

  it('a 502 from the log host is still asked again (a status, not a budget)', async () => {
    const bench = await start(scenario([ciRun(725, { fail: true, at: -60 })]))
    const jobId = await failedJobId(bench.api, 725)
    bench.sim.inject({ path: `/logs/${jobId}`, kind: 'status', status: 502, body: 'Bad Gateway' })
    expect(await drain(bench.api.jobLog(jobId))).toBeGreaterThan(0)
    expect(bench.sim.requests.filter((r) => r.origin === 'logs').map((r) => r.status)).toEqual([502, 200])
  })

  it('the summary notes the logs it could not read, and skips the others once the host stalled', async () => {
    // Three downloads go at once: they stall together (one stall's time), and the other two are
    // not tried.
    const bench = await start(scenario([failures(726, ['a', 'b', 'c', 'd', 'e'])]), { timing: { logStallMs: STALL_MS } })
    const run = await bench.api.getRun(726)
    const jobs = await bench.api.listJobs(726)
    bench.sim.inject({ path: /^\/logs\//, kind: 'stall-after-headers', times: 10 })
    const warnings: string[] = []
    const started = Date.now()
    const report = await collectReport(bench.api, run, jobs, {
      logLines: 5,
      billableTime: false,
      approvals: false,
      log: { info: () => undefined, warning: (line) => warnings.push(line) }
    })
    const stalled = (name: string) =>
      expect.stringMatching(new RegExp(`^Log not read for job '${name}': GET .*/jobs/\\d+/logs: the log download stalled \\(no bytes for 0\\.5s\\)$`))
    expect(report.notes).toHaveLength(4)
    expect(report.notes).toEqual(expect.arrayContaining([stalled('a'), stalled('b'), stalled('c')]))
    expect(report.notes[3]).toBe('Logs of 2 more failed job(s) were not read: the log host did not answer in time.')
    expect(warnings).toEqual(report.notes)
    expect(report.excerpts.size).toBe(0)
    expect(bench.sim.requests.filter((r) => r.origin === 'logs')).toHaveLength(3)
    // In parallel: well under three stalls one after the other.
    expect(Date.now() - started).toBeLessThan(3 * STALL_MS)
  }, 10_000)

  it('a log that fails for another reason is noted and the next logs are still read', async () => {
    const bench = await start(scenario([failures(727)]))
    const run = await bench.api.getRun(727)
    const jobs = await bench.api.listJobs(727)
    bench.sim.inject({ path: /^\/logs\//, kind: 'status', status: 403, body: 'Signed URL expired' })
    const report = await collectReport(bench.api, run, jobs, {
      logLines: 5,
      billableTime: false,
      approvals: false,
      log: { info: () => undefined, warning: () => undefined }
    })
    expect(report.notes).toEqual([expect.stringMatching(/^Log not read for job 'a': Signed URL expired/)])
    expect([...report.excerpts.values()].map((e) => e.errorLines)).toEqual([['b broke'], ['c broke']])
  })
})
