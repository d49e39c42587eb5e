// Public surface of the GitHub API simulator (used by e2e tests, scripts/demo.ts, scripts/bench.ts).
export { Simulator, type SimulatedStatus } from './simulator.js'
export type {
  AttemptSpec,
  CommitStatusSpec,
  CommitStatusState,
  ExternalCheckRunSpec,
  FileSpec,
  PullFileSpec,
  Fault,
  JobSpec,
  PullRequestSpec,
  RecordedRequest,
  RunSpec,
  Scenario,
  SimulatorOptions,
  StepSpec,
  TokenSpec,
  WorkflowSpec
} from './scenario.js'
export { DEFAULT_SHA } from './payloads.js'
export { CANCEL_DELAY_SECONDS, MESSAGES, RERUN_DELAY_SECONDS, RERUN_MAX_AGE_SECONDS, REVIEWER_LOGIN } from './model.js'
export { MAX_ATTEMPTS } from './scenario.js'
export { MAX_DESCRIPTION_CHARACTERS, MAX_STATUSES_PER_CONTEXT } from './repo-state.js'
export { MAX_LISTED_PULL_FILES } from './repo-routes.js'
