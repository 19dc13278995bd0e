/**
 * Links in e-mails, built from the tenant's slug and APP_BASE_DOMAIN — never from a request's Host
 * header, which a client controls (a forged Host would otherwise send a victim's reset token to
 * the attacker's site).
 *
 * The rule: on a `localhost` base domain (development, tests) the browser reaches the server
 * directly, so the link is `http://<slug>.localhost:<PORT>` (no port when PORT is 80). On any
 * other domain the app is served over TLS on the standard port by the proxy in front of it, so the
 * link is `https://<slug>.<domain>`: PORT is only the internal listening port there, and adding it
 * would point the link past the proxy.
 */
import { useConfig } from '../../core/config'

function isLocal(domain: string): boolean {
  return domain === 'localhost' || domain.endsWith('.localhost')
}

/** An absolute URL on a tenant's host, e.g. `tenantLink('acme', '/invitation/abc')`. */
export function tenantLink(slug: string, path: string, config: { baseDomain: string, port: number } = useConfig()): string {
  return apexLink(path, { ...config, baseDomain: `${slug}.${config.baseDomain}` })
}

/** An absolute URL on the apex domain (the public site and sign-up), by the same rule. */
export function apexLink(path: string, config: { baseDomain: string, port: number } = useConfig()): string {
  const local = isLocal(config.baseDomain)
  const port = local && config.port !== 80 ? `:${config.port}` : ''
  return `${local ? 'http' : 'https'}://${config.baseDomain}${port}${path}`
}
