import { describe, expect, it } from '@jest/globals'
import { isOfWorkflow, newestPerWorkflow } from '../../src/runs/selection.js'
import { aRun } from '../../__fixtures__/runs.js'

describe('newestPerWorkflow', () => {
  it('keeps the newest run of each workflow, event and branch', () => {
    const runs = [
      aRun({ id: 3, workflowId: 1, event: 'push', createdAt: '2026-11-21T10:03:00Z' }),
      aRun({ id: 2, workflowId: 1, event: 'push', createdAt: '2026-11-21T10:02:00Z' }),
      aRun({ id: 1, workflowId: 1, event: 'pull_request', createdAt: '2026-11-21T10:01:00Z' }),
      aRun({ id: 4, workflowId: 2, event: 'push', createdAt: '2026-11-21T10:00:00Z' })
    ]
    expect(newestPerWorkflow(runs).map((r) => r.id)).toEqual([3, 1, 4])
  })

  it('breaks a tie in creation time by the higher id', () => {
    const runs = [aRun({ id: 5, createdAt: '2026-11-21T10:00:00Z' }), aRun({ id: 6, createdAt: '2026-11-21T10:00:00Z' })]
    expect(newestPerWorkflow(runs).map((r) => r.id)).toEqual([6])
  })
})

describe('isOfWorkflow', () => {
  it('matches a file name against the path, and an id against the workflow id', () => {
    const run = aRun({ workflowId: 77, path: '.github/workflows/ci.yml' })
    expect(isOfWorkflow(run, 'ci.yml')).toBe(true)
    expect(isOfWorkflow(run, '77')).toBe(true)
    expect(isOfWorkflow(run, 'lint.yml')).toBe(false)
    expect(isOfWorkflow(aRun({ path: '.github/workflows/ci.yml@refs/heads/main' }), 'ci.yml')).toBe(true)
  })
})
