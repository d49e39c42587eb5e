// Extracts, from GitHub's own OpenAPI description (npm @octokit/openapi), the success-response
// schemas of the endpoints the simulator serves, and the request-body schemas of those that take a
// body, so the simulator (and the requests made to it) can be checked against GitHub's contract
// instead of against our memory of it.
//
//   npm run openapi-extract             writes __tests__/simulator/openapi-extract.json (operations)
//                                       and __tests__/simulator/openapi-webhooks.json (payloads)
//   npm run openapi-extract -- --check  fails when a committed extract differs from a fresh one
//
// The description is 385 MB unpacked, so it is not a dependency of the project: this script
// installs the version it was extracted from (OPENAPI_VERSION) into `.cache/openapi` the first
// time, and reads it from there.
//
// Only annotation keywords (descriptions, examples...) are dropped; every validation keyword of the
// dereferenced schemas is kept as published.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const SOURCE_FILE = 'generated/api.github.com.deref.json'
/** The @octokit/openapi release the committed extract comes from; bump it to follow GitHub. */
const OPENAPI_VERSION = '23.0.2'
const CACHE = join(root, '.cache/openapi')

/** The operations the simulator implements, by method and path template. */
const OPERATIONS: ReadonlyArray<readonly [method: string, path: string]> = [
  ['get', '/repos/{owner}/{repo}/actions/runs'],
  ['get', '/repos/{owner}/{repo}/actions/workflows'],
  ['get', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}'],
  ['get', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs'],
  ['get', '/repos/{owner}/{repo}/actions/jobs/{job_id}'],
  ['get', '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/timing'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/force-cancel'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs'],
  ['post', '/repos/{owner}/{repo}/actions/jobs/{job_id}/rerun'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/approve'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments'],
  ['post', '/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule'],
  ['post', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches'],
  ['delete', '/repos/{owner}/{repo}/actions/runs/{run_id}'],
  ['delete', '/repos/{owner}/{repo}/actions/runs/{run_id}/logs'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/logs'],
  ['get', '/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/logs'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/check-runs'],
  ['get', '/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs'],
  ['get', '/rate_limit'],
  ['get', '/repos/{owner}/{repo}/pulls'],
  ['get', '/repos/{owner}/{repo}'],
  // What a gate that holds no runner reads and writes: commit statuses, a workflow file, a pull
  // request and its changed files.
  ['post', '/repos/{owner}/{repo}/statuses/{sha}'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/status'],
  ['get', '/repos/{owner}/{repo}/commits/{ref}/statuses'],
  ['get', '/repos/{owner}/{repo}/contents/{path}'],
  ['get', '/repos/{owner}/{repo}/git/commits/{commit_sha}'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['get', '/repos/{owner}/{repo}/pulls/{pull_number}/files']
]

/**
 * Webhook payloads the test helpers build event files from (__tests__/helpers/events.ts), by the
 * description's `x-webhooks` key. `pull_request_target` has no entry of its own: GitHub sends it
 * the `pull_request` payload.
 */
const WEBHOOKS: readonly string[] = [
  'workflow-run-requested',
  'workflow-run-completed',
  'pull-request-opened',
  'pull-request-synchronize',
  'pull-request-reopened',
  'check-run-created',
  'check-run-completed',
  'status'
]

/** Keywords that document but never constrain; dropping them keeps the extract reviewable. */
const ANNOTATIONS = new Set(['description', 'title', 'example', 'examples', 'externalDocs', 'deprecated'])

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Walks a schema structurally, so a *property* named e.g. "description" is kept. */
function stripSchema(schema: Json): Json {
  if (!isObject(schema)) return schema
  const out: { [key: string]: Json } = {}
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue
    if ((key === 'properties' || key === 'patternProperties') && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripSchema(sub)]))
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map(stripSchema)
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      out[key] = stripSchema(value)
    } else {
      out[key] = value
    }
  }
  return out
}

export interface ExtractedOperation {
  method: string
  path: string
  status: string
  /** null when the success response has no JSON body (the logs redirects, 204s). */
  schema: Json
  /** The JSON request-body schema; present only for operations that take a body. */
  requestSchema?: Json
  /** Whether the request body is required (present with requestSchema). */
  requestRequired?: boolean
}

/** The package's directory, installed into the cache when it is not there yet. */
function openapiPackage(): string {
  const dir = join(CACHE, 'node_modules/@octokit/openapi')
  const installed =
    existsSync(join(dir, 'package.json')) && (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version === OPENAPI_VERSION
  if (!installed) {
    mkdirSync(CACHE, { recursive: true })
    console.log(`installing @octokit/openapi@${OPENAPI_VERSION} into ${CACHE} …`)
    execFileSync('npm', ['install', '--prefix', CACHE, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `@octokit/openapi@${OPENAPI_VERSION}`], {
      stdio: 'inherit'
    })
  }
  return dir
}

type Spec = {
  openapi: string
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, Json>; requestBody?: Json }>>
  'x-webhooks': Record<string, { post?: { requestBody?: Json } }>
}

interface Source {
  version: string
  spec: Spec
}

/** The description, parsed once for both extracts (it is 70 MB of JSON). */
function load(packageDir = openapiPackage()): Source {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }
  return { version: pkg.version, spec: JSON.parse(readFileSync(join(packageDir, SOURCE_FILE), 'utf8')) as Spec }
}

function extractOperation(spec: Spec, method: string, path: string): [string, ExtractedOperation] {
  const operation = spec.paths[path]?.[method]
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is missing from ${SOURCE_FILE}`)
  const success = Object.keys(operation.responses)
    .filter((code) => code.startsWith('2') || code.startsWith('3'))
    .sort()[0]
  if (success === undefined) throw new Error(`${operation.operationId} has no success response`)
  const response = operation.responses[success]
  const content = isObject(response) ? response['content'] : undefined
  const json = isObject(content) ? content['application/json'] : undefined
  const schema = isObject(json) ? (json['schema'] ?? null) : null
  const extracted: ExtractedOperation = { method, path, status: success, schema: stripSchema(schema) }
  const requestBody = operation.requestBody
  if (requestBody !== undefined) {
    const requestContent = isObject(requestBody) ? requestBody['content'] : undefined
    const requestJson = isObject(requestContent) ? requestContent['application/json'] : undefined
    const requestSchema = isObject(requestJson) ? requestJson['schema'] : undefined
    if (requestSchema === undefined) throw new Error(`${operation.operationId} has a request body without a JSON schema`)
    extracted.requestSchema = stripSchema(requestSchema)
    extracted.requestRequired = isObject(requestBody) && requestBody['required'] === true
  }
  return [operation.operationId, extracted]
}

function serialise(source: Source, key: string, entries: Record<string, Json | ExtractedOperation>): string {
  const document = {
    source: `@octokit/openapi@${source.version} ${SOURCE_FILE}`,
    openapi: source.spec.openapi,
    note: 'Generated by scripts/openapi-extract.ts; annotation keywords removed. Do not edit.',
    [key]: entries
  }
  return JSON.stringify(document, null, 1) + '\n'
}

export function extract(source: Source = load()): string {
  const operations: Record<string, ExtractedOperation> = {}
  for (const [method, path] of OPERATIONS) {
    const [operationId, extracted] = extractOperation(source.spec, method, path)
    operations[operationId] = extracted
  }
  return serialise(source, 'operations', operations)
}

/** The JSON payload schema of each webhook in WEBHOOKS, by its `x-webhooks` key. */
export function extractWebhooks(source: Source = load()): string {
  const webhooks: Record<string, Json> = {}
  for (const name of WEBHOOKS) {
    const body = source.spec['x-webhooks'][name]?.post?.requestBody
    const content = isObject(body) ? body['content'] : undefined
    const json = isObject(content) ? content['application/json'] : undefined
    const schema = isObject(json) ? json['schema'] : undefined
    if (schema === undefined) throw new Error(`webhook ${name} has no JSON payload schema in ${SOURCE_FILE}`)
    webhooks[name] = stripSchema(schema)
  }
  return serialise(source, 'webhooks', webhooks)
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const source = load()
  const outputs: [file: string, fresh: string][] = [
    [join(root, '__tests__/simulator/openapi-extract.json'), extract(source)],
    [join(root, '__tests__/simulator/openapi-webhooks.json'), extractWebhooks(source)]
  ]
  for (const [committed, fresh] of outputs) {
    if (process.argv.includes('--check')) {
      if (!existsSync(committed) || readFileSync(committed, 'utf8') !== fresh) {
        console.error(`${committed} differs from a fresh extraction of @octokit/openapi@${OPENAPI_VERSION}: run npm run openapi-extract`)
        process.exit(1)
      }
      console.log(`${committed} equals a fresh extraction of @octokit/openapi@${OPENAPI_VERSION}`)
    } else {
      writeFileSync(committed, fresh)
      console.log(`wrote ${committed}`)
    }
  }
}
