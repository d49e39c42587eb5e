// `dispatch` in process on a fake clock: the run's id from GitHub, or found by listing when the
// server gives none (204, or a refused return_run_details), racing dispatches, a lost reply.
import { describe, expect, it } from '@jest/globals'
import { deployableScenario, OWNER, REPO, ok } from '../../__fixtures__/scenarios.js'
import type { RunSpec, SimulatorOptions } from '../simulator/index.js'
import { benchPerTest, expectClean, writes } from './setup.js'

const start = benchPerTest()
const ACTIONS = `/repos/${OWNER}/${REPO}/actions`
const DISPATCHES = `POST ${ACTIONS}/workflows/deploy.yml/dispatches`

const startWith = (options: SimulatorOptions, runs: RunSpec[] = []) => start(deployableScenario(runs), options)
/** Someone else's dispatch of deploy.yml on main, `at` virtual seconds after the start. */
const rival = (id: number, at: number): RunSpec => ({
  id,
  workflow: 'deploy.yml',
  event: 'workflow_dispatch',
  branch: 'main',
  title: 'Deploy production',
  attempts: [{ at, jobs: [{ name: 'deploy', steps: [ok('Run ./deploy.sh', 20)] }] }]
})
const inputs = { command: 'dispatch', workflow: 'deploy.yml', inputs: '{"environment": "staging"}' }

describe('dispatch', () => {
  it('takes the run id GitHub returns, and waits on the run with wait: true', async () => {
    const bench = await startWith({})
    const run = await bench.run({ ...inputs, wait: 'true', 'poll-interval': '5s' })
    expect(run.verdict).toEqual({ result: 'success' })
    expect(writes(run)).toEqual([DISPATCHES])
    const sent = run.requests.find((r) => r.method === 'POST')?.body
    expect(sent).toEqual({ ref: 'main', inputs: { environment: 'staging' }, return_run_details: true })
    const id = Number(run.outputs['run-id'])
    expect(run.outputs['run-url']).toBe(`https://github.com/${OWNER}/${REPO}/actions/runs/${id}`)
    expect(run.outputs.conclusion).toBe('success')
    expect(run.summary).toContain('Dispatched deploy.yml on main with inputs environment')
    expect(run.summary).toContain('GitHub returned its id')
    // The run's own summary follows, as for a gate.
    expect(run.summary).toContain('Deploy staging')
    expectClean(run, bench)
  })

  it('finds the run by listing when the server answers 204', async () => {
    const bench = await startWith({ dispatchAnswer: 'no-content' })
    const run = await bench.run(inputs)
    expect(run.verdict).toEqual({ result: 'success' })
    expect(writes(run)).toEqual([DISPATCHES])
    expect(run.outputs['run-id']).toMatch(/^\d+$/)
    expect(run.log.join('\n')).toContain('found by listing')
    expectClean(run, bench)
  })

  it('sends the dispatch again without return_run_details when the server refuses the field (it started nothing)', async () => {
    const bench = await startWith({ dispatchAnswer: 'unknown-field' })
    const run = await bench.run(inputs)
    expect(run.verdict).toEqual({ result: 'success' })
    const posts = run.requests.filter((r) => r.method === 'POST')
    expect(posts.map((r) => [r.status, (r.body as Record<string, unknown>).return_run_details])).toEqual([
      [422, true],
      [204, undefined]
    ])
    expect(run.log.join('\n')).toContain('does not know return_run_details')
  })

  it('fails, naming both runs, when another dispatch starts a moment after ours and there is no marker', async () => {
    // Ours shows at second 2, the rival at 5: the first look sees only ours, and taking it then
    // would be a guess.
    const bench = await startWith({ dispatchAnswer: 'no-content' }, [rival(500, 5)])
    const run = await bench.run(inputs)
    expect(run.verdict.result).toBe('failure')
    expect(run.error).toBeNull()
    // Ours is 501 (the simulator numbers runs in creation order), the rival 500.
    expect(run.verdict.result === 'failure' && run.verdict.message).toMatch(/2 runs of deploy\.yml on main started around the dispatch \((501, 500|500, 501)\)/)
    expect(run.outputs['run-id']).toBe('')
    expect(writes(run)).toEqual([DISPATCHES])
  })

  it('tells its run from a rival by the marker the run-name shows', async () => {
    const bench = await startWith({ dispatchAnswer: 'no-content' }, [rival(500, 1), rival(501, 3)])
    const run = await bench.run({ ...inputs, 'marker-input': 'distinct_id' })
    expect(run.verdict).toEqual({ result: 'success' })
    const marker = (run.requests.find((r) => r.method === 'POST')?.body as { inputs: Record<string, string> }).inputs.distinct_id
    expect(marker).toMatch(/^run-control-999999-1-[0-9a-f]{8}$/)
    // The rivals are 500 and 501; ours, the run whose run-name shows the marker, is 502.
    expect(run.outputs['run-id']).toBe('502')
  })

  it('never sends the dispatch twice when its reply is lost: the run it started is found', async () => {
    const bench = await startWith({})
    bench.sim.inject({ method: 'POST', path: `${ACTIONS}/workflows/deploy.yml/dispatches`, kind: 'lost-reply' })
    const run = await bench.run(inputs)
    expect(run.verdict).toEqual({ result: 'success' })
    expect(writes(run)).toEqual([DISPATCHES])
    expect(run.log.join('\n')).toContain('reply lost')
    expect(run.outputs['run-id']).toMatch(/^\d+$/)
  })

  it('says what it would do in a dry run and sends nothing', async () => {
    const bench = await startWith({})
    const run = await bench.run({ ...inputs, 'dry-run': 'true' })
    expect(run.verdict).toEqual({ result: 'success' })
    expect(writes(run)).toEqual([])
    expect(run.summary).toContain('would start deploy.yml on main with inputs environment')
  })

  it.each([
    [{ workflow: 'ci.yml, deploy.yml' }, "Input 'workflow'"],
    [{ inputs: '[1, 2]' }, "Input 'inputs'"],
    [{ inputs: '{"environment": {"nested": true}}' }, 'must be a string, a number or a boolean'],
    [{ inputs: 'environment: [unclosed' }, 'not YAML or JSON'],
    [{ ref: 'bad ref' }, "Input 'ref'"],
    [{ 'marker-input': 'environment' }, "'inputs' already sets 'environment'"]
  ])('refuses %j before any request', async (bad, message) => {
    const bench = await startWith({})
    const run = await bench.run({ ...inputs, ...bad })
    expect(run.error).toContain(message)
    expect(run.requests).toEqual([])
  })

  it('names a workflow that does not exist, before anything is sent', async () => {
    const bench = await startWith({})
    const run = await bench.run({ ...inputs, workflow: 'nope.yml' })
    expect(run.error).toContain("Workflow 'nope.yml' was not found")
    expect(writes(run)).toEqual([])
  })
})
