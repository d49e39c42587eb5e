// Which refusals are rate limits: by status and headers, as GitHub sends them (API-NOTES, "Rate
// limits"), not by a word in a message that a permission error could contain too.
import { describe, expect, it } from '@jest/globals'
import { isRateLimited, statusOf } from '../../src/github/errors.js'

/** Shaped as Octokit's RequestError: a status, GitHub's message, the response's headers. */
const refusal = (status: number, message: string, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(message), { status, response: { status, headers, data: { message } } })

describe('isRateLimited', () => {
  it('a primary limit: 403 or 429 with x-ratelimit-remaining 0', () => {
    expect(isRateLimited(refusal(403, 'API rate limit exceeded for installation ID 1.', { 'x-ratelimit-remaining': '0' }))).toBe(true)
    expect(isRateLimited(refusal(429, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0' }))).toBe(true)
  })

  it('a secondary limit: retry-after, or GitHub’s message when no header came', () => {
    expect(isRateLimited(refusal(403, 'You have exceeded a secondary rate limit.', { 'retry-after': '60' }))).toBe(true)
    expect(isRateLimited(refusal(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'))).toBe(true)
  })

  it('a missing permission is not one, whatever its message says', () => {
    expect(isRateLimited(refusal(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '812' }))).toBe(false)
    expect(isRateLimited(refusal(403, 'Must have admin rights to view rate limit settings', { 'x-ratelimit-remaining': '812' }))).toBe(false)
    expect(isRateLimited(refusal(404, 'Not Found', { 'x-ratelimit-remaining': '0' }))).toBe(false)
    expect(isRateLimited(new Error('rate limit'))).toBe(false)
  })
})

describe('statusOf', () => {
  it('reads a numeric status only', () => {
    expect(statusOf(refusal(502, 'Bad Gateway'))).toBe(502)
    expect(statusOf(Object.assign(new Error('x'), { status: '502' }))).toBeUndefined()
    expect(statusOf(null)).toBeUndefined()
  })
})
