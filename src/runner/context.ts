// What the action knows about the workflow run it is running in, read from the runner's
// environment and event payload.
import { readFileSync } from 'node:fs'

export interface ActionContext {
  /** `owner/repo` of the current run (GITHUB_REPOSITORY), '' outside Actions. */
  repository: string
  /** The current run's id (GITHUB_RUN_ID), 0 outside Actions. */
  runId: number
  runAttempt: number
  eventName: string
  /** The commit the current run is about, as a person means it (see `commitOfEvent`). */
  headSha: string
  serverUrl: string
  /** RUNNER_NAME: finds this job among the run's jobs where `job.check_run_id` is not available. */
  runnerName: string
  /**
   * The branch or tag the current run is on, for `dispatch`'s default `ref`: a pull request's
   * head branch (GITHUB_HEAD_REF; its GITHUB_REF_NAME is `N/merge`), else GITHUB_REF_NAME.
   */
  ref: string
  /**
   * The repository's default branch, from the event payload's `repository` (absent from some
   * events' payloads, e.g. `schedule`): saves a request when it is there.
   */
  defaultBranch?: string
  /** What the event that woke this run says, for a gate that judges once per event; absent when it says nothing a gate reads. */
  event?: EventFacts
  /** GITHUB_WORKFLOW_REF: `owner/repo/.github/workflows/gate.yml@refs/heads/main`; absent when unset. */
  workflowRef?: string
}

/** The run a `workflow_run` event is about, as the event tells it (the run list can lag behind it). */
export interface WakingRun {
  id: number
  attempt: number
  name: string
  path: string
  headSha: string
  status: string
  conclusion: string | null
  updatedAt: string
}

/** The parts of an event payload a gate reads. */
export interface EventFacts {
  /** `opened`, `synchronize`, `requested`, `completed`… ('' when none). */
  action: string
  /** pull_request* events: the pull request. */
  pullRequest?: { number: number; baseRef: string; headSha: string; fromFork: boolean }
  /** workflow_run: the run that woke this one. */
  wakingRun?: WakingRun
  /** status: the context the status was posted under; check_run: the app that made the check. */
  statusContext?: string
  checkRunApp?: string
}

/** Events whose payload has the pull request whose head commit the runs are about. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'])

/* eslint-disable @typescript-eslint/no-explicit-any -- event payloads are read field by field */
type Payload = Record<string, any>

/**
 * The commit "the runs of this commit" means for an event. GITHUB_SHA is not it on several:
 * - pull_request*: GITHUB_SHA is the test merge commit, which no run has as head_sha; the PR's
 *   runs carry the head commit's sha.
 * - workflow_run: GITHUB_SHA is the default branch's head; the triggering run's commit is
 *   `workflow_run.head_sha`.
 * - merge_group: the merge queue's commit is `merge_group.head_sha` (also GITHUB_SHA, but the
 *   payload is the documented source).
 * - check_run, check_suite, status: GITHUB_SHA is the default branch's head; the commit checked
 *   is `check_run.head_sha`, `check_suite.head_sha`, or the status's `sha`.
 */
export function commitOfEvent(eventName: string, payload: Payload, githubSha: string): string {
  const fromPayload = PULL_REQUEST_EVENTS.has(eventName)
    ? payload.pull_request?.head?.sha
    : eventName === 'workflow_run'
      ? payload.workflow_run?.head_sha
      : eventName === 'merge_group'
        ? payload.merge_group?.head_sha
        : eventName === 'check_run'
          ? payload.check_run?.head_sha
          : eventName === 'check_suite'
            ? payload.check_suite?.head_sha
            : eventName === 'status'
              ? payload.sha
              : undefined
  return typeof fromPayload === 'string' && fromPayload !== '' ? fromPayload : githubSha
}

function readPayload(path: string | undefined): Payload {
  if (!path) return {}
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
    return parsed !== null && typeof parsed === 'object' ? (parsed as Payload) : {}
  } catch {
    return {}
  }
}

function positiveInteger(text: string | undefined): number {
  const value = Number(text)
  return Number.isSafeInteger(value) && value > 0 ? value : 0
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const count = (value: unknown): number => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0)

function wakingRunOf(run: Payload | undefined): WakingRun | undefined {
  if (!run || count(run.id) === 0) return undefined
  return {
    id: count(run.id),
    attempt: count(run.run_attempt) || 1,
    name: text(run.name),
    path: text(run.path),
    headSha: text(run.head_sha),
    status: text(run.status),
    conclusion: typeof run.conclusion === 'string' ? run.conclusion : null,
    updatedAt: text(run.updated_at)
  }
}

/** The facts of the event payload a gate reads (shapes checked against GitHub's webhook docs). */
export function eventFacts(eventName: string, payload: Payload): EventFacts {
  const facts: EventFacts = { action: text(payload.action) }
  const pr = payload.pull_request
  if (PULL_REQUEST_EVENTS.has(eventName) && pr && count(pr.number) > 0) {
    const headRepo = text(pr.head?.repo?.full_name)
    const baseRepo = text(pr.base?.repo?.full_name)
    facts.pullRequest = {
      number: count(pr.number),
      baseRef: text(pr.base?.ref),
      headSha: text(pr.head?.sha),
      fromFork: headRepo !== '' && headRepo !== baseRepo
    }
  }
  if (eventName === 'workflow_run') facts.wakingRun = wakingRunOf(payload.workflow_run)
  if (eventName === 'status') facts.statusContext = text(payload.context)
  if (eventName === 'check_run') facts.checkRunApp = text(payload.check_run?.app?.slug)
  return facts
}

/** Reads the runner's environment (variables the runner sets for every step). */
export function contextFromEnvironment(env: NodeJS.ProcessEnv = process.env): ActionContext {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const payload = readPayload(env.GITHUB_EVENT_PATH)
  const defaultBranch: unknown = payload.repository?.default_branch
  const event = eventFacts(eventName, payload)
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    runId: positiveInteger(env.GITHUB_RUN_ID),
    runAttempt: positiveInteger(env.GITHUB_RUN_ATTEMPT),
    eventName,
    headSha: commitOfEvent(eventName, payload, env.GITHUB_SHA ?? ''),
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
    runnerName: env.RUNNER_NAME ?? '',
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || '',
    ...(typeof defaultBranch === 'string' && defaultBranch !== '' ? { defaultBranch } : {}),
    ...(Object.values(event).some((value) => value !== undefined && value !== '') ? { event } : {}),
    ...(env.GITHUB_WORKFLOW_REF ? { workflowRef: env.GITHUB_WORKFLOW_REF } : {})
  }
}
