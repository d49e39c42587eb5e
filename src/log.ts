// Where the commands write their progress lines. The action writes them to the job log through
// @actions/core; tests collect them.
import * as core from '@actions/core'

export interface Log {
  info(line: string): void
  warning(line: string): void
}

export const actionsLog: Log = {
  info: (line) => core.info(line),
  warning: (line) => core.warning(line)
}
