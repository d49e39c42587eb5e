// What a GITHUB_TOKEN whose workflow did not grant a permission is answered: 403 "Resource not
// accessible by integration", with the permission named in `x-accepted-github-permissions` (the
// header GitHub sends with such refusals). Tokens not configured in SimulatorOptions.tokens may
// do everything.
import type { TokenSpec } from './scenario.js'

interface Rule {
  method: string
  /** The path after the prefix, /repos/{owner}/{repo}/… */
  pattern: RegExp
  /** Whether the token's grant allows the request. */
  allows: (token: TokenSpec) => boolean
  /** `x-accepted-github-permissions`. */
  accepted: string
  docs: string
}

const REPO = String.raw`^\/repos\/[^/]+\/[^/]+`
const DOCS = 'https://docs.github.com/rest'

const RULES: Rule[] = [
  {
    method: 'GET',
    pattern: new RegExp(`${REPO}\\/pulls(\\/\\d+(\\/files)?)?$`),
    allows: (token) => token.pullRequests !== 'none',
    accepted: 'pull_requests=read',
    docs: `${DOCS}/pulls/pulls#list-pull-requests`
  },
  {
    method: 'POST',
    pattern: new RegExp(`${REPO}\\/statuses\\/[^/]+$`),
    allows: (token) => token.statuses === undefined || token.statuses === 'write',
    accepted: 'statuses=write',
    docs: `${DOCS}/commits/statuses#create-a-commit-status`
  },
  {
    method: 'GET',
    pattern: new RegExp(`${REPO}\\/commits\\/[^/]+\\/(status|statuses)$`),
    allows: (token) => token.statuses !== 'none',
    accepted: 'statuses=read',
    docs: `${DOCS}/commits/statuses#get-the-combined-status-for-a-specific-reference`
  },
  {
    method: 'GET',
    pattern: new RegExp(`${REPO}\\/contents(\\/.*)?$`),
    allows: (token) => token.contents !== 'none',
    accepted: 'contents=read',
    docs: `${DOCS}/repos/contents#get-repository-content`
  },
  {
    method: 'GET',
    pattern: new RegExp(`${REPO}\\/(commits\\/[^/]+|check-suites\\/\\d+)\\/check-runs$`),
    allows: (token) => token.checks !== 'none',
    accepted: 'checks=read',
    docs: `${DOCS}/checks/runs#list-check-runs-for-a-git-reference`
  }
]

export interface PermissionRefusal {
  status: 403
  body: { message: string; documentation_url: string; status: string }
  headers: Record<string, string>
}

/** GitHub's answer when `token` lacks what the request needs; undefined when it may. */
export function refusedForPermission(tokens: Record<string, TokenSpec>, token: string, method: string, path: string): PermissionRefusal | undefined {
  const grant = tokens[token]
  if (!grant) return undefined
  const rule = RULES.find((candidate) => candidate.method === method && candidate.pattern.test(path))
  if (!rule || rule.allows(grant)) return undefined
  return {
    status: 403,
    body: { message: 'Resource not accessible by integration', documentation_url: rule.docs, status: '403' },
    headers: { 'x-accepted-github-permissions': rule.accepted }
  }
}
