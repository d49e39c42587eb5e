// The step cancelled (SIGINT from the runner) mid-command, in process: the command stops at the
// next check, sends no further write, and reports what it knew, writes already made included.
import { describe, expect, it } from '@jest/globals'
import { flakyRun, longRun, scenario } from '../../__fixtures__/scenarios.js'
import { benchPerTest, parsed, writes } from './setup.js'

const start = benchPerTest()

describe('a cancelled step', () => {
  it('mid-wait: stops polling and reports result=cancelled with what it saw', async () => {
    const bench = await start(scenario([longRun(850)]))
    const run = await bench.run({ command: 'wait', 'run-id': '850', 'poll-interval': '1s' }, {}, { stopAfterMs: 5000 })
    expect(run.verdict.result).toBe('cancelled')
    expect(run.outputs).toMatchObject({ result: 'cancelled', status: 'in_progress', conclusion: '' })
    expect(run.summary).toContain('🛑 Cancelled after 5s')
    expect(run.tookMs).toBe(5000)
    // No log, timing or approvals request after the signal: seconds count now.
    expect(run.requests.some((r) => r.path.endsWith('/timing') || r.path.endsWith('/approvals'))).toBe(false)
  })

  it('mid-cancel: the cancel already sent is reported as sent, not verified', async () => {
    const bench = await start(scenario([{ ...longRun(851), ignoresCancel: true }]))
    const run = await bench.run({ command: 'cancel', 'run-id': '851', 'poll-interval': '1s', 'force-after': '60s' }, {}, { stopAfterMs: 3000 })
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/851/cancel'])
    expect(run.outputs).toMatchObject({ result: 'cancelled', 'cancelled-run-ids': '[]' })
    expect(run.summary).toContain('sent, not verified')
    expect(run.summary).toContain('cancel requested, still in&#95;progress when this step was cancelled')
  })

  it('mid-rerun: the re-run already requested is reported (reran=true), the wait is not', async () => {
    const bench = await start(scenario([flakyRun(852, { at: -30 })]))
    const run = await bench.run({ command: 'rerun', 'run-id': '852', wait: 'true', 'poll-interval': '1s' }, {}, { stopAfterMs: 1000 })
    expect(writes(run)).toEqual(['POST /repos/octo/app/actions/runs/852/rerun-failed-jobs'])
    expect(run.outputs).toMatchObject({ result: 'cancelled', reran: 'true' })
    expect(run.summary).toContain('attempt 2 requested')
    expect(parsed<number[]>(run, 'run-ids')).toEqual([852])
  })
})
