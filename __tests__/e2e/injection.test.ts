// Injection end to end: every command of the BUILT action (`node dist/index.js`) run against
// scenarios whose untrusted text is hostile — workflow names, run titles, job and step names,
// environment names and their reviewers, log lines, and API error messages. The whole of
// stdout + stderr is read the way the runner reads it (__tests__/helpers/workflow-commands.ts):
// the only workflow commands allowed are the action's own (`add-mask` of the token, `error`,
// `warning`, `debug`, `group`/`endgroup`), never with parameters a name could have added. The
// outputs file must hold only the action's outputs, `conclusion` unforged, and the job summary no
// raw HTML, mention, `javascript:` link or mermaid statement that came from a name.
//
// Jest prints a failure's code frame and diff to the CI log, which the runner scans too: the
// assertions compare `printable(...)` text only, and no line of this file is itself a command
// (`#` is written `\u0023` where a `##[` form would be).
//
// Size: 24 hostile strings × 6 commands (wait, summarize, rerun with wait, cancel, approve, delete)
// = 144 combinations, each string in every untrusted field the command reads; plus an API error
// message made of all of them for each command (6 more runs) and 2 approve refusals that print
// environment names and reviewers. The number of output lines and command lines checked is
// printed when the file ends.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { daysAgo } from '../../__fixtures__/scenarios.js'
import { commandLinesIn, printable, readOutputFile, runnerLines } from '../helpers/workflow-commands.js'
import { Simulator, type Fault, type JobSpec, type RunSpec, type Scenario } from '../simulator/index.js'
import { ROOT, runAction, TOKEN, type ActionRun } from './harness.js'
import { expectCleanRun } from './setup.js'
import { expectMermaidParses } from '../mermaid.js'
import { COMMAND_NAMES, type CommandName } from '../../src/commands/registry.js'

const HOSTILE: readonly string[] = [
  '::stop-commands::pwned',
  '::error title=x::forged',
  '  ::set-output name=conclusion::success',
  '\u0023\u0023[set-output name=conclusion;]success',
  'x \u0023\u0023[error]forged',
  'a\nb::error::c',
  'a\r::warning::c',
  'n\u2028::error::u',
  '::add-mask::foo',
  '<img src=x onerror=alert(1)>',
  '@octocat',
  '](javascript:alert(1))',
  'a"];click x call alert()',
  // Harder variants: a command right after a line break, at the start of the next line.
  'x\n::error::nl-forged',
  'x\r\n  ::set-output name=conclusion::success',
  'x\r::stop-commands::cr',
  'y\u2029\u0023\u0023[add-mask]ps',
  '%0A::error::pct',
  '[click me](javascript:alert(1))',
  'click x call alert()',
  '</pre></details><img src=y onerror=alert(2)>',
  // Words mermaid's gantt lexer takes for tokens at the start of a line (gantt.jison), not a label.
  'call alert()',
  'href "javascript:alert(1)"',
  '2026-01-01 deploy'
]

// Every command the action has: a new one gets no pass here until it has its cases.
const COMMANDS = COMMAND_NAMES
type Command = CommandName

const OWNER = 'octo'
const REPO = 'app'
const SPEED = 8
const POLL = { 'poll-interval': '1s' }

// What the action's own commands look like: a registered name, no parameters.
const OWN_COMMANDS = new Set(['add-mask', 'error', 'warning', 'debug', 'group', 'endgroup'])
// The outputs action.yml declares: anything else in GITHUB_OUTPUT would be forged.
const OUTPUT_NAMES: ReadonlySet<string> = new Set(
  Object.keys((parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { outputs: Record<string, unknown> }).outputs)
)

// Branch names come from fork authors too; git refuses `:`, `[`, spaces and control characters in
// them, but not HTML or a mention.
const BRANCH = 'fix/<img/src=x/onerror=alert(1)>@octocat'

/** The hostile strings dealt round-robin into `count` groups (one run each). */
function groupsOf(count: number): string[][] {
  const groups = Array.from({ length: count }, () => [] as string[])
  HOSTILE.forEach((text, i) => groups[i % count]?.push(text))
  return groups
}

const failingJobs = (group: string[]): JobSpec[] =>
  group.map((text) => ({ name: text, steps: [{ name: text, seconds: 1, conclusion: 'failure', log: [text, `\u0023\u0023[error]${text}`] }] }))

/** A run still going (one long step per string), started just before the simulator. */
const runningRun = (group: string[]) => ({
  attempts: [{ at: -5, jobs: group.map((text): JobSpec => ({ name: text, steps: [{ name: text, seconds: 600, log: [text] }] })) }]
})

/**
 * One run per group, each of its own workflow: the workflow name and the run title are the
 * group's strings joined, each job and its one step are named by one string; the branch is BRANCH.
 */
function hostileScenario(
  firstId: number,
  groups: string[][],
  shape: (group: string[], k: number) => Omit<RunSpec, 'id' | 'workflow' | 'title'>
): { scenario: Scenario; ids: number[] } {
  const workflows = groups.map((group, k) => ({ id: 300 + k, name: group.join(' '), file: `hostile-${k}.yml` }))
  const runs = groups.map((group, k): RunSpec => ({
    id: firstId + k,
    workflow: `hostile-${k}.yml`,
    title: group.join(' '),
    branch: BRANCH,
    ...shape(group, k)
  }))
  return { scenario: { owner: OWNER, repo: REPO, workflows, runs }, ids: runs.map((run) => run.id) }
}

/** A completed run whose jobs all failed, `secondsAgo` before the simulator starts. */
const failedRun = (secondsAgo: number) => (group: string[]) => ({ attempts: [{ at: -secondsAgo, jobs: failingJobs(group) }] })

/** A run held on environments named by its strings: one the token may approve per string, and one it may not. */
function waitingRun(group: string[], k: number): Omit<RunSpec, 'id' | 'workflow' | 'title'> {
  return {
    attempts: [{ at: -10, hold: { status: 'waiting' }, jobs: group.map((text) => ({ name: text, steps: [{ name: text, seconds: 1 }] })) }],
    pendingDeployments: [
      ...group.map((text, j) => ({ environment: text, id: 9000 + 100 * k + j, canApprove: true, reviewers: [text] })),
      { environment: lockedEnvironment(k), id: 9000 + 100 * k + 99, canApprove: false, reviewers: group }
    ]
  }
}

// No comma or line break: it is given back in the `environments` input, which splits on them.
// (Escaped here: a stack trace's code frame could print this line.)
const lockedEnvironment = (k: number): string =>
  `x \u0023\u0023[error]locked ${k} <img src=x onerror=alert(1)> @octocat \u003a\u003astop-commands\u003a\u003apwned`

const API_MESSAGE = HOSTILE.join('\n')
const apiFault = (fault: Omit<Fault, 'kind'>): Fault => ({ kind: 'status', status: 422, body: { message: API_MESSAGE }, times: 20, ...fault }) as Fault

interface Case {
  key: string
  /** The summary has a mermaid timeline (commands that read jobs and steps). */
  timeline?: true
  /** The hostile strings the log and the summary show (default: all of them). */
  printed?: { log?: readonly string[]; summary?: readonly string[] }
  title: string
  command: Command
  scenario: () => { scenario: Scenario; ids: number[] }
  faults?: (ids: number[]) => Fault[]
  inputs: (ids: number[]) => Record<string, string>
  /** The outcome the command must report: what a forged `conclusion` would contradict. */
  check: (run: ActionRun, ids: number[], sim: Simulator) => void
}

/**
 * A workflow whose `workflow_dispatch` run fails in one job per string, named by the strings
 * (the workflow's name too); no run exists before the dispatch.
 */
function dispatchScenario(): { scenario: Scenario; ids: number[] } {
  const group = HOSTILE
  const workflows = [{ id: 390, name: group.join(' '), file: 'hostile-dispatch.yml', dispatch: { jobs: failingJobs([...group]) } }]
  return { scenario: { owner: OWNER, repo: REPO, workflows, runs: [] }, ids: [] }
}

const runIds = (ids: number[]) => ({ 'run-id': ids.join(', ') })
const idsOf = (run: ActionRun, name: string): number[] => (JSON.parse(run.outputs[name] ?? '[]') as number[]).slice().sort((a, b) => a - b)

const CASES: Case[] = [
  {
    key: 'wait',
    timeline: true,
    title: 'wait on failed runs (their logs read)',
    command: 'wait',
    scenario: () => hostileScenario(1100, groupsOf(HOSTILE.length), failedRun(60)),
    inputs: (ids) => ({ command: 'wait', ...runIds(ids), ...POLL, 'fail-fast': 'false' }),
    check: (run) => {
      expect(run.exitCode).toBe(1)
      expect([run.outputs.conclusion, run.outputs.result]).toEqual(['failure', 'failure'])
      expect(JSON.parse(run.outputs['failed-jobs'] ?? '[]')).toHaveLength(HOSTILE.length)
      expect(run.requests.filter((r) => r.origin === 'logs')).not.toHaveLength(0)
    }
  },
  {
    key: 'summarize',
    timeline: true,
    // summarize logs no names, only what it did: the summary shows them.
    printed: { log: [] },
    title: 'summarize failed runs',
    command: 'summarize',
    scenario: () => hostileScenario(1200, groupsOf(HOSTILE.length), failedRun(60)),
    inputs: (ids) => ({ command: 'summarize', ...runIds(ids) }),
    check: (run) => {
      expect(run.exitCode).toBe(0)
      expect(run.outputs.conclusion).toBe('failure')
      expect(run.requests.filter((r) => r.origin === 'logs')).not.toHaveLength(0)
    }
  },
  {
    key: 'rerun',
    timeline: true,
    title: 'rerun with wait: true (the new attempts fail again, their logs read)',
    command: 'rerun',
    scenario: () => hostileScenario(1300, groupsOf(4), failedRun(30)),
    inputs: (ids) => ({ command: 'rerun', ...runIds(ids), wait: 'true', ...POLL }),
    check: (run, ids) => {
      expect(run.exitCode).toBe(1)
      expect([run.outputs.reran, run.outputs['run-attempt'], run.outputs.conclusion]).toEqual(['true', '2', 'failure'])
      expect(idsOf(run, 'run-ids')).toEqual(ids)
    }
  },
  {
    key: 'cancel',
    title: 'cancel runs in progress',
    command: 'cancel',
    scenario: () => hostileScenario(1400, groupsOf(4), runningRun),
    inputs: (ids) => ({ command: 'cancel', ...runIds(ids), ...POLL }),
    check: (run, ids) => {
      expect(run.exitCode).toBe(0)
      expect(run.outputs.conclusion).toBe('cancelled')
      expect(idsOf(run, 'cancelled-run-ids')).toEqual(ids)
    }
  },
  {
    key: 'approve',
    title: 'approve runs waiting on hostile environment names',
    command: 'approve',
    scenario: () => hostileScenario(1500, groupsOf(4), waitingRun),
    inputs: (ids) => ({ command: 'approve', ...runIds(ids) }),
    check: (run, ids) => {
      expect(run.exitCode).toBe(0)
      expect(idsOf(run, 'reviewed-run-ids')).toEqual(ids)
      expect(run.outputs.conclusion).not.toBe('success')
      // The ids reviewed are the approvable ones of each run, whatever their names say.
      const reviews = run.requests.filter((r) => r.method === 'POST').map((r) => [r.path, (r.body as { environment_ids?: number[] }).environment_ids])
      expect(reviews).toEqual(
        groupsOf(4).map((group, k) => [`/repos/octo/app/actions/runs/${ids[k]}/pending_deployments`, group.map((_, j) => 9000 + 100 * k + j)])
      )
    }
  },
  {
    key: 'delete',
    title: 'delete old runs (dry-run: false)',
    command: 'delete',
    scenario: () => hostileScenario(1600, groupsOf(4), failedRun(-daysAgo(40))),
    inputs: (ids) => ({ command: 'delete', ...runIds(ids), 'older-than': '30d', 'dry-run': 'false' }),
    check: (run, ids) => {
      expect(run.exitCode).toBe(0)
      expect(idsOf(run, 'deleted-run-ids')).toEqual(ids)
      expect(run.outputs.conclusion).toBe('failure')
    }
  },
  // The refusals of `approve` print pending environment names and required reviewers.
  {
    key: 'approve-not-pending',
    title: 'approve refusing an environment that is not pending (lists the pending names)',
    command: 'approve',
    scenario: () => hostileScenario(1700, groupsOf(2), waitingRun),
    inputs: (ids) => ({ command: 'approve', ...runIds(ids), environments: 'staging' }),
    check: (run) => {
      expect(run.exitCode).toBe(1)
      expect(run.requests.filter((r) => r.method !== 'GET')).toEqual([])
      expect(printable(run.log)).toContain(printable("'staging'"))
    }
  },
  {
    key: 'approve-locked',
    // The error names the locked environment of the first run and its reviewers: that run's strings.
    printed: { log: groupsOf(2)[0] ?? [], summary: groupsOf(2)[0] ?? [] },
    title: 'approve refusing an environment the token may not approve (names its reviewers)',
    command: 'approve',
    scenario: () => hostileScenario(1800, groupsOf(2), waitingRun),
    inputs: (ids) => ({ command: 'approve', ...runIds(ids), environments: lockedEnvironment(0) }),
    check: (run) => {
      expect(run.exitCode).toBe(1)
      expect(run.requests.filter((r) => r.method !== 'GET')).toEqual([])
      expect(printable(run.log)).toContain(printable('reviewers'))
    }
  },
  {
    key: 'dispatch',
    timeline: true,
    title: 'dispatch with wait: true (the run started fails, its logs read)',
    command: 'dispatch',
    scenario: dispatchScenario,
    inputs: () => ({ command: 'dispatch', workflow: 'hostile-dispatch.yml', ref: BRANCH, wait: 'true', ...POLL }),
    check: (run) => {
      expect(run.exitCode).toBe(1)
      expect([run.outputs.conclusion, run.outputs.result]).toEqual(['failure', 'failure'])
      expect(JSON.parse(run.outputs['failed-jobs'] ?? '[]')).toHaveLength(HOSTILE.length)
    }
  },
  {
    key: 'dispatch-api-error',
    title: 'dispatch given a hostile API error message (422)',
    command: 'dispatch',
    scenario: dispatchScenario,
    faults: () => [apiFault({ method: 'POST', path: /\/dispatches$/ })],
    inputs: () => ({ command: 'dispatch', workflow: 'hostile-dispatch.yml', ref: BRANCH }),
    check: (run) => {
      expect(run.exitCode).toBe(1)
      expect(run.outputs.result).toBe('failure')
      expect(printable(run.log)).toContain(printable('::error::'))
      expect(printable(run.log)).toContain(printable('pwned%0A'))
    }
  },
  // One API error message made of every hostile string, line breaks included, per command.
  ...(
    [
      ['wait', failedRun(60), (ids: number[]) => [{ method: 'GET', path: `/repos/octo/app/actions/runs/${ids[0]}` }], {}],
      ['summarize', failedRun(60), (ids: number[]) => [{ method: 'GET', path: `/repos/octo/app/actions/runs/${ids[0]}/jobs` }], {}],
      ['rerun', failedRun(30), () => [{ method: 'POST', path: /\/rerun-failed-jobs$/ }], { wait: 'true', ...POLL }],
      ['cancel', runningRun, () => [{ method: 'POST', path: /\/cancel$/ }], POLL],
      ['approve', waitingRun, () => [{ method: 'POST', path: /\/pending_deployments$/ }], {}],
      [
        'delete',
        failedRun(-daysAgo(40)),
        () => [{ method: 'DELETE', path: /^\/repos\/octo\/app\/actions\/runs\/\d+$/ }],
        { 'older-than': '30d', 'dry-run': 'false' }
      ]
    ] as [
      Command,
      (group: string[], k: number) => Omit<RunSpec, 'id' | 'workflow' | 'title'>,
      (ids: number[]) => Omit<Fault, 'kind'>[],
      Record<string, string>
    ][]
  ).map(([command, shape, faults, extra], i): Case => ({
    key: `${command}-api-error`,
    title: `${command} given a hostile API error message (422)`,
    command,
    scenario: () => hostileScenario(1900 + 10 * i, groupsOf(1), shape),
    faults: (ids) => faults(ids).map(apiFault),
    inputs: (ids) => ({ command, ...runIds(ids), ...extra }),
    check: (run) => {
      expect(run.exitCode).toBe(1)
      expect(run.outputs.result).toBe('failure')
      expect(run.outputs.conclusion).not.toBe('success')
      // The fault was hit: its message reached the failure annotation (escaped by @actions/core).
      expect(printable(run.log)).toContain(printable('::error::'))
      expect(printable(run.log)).toContain(printable('pwned%0A'))
    }
  }))
]

// ---------------------------------------------------------------------------------------------
// What the runner, the outputs file and the summary renderer would make of a run.

const stats = { runs: 0, lines: 0, commandLines: 0, summaryLines: 0 }

/** Workflow commands the action did not write itself, as printable descriptions (empty when clean). */
function foreignCommands(run: ActionRun): string[] {
  const lines = runnerLines(run.log)
  const commands = commandLinesIn(run.log)
  stats.runs += 1
  stats.lines += lines.length
  stats.commandLines += commands.length
  const foreign: string[] = []
  for (const command of commands) {
    if (command.form === 'v1') {
      // Only a line that is no `::` command is read for the legacy `##[` form: this one would run.
      foreign.push(`legacy form, name ${printable(command.info)}: ${printable(command.line)}`)
    } else if (!OWN_COMMANDS.has(command.info)) {
      // `::name params::`: a name the action never writes, or parameters (title=, file=…) it never sets.
      foreign.push(`command ${printable(command.info)}: ${printable(command.line)}`)
    } else if (command.info === 'add-mask' && command.data !== TOKEN) {
      foreign.push(`add-mask of something else: ${printable(command.line)}`)
    }
    // A legacy `##[` form inside an own `::error::`/`::warning::` line is data: the runner parses
    // the `::` form first and never looks for `##[` in a line that is one.
  }
  return foreign
}

function expectOutputs(run: ActionRun): void {
  const file = readOutputFile(run.outputFile)
  expect(file.stray.map(printable)).toEqual([])
  expect(file.names.filter((name) => !OUTPUT_NAMES.has(name)).map(printable)).toEqual([])
  // The outputs the harness parsed are the ones the strict reading found.
  expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(file.outputs).sort())
  // The runner still honours `set-output` from stdout: an output set that way would override the file's.
  const fromStdout = commandLinesIn(run.log).filter((command) => /^set-output\b/i.test(command.info.trim()))
  expect(fromStdout.map((command) => printable(command.line))).toEqual([])
}

// GitHub forms no links or mentions inside <pre> (an HTML block) or a code block (the mermaid chart).
const withoutPre = (summary: string): string => summary.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/```mermaid\n[\s\S]*?```/g, '')
const mermaidBlocks = (summary: string): string[] => [...summary.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')

// The raw tags the action writes itself; everything from a name is an entity.
const OWN_TAG = /^<\/?(?:details|summary|pre|code|b|br|sub|sup)(?: open)?>$/

function summaryProblems(summary: string): string[] {
  stats.summaryLines += summary.split('\n').length
  const problems: string[] = []
  for (const tag of summary.match(/<\/?[A-Za-z][^>]*>?/g) ?? []) {
    if (!OWN_TAG.test(tag)) problems.push(`raw tag ${printable(tag)}`)
  }
  if (/<img/i.test(summary)) problems.push('raw <img')
  if (/href\s*=\s*["']?\s*javascript:/i.test(summary)) problems.push('javascript: href')
  // Outside <pre> and the chart nothing may link or mention.
  const markdown = withoutPre(summary)
  if (/\]\(\s*<?\s*javascript:/i.test(markdown)) problems.push('javascript: link target')
  if (/<javascript:/i.test(markdown)) problems.push('javascript: autolink')
  if (/@octocat/i.test(markdown)) problems.push('@octocat mention')
  return problems
}

// The statements the action's gantt charts are made of; a task or section label ends at its `:`.
const GANTT_LINE =
  /^(?:---|displayMode: compact|gantt|    dateFormat x|    axisFormat %s (?:s|min|h|d)|    tickInterval \d+second|    todayMarker off|    section ([^:\n]+)|    ([^:\n]+) :[^:\n]*)$/
// Words mermaid's gantt lexer (gantt.jison, case-insensitive, first matching rule wins) reads as a
// token, not as a label, at the start of a line: a task label starting with one of them is no label.
const MERMAID_KEYWORD =
  /^(?:click|section|title|gantt|dateformat|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|inclusiveenddates|topaxis|accdescr|acctitle)\b/i
const MERMAID_OTHER_TOKEN = /^(?:call\s|href\s+"|\d{4}-\d{2}-\d{2}\b)/i

/** Per mermaid line: not one of the action's gantt statements, or a label a name turned into something else. */
function mermaidProblems(summary: string): { syntax: string[]; tokens: string[] } {
  const problems = { syntax: [] as string[], tokens: [] as string[] }
  for (const block of mermaidBlocks(summary)) {
    for (const line of block.split('\n').filter((l) => l !== '')) {
      const match = GANTT_LINE.exec(line)
      if (!match) {
        problems.syntax.push(`not a gantt statement: ${printable(line)}`)
        continue
      }
      // The lexer skips whitespace (JavaScript's \s) before a token.
      const label = (match[1] ?? match[2] ?? '').replace(/^\s+/, '')
      if (MERMAID_KEYWORD.test(label)) problems.syntax.push(`label read as a statement: ${printable(line)}`)
      if (/[`{}<>#;%]/.test(label)) problems.syntax.push(`label with mermaid syntax: ${printable(line)}`)
      // (A section line is one token to its end: only task labels can be cut short.)
      if (match[2] !== undefined && MERMAID_OTHER_TOKEN.test(label)) problems.tokens.push(`task label read as a call/href/date token: ${printable(line)}`)
    }
  }
  return problems
}

// Where the hostile strings ended up, as a reader sees them: the checks above are not vacuous
// only if the names were printed at all.

const ZERO_WIDTH = /[\u200B\u200D]/g
const collapse = (text: string): string => text.replace(/[\s\u2028\u2029⏎]+/g, ' ').trim()
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"' }

function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot));/gi, (_, dec?: string, hex?: string, name?: string) =>
    dec ? String.fromCharCode(Number(dec)) : hex ? String.fromCharCode(parseInt(hex, 16)) : (ENTITIES[name ?? ''] ?? '')
  )
}

/** The job log as a reader sees it: the values of the action's own commands unescaped as the runner does. */
function logText(log: string): string {
  return runnerLines(log)
    .map((line) => {
      const own = /^::(?:error|warning)::([\s\S]*)$/.exec(line)
      const text = own ? (own[1] ?? '').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') : line
      return collapse(text.replace(ZERO_WIDTH, ''))
    })
    .join('\n')
}

const summaryText = (summary: string): string => collapse(decodeEntities(summary).replace(ZERO_WIDTH, ''))

/** The hostile strings of `expected` not found in `text`, printable. */
const missingFrom = (text: string, expected: readonly string[]): string[] => expected.filter((hostile) => !text.includes(collapse(hostile))).map(printable)

// ---------------------------------------------------------------------------------------------

const simulators: Simulator[] = []
const outcomes = new Map<string, Promise<{ run: ActionRun; sim: Simulator; ids: number[] }>>()

beforeAll(() => {
  // Every case at once: the commands mostly wait (serial writes ≥ 1 s apart, polls), so running
  // them side by side keeps the file fast. Each has its own simulator and its own clock.
  for (const c of CASES) {
    const outcome = (async () => {
      const { scenario, ids } = c.scenario()
      const sim = await Simulator.start(scenario, { speed: SPEED })
      simulators.push(sim)
      for (const fault of c.faults?.(ids) ?? []) sim.inject(fault)
      const run = await runAction(sim, c.inputs(ids))
      return { run, sim, ids }
    })()
    outcome.catch(() => undefined)
    outcomes.set(c.key, outcome)
  }
})

afterAll(async () => {
  await Promise.allSettled(outcomes.values())
  await Promise.all(simulators.map((sim) => sim.stop()))
  // What was checked, for the record (`TEST_STATS=1 npm test`); quiet otherwise.
  if (process.env.TEST_STATS)
    console.log(
      `injection: ${HOSTILE.length} hostile strings × ${COMMANDS.length} commands = ${HOSTILE.length * COMMANDS.length} combinations; ` +
        `${stats.runs} action runs, ${stats.lines} output lines read, ${stats.commandLines} command lines checked, ${stats.summaryLines} summary lines checked`
    )
})

async function outcomeOf(key: string) {
  const outcome = outcomes.get(key)
  if (!outcome) throw new Error(`no case ${key}`)
  return outcome
}

describe(`injection: ${HOSTILE.length} hostile strings × ${COMMANDS.length} commands = ${HOSTILE.length * COMMANDS.length} combinations, built action`, () => {
  it('covers every command with hostile names and with a hostile API message', () => {
    for (const command of COMMANDS) {
      expect(CASES.filter((c) => c.command === command && !c.faults).length).toBeGreaterThanOrEqual(1)
      expect(CASES.filter((c) => c.command === command && c.faults).length).toBe(1)
    }
    expect(HOSTILE.length).toBeGreaterThanOrEqual(13)
  })

  describe.each(CASES.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    it('printed every hostile string, to the log and the summary (the checks are not vacuous)', async () => {
      const { run } = await outcomeOf(c.key)
      expect(missingFrom(logText(run.log), c.printed?.log ?? HOSTILE)).toEqual([])
      expect(missingFrom(summaryText(run.summary), c.printed?.summary ?? HOSTILE)).toEqual([])
      // The run headers (commands that read jobs and steps) name the branch.
      if (c.timeline) expect(printable(summaryText(run.summary))).toContain(printable(`branch ${BRANCH}`))
    })

    it('does what it was asked (conclusion not forged)', async () => {
      const { run, sim, ids } = await outcomeOf(c.key)
      c.check(run, ids, sim)
      expectCleanRun(run, sim)
    })

    it('writes no workflow command but its own to stdout/stderr', async () => {
      const { run } = await outcomeOf(c.key)
      expect(foreignCommands(run)).toEqual([])
      const masks = commandLinesIn(run.log).filter((command) => command.info === 'add-mask')
      expect(masks).toHaveLength(1)
    })

    it('writes only its own outputs', async () => {
      const { run } = await outcomeOf(c.key)
      expectOutputs(run)
    })

    it('escapes names in the summary: no raw HTML, mention or javascript: link', async () => {
      const { run } = await outcomeOf(c.key)
      expect(run.summary).not.toBe('')
      expect(summaryProblems(run.summary)).toEqual([])
    })

    it('keeps the mermaid timeline to its own statements', async () => {
      const { run } = await outcomeOf(c.key)
      expect(mermaidBlocks(run.summary).length > 0).toBe(c.timeline === true)
      expect(mermaidProblems(run.summary).syntax).toEqual([])
      // And mermaid itself accepts each chart.
      await expectMermaidParses(run.summary)
    })

    // gantt.jison lexes `call`, `href` and a leading `YYYY-MM-DD` as tokens before a task label;
    // mermaidText prefixes such labels so the chart still parses.
    it('reads no name in a mermaid block as a call, href or date token', async () => {
      const { run } = await outcomeOf(c.key)
      expect(mermaidProblems(run.summary).tokens).toEqual([])
    })
  })
})
