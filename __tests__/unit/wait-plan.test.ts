// The wait loop's read scheduling on its own: from the watcher's state, the last answers and both
// clocks (monotonic `mono`, GitHub's `server`), what to read next and when.
import { describe, expect, it } from '@jest/globals'
import { aJob, aRun, at, T0 } from '../../__fixtures__/runs.js'
import {
  announcesLowBudget,
  confirmation,
  decidingWatches,
  discoveryStaysOpen,
  estimateDue,
  failFastWatches,
  gateAfterLook,
  jobListNeeded,
  newState,
  newWatch,
  nextPause,
  ownJobOf,
  pollInterval,
  refreshDue,
  refreshTurn,
  runningWatches,
  settleAfterRead,
  skipsRead,
  supersededByLatest,
  verdictWithoutJobs,
  WAITING,
  type Budget,
  type PollCause,
  type Watch,
  type WatchPlan,
  type WatchState
} from '../../src/commands/wait/plan.js'
import type { GateRules, RunVerdict } from '../../src/commands/wait/verdict.js'
import type { Job, Run } from '../../src/github/types.js'

const rules: GateRules = { allowed: new Set(['success', 'neutral']), jobPatterns: [], failFast: true }
const CURRENT = 555
const POLL = 10_000
const PASSED: RunVerdict = { kind: 'passed', conclusion: 'success', detail: 'success' }
const running = (overrides: Partial<Run> = {}): Run => aRun({ status: 'in_progress', conclusion: null, runStartedAt: at(0), ...overrides })

function aWatch(overrides: Partial<Watch> = {}, run: Run = running()): Watch {
  return { ...newWatch(run, false), ...overrides }
}

const plan: WatchPlan = {
  given: [],
  discovery: { workflows: [], filters: {}, latestOnly: false },
  rules,
  timeoutMs: 600_000,
  pollIntervalMs: POLL,
  appearTimeoutMs: 60_000,
  ownJobId: null,
  arrived: new Map()
}

function aState(watches: Watch[], overrides: Partial<WatchState> = {}): WatchState {
  const state = newState(plan, 0)
  for (const w of watches) state.watches.set(w.run.id, w)
  return { ...state, ...overrides }
}

describe('refreshDue: a fail-fast look at a running run', () => {
  // The run started at T0 (GitHub's clock); its jobs were last read at `readAt` (monotonic).
  const cases: [string, Partial<GateRules>, number, number, number, boolean][] = [
    ['due: 30 s since the last read and since the start', {}, -Infinity, 100_000, T0 + 30_000, true],
    ["not yet: the run started less than 30 s ago on GitHub's clock", {}, -Infinity, 100_000, T0 + 29_999, false],
    ['not yet: read less than 30 s ago on the monotonic clock', {}, 80_000, 100_000, T0 + 60_000, false],
    ['due again 30 s after the last read', {}, 70_000, 100_000, T0 + 60_000, true],
    ['never without fail-fast', { failFast: false }, -Infinity, 100_000, T0 + 60_000, false]
  ]
  it.each(cases)('%s', (_name, ruleOverrides, readAt, mono, server, due) => {
    expect(refreshDue(aWatch({ jobsReadAt: readAt }), { ...rules, ...ruleOverrides }, POLL, { mono, server })).toBe(due)
  })

  it('a poll interval longer than 30 s is the interval', () => {
    expect(refreshDue(aWatch({ jobsReadAt: 0 }), rules, 45_000, { mono: 40_000, server: T0 + 100_000 })).toBe(false)
    expect(refreshDue(aWatch({ jobsReadAt: 0 }), rules, 45_000, { mono: 45_000, server: T0 + 100_000 })).toBe(true)
  })
})

describe('refreshTurn: one fail-fast job read per poll', () => {
  const now = { mono: 1_000_000, server: T0 + 1_000_000 }
  const a = aWatch({ jobsReadAt: 500_000 }, running({ id: 1, checkSuiteId: null }))
  const b = aWatch({ jobsReadAt: 400_000 }, running({ id: 2, checkSuiteId: null }))
  const c = aWatch({ jobsReadAt: 100_000 }, running({ id: 3, checkSuiteId: 33 }))
  const fresh = aWatch({ jobsReadAt: 990_000 }, running({ id: 4, checkSuiteId: null }))
  const cases: [string, Watch[], boolean, Watch | undefined][] = [
    ['without check runs: the run read longest ago, suite or not', [a, b, c], false, c],
    ['with check runs: only the runs they cannot watch (no suite)', [a, b, c], true, b],
    ['a run read recently is not due', [fresh], false, undefined],
    ['nothing going, no turn', [], false, undefined]
  ]
  it.each(cases)('%s', (_name, going, checkRunsReadable, turn) => {
    expect(refreshTurn(going, checkRunsReadable, rules, POLL, now)).toBe(turn)
  })
})

describe('which runs are going, fail-fast and deciding', () => {
  const queued = aWatch({}, running({ id: 1, status: 'queued' }))
  const going = aWatch({ jobsReadAt: 5 }, running({ id: 2, checkSuiteId: 22 }))
  const decided = aWatch({ verdict: PASSED }, running({ id: 3 }))
  const completed = aWatch({}, aRun({ id: 4 }))
  const current = aWatch({ jobsReadAt: 5 }, running({ id: CURRENT, checkSuiteId: 55 }))
  const currentUnread = aWatch({}, running({ id: CURRENT, checkSuiteId: 55 }))
  const currentQuiet = aWatch({ jobsReadAt: 5, quietReads: 1 }, running({ id: CURRENT, checkSuiteId: 55 }))
  const noSuite = aWatch({ jobsReadAt: 5 }, running({ id: 6, checkSuiteId: null }))

  it('running: undecided with jobs that may still end, as the listing shows them', () => {
    expect(runningWatches([queued, going, decided, completed], new Map()).map((w) => w.run.id)).toEqual([2])
    // The listing shows run 1 started and run 2 completed.
    const listed = new Map([
      [1, running({ id: 1 })],
      [2, aRun({ id: 2 })]
    ])
    expect(runningWatches([queued, going], listed).map((w) => w.run.id)).toEqual([1])
  })

  const cases: [string, Watch[], Partial<GateRules>, number[], number[]][] = [
    ['fail-fast watches the runs whose jobs do not decide; the current run decides', [going, current, noSuite], {}, [2, 6], [CURRENT]],
    ['no fail-fast: nothing to watch for failures', [going, current], { failFast: false }, [], [CURRENT]],
    ['a `job` gate: every run decides by its jobs', [going, noSuite], { jobPatterns: ['build'] }, [], [2]],
    ['deciding needs a check suite, a first job read, and no quiet read pending', [currentUnread, currentQuiet, noSuite], { jobPatterns: ['build'] }, [], []]
  ]
  it.each(cases)('%s', (_name, watches, ruleOverrides, failFast, deciding) => {
    const r = { ...rules, ...ruleOverrides }
    expect(failFastWatches(watches, new Map(), r, CURRENT).map((w) => w.run.id)).toEqual(failFast)
    expect(decidingWatches(watches, new Map(), r, CURRENT).map((w) => w.run.id)).toEqual(deciding)
  })
})

describe('jobListNeeded', () => {
  const cause = (overrides: Partial<PollCause> = {}): PollCause => ({ runChanged: false, refreshTurn: false, quietBySignal: false, ...overrides })
  const NOW = 100_000
  const cases: [string, Partial<Watch>, Run, PollCause, Partial<GateRules>, boolean][] = [
    ['a decided run: never', { verdict: PASSED }, aRun(), cause({ runChanged: true }), {}, false],
    ['a queued run has no jobs to list', {}, running({ status: 'queued' }), cause({ runChanged: true, refreshTurn: true }), {}, false],
    ['completed and changed: the final list', {}, aRun(), cause({ runChanged: true }), {}, true],
    ['completed, unchanged: not again', { jobsReadAt: 0 }, aRun(), cause(), {}, false],
    ['completed, unchanged but settling: read again', { completedPolls: 1 }, aRun(), cause(), {}, true],
    ['running, only failures decide: on its turn', {}, running(), cause({ refreshTurn: true }), {}, true],
    ['running, only failures decide: not on a change alone', {}, running(), cause({ runChanged: true }), {}, false],
    ['jobs decide: on a change', { jobsReadAt: NOW }, running(), cause({ runChanged: true }), { jobPatterns: ['b'] }, true],
    ['jobs decide: every poll interval without a signal', { jobsReadAt: NOW - POLL }, running(), cause(), { jobPatterns: ['b'] }, true],
    ['jobs decide: not within the poll interval', { jobsReadAt: NOW - POLL + 1 }, running(), cause(), { jobPatterns: ['b'] }, false],
    ['jobs decide: the check runs say nothing ended', { jobsReadAt: 0 }, running(), cause({ quietBySignal: true }), { jobPatterns: ['b'] }, false],
    [
      'jobs decide: the check runs say a job ended',
      { jobsReadAt: NOW },
      running(),
      cause({ refreshTurn: true, quietBySignal: false }),
      { jobPatterns: ['b'] },
      true
    ],
    ['the current run decides by its jobs too', { jobsReadAt: 0 }, running({ id: CURRENT }), cause(), {}, true]
  ]
  it.each(cases)('%s', (_name, watchOverrides, run, c, ruleOverrides, needed) => {
    expect(jobListNeeded(aWatch(watchOverrides, run), run, c, { ...rules, ...ruleOverrides }, CURRENT, POLL, NOW)).toBe(needed)
  })
})

describe('verdictWithoutJobs: a completed run that passed needs no job list', () => {
  const done = (conclusion: string): Run => aRun({ status: 'completed', conclusion })
  const cases: [string, Partial<Watch>, Run, Partial<GateRules>, RunVerdict['kind'] | null][] = [
    ['passed by its conclusion', {}, done('success'), {}, 'passed'],
    ['neutral, allowed', {}, done('neutral'), {}, 'passed'],
    ['skipped as a whole, not named: does not count', {}, done('skipped'), {}, 'not-counted'],
    ['failed: its job list says why', {}, done('failure'), {}, null],
    ['cancelled: its job list (and a newer run) decide', {}, done('cancelled'), {}, null],
    ['skipped, of a named workflow: fails, read', { named: true }, done('skipped'), {}, null],
    ['still going', {}, running(), {}, null],
    ['given by id: shown in full', { given: true }, done('success'), {}, null],
    ['`job` patterns must match in it', {}, done('success'), { jobPatterns: ['build'] }, null],
    ['the current run', {}, aRun({ id: CURRENT, status: 'completed', conclusion: 'success' }), {}, null],
    ['already decided', { verdict: PASSED }, done('success'), {}, null]
  ]
  it.each(cases)('%s', (_name, watch, run, over, kind) => {
    expect(verdictWithoutJobs(aWatch(watch, run), run, { ...rules, ...over }, CURRENT)?.kind ?? null).toBe(kind)
  })
})

describe('settleAfterRead: when a job list is trusted as final', () => {
  const done = (id: number): Job => aJob({ id, status: 'completed', conclusion: 'success' })
  const going = (id: number): Job => aJob({ id, status: 'in_progress', conclusion: null })
  const own = { ownJobId: 1 }
  const cases: [string, Job[], number, number, Run, { ownJobId: number } | null, { quietReads: number; completedPolls: number; settled: boolean }][] = [
    ['completed run, list agrees: nothing to settle, no poll counted', [done(2)], 0, 0, aRun(), null, { quietReads: 0, completedPolls: 0, settled: false }],
    ['completed run, list lags: one settle poll more', [going(2)], 0, 0, aRun(), null, { quietReads: 0, completedPolls: 1, settled: false }],
    ['…still lagging after 3 polls: one more', [going(2)], 0, 2, aRun(), null, { quietReads: 0, completedPolls: 3, settled: false }],
    ['…still lagging after 3 more polls: trusted', [going(2)], 0, 3, aRun(), null, { quietReads: 0, completedPolls: 4, settled: true }],
    ['a running run is not settling', [going(2)], 0, 0, running(), null, { quietReads: 0, completedPolls: 0, settled: false }],
    ['current run: the first quiet read is not enough', [going(1), done(2)], 0, 0, running(), own, { quietReads: 1, completedPolls: 0, settled: false }],
    ['current run: two quiet reads in a row settle', [going(1), done(2)], 1, 0, running(), own, { quietReads: 2, completedPolls: 0, settled: true }],
    ['current run: a job still going resets the count', [going(1), going(3)], 1, 0, running(), own, { quietReads: 0, completedPolls: 0, settled: false }]
  ]
  it.each(cases)('%s', (_name, jobs, quietReads, completedPolls, run, current, expected) => {
    expect(settleAfterRead({ jobs, quietReads, completedPolls }, run, current)).toEqual(expected)
  })
})

describe('ownJobOf', () => {
  const mine = aJob({ id: 7, status: 'in_progress', conclusion: null, runnerName: 'runner-1' })
  it.each<[string, number | null, Job[], string, number | null | 'throws']>([
    ['another run: none', 42, [], 'runner-1', null],
    ['job-id given', 42, [], 'runner-1', 42],
    ['found by this runner', null, [mine], 'runner-1', 7],
    ['no runner name: cannot tell', null, [mine], '', 'throws'],
    ['no runner name on either side: still cannot tell', null, [aJob({ id: 8, status: 'in_progress', conclusion: null, runnerName: '' })], '', 'throws'],
    ['two jobs on this runner: cannot tell', null, [mine, { ...mine, id: 9 }], 'runner-1', 'throws']
  ])('%s', (name, ownJobId, jobs, runnerName, expected) => {
    const run = running({ id: name.startsWith('another') ? 1 : CURRENT })
    const call = () => ownJobOf(aWatch({ jobs }, run), CURRENT, ownJobId, runnerName)
    if (expected === 'throws') expect(call).toThrow(/job-id/)
    else expect(call()).toEqual(expected === null ? null : { ownJobId: expected })
  })
})

describe('skipsRead and supersededByLatest', () => {
  it('only a decided pinned attempt that the listing did not show is not read again', () => {
    expect(skipsRead(aWatch({ verdict: PASSED, pinnedAttempt: 1 }), false)).toBe(true)
    expect(skipsRead(aWatch({ verdict: PASSED, pinnedAttempt: 1 }), true)).toBe(false)
    expect(skipsRead(aWatch({ verdict: PASSED }), false)).toBe(false)
    expect(skipsRead(aWatch({ pinnedAttempt: 1 }), false)).toBe(false)
  })

  it('latest-only: a run the listing no longer shows is replaced by a listed one of its workflow, event and branch', () => {
    const old = aWatch({}, aRun({ id: 1, workflowId: 7, event: 'push', headBranch: 'main' }))
    const otherEvent = aWatch({}, aRun({ id: 2, workflowId: 7, event: 'pull_request', headBranch: 'main' }))
    const listedOne = aWatch({}, aRun({ id: 3, workflowId: 7, event: 'push', headBranch: 'main' }))
    const listed = new Map([[3, listedOne.run]])
    expect(supersededByLatest([old, otherEvent, listedOne], listed).map((w) => w.run.id)).toEqual([1])
  })
})

describe('the closing look: discovery closes on a listing made after the last chain could start', () => {
  const completedAt = (seconds: number, id = 1) => aWatch({ verdict: PASSED }, aRun({ id, updatedAt: at(seconds) }))
  const cases: [string, Watch[], number[], number, number | null, boolean][] = [
    ['an undecided run: not known yet', [completedAt(0), aWatch()], [], T0 + 60_000, null, false],
    ['10 s after the last completion', [completedAt(0, 1), completedAt(20, 2)], [], T0 + 29_999, T0 + 30_000, false],
    ['a listing at that moment closes it', [completedAt(0, 1), completedAt(20, 2)], [], T0 + 30_000, T0 + 30_000, true],
    ['decided while going, just now: one more listing', [aWatch({ verdict: PASSED }, running({ id: 3 }))], [], T0 + 60_000, Infinity, false],
    ['decided while going before this listing: this one closes', [aWatch({ verdict: PASSED }, running({ id: 3 }))], [3], T0, -Infinity, true]
  ]
  it.each(cases)('%s', (_name, watches, decidedBefore, listedAt, confirmAt, confirmed) => {
    expect(confirmation(watches, new Set(decidedBefore), listedAt)).toEqual({ confirmAt, confirmed })
  })
})

describe('discoveryStaysOpen and the gate', () => {
  const decided = aWatch({ verdict: PASSED }, aRun({ id: 1 }))
  const cases: [string, boolean, Watch[], Partial<WatchState>, number, boolean][] = [
    ['no discovery: never', false, [], {}, 0, false],
    ['in the appear window', true, [decided], { confirmed: true }, 59_999, true],
    ['after it, every run decided and confirmed: closed', true, [decided], { confirmed: true }, 60_000, false],
    ['a run undecided: open', true, [decided, aWatch({}, running({ id: 2 }))], { confirmed: true }, 60_000, true],
    ['not confirmed: open', true, [decided], { confirmed: false }, 60_000, true]
  ]
  it.each(cases)('%s', (_name, discovering, watches, overrides, mono, open) => {
    expect(discoveryStaysOpen(aState(watches, overrides), discovering, mono)).toBe(open)
  })

  it('the gate: decided, waiting, or timed out at the deadline', () => {
    const decidedState = aState([decided], { discoveryOpen: false })
    expect(gateAfterLook(decidedState, rules, 0).kind).toBe('finished')
    const waiting = aState([aWatch({ verdict: WAITING })], { discoveryOpen: false })
    expect(gateAfterLook(waiting, rules, 599_999).kind).toBe('waiting')
    expect(gateAfterLook(waiting, rules, 600_000).kind).toBe('timeout')
    // A decided gate wins over the deadline.
    expect(gateAfterLook(decidedState, rules, 600_000).kind).toBe('finished')
  })
})

describe('the pause: low budget and the closing look', () => {
  const reset = T0 + 30 * 60_000
  const budget = (remaining: number | null, resetMs: number | null = reset): Budget => ({ remaining, resetMs })
  const cases: [string, Budget, number, number, number][] = [
    ['budget unknown: the poll interval', budget(null), POLL, T0, POLL],
    ['budget fine: the poll interval', budget(50), POLL, T0, POLL],
    ['budget low: once a minute', budget(49), POLL, T0, 60_000],
    ['…but not past the reset', budget(49), POLL, reset - 20_000, 20_000],
    ['…and never faster than the poll interval', budget(49), POLL, reset - 1_000, POLL],
    ['reset passed or unknown: once a minute', budget(10, null), POLL, T0, 60_000],
    ['a poll interval over a minute stays', budget(0), 120_000, T0, 120_000]
  ]
  it.each(cases)('%s', (_name, b, interval, server, expected) => {
    expect(pollInterval(b, interval, server)).toBe(expected)
  })

  it('the low budget is announced once per reset window', () => {
    expect(announcesLowBudget(budget(49), undefined)).toBe(true)
    expect(announcesLowBudget(budget(49), reset)).toBe(false)
    expect(announcesLowBudget(budget(49, reset + 3_600_000), reset)).toBe(true)
    expect(announcesLowBudget(budget(50), undefined)).toBe(false)
    expect(announcesLowBudget(budget(null), undefined)).toBe(false)
  })

  const decided = aWatch({ verdict: PASSED }, aRun({ id: 1 }))
  const pauses: [string, Watch[], Partial<WatchState>, number, number, number][] = [
    ['a poll interval', [aWatch()], {}, 100_000, T0, POLL],
    ['only the closing look missing: at its moment', [decided], { confirmAt: T0 + 4_000 }, 100_000, T0, 4_000],
    ['…at once when it is past', [decided], { confirmAt: T0 - 1 }, 100_000, T0, 0],
    ['…but not in the appear window', [decided], { confirmAt: T0 + 4_000 }, 59_999, T0, POLL],
    ['…nor while a run is undecided', [decided, aWatch({}, running({ id: 2 }))], { confirmAt: T0 + 4_000 }, 100_000, T0, POLL],
    ['…nor once confirmed', [decided], { confirmAt: T0 + 4_000, confirmed: true }, 100_000, T0, POLL],
    ['never past the deadline', [aWatch()], {}, 595_000, T0, 5_000],
    ['the deadline passed: no pause', [aWatch()], {}, 601_000, T0, 0]
  ]
  it.each(pauses)('%s', (_name, watches, overrides, mono, server, expected) => {
    expect(nextPause(aState(watches, overrides), budget(null), POLL, { mono, server })).toBe(expected)
  })

  it('the expected finishes are read once, after a minute', () => {
    expect(estimateDue(aState([]), 59_999)).toBe(false)
    expect(estimateDue(aState([]), 60_000)).toBe(true)
    expect(estimateDue(aState([], { estimated: true }), 120_000)).toBe(false)
  })
})
