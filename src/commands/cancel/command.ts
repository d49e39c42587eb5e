import { readPollInterval } from '../../inputs/groups.js'
import { readSelection } from '../../inputs/selection.js'
import type { CommandDefinition } from '../shared/command.js'
import { cancelRuns, type CancelInputs } from './index.js'

export const cancelDefinition: CommandDefinition<CancelInputs> = {
  read: (inputs, step, scope) => ({
    selection: readSelection(inputs, scope, { command: 'cancel', implicit: 'refuse', changesRuns: true }),
    excludeCurrentRun: inputs.boolean('exclude-current-run'),
    forceAfterMs: inputs.duration('force-after'),
    dryRun: inputs.boolean('dry-run'),
    wait: { timeoutMs: step.timeoutMs, pollIntervalMs: readPollInterval(inputs) }
  }),
  run: cancelRuns
}
