// Public surface of the GitHub API simulator (used by e2e tests, scripts/demo.ts, scripts/bench.ts).
export { Simulator } from './simulator.js'
export type {
  AttemptSpec,
  Fault,
  JobSpec,
  RecordedRequest,
  RunSpec,
  Scenario,
  SimulatorOptions,
  StepSpec,
  WorkflowSpec
} from './scenario.js'
export { DEFAULT_SHA } from './payloads.js'
