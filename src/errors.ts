// The errors a step fails with that are not HTTP errors (those are in src/github/errors.ts): bad
// input, found before any request, and selections GitHub's API cannot serve whole. Each message
// says what was wrong and what to do; main.ts turns any of them into a failed step.

/** An input with a value the action cannot use: names the input, the value and the form expected. */
export class InputError extends Error {
  constructor(input: string, value: string, expected: string) {
    super(`Input '${input}' has an invalid value '${value}': ${expected}`)
    this.name = 'InputError'
  }
}

/** A second that holds more runs than one search can list (`limit`): no search can read it whole. */
export class CrowdedSecondError extends Error {
  constructor(second: string, where: string, limit: number) {
    super(
      `${limit} or more runs${where} were created in the second ${second}: GitHub lists at most ${limit} runs per search, so not all of them can be found. Narrow the selection (workflow, branch, event, actor, status) or give the runs by run-id.`
    )
    this.name = 'CrowdedSecondError'
  }
}

/** `rerun`'s `job` names no job of a run's latest attempt: the whole command is refused before any write. */
export class JobSelectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JobSelectionError'
  }
}
