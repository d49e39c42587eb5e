import { readSelection } from '../../inputs/selection.js'
import type { CommandDefinition } from '../shared/command.js'
import { summarize, type SummarizeInputs } from './index.js'

export const summarizeDefinition: CommandDefinition<SummarizeInputs> = {
  read: (inputs, step, scope) => ({
    selection: readSelection(inputs, scope, { command: 'summarize', implicit: 'current-run', changesRuns: false }),
    excludeCurrentRun: inputs.boolean('exclude-current-run'),
    summary: { logLines: step.summary.logLines, billableTime: inputs.boolean('billable-time'), saveLogs: inputs.text('save-logs').trim() },
    latestOnly: inputs.boolean('latest-only')
  }),
  run: summarize
}
