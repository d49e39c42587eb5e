// Fails when dist/ is not exactly what `npm run build` makes from src/: the runner executes
// dist/index.js, so a stale dist means users run code nobody reviewed.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const fresh = mkdtempSync(join(tmpdir(), 'run-control-dist-'))
try {
  execFileSync('npx', ['ncc', 'build', 'src/index.ts', '-o', fresh, '--license', 'licenses.txt'], { stdio: 'pipe' })
  const names = new Set([...readdirSync('dist'), ...readdirSync(fresh)])
  const differing = [...names].filter((name) => {
    try {
      return !readFileSync(join('dist', name)).equals(readFileSync(join(fresh, name)))
    } catch {
      return true
    }
  })
  if (differing.length > 0) {
    console.error(`dist/ is stale (${differing.join(', ')} differ from a fresh build): run \`npm run build\` and commit dist/.`)
    process.exit(1)
  }
  console.log('dist/ matches a fresh build of src/.')
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
