import { randomBytes } from 'node:crypto'
import { SignJWT, UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { ACCESS_TOKEN_TTL_SECONDS, PLATFORM_AUDIENCE, signAccessToken, verifyAccessToken } from '../../server/domain/identity/tokens'

const secret = randomBytes(32).toString('hex')
const tenantA = '01890000-0000-7000-8000-00000000000a'
const tenantB = '01890000-0000-7000-8000-00000000000b'
const userId = '01890000-0000-7000-8000-0000000000aa'
const sid = '01890000-0000-7000-8000-0000000000ff'
const key = new TextEncoder().encode(secret)

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))

describe('access tokens', () => {
  it('verify on their own audience with the user id, session id and roles', async () => {
    const token = await signAccessToken(secret, { sub: userId, aud: tenantA, sid, roles: ['owner'] })
    expect(await verifyAccessToken(secret, token, tenantA)).toEqual({ sub: userId, aud: tenantA, sid, roles: ['owner'] })
  })

  it('are HS256 with a 15-minute lifetime', async () => {
    const token = await signAccessToken(secret, { sub: userId, aud: tenantA, sid, roles: ['owner'] })
    const [header, payload] = token.split('.')
    expect(decode(header!).alg).toBe('HS256')
    const claims = decode(payload!)
    expect(claims.exp - claims.iat).toBe(ACCESS_TOKEN_TTL_SECONDS)
    expect(ACCESS_TOKEN_TTL_SECONDS).toBe(15 * 60)
  })

  it('are null on another audience: another tenant, or the platform', async () => {
    const token = await signAccessToken(secret, { sub: userId, aud: tenantA, sid, roles: ['owner'] })
    expect(await verifyAccessToken(secret, token, tenantB)).toBeNull()
    expect(await verifyAccessToken(secret, token, PLATFORM_AUDIENCE)).toBeNull()
    const platform = await signAccessToken(secret, { sub: userId, aud: PLATFORM_AUDIENCE, sid, roles: ['platform_admin'] })
    expect(await verifyAccessToken(secret, platform, tenantA)).toBeNull()
  })

  it('are null when signed with another secret', async () => {
    const token = await signAccessToken(randomBytes(32).toString('hex'), { sub: userId, aud: tenantA, sid, roles: ['owner'] })
    expect(await verifyAccessToken(secret, token, tenantA)).toBeNull()
  })

  it('are null when the payload was tampered with (roles raised)', async () => {
    const token = await signAccessToken(secret, { sub: userId, aud: tenantA, sid, roles: ['viewer'] })
    const [header, payload, signature] = token.split('.')
    const forged = b64url({ ...decode(payload!), roles: ['owner'] })
    expect(await verifyAccessToken(secret, `${header}.${forged}.${signature}`, tenantA)).toBeNull()
  })

  it('are null when the signature was tampered with', async () => {
    const token = await signAccessToken(secret, { sub: userId, aud: tenantA, sid, roles: ['owner'] })
    const [header, payload, signature] = token.split('.')
    const flipped = (signature!.startsWith('A') ? 'B' : 'A') + signature!.slice(1)
    expect(await verifyAccessToken(secret, `${header}.${payload}.${flipped}`, tenantA)).toBeNull()
  })

  it('are null with alg "none"', async () => {
    const unsecured = new UnsecuredJWT({ roles: ['owner'], sid }).setIssuer('paksa').setSubject(userId).setAudience(tenantA)
      .setIssuedAt().setExpirationTime('15m').encode()
    expect(await verifyAccessToken(secret, unsecured, tenantA)).toBeNull()
    // The same, hand-made, with an empty signature segment.
    const now = Math.floor(Date.now() / 1000)
    const handMade = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: 'paksa', sub: userId, aud: tenantA, roles: ['owner'], sid, iat: now, exp: now + 900 })}.`
    expect(await verifyAccessToken(secret, handMade, tenantA)).toBeNull()
  })

  it('are null when signed HS512 with the same secret (the algorithm is pinned)', async () => {
    const token = await new SignJWT({ roles: ['owner'], sid }).setProtectedHeader({ alg: 'HS512' })
      .setIssuer('paksa').setSubject(userId).setAudience(tenantA).setIssuedAt().setExpirationTime('15m').sign(key)
    expect(await verifyAccessToken(secret, token, tenantA)).toBeNull()
  })

  it('are valid when hand-signed HS256 with the same claims (so the pinned-algorithm test is meaningful)', async () => {
    const token = await new SignJWT({ roles: ['owner'], sid }).setProtectedHeader({ alg: 'HS256' })
      .setIssuer('paksa').setSubject(userId).setAudience(tenantA).setIssuedAt().setExpirationTime('15m').sign(key)
    expect(await verifyAccessToken(secret, token, tenantA)).not.toBeNull()
  })

  it('are null once expired', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600
    const token = await new SignJWT({ roles: ['owner'], sid }).setProtectedHeader({ alg: 'HS256' })
      .setIssuer('paksa').setSubject(userId).setAudience(tenantA).setIssuedAt(past - 900).setExpirationTime(past).sign(key)
    expect(await verifyAccessToken(secret, token, tenantA)).toBeNull()
  })

  it('are null from another issuer or without roles', async () => {
    const otherIssuer = await new SignJWT({ roles: ['owner'], sid }).setProtectedHeader({ alg: 'HS256' })
      .setIssuer('someone-else').setSubject(userId).setAudience(tenantA).setIssuedAt().setExpirationTime('15m').sign(key)
    expect(await verifyAccessToken(secret, otherIssuer, tenantA)).toBeNull()
    const noRoles = await new SignJWT({ sid }).setProtectedHeader({ alg: 'HS256' })
      .setIssuer('paksa').setSubject(userId).setAudience(tenantA).setIssuedAt().setExpirationTime('15m').sign(key)
    expect(await verifyAccessToken(secret, noRoles, tenantA)).toBeNull()
  })

  /** A token like the server's, signed with the right key, with the claims changed by `change`. */
  async function handMade(changes: Record<string, unknown>) {
    const now = Math.floor(Date.now() / 1000)
    // An `undefined` change drops the claim (JSON has no undefined).
    const claims = { iss: 'paksa', sub: userId, aud: tenantA, sid, roles: ['owner'], iat: now, exp: now + 900, ...changes }
    return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key)
  }

  it('accept a hand-made token with all the claims (the positive control for the refusals below)', async () => {
    expect(await verifyAccessToken(secret, await handMade({}), tenantA)).toEqual({ sub: userId, aud: tenantA, sid, roles: ['owner'] })
  })

  it('are null without exp or without iat', async () => {
    expect(await verifyAccessToken(secret, await handMade({ exp: undefined }), tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, await handMade({ iat: undefined }), tenantA)).toBeNull()
  })

  it('are null when issued in the future', async () => {
    const later = Math.floor(Date.now() / 1000) + 120
    expect(await verifyAccessToken(secret, await handMade({ iat: later, exp: later + 600 }), tenantA)).toBeNull()
  })

  it('are null with a lifetime over 15 minutes, even while still unexpired', async () => {
    const now = Math.floor(Date.now() / 1000)
    expect(await verifyAccessToken(secret, await handMade({ exp: now + 900 + 1 }), tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, await handMade({ iat: now - 60, exp: now + 24 * 3600 }), tenantA)).toBeNull()
  })

  it('are null with an audience list, even one naming this tenant', async () => {
    expect(await verifyAccessToken(secret, await handMade({ aud: [tenantA] }), tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, await handMade({ aud: [tenantA, tenantB] }), tenantA)).toBeNull()
  })

  it('are null when sub or sid is missing or not a UUID', async () => {
    expect(await verifyAccessToken(secret, await handMade({ sub: 'admin' }), tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, await handMade({ sub: `${userId}' or 1=1` }), tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, await handMade({ sid: undefined }), tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, await handMade({ sid: 'session-1' }), tenantA)).toBeNull()
  })

  it('are null for garbage', async () => {
    expect(await verifyAccessToken(secret, 'not-a-jwt', tenantA)).toBeNull()
    expect(await verifyAccessToken(secret, '', tenantA)).toBeNull()
  })
})
