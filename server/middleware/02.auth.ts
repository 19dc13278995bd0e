import { defineEventHandler, getRequestHeader, getRequestProtocol, type H3Event } from 'h3'
import { timingSafeEqual } from 'node:crypto'
import { useConfig } from '../core/config'
import { tenantPrincipal } from '../domain/identity/principals'
import { sessionRevoked } from '../domain/identity/sessions'
import { PLATFORM_AUDIENCE, verifyAccessToken } from '../domain/identity/tokens'
import { findAdmin } from '../domain/platform/admin-entry'
import { readSessionCookie } from '../utils/cookies'
import { fail, toHttpError } from '../utils/errors'
import { applyApiRate, countApiRequest, type CountedRequest } from '../utils/throttle'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/**
 * Sign-in, refresh and the handoff exchange carry no session yet (or only the refresh cookie):
 * exempt from CSRF. A cross-site page cannot send them either: they take JSON bodies only, which a
 * form cannot send, and a cross-origin fetch sends them only after a CORS preflight that this server
 * never grants (it answers no Access-Control-Allow-* headers).
 */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/handoff', '/api/v1/admin/auth/login', '/api/v1/signup'])

/** The token of an `Authorization: Bearer …` header; the scheme name is case-insensitive (RFC 9110 §11.1). */
function bearer(event: H3Event): string | undefined {
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(getRequestHeader(event, 'authorization') ?? '')
  return m?.[1]
}

function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Exact Origin match plus the double-submit token, for unsafe cookie-authenticated requests. */
function checkCsrf(event: H3Event) {
  const origin = getRequestHeader(event, 'origin')
  const expected = `${getRequestProtocol(event, { xForwardedProto: useConfig().trustProxy })}://${event.context.host}`
  if (origin !== expected) fail(403, 'CSRF_FAILED', 'Cross-site request refused (Origin does not match)')
  if (!sameSecret(getRequestHeader(event, 'x-csrf-token'), readSessionCookie(event, 'csrf'))) fail(403, 'CSRF_FAILED', 'Missing or wrong CSRF token')
}

/**
 * Fills `event.context.auth` from a Bearer token or the session cookie. It only identifies the
 * caller; handlers enforce access with the require* guards. The token's audience must be this
 * tenant (or `platform` on the admin host), and the membership is re-checked (cached ≤ 30 s).
 * The token's session (`sid`) must not be revoked: a signed-out or revoked session's access
 * token is refused from the next request on, not when it expires.
 */
export default defineEventHandler(async (event) => {
  const site = event.context.site
  if (!site || site.kind === 'apex') return
  const headerToken = bearer(event)
  const token = headerToken ?? readSessionCookie(event, 'at')
  const via = headerToken ? 'bearer' as const : 'cookie' as const
  const path = event.path.split('?')[0]!
  const isApi = path.startsWith('/api/')

  if (via === 'cookie' && isApi && UNSAFE.has(event.method) && !CSRF_EXEMPT.has(path) && (token || readSessionCookie(event, 'rt'))) checkCsrf(event)
  if (!token) return

  const { jwtSecret } = useConfig()
  /** The rate-limit increment when it went out with the session reads (a settled error is kept to be thrown below). */
  let early: Promise<CountedRequest | { failed: unknown }> | undefined
  if (site.kind === 'tenant' && site.tenant) {
    const claims = await verifyAccessToken(jwtSecret, token, site.tenant.id)
    if (claims) {
      // Sent with the session reads; the principal is the token's user, whom the membership read
      // confirms, and the count is only answered (headers, 429) once the caller is known.
      early = isApi ? countApiRequest(`user:${claims.sub}`).catch((failed: unknown) => ({ failed })) : undefined
      const principal = await tenantPrincipal(site.tenant.id, claims.sub, claims.sid)
      if (principal) event.context.auth = { kind: 'user', principal, via, sessionId: claims.sid }
    }
  }
  else if (site.kind === 'admin') {
    const claims = await verifyAccessToken(jwtSecret, token, PLATFORM_AUDIENCE)
    const admin = claims && !await sessionRevoked(claims.sid) && await findAdmin(claims.sub)
    if (admin) event.context.auth = { kind: 'admin', admin, via, sessionId: claims.sid }
  }
  const auth = event.context.auth
  if (auth && isApi) {
    try {
      const counted = await (early ?? countApiRequest(auth.kind === 'user' ? `user:${auth.principal.user.id}` : `admin:${auth.admin.id}`))
      if ('failed' in counted) throw counted.failed
      applyApiRate(event, counted)
    }
    catch (err) {
      throw toHttpError(event, err)
    }
  }
})
