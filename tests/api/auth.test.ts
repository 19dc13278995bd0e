/**
 * Authentication (SPEC §4): sign-in, refresh-token rotation, sign-out, token audience and
 * integrity, the per-request membership re-check, CSRF on cookie sessions, login throttling and
 * the password policy.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { SignJWT } from 'jose'
import { describe, expect, inject, it } from 'vitest'
import { addMember, adminToken, client, createTenant, hosts, login, request, strongPassword, type TestTenant } from '../support/api'

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const decodePart = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'))
const jwtSecret = () => new TextEncoder().encode(inject('serverEnv').JWT_SECRET!)

/** A token signed with the server's real secret, so only the claim under test can make it fail. */
async function mintToken(claims: { sub: string, aud: string, iss?: string, roles?: string[] }, times: { iat?: number, exp?: number } = {}) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ roles: claims.roles ?? ['owner'] })
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

/**
 * A login from a loopback address of its own (127.x.y.z), so the per-IP failure counters of this
 * test do not add up with other tests (or other runs sharing one Redis) on 127.0.0.1.
 */
function loginFrom(localAddress: string, host: string, email: string, password: string): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: any }> {
  const body = JSON.stringify({ email, password })
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${inject('baseUrl')}/api/v1/auth/login`, {
      method: 'POST',
      localAddress,
      headers: { 'host': host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
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

    const reuse = await refresh(tenant.host, first.refreshToken)
    expect(reuse.status).toBe(401)
    expect(reuse.body.data.code).toBe('INVALID_REFRESH_TOKEN')
    // The newest token of the family is revoked as well: a thief and the victim are both signed out.
    expect((await refresh(tenant.host, r2.body.refreshToken)).status).toBe(401)
    // Another session (another family) of the same user is untouched.
    expect((await refresh(tenant.host, other.refreshToken)).status).toBe(200)
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
    expect((await b.asOwner.post('/api/v1/users', { json: { email: a.owner.email, name: 'Guest', roles: ['viewer'] } })).status).toBe(201)
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
    const good = await mintToken({ sub: tenant.owner.id, aud: tenant.id })
    expect((await client(tenant.host, good).get('/api/v1/me')).status).toBe(200)
    const otherKey = await new SignJWT({ roles: ['owner'] }).setProtectedHeader({ alg: 'HS256' }).setIssuer('paksa')
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
    const expired = await mintToken({ sub: tenant.owner.id, aud: tenant.id }, { iat: now - 3600, exp: now - 60 })
    const otherIssuer = await mintToken({ sub: tenant.owner.id, aud: tenant.id, iss: 'someone-else' })
    for (const token of [expired, otherIssuer, 'garbage', 'a.b.c', `${tenant.owner.token}x`]) {
      const res = await client(tenant.host, token).get('/api/v1/me')
      expect(res.status, token).toBe(401)
      expect(res.body.data.code).toBe('UNAUTHENTICATED')
    }
    expect((await request('GET', tenant.host, '/api/v1/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(401)
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
