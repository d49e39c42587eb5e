// The gate's verdict as Markdown, above the runs in the summary: how it ended, the runs that
// failed or do not count, and how long runs took beside their workflows' usual time. Pure: the
// command hands over plain-text lines (`CI #12 (run 123, attempt 1): failure`), escaped here.
import { clockTime, formatDuration } from './durations.js'
import { escapeMarkdown } from './escape.js'

/** How the wait ended, as the summary tells it. */
export type GateOutcome =
  | { kind: 'none-found'; message: string }
  | { kind: 'cancelled'; waitedMs: number; message: string; undecided: readonly string[] }
  | { kind: 'timeout'; message: string }
  | { kind: 'failed'; failing: readonly string[]; awaited: number }
  | { kind: 'passed'; passed: number; waitedMs: number }
  /** A one-look gate: what it still waits for, or the configuration fault it published as `error`. */
  | { kind: 'pending'; awaited: readonly string[] }
  | { kind: 'error'; message: string }

/** A run beside its workflow's recent successful runs. */
export interface RunExpectation {
  label: string
  /** How long it took; null while it runs (then `finishAt` is shown). */
  tookMs: number | null
  /** Epoch ms on GitHub's clock. */
  finishAt: number
  sample: number
  medianMs: number
}

export interface GatePreface {
  outcome: GateOutcome
  /** Runs that do not count either way, each `label: why`. */
  notCounted: readonly string[]
  expectations: readonly RunExpectation[]
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `- ${escapeMarkdown(line)}`).join('\n')
}

function headline(outcome: GateOutcome, uncountedNote: string): string {
  switch (outcome.kind) {
    case 'none-found':
      return `## ❌ Gate failed: ${escapeMarkdown(outcome.message)}${uncountedNote}`
    case 'cancelled': {
      const { undecided } = outcome
      const open = bullets(undecided)
      return `## 🛑 Cancelled after ${formatDuration(outcome.waitedMs)}${undecided.length > 0 ? `, ${undecided.length} run(s) undecided` : ''}\n\n${escapeMarkdown(outcome.message)}${open ? `\n\n${open}` : ''}`
    }
    case 'timeout':
      return `## ⏱️ ${escapeMarkdown(outcome.message)}`
    case 'failed':
      return `## ❌ ${outcome.failing.length} of ${outcome.awaited} awaited run(s) failed\n\n${bullets(outcome.failing)}${uncountedNote}`
    case 'passed':
      return `## ✅ All ${outcome.passed} awaited run(s) succeeded (waited ${formatDuration(outcome.waitedMs)})${uncountedNote}`
    case 'pending':
      return `## ⏳ Pending: waiting for ${outcome.awaited.length} workflow(s) or run(s)\n\n${bullets(outcome.awaited)}${uncountedNote}`
    case 'error':
      return `## ⚠️ Gate error: ${escapeMarkdown(outcome.message)}`
  }
}

function expectationLine(e: RunExpectation): string {
  const usual = `the median of its workflow's last ${e.sample} successful runs is ${formatDuration(e.medianMs)}`
  const now = e.tookMs !== null ? `took ${formatDuration(e.tookMs)}` : `expected to finish around ${clockTime(e.finishAt)}`
  return `${e.label}: ${now}; ${usual}.`
}

/** The Markdown (escaped) shown above the runs. */
export function renderGatePreface({ outcome, notCounted, expectations }: GatePreface): string {
  const uncountedNote = notCounted.length > 0 ? `\n\nNot counted: ${notCounted.map(escapeMarkdown).join('; ')}` : ''
  const preface = headline(outcome, uncountedNote)
  return expectations.length > 0 ? `${preface}\n\n${bullets(expectations.map(expectationLine))}` : preface
}
