// What a gate reads besides runs and statuses, served by the simulator over real HTTP: workflow
// files per ref (contents API), a pull request with its mergeability, its changed files (capped
// at 3,000 like GitHub), and other apps' check runs beside the jobs' ones. Every answer is
// checked against the OpenAPI description (sim.violations).
import { afterEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { MAX_LISTED_PULL_FILES, Simulator, type Scenario, type SimulatorOptions } from './index.js'

const OWNER = 'acme'
const REPO = 'widgets'
const HEAD = 'e5'.repeat(20)
const CI_YML = 'name: CI\non:\n  pull_request:\n    paths: ["src/**"]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ✓\n'

const running: Simulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop()))
})

function scenario(extra: Partial<Scenario> = {}): Scenario {
  return { owner: OWNER, repo: REPO, workflows: [{ id: 11, name: 'CI', file: 'ci.yml' }], runs: [], ...extra }
}

async function start(extra: Partial<Scenario>, options: SimulatorOptions = {}): Promise<{ sim: Simulator; until: (t: number) => void }> {
  const startedMs = Date.now()
  let nowMs = startedMs
  const sim = await Simulator.start(scenario(extra), { now: () => nowMs, ...options })
  running.push(sim)
  return { sim, until: (t) => void (nowMs = Math.max(nowMs, startedMs + t * 1000)) }
}

async function get(sim: Simulator, path: string, token = 'test-token'): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${sim.apiUrl}/repos/${OWNER}/${REPO}${path}`, { headers: { authorization: `token ${token}` } })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers }
}

describe('GET /contents/{path}', () => {
  it('serves a file per ref as GitHub does (base64 in 60-character lines, the blob sha), 404 when it is not there', async () => {
    const { sim } = await start({
      defaultBranch: 'trunk',
      files: [
        { path: '.github/workflows/ci.yml', ref: HEAD, content: CI_YML },
        { path: '.github/workflows/ci.yml', ref: 'refs/heads/trunk', content: 'name: CI (trunk)\n' },
        { path: '.github/workflows/gate.yml', ref: 'trunk', content: 'name: Gate\n' }
      ]
    })
    // Octokit sends the slashes of `path` as %2F.
    const file = await get(sim, `/contents/${encodeURIComponent('.github/workflows/ci.yml')}?ref=${HEAD}`)
    expect(file.status).toBe(200)
    expect(file.body).toMatchObject({ type: 'file', encoding: 'base64', name: 'ci.yml', path: '.github/workflows/ci.yml', size: Buffer.byteLength(CI_YML) })
    const lines = String(file.body.content).split('\n')
    expect(lines.slice(0, -2).every((line) => line.length === 60)).toBe(true)
    expect(lines.at(-1)).toBe('')
    expect(Buffer.from(file.body.content, 'base64').toString('utf8')).toBe(CI_YML)
    const blob = createHash('sha1')
      .update(`blob ${Buffer.byteLength(CI_YML)}\0${CI_YML}`)
      .digest('hex')
    expect(file.body.sha).toBe(blob)
    // No ref: the default branch.
    const trunk = await get(sim, '/contents/.github/workflows/ci.yml')
    expect(Buffer.from(trunk.body.content, 'base64').toString()).toBe('name: CI (trunk)\n')
    const listing = await get(sim, '/contents/.github/workflows?ref=trunk')
    expect(listing.body.map((entry: any) => [entry.name, entry.type])).toEqual([
      ['ci.yml', 'file'],
      ['gate.yml', 'file']
    ])
    expect((await get(sim, '/contents/.github/workflows/nope.yml')).status).toBe(404)
    expect((await get(sim, `/contents/.github/workflows/gate.yml?ref=${HEAD}`)).status).toBe(404)
    sim.setFile(HEAD, '.github/workflows/gate.yml', 'name: Gate (head)\n')
    expect((await get(sim, `/contents/.github/workflows/gate.yml?ref=${HEAD}`)).status).toBe(200)
    expect(sim.violations).toEqual([])
  })

  it('answers 403 to a token without contents: read', async () => {
    const { sim } = await start({ files: [{ path: 'a.yml', ref: 'main', content: 'x' }] }, { tokens: { 'test-token': { contents: 'none' } } })
    const refused = await get(sim, '/contents/a.yml')
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('contents=read')
  })
})

describe('GET /pulls/{n} and /pulls/{n}/files', () => {
  const files = Array.from({ length: 3500 }, (_, i) => `src/file-${String(i).padStart(4, '0')}.ts`)

  it('says mergeable null (unknown) while GitHub computes it, then the answer; base, head, counts', async () => {
    const { sim, until } = await start({
      pullRequests: [
        {
          number: 7,
          sha: HEAD,
          base: 'release',
          fork: 'mallory/widgets',
          mergeableAt: 5,
          files: ['src/a.ts', { filename: 'docs/b.md', status: 'renamed', previousFilename: 'docs/old.md' }]
        },
        { number: 8, sha: 'f6'.repeat(20), mergeable: false }
      ]
    })
    const computing = (await get(sim, '/pulls/7')).body
    expect(computing).toMatchObject({ number: 7, mergeable: null, mergeable_state: 'unknown', changed_files: 2, base: { ref: 'release' } })
    expect(computing.head).toMatchObject({ sha: HEAD, repo: { full_name: 'mallory/widgets', fork: true } })
    until(5)
    expect((await get(sim, '/pulls/7')).body).toMatchObject({ mergeable: true, mergeable_state: 'clean' })
    expect((await get(sim, '/pulls/8')).body).toMatchObject({ mergeable: false, mergeable_state: 'dirty', changed_files: 0 })
    const listed = (await get(sim, '/pulls/7/files')).body
    expect(listed.map((f: any) => [f.filename, f.status, f.previous_filename])).toEqual([
      ['src/a.ts', 'modified', undefined],
      ['docs/b.md', 'renamed', 'docs/old.md']
    ])
    sim.updatePullRequest(7, { sha: 'a7'.repeat(20), mergeable: false })
    expect((await get(sim, '/pulls/7')).body).toMatchObject({ mergeable: false, mergeable_state: 'dirty', head: { sha: 'a7'.repeat(20) } })
    expect((await get(sim, '/pulls/9')).status).toBe(404)
    expect(sim.violations).toEqual([])
  })

  it('lists at most 3,000 files, 100 a page; changed_files counts them all', async () => {
    const { sim } = await start({ pullRequests: [{ number: 7, sha: HEAD, files }] })
    const first = await get(sim, '/pulls/7/files?per_page=500')
    expect(first.body).toHaveLength(100) // per_page is capped at 100
    expect(first.headers.get('link')).toContain(`page=${MAX_LISTED_PULL_FILES / 100}>; rel="last"`)
    const lastPage = await get(sim, `/pulls/7/files?per_page=100&page=${MAX_LISTED_PULL_FILES / 100}`)
    expect(lastPage.body.at(-1).filename).toBe(files[MAX_LISTED_PULL_FILES - 1])
    expect(lastPage.headers.get('link')).not.toContain('rel="next"')
    expect((await get(sim, `/pulls/7/files?per_page=100&page=${MAX_LISTED_PULL_FILES / 100 + 1}`)).body).toEqual([])
    expect((await get(sim, '/pulls/7')).body.changed_files).toBe(3500)
    expect(sim.violations).toEqual([])
  })

  it('answers 403 to a token without pull-requests: read', async () => {
    const { sim } = await start({ pullRequests: [{ number: 7, sha: HEAD, files }] }, { tokens: { 'test-token': { pullRequests: 'none' } } })
    expect((await get(sim, '/pulls/7')).status).toBe(403)
    expect((await get(sim, '/pulls/7/files')).status).toBe(403)
  })
})

describe("other apps' check runs", () => {
  it('are listed beside the jobs with their app; filter=latest keeps the newest per app and name', async () => {
    const { sim, until } = await start({
      workflows: [{ id: 11, name: 'CI', file: 'ci.yml' }],
      runs: [{ id: 100, workflow: 'ci.yml', sha: HEAD, attempts: [{ at: 0, jobs: [{ name: 'Preview', steps: [{ name: 'work', seconds: 1 }] }] }] }],
      checkRuns: [
        { sha: HEAD, name: 'Preview', app: 'vercel', at: 0, completedAt: 4, conclusion: 'failure' },
        { sha: HEAD, name: 'codecov/patch', app: 'codecov', at: 1, status: 'queued' }
      ]
    })
    const list = async (query = ''): Promise<[string, string, string, string | null][]> =>
      (await get(sim, `/commits/${HEAD}/check-runs${query}`)).body.check_runs.map((c: any) => [c.app.slug, c.name, c.status, c.conclusion])
    until(2)
    expect(await list()).toEqual([
      ['github-actions', 'Preview', 'in_progress', null],
      ['vercel', 'Preview', 'in_progress', null],
      ['codecov', 'codecov/patch', 'queued', null]
    ])
    until(5)
    // Re-requested: a new check run of the same name, which hides the older one unless filter=all.
    const again = sim.addCheckRun({ sha: HEAD, name: 'Preview', app: 'vercel' })
    expect((await list('?filter=latest')).filter(([app]) => app === 'vercel')).toEqual([['vercel', 'Preview', 'in_progress', null]])
    expect((await list('?filter=all')).filter(([app]) => app === 'vercel')).toEqual([
      ['vercel', 'Preview', 'completed', 'failure'],
      ['vercel', 'Preview', 'in_progress', null]
    ])
    sim.completeCheckRun(again, 'success')
    expect(await list('?status=completed')).toEqual([
      ['github-actions', 'Preview', 'completed', 'success'],
      ['vercel', 'Preview', 'completed', 'success']
    ])
    expect(await list('?check_name=codecov/patch')).toEqual([['codecov', 'codecov/patch', 'queued', null]])
    const codecov = (await get(sim, `/commits/${HEAD}/check-runs?check_name=codecov/patch`)).body.check_runs[0]
    expect(await list(`?app_id=${codecov.app.id}`)).toEqual([['codecov', 'codecov/patch', 'queued', null]])
    expect((await get(sim, `/commits/${HEAD}/check-runs?filter=newest`)).status).toBe(422)
    expect(sim.violations).toEqual([])
  })

  it('answer 403 to a token without checks: read', async () => {
    const { sim } = await start({ checkRuns: [{ sha: HEAD, name: 'Preview', app: 'vercel' }] }, { tokens: { 'test-token': { checks: 'none' } } })
    const refused = await get(sim, `/commits/${HEAD}/check-runs`)
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('checks=read')
  })
})
