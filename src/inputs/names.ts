// The action's inputs as action.yml declares them (a test checks both lists against it).

/** Defaults, identical to action.yml's, applied when an input is absent. */
export const DEFAULTS = {
  command: 'summarize',
  'exclude-current-run': 'true',
  timeout: '30m',
  'poll-interval': '10s',
  'appear-timeout': '60s',
  'allowed-conclusions': 'success,neutral',
  'latest-only': 'false',
  'fail-fast': 'true',
  'cancel-on-timeout': 'false',
  summary: 'true',
  'log-lines': '30',
  timeline: 'true',
  'billable-time': 'false',
  scope: 'failed',
  'debug-logging': 'false',
  'max-attempts': '3',
  wait: 'false',
  'force-after': '60s',
  decision: 'approved',
  'custom-gate': 'false',
  keep: '0',
  'keep-per': 'workflow',
  'deleted-workflows': 'false',
  'logs-only': 'false',
  'keep-pull-requests': 'true',
  'dry-run': 'false'
} as const

/**
 * Inputs whose default is an expression the runner fills in (`${{ github.token }}`,
 * `${{ job.check_run_id }}`): they always arrive with a value, so a value is no sign the user
 * set them.
 */
export const FILLED_BY_THE_RUNNER = ['token', 'repository', 'job-id'] as const

/** Every input action.yml declares. */
export const INPUT_NAMES = [
  'command',
  ...FILLED_BY_THE_RUNNER,
  'run-id',
  'attempt',
  'workflow',
  'branch',
  'event',
  'head-sha',
  'actor',
  'status',
  'created',
  'exclude-current-run',
  'timeout',
  'poll-interval',
  'appear-timeout',
  'allowed-conclusions',
  'latest-only',
  'fail-fast',
  'job',
  'cancel-on-timeout',
  'status-context',
  'scope',
  'debug-logging',
  'max-attempts',
  'rerun-if',
  'wait',
  'force-after',
  'environments',
  'decision',
  'comment',
  'custom-gate',
  'older-than',
  'keep',
  'keep-per',
  'deleted-workflows',
  'logs-only',
  'keep-pull-requests',
  'dry-run',
  'save-logs',
  'ref',
  'inputs',
  'marker-input',
  'summary',
  'log-lines',
  'timeline',
  'billable-time'
] as const
