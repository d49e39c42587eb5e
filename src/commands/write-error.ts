// Turns a failed write request into a sentence for the log and the summary table.

/** GitHub's message and status; for a 403, what the token usually lacks. */
export function describeWriteError(error: unknown): string {
  const status = (error as { status?: number }).status
  const message = error instanceof Error ? error.message : String(error)
  if (status === 403 && /not accessible by integration|must have admin|permission/i.test(message)) {
    return `${message} (403): the token needs the 'actions: write' permission (add 'permissions: actions: write' to the job)`
  }
  return status === undefined ? message : `${message} (${status})`
}
