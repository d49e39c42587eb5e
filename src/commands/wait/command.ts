import { readGateOptions } from '../../inputs/groups.js'
import { readSelection } from '../../inputs/selection.js'
import type { CommandDefinition } from '../shared/command.js'
import { waitCommand, type WaitInputs } from './index.js'

export const waitDefinition: CommandDefinition<WaitInputs> = {
  read: (inputs, step, scope) => {
    const selection = readSelection(inputs, scope, { command: 'wait', implicit: 'current-commit', changesRuns: false })
    return {
      selection,
      excludeCurrentRun: inputs.boolean('exclude-current-run'),
      ...readGateOptions(inputs, step)
    }
  },
  run: waitCommand
}
