// The progress lines of a long delete and the warnings before it starts.
import { describe, expect, it } from '@jest/globals'
import { deletePlanWarnings, deleteTime, DeleteProgress } from '../../src/commands/delete/progress.js'
import { notDeletedMessage } from '../../src/commands/delete/index.js'

function collect(): { lines: string[]; log: { info: (line: string) => void; warning: (line: string) => void } } {
  const lines: string[] = []
  return { lines, log: { info: (line) => lines.push(line), warning: (line) => lines.push(`warning: ${line}`) } }
}

describe('DeleteProgress', () => {
  it('says how far it has got every 30 s when deletes go at the paced rate', () => {
    let now = 0
    const { lines, log } = collect()
    const progress = new DeleteProgress(2500, 'runs', { now: () => now }, log)
    for (let i = 0; i < 95; i++) {
      now += 1000 // one a second
      progress.handledOne(i === 40 ? 'gone' : i === 50 ? 'failed' : 'deleted')
    }
    expect(lines).toEqual([
      'Progress: deleted 30 of 2500, 2470 left, about 42 min to go at one a second.',
      'Progress: deleted 58 of 2500 (1 already gone, 1 not deleted), 2440 left, about 41 min to go at one a second.',
      'Progress: deleted 88 of 2500 (1 already gone, 1 not deleted), 2410 left, about 41 min to go at one a second.'
    ])
  })

  it('every 100 runs when they go faster, and never after the last one', () => {
    const { lines, log } = collect()
    const progress = new DeleteProgress(250, 'logs', { now: () => 0 }, log)
    for (let i = 0; i < 250; i++) progress.handledOne('deleted')
    expect(lines).toEqual([
      'Progress: deleted the logs of 100 of 250 runs, 150 left, about 3 min to go at one a second.',
      'Progress: deleted the logs of 200 of 250 runs, 50 left, less than a minute to go at one a second.'
    ])
  })

  it('estimates a second per run', () => {
    expect(deleteTime(59)).toBe('less than a minute')
    expect(deleteTime(60)).toBe('about 1 min')
    expect(deleteTime(1000)).toBe('about 17 min')
    expect(deleteTime(2500)).toBe('about 42 min')
  })
})

describe('deletePlanWarnings', () => {
  it('warns when the timeout or the hour’s requests will not last, and only then', () => {
    expect(deletePlanWarnings(1000, 1_800_000, 1_800_000, { remaining: 4000, limit: 5000 })).toEqual([])
    expect(deletePlanWarnings(2500, 1_790_000, 1_800_000, { remaining: null, limit: null })).toEqual([
      "Deleting 2500 runs takes about 42 min at one a second, more than the 29m 50s left of 'timeout' (30m 00s): the runs not reached then are reported as not deleted and the step fails. Raise 'timeout' (e.g. 51m) or delete in several steps (older-than, created)."
    ])
    const [rate] = deletePlanWarnings(2500, 7_200_000, 7_200_000, { remaining: 990, limit: 1000 })
    expect(rate).toBe(
      "The token has 990 of its 1000 API requests left this hour and deleting 2500 runs takes one each: when they run out, deleting waits for the hourly reset (within 'timeout'). GITHUB_TOKEN has 1,000 requests an hour per repository; a GitHub App or a personal access token has 5,000 or more."
    )
  })
})

describe('notDeletedMessage', () => {
  it('names the first ten runs not deleted and counts the rest', () => {
    const failed = Array.from({ length: 700 }, (_, i) => `CI #${i + 1} (run ${i + 1}): not deleted: the timeout (30m 00s) ran out first`)
    const [message] = notDeletedMessage(failed)
    expect(message).toMatch(/^700 run\(s\) not deleted: CI #1 \(run 1\): not deleted: the timeout/)
    expect(message).toContain('CI #10 (run 10)')
    expect(message).not.toContain('CI #11 (run 11)')
    expect(message).toMatch(/; and 690 more \(the summary lists them\)$/)
    expect(notDeletedMessage(failed.slice(0, 2))).toEqual([`2 run(s) not deleted: ${failed[0]}; ${failed[1]}`])
    expect(notDeletedMessage([])).toEqual([])
  })
})
