// What a command is: a reader of its own inputs into its own typed settings, and a run over
// those settings and the step's dependencies. The registry (../registry.ts) lists them.
import type { StepSettings } from '../../inputs/groups.js'
import type { InputReader } from '../../inputs/reader.js'
import type { ReadScope } from '../../inputs/selection.js'
import type { Deps } from './deps.js'
import type { CommandResult } from './result.js'

export interface CommandDefinition<S> {
  /** Reads and checks this command's inputs; throws InputError before any request is made. */
  read(inputs: InputReader, step: StepSettings, scope: ReadScope): S
  run(settings: S, deps: Deps): Promise<CommandResult>
}
