import { readGateOptions } from '../../inputs/groups.js'
import { readSelection } from '../../inputs/selection.js'
import { InputError } from '../../errors.js'
import { splitJobNames, type InputReader } from '../../inputs/reader.js'
import type { ReadScope, Selection } from '../../inputs/selection.js'
import { SWEEPING_EVENTS } from './sweep.js'
import type { CommandDefinition } from '../shared/command.js'
import { waitCommand, type WaitInputs } from './index.js'

export const waitDefinition: CommandDefinition<WaitInputs> = {
  read: (inputs, step, scope) => {
    const status = readStatusContext(inputs, scope)
    const checks = splitJobNames(inputs.text('checks'))
    const selection = readSelection(inputs, scope, { command: 'wait', implicit: 'current-commit', changesRuns: false })
    if (status?.once) checkOneLook(selection, inputs.text('workflow'))
    let onOne = selection
    if (checks.length > 0)
      onOne = onOneCommit(onOne, { name: 'checks', value: inputs.text('checks'), what: "other apps' checks are read" }, scope.context.headSha)
    if (status) onOne = onOneCommit(onOne, { name: 'status-context', value: status.context, what: 'a commit status is published' }, scope.context.headSha)
    return {
      selection: onOne,
      excludeCurrentRun: inputs.boolean('exclude-current-run'),
      status,
      checks,
      ...readGateOptions(inputs, step)
    }
  },
  run: waitCommand
}

/** A context name as branch protection shows it: one line of printable text. */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const CONTEXT = /^[^\u0000-\u001f\u007f]{1,255}$/

/** `status-context` (and `dry-run`, which keeps it from publishing). */
function readStatusContext(inputs: InputReader, scope: ReadScope): WaitInputs['status'] {
  const context = inputs.text('status-context').trim()
  const once = inputs.boolean('once')
  if (context === '') {
    if (once) throw new InputError('once', 'true', "a one-look gate publishes its verdict as a commit status: set 'status-context' (e.g. all-green)")
    return null
  }
  if (!CONTEXT.test(context)) throw new InputError('status-context', context, 'expected a status context name on one line, e.g. all-green')
  // No event commit and no commit asked for: sweep the open pull requests instead.
  const sweep = once && SWEEPING_EVENTS.has(scope.context.eventName) && inputs.text('head-sha').trim() === ''
  return { context, dryRun: inputs.boolean('dry-run'), once, sweep }
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
 * A status is published, and other apps' checks are read, on one commit: named workflows alone
 * are the current commit's runs of them; list filters that select runs of any commit are refused,
 * and so are runs given by id with `checks` (whose commit is not known before a request).
 */
function onOneCommit(selection: Selection, input: { name: string; value: string; what: string }, currentCommit: string): Selection {
  if (selection.kind !== 'filters') {
    if (input.name !== 'checks') return selection
    throw new InputError(input.name, input.value, `${input.what} on one commit: select it with 'head-sha' (or the current commit), not by run`)
  }
  if (selection.filters.head_sha) return selection
  if (Object.keys(selection.filters).length === 0 && currentCommit !== '') return { ...selection, filters: { head_sha: currentCommit } }
  throw new InputError(
    input.name,
    input.value,
    `${input.what} on one commit, and the filters select runs of any commit: add 'head-sha', or leave the filters to the current commit`
  )
}
