// Reads the inputs once into typed settings: the step's own (token, repository, timeout,
// summary), then the chosen command's, by the command's own reader. Nothing here calls the API:
// bad input fails the step before any request is made, with a message that names the input, the
// value it got, and the form it expects. An input the chosen command does not read is named in
// a warning, not refused: a workflow may keep a shared set of inputs for several commands.
import * as core from '@actions/core'
import { COMMAND_NAMES, COMMANDS, type CommandName, type SettingsOf } from '../commands/registry.js'
import { InputError } from '../errors.js'
import type { ActionContext } from '../runner/context.js'
import { readStep, type StepSettings } from './groups.js'
import { DEFAULTS, FILLED_BY_THE_RUNNER, INPUT_NAMES } from './names.js'
import { InputReader, type InputSource } from './reader.js'

export { DEFAULTS } from './names.js'
export { splitJobNames } from './reader.js'
export type { InputSource } from './reader.js'

interface Common<K extends CommandName> {
  command: K
  step: StepSettings
  /** Inputs given a value that the command does not read (warned about, then ignored). */
  ignoredInputs: string[]
}

/** The step's settings: the command's name, the step's own settings, and the command's. */
export type Settings = { [K in CommandName]: Common<K> & SettingsOf<K> }[CommandName]

/** Inputs set to something other than their default that the command did not read. */
function ignoredInputs(inputs: InputReader): string[] {
  const filled: readonly string[] = FILLED_BY_THE_RUNNER
  return INPUT_NAMES.filter((name) => {
    if (inputs.used.has(name) || filled.includes(name)) return false
    const given = inputs.given(name).trim()
    return given !== '' && given !== (DEFAULTS as Record<string, string>)[name]
  })
}

/** Reads and checks the inputs; throws InputError naming the first bad one. */
export function readSettings(context: ActionContext, source: InputSource = (name) => core.getInput(name)): Settings {
  const inputs = new InputReader(source)
  const commandText = inputs.text('command').trim()
  if (!(COMMAND_NAMES as readonly string[]).includes(commandText)) {
    throw new InputError('command', commandText, `expected one of ${COMMAND_NAMES.join(', ')}`)
  }
  const command = commandText as CommandName
  const step = readStep(inputs, context.repository)
  const own = COMMANDS[command].read(inputs, step, { owner: step.owner, repo: step.repo, context })
  return { command, step, ...own, ignoredInputs: ignoredInputs(inputs) } as Settings
}
