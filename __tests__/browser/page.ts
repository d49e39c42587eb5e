// A job summary rendered the way GitHub shows it (render.ts), its charts drawn by mermaid, in
// headless Chromium, and measured as a person would see it.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
import { summaryHtml, SUMMARY_WIDTH_PX } from './render.js'

// Debian's package; playwright cannot download a browser here (see TOOLCHAIN.md).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// Flags for a machine without a network: no background connections, no sandbox as root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]
const require = createRequire(import.meta.url)
const MERMAID_JS = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8')

export async function openBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

export interface SummaryView {
  /** The summary's height (with every `<details>` closed, by default), in CSS pixels. */
  heightPx: number
  /** The first heading's text and whether it is the largest heading on the page. */
  verdict: { text: string; largest: boolean }
  /** Where a text first appears, and whether a reader sees it with every `<details>` closed. */
  find(text: string): Promise<{ topPx: number; visible: boolean } | null>
  /** Each mermaid chart: its source length, drawn height, and mermaid's error, if any. */
  charts: { chars: number; heightPx: number; error: string | null }[]
  /** Handlers or scripts from the summary that ran (calls to alert, confirm, prompt). */
  scriptCalls: string[]
  /** Elements a summary must not contain: script, iframe, img, object, embed, or any on* attribute. */
  unsafeElements: string[]
  page: Page
}

/**
 * Renders `markdown`, draws its charts, closes every `<details>` (unless `closeDetails` is
 * false: then they stay as GitHub first shows them) and measures, in a window `widthPx` wide
 * (default: just the summary's column) and 800 px high.
 */
export async function viewSummary(browser: Browser, markdown: string, options: { closeDetails?: boolean; widthPx?: number } = {}): Promise<SummaryView> {
  const page = await browser.newPage({ viewport: { width: options.widthPx ?? SUMMARY_WIDTH_PX + 48, height: 800 } })
  const unsafe = await page.evaluate((html) => {
    // Checked on the parsed summary before mermaid adds its own elements.
    const doc = new DOMParser().parseFromString(html, 'text/html')
    const found: string[] = []
    for (const element of Array.from(doc.body.querySelectorAll('*'))) {
      if (/^(SCRIPT|IFRAME|IMG|OBJECT|EMBED|FORM|INPUT|STYLE|LINK|META)$/.test(element.tagName)) found.push(element.outerHTML.slice(0, 80))
      for (const attribute of Array.from(element.attributes)) {
        if (/^on/i.test(attribute.name) || /^\s*javascript:/i.test(attribute.value))
          found.push(`${element.tagName} ${attribute.name}=${attribute.value.slice(0, 40)}`)
      }
    }
    return found
  }, summaryHtml(markdown))
  await page.setContent(summaryHtml(markdown), { waitUntil: 'load' })
  await page.addScriptTag({ content: MERMAID_JS })
  const charts = await page.evaluate(async (closeDetails) => {
    const mermaid = (window as unknown as { mermaid: { initialize(c: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid
    // GitHub draws charts with the strict security level: no HTML labels, no click callbacks.
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })
    const results: { chars: number; heightPx: number; error: string | null }[] = []
    let n = 0
    for (const pre of Array.from(document.querySelectorAll('pre.mermaid'))) {
      const source = pre.textContent ?? ''
      try {
        const { svg } = await mermaid.render(`chart${n++}`, source)
        pre.innerHTML = svg
        const drawn = pre.querySelector('svg')
        results.push({ chars: source.length, heightPx: Math.round(drawn?.getBoundingClientRect().height ?? 0), error: null })
      } catch (error) {
        results.push({ chars: source.length, heightPx: 0, error: String(error) })
      }
    }
    if (closeDetails) for (const details of Array.from(document.querySelectorAll('details'))) details.open = false
    return results
  }, options.closeDetails ?? true)
  const verdict = await page.evaluate(() => {
    const headings = Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6'))
    const first = headings[0]
    // (No named helper in code that runs in the page: tsx would wrap it in a `__name` call.)
    return {
      text: first?.textContent ?? '',
      largest: first !== undefined && headings.every((h) => Number(h.tagName.slice(1)) >= Number(first.tagName.slice(1)))
    }
  })
  // The content's own height (the document is never shorter than the viewport).
  const heightPx = await page.evaluate(() => Math.round(document.querySelector('main')?.getBoundingClientRect().height ?? 0))
  const scriptCalls = await page.evaluate(() => (window as unknown as { __calls: string[] }).__calls)
  const find = async (text: string): Promise<{ topPx: number; visible: boolean } | null> =>
    page.evaluate((wanted) => {
      const walker = document.createTreeWalker(document.querySelector('main') as Node, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(wanted) ?? -1
        if (at === -1) continue
        const range = document.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + wanted.length)
        const box = range.getBoundingClientRect()
        // Chromium lays out a closed <details>' content (content-visibility: hidden) and gives it
        // boxes: hidden means inside a closed <details> but not in its <summary>.
        const parent = node.parentElement as Element
        const folded = parent.closest('details:not([open]) > :not(summary), details:not([open]) > summary ~ *') !== null
        const shown = !folded && parent.checkVisibility() && box.width > 0 && box.height > 0
        return { topPx: Math.round(box.top + window.scrollY), visible: shown }
      }
      return null
    }, text)
  return { heightPx, verdict, find, charts, scriptCalls, unsafeElements: unsafe, page }
}
