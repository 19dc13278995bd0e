/**
 * Access tokens: HS256 JWTs (jose), 15 minutes, algorithm pinned on verify. `aud` is the tenant id
 * for tenant sessions and `platform` for back-office sessions, so a token is worthless elsewhere.
 * Refresh tokens are opaque random strings `<id>.<secret>`, stored hashed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600
const ISSUER = 'paksa'
export const PLATFORM_AUDIENCE = 'platform'

export interface AccessClaims {
  sub: string
  aud: string
  roles: string[]
}

const key = (secret: string) => new TextEncoder().encode(secret)

export async function signAccessToken(secret: string, claims: AccessClaims): Promise<string> {
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setJti(randomBytes(8).toString('hex'))
    .sign(key(secret))
}

/** Verifies signature, algorithm, issuer, audience and expiry; returns null for any failure. */
export async function verifyAccessToken(secret: string, token: string, audience: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], issuer: ISSUER, audience })
    if (typeof payload.sub !== 'string' || !Array.isArray(payload.roles)) return null
    return { sub: payload.sub, aud: audience, roles: payload.roles.filter((r): r is string => typeof r === 'string') }
  }
  catch {
    return null
  }
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

export function newRefreshSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function parseRefreshToken(token: string): { id: string, secret: string } | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token)
  return m ? { id: m[1]!, secret: m[2]! } : null
}

export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex')
  const y = Buffer.from(b, 'hex')
  return x.length === y.length && timingSafeEqual(x, y)
}
