// Checks the simulator's JSON answers, and the request bodies sent to it, against GitHub's OpenAPI
// description (the extract written by scripts/openapi-extract.ts), so the action is tested against
// GitHub's contract, not ours.
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv

export type OperationId =
  | 'actions/list-workflow-runs-for-repo'
  | 'actions/list-repo-workflows'
  | 'actions/list-workflow-runs'
  | 'actions/get-workflow'
  | 'actions/get-workflow-run'
  | 'actions/get-workflow-run-attempt'
  | 'actions/list-jobs-for-workflow-run'
  | 'actions/list-jobs-for-workflow-run-attempt'
  | 'actions/get-job-for-workflow-run'
  | 'actions/download-job-logs-for-workflow-run'
  | 'actions/get-workflow-run-usage'
  | 'actions/get-reviews-for-run'
  | 'actions/get-pending-deployments-for-run'
  | 'actions/cancel-workflow-run'
  | 'actions/force-cancel-workflow-run'
  | 'actions/re-run-workflow'
  | 'actions/re-run-workflow-failed-jobs'
  | 'actions/re-run-job-for-workflow-run'
  | 'actions/approve-workflow-run'
  | 'actions/review-pending-deployments-for-run'
  | 'actions/review-custom-gates-for-run'
  | 'actions/delete-workflow-run'
  | 'actions/delete-workflow-run-logs'
  | 'actions/download-workflow-run-logs'
  | 'actions/download-workflow-run-attempt-logs'
  | 'actions/create-workflow-dispatch'
  | 'checks/list-for-ref'
  | 'checks/list-for-suite'
  | 'rate-limit/get'
  | 'pulls/list'
  | 'repos/get'
  | 'repos/create-commit-status'
  | 'repos/get-combined-status-for-ref'
  | 'repos/list-commit-statuses-for-ref'
  | 'repos/get-content'
  | 'git/get-commit'
  | 'pulls/get'
  | 'pulls/list-files'

/** Webhook payloads in the webhooks extract (`x-webhooks` keys of the description). */
export type WebhookName =
  | 'workflow-run-requested'
  | 'workflow-run-completed'
  | 'pull-request-opened'
  | 'pull-request-synchronize'
  | 'pull-request-reopened'
  | 'check-run-created'
  | 'check-run-completed'
  | 'status'

interface Extract {
  operations: Record<string, { method: string; path: string; status: string; schema: unknown; requestSchema?: unknown; requestRequired?: boolean }>
}

export const EXTRACT_URL = new URL('./openapi-extract.json', import.meta.url)

let extract: Extract | undefined
let ajv: Ajv | undefined
// Compiling the workflow-run schema takes a moment: share compiled validators across simulators.
const compiled = new Map<string, ValidateFunction | null>()
const compiledRequests = new Map<string, ValidateFunction | null>()

function load(): { extract: Extract; ajv: Ajv } {
  if (!extract) extract = JSON.parse(readFileSync(EXTRACT_URL, 'utf8')) as Extract
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false })
    addFormats(ajv)
  }
  return { extract, ajv }
}

/**
 * OpenAPI 3.0 `nullable: true` admits null. Ajv implements that for `type`, but an `enum` next to
 * it still rejects null (GitHub's job `conclusion` is such a field), so null is added to the enum.
 */
export function honourNullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(honourNullable)
  if (typeof schema !== 'object' || schema === null) return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) out[key] = honourNullable(value)
  if (out['nullable'] === true && Array.isArray(out['enum']) && !out['enum'].includes(null)) {
    out['enum'] = [...(out['enum'] as unknown[]), null]
  }
  return out
}

function validatorFor(operationId: OperationId): ValidateFunction | null {
  if (compiled.has(operationId)) return compiled.get(operationId) ?? null
  const { extract, ajv } = load()
  const operation = extract.operations[operationId]
  if (!operation) throw new Error(`${operationId} is not in the OpenAPI extract; rerun scripts/openapi-extract.ts`)
  const validator = operation.schema === null ? null : ajv.compile(honourNullable(operation.schema) as object)
  compiled.set(operationId, validator)
  return validator
}

/**
 * Compiles every validator now (about half a second, once per process), so the first requests to
 * a simulator are not slowed down while its virtual clock runs.
 */
export function prepareValidators(): void {
  for (const operationId of Object.keys(load().extract.operations)) {
    validatorFor(operationId as OperationId)
    requestValidatorFor(operationId as OperationId)
  }
}

function requestValidatorFor(operationId: OperationId): ValidateFunction | null {
  if (compiledRequests.has(operationId)) return compiledRequests.get(operationId) ?? null
  const { extract, ajv } = load()
  const operation = extract.operations[operationId]
  if (!operation) throw new Error(`${operationId} is not in the OpenAPI extract; rerun scripts/openapi-extract.ts`)
  const validator = operation.requestSchema === undefined ? null : ajv.compile(honourNullable(operation.requestSchema) as object)
  compiledRequests.set(operationId, validator)
  return validator
}

/**
 * Problems with `body` as the request body of `operationId` (empty when it conforms). `undefined`
 * means no body was sent: a problem only when the operation requires one.
 */
export function validateRequest(operationId: OperationId, body: unknown): string[] {
  const operation = load().extract.operations[operationId]
  if (!operation) throw new Error(`${operationId} is not in the OpenAPI extract; rerun scripts/openapi-extract.ts`)
  if (body === undefined) return operation.requestRequired ? ['a body is required'] : []
  const validate = requestValidatorFor(operationId)
  if (!validate) return [] // the operation documents no body; whatever is sent is ignored
  if (validate(body)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${formatParams(error.params)}`)
}

/** Problems with `body` as the success response of `operationId` (empty when it conforms). */
export function validateResponse(operationId: OperationId, body: unknown): string[] {
  const validate = validatorFor(operationId)
  if (!validate || validate(body)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${formatParams(error.params)}`)
}

/**
 * The webhook schemas put `nullable: true` beside `allOf`/`oneOf` with no `type`, which Ajv
 * refuses to compile; OpenAPI 3.0 means "this, or null", so it is written that way.
 */
function nullableWithoutType(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableWithoutType)
  if (typeof schema !== 'object' || schema === null) return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) out[key] = nullableWithoutType(value)
  if (out['nullable'] !== true || 'type' in out) return out
  delete out['nullable']
  return { anyOf: [out, { type: 'null' }] }
}

export const WEBHOOKS_URL = new URL('./openapi-webhooks.json', import.meta.url)
let webhooks: Record<string, unknown> | undefined
const compiledWebhooks = new Map<WebhookName, ValidateFunction>()

/**
 * Problems with `body` as the payload of webhook `name` (empty when it conforms): what the event
 * builders of __tests__/helpers/events.ts are checked with. Loaded on first use only, so a
 * simulator never pays for it.
 */
export function validateWebhook(name: WebhookName, body: unknown): string[] {
  webhooks ??= (JSON.parse(readFileSync(WEBHOOKS_URL, 'utf8')) as { webhooks: Record<string, unknown> }).webhooks
  let validate = compiledWebhooks.get(name)
  if (!validate) {
    const schema = webhooks[name]
    if (schema === undefined) throw new Error(`${name} is not in the webhooks extract; rerun scripts/openapi-extract.ts`)
    validate = load().ajv.compile(nullableWithoutType(honourNullable(schema)) as object)
    compiledWebhooks.set(name, validate)
  }
  if (validate(body)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${formatParams(error.params)}`)
}

function formatParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params)
  return entries.length ? ` (${entries.map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join(', ')})` : ''
}
