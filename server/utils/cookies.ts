import { deleteCookie, getCookie, getRequestProtocol, setCookie, type H3Event } from 'h3'
import { randomBytes } from 'node:crypto'
import { useConfig } from '../core/config'
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS } from '../domain/identity/tokens'

/**
 * Browser sessions use host-only cookies: `__Host-` names with Secure behind TLS (and on
 * *.localhost, which browsers treat as a secure context), plain names otherwise. No Domain
 * attribute is ever set, so a cookie of acme.example never reaches beta.example.
 */
function secureContext(event: H3Event): boolean {
  const proto = getRequestProtocol(event, { xForwardedProto: useConfig().trustProxy })
  const host = event.context.host ?? ''
  return proto === 'https' || /(^|\.)localhost(:\d+)?$/i.test(host)
}

export function cookieName(event: H3Event, base: 'at' | 'rt' | 'csrf' | 'device'): string {
  return `${secureContext(event) ? '__Host-' : ''}paksa_${base}`
}

function opts(event: H3Event, maxAge: number, httpOnly = true) {
  return { path: '/', httpOnly, secure: secureContext(event), sameSite: 'lax' as const, maxAge }
}

export function setSessionCookies(event: H3Event, accessToken: string, refreshToken?: string) {
  setCookie(event, cookieName(event, 'at'), accessToken, opts(event, ACCESS_TOKEN_TTL_SECONDS))
  if (refreshToken) setCookie(event, cookieName(event, 'rt'), refreshToken, opts(event, REFRESH_TOKEN_TTL_SECONDS))
  // Double-submit CSRF token: readable by the page's script, echoed in X-CSRF-Token on unsafe requests.
  if (!getCookie(event, cookieName(event, 'csrf'))) {
    setCookie(event, cookieName(event, 'csrf'), randomBytes(24).toString('base64url'), opts(event, REFRESH_TOKEN_TTL_SECONDS, false))
  }
}

/**
 * The sign-in throttle's device cookie (server/utils/throttle.ts): set at a successful sign-in and
 * kept across sign-out, so this browser is recognised and never shares a stranger's lock-out.
 */
export function setDeviceCookie(event: H3Event, deviceId: string, maxAgeSeconds: number) {
  setCookie(event, cookieName(event, 'device'), deviceId, opts(event, maxAgeSeconds))
}

export function clearSessionCookies(event: H3Event) {
  for (const base of ['at', 'rt', 'csrf'] as const) deleteCookie(event, cookieName(event, base), opts(event, 0, base !== 'csrf'))
}

export function readSessionCookie(event: H3Event, base: 'at' | 'rt' | 'csrf' | 'device'): string | undefined {
  return getCookie(event, cookieName(event, base))
}
