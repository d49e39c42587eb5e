// The check-run signal's choices that the simulator cannot provoke: what a refused read means.
import { describe, expect, it } from '@jest/globals'
import { aRun } from '../../__fixtures__/runs.js'
import type { GitHubApi } from '../../src/github/api.js'
import { checkRunSignal, type SignalWatch } from '../../src/commands/wait/check-runs.js'
import { ServerTime } from '../../src/github/server-time.js'

/** An error shaped as Octokit's RequestError: a status and GitHub's message. */
const refusal = (status: number, message: string): Error => Object.assign(new Error(message), { status })

function signalFailingWith(error: Error) {
  const lines: string[] = []
  const api = { listCompletedCheckRuns: () => Promise.reject(error) } as unknown as GitHubApi
  const clock = { now: () => Date.parse('2026-11-21T11:00:00Z'), sleep: async () => {} }
  const signal = checkRunSignal(
    { api, clock, serverTime: new ServerTime(clock.now), log: { info: (l) => lines.push(l), warning: (l) => lines.push(l) } },
    new Set(['success'])
  )
  const going: SignalWatch[] = [{ run: aRun({ status: 'in_progress', conclusion: null }), logged: new Map() }]
  return { look: () => signal.look(going, 30_000, 'failure'), lines }
}

describe('a refused check-run read', () => {
  it('without checks: read (403 not accessible, or 404): job lists from then on, said once', async () => {
    for (const error of [refusal(403, 'Resource not accessible by integration'), refusal(404, 'Not Found')]) {
      const { look, lines } = signalFailingWith(error)
      await expect(look()).resolves.toBeNull()
      await expect(look()).resolves.toBeNull()
      expect(lines.filter((l) => l.includes("needs 'checks: read'"))).toHaveLength(1)
    }
  })

  it('a rate limit the client gave up on is an error, not a missing permission', async () => {
    const { look, lines } = signalFailingWith(refusal(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'))
    await expect(look()).rejects.toThrow('secondary rate limit')
    expect(lines).toEqual([])
  })

  it('a server error is the caller’s to retry', async () => {
    await expect(signalFailingWith(refusal(502, 'Bad Gateway')).look()).rejects.toThrow('Bad Gateway')
  })
})
