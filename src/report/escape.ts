// Escaping for untrusted text (job, step and workflow names, branches, titles, log lines) placed
// in the job summary. GitHub's summary renderer accepts raw HTML and Markdown, and
// @actions/core escapes nothing, so every untrusted string goes through one of these.
/* eslint-disable no-control-regex -- finding control characters in untrusted text is this file's job */

// C0/C1 control characters other than tab, LF and CR (handled separately), plus the Unicode
// bidirectional overrides that can make text display differently from what it is.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

// Line breaks of any kind and tabs: a table cell, heading or list item must stay on one line.
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/g

// ANSI escape sequences: CSI (colours, cursor moves) and OSC (titles, hyperlinks), as tools
// print them when they believe they write to a terminal.
const ANSI_SEQUENCES = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)?/g

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c)
}

// HTML specials plus the characters with Markdown meaning inside a line (`$` is GitHub's math).
// They become numeric character references rather than backslash escapes: CommonMark treats a
// reference as literal text, never as syntax, and references also decode inside raw HTML blocks
// such as `<summary>`, where a backslash escape would be shown as a backslash.
const MARKDOWN_SPECIALS = /[&<>"'\\`*_[\]()#|~!+$]/g

// Zero-width joiner: invisible, but breaks GitHub's `@user` and `#123` autolinking.
const ZWJ = '\u200D'

function reference(c: string): string {
  return HTML_ENTITIES[c] ?? `&#${c.charCodeAt(0)};`
}

// Anything escapeMarkdown would change; most names have none of it, and skipping the
// replacements for them keeps a 5,000-step summary fast.
const MARKDOWN_NEEDS_WORK =
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069&<>"'\\`*_[\]()#|~!+$@]|^[\s\d-]|\s$|GH-\d|:\/\/|www\./i

/** Untrusted text for a Markdown table cell, heading or list item. */
export function escapeMarkdown(text: string): string {
  return escapeText(text, inlineCode)
}

/** Untrusted text inside a raw HTML block (a `<summary>`), where Markdown is not parsed. */
export function escapeHtmlBlockText(text: string): string {
  return escapeText(text, (word) => `<code>${escapeHtml(word)}</code>`)
}

function escapeText(text: string, code: (word: string) => string): string {
  if (!MARKDOWN_NEEDS_WORK.test(text)) return text
  const flat = text.replace(CONTROL_CHARS, '').replace(LINE_BREAKS, ' ').trim()
  // A word GitHub would make a link of is shown as code: copied, it is still the name.
  const out = LINKABLE_HINT.test(flat)
    ? flat
        .split(/( +)/)
        .map((word) => (linkable(word) ? code(word) : escapeWords(word)))
        .join('')
    : escapeWords(flat)
  // Block syntax only matters at the start: a list marker, or an ordered-list number.
  return out.replace(/^-/, '&#45;').replace(/^(\d+)\./, '$1&#46;')
}

function escapeWords(text: string): string {
  return (
    text
      // Mentions and issue references first, while `@` and `#` are still plain characters, and
      // only where GitHub forms them: at a word's start (`checkout@v4`, `C#9` stay as they are,
      // so what a reader copies is the real name).
      .replace(/(?<![\p{L}\p{N}_])@(?=[\p{L}\p{N}_-])/gu, `@${ZWJ}`)
      .replace(/(?<![\p{L}\p{N}_])#(?=\d)/gu, `#${ZWJ}`)
      .replace(/\b(GH-)(?=\d)/gi, `$1${ZWJ}`)
      .replace(MARKDOWN_SPECIALS, reference)
  )
}

// What GitHub's Markdown turns into a link by itself: cmark-gfm's autolink extension, read in
// github/cmark-gfm's extensions/autolink.c (master, and the later version that adds `mailto:`
// and `xmpp:`) and the GFM spec's "Autolinks (extension)" section:
// - `http://`, `https://`, `ftp://` (any case), the scheme not preceded by a letter (`xhttp://`
//   is not a link, `-https://` is), then a character that is neither space nor punctuation;
// - `www.` at the start of the text or after a space or one of `*_~(` (case-sensitive), then a
//   host with a dot (and no `_` in its last two labels);
//   both run to the next space or `<`, less trailing `?!.,:*_~'"`, an unbalanced `)` or an
//   `&entity;`, so a link never spans a space;
// - an e-mail address: one or more of `A-Za-z0-9.+-_` just before `@`, then a domain of
//   `A-Za-z0-9-_` with at least one `.` followed by a letter or digit, whose last character is
//   a letter (`checkout@v4` and `lodash@4.17.21` are not links). It is matched in the text
//   after entities are decoded, so `&#43;` or `&#95;` in it does not stop it;
// - never inside link text or code (a code span is the one way out that keeps the text).
// A word that holds one is wrapped whole. URLs and `www.` are matched more loosely than
// GitHub does (anywhere in the word, any case), as marked and other renderers link them.
const LINKABLE_HINT = /:\/\/|www\.|@/i
const URL_OR_WWW = /(?:https?|ftp):\/\/|www\./i

function linkable(word: string): boolean {
  return URL_OR_WWW.test(word) || hasEmail(word)
}

function hasEmail(word: string): boolean {
  for (let at = word.indexOf('@'); at !== -1; at = word.indexOf('@', at + 1)) {
    if (!/[A-Za-z0-9.+_-]/.test(word.charAt(at - 1))) continue
    let end = at + 1
    let dots = 0
    for (; end < word.length; end++) {
      const c = word.charAt(end)
      if (c === '.' && /[A-Za-z0-9]/.test(word.charAt(end + 1))) dots++
      else if (!/[A-Za-z0-9_-]/.test(c)) break
    }
    if (dots > 0 && /[A-Za-z]/.test(word.charAt(end - 1))) return true
  }
  return false
}

/**
 * `word` (no spaces) as inline code. A `|` stays outside, as a reference: a table splits its
 * cells on every `|`, code spans included. The fence is longer than any backtick run inside.
 */
function inlineCode(word: string): string {
  return word
    .split('|')
    .map((part) => {
      if (part === '') return ''
      const longest = Math.max(0, ...(part.match(/`+/g) ?? []).map((run) => run.length))
      const fence = '`'.repeat(longest + 1)
      // A backtick at either end would run into the fence; the code span drops one space each side.
      const pad = part.startsWith('`') || part.endsWith('`') ? ' ' : ''
      return `${fence}${pad}${part}${pad}${fence}`
    })
    .join('&#124;')
}

/** A log line for an HTML `<pre>` block: no Markdown is parsed there, so HTML-escaping is enough. */
export function escapeCodeLine(text: string): string {
  return escapeHtml(
    text
      .replace(ANSI_SEQUENCES, '')
      .replace(CONTROL_CHARS, '')
      .replace(/\r/g, '')
      .replace(/[\n\u2028\u2029]/g, ' ')
  )
}

// Words a gantt line may start with that mermaid's lexer reads as a statement, not a task.
// gantt.jison also lexes `call`, `href` and a leading date before a task label: a job named
// `call x()` or `2026-01-01 deploy` made mermaid reject the whole chart (checked with mermaid
// 12.3.0's parser by the injection suite).
const MERMAID_KEYWORDS =
  /^(?:(?:gantt|section|title|dateformat|axisformat|tickinterval|includes|excludes|todaymarker|weekday|weekend|inclusiveenddates|topaxis|displaymode|click|acctitle|accdescr|call|href)\b|\d{4}-\d{2}-\d{2})/i

// Zero-width space: not whitespace to mermaid's lexer, so a leading keyword is no longer one.
const ZWSP = '\u200B'

// Longest label kept: a gantt's labels sit beside bars, longer ones only get in the way.
const MERMAID_MAX_LABEL = 100

// Look-alikes for the characters mermaid's gantt syntax gives meaning to: `:` ends the task text,
// `#…;` is an entity, `%` starts comments and `%%{…}%%` directives, `<>` are HTML to its
// sanitizer, and a backtick run could close the Markdown fence around the diagram.
const MERMAID_LOOKALIKES: Readonly<Record<string, string>> = {
  ':': '\uA789', // ꞉ modifier letter colon
  '#': '\uFF03', // ＃
  ';': ',',
  '%': '\uFF05', // ％
  '<': '\u2039', // ‹
  '>': '\u203A', // ›
  '`': "'",
  '{': '(',
  '}': ')'
}

// Anything mermaidText would change, as for MARKDOWN_NEEDS_WORK.
const MERMAID_NEEDS_WORK = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069:#;%<>`{}]|^\s|\s$| {2}/

/** Text safe as a mermaid gantt task or section label, still readable. */
export function mermaidText(text: string): string {
  if (text !== '' && text.length <= MERMAID_MAX_LABEL && !MERMAID_NEEDS_WORK.test(text) && !MERMAID_KEYWORDS.test(text)) {
    return text
  }
  let out = text
    .replace(ANSI_SEQUENCES, '')
    .replace(CONTROL_CHARS, '')
    .replace(LINE_BREAKS, ' ')
    // (No mention breaking: a mermaid block is code to GitHub, which forms no mention in it.)
    .replace(/[:#;%<>`{}]/g, (c) => MERMAID_LOOKALIKES[c] ?? c)
    .replace(/ {2,}/g, ' ')
    .trim()
  if (out.length > MERMAID_MAX_LABEL) out = `${sliceChars(out, MERMAID_MAX_LABEL - 1)}…`
  if (out === '') return '?'
  return MERMAID_KEYWORDS.test(out) ? ZWSP + out : out
}

/** The first `max` UTF-16 units of `text`, never ending on half a surrogate pair. */
export function sliceChars(text: string, max: number): string {
  if (text.length <= max) return text
  const last = text.charCodeAt(max - 1)
  const end = last >= 0xd800 && last <= 0xdbff ? max - 1 : max
  return text.slice(0, end)
}

/** A link target: http(s) URLs only, with the characters that would end a Markdown link encoded. */
export function safeUrl(url: string | null | undefined): string | null {
  if (url == null || !/^https?:\/\//i.test(url)) return null
  return url.replace(/[\s()<>"'`\\[\]|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
}

/** `[text](url)` with `text` escaped, or the escaped text alone when the URL is unusable. */
export function markdownLink(text: string, url: string | null | undefined): string {
  const target = safeUrl(url)
  const label = escapeMarkdown(text)
  return target === null ? label : `[${label}](${target})`
}
