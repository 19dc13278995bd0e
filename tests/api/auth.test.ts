/**
 * Authentication (SPEC §4): sign-in, refresh-token rotation, sign-out and session revocation, token
 * audience and integrity, the per-request membership re-check, CSRF on cookie sessions, login
 * throttling and the password policy.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { SignJWT } from 'jose'
import { afterAll, describe, expect, inject, it } from 'vitest'
import postgres from 'postgres'
import { addMember, adminToken, client, createTenant, hosts, login, request, strongPassword, type TestTenant } from '../support/api'
import { readMail, waitForMail } from '../support/smtp'

/** The database owner, to look at outbox rows and to give one person a second tenant. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

/** Makes an existing account a member of another tenant too (what an accepted invitation leaves). */
async function joinTenant(tenant: TestTenant, userId: string, roles: string[]) {
  await sql`insert into memberships (tenant_id, user_id, roles) values (${tenant.id}, ${userId}, ${roles})`
}

/** The reset link's token from the newest password-reset mail to `email` (committed before the 202). */
async function resetToken(tenantId: string, email: string): Promise<string> {
  const [mail] = await sql<{ text: string }[]>`select text from mail_outbox where tenant_id = ${tenantId} and kind = 'password_reset'
    and ${email} = any("to") order by created_at desc limit 1`
  return /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail?.text ?? '')![1]!
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const decodePart = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'))
const jwtSecret = () => new TextEncoder().encode(inject('serverEnv').JWT_SECRET!)

/**
 * A token signed with the server's real secret, for a real session (`sid`), so only the claim under
 * test can make it fail.
 */
async function mintToken(claims: { sub: string, aud: string, sid: string, iss?: string, roles?: string[] }, times: { iat?: number, exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ roles: claims.roles ?? ['owner'], sid: claims.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(claims.iss ?? 'paksa')
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setIssuedAt(times.iat ?? now)
    .setExpirationTime(times.exp ?? now + 600)
    .sign(jwtSecret())
}

const loginRequest = (host: string, email: string, password: string) =>
  request('POST', host, '/api/v1/auth/login', { json: { email, password } })

const refresh = (host: string, refreshToken: string) =>
  request('POST', host, '/api/v1/auth/refresh', { json: { refreshToken } })

/** The session cookies of a sign-in answer, as `name → {value, attributes}`. */
function parseSetCookies(headers: Headers) {
  const cookies = new Map<string, { value: string, attributes: string[] }>()
  for (const line of headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';').map(s => s.trim())
    const eq = pair!.indexOf('=')
    cookies.set(pair!.slice(0, eq), { value: pair!.slice(eq + 1), attributes: attributes.map(a => a.toLowerCase()) })
  }
  return cookies
}

/** Signs in like a browser: returns the Cookie header to send back and the CSRF token. */
async function browserSession(host: string, email: string, password: string) {
  const res = await loginRequest(host, email, password)
  expect(res.status).toBe(200)
  const cookies = parseSetCookies(res.headers)
  const cookie = [...cookies].map(([name, c]) => `${name}=${c.value}`).join('; ')
  return { cookie, csrf: cookies.get('__Host-paksa_csrf')!.value }
}

/** How many times a spent refresh token was taken for theft in this tenant (audit `auth.refresh_reuse`). */
async function reuseEvents(tenantId: string): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from audit_events where tenant_id = ${tenantId} and action = 'auth.refresh_reuse'`
  return row!.count
}

const meAs = (host: string, token: string) => client(host, token).get('/api/v1/me')

/** A session's id: the `sid` claim of its access token. */
const sessionIdOf = (accessToken: string) => decodePart(accessToken, 1).sid as string

/**
 * Moves a spent refresh token's rotation back past the grace window (sessions.ts,
 * REFRESH_REUSE_GRACE_SECONDS = 30): presenting it again is then reuse, not a concurrent duplicate.
 */
async function ageRotation(refreshToken: string, seconds = 60) {
  const [id] = refreshToken.split('.')
  const rows = await sql`update refresh_tokens set used_at = used_at - make_interval(secs => ${seconds}) where id = ${id!} and used_at is not null returning id`
  expect(rows.length).toBe(1)
}

/** A loopback address no other test uses, so per-IP counters start at zero. */
const freshAddress = () => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`

/**
 * A login from a loopback address of its own (127.x.y.z), so the per-IP failure counters of this
 * test do not add up with other tests (or other runs sharing one Redis) on 127.0.0.1.
 */
function loginFrom(localAddress: string, host: string, email: string, password: string, headers: Record<string, string> = {}): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: any }> {
  const body = JSON.stringify({ email, password })
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${inject('baseUrl')}/api/v1/auth/login`, {
      method: 'POST',
      localAddress,
      headers: { ...headers, 'host': host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('sign-in', () => {
  it('answers {accessToken, refreshToken, expiresIn, user} and sets __Host- session cookies', async () => {
    const tenant = await createTenant()
    const res = await loginRequest(tenant.host, tenant.owner.email.toUpperCase(), tenant.owner.password)
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user'])
    expect(res.body.expiresIn).toBe(900)
    expect(res.body.user).toEqual({ id: tenant.owner.id, email: tenant.owner.email, name: 'Owner' })
    expect(res.body.user).not.toHaveProperty('passwordHash')

    const header = decodePart(res.body.accessToken, 0)
    const claims = decodePart(res.body.accessToken, 1)
    expect(header.alg).toBe('HS256')
    expect(claims).toMatchObject({ sub: tenant.owner.id, aud: tenant.id, roles: ['owner'] })
    expect(claims.exp - claims.iat).toBe(900)

    const cookies = parseSetCookies(res.headers)
    const at = cookies.get('__Host-paksa_at')
    const rt = cookies.get('__Host-paksa_rt')
    const csrf = cookies.get('__Host-paksa_csrf')
    expect(at?.value).toBe(res.body.accessToken)
    expect(rt?.value).toBe(res.body.refreshToken)
    for (const c of [at!, rt!]) expect(c.attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'path=/', 'samesite=lax']))
    expect(csrf?.value).toMatch(/^[\w-]{16,}$/)
    expect(csrf!.attributes).toEqual(expect.arrayContaining(['secure', 'path=/', 'samesite=lax']))
    expect(csrf!.attributes).not.toContain('httponly')
    // __Host- cookies are host-only: never a Domain attribute.
    for (const c of cookies.values()) expect(c.attributes.some(a => a.startsWith('domain='))).toBe(false)
  })

  it('refuses a wrong password (401 INVALID_CREDENTIALS)', async () => {
    const tenant = await createTenant()
    const res = await loginRequest(tenant.host, tenant.owner.email, `${tenant.owner.password}x`)
    expect(res.status).toBe(401)
    expect(res.body.data.code).toBe('INVALID_CREDENTIALS')
    expect(res.headers.getSetCookie()).toEqual([])
    expect(res.text).not.toContain(tenant.owner.email)
  })

  it('refuses an unknown e-mail with the same answer as a wrong password (401 INVALID_CREDENTIALS)', async () => {
    const tenant = await createTenant()
    const unknown = await loginRequest(tenant.host, `nobody-${randomBytes(3).toString('hex')}@nowhere.test`, tenant.owner.password)
    const wrong = await loginRequest(tenant.host, tenant.owner.email, `${tenant.owner.password}x`)
    expect(unknown.status).toBe(401)
    expect(unknown.body).toEqual(wrong.body)
  })

  it('refuses a real user of tenant A on tenant B\'s host with the same 401 as a wrong password', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const foreign = await loginRequest(b.host, a.owner.email, a.owner.password)
    const wrong = await loginRequest(b.host, b.owner.email, `${b.owner.password}x`)
    expect(foreign.status).toBe(401)
    expect(foreign.body).toEqual(wrong.body)
    expect(foreign.body.data).toEqual({ code: 'INVALID_CREDENTIALS' })
    expect(foreign.headers.getSetCookie()).toEqual([])
  })

  it('refuses a body that is not {email, password} (400 with fields)', async () => {
    const tenant = await createTenant()
    const res = await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: 'not-an-email', password: '' } })
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.data.fields).sort()).toEqual(['email', 'password'])
  })
})

describe('refresh tokens', () => {
  it('rotate on every use: the new refresh token works and issues a working access token', async () => {
    const tenant = await createTenant()
    const first = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const r1 = await refresh(tenant.host, first.refreshToken)
    expect(r1.status).toBe(200)
    expect(r1.body.refreshToken).not.toBe(first.refreshToken)
    expect(r1.body.user.id).toBe(tenant.owner.id)
    expect((await client(tenant.host, r1.body.accessToken).get('/api/v1/me')).status).toBe(200)
    const r2 = await refresh(tenant.host, r1.body.refreshToken)
    expect(r2.status).toBe(200)
    expect(r2.body.refreshToken).not.toBe(r1.body.refreshToken)
  })

  it('revoke the whole family when an old one is reused (401, and the newest token fails too)', async () => {
    const tenant = await createTenant()
    const first = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const other = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const r1 = await refresh(tenant.host, first.refreshToken)
    const r2 = await refresh(tenant.host, r1.body.refreshToken)
    expect(r2.status).toBe(200)

    // Within the grace window of `first`'s rotation, but its successor r1 is spent: reuse.
    const reuse = await refresh(tenant.host, first.refreshToken)
    expect(reuse.status).toBe(401)
    expect(reuse.body.data.code).toBe('INVALID_REFRESH_TOKEN')
    // The newest token of the family is revoked as well: a thief and the victim are both signed out.
    expect((await refresh(tenant.host, r2.body.refreshToken)).status).toBe(401)
    // Another session (another family) of the same user is untouched.
    expect((await refresh(tenant.host, other.refreshToken)).status).toBe(200)
  })

  it('a duplicate within the grace window gets the same rotation\'s result, and the session goes on', async () => {
    const tenant = await createTenant()
    const first = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const r1 = await refresh(tenant.host, first.refreshToken)
    expect(r1.status).toBe(200)
    // The same spent token again (a second tab, or a page's server render, that read the cookie
    // before the first answer arrived): the same successor, a working access token of the same session.
    const duplicate = await refresh(tenant.host, first.refreshToken)
    expect(duplicate.status, duplicate.text).toBe(200)
    expect(duplicate.body.refreshToken).toBe(r1.body.refreshToken)
    expect(sessionIdOf(duplicate.body.accessToken)).toBe(sessionIdOf(first.accessToken))
    expect((await meAs(tenant.host, duplicate.body.accessToken)).status).toBe(200)
    expect((await meAs(tenant.host, r1.body.accessToken)).status).toBe(200)
    // Nothing was forked: the successor rotates once, as any token.
    const r2 = await refresh(tenant.host, r1.body.refreshToken)
    expect(r2.status).toBe(200)
    expect((await meAs(tenant.host, r2.body.accessToken)).status).toBe(200)
    const [tokens] = await sql<{ count: number }[]>`select count(*)::int as count from refresh_tokens where family_id = ${sessionIdOf(first.accessToken)}`
    expect(tokens!.count).toBe(3)
    expect(await reuseEvents(tenant.id)).toBe(0)
  })

  it('two refreshes with the same token at the same moment both succeed with one successor', async () => {
    const tenant = await createTenant()
    const first = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const answers = await Promise.all([1, 2, 3].map(() => refresh(tenant.host, first.refreshToken)))
    expect(answers.map(a => a.status)).toEqual([200, 200, 200])
    expect(new Set(answers.map(a => a.body.refreshToken)).size).toBe(1)
    expect((await refresh(tenant.host, answers[0]!.body.refreshToken)).status).toBe(200)
  })

  it('a spent token presented after the grace window still revokes the whole session', async () => {
    const tenant = await createTenant()
    const first = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const r1 = await refresh(tenant.host, first.refreshToken)
    expect(r1.status).toBe(200)
    await ageRotation(first.refreshToken)
    const replay = await refresh(tenant.host, first.refreshToken)
    expect(replay.status).toBe(401)
    expect(replay.body.data.code).toBe('INVALID_REFRESH_TOKEN')
    expect(await reuseEvents(tenant.id)).toBe(1)
    // Its unused successor and every access token of the session stop too.
    expect((await refresh(tenant.host, r1.body.refreshToken)).status).toBe(401)
    expect((await meAs(tenant.host, r1.body.accessToken)).status).toBe(401)
  })

  it('refuses a refresh token of tenant A on tenant B\'s host (401)', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const session = await login(a.host, a.owner.email, a.owner.password)
    expect((await refresh(b.host, session.refreshToken)).status).toBe(401)
    // It was not consumed there: it still works at home.
    expect((await refresh(a.host, session.refreshToken)).status).toBe(200)
  })

  it('refuses a malformed or unknown refresh token (401 INVALID_REFRESH_TOKEN)', async () => {
    const tenant = await createTenant()
    const session = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const [id] = session.refreshToken.split('.')
    for (const token of ['garbage', `${id}.${randomBytes(32).toString('base64url')}`]) {
      const res = await refresh(tenant.host, token)
      expect(res.status).toBe(401)
      expect(res.body.data.code).toBe('INVALID_REFRESH_TOKEN')
    }
  })
})

describe('sign-out', () => {
  it('revokes the refresh token and clears the cookies', async () => {
    const tenant = await createTenant()
    const session = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const out = await request('POST', tenant.host, '/api/v1/auth/logout', { token: session.accessToken, json: { refreshToken: session.refreshToken } })
    expect(out.status).toBe(200)
    expect(out.body).toEqual({ ok: true })
    const cleared = parseSetCookies(out.headers)
    for (const name of ['__Host-paksa_at', '__Host-paksa_rt', '__Host-paksa_csrf']) {
      expect(cleared.get(name)?.value).toBe('')
      expect(cleared.get(name)?.attributes).toContain('max-age=0')
    }
    const again = await refresh(tenant.host, session.refreshToken)
    expect(again.status).toBe(401)
    expect(again.body.data.code).toBe('INVALID_REFRESH_TOKEN')
  })

  it('revokes tokens already rotated from the signed-out one (the whole family)', async () => {
    const tenant = await createTenant()
    const session = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const rotated = await refresh(tenant.host, session.refreshToken)
    await request('POST', tenant.host, '/api/v1/auth/logout', { json: { refreshToken: rotated.body.refreshToken } })
    expect((await refresh(tenant.host, rotated.body.refreshToken)).status).toBe(401)
  })
})

describe('access tokens', () => {
  it('refuses a token of tenant A on tenant B\'s host, even for a member of both (401)', async () => {
    const a = await createTenant()
    const b = await createTenant()
    // A's owner becomes a member of B too, so only the token's audience can make B refuse it.
    await joinTenant(b, a.owner.id, ['viewer'])
    const onB = await client(b.host, a.owner.token).get('/api/v1/me')
    expect(onB.status).toBe(401)
    expect(onB.body.data.code).toBe('UNAUTHENTICATED')
    const bSession = await login(b.host, a.owner.email, a.owner.password)
    const me = await client(b.host, bSession.accessToken).get('/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body.tenant.id).toBe(b.id)
    expect(me.body.roles).toEqual(['viewer'])
  })

  it('refuses a tenant token on the admin host and an admin token on a tenant host (401)', async () => {
    const tenant = await createTenant()
    const admin = await adminToken()
    expect((await client(hosts.admin(), admin).get('/api/v1/admin/me')).status).toBe(200)
    expect((await client(hosts.admin(), tenant.owner.token).get('/api/v1/admin/me')).status).toBe(401)
    expect((await client(hosts.admin(), tenant.owner.token).get('/api/v1/admin/tenants')).status).toBe(401)
    expect((await client(tenant.host, admin).get('/api/v1/me')).status).toBe(401)
    expect((await client(tenant.host, admin).get('/api/v1/users')).status).toBe(401)
  })

  it('accepts a token minted with the server\'s key and refuses one signed with another key (401)', async () => {
    const tenant = await createTenant()
    // Positive control: the hand-made tokens below differ from this one only in what is tested.
    const good = await mintToken({ sub: tenant.owner.id, aud: tenant.id, sid: sessionIdOf(tenant.owner.token) })
    expect((await client(tenant.host, good).get('/api/v1/me')).status).toBe(200)
    const otherKey = await new SignJWT({ roles: ['owner'], sid: sessionIdOf(tenant.owner.token) }).setProtectedHeader({ alg: 'HS256' }).setIssuer('paksa')
      .setSubject(tenant.owner.id).setAudience(tenant.id).setIssuedAt().setExpirationTime('10m')
      .sign(new TextEncoder().encode(randomBytes(32).toString('hex')))
    expect((await client(tenant.host, otherKey).get('/api/v1/me')).status).toBe(401)
  })

  it('refuses a token whose signature or payload was tampered with (401)', async () => {
    const tenant = await createTenant()
    const viewer = await addMember(tenant, ['viewer'])
    const [h, p, s] = viewer.token.split('.') as [string, string, string]
    // Flip a character in the middle of the signature (the last one may only carry padding bits).
    const i = 10
    const badSig = `${h}.${p}.${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`
    const me = await client(tenant.host, badSig).get('/api/v1/me')
    expect(me.status).toBe(401)
    // A viewer promoting themselves in the payload keeps the old signature: refused.
    const payload = { ...decodePart(viewer.token, 1), roles: ['owner'] }
    const forged = `${h}.${b64url(payload)}.${s}`
    expect((await client(tenant.host, forged).get('/api/v1/me')).status).toBe(401)
    expect((await client(tenant.host, forged).post('/api/v1/users', { json: { email: 'x@forged.test', name: 'X', roles: ['owner'] } })).status).toBe(401)
  })

  it('refuses an unsigned token with alg "none" (401)', async () => {
    const tenant = await createTenant()
    const claims = decodePart(tenant.owner.token, 1)
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = `${b64url({ alg, typ: 'JWT' })}.${b64url(claims)}.`
      const res = await client(tenant.host, unsigned).get('/api/v1/me')
      expect(res.status).toBe(401)
    }
  })

  it('refuses an expired token, a token of another issuer, and garbage (401)', async () => {
    const tenant = await createTenant()
    const now = Math.floor(Date.now() / 1000)
    const sid = sessionIdOf(tenant.owner.token)
    const expired = await mintToken({ sub: tenant.owner.id, aud: tenant.id, sid }, { iat: now - 960, exp: now - 60 })
    const otherIssuer = await mintToken({ sub: tenant.owner.id, aud: tenant.id, sid, iss: 'someone-else' })
    for (const token of [expired, otherIssuer, 'garbage', 'a.b.c', `${tenant.owner.token}x`]) {
      const res = await client(tenant.host, token).get('/api/v1/me')
      expect(res.status, token).toBe(401)
      expect(res.body.data.code).toBe('UNAUTHENTICATED')
    }
    expect((await request('GET', tenant.host, '/api/v1/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(401)
  })

  it('refuses a token without exp or iat, issued in the future, living over 15 minutes or with an audience list (401)', async () => {
    const tenant = await createTenant()
    const now = Math.floor(Date.now() / 1000)
    const base = { iss: 'paksa', sub: tenant.owner.id, aud: tenant.id, sid: sessionIdOf(tenant.owner.token), roles: ['owner'], iat: now, exp: now + 600 }
    const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(jwtSecret())
    // Positive control: the same claims, unchanged, are accepted.
    expect((await client(tenant.host, await sign(base)).get('/api/v1/me')).status).toBe(200)
    const { exp: _exp, ...noExp } = base
    const { iat: _iat, ...noIat } = base
    const refused = {
      'no exp': noExp,
      'no iat': noIat,
      'iat in the future': { ...base, iat: now + 300, exp: now + 900 },
      'a 24-hour lifetime': { ...base, exp: now + 24 * 3600 },
      'an audience list': { ...base, aud: [tenant.id] },
      'no session id': { ...base, sid: undefined },
    }
    for (const [what, claims] of Object.entries(refused)) {
      const res = await client(tenant.host, await sign(claims)).get('/api/v1/me')
      expect(res.status, what).toBe(401)
      expect(res.body.data.code, what).toBe('UNAUTHENTICATED')
    }
  })

  it('answers 401, not 500, for a validly signed token whose sub is not a UUID (tenant and admin hosts)', async () => {
    const tenant = await createTenant()
    const sid = sessionIdOf(tenant.owner.token)
    for (const sub of ['admin', 'not-a-uuid', `${tenant.owner.id}x`]) {
      const onTenant = await client(tenant.host, await mintToken({ sub, aud: tenant.id, sid })).get('/api/v1/me')
      expect(onTenant.status, sub).toBe(401)
      const onAdmin = await client(hosts.admin(), await mintToken({ sub, aud: 'platform', sid, roles: ['platform_admin'] })).get('/api/v1/admin/me')
      expect(onAdmin.status, sub).toBe(401)
    }
  })

  it('accepts the Bearer scheme in any letter case', async () => {
    const tenant = await createTenant()
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const res = await request('GET', tenant.host, '/api/v1/me', { headers: { authorization: `${scheme} ${tenant.owner.token}` } })
      expect(res.status, scheme).toBe(200)
    }
  })
})

describe('session revocation', () => {
  const me = (host: string, token: string) => client(host, token).get('/api/v1/me')

  it('sign-out stops that session\'s access token at once (401 on the next request); other sessions stay signed in', async () => {
    const tenant = await createTenant()
    const leaving = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const staying = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    expect((await me(tenant.host, leaving.accessToken)).status).toBe(200) // now in the 30 s caches
    const out = await request('POST', tenant.host, '/api/v1/auth/logout', { token: leaving.accessToken, json: { refreshToken: leaving.refreshToken } })
    expect(out.status).toBe(200)
    const after = await me(tenant.host, leaving.accessToken)
    expect(after.status).toBe(401)
    expect(after.body.data.code).toBe('UNAUTHENTICATED')
    expect((await me(tenant.host, staying.accessToken)).status).toBe(200)
    expect((await refresh(tenant.host, staying.refreshToken)).status).toBe(200)
  })

  it('sign-out by a Bearer client that sends only its access token ends the session, refresh token included', async () => {
    const tenant = await createTenant()
    const session = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    expect((await request('POST', tenant.host, '/api/v1/auth/logout', { token: session.accessToken, json: {} })).status).toBe(200)
    expect((await me(tenant.host, session.accessToken)).status).toBe(401)
    expect((await refresh(tenant.host, session.refreshToken)).status).toBe(401)
  })

  it('reuse of a spent refresh token stops the access tokens of its family at once', async () => {
    const tenant = await createTenant()
    const first = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const rotated = await refresh(tenant.host, first.refreshToken)
    expect(sessionIdOf(rotated.body.accessToken)).toBe(sessionIdOf(first.accessToken))
    expect((await me(tenant.host, rotated.body.accessToken)).status).toBe(200)
    await ageRotation(first.refreshToken)
    expect((await refresh(tenant.host, first.refreshToken)).status).toBe(401) // the reuse, after the grace window
    expect((await me(tenant.host, rotated.body.accessToken)).status).toBe(401)
    expect((await me(tenant.host, first.accessToken)).status).toBe(401)
  })

  it('a password change signs out every other session, in this tenant and the person\'s other tenants, and keeps the one that made it', async () => {
    const a = await createTenant()
    const b = await createTenant()
    await joinTenant(b, a.owner.id, ['viewer'])
    const current = await login(a.host, a.owner.email, a.owner.password)
    const other = await login(a.host, a.owner.email, a.owner.password)
    const onB = await login(b.host, a.owner.email, a.owner.password)
    for (const [host, token] of [[a.host, current.accessToken], [a.host, other.accessToken], [b.host, onB.accessToken]] as const) {
      expect((await me(host, token)).status).toBe(200)
    }
    const newPassword = strongPassword()
    const res = await client(a.host, current.accessToken).post('/api/v1/me/password', { json: { currentPassword: a.owner.password, newPassword } })
    expect(res.status, res.text).toBe(200)

    expect((await me(a.host, other.accessToken)).status).toBe(401)
    expect((await refresh(a.host, other.refreshToken)).status).toBe(401)
    expect((await me(b.host, onB.accessToken)).status).toBe(401)
    expect((await refresh(b.host, onB.refreshToken)).status).toBe(401)
    // The session that changed the password goes on.
    expect((await me(a.host, current.accessToken)).status).toBe(200)
    expect((await refresh(a.host, current.refreshToken)).status).toBe(200)
  })

  it('a refused password change (wrong current password) signs nobody out', async () => {
    const tenant = await createTenant()
    const other = await login(tenant.host, tenant.owner.email, tenant.owner.password)
    const res = await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: `${tenant.owner.password}x`, newPassword: strongPassword() } })
    expect(res.status).toBe(422)
    expect((await me(tenant.host, other.accessToken)).status).toBe(200)
    expect((await refresh(tenant.host, other.refreshToken)).status).toBe(200)
  })

  it('a password reset signs out every session of the person, access tokens included, in all their tenants', async () => {
    const tenant = await createTenant()
    const other = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    await joinTenant(other, member.id, ['viewer'])
    const session = await login(tenant.host, member.email, member.password)
    const onOther = await login(other.host, member.email, member.password)
    expect((await me(tenant.host, session.accessToken)).status).toBe(200)
    expect((await me(other.host, onOther.accessToken)).status).toBe(200)
    expect((await request('POST', tenant.host, '/api/v1/auth/password-reset', { json: { email: member.email } })).status).toBe(202)
    const token = await resetToken(tenant.id, member.email)
    const confirm = await request('POST', tenant.host, '/api/v1/auth/password-reset/confirm', { json: { token, password: strongPassword() } })
    expect(confirm.status, confirm.text).toBe(200)
    expect((await me(tenant.host, session.accessToken)).status).toBe(401)
    expect((await me(tenant.host, member.token)).status).toBe(401)
    expect((await refresh(tenant.host, session.refreshToken)).status).toBe(401)
    expect((await me(other.host, onOther.accessToken)).status).toBe(401)
    expect((await refresh(other.host, onOther.refreshToken)).status).toBe(401)
  })

  it('back-office sign-out stops that admin access token at once; other admin sessions stay', async () => {
    const env = inject('serverEnv')
    const signIn = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } })
    expect(signIn.status).toBe(200)
    const token = signIn.body.accessToken as string
    expect((await client(hosts.admin(), token).get('/api/v1/admin/me')).status).toBe(200)
    expect((await client(hosts.admin(), token).post('/api/v1/admin/auth/logout')).status).toBe(200)
    expect((await client(hosts.admin(), token).get('/api/v1/admin/me')).status).toBe(401)
    expect((await client(hosts.admin(), await adminToken()).get('/api/v1/admin/me')).status).toBe(200)
  })
})

describe('membership re-check per request', () => {
  it('refuses the still-valid token of a member the owner removed (401 on /api/v1/me)', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['admin'])
    const session = await login(tenant.host, member.email, member.password)
    expect((await member.client.get('/api/v1/me')).status).toBe(200) // now cached
    expect((await tenant.asOwner.delete(`/api/v1/users/${member.id}`)).status).toBe(200)
    const me = await member.client.get('/api/v1/me')
    expect(me.status).toBe(401)
    expect((await member.client.get('/api/v1/users')).status).toBe(401)
    // Their refresh tokens were revoked with the membership.
    expect((await refresh(tenant.host, session.refreshToken)).status).toBe(401)
  })

  it('applies a role change to the next request, not the token\'s roles (403 FORBIDDEN after demotion)', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['admin'])
    expect((await member.client.get('/api/v1/me')).body.roles).toEqual(['admin'])
    const me = await tenant.asOwner.get(`/api/v1/users/${member.id}`)
    expect((await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['viewer'], version: me.body.version } })).status).toBe(200)
    expect((await member.client.get('/api/v1/me')).body.roles).toEqual(['viewer'])
    const create = await member.client.post('/api/v1/users', { json: { email: `${randomBytes(3).toString('hex')}@x.test`, name: 'X', roles: ['viewer'] } })
    expect(create.status).toBe(403)
    expect(create.body.data.code).toBe('FORBIDDEN')
  })
})

describe('CSRF on cookie sessions', () => {
  const newUser = () => ({ email: `csrf-${randomBytes(4).toString('hex')}@member.test`, name: 'Cookie Made', roles: ['viewer'] })
  const cookieSession = async (tenant: TestTenant) => browserSession(tenant.host, tenant.owner.email, tenant.owner.password)

  it('lets a GET through with the session cookie alone', async () => {
    const tenant = await createTenant()
    const { cookie } = await cookieSession(tenant)
    const me = await request('GET', tenant.host, '/api/v1/me', { headers: { cookie } })
    expect(me.status).toBe(200)
    expect(me.body.user.id).toBe(tenant.owner.id)
  })

  it('refuses an unsafe cookie request without X-CSRF-Token (403 CSRF_FAILED) and creates nothing', async () => {
    const tenant = await createTenant()
    const { cookie } = await cookieSession(tenant)
    const body = newUser()
    const res = await request('POST', tenant.host, '/api/v1/users', { headers: { cookie, origin: `http://${tenant.host}` }, json: body })
    expect(res.status).toBe(403)
    expect(res.body.data.code).toBe('CSRF_FAILED')
    const list = await tenant.asOwner.get(`/api/v1/users?q=${encodeURIComponent(body.email)}`)
    expect(list.body.total).toBe(0)
  })

  it('refuses a wrong CSRF token or a wrong or missing Origin (403 CSRF_FAILED)', async () => {
    const tenant = await createTenant()
    const { cookie, csrf } = await cookieSession(tenant)
    const origin = `http://${tenant.host}`
    const attempts: Record<string, string>[] = [
      { 'cookie': cookie, origin, 'x-csrf-token': `${csrf}x` },
      { 'cookie': cookie, 'origin': 'http://evil.localhost', 'x-csrf-token': csrf },
      { 'cookie': cookie, 'origin': `https://${tenant.host}`, 'x-csrf-token': csrf },
      { 'cookie': cookie, 'origin': `http://${tenant.host}.evil.test`, 'x-csrf-token': csrf },
      { 'cookie': cookie, 'x-csrf-token': csrf },
    ]
    for (const headers of attempts) {
      const res = await request('POST', tenant.host, '/api/v1/users', { headers, json: newUser() })
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect(res.body.data.code).toBe('CSRF_FAILED')
    }
    const del = await request('DELETE', tenant.host, `/api/v1/users/${tenant.owner.id}`, { headers: { cookie, origin } })
    expect(del.status).toBe(403)
    expect(del.body.data.code).toBe('CSRF_FAILED')
  })

  it('accepts an unsafe cookie request with the exact Origin and the matching X-CSRF-Token (201)', async () => {
    const tenant = await createTenant()
    const { cookie, csrf } = await cookieSession(tenant)
    const body = newUser()
    const res = await request('POST', tenant.host, '/api/v1/users', { headers: { 'cookie': cookie, 'origin': `http://${tenant.host}`, 'x-csrf-token': csrf }, json: body })
    expect(res.status).toBe(201)
    expect(res.body.email).toBe(body.email)
  })

  it('does not ask Bearer clients for a CSRF token', async () => {
    const tenant = await createTenant()
    const res = await tenant.asOwner.post('/api/v1/users', { json: newUser() })
    expect(res.status).toBe(201)
  })
})

describe('login throttling', () => {
  it('answers 429 TOO_MANY_ATTEMPTS with Retry-After on the 11th attempt after 10 failures, for that account and address only', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    const ip = `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`
    for (let i = 1; i <= 10; i++) {
      const res = await loginFrom(ip, tenant.host, member.email, `wrong-password-${i}`)
      expect(res.status, `attempt ${i}`).toBe(401)
      expect(res.body.data.code).toBe('INVALID_CREDENTIALS')
    }
    const blocked = await loginFrom(ip, tenant.host, member.email, 'wrong-password-11')
    expect(blocked.status).toBe(429)
    expect(blocked.body.data.code).toBe('TOO_MANY_ATTEMPTS')
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    // Past the limit even the right password waits for the window to end ...
    const right = await loginFrom(ip, tenant.host, member.email, member.password)
    expect(right.status).toBe(429)
    // ... but a stranger's failures elsewhere lock nobody out: the account works from another
    // address, and another account works from the throttled one.
    expect((await loginRequest(tenant.host, member.email, member.password)).status).toBe(200)
    expect((await loginFrom(ip, tenant.host, tenant.owner.email, tenant.owner.password)).status).toBe(200)
  }, 90_000)

  it('stops a stranger spraying one account from many addresses after 10 attempts (429), mails the holder once, and keeps the usual network and browser signing in', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer']) // signed in once from 127.0.0.1: the usual network
    const usualBrowser = await browserSession(tenant.host, member.email, member.password)
    expect(usualBrowser.cookie).toMatch(/__Host-paksa_device=[\w-]{43}/)
    for (let i = 1; i <= 10; i++) {
      const res = await loginFrom(freshAddress(), tenant.host, member.email, `wrong-password-${i}`)
      expect(res.status, `attempt ${i}`).toBe(401)
    }
    const blocked = await loginFrom(freshAddress(), tenant.host, member.email, 'wrong-password-11')
    expect(blocked.status).toBe(429)
    expect(blocked.body.data.code).toBe('TOO_MANY_ATTEMPTS')
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(300)
    // A stranger with the right password waits too (it could be the attacker who guessed it) ...
    expect((await loginFrom(freshAddress(), tenant.host, member.email, member.password)).status).toBe(429)
    // ... but the real user gets in from their usual network, and with their usual browser from anywhere.
    expect((await loginRequest(tenant.host, member.email, member.password)).status).toBe(200)
    expect((await loginFrom(freshAddress(), tenant.host, member.email, member.password, { cookie: usualBrowser.cookie })).status).toBe(200)
    // Other accounts are untouched.
    expect((await loginFrom(freshAddress(), tenant.host, tenant.owner.email, tenant.owner.password)).status).toBe(200)

    // The holder is told once for the window, however many attempts follow.
    const [alert] = (await waitForMail(inject('mailDir'), member.email)).filter(m => m.subject?.startsWith('Sign-in attempts'))
    expect(alert?.subject).toBe(`Sign-in attempts on your Paksa Financial account for Tenant ${tenant.slug}`)
    expect(alert?.text).toContain('10 sign-in attempts with a wrong password')
    expect(alert?.text).toContain(`/forgot-password`)
    expect((await loginFrom(freshAddress(), tenant.host, member.email, 'wrong-password-12')).status).toBe(429)
    const rows = await sql`select kind from mail_outbox where tenant_id = ${tenant.id} and ${member.email} = any("to") and kind = 'sign_in_alert'`
    expect(rows).toHaveLength(1)
    expect((await readMail(inject('mailDir'), member.email)).filter(m => m.subject?.startsWith('Sign-in attempts'))).toHaveLength(1)
  }, 90_000)

  it('sends no alert for an address that is not a member, however often it fails', async () => {
    const tenant = await createTenant()
    const stranger = `nobody-${randomBytes(4).toString('hex')}@nowhere.test`
    for (let i = 1; i <= 11; i++) await loginFrom(freshAddress(), tenant.host, stranger, `wrong-password-${i}`)
    const rows = await sql`select id from mail_outbox where tenant_id = ${tenant.id} and ${stranger} = any("to")`
    expect(rows).toHaveLength(0)
  }, 90_000)

  it('past 100 failures from one address (every client behind a proxy without TRUST_PROXY) still signs in an account not under attack from there', async () => {
    const tenant = await createTenant()
    const member = await addMember(tenant, ['viewer'])
    const target = await addMember(tenant, ['viewer'])
    const shared = freshAddress()
    // 100 failures on addresses that are not accounts, so no account's own budget is involved.
    for (let i = 1; i <= 100; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, k) => loginFrom(shared, tenant.host, `nobody-${i + k}-${randomBytes(3).toString('hex')}@nowhere.test`, 'wrong-password')))
      for (const res of batch) expect(res.status).toBe(401)
    }
    // A member signing in for the first time from that address gets in.
    const first = await loginFrom(shared, tenant.host, member.email, member.password)
    expect(first.status).toBe(200)
    // An account that already had a stranger's attempt from there in its window is refused,
    // even with the right password: the address has spent its budget on it.
    expect((await loginFrom(shared, tenant.host, target.email, 'wrong-password')).status).toBe(401)
    const refused = await loginFrom(shared, tenant.host, target.email, target.password)
    expect(refused.status).toBe(429)
    expect(refused.body.data.code).toBe('TOO_MANY_ATTEMPTS')
    // The member who signed in there is now recognised on that network.
    expect((await loginFrom(shared, tenant.host, member.email, member.password)).status).toBe(200)
  }, 120_000)
})

describe('password change (POST /api/v1/me/password)', () => {
  it('refuses a new password shorter than 12 characters (400 WEAK_PASSWORD, fields.newPassword)', async () => {
    const tenant = await createTenant()
    const res = await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: tenant.owner.password, newPassword: 'Abcdefgh12!' } })
    expect(res.status).toBe(400)
    expect(res.body.data.code).toBe('WEAK_PASSWORD')
    expect(res.body.data.fields).toHaveProperty('newPassword')
    // Unchanged: the old password still signs in.
    expect((await loginRequest(tenant.host, tenant.owner.email, tenant.owner.password)).status).toBe(200)
  })

  it('refuses a common password such as "password1234" (400 WEAK_PASSWORD)', async () => {
    const tenant = await createTenant()
    for (const newPassword of ['password1234', 'PASSWORD1234']) {
      const res = await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: tenant.owner.password, newPassword } })
      expect(res.status).toBe(400)
      expect(res.body.data.code).toBe('WEAK_PASSWORD')
      expect(res.body.data.fields).toHaveProperty('newPassword')
    }
  })

  it('refuses a keyboard walk or a single repeated character of any length (400 WEAK_PASSWORD)', async () => {
    const tenant = await createTenant()
    for (const newPassword of ['qwertyuiop[]', '1qaz2wsx3edc4rfv', 'aaaaaaaaaaaaaaaaaaaa', '!!!!!!!!!!!!']) {
      const res = await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: tenant.owner.password, newPassword } })
      expect(res.status, newPassword).toBe(400)
      expect(res.body.data.code).toBe('WEAK_PASSWORD')
      expect(res.body.data.fields).toHaveProperty('newPassword')
    }
    expect((await loginRequest(tenant.host, tenant.owner.email, tenant.owner.password)).status).toBe(200)
  })

  it('refuses a wrong current password (422 WRONG_PASSWORD)', async () => {
    const tenant = await createTenant()
    const newPassword = strongPassword()
    const res = await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: `${tenant.owner.password}x`, newPassword } })
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('WRONG_PASSWORD')
    expect((await loginRequest(tenant.host, tenant.owner.email, newPassword)).status).toBe(401)
  })

  it('changes the password: the new one signs in, the old one no longer does', async () => {
    const tenant = await createTenant()
    const newPassword = strongPassword()
    const res = await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: tenant.owner.password, newPassword } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true })
    expect((await loginRequest(tenant.host, tenant.owner.email, newPassword)).status).toBe(200)
    expect((await loginRequest(tenant.host, tenant.owner.email, tenant.owner.password)).status).toBe(401)
  })

  it('requires a signed-in user (401)', async () => {
    const tenant = await createTenant()
    const res = await request('POST', tenant.host, '/api/v1/me/password', { json: { currentPassword: 'x', newPassword: strongPassword() } })
    expect(res.status).toBe(401)
  })
})
