// JSON shapes of the endpoints a gate that holds no runner uses, as GitHub's REST API returns
// them (openapi.ts checks each answer against the OpenAPI description): commit statuses, the
// combined status, a file's contents, a pull request with its mergeability, its changed files,
// and other apps' check runs.
import { createHash } from 'node:crypto'
import { DEFAULT_SHA, minimalRepository, nodeId, pullRequestPayload, simpleUser, stableId, type PayloadContext } from './payloads.js'
import { EXTERNAL_CHECK_SUITE_IDS, type StoredCheckRun, type StoredStatus } from './repo-state.js'
import type { FileSpec, PullFileSpec, PullRequestSpec } from './scenario.js'

function repoApi(ctx: PayloadContext): string {
  return `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
}

/** A status as POST /statuses/{sha} answers it and GET /commits/{ref}/statuses lists it. */
export function statusPayload(ctx: PayloadContext, status: StoredStatus): Record<string, unknown> {
  const creator = simpleUser(ctx, status.creator)
  return {
    url: `${repoApi(ctx)}/statuses/${status.sha}`,
    // GitHub shows the creator's avatar (an app's for a bot).
    avatar_url: creator['avatar_url'],
    id: status.id,
    node_id: nodeId('SC', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: ctx.clock.iso(status.t),
    // A status is never edited: a new state is a new status.
    updated_at: ctx.clock.iso(status.t),
    creator
  }
}

/** The combined status: `statuses` is one page of the latest status per context; `total_count` counts every context. */
export function combinedStatusPayload(ctx: PayloadContext, sha: string, state: string, page: StoredStatus[], contexts: number): Record<string, unknown> {
  return {
    state,
    // `simple-commit-status`: a status without its creator.
    statuses: page.map((status) => {
      const { creator, ...simple } = statusPayload(ctx, status)
      void creator
      return simple
    }),
    sha,
    total_count: contexts,
    repository: minimalRepository(ctx),
    commit_url: `${repoApi(ctx)}/commits/${sha}`,
    url: `${repoApi(ctx)}/commits/${sha}/status`
  }
}

/** Git's blob id of `content`: what GitHub gives as a file's `sha`. */
function blobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8')
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** GitHub's base64: lines of 60 characters, each ending in a newline (the REST reference's example). */
function wrappedBase64(content: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64')
  return encoded.replace(/.{1,60}/g, (line) => `${line}\n`)
}

function contentLinks(ctx: PayloadContext, path: string, ref: string | undefined, sha: string, type: 'file' | 'dir'): Record<string, unknown> {
  const self = `${repoApi(ctx)}/contents/${path}${ref === undefined ? '' : `?ref=${encodeURIComponent(ref)}`}`
  const git = `${repoApi(ctx)}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`
  const html = `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/${type === 'file' ? 'blob' : 'tree'}/${ref ?? 'HEAD'}/${path}`
  return { url: self, git_url: git, html_url: html, _links: { self, git, html } }
}

/** A file as GET /contents/{path} answers it (small files only: base64 content inline). */
export function contentFilePayload(ctx: PayloadContext, file: FileSpec, ref: string | undefined): Record<string, unknown> {
  const sha = blobSha(file.content)
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(file.content, 'utf8'),
    name: file.path.split('/').pop() ?? file.path,
    path: file.path,
    content: wrappedBase64(file.content),
    sha,
    ...contentLinks(ctx, file.path, ref, sha, 'file'),
    download_url: `https://raw.githubusercontent.com/${ctx.owner}/${ctx.repo}/${ref ?? 'HEAD'}/${file.path}`
  }
}

/** A directory as GET /contents/{path} answers it: an array of entries, without their content. */
export function contentDirectoryPayload(
  ctx: PayloadContext,
  entries: { name: string; path: string; type: 'file' | 'dir'; file?: FileSpec }[],
  ref: string | undefined
): Record<string, unknown>[] {
  return entries.map((entry) => {
    const sha = entry.file ? blobSha(entry.file.content) : createHash('sha1').update(`tree:${entry.path}`).digest('hex')
    return {
      type: entry.type,
      size: entry.file ? Buffer.byteLength(entry.file.content, 'utf8') : 0,
      name: entry.name,
      path: entry.path,
      sha,
      ...contentLinks(ctx, entry.path, ref, sha, entry.type),
      download_url: entry.file ? `https://raw.githubusercontent.com/${ctx.owner}/${ctx.repo}/${ref ?? 'HEAD'}/${entry.path}` : null
    }
  })
}

export function pullFiles(pull: PullRequestSpec): PullFileSpec[] {
  return (pull.files ?? []).map((file) => (typeof file === 'string' ? { filename: file } : file))
}

/** One changed file of a pull request (GET /pulls/{n}/files), at its head commit. */
export function diffEntryPayload(ctx: PayloadContext, pull: PullRequestSpec, file: PullFileSpec): Record<string, unknown> {
  const status = file.status ?? 'modified'
  const additions = file.additions ?? (status === 'removed' ? 0 : 1)
  const deletions = file.deletions ?? (status === 'added' ? 0 : 1)
  const path = file.filename.split('/').map(encodeURIComponent).join('/')
  return {
    sha: createHash('sha1').update(`${pull.sha}:${file.filename}`).digest('hex'),
    filename: file.filename,
    status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/blob/${pull.sha}/${path}`,
    raw_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/raw/${pull.sha}/${path}`,
    contents_url: `${repoApi(ctx)}/contents/${path}?ref=${pull.sha}`,
    ...(file.previousFilename === undefined ? {} : { previous_filename: file.previousFilename })
  }
}

/**
 * The pull request as GET /pulls/{n} answers it: the list's fields, plus mergeability and
 * counts. `mergeable` is null (and `mergeable_state` `unknown`) while GitHub computes it (the
 * REST reference, "Get a pull request"); a conflict is `false`/`dirty`.
 */
export function pullRequestDetailPayload(ctx: PayloadContext, pull: PullRequestSpec, defaultBranch: string, t: number): Record<string, unknown> {
  const known = t >= (pull.mergeableAt ?? -Infinity)
  const mergeable = known ? (pull.mergeable ?? true) : null
  const state = mergeable === null ? 'unknown' : (pull.mergeableState ?? (mergeable ? 'clean' : 'dirty'))
  const files = pullFiles(pull)
  const sum = (field: 'additions' | 'deletions'): number => files.reduce((total, file) => total + Number(diffEntryPayload(ctx, pull, file)[field]), 0)
  return {
    ...pullRequestPayload(ctx, pull, defaultBranch),
    // The test merge commit exists once mergeability is known and clean.
    merge_commit_sha: mergeable ? createHash('sha1').update(`merge:${pull.sha}:${DEFAULT_SHA}`).digest('hex') : null,
    merged: false,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: state,
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: sum('additions'),
    deletions: sum('deletions'),
    changed_files: files.length
  }
}

/** Another app as its check runs name it: id and node id derived from the slug, fields the schema requires. */
function appPayload(ctx: PayloadContext, slug: string): Record<string, unknown> {
  const id = stableId(`app:${slug}`)
  const owner = { ...simpleUser(ctx, slug), type: 'Organization' }
  return {
    id,
    slug,
    node_id: nodeId('A', id),
    owner,
    name: slug.charAt(0).toUpperCase() + slug.slice(1),
    description: null,
    external_url: `https://${slug}.example.com`,
    html_url: `${ctx.serverUrl}/apps/${slug}`,
    created_at: '2019-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
    permissions: { checks: 'write', metadata: 'read', statuses: 'write' },
    events: ['check_run', 'check_suite', 'pull_request', 'push']
  }
}

/** Another app's check suite on one commit (one per app and commit). */
export function externalCheckSuiteId(app: string, sha: string): number {
  return EXTERNAL_CHECK_SUITE_IDS + stableId(`suite:${app}:${sha}`)
}

export function externalCheckRunStatus(run: StoredCheckRun, t: number): 'queued' | 'in_progress' | 'completed' {
  return run.completedAt !== null && t >= run.completedAt ? 'completed' : run.status
}

/** Another app's check run, in the list of GET /commits/{ref}/check-runs. */
export function externalCheckRunPayload(ctx: PayloadContext, run: StoredCheckRun, t: number): Record<string, unknown> {
  const status = externalCheckRunStatus(run, t)
  const url = `${repoApi(ctx)}/check-runs/${run.id}`
  const details = run.detailsUrl ?? `https://${run.app}.example.com/${ctx.owner}/${ctx.repo}/${run.sha}`
  return {
    id: run.id,
    head_sha: run.sha,
    node_id: nodeId('CR', run.id),
    external_id: `${run.app}-${run.id}`,
    url,
    html_url: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/runs/${run.id}`,
    details_url: details,
    status,
    conclusion: status === 'completed' ? run.conclusion : null,
    started_at: ctx.clock.iso(run.at),
    completed_at: status === 'completed' && run.completedAt !== null ? ctx.clock.iso(run.completedAt) : null,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    check_suite: { id: externalCheckSuiteId(run.app, run.sha) },
    app: appPayload(ctx, run.app),
    pull_requests: []
  }
}
