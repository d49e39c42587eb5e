// `dispatch`'s own inputs: the one workflow to start, its ref and inputs, the marker input, `wait`.
import { parse as parseYaml } from 'yaml'
import { InputError } from '../../errors.js'
import { readGateOptions } from '../../inputs/groups.js'
import type { InputReader } from '../../inputs/reader.js'
import { parseWorkflows } from '../../inputs/selection.js'
import type { ActionContext } from '../../runner/context.js'
import type { CommandDefinition } from '../shared/command.js'
import { dispatchCommand, type DispatchInputs } from './index.js'

export interface DispatchSettings {
  /** The workflow to start: a file name or an id. */
  workflow: string
  /** Branch or tag to run it on. */
  ref: string
  /** The workflow's inputs, as sent. */
  inputs: Record<string, string | number | boolean>
  /**
   * The workflow input that takes a unique marker (a `distinct_id`-style input its `run-name`
   * shows), to tell the run started from others when GitHub gives no run id; '' = none.
   */
  markerInput: string
}

/** GitHub's limit on a dispatch's inputs (the OpenAPI description's maxProperties). */
const MAX_DISPATCH_INPUTS = 25
// A git ref as a branch or tag name: no spaces, no `..`, none of git's forbidden characters.
const REF = /^(?!.*\.\.)(?!\/)(?!.*\/$)[^\s~^:?*[\\]+$/
// An input name as workflow syntax allows it.
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/

/** `dispatch`'s workflow, ref, inputs and marker, all checked before anything is sent. */
function readDispatch(reader: InputReader, context: ActionContext): DispatchSettings {
  const workflowText = reader.text('workflow').trim()
  const workflows = parseWorkflows(workflowText)
  if (workflows.length !== 1) throw new InputError('workflow', workflowText, "'dispatch' starts one workflow: give exactly one file name (deploy.yml) or id")
  const ref = reader.text('ref').trim() || context.ref
  if (ref === '') throw new InputError('ref', '', 'no branch or tag to run the workflow on: set ref (GITHUB_REF_NAME is unset)')
  if (!REF.test(ref)) throw new InputError('ref', ref, 'expected a branch or tag name')
  const inputs = readDispatchInputs(reader)
  const markerInput = reader.text('marker-input').trim()
  if (markerInput !== '') {
    if (!INPUT_NAME.test(markerInput)) throw new InputError('marker-input', markerInput, 'expected the name of one of the workflow’s inputs')
    if (markerInput in inputs) throw new InputError('marker-input', markerInput, `'inputs' already sets '${markerInput}': the action writes the marker itself`)
    if (Object.keys(inputs).length >= MAX_DISPATCH_INPUTS)
      throw new InputError('inputs', reader.text('inputs'), `at most ${MAX_DISPATCH_INPUTS - 1} inputs with marker-input (GitHub takes ${MAX_DISPATCH_INPUTS})`)
  }
  return { workflow: workflows[0] as string, ref: ref.replace(/^refs\/(heads|tags)\//, ''), inputs, markerInput }
}

/** `inputs`: a YAML or JSON object of strings, numbers and booleans (what a dispatch takes). */
function readDispatchInputs(reader: InputReader): Record<string, string | number | boolean> {
  const text = reader.text('inputs')
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = parseYaml(text)
  } catch (error) {
    throw new InputError('inputs', text, `not YAML or JSON (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError('inputs', text, 'expected an object of input names and values, e.g. {"environment": "staging"}')
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length > MAX_DISPATCH_INPUTS) throw new InputError('inputs', text, `GitHub takes at most ${MAX_DISPATCH_INPUTS} inputs`)
  const inputs: Record<string, string | number | boolean> = {}
  for (const [name, item] of entries) {
    if (!INPUT_NAME.test(name)) throw new InputError('inputs', name, 'not a valid input name')
    if (typeof item !== 'string' && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item))) {
      throw new InputError('inputs', `${name}: ${JSON.stringify(item)}`, 'each input must be a string, a number or a boolean')
    }
    inputs[name] = item
  }
  return inputs
}

export const dispatchDefinition: CommandDefinition<DispatchInputs> = {
  read: (inputs, step, scope) => {
    const dispatch = readDispatch(inputs, scope.context)
    const gate = readGateOptions(inputs, step)
    return { dispatch, dryRun: inputs.boolean('dry-run'), waitAfter: inputs.boolean('wait'), gate }
  },
  run: dispatchCommand
}
