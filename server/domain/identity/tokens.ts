/**
 * Access tokens: HS256 JWTs (jose), 15 minutes, algorithm pinned on verify. `aud` is the tenant id
 * for tenant sessions and `platform` for back-office sessions, so a token is worthless elsewhere.
 * `sid` names the session (the refresh-token family of a tenant session, a random id for a
 * back-office one), so signing out or revoking a session stops its access token at once.
 * Refresh tokens are opaque random strings `<id>.<secret>`, stored hashed.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600
const ISSUER = 'paksa'
export const PLATFORM_AUDIENCE = 'platform'

export interface AccessClaims {
  sub: string
  aud: string
  /** The session this token belongs to (UUID). */
  sid: string
  roles: string[]
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Clock difference between replicas tolerated on `iat`. */
const CLOCK_SKEW_SECONDS = 5

const key = (secret: string) => new TextEncoder().encode(secret)

export async function signAccessToken(secret: string, claims: AccessClaims): Promise<string> {
  return new SignJWT({ roles: claims.roles, sid: claims.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setJti(randomBytes(8).toString('hex'))
    .sign(key(secret))
}

/**
 * The verification key, imported once per secret and kept in process (importing it is a WebCrypto
 * call that jose would otherwise make on every request). Only for verifying: signing is unchanged.
 */
let verifyKey: { secret: string, key: Promise<CryptoKey> } | undefined
function verificationKey(secret: string): Promise<CryptoKey> {
  if (verifyKey?.secret !== secret) {
    const key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
    verifyKey = { secret, key }
    key.catch(() => {
      if (verifyKey?.key === key) verifyKey = undefined
    })
  }
  return verifyKey.key
}

/**
 * Verifies signature, algorithm, issuer, audience and expiry, and that the token is one this server
 * could have issued: `exp` and `iat` present, `iat` not in the future, a lifetime of at most
 * 15 minutes, a single audience (a list would let one token serve several hosts), and UUIDs for
 * `sub` and `sid`. Returns null for any failure.
 */
export async function verifyAccessToken(secret: string, token: string, audience: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await verificationKey(secret), {
      algorithms: ['HS256'], issuer: ISSUER, audience, requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    })
    const { sub, sid, aud, iat, exp, roles } = payload
    const now = Math.floor(Date.now() / 1000)
    if (typeof aud !== 'string' || typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) return null
    if (typeof iat !== 'number' || typeof exp !== 'number' || iat > now + CLOCK_SKEW_SECONDS || exp - iat > ACCESS_TOKEN_TTL_SECONDS) return null
    if (!Array.isArray(roles)) return null
    return { sub, aud, sid, roles: roles.filter((r): r is string => typeof r === 'string') }
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

/**
 * The secret of the refresh token that replaces one presenting `presentedSecret`: an HMAC of it
 * under a key only the server holds (`serverSecret`, the JWT secret, with its own label). The same
 * presented token always rotates to the same successor, so the grace window of
 * sessions.ts can hand a concurrent duplicate the very token the first rotation issued (only its
 * hash is stored); without the server's key nobody can compute a successor from a token they hold.
 */
export function successorRefreshSecret(serverSecret: string, presentedSecret: string): string {
  return createHmac('sha256', serverSecret).update('paksa refresh successor\0').update(presentedSecret).digest('base64url')
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
