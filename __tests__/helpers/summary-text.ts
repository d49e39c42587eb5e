// The job summary as a reader sees the text: numeric character references decoded, the
// zero-width joiners that break `#123` autolinks and @mentions removed.
export function summaryText(summary: string | null): string {
  return (summary ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/\u200d/g, '')
}
