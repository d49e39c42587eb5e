// Makes every repeated GET conditional. GitHub does not count a 304 Not Modified against the
// primary rate limit, so polling an unchanged run or job list costs nothing. Octokit has no HTTP
// cache; @octokit/request throws a RequestError with status 304, which is caught here and
// answered from memory. The cache lives only as long as the process: ETags are tied to the token
// and must not be persisted.
import type { getOctokit } from '@actions/github'
import { isStatus } from './errors.js'

interface CachedResponse {
  etag: string
  response: unknown
}

type OctokitLike = Pick<ReturnType<typeof getOctokit>, 'hook' | 'request'>

/** Requests whose body is streamed (logs) are neither cacheable nor conditional. */
function isCacheable(options: { method?: string; request?: { parseSuccessResponseBody?: boolean } }): boolean {
  return options.method === 'GET' && options.request?.parseSuccessResponseBody !== false
}

export function installEtagCache(octokit: OctokitLike): void {
  const cache = new Map<string, CachedResponse>()
  octokit.hook.wrap('request', async (request, options) => {
    if (!isCacheable(options)) return request(options)
    // The full URL (query included: page, per_page, filters) identifies the representation.
    const key = octokit.request.endpoint.parse(options).url
    const cached = cache.get(key)
    if (cached) {
      // Sent back byte for byte: weak ETags (W/"…") included.
      options.headers = { ...options.headers, 'if-none-match': cached.etag }
    }
    try {
      const response = await request(options)
      const etag = response.headers.etag
      // Copies, both ways: Octokit's paginate rewrites the `data` of the responses it is given.
      if (etag) cache.set(key, { etag, response: { ...response, data: structuredClone(response.data) } })
      return response
    } catch (error) {
      if (cached && isStatus(error, 304)) {
        const response = cached.response as Awaited<ReturnType<typeof request>>
        return { ...response, data: structuredClone(response.data) }
      }
      throw error
    }
  })
}
