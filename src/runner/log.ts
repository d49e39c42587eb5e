// Where the commands write their progress lines. The action writes them to the job log through
// @actions/core; tests collect them.
import * as core from '@actions/core'
import { neutralise } from './safe-text.js'

export interface Log {
  info(line: string): void
  warning(line: string): void
}

export const actionsLog: Log = {
  // `core.info` writes its text as is, and lines carry names from other people's commits: one
  // line, no workflow command in it.
  info: (line) => core.info(neutralise(line)),
  // `core.warning` is itself a `::warning::` command: @actions/core escapes `%`, `\r` and `\n` in
  // its message, so the line starts with the action's own command and stays one line.
  warning: (line) => core.warning(line)
}
