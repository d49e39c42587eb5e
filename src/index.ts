// The action's entry point: the runner executes dist/index.js, built from this file.
import { main } from './main.js'

await main()
