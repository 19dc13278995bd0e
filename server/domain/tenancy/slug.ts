/** Tenant slugs: the left-most label of the host under APP_BASE_DOMAIN. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/

export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'admin', 'www', 'api', 'app', 'mail', 'static', 'assets', 'cdn', 'status', 'docs', 'auth', 'billing', 'support',
])

/** Why a slug cannot name a new tenant, or null when it can. */
export function slugProblem(slug: string): string | null {
  if (!SLUG_PATTERN.test(slug)) return 'must be 3–32 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen'
  if (slug.startsWith('xn--')) return 'must not be a punycode label'
  if (RESERVED_SLUGS.has(slug)) return 'is reserved'
  return null
}

export type HostKind
  = | { kind: 'apex' }
    | { kind: 'admin' }
    | { kind: 'tenant', slug: string }
    | { kind: 'ip' }
    | { kind: 'unknown' }

/** Classifies a Host header value (port stripped) against the base domain. */
export function classifyHost(hostHeader: string, baseDomain: string): HostKind {
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '')
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[')) return { kind: 'ip' }
  if (host === baseDomain) return { kind: 'apex' }
  if (!host.endsWith(`.${baseDomain}`)) return { kind: 'unknown' }
  const label = host.slice(0, -baseDomain.length - 1)
  if (label === 'admin') return { kind: 'admin' }
  if (label === 'www') return { kind: 'apex' }
  if (label.includes('.') || !SLUG_PATTERN.test(label) || label.startsWith('xn--') || RESERVED_SLUGS.has(label)) return { kind: 'unknown' }
  return { kind: 'tenant', slug: label }
}
