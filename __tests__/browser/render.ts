// A job summary as GitHub renders it: GitHub-flavoured Markdown with raw HTML such as
// `<details>` kept, and ```mermaid blocks left for mermaid to draw. Used by the browser test
// (which draws the charts itself) and by the demo's HTML previews (which load mermaid).
import { marked } from 'marked'

// The width of a job summary's column on github.com at a common laptop size.
export const SUMMARY_WIDTH_PX = 900

// The page's own first script: records what untrusted text would make run, before any of it is parsed.
const RECORD_CALLS = `window.__calls = []; for (const name of ['alert', 'confirm', 'prompt']) window[name] = (m) => { window.__calls.push(name + '(' + m + ')'); return null }`

// GitHub's look, roughly: its font, sizes, table borders, code blocks.
const STYLE = `
    body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0; }
    main { width: ${SUMMARY_WIDTH_PX}px; padding: 16px 24px; }
    h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; } h3 { font-size: 1.25em; } h4 { font-size: 1em; } h5 { font-size: .875em; }
    table { border-collapse: collapse; display: block; overflow: auto; } td, th { border: 1px solid #d1d9e0; padding: 6px 13px; }
    pre { background: #f6f8fa; padding: 16px; overflow: auto; font-size: 85%; border-radius: 6px; }
    pre.mermaid { background: none; }
  `

/**
 * The summary as an HTML page. GitHub also sanitises the HTML; this page does not, so anything
 * the summary let through from untrusted text (a tag, an event handler) would show. With
 * `mermaidSrc`, the page loads mermaid from there and draws its charts itself (a preview).
 */
export function summaryHtml(markdown: string, options: { mermaidSrc?: string } = {}): string {
  const body = (marked.parse(markdown, { gfm: true, async: false }) as string).replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_all, code: string) => `<pre class="mermaid">${code}</pre>`
  )
  const draw =
    options.mermaidSrc === undefined
      ? ''
      : `<script src="${options.mermaidSrc}"></script><script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' })</script>`
  return `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style><script>${RECORD_CALLS}</script></head><body><main>${body}</main>${draw}</body></html>`
}
