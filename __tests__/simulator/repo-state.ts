// What a gate that holds no runner reads and writes besides the runs: commit statuses (seeded by
// the scenario, posted through the API), other apps' check runs, and files of the repository per
// ref. Times are virtual seconds, like the runs'; nothing changes on a timer, so a request sees
// what existed at its virtual instant.
import type { CommitStatusSpec, CommitStatusState, ExternalCheckRunSpec, FileSpec } from './scenario.js'

/**
 * "There is a limit of 1000 statuses per `sha` and `context` within a repository. Attempts to
 * create more than 1000 statuses will result in a validation error." (GitHub's REST reference,
 * "Create a commit status", also in the OpenAPI description.)
 */
export const MAX_STATUSES_PER_CONTEXT = 1000

/**
 * GitHub refuses a longer description with 422 "description is too long (maximum is 140
 * characters)" (the answer quoted in zalando/zappr#378, sclorg/testing-farm-as-github-action#187,
 * vince-riv/argo-diff#49): it does not truncate. Counted in characters (code points), as Rails
 * counts them: an assumption for text beyond the BMP.
 */
export const MAX_DESCRIPTION_CHARACTERS = 140

/** Ids of statuses: GitHub's are large integers that grow with time; ours start here. */
const FIRST_STATUS_ID = 40_000_000_001
/**
 * Ids of other apps' check runs and check suites: above any job id (runId * 100000 + …, run ids
 * below 9e10: scenario.ts) and any run's check suite, still safe integers.
 */
const EXTERNAL_CHECK_RUN_IDS = 8_000_000_000_000_000
export const EXTERNAL_CHECK_SUITE_IDS = 9_000_000_000_000_000

export interface StoredStatus {
  id: number
  sha: string
  /** As it was posted (GitHub compares contexts case-insensitively, and shows each as given). */
  context: string
  state: CommitStatusState
  description: string | null
  targetUrl: string | null
  creator: string
  /** Virtual second it was created. */
  t: number
  /** Seeded by the scenario, or posted through the API (by the action, in tests). */
  source: 'scenario' | 'api'
}

export interface StoredCheckRun {
  id: number
  sha: string
  name: string
  app: string
  at: number
  status: 'queued' | 'in_progress'
  completedAt: number | null
  conclusion: NonNullable<ExternalCheckRunSpec['conclusion']> | null
  detailsUrl: string | null
}

/** `refs/heads/main` and `heads/main` name the branch `main`. */
export function normaliseRef(ref: string): string {
  return ref.replace(/^refs\//, '').replace(/^heads\//, '')
}

export function contextKey(context: string): string {
  return context.toLowerCase()
}

/** Newest first: by creation second, then by id (two statuses can share a second). */
function newestFirst(a: StoredStatus, b: StoredStatus): number {
  return b.t - a.t || b.id - a.id
}

/**
 * The combined state of the latest status of each context, by GitHub's rules ("Get the combined
 * status for a specific reference"): `failure` if any context is `error` or `failure`; `pending`
 * if there is none or one is `pending`; else `success`.
 */
export function combinedState(latest: readonly Pick<StoredStatus, 'state'>[]): 'failure' | 'pending' | 'success' {
  if (latest.some((status) => status.state === 'error' || status.state === 'failure')) return 'failure'
  if (latest.length === 0 || latest.some((status) => status.state === 'pending')) return 'pending'
  return 'success'
}

export class RepoState {
  private readonly statusList: StoredStatus[] = []
  private readonly checkRunList: StoredCheckRun[] = []
  private readonly fileList: FileSpec[]
  private nextStatusId = FIRST_STATUS_ID
  private nextCheckRunId = EXTERNAL_CHECK_RUN_IDS + 1

  constructor(seed: { statuses?: CommitStatusSpec[]; checkRuns?: ExternalCheckRunSpec[]; files?: FileSpec[] }) {
    // Ids follow creation time, as GitHub's do.
    const statuses = [...(seed.statuses ?? [])].sort((a, b) => (a.at ?? 0) - (b.at ?? 0))
    for (const spec of statuses) this.seedStatus(spec)
    for (const spec of seed.checkRuns ?? []) this.addCheckRun(spec)
    this.fileList = (seed.files ?? []).map((file) => ({ ...file, ref: normaliseRef(file.ref) }))
  }

  seedStatus(spec: CommitStatusSpec): StoredStatus {
    return this.store({
      sha: spec.sha.toLowerCase(),
      context: spec.context ?? 'default',
      state: spec.state,
      description: spec.description ?? null,
      targetUrl: spec.targetUrl ?? null,
      creator: spec.creator ?? 'octocat',
      t: spec.at ?? 0,
      source: 'scenario'
    })
  }

  store(status: Omit<StoredStatus, 'id'>): StoredStatus {
    const stored = { ...status, id: this.nextStatusId++ }
    this.statusList.push(stored)
    return stored
  }

  /** Every status of `sha` that exists at `t` (all of them when `sha` is undefined), newest first. */
  statuses(sha: string | undefined, t: number): StoredStatus[] {
    const wanted = sha?.toLowerCase()
    return this.statusList.filter((status) => status.t <= t && (wanted === undefined || status.sha === wanted)).sort(newestFirst)
  }

  /** How many statuses `sha` has in `context` (case-insensitively) at `t`. */
  countInContext(sha: string, context: string, t: number): number {
    return this.statuses(sha, t).filter((status) => contextKey(status.context) === contextKey(context)).length
  }

  /** The latest status of each context of `sha` at `t`, oldest first (the order of GitHub's example answer). */
  latestPerContext(sha: string, t: number): StoredStatus[] {
    const seen = new Set<string>()
    const latest: StoredStatus[] = []
    for (const status of this.statuses(sha, t)) {
      if (seen.has(contextKey(status.context))) continue
      seen.add(contextKey(status.context))
      latest.push(status)
    }
    return latest.reverse()
  }

  addCheckRun(spec: ExternalCheckRunSpec): StoredCheckRun {
    if (spec.app === 'github-actions') throw new Error(`check run ${spec.name}: GitHub Actions' check runs are the runs' jobs`)
    const id = spec.id ?? this.nextCheckRunId++
    if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`check run ${spec.name}: id must be a positive integer`)
    if (this.checkRunList.some((run) => run.id === id)) throw new Error(`check run ${id}: duplicate id`)
    if ((spec.completedAt === undefined) !== (spec.conclusion === undefined)) {
      throw new Error(`check run ${spec.name}: completedAt and conclusion go together`)
    }
    const run: StoredCheckRun = {
      id,
      sha: spec.sha.toLowerCase(),
      name: spec.name,
      app: spec.app,
      at: spec.at ?? 0,
      status: spec.status ?? 'in_progress',
      completedAt: spec.completedAt ?? null,
      conclusion: spec.conclusion ?? null,
      detailsUrl: spec.detailsUrl ?? null
    }
    this.checkRunList.push(run)
    return run
  }

  completeCheckRun(id: number, conclusion: NonNullable<ExternalCheckRunSpec['conclusion']>, at: number): void {
    const run = this.checkRunList.find((candidate) => candidate.id === id)
    if (!run) throw new Error(`no check run ${id}`)
    if (run.completedAt !== null && run.completedAt <= at) throw new Error(`check run ${id} has already completed`)
    run.completedAt = at
    run.conclusion = conclusion
  }

  /** Other apps' check runs on `sha` that exist at `t`, oldest first. */
  checkRuns(sha: string, t: number): StoredCheckRun[] {
    const wanted = sha.toLowerCase()
    return this.checkRunList.filter((run) => run.sha === wanted && run.at <= t).sort((a, b) => a.at - b.at || a.id - b.id)
  }

  /** Every sha the seeded state names (so that commit exists). */
  shas(): string[] {
    return [...this.statusList.map((status) => status.sha), ...this.checkRunList.map((run) => run.sha), ...this.fileList.map((file) => file.ref)]
  }

  /** Sets (or, with null, removes) the file at `path` on `ref`. */
  setFile(ref: string, path: string, content: string | null): void {
    const key = normaliseRef(ref)
    const index = this.fileList.findIndex((file) => file.ref === key && file.path === path)
    if (index >= 0) this.fileList.splice(index, 1)
    if (content !== null) this.fileList.push({ path, ref: key, content })
  }

  file(ref: string, path: string): FileSpec | undefined {
    const key = normaliseRef(ref)
    return this.fileList.find((file) => file.ref === key && file.path === path)
  }

  /** The entries directly under directory `path` on `ref`: files, and directories holding some (empty when none). */
  directory(ref: string, path: string): { name: string; path: string; type: 'file' | 'dir'; file?: FileSpec }[] {
    const key = normaliseRef(ref)
    const prefix = path === '' ? '' : `${path.replace(/\/+$/, '')}/`
    const entries = new Map<string, { name: string; path: string; type: 'file' | 'dir'; file?: FileSpec }>()
    for (const file of this.fileList) {
      if (file.ref !== key || !file.path.startsWith(prefix)) continue
      const [name = '', ...rest] = file.path.slice(prefix.length).split('/')
      if (rest.length === 0) entries.set(name, { name, path: file.path, type: 'file', file })
      else if (!entries.has(name)) entries.set(name, { name, path: `${prefix}${name}`, type: 'dir' })
    }
    return [...entries.values()].sort((a, b) => a.name.localeCompare(b.name))
  }
}
