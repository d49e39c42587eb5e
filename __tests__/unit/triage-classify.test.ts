// The pure triage classifier: one failed job against a base branch's runs (newest first) and the
// job lists read of a few of them.
import { describe, expect, it } from '@jest/globals'
import { classifyJob, runsToRead, type BaseExecution, type BaseRun } from '../../src/triage/classify.js'

let nextId = 100
function run(conclusion: string, options: { attempt?: number; sha?: string; id?: number } = {}): BaseRun {
  const id = options.id ?? nextId++
  return {
    id,
    number: id - 90,
    url: `https://github.com/o/r/actions/runs/${id}`,
    attempt: options.attempt ?? 1,
    headSha: options.sha ?? `sha${id}`,
    conclusion
  }
}
function exec(name: string, conclusion: string, attempt = 1): BaseExecution {
  return { id: nextId++, name, attempt, conclusion }
}
function lists(...entries: [BaseRun, BaseExecution[]][]): Map<number, BaseExecution[]> {
  return new Map(entries.map(([r, jobs]) => [r.id, jobs]))
}

describe('classifyJob', () => {
  it('unknown when the base branch has no completed run that passed or failed', () => {
    const cancelled = run('cancelled')
    expect(classifyJob('test', [], new Map())).toMatchObject({ kind: 'unknown', reason: 'no-history', runsRead: 0 })
    expect(classifyJob('test', [cancelled], lists([cancelled, [exec('test', 'cancelled')]]))).toMatchObject({
      kind: 'unknown',
      reason: 'no-history',
      runsRead: 1
    })
  })

  it('new when it passed in the newest base run', () => {
    const newest = run('success')
    const older = run('success')
    const result = classifyJob('test', [newest, older], lists([newest, [exec('test', 'success')]]))
    expect(result).toMatchObject({ kind: 'new', baseRun: newest, failureCount: 0, runsRead: 2, compareWith: null })
  })

  it('known since the oldest run of the failing streak, counted at run level', () => {
    const [a, b, c, d] = [run('failure'), run('failure'), run('failure'), run('success')]
    const failing = exec('test', 'failure')
    const result = classifyJob('test', [a!, b!, c!, d!], lists([a!, [failing]]))
    expect(result).toMatchObject({ kind: 'known', baseRun: a, since: c, streak: 3, failureCount: 3, runsRead: 4, compareWith: failing })
  })

  it('a cancelled base run is neither a failure nor a pass: skipped in the streak and the counts', () => {
    const [a, cancelled, b, c] = [run('failure'), run('cancelled'), run('failure'), run('success')]
    const result = classifyJob('test', [a!, cancelled!, b!, c!], lists([a!, [exec('test', 'failure')]]))
    expect(result).toMatchObject({ kind: 'known', since: b, streak: 2, failureCount: 2, runsRead: 4 })
  })

  it('a cancelled job in the newest base run gives no verdict there: the next run read decides', () => {
    const [a, b] = [run('failure'), run('success')]
    const result = classifyJob('test', [a!, b!], lists([a!, [exec('test', 'cancelled'), exec('build', 'failure')]], [b!, [exec('test', 'success')]]))
    expect(result).toMatchObject({ kind: 'new', baseRun: b })
  })

  it('flaky when it failed and then passed on a re-run of one base run, even though the newest passed', () => {
    const newest = run('success')
    const rerun = run('success', { attempt: 2 })
    const failedFirst = exec('test', 'failure', 1)
    const result = classifyJob('test', [newest, rerun], lists([newest, [exec('test', 'success')]], [rerun, [failedFirst, exec('test', 'success', 2)]]))
    expect(result).toMatchObject({ kind: 'flaky', flakyBy: 'rerun', baseRun: rerun, compareWith: failedFirst })
  })

  it('flaky when two runs of one commit failed then passed', () => {
    const passed = run('success', { sha: 'abc' })
    const failed = run('failure', { sha: 'abc' })
    const failing = exec('test', 'failure')
    const result = classifyJob('test', [passed, failed], lists([passed, [exec('test', 'success')]], [failed, [failing]]))
    expect(result).toMatchObject({ kind: 'flaky', flakyBy: 'same-commit', baseRun: failed, passedRun: passed, compareWith: failing })
  })

  it('flaky when the workflow keeps failing and recovering and this job failed in a run read', () => {
    const runs = [run('success'), run('failure'), run('success'), run('failure'), run('success')]
    const failing = exec('test', 'failure')
    const result = classifyJob('test', runs, lists([runs[0]!, [exec('test', 'success')]], [runs[1]!, [failing]]))
    expect(result).toMatchObject({ kind: 'flaky', flakyBy: 'alternates', baseRun: runs[1], failureCount: 2, runsRead: 5 })
  })

  it('new, not flaky, when the workflow failed once before and recovered', () => {
    const runs = [run('success'), run('failure'), run('success')]
    const result = classifyJob('test', runs, lists([runs[0]!, [exec('test', 'success')]], [runs[1]!, [exec('test', 'failure')]]))
    expect(result.kind).toBe('new')
  })

  it('new when the alternating failures were another job’s', () => {
    const runs = [run('success'), run('failure'), run('success'), run('failure')]
    const result = classifyJob('test', runs, lists([runs[0]!, [exec('test', 'success')]], [runs[1]!, [exec('test', 'success'), exec('lint', 'failure')]]))
    expect(result.kind).toBe('new')
  })

  it('unknown when the newest base run has no job of that name (renamed, or a matrix leg that changed)', () => {
    const newest = run('success')
    const older = run('failure')
    const result = classifyJob(
      'test (node 22)',
      [newest, older],
      lists([newest, [exec('test (node 20)', 'success')]], [older, [exec('test (node 22)', 'failure')]])
    )
    expect(result).toMatchObject({ kind: 'unknown', reason: 'not-matched', baseRun: newest })
  })
})

describe('runsToRead', () => {
  it('the newest, the newest failing, then up to 3 re-run ones, 5 at most', () => {
    const runs = [
      run('success'),
      run('cancelled', { attempt: 2 }),
      run('success', { attempt: 2 }),
      run('failure'),
      run('failure', { attempt: 3 }),
      run('success', { attempt: 2 }),
      run('success', { attempt: 2 }),
      run('success', { attempt: 2 })
    ]
    const read = runsToRead(runs).map((r) => r.id)
    expect(read).toEqual([runs[0]!.id, runs[3]!.id, runs[2]!.id, runs[5]!.id, runs[6]!.id])
  })

  it('two runs of one commit, the failed one and the passed one', () => {
    const runs = [run('success', { sha: 'x' }), run('success'), run('failure', { sha: 'x' })]
    expect(runsToRead(runs).map((r) => r.id)).toEqual([runs[0]!.id, runs[2]!.id])
  })
})
