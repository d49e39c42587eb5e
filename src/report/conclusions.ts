// How the report reads statuses and conclusions: which ones count as failed, and the emoji and
// word shown for each. Shared by the summary, the gantt and the outputs so they never disagree.

/**
 * Job and step conclusions treated as "failed": the ones GitHub's "Re-run failed jobs" re-runs
 * (cancelled included, so matrix siblings stopped by fail-fast are listed too).
 */
export const FAILED_CONCLUSIONS: ReadonlySet<string> = new Set(['failure', 'timed_out', 'cancelled', 'startup_failure'])

export function isFailedConclusion(conclusion: string | null | undefined): boolean {
  return conclusion != null && FAILED_CONCLUSIONS.has(conclusion)
}

/** Something with a status and a conclusion: a run, a job or a step. */
export interface StatusLike {
  status: string
  conclusion: string | null
}

export function isCompleted(item: StatusLike): boolean {
  return item.status === 'completed'
}

export function isFailed(item: StatusLike): boolean {
  return isCompleted(item) && isFailedConclusion(item.conclusion)
}

// One glyph per state so a long jobs table can be scanned by eye; unknown values get ❔.
const EMOJI: Readonly<Record<string, string>> = {
  success: '✅',
  failure: '❌',
  cancelled: '🚫',
  timed_out: '⏰',
  skipped: '⏭️',
  neutral: '⚪',
  action_required: '✋',
  stale: '💤',
  startup_failure: '💥',
  in_progress: '🔄',
  queued: '⏳',
  pending: '⏳',
  requested: '⏳',
  waiting: '⏸️'
}

/** The state to show: the conclusion once completed, the status before. */
export function stateOf(item: StatusLike): string {
  if (isCompleted(item)) return item.conclusion ?? 'completed'
  return item.status
}

export function stateEmoji(item: StatusLike): string {
  return EMOJI[stateOf(item)] ?? '❔'
}

/** `timed_out` → `timed out`; the caller escapes (the value may be an unknown API string). */
export function stateWord(item: StatusLike): string {
  const state = stateOf(item)
  return state === 'in_progress' ? 'running' : state.replace(/_/g, ' ')
}
