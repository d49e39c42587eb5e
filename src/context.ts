import { context as githubContext } from '@actions/github'

/** What the action knows about the workflow run it is running in. */
export interface ActionContext {
  /** `owner/repo` of the current run (GITHUB_REPOSITORY), '' outside Actions. */
  repository: string
  /** The current run's id (GITHUB_RUN_ID), 0 outside Actions. */
  runId: number
  runAttempt: number
  eventName: string
  /** The commit the current run is about: the pull request's head on pull_request events. */
  headSha: string
  serverUrl: string
}

/** Reads the runner's environment through @actions/github's context. */
export function contextFromEnvironment(): ActionContext {
  const ctx = githubContext
  const pullRequest = ctx.payload.pull_request as { head?: { sha?: string } } | undefined
  return {
    repository: process.env.GITHUB_REPOSITORY ?? '',
    runId: Number.isFinite(ctx.runId) ? ctx.runId : 0,
    runAttempt: Number.isFinite(ctx.runAttempt) ? ctx.runAttempt : 0,
    eventName: ctx.eventName ?? '',
    // On pull_request events GITHUB_SHA is the test merge commit, which no workflow run has as
    // head_sha; the runs of the PR carry the head commit's sha.
    headSha: pullRequest?.head?.sha ?? ctx.sha ?? '',
    serverUrl: ctx.serverUrl
  }
}
