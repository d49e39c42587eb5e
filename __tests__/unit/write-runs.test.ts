// The write skeleton's promises, with a made-up command and no API: every run is planned before
// the first write, a write is sent once (a lost reply is read back, never sent again), and the
// dry-run and stop guards send nothing.
import { describe, expect, it } from '@jest/globals'
import { aRun } from '../../__fixtures__/runs.js'
import { AmbiguousWriteError } from '../../src/github/errors.js'
import type { Run } from '../../src/github/types.js'
import { writeRuns, type RunPlan, type WriteCommand, type WriteResult } from '../../src/commands/shared/write-runs.js'

const runs = [aRun({ id: 1, runNumber: 1 }), aRun({ id: 2, runNumber: 2 }), aRun({ id: 3, runNumber: 3 })]
const plans: Record<number, RunPlan<string>> = {
  1: { kind: 'skip', reason: 'nothing to poke' },
  2: { kind: 'write', write: 'poke' },
  3: { kind: 'fail', reason: 'cannot be poked' }
}

/** A command that pokes run 2; `write` and `readBack` stand in for the API. */
function poking(write: (run: Run) => Promise<WriteResult>, readBack: () => Promise<WriteResult | null> = async () => null) {
  const sent: number[] = []
  const command: WriteCommand<string> = {
    words: { verb: (w) => w, notSent: 'not poked', wouldDo: () => 'would poke', stillShows: () => 'it still sleeps' },
    select: async () => ({ targets: runs }),
    plan: async (run) => plans[run.id] as RunPlan<string>,
    write: async (run) => {
      sent.push(run.id)
      return write(run)
    },
    readBack,
    report: ({ changed, failed }) => ({ heading: 'Poke', outputs: { poked: JSON.stringify(changed.map(({ run }) => run.id)) }, failures: failed })
  }
  return { command, sent }
}

async function run(command: WriteCommand<string>, options: { dryRun?: boolean; stopped?: boolean } = {}) {
  const lines: string[] = []
  const stop = new AbortController()
  if (options.stopped) stop.abort('SIGTERM')
  const log = { info: (line: string) => lines.push(line), warning: (line: string) => lines.push(`warning: ${line}`) }
  const result = await writeRuns(command, { dryRun: options.dryRun ?? false }, { log, stop: stop.signal })
  return { result, lines }
}

const lostReply = (): Promise<WriteResult> => Promise.reject(new AmbiguousWriteError('POST /poke', 502, 'Bad Gateway'))

describe('writeRuns', () => {
  it('plans every run before the first write, and records what it leaves alone as it decides', async () => {
    const { command, sent } = poking(async () => ({ kind: 'done', detail: 'poked' }))
    const { result, lines } = await run(command)
    expect(lines).toEqual(['CI #1 (run 1): nothing to poke', 'CI #3 (run 3): cannot be poked', 'CI #2 (run 2): poked'])
    expect(sent).toEqual([2])
    expect(result.outputs.poked).toBe('[2]')
    expect(result.verdict).toEqual({ result: 'failure', message: 'CI #3 (run 3): cannot be poked' })
  })

  it('a refusal is reported in the command’s words, and nothing is read back', async () => {
    let reads = 0
    const { command, sent } = poking(
      () => Promise.reject(Object.assign(new Error('Nope'), { status: 422 })),
      async () => (reads++, null)
    )
    const { lines } = await run(command)
    expect(sent).toEqual([2])
    expect(reads).toBe(0)
    expect(lines).toContain('CI #2 (run 2): poke refused: Nope (422)')
  })

  it('a lost reply is not sent again: read back, done when GitHub shows it', async () => {
    const { command, sent } = poking(lostReply, async () => ({ kind: 'done', detail: 'poked (read back)' }))
    const { result, lines } = await run(command)
    expect(sent).toEqual([2])
    expect(lines).toContain('CI #2 (run 2): poked (read back)')
    expect(result.outputs.poked).toBe('[2]')
  })

  it('a lost reply that reads back as nothing is not confirmed, and not sent again', async () => {
    const { command, sent } = poking(lostReply)
    const { result, lines } = await run(command)
    expect(sent).toEqual([2])
    expect(lines).toContain(
      `CI #2 (run 2): poke not confirmed: ${new AmbiguousWriteError('POST /poke', 502, 'Bad Gateway').message} (502), and it still sleeps; not sent again`
    )
    expect(result.outputs.poked).toBe('[]')
  })

  it('a dry run and a cancelled step send nothing', async () => {
    const dry = poking(async () => ({ kind: 'done', detail: 'poked' }))
    expect((await run(dry.command, { dryRun: true })).lines).toContain('CI #2 (run 2): dry run: would poke')
    const stopped = poking(async () => ({ kind: 'done', detail: 'poked' }))
    const { result, lines } = await run(stopped.command, { stopped: true })
    expect(lines).toContain('CI #2 (run 2): not poked: this step was cancelled first')
    expect(result.verdict.result).toBe('cancelled')
    expect([...dry.sent, ...stopped.sent]).toEqual([])
  })

  it('a write only sent is logged, not recorded: the command sees whether it took', async () => {
    const { command } = poking(async () => ({ kind: 'sent', note: 'poke sent' }))
    const { result, lines } = await run(command)
    expect(lines).toContain('CI #2 (run 2): poke sent')
    expect(result.preface).toContain('not handled')
    expect(result.outputs.poked).toBe('[2]')
  })
})
