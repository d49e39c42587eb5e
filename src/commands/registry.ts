// Every command, by the name the `command` input takes. A new command is a folder with a
// command.ts exporting its definition, and one line here.
import { approveDefinition } from './approve/command.js'
import { cancelDefinition } from './cancel/command.js'
import { deleteDefinition } from './delete/command.js'
import { dispatchDefinition } from './dispatch/command.js'
import { rerunDefinition } from './rerun/command.js'
import type { CommandDefinition } from './shared/command.js'
import { summarizeDefinition } from './summarize/command.js'
import { waitDefinition } from './wait/command.js'

export const COMMANDS = {
  wait: waitDefinition,
  summarize: summarizeDefinition,
  rerun: rerunDefinition,
  cancel: cancelDefinition,
  approve: approveDefinition,
  delete: deleteDefinition,
  dispatch: dispatchDefinition
} as const

export type CommandName = keyof typeof COMMANDS
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[]

/** A command's own settings, as its reader returns them. */
export type SettingsOf<K extends CommandName> = (typeof COMMANDS)[K] extends CommandDefinition<infer S> ? S : never
