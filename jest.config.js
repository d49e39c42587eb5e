// ESM + ts-jest, as described in shared toolchain notes: transformers do not type-check,
// `npm run typecheck` does that once for the whole tree.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['**/__tests__/**/*.test.ts'],
  // End-to-end tests start child processes against a simulator on a real clock.
  testTimeout: 60000,
  // Most suites wait on sockets and child processes, not on the CPU: more workers than cores overlap them.
  maxWorkers: 4
}
