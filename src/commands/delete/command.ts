// `delete`'s own inputs: age, how many to keep and per what, deleted workflows, logs only, and
// the runs an open pull request still shows.
import { readSelection } from '../../inputs/selection.js'
import type { InputReader } from '../../inputs/reader.js'
import type { CommandDefinition } from '../shared/command.js'
import { deleteRuns, type DeleteInputs } from './index.js'

export const KEEP_PER = ['workflow', 'branch', 'workflow-and-branch'] as const
export type KeepPer = (typeof KEEP_PER)[number]

export interface DeleteSettings {
  /** Only runs created longer ago than this; null = any age. */
  olderThanMs: number | null
  /** The newest N completed runs of each group (`keepPer`) are kept. */
  keep: number
  /** What `keep` counts per: each workflow, each branch, or each workflow on each branch. */
  keepPer: KeepPer
  /** Only runs whose workflow no longer exists (`deleted-workflows`). */
  deletedWorkflows: boolean
  logsOnly: boolean
  /** Keep the runs on an open pull request's head commit (`keep-pull-requests`). */
  keepPullRequests: boolean
}

/** More runs than this kept per workflow or branch is a typo more likely than a wish. */
const MAX_KEEP = 1000

function readDelete(inputs: InputReader): DeleteSettings {
  const olderThan = inputs.text('older-than').trim()
  return {
    olderThanMs: olderThan === '' ? null : inputs.duration('older-than'),
    keep: inputs.integer('keep', 0, MAX_KEEP),
    keepPer: inputs.choice('keep-per', KEEP_PER),
    deletedWorkflows: inputs.boolean('deleted-workflows'),
    logsOnly: inputs.boolean('logs-only'),
    keepPullRequests: inputs.boolean('keep-pull-requests')
  }
}

export const deleteDefinition: CommandDefinition<DeleteInputs> = {
  read: (inputs, step, scope) => {
    const options = readDelete(inputs)
    return {
      selection: readSelection(inputs, scope, { command: 'delete', implicit: 'refuse', changesRuns: true, deletedWorkflows: options.deletedWorkflows }),
      delete: options,
      dryRun: inputs.boolean('dry-run'),
      wait: { timeoutMs: step.timeoutMs }
    }
  },
  run: deleteRuns
}
