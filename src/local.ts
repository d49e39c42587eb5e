// The entry @github/local-action calls (`npx @github/local-action . src/local.ts .env`): it runs
// the module's exported `run()` with no arguments, which is what main() is.
export { main as run } from './main.js'
