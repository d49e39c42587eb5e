// Job logs with the shapes real GitHub Actions job logs have (see API-NOTES, "What real job logs
// look like"), written here with our own text. Each line is paired with the number of the step
// that wrote it, so a test can check the whole attribution, not just an excerpt.
import type { Job } from '../src/github/types.js'
import { aJob, aStep } from './runs.js'

export interface AnnotatedLog {
  job: Job
  /** [step number, the raw line as the log has it]. */
  lines: [number, string][]
}

const day = '2026-11-21T10:00:'
const at = (second: string, fraction = '0000000'): string => `${day}${second}.${fraction}Z`
const step = (number: number, name: string, start: string, end: string, conclusion = 'success') =>
  aStep({ number, name, conclusion, status: 'completed', startedAt: `${day}${start}Z`, completedAt: `${day}${end}Z` })

/**
 * A JavaScript action that crashed: no `##[error]` of the runner's own, only a stack trace. Its
 * `Post …` step and `Complete job` start in the very second it ended (12) and have no header.
 */
export const crashWithCleanupInTheSameSecond: AnnotatedLog = {
  job: aJob({
    conclusion: 'failure',
    steps: [
      step(1, 'Set up job', '00', '01'),
      step(2, 'Run actions/checkout@v4', '01', '03'),
      step(3, 'Run ./.github/actions/publish', '03', '12', 'failure'),
      step(4, 'Post Run actions/checkout@v4', '12', '12'),
      step(5, 'Complete job', '12', '12')
    ]
  }),
  lines: [
    [1, `\uFEFF${at('00', '1000000')} Current runner version: '2.331.0'`],
    [1, `${at('00', '2000000')} ##[group]Runner Image`],
    [1, `${at('00', '3000000')} Image: ubuntu-24.04`],
    [1, `${at('00', '4000000')} ##[endgroup]`],
    [2, `${at('01', '1000000')} ##[group]Run actions/checkout@v4`],
    [2, `${at('01', '1100000')} with:`],
    [2, `${at('01', '1200000')}   fetch-depth: 1`],
    [2, `${at('01', '1300000')} ##[endgroup]`],
    [2, `${at('02', '5000000')} Syncing repository: octo/app`],
    [3, `${at('03', '1000000')} ##[group]Run ./.github/actions/publish`],
    [3, `${at('03', '1100000')} ##[endgroup]`],
    [3, `${at('05', '0000000')} Publishing 3 packages`],
    [3, `${at('11', '9000000')} file:///home/runner/work/app/app/.github/actions/publish/index.js:41`],
    [3, `${at('11', '9100000')}     throw new TypeError('registry answered 503');`],
    [3, `${at('11', '9200000')}     ^`],
    [3, `${at('11', '9300000')} TypeError: registry answered 503`],
    [3, `${at('11', '9400000')}     at publish (file:///home/runner/work/app/app/.github/actions/publish/index.js:41:11)`],
    [3, `${at('12', '0100000')} Node.js v24.11.0`],
    [4, `${at('12', '2000000')} Post job cleanup.`],
    [4, `${at('12', '2100000')} [command]/usr/bin/git version`],
    [4, `${at('12', '2200000')} git version 2.51.0`],
    [4, `${at('12', '2300000')} Removing auth`],
    [5, `${at('12', '4000000')} Cleaning up orphan processes`],
    [5, `${at('12', '4100000')} Terminate orphan process: pid (2211) (node)`]
  ]
}

/**
 * A composite action (step 2) writes `##[group]Run …` headers of its own; its last inner step
 * runs in the second the next step (3, GitHub's default name `Run npm test`) starts. The test
 * step fails with the generic exit-code line; its cause is the output just before, after the
 * runner's preamble (the command, `shell:`, `env:`).
 */
export const compositeThenGenericFailure: AnnotatedLog = {
  job: aJob({
    conclusion: 'failure',
    steps: [
      step(1, 'Set up job', '00', '01'),
      step(2, 'Set up the toolchain', '01', '06'),
      step(3, 'Run npm test', '06', '09', 'failure'),
      step(4, 'Complete job', '09', '09')
    ]
  }),
  lines: [
    [1, `${at('00', '5000000')} Current runner version: '2.331.0'`],
    [2, `${at('01', '1000000')} ##[group]Run ./.github/actions/toolchain`],
    [2, `${at('01', '1100000')} ##[endgroup]`],
    [2, `${at('01', '2000000')} ##[group]Run actions/setup-node@v4`],
    [2, `${at('01', '2100000')} with:`],
    [2, `${at('01', '2200000')}   node-version: 24`],
    [2, `${at('01', '2300000')} ##[endgroup]`],
    [2, `${at('04', '0000000')} Found in cache @ /opt/hostedtoolcache/node/24.11.0/x64`],
    [2, `${at('06', '1000000')} ##[group]Run npm ci --prefer-offline`],
    [2, `${at('06', '1100000')} npm ci --prefer-offline`],
    [2, `${at('06', '1200000')} shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}`],
    [2, `${at('06', '1300000')} ##[endgroup]`],
    [2, `${at('06', '4000000')} added 412 packages in 0.3s`],
    [3, `${at('06', '6000000')} ##[group]Run npm test`],
    [3, `${at('06', '6100000')} npm test`],
    [3, `${at('06', '6200000')} shell: /usr/bin/bash -e {0}`],
    [3, `${at('06', '6300000')} env:`],
    [3, `${at('06', '6400000')}   CI: true`],
    [3, `${at('06', '6500000')} ##[endgroup]`],
    [3, `${at('07', '0000000')} > app@1.0.0 test`],
    [3, `${at('08', '0000000')}   ● cart › applies the discount`],
    [3, `${at('08', '1000000')}     Expected: 90`],
    [3, `${at('08', '2000000')}     Received: 100`],
    [3, `${at('08', '9000000')} ##[error]Process completed with exit code 1.`],
    [4, `${at('09', '1000000')} Cleaning up orphan processes`]
  ]
}

/** A multi-line error: one `##[error]` line, then lines with no timestamp that belong to it (CRLF, as on Windows). */
export const multiLineErrorOnWindows: AnnotatedLog = {
  job: aJob({
    conclusion: 'failure',
    steps: [step(1, 'Set up job', '00', '01'), step(2, 'Build', '01', '04', 'failure'), step(3, 'Complete job', '04', '04')]
  }),
  lines: [
    [1, `\uFEFF${at('00', '5000000')} Current runner version: '2.331.0'\r`],
    [2, `${at('01', '1000000')} ##[group]Run dotnet build\r`],
    [2, `${at('01', '1100000')} shell: C:\\Program Files\\PowerShell\\7\\pwsh.EXE -command ". '{0}'"\r`],
    [2, `${at('01', '1200000')} ##[endgroup]\r`],
    [2, `${at('02', '0000000')} Restore complete (0.8s)\r`],
    [2, `${at('03', '5000000')} ##[error]Build failed with 2 errors:\r`],
    [2, `src/Cart.cs(12,5): error CS1002: ; expected\r`],
    [2, `src/Cart.cs(30,9): error CS0103: The name 'total' does not exist\r`],
    [2, `${at('03', '6000000')} ##[error]Process completed with exit code 1.\r`],
    [3, `${at('04', '1000000')} Cleaning up orphan processes\r`]
  ]
}

/** The log as the API serves it: the lines joined with `\n`. */
export function logText(log: AnnotatedLog): string {
  return log.lines.map(([, line]) => line).join('\n')
}

/**
 * A 20 MB job log, made line by line so a test can stream it without holding it: `npm ci`
 * writes about 200,000 lines over two minutes, then `Run npm test` starts in the second the
 * install ends and fails with a multi-line error, and a `Post …` and `Complete job` step follow
 * in the same second. Lines come as [step number, raw line], like the other fixtures.
 */
export const hugeInstallJob = aJob({
  conclusion: 'failure',
  steps: [
    step(1, 'Set up job', '00', '01'),
    aStep({ number: 2, name: 'Run npm ci', conclusion: 'success', startedAt: `${day}01Z`, completedAt: '2026-11-21T10:02:00Z' }),
    aStep({ number: 3, name: 'Run npm test', conclusion: 'failure', startedAt: '2026-11-21T10:02:00Z', completedAt: '2026-11-21T10:02:30Z' }),
    aStep({ number: 4, name: 'Post Run actions/checkout@v4', startedAt: '2026-11-21T10:02:30Z', completedAt: '2026-11-21T10:02:30Z' }),
    aStep({ number: 5, name: 'Complete job', startedAt: '2026-11-21T10:02:30Z', completedAt: '2026-11-21T10:02:31Z' })
  ]
})

export function* hugeInstallLog(bytes = 20 * 1024 * 1024): Generator<[number, string]> {
  const stamp = (secondOfRun: number, tick: number): string => {
    const minute = String(Math.floor(secondOfRun / 60)).padStart(2, '0')
    const second = String(secondOfRun % 60).padStart(2, '0')
    return `2026-11-21T10:${minute}:${second}.${String(tick).padStart(7, '0')}Z`
  }
  yield [1, `\uFEFF${stamp(0, 1000000)} Current runner version: '2.331.0'`]
  yield [2, `${stamp(1, 1000000)} ##[group]Run npm ci`]
  yield [2, `${stamp(1, 1100000)} npm ci`]
  yield [2, `${stamp(1, 1200000)} ##[endgroup]`]
  const filler = 'npm http fetch GET 200 https://registry.npmjs.org/some-package/-/some-package-1.2.3.tgz 12ms (cache hit)'
  const lines = Math.ceil(bytes / (filler.length + 30))
  for (let i = 0; i < lines; i++) {
    // Spread over seconds 1 to 119, the last ones in second 120: the second the next step starts.
    const second = i === lines - 1 ? 120 : 1 + Math.floor((i * 119) / lines)
    yield [2, `${stamp(second, i % 10_000_000)} ${filler}`]
  }
  yield [3, `${stamp(120, 5000000)} ##[group]Run npm test`]
  yield [3, `${stamp(120, 5100000)} npm test`]
  yield [3, `${stamp(120, 5200000)} ##[endgroup]`]
  yield [3, `${stamp(125, 0)} FAIL src/cart.test.ts`]
  yield [3, `${stamp(129, 0)} ##[error]Tests failed:`]
  yield [3, '  cart › applies the discount: expected 90, received 100']
  yield [3, `${stamp(129, 1000000)} ##[error]Process completed with exit code 1.`]
  yield [4, `${stamp(150, 1000000)} Post job cleanup.`]
  yield [4, `${stamp(150, 2000000)} [command]/usr/bin/git version`]
  yield [5, `${stamp(150, 3000000)} Cleaning up orphan processes`]
}
