// Proven skips: a workflow's own trigger filters against a change. Skipped only on proof; every
// case GitHub's docs give for a missing run that is not the filters' doing stays unprovable.
import { describe, expect, it } from '@jest/globals'
import { judgeCommit, judgeTrigger, readWorkflowName, type PullRequestChange, type PushChange } from '../../src/workflow-files/triggers.js'

const pr = (facts: Partial<PullRequestChange> = {}): PullRequestChange => ({
  event: 'pull_request',
  baseBranch: 'main',
  action: 'synchronize',
  mergeable: true,
  changedFiles: ['docs/guide.md'],
  changedFilesTotal: 1,
  headCommitMessage: 'Explain the gate in the guide',
  ...facts
})

const push = (facts: Partial<PushChange> = {}): PushChange => ({
  event: 'push',
  branch: 'feature/gate',
  changedFiles: ['docs/guide.md'],
  changedFilesTotal: 1,
  headCommitMessage: 'Explain the gate in the guide',
  ...facts
})

const files = (count: number, dir = 'docs') => Array.from({ length: count }, (_, i) => `${dir}/page-${i}.md`)

const srcOnly = `name: Build
on:
  pull_request:
    paths:
      - 'src/**'
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`

describe('paths', () => {
  it('proves a docs-only change skipped by a paths filter, naming the filter', () => {
    const verdict = judgeTrigger(srcOnly, pr())
    expect(verdict).toEqual({ kind: 'skipped', filter: "paths: none of 1 changed file matches 'src/**'" })
  })

  it('expects a run when one changed file matches', () => {
    expect(judgeTrigger(srcOnly, pr({ changedFiles: ['docs/guide.md', 'src/main.ts'], changedFilesTotal: 2 }))).toEqual({ kind: 'runs' })
  })

  it('proves nothing with more than 300 changed files (GitHub looks at the first 300 only)', () => {
    const verdict = judgeTrigger(srcOnly, pr({ changedFiles: files(301), changedFilesTotal: 301 }))
    expect(verdict.kind).toBe('unprovable')
    expect(verdict).toMatchObject({ reason: expect.stringContaining('300') })
  })

  it('still proves it with exactly 300', () => {
    expect(judgeTrigger(srcOnly, pr({ changedFiles: files(300), changedFilesTotal: 300 })).kind).toBe('skipped')
  })

  it('proves nothing from an incomplete list of changed files', () => {
    expect(judgeTrigger(srcOnly, pr({ changedFiles: ['docs/guide.md'], changedFilesTotal: 2 }))).toMatchObject({
      kind: 'unprovable',
      reason: expect.stringContaining('1 of the 2')
    })
  })

  it('proves a skip when no file changed at all', () => {
    expect(judgeTrigger(srcOnly, pr({ changedFiles: [], changedFilesTotal: 0 }))).toEqual({ kind: 'skipped', filter: 'paths: no file changed' })
  })

  const ignoresDocs = "on:\n  pull_request:\n    paths-ignore: ['docs/**', '**.md']\n"

  it('proves a skip when every changed file matches paths-ignore', () => {
    expect(judgeTrigger(ignoresDocs, pr({ changedFiles: ['docs/a.txt', 'README.md'], changedFilesTotal: 2 }))).toEqual({
      kind: 'skipped',
      filter: "paths-ignore: all 2 changed files match 'docs/**', '**.md'"
    })
  })

  it('expects a run when one changed file is not ignored', () => {
    expect(judgeTrigger(ignoresDocs, pr({ changedFiles: ['docs/a.txt', 'src/main.ts'], changedFilesTotal: 2 }))).toEqual({ kind: 'runs' })
  })

  it('evaluates paths negations in order', () => {
    const text = "on:\n  pull_request:\n    paths: ['sub-project/**', '!sub-project/docs/**']\n"
    expect(judgeTrigger(text, pr({ changedFiles: ['sub-project/docs/readme.md'] })).kind).toBe('skipped')
    expect(judgeTrigger(text, pr({ changedFiles: ['sub-project/src/index.js'] })).kind).toBe('runs')
  })

  it('keeps the filter phrase short with many patterns', () => {
    const patterns = Array.from({ length: 12 }, (_, i) => `'packages/module-${i}/**'`).join(', ')
    const verdict = judgeTrigger(`on:\n  pull_request:\n    paths: [${patterns}]\n`, pr())
    expect(verdict).toMatchObject({ kind: 'skipped', filter: expect.stringContaining('more') })
    expect((verdict as { filter: string }).filter.length).toBeLessThanOrEqual(100)
  })
})

describe('what is never proof', () => {
  it.each(['[skip ci]', '[ci skip]', '[no ci]', '[skip actions]', '[actions skip]', '[Skip CI]'])('a %s in the head commit', (directive) => {
    const verdict = judgeTrigger(srcOnly, pr({ headCommitMessage: `Fix the guide ${directive}` }))
    expect(verdict).toMatchObject({ kind: 'unprovable', reason: expect.stringContaining(directive.toLowerCase()) })
  })

  it.each(['skip-checks: true', 'skip-checks:true'])('a %s trailer', (trailer) => {
    const verdict = judgeTrigger(srcOnly, pr({ headCommitMessage: `Fix the guide\n\n\nSigned-off-by: Mona <mona@example.com>\n${trailer}\n` }))
    expect(verdict).toMatchObject({ kind: 'unprovable', reason: expect.stringContaining('skip-checks: true') })
  })

  it('a skip directive on a push', () => {
    expect(judgeTrigger('on:\n  push:\n    paths: [src/**]\n', push({ headCommitMessage: '[skip ci] docs' })).kind).toBe('unprovable')
  })

  it('but a skip directive does not stop pull_request_target workflows, so their filters still prove it', () => {
    const text = srcOnly.replace('pull_request:', 'pull_request_target:')
    expect(judgeTrigger(text, pr({ event: 'pull_request_target', headCommitMessage: 'docs [skip ci]' })).kind).toBe('skipped')
  })

  it('merge conflicts (pull_request workflows do not run until they are resolved)', () => {
    expect(judgeTrigger(srcOnly, pr({ mergeable: false }))).toMatchObject({ kind: 'unprovable', reason: expect.stringContaining('merge conflicts') })
  })

  it('but pull_request_target workflows run with conflicts, and mergeability not yet computed is no conflict', () => {
    const text = srcOnly.replace('pull_request:', 'pull_request_target:')
    expect(judgeTrigger(text, pr({ event: 'pull_request_target', mergeable: false })).kind).toBe('skipped')
    expect(judgeTrigger(srcOnly, pr({ mergeable: null })).kind).toBe('skipped')
  })

  it.each([
    ['YAML that does not parse', 'on: [pull_request\njobs: {}\n', 'not valid YAML'],
    ['a key given twice', 'on: pull_request\non: push\n', 'not valid YAML'],
    ['a list at the top', '- on\n', 'not a YAML map'],
    ['no on', 'name: x\njobs: {}\n', "no 'on'"],
    ['on of another shape', 'on: 5\n', "'on' is neither"],
    ['an event name that is not a string', 'on: [pull_request, 5]\n', 'other than event names'],
    ['a filter key the action cannot evaluate', 'on:\n  pull_request:\n    paths-filter: [src/**]\n', "'paths-filter'"],
    ['tags under pull_request', 'on:\n  pull_request:\n    tags: [v1]\n', "'tags'"],
    ['an event that is a list', 'on:\n  pull_request: [src/**]\n', 'neither empty nor a map'],
    ['an expression', "on:\n  pull_request:\n    branches: ['${{ vars.BASE }}']\n", 'expression'],
    ['a number where a pattern goes', 'on:\n  pull_request:\n    branches: [1.0]\n', 'not a string or a list'],
    ['an empty list', 'on:\n  pull_request:\n    paths: []\n', 'not a string or a list'],
    ['branches and branches-ignore together', 'on:\n  pull_request:\n    branches: [main]\n    branches-ignore: [dev]\n', 'both'],
    ['paths and paths-ignore together', 'on:\n  pull_request:\n    paths: [src/**]\n    paths-ignore: [docs/**]\n', 'both'],
    ['only negative patterns', "on:\n  pull_request:\n    paths: ['!docs/**']\n", "only '!'"],
    ['a negative pattern in an ignore list', "on:\n  pull_request:\n    paths-ignore: ['docs/**', '!docs/api/**']\n", "'!' pattern"],
    ['a full ref as a branch pattern', 'on:\n  pull_request:\n    branches: [refs/heads/release]\n', 'full ref'],
    ['a pattern the docs leave open', "on:\n  pull_request:\n    paths: ['src/{a,b}/**']\n", 'unescaped']
  ])('%s', (_what, text, reason) => {
    expect(judgeTrigger(text, pr())).toMatchObject({ kind: 'unprovable', reason: expect.stringContaining(reason) })
  })

  it('a verdict that depends on letter case', () => {
    expect(judgeTrigger('on:\n  pull_request:\n    branches: [Main]\n', pr())).toMatchObject({ kind: 'unprovable', reason: expect.stringContaining('case') })
    expect(judgeTrigger('on:\n  pull_request:\n    paths-ignore: [Docs/**]\n', pr())).toMatchObject({
      kind: 'unprovable',
      reason: expect.stringContaining('case')
    })
  })
})

describe('branches', () => {
  const releasesOnly = "on:\n  pull_request:\n    branches:\n      - 'releases/**'\n      - '!releases/**-alpha'\n"

  it("matches the pull request's base branch, in order", () => {
    expect(judgeTrigger(releasesOnly, pr({ baseBranch: 'releases/10' }))).toEqual({ kind: 'runs' })
    expect(judgeTrigger(releasesOnly, pr({ baseBranch: 'releases/beta/3-alpha' }))).toEqual({
      kind: 'skipped',
      filter: "branches: base branch 'releases/beta/3-alpha' matches none of 'releases/**', '!releases/**-alpha'"
    })
    expect(judgeTrigger(releasesOnly, pr({ baseBranch: 'main' })).kind).toBe('skipped')
  })

  it('takes a single string as a list of one', () => {
    expect(judgeTrigger('on:\n  pull_request:\n    branches: main\n', pr({ baseBranch: 'dev' })).kind).toBe('skipped')
    expect(judgeTrigger('on:\n  pull_request:\n    branches: main\n', pr({ baseBranch: 'main' })).kind).toBe('runs')
  })

  it('proves a skip by branches-ignore', () => {
    expect(
      judgeTrigger("on:\n  pull_request:\n    branches-ignore: ['mona/octocat', 'releases/**-alpha']\n", pr({ baseBranch: 'releases/beta/3-alpha' }))
    ).toEqual({
      kind: 'skipped',
      filter: "branches-ignore: base branch 'releases/beta/3-alpha' matches 'mona/octocat', 'releases/**-alpha'"
    })
  })

  it('needs both branches and paths satisfied: either one excludes', () => {
    const text = "on:\n  pull_request:\n    branches: ['releases/**']\n    paths: ['**.js']\n"
    expect(judgeTrigger(text, pr({ baseBranch: 'releases/1', changedFiles: ['README.md'] })).kind).toBe('skipped')
    expect(judgeTrigger(text, pr({ baseBranch: 'main', changedFiles: ['app.js'] })).kind).toBe('skipped')
    expect(judgeTrigger(text, pr({ baseBranch: 'releases/1', changedFiles: ['app.js'] })).kind).toBe('runs')
  })

  it('proves a skip by branches even when paths cannot be evaluated', () => {
    const text = "on:\n  pull_request:\n    branches: ['releases/**']\n    paths: ['**.js']\n"
    expect(judgeTrigger(text, pr({ baseBranch: 'main', changedFiles: files(400), changedFilesTotal: 400 }))).toMatchObject({
      kind: 'skipped',
      filter: expect.stringMatching(/^branches:/)
    })
  })
})

describe('types', () => {
  it('defaults to opened, synchronize and reopened: a commit woken by labeled was started when it came', () => {
    expect(judgeTrigger('on: pull_request\n', pr({ action: 'labeled' }))).toEqual({ kind: 'runs' })
    expect(judgeTrigger('on: pull_request\n', pr({ action: undefined }))).toEqual({ kind: 'runs' })
  })

  it('proves a skip when only commit-bringing types are listed and this commit came with the other', () => {
    expect(judgeTrigger('on:\n  pull_request:\n    types: [opened]\n', pr({ action: 'synchronize' }))).toEqual({
      kind: 'skipped',
      filter: 'types: runs on opened only, this commit came with synchronize'
    })
    expect(judgeTrigger('on:\n  pull_request:\n    types: opened\n', pr({ action: 'opened' })).kind).toBe('runs')
  })

  it('proves nothing when another activity may still start it on this commit', () => {
    expect(judgeTrigger('on:\n  pull_request:\n    types: [labeled]\n', pr({ action: 'synchronize' }))).toMatchObject({
      kind: 'unprovable',
      reason: expect.stringContaining('another activity')
    })
    expect(judgeTrigger('on:\n  pull_request:\n    types: [opened, reopened]\n', pr({ action: 'synchronize' })).kind).toBe('unprovable')
    expect(judgeTrigger('on:\n  pull_request:\n    types: [opened]\n', pr({ action: undefined })).kind).toBe('unprovable')
  })

  it('runs when the waking activity is listed', () => {
    expect(judgeTrigger('on:\n  pull_request:\n    types: [labeled]\n', pr({ action: 'labeled' })).kind).toBe('runs')
  })
})

describe('which events', () => {
  it('refuses a workflow triggered only by workflow_run, in one look', () => {
    const text = "on:\n  workflow_run:\n    workflows: ['Build']\n    types: [completed]\n  workflow_dispatch:\n"
    expect(judgeTrigger(text, pr())).toEqual({ kind: 'workflow-run-only' })
    expect(judgeTrigger('on: workflow_run\n', push())).toEqual({ kind: 'workflow-run-only' })
  })

  it('says a workflow is not triggered by the event, with the events it has', () => {
    expect(judgeTrigger('on: push\n', pr())).toEqual({ kind: 'not-triggered', events: ['push'] })
    expect(judgeTrigger('on: [push, workflow_run]\n', pr())).toEqual({ kind: 'not-triggered', events: ['push', 'workflow_run'] })
  })

  it('reads the list and string forms of on', () => {
    expect(judgeTrigger('on: [push, pull_request]\n', pr())).toEqual({ kind: 'runs' })
    expect(judgeTrigger('on: pull_request\n', pr())).toEqual({ kind: 'runs' })
    expect(judgeTrigger('on:\n  pull_request:\n', pr())).toEqual({ kind: 'runs' })
  })

  it('reads on as a key even under a %YAML 1.1 directive, where yaml would make it true', () => {
    expect(judgeTrigger(`%YAML 1.1\n---\n${srcOnly}`, pr()).kind).toBe('skipped')
    expect(judgeTrigger("'on':\n  pull_request:\n    paths: [src/**]\n", pr()).kind).toBe('skipped')
  })
})

describe('push', () => {
  it('matches branches against the pushed branch', () => {
    expect(judgeTrigger("on:\n  push:\n    branches: ['main', 'releases/**']\n", push({ branch: 'feature/gate' }))).toEqual({
      kind: 'skipped',
      filter: "branches: branch 'feature/gate' matches none of 'main', 'releases/**'"
    })
    expect(judgeTrigger("on:\n  push:\n    branches: ['main', 'releases/**']\n", push({ branch: 'releases/2' })).kind).toBe('runs')
  })

  it('does not run a tags-only workflow on a branch push', () => {
    expect(judgeTrigger('on:\n  push:\n    tags: [v1.**]\n', push())).toEqual({
      kind: 'skipped',
      filter: 'tags: runs on tag pushes only, this is a branch push'
    })
    expect(judgeTrigger('on:\n  push:\n    tags-ignore: [v1.**]\n', push()).kind).toBe('skipped')
    expect(judgeTrigger('on:\n  push:\n    tags: [v1.**]\n    branches: [main]\n', push({ branch: 'main' })).kind).toBe('runs')
  })

  it('refuses types under push, which has none', () => {
    expect(judgeTrigger('on:\n  push:\n    types: [created]\n', push()).kind).toBe('unprovable')
  })

  it('judges paths on the pushed files', () => {
    expect(judgeTrigger('on:\n  push:\n    paths: [src/**]\n', push()).kind).toBe('skipped')
  })
})

describe('judgeCommit', () => {
  const prAndPush = "on:\n  pull_request:\n    paths: ['src/**']\n  push:\n    branches: ['feature/**']\n"

  it('runs when any event that brings the commit runs it', () => {
    expect(judgeCommit(prAndPush, [pr(), push()])).toEqual({ kind: 'runs' })
  })

  it('is skipped only when every event that triggers it is proved skipped', () => {
    expect(judgeCommit(prAndPush, [pr(), push({ branch: 'main' })])).toMatchObject({ kind: 'skipped' })
    expect(judgeCommit(srcOnly, [pr(), pr({ event: 'pull_request_target' })])).toMatchObject({ kind: 'skipped', filter: expect.stringMatching(/^paths:/) })
    expect(judgeCommit(prAndPush, [pr(), push({ branch: 'main', headCommitMessage: '[skip ci]' })])).toMatchObject({ kind: 'unprovable' })
  })

  it('passes on workflow-run-only, not-triggered and the no-event case', () => {
    expect(judgeCommit('on: workflow_run\n', [pr(), push()])).toEqual({ kind: 'workflow-run-only' })
    expect(judgeCommit('on: schedule\n', [pr(), push()])).toEqual({ kind: 'not-triggered', events: ['schedule'] })
    expect(judgeCommit(srcOnly, [])).toMatchObject({ kind: 'unprovable' })
  })
})

describe('readWorkflowName', () => {
  it('reads the top-level name, or gives the file path when there is none', () => {
    expect(readWorkflowName(srcOnly, '.github/workflows/build.yml')).toBe('Build')
    expect(readWorkflowName('on: push\njobs: {}\n', '.github/workflows/build.yml')).toBe('.github/workflows/build.yml')
  })

  it('says it does not know when the file cannot be read or the name is not a string', () => {
    expect(readWorkflowName('name: [x\n', '.github/workflows/a.yml')).toBeUndefined()
    expect(readWorkflowName('name: 1.0\non: push\n', '.github/workflows/a.yml')).toBeUndefined()
    expect(readWorkflowName('name:\non: push\n', '.github/workflows/a.yml')).toBeUndefined()
  })
})
