// `approve`'s own inputs: which environments, the decision and its comment, custom gates, `wait`.
import { InputError } from '../../errors.js'
import { readGateOptions } from '../../inputs/groups.js'
import { splitJobNames, type InputReader } from '../../inputs/reader.js'
import { readSelection } from '../../inputs/selection.js'
import type { CommandDefinition } from '../shared/command.js'
import { approveRuns, type ApproveInputs } from './index.js'

export interface ApproveSettings {
  /** Environment names to review; empty = every pending one the token may approve. */
  environments: string[]
  decision: 'approved' | 'rejected'
  /** '' = a default comment naming this run. */
  comment: string
  customGate: boolean
}

function readApprove(inputs: InputReader): ApproveSettings {
  const environments = splitJobNames(inputs.text('environments'))
  const customGate = inputs.boolean('custom-gate')
  if (customGate && environments.length === 0) {
    // Custom gates are not listed by the API, so there is nothing to default to.
    throw new InputError('environments', '', "'custom-gate: true' needs the environment names whose custom protection rules to review")
  }
  return {
    environments,
    decision: inputs.choice('decision', ['approved', 'rejected'] as const),
    comment: inputs.text('comment').trim(),
    customGate
  }
}

export const approveDefinition: CommandDefinition<ApproveInputs> = {
  read: (inputs, step, scope) => {
    const selection = readSelection(inputs, scope, { command: 'approve', implicit: 'refuse', changesRuns: true })
    const gate = readGateOptions(inputs, step)
    return {
      selection,
      excludeCurrentRun: inputs.boolean('exclude-current-run'),
      approve: readApprove(inputs),
      waitAfter: inputs.boolean('wait'),
      dryRun: inputs.boolean('dry-run'),
      gate
    }
  },
  run: approveRuns
}
