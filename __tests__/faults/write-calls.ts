// Every write method of GitHubApi, with the request it sends (for the tests of rule 1).
import type { GitHubApi } from '../../src/github/api.js'

export const REPO = '/repos/octo/app/actions'

/** Every write method of GitHubApi, with the request it sends. */
export const WRITES: [string, (api: GitHubApi) => Promise<unknown>, string][] = [
  ['cancelRun', (api) => api.cancelRun(700), `POST ${REPO}/runs/700/cancel`],
  ['forceCancelRun', (api) => api.forceCancelRun(700), `POST ${REPO}/runs/700/force-cancel`],
  ['rerunRun all', (api) => api.rerunRun(700, 'all', false), `POST ${REPO}/runs/700/rerun`],
  ['rerunRun failed', (api) => api.rerunRun(700, 'failed', true), `POST ${REPO}/runs/700/rerun-failed-jobs`],
  ['rerunJob', (api) => api.rerunJob(70001001, false), `POST ${REPO}/jobs/70001001/rerun`],
  ['approveRun', (api) => api.approveRun(700), `POST ${REPO}/runs/700/approve`],
  ['reviewPendingDeployments', (api) => api.reviewPendingDeployments(700, [1], 'approved', 'ok'), `POST ${REPO}/runs/700/pending_deployments`],
  ['reviewCustomGate', (api) => api.reviewCustomGate(700, 'prod', 'approved', 'ok'), `POST ${REPO}/runs/700/deployment_protection_rule`],
  ['deleteRun', (api) => api.deleteRun(700, false), `DELETE ${REPO}/runs/700`],
  ['deleteRun logs', (api) => api.deleteRun(700, true), `DELETE ${REPO}/runs/700/logs`]
]
