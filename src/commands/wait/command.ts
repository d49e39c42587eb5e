import { readGateOptions } from '../../inputs/groups.js'
import { readSelection } from '../../inputs/selection.js'
import { InputError } from '../../errors.js'
import type { InputReader } from '../../inputs/reader.js'
import type { Selection } from '../../inputs/selection.js'
import type { CommandDefinition } from '../shared/command.js'
import { waitCommand, type WaitInputs } from './index.js'

export const waitDefinition: CommandDefinition<WaitInputs> = {
  read: (inputs, step, scope) => {
    const status = readStatusContext(inputs)
    const selection = readSelection(inputs, scope, { command: 'wait', implicit: 'current-commit', changesRuns: false })
    if (status?.once) checkOneLook(selection, inputs.text('workflow'))
    return {
      selection: status ? onOneCommit(selection, status.context, scope.context.headSha) : selection,
      excludeCurrentRun: inputs.boolean('exclude-current-run'),
      status,
      ...readGateOptions(inputs, step)
    }
  },
  run: waitCommand
}

/** A context name as branch protection shows it: one line of printable text. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const CONTEXT = /^[^\u0000-\u001f\u007f]{1,255}$/

/** `status-context` (and `dry-run`, which keeps it from publishing). */
function readStatusContext(inputs: InputReader): WaitInputs['status'] {
  const context = inputs.text('status-context').trim()
  const once = inputs.boolean('once')
  if (context === '') {
    if (once) throw new InputError('once', 'true', "a one-look gate publishes its verdict as a commit status: set 'status-context' (e.g. all-green)")
    return null
  }
  if (!CONTEXT.test(context)) throw new InputError('status-context', context, 'expected a status context name on one line, e.g. all-green')
  return { context, dryRun: inputs.boolean('dry-run'), once }
}

/**
 * A one-look gate judges the named workflows of the event's commit: `workflow` is required (the
 * wiring of `workflow_run.workflows` is checked against it) and no run is given by id.
 */
function checkOneLook(selection: Selection, workflowText: string): void {
  if (selection.kind !== 'filters' || selection.workflows.length === 0) {
    throw new InputError(
      'workflow',
      workflowText,
      "'once: true' judges the named workflows of the event's commit: name them in 'workflow' (file names), and give no 'run-id'"
    )
  }
  const id = selection.workflows.find((w) => /^\d+$/.test(w))
  if (id !== undefined) throw new InputError('workflow', id, "'once: true' reads each workflow's file: give file names (ci.yml), not ids")
}

/**
 * A status is published on one commit: named workflows alone are the current commit's runs of
 * them; list filters that select runs of any commit are refused.
 */
function onOneCommit(selection: Selection, context: string, currentCommit: string): Selection {
  if (selection.kind !== 'filters' || selection.filters.head_sha) return selection
  if (Object.keys(selection.filters).length === 0 && currentCommit !== '') return { ...selection, filters: { head_sha: currentCommit } }
  throw new InputError(
    'status-context',
    context,
    "a commit status is published on one commit, and the filters select runs of any commit: add 'head-sha', or leave the filters to the current commit"
  )
}
