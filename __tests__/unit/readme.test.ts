// The README's input and output tables are action.yml's, word for word (npm run readme writes them).
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { referenceTables, withReference } from '../../scripts/readme-reference.js'

const ROOT = new URL('../../', import.meta.url).pathname
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')

describe('README reference tables', () => {
  it('equal the tables made from action.yml', () => {
    expect(withReference(readme, actionYml) === readme).toBe(true)
  })

  it('list every input and output', () => {
    const { inputs, outputs } = referenceTables(actionYml)
    const declared = Object.keys((parse(actionYml) as { inputs: Record<string, unknown> }).inputs)
    // A header and its rule, then one row per input action.yml declares.
    expect(inputs.split('\n')).toHaveLength(2 + declared.length)
    expect(outputs).toContain('| `failure-markdown` |')
  })

  it('drift when action.yml changes (the check can fail)', () => {
    const changed = actionYml.replace('default: 30m', 'default: 45m')
    expect(changed).not.toBe(actionYml)
    expect(withReference(readme, changed) === readme).toBe(false)
  })
})

describe('README and examples/', () => {
  it('links every example workflow', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.yml'))
    expect(examples.length).toBeGreaterThan(5)
    for (const file of examples) expect(readme).toContain(`(examples/${file})`)
  })

  it('uses one canonical uses: line', () => {
    // (The SHA-pinning example is the one other form, and it is a placeholder.)
    const uses = [...readme.matchAll(/uses: (\S*run-control\S*)/g)].map((m) => m[1]).filter((u) => u !== 'run-control/run-control@<40-character')
    expect(uses.length).toBeGreaterThan(5)
    expect(new Set(uses)).toEqual(new Set(['run-control/run-control@v1']))
  })
})
