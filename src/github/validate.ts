// What a body must hold before the mappers in api.ts may use it. A proxy's HTML page, `{}`, JSON
// cut short or an object missing its id would otherwise become `id: NaN`, `status: 'queued'` and
// requests to `/runs/NaN`. The client checks every GET body against the endpoint's shape (so a
// bad one is retried like a 502 and never cached); the mappers check again before mapping.

/* eslint-disable @typescript-eslint/no-explicit-any -- raw payloads are checked field by field */
type Raw = Record<string, any>

/** JSON numbers beyond 2^53 arrive as bigint (json-with-bigint). */
export function isId(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint'
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer)
}

/** A short, safe description of a body that is not JSON at all. */
function describeNonJson(body: unknown): string {
  if (typeof body === 'string') {
    const text = body.replace(/\s+/g, ' ').trim()
    if (text === '') return 'empty body'
    return `not JSON: ${JSON.stringify(text.slice(0, 40).replace(/[^\x20-\x7e]/g, '?'))}${text.length > 40 ? '…' : ''}`
  }
  if (body instanceof ArrayBuffer) return `not JSON: ${body.byteLength} bytes of binary data`
  if (body === null || body === undefined) return 'empty body'
  if (Array.isArray(body)) return 'a JSON array'
  return typeof body === 'object' ? 'a JSON object' : `a JSON ${typeof body}`
}

/** Problems of an object used only by its numeric id and string status (empty when it is usable). */
function idAndStatusProblems(raw: unknown): string[] {
  if (!isObject(raw)) return [describeNonJson(raw)]
  const problems: string[] = []
  if (!isId(raw.id)) problems.push('no numeric id')
  if (typeof raw.status !== 'string') problems.push('no string status')
  return problems
}

/** Problems of a workflow run object (empty when it is usable). */
export const runProblems = idAndStatusProblems
/** Problems of a check run object (empty when it is usable). */
export const checkRunProblems = idAndStatusProblems

/** Problems of a job object (empty when it is usable). */
export function jobProblems(raw: unknown): string[] {
  if (!isObject(raw)) return [describeNonJson(raw)]
  const problems: string[] = []
  if (!isId(raw.id)) problems.push('no numeric id')
  if (!isId(raw.run_id)) problems.push('no numeric run_id')
  if (typeof raw.name !== 'string') problems.push('no string name')
  if (typeof raw.status !== 'string') problems.push('no string status')
  return problems
}

/** Problems of a workflow object (empty when it is usable). */
export function workflowProblems(raw: unknown): string[] {
  if (!isObject(raw)) return [describeNonJson(raw)]
  const problems: string[] = []
  if (!isId(raw.id)) problems.push('no numeric id')
  if (typeof raw.path !== 'string') problems.push('no string path')
  if (typeof raw.state !== 'string') problems.push('no string state')
  return problems
}

/** Problems of a pull request object, used by its id, number and head sha (empty when it is usable). */
export function pullRequestProblems(raw: unknown): string[] {
  if (!isObject(raw)) return [describeNonJson(raw)]
  const problems: string[] = []
  if (!isId(raw.id)) problems.push('no numeric id')
  if (typeof raw.number !== 'number') problems.push('no numeric number')
  if (!isObject(raw.head) || typeof raw.head.sha !== 'string') problems.push('no string head.sha')
  return problems
}

/** Problems of a repository object, used by its default branch only (empty when it is usable). */
export function repositoryProblems(raw: unknown): string[] {
  if (!isObject(raw)) return [describeNonJson(raw)]
  return typeof raw.default_branch === 'string' && raw.default_branch !== '' ? [] : ['no string default_branch']
}

/** Problems of a bare JSON array of items (the pulls list has no total_count), the first bad item named. */
function arrayProblems(raw: unknown, item: (raw: unknown) => string[]): string[] {
  if (!Array.isArray(raw)) return [describeNonJson(raw)]
  for (let i = 0; i < raw.length; i++) {
    const found = item(raw[i])
    if (found.length > 0) return [`[${i}]: ${found.join(', ')}`]
  }
  return []
}

function listProblems(raw: unknown, field: string, item: (raw: unknown) => string[]): string[] {
  if (!isObject(raw)) return [describeNonJson(raw)]
  const problems: string[] = []
  if (typeof raw.total_count !== 'number') problems.push('no numeric total_count')
  const items: unknown = raw[field]
  if (!Array.isArray(items)) return [...problems, `no ${field} array`]
  // The first bad item tells enough; listing all of a 100-item page helps nobody.
  for (let i = 0; i < items.length; i++) {
    const found = item(items[i])
    if (found.length > 0) return [...problems, `${field}[${i}]: ${found.join(', ')}`]
  }
  return problems
}

export interface BodyShape {
  /** `a workflow run`: what the error message says the body should have been. */
  expected: string
  problems(body: unknown): string[]
}

const RUN: BodyShape = { expected: 'a workflow run', problems: runProblems }
const JOB: BodyShape = { expected: 'a job', problems: jobProblems }
const RUN_LIST: BodyShape = { expected: 'a list of workflow runs', problems: (body) => listProblems(body, 'workflow_runs', runProblems) }
const JOB_LIST: BodyShape = { expected: 'a list of jobs', problems: (body) => listProblems(body, 'jobs', jobProblems) }
const CHECK_RUN_LIST: BodyShape = { expected: 'a list of check runs', problems: (body) => listProblems(body, 'check_runs', checkRunProblems) }
const WORKFLOW: BodyShape = { expected: 'a workflow', problems: workflowProblems }
const WORKFLOW_LIST: BodyShape = { expected: 'a list of workflows', problems: (body) => listProblems(body, 'workflows', workflowProblems) }
const PULL_LIST: BodyShape = { expected: 'a list of pull requests', problems: (body) => arrayProblems(body, pullRequestProblems) }
const REPOSITORY: BodyShape = { expected: 'a repository', problems: repositoryProblems }
const ARRAY: BodyShape = { expected: 'a JSON array', problems: (body) => (Array.isArray(body) ? [] : [describeNonJson(body)]) }
const OBJECT: BodyShape = { expected: 'a JSON object', problems: (body) => (isObject(body) ? [] : [describeNonJson(body)]) }

/** Per endpoint (path after the API's base path, no query): the shape of its GET body. */
const SHAPES: [RegExp, BodyShape][] = [
  [/^\/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+(\/attempts\/\d+)?$/, RUN],
  [/^\/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+(\/attempts\/\d+)?\/jobs$/, JOB_LIST],
  [/^\/repos\/[^/]+\/[^/]+\/actions\/(workflows\/[^/]+\/)?runs$/, RUN_LIST],
  [/^\/repos\/[^/]+\/[^/]+\/actions\/jobs\/\d+$/, JOB],
  [/^\/repos\/[^/]+\/[^/]+\/actions\/workflows$/, WORKFLOW_LIST],
  [/^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+$/, WORKFLOW],
  [/^\/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+\/(approvals|pending_deployments)$/, ARRAY],
  [/^\/repos\/[^/]+\/[^/]+\/(commits\/[^/]+|check-suites\/\d+)\/check-runs$/, CHECK_RUN_LIST],
  [/^\/repos\/[^/]+\/[^/]+\/pulls$/, PULL_LIST],
  [/^\/repos\/[^/]+\/[^/]+$/, REPOSITORY]
]

/** The shape a GET body of this endpoint must have; any other JSON endpoint must answer an object or array. */
export function shapeOf(path: string): BodyShape {
  for (const [pattern, shape] of SHAPES) if (pattern.test(path)) return shape
  return { expected: 'JSON', problems: (body) => (Array.isArray(body) ? [] : OBJECT.problems(body)) }
}
