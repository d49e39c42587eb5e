// What every command is handed besides its own settings: the API, the run it runs in, time,
// the request counters, and where to log. Tests pass a simulator-backed API and a fake clock.
import type { Clock } from '../../time/clock.js'
import type { ActionContext } from '../../runner/context.js'
import type { GitHubApi } from '../../github/api.js'
import type { RequestStats } from '../../github/client.js'
import type { ServerTime } from '../../github/server-time.js'
import type { Log } from '../../runner/log.js'

export interface Deps {
  api: GitHubApi
  context: ActionContext
  /** Its sleeps end at once when `stop` fires. */
  clock: Clock
  stats: RequestStats
  /** GitHub's "now": the only present an API timestamp is compared with. */
  serverTime: ServerTime
  log: Log
  /**
   * Fires when the step is being cancelled (SIGINT/SIGTERM from the runner): commands stop at
   * the next check, send no further write, and return what they know.
   */
  stop: AbortSignal
}
