// Mermaid's own parser (the `mermaid` package GitHub renders with), for every gantt a test
// produces: a chart mermaid rejects is drawn as an error box instead of a timeline.
import { expect } from '@jest/globals'

/** The body of every ```mermaid block in a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '')
}

/** Parses each mermaid block of `markdown` and fails with mermaid's message when one is rejected. */
export async function expectMermaidParses(markdown: string): Promise<number> {
  const { default: mermaid } = await import('mermaid')
  const blocks = mermaidBlocks(markdown)
  for (const block of blocks) {
    const problem = await mermaid.parse(block).then(
      () => null,
      (error: unknown) => `${error instanceof Error ? error.message : String(error)}\n--- chart ---\n${block}`
    )
    expect(problem).toBeNull()
  }
  return blocks.length
}
