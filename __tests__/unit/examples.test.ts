// The workflows in examples/ must stay usable as they are: valid for this action's action.yml
// (inputs, outputs, the published `uses:`), with untrusted or long values reaching `run:`
// scripts only through `env`.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const ROOT = new URL('../../', import.meta.url).pathname
const EXAMPLES = join(ROOT, 'examples')
const USES = 'run-control/run-control@v1'
/** Any reference to this action, whatever the ref or sub-path. */
const THIS_ACTION = /^run-control\/run-control(?:[@/]|$)/i
/** References that must not be inlined into a `run:` script. */
const INLINE_FORBIDDEN = /\b(?:github\.event\.(?:comment|issue|pull_request\.title)|steps\.)/
const OUTPUT_REF = /\bsteps\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])/g

type Obj = Record<string, unknown>
interface ActionSpec {
  inputs: Set<string>
  outputs: Set<string>
}

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value)

function loadAction(): ActionSpec {
  const action: unknown = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
  if (!isObj(action) || !isObj(action.inputs) || !isObj(action.outputs)) throw new Error('action.yml has no inputs/outputs')
  return { inputs: new Set(Object.keys(action.inputs)), outputs: new Set(Object.keys(action.outputs)) }
}

/** Every string value under `value` (keys left out). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (isObj(value)) return Object.values(value).flatMap(strings)
  return []
}

/** The problems of one parsed workflow; empty when it follows every rule. */
function checkWorkflow(doc: unknown, action: ActionSpec): string[] {
  const problems: string[] = []
  if (!isObj(doc)) return ['not a YAML mapping']
  if (!('on' in doc)) problems.push('no `on`')
  if (!isObj(doc.jobs) || Object.keys(doc.jobs).length === 0) {
    problems.push('no `jobs`')
    return problems
  }
  for (const [jobId, job] of Object.entries(doc.jobs)) {
    if (!isObj(job)) {
      problems.push(`${jobId}: not a mapping`)
      continue
    }
    if (!('permissions' in job)) problems.push(`${jobId}: no \`permissions\``)
    const steps = Array.isArray(job.steps) ? job.steps : []
    const ownSteps = new Set<string>()
    steps.forEach((step: unknown, index) => {
      if (!isObj(step)) return
      const where = `${jobId}.steps[${index}]${typeof step.id === 'string' ? ` (${step.id})` : ''}`
      if (typeof step.uses === 'string' && THIS_ACTION.test(step.uses)) {
        if (step.uses !== USES) problems.push(`${where}: uses ${step.uses}, not ${USES}`)
        if (typeof step.id === 'string') ownSteps.add(step.id)
        if (step.with !== undefined && !isObj(step.with)) problems.push(`${where}: \`with\` is not a mapping`)
        for (const key of Object.keys(isObj(step.with) ? step.with : {})) {
          if (!action.inputs.has(key)) problems.push(`${where}: input ${key} is not in action.yml`)
        }
      }
      if (typeof step.run === 'string') {
        for (const [, expression = ''] of step.run.matchAll(/\$\{\{([\s\S]*?)\}\}/g)) {
          if (INLINE_FORBIDDEN.test(expression)) problems.push(`${where}: \`run\` inlines \${{${expression}}}; pass it through env`)
        }
      }
    })
    for (const text of strings(job)) {
      for (const [, id = '', dotted, bracketed] of text.matchAll(OUTPUT_REF)) {
        const name = dotted ?? bracketed ?? ''
        if (ownSteps.has(id) && !action.outputs.has(name)) problems.push(`${jobId}: output ${name} of step ${id} is not in action.yml`)
      }
    }
  }
  return problems
}

const action = loadAction()
const files = readdirSync(EXAMPLES)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
const read = (file: string): string => readFileSync(join(EXAMPLES, file), 'utf8')

describe('examples/', () => {
  it('has a workflow for each use case of the README', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'approve-from-comment.yml',
        'cancel-superseded.yml',
        'failure-summary.yml',
        'gate-before-deploy.yml',
        'nightly-cleanup.yml',
        'retry-flaky.yml',
        'save-logs.yml',
        'wait-for-dispatched-run.yml'
      ])
    )
  })

  it.each(files)('%s starts with a comment saying what it does', (file) => {
    expect(read(file)).toMatch(/^# \S/)
  })

  it.each(files)('%s uses only inputs and outputs of action.yml, and env for untrusted values', (file) => {
    const doc: unknown = parse(read(file))
    expect(checkWorkflow(doc, action)).toEqual([])
    // The check looked at something: every example uses this action.
    expect(read(file)).toContain(`uses: ${USES}`)
  })
})

describe('checkWorkflow', () => {
  const base = (): Obj => parse(read('retry-flaky.yml')) as Obj
  const step = (doc: Obj, index: number): Obj => {
    const jobs = doc.jobs as Record<string, { steps: Obj[] }>
    const found = jobs.retry?.steps[index]
    if (!found) throw new Error('retry-flaky.yml changed: no step ' + index)
    return found
  }

  it('finds nothing wrong in the unchanged example', () => {
    expect(checkWorkflow(base(), action)).toEqual([])
  })

  it.each<[string, (doc: Obj) => void, string]>([
    ['a bogus `with:` key', (doc) => ((step(doc, 0).with as Obj)['max-attempt'] = 3), 'input max-attempt is not in action.yml'],
    ['another ref of this action', (doc) => (step(doc, 0).uses = 'run-control/run-control@main'), 'not run-control/run-control@v1'],
    ['an output action.yml does not have', (doc) => ((step(doc, 1).env as Obj).RERAN = '${{ steps.rerun.outputs.rerun }}'), 'output rerun of step rerun'],
    ['a step output inlined into `run:`', (doc) => (step(doc, 1).run = 'echo ${{ steps.rerun.outputs.reran }}'), 'pass it through env'],
    ['a comment inlined into `run:`', (doc) => (step(doc, 1).run = 'echo "${{ github.event.comment.body }}"'), 'pass it through env'],
    ['a job without permissions', (doc) => delete (doc.jobs as Record<string, Obj>).retry?.permissions, 'no `permissions`'],
    ['no `on`', (doc) => delete doc.on, 'no `on`']
  ])('catches %s', (_, breakIt, problem) => {
    const doc = base()
    breakIt(doc)
    const problems = checkWorkflow(doc, action)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(problem)
  })
})
