// Untrusted text (job, step, workflow and environment names, run titles, log lines, API error
// messages) made safe to print with `core.info`. The runner scans every stdout line for workflow
// commands: `::name params::value` when the line starts with `::` after leading whitespace is
// trimmed, and the old `##[name params]value` anywhere in a line; `\r` ends a line as `\n` does.
// A name written by a fork's author could otherwise set outputs, add masks, forge annotations or
// send `::stop-commands::` and silence the action's own `::error::`.

/** What a line break becomes: visible, and not a line break. */
export const LINE_BREAK_MARKER = '⏎'

// Every line break the runner (or a Unicode-aware reader) could split on.
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029]/g

// Zero-width space: invisible, not whitespace to the runner's trim (.NET) nor to JavaScript's.
const ZWSP = '\u200B'

/**
 * One line the runner never parses as a command: line breaks become `⏎`, a zero-width space
 * goes after every `:` that is followed by another (so no `::` is left anywhere, however the
 * runner trims the line's start) and between `##` and `[` (so no `##[` is left). Percent text
 * is left as is: the runner decodes `%0A` only inside a command's value, never in a plain line.
 */
export function neutralise(text: string): string {
  return text
    .replace(LINE_BREAKS, LINE_BREAK_MARKER)
    .replace(/:(?=:)/g, `:${ZWSP}`)
    .replace(/##\[/g, `##${ZWSP}[`)
}
