// The sweep's summary: one row per open pull request, untrusted descriptions escaped.
import { describe, expect, it } from '@jest/globals'
import { renderSweep } from '../../src/report/sweep.js'

const row = { number: 12, url: 'https://github.com/octo/app/pull/12', sha: 'abcdef1234567890' }

describe('renderSweep', () => {
  it('links each pull request by number and escapes what was published (names are untrusted)', () => {
    const text = renderSweep('all-green', [{ ...row, before: 'pending', after: { state: 'failure', description: 'Failed: CI › <img src=x> | @admin' } }], 50)
    expect(text).toContain(
      '| [#12](https://github.com/octo/app/pull/12) | `abcdef1` | ⏳ pending | ❌ failure — Failed: CI › &lt;img src=x&gt; &#124; @\u200Dadmin |'
    )
    expect(text).not.toContain('<img')
  })

  it('says what was left alone, left for the next sweep, or could not be judged', () => {
    const text = renderSweep(
      'all-green',
      [
        { ...row, before: 'success', after: null },
        { ...row, number: 13, before: '', after: null, note: 'left' },
        { ...row, number: 14, before: 'absent', after: null, note: 'error', error: 'Not Found (404)' }
      ],
      50
    )
    expect(text).toContain('judged 0, 1 left for the next sweep (at most 50 a step, within the timeout)')
    expect(text).toMatch(/#12\]\S+ \| `abcdef1` \| ✅ success \| final: left alone \|/)
    expect(text).toMatch(/#13\]\S+ \| `abcdef1` \| — \| left for the next sweep \|/)
    expect(text).toContain('⚠️ could not be judged: Not Found &#40;404&#41;')
  })

  it('says when no pull request is open', () => {
    expect(renderSweep('all-green', [], 50)).toContain('No open pull request.')
  })
})
