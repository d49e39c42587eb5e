// What every command is handed besides its own settings: the API, the run it runs in, time,
// the request counters, and where to log. Tests pass a simulator-backed API and a fake clock.
import type { Clock } from '../clock.js'
import type { ActionContext } from '../context.js'
import type { GitHubApi } from '../github/api.js'
import type { RequestStats } from '../github/client.js'
import type { Log } from '../log.js'

export interface Deps {
  api: GitHubApi
  context: ActionContext
  clock: Clock
  stats: RequestStats
  log: Log
}
