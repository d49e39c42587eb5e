// The README's input and output tables, generated from action.yml (the one source of both):
//   npm run readme            rewrites the tables between the README's reference markers
//   npm run readme -- --check fails when they differ from action.yml (the unit test does the same)
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..')

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>
  outputs: Record<string, { description: string }>
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

export function referenceTables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionYml
  const inputs = ['| input | default | description |', '|---|---|---|']
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = input.default ?? ''
    inputs.push(`| \`${name}\` | ${value === '' ? '' : `\`${cell(value)}\``} | ${cell(input.description)} |`)
  }
  const outputs = ['| output | description |', '|---|---|']
  for (const [name, output] of Object.entries(action.outputs)) outputs.push(`| \`${name}\` | ${cell(output.description)} |`)
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') }
}

const marker = (what: string, edge: 'start' | 'end'): string => `<!-- ${what} table: generated from action.yml by npm run readme; ${edge} -->`

/** The README with both tables replaced by fresh ones. */
export function withReference(readme: string, actionYml: string): string {
  const tables = referenceTables(actionYml)
  let text = readme
  for (const what of ['inputs', 'outputs'] as const) {
    const start = text.indexOf(marker(what, 'start'))
    const end = text.indexOf(marker(what, 'end'))
    if (start === -1 || end < start) throw new Error(`README.md lacks the ${what} table markers`)
    text = `${text.slice(0, start)}${marker(what, 'start')}\n${tables[what]}\n${text.slice(end)}`
  }
  return text
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const readmePath = join(root, 'README.md')
  const readme = readFileSync(readmePath, 'utf8')
  const fresh = withReference(readme, readFileSync(join(root, 'action.yml'), 'utf8'))
  if (process.argv.includes('--check')) {
    if (fresh !== readme) {
      console.error('README.md: the input/output tables differ from action.yml: run npm run readme')
      process.exit(1)
    }
  } else {
    writeFileSync(readmePath, fresh)
    console.log('README.md: input and output tables written from action.yml')
  }
}
