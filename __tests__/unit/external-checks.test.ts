// The external checks' judge (pure): which check runs and statuses `checks` names, how each
// stands, and which named ones have not reported.
import { describe, expect, it } from '@jest/globals'
import { judgeExternal, withExternal, type ExternalRules } from '../../src/commands/wait/external-checks.js'
import type { CheckRun, CommitStatus } from '../../src/github/types.js'

const NOW = Date.parse('2026-12-07T12:10:00Z')
const checkRun = (name: string, app: string, status: string, conclusion: string | null = null): CheckRun => ({
  id: name.length,
  name,
  status,
  conclusion,
  checkSuiteId: 1,
  startedAt: '2026-12-07T12:00:00Z',
  completedAt: status === 'completed' ? '2026-12-07T12:02:00Z' : null,
  app,
  url: `https://${app}.example/${name}`
})
const status = (context: string, state: string): CommitStatus => ({
  id: context.length,
  context,
  state,
  description: null,
  targetUrl: null,
  creator: null,
  createdAt: '2026-12-07T12:00:00Z',
  updatedAt: '2026-12-07T12:00:00Z'
})
const rules = (patterns: string[], ownContext: string | null = 'all-green'): ExternalRules => ({
  patterns,
  ownContext,
  allowed: new Set(['success', 'neutral'])
})

describe('judgeExternal', () => {
  it("counts other apps' check runs and statuses the patterns name; never GitHub Actions' own check runs", () => {
    const standing = judgeExternal(
      [
        checkRun('Preview', 'vercel', 'completed', 'failure'),
        checkRun('Preview', 'github-actions', 'completed', 'success'),
        checkRun('Lint', 'eslint-bot', 'in_progress')
      ],
      [status('codecov/patch', 'success'), status('ci/legacy', 'error')],
      rules(['Preview', 'codecov/*']),
      NOW
    )
    expect(standing.checks.map((c) => [c.name, c.kind, c.app, c.standing])).toEqual([
      ['Preview', 'check run', 'vercel', 'failed'],
      ['codecov/patch', 'status', null, 'passed']
    ])
    expect(standing.missing).toEqual([])
  })

  it('a check run passes with an allowed conclusion; a status with success; a pending one is pending', () => {
    const standing = judgeExternal(
      [checkRun('a', 'x', 'completed', 'neutral'), checkRun('b', 'x', 'completed', 'skipped'), checkRun('c', 'x', 'queued')],
      [status('d', 'pending'), status('e', 'failure')],
      rules(['*']),
      NOW
    )
    expect(standing.checks.map((c) => `${c.name}:${c.standing}`)).toEqual(['a:passed', 'b:failed', 'c:pending', 'd:pending', 'e:failed'])
  })

  it("names without a wildcard that match nothing are missing; globs are not; the gate's own context is neither counted nor awaited", () => {
    const standing = judgeExternal([], [status('All-Green', 'failure')], rules(['Preview', 'deploy/*', 'all-green', '*']), NOW)
    expect(standing.checks).toEqual([])
    expect(standing.missing).toEqual(['Preview'])
  })

  it("a running check run's duration runs to GitHub's now, given by the caller", () => {
    const [running] = judgeExternal([checkRun('Preview', 'vercel', 'in_progress')], [], rules(['Preview']), NOW).checks
    expect(running?.durationMs).toBe(10 * 60_000)
  })
})

describe('withExternal', () => {
  const failed = judgeExternal([checkRun('Preview', 'vercel', 'completed', 'failure')], [], rules(['Preview']), NOW)
  const pending = judgeExternal([checkRun('Preview', 'vercel', 'in_progress')], [], rules(['Preview']), NOW)
  const unseen = judgeExternal([], [], rules(['Preview']), NOW)
  const facts = { failFast: true, appearOver: false, timedOut: false }

  it('a failed check ends a waiting gate under fail-fast only', () => {
    expect(withExternal({ kind: 'waiting' }, failed, facts)).toEqual({ kind: 'failed-fast' })
    expect(withExternal({ kind: 'waiting' }, failed, { ...facts, failFast: false })).toEqual({ kind: 'waiting' })
  })

  it('pending or unseen checks hold a finished gate open until the timeout; an unseen one ends it after the appear window', () => {
    expect(withExternal({ kind: 'finished' }, pending, facts)).toEqual({ kind: 'waiting' })
    expect(withExternal({ kind: 'finished' }, pending, { ...facts, timedOut: true })).toEqual({ kind: 'timeout' })
    expect(withExternal({ kind: 'finished' }, unseen, facts)).toEqual({ kind: 'waiting' })
    expect(withExternal({ kind: 'finished' }, unseen, { ...facts, appearOver: true })).toEqual({
      kind: 'none-found',
      reason: "no check run or status named 'Preview'"
    })
    expect(withExternal({ kind: 'finished' }, null, facts)).toEqual({ kind: 'finished' })
  })
})
