/**
 * Self-service sign-up on the apex host (SPEC §5 `signup`, §4 users and memberships): the request
 * answers the same 202 for every e-mail and only mails a link; the organisation is created when
 * the link is followed, where a new e-mail chooses its password and an existing account must give
 * its own. Nobody can take over an account, or learn that one exists, by signing up with its e-mail.
 *
 * Sign-ups are limited to 10 an hour per client IP and every test here comes from one address:
 * keep the number of sign-up requests that reach the handler (not the 400s of validation) below it.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { adminClient, client, createTenant, hosts, login, request, strongPassword, uniqueSlug, type ApiResponse } from '../support/api'

/** The database owner, to read the platform outbox and age links. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const apexOrigin = () => `http://${hosts.apex()}`

function signupBody(email = `founder-${randomBytes(4).toString('hex')}@signup.test`) {
  const slug = uniqueSlug('s')
  return { slug, name: `Company ${slug}`, baseCurrency: 'EUR', fiscalYearStartMonth: 4, chartOfAccounts: 'none', owner: { email, name: 'Fay Founder' } }
}

/** The token of the newest sign-up mail to `email` in the platform outbox (written before the 202). */
async function signupToken(email: string): Promise<string> {
  const [mail] = await sql<{ text: string, html: string }[]>`
    select text, html from platform_mail_outbox where kind = 'signup' and ${email} = any("to") order by created_at desc, id desc limit 1`
  const match = /(https?:\/\/[^\s/]+)\/signup\/([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')
  expect(match, mail?.text).not.toBeNull()
  expect(match![1]).toBe(apexOrigin())
  return match![2]!
}

async function tenantCount(slug: string): Promise<number> {
  const admin = await adminClient()
  return (await admin.get(`/api/v1/admin/tenants?q=${slug}`)).body.total
}

/** Exchanges the handoff link's token on `host` (the link must point there, the token in its fragment). */
function exchangeHandoff(url: string, host: string): Promise<ApiResponse> {
  const link = new URL(url)
  expect(`${link.host}${link.pathname}`).toBe(`${host}/handoff`)
  const token = new URLSearchParams(link.hash.slice(1)).get('token')
  return request('POST', host, '/api/v1/auth/handoff', { json: { token } })
}

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status)
  expect(res.body.data.code).toBe(code)
}

/** What a client can observe of a 202, apart from the per-request id and the clock. */
function observable(res: ApiResponse) {
  const headers = [...res.headers.entries()].filter(([name]) => !['date', 'x-request-id'].includes(name))
  return { status: res.status, headers, text: res.text }
}

describe('POST /api/v1/signup', () => {
  it('answers 202 {status: "pending"} byte for byte the same for a new and an existing e-mail, and creates nothing before the link is followed', async () => {
    const existing = await createTenant()
    const forNew = signupBody()
    const forExisting = signupBody(existing.owner.email)
    const a = await request('POST', hosts.apex(), '/api/v1/signup', { json: forNew })
    const b = await request('POST', hosts.apex(), '/api/v1/signup', { json: forExisting })
    expect(a.status, a.text).toBe(202)
    expect(a.body).toEqual({ status: 'pending' })
    expect(observable(b)).toEqual(observable(a))

    // No tenant, no membership, no change to the existing account; each address got its link.
    expect(await tenantCount(forNew.slug)).toBe(0)
    expect(await tenantCount(forExisting.slug)).toBe(0)
    await signupToken(forNew.owner.email)
    await signupToken(existing.owner.email)
    await login(existing.host, existing.owner.email, existing.owner.password)
    expect((await request('POST', hosts.tenant(forExisting.slug), '/api/v1/auth/login', { json: { email: existing.owner.email, password: existing.owner.password } })).status).toBe(404)
    const [users] = await sql<{ n: number }[]>`select count(*)::int as n from users where email = ${forNew.owner.email}`
    expect(users!.n).toBe(0)
  })

  it('refuses a password in the body (400 VALIDATION_FAILED): sign-up never takes one', async () => {
    const body = signupBody()
    const res = await request('POST', hosts.apex(), '/api/v1/signup', { json: { ...body, owner: { ...body.owner, password: strongPassword() } } })
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(res.body.data.fields)).toContain('password')
  })

  it('refuses a taken slug (409 SLUG_TAKEN) and a reserved one (400 INVALID_SLUG): slugs are public host names', async () => {
    const tenant = await createTenant()
    expectError(await request('POST', hosts.apex(), '/api/v1/signup', { json: { ...signupBody(), slug: tenant.slug } }), 409, 'SLUG_TAKEN')
    expectError(await request('POST', hosts.apex(), '/api/v1/signup', { json: { ...signupBody(), slug: 'admin' } }), 400, 'INVALID_SLUG')
  })

  it('is 404 on a tenant host and on the admin host', async () => {
    const tenant = await createTenant()
    for (const host of [tenant.host, hosts.admin()]) {
      const body = signupBody()
      expect((await request('POST', host, '/api/v1/signup', { json: body })).status, host).toBe(404)
      expect((await sql`select 1 from pending_signups where slug = ${body.slug}`).length).toBe(0)
    }
  })

  it('is served on www, and the link is built from APP_BASE_DOMAIN, never from forwarded headers', async () => {
    const body = signupBody()
    const res = await request('POST', `www.${hosts.apex()}`, '/api/v1/signup', { json: body, headers: { 'x-forwarded-host': 'evil.example.com', 'x-forwarded-proto': 'https' } })
    expect(res.status, res.text).toBe(202)
    await signupToken(body.owner.email)
  })
})

describe('following the sign-up link', () => {
  it('lets a new e-mail choose its password: weak ones are refused (400 WEAK_PASSWORD), then the tenant is created with them as owner; the link works once', async () => {
    const body = signupBody()
    expect((await request('POST', hosts.apex(), '/api/v1/signup', { json: body })).status).toBe(202)
    const token = await signupToken(body.owner.email)

    const info = await request('GET', hosts.apex(), `/api/v1/signup/${token}`)
    expect(info.status).toBe(200)
    expect(info.body).toMatchObject({ email: body.owner.email, organisationName: body.name, slug: body.slug, newAccount: true })
    const hours = (Date.parse(info.body.expiresAt) - Date.now()) / 3_600_000
    expect(hours).toBeGreaterThan(23.9)
    expect(hours).toBeLessThanOrEqual(24)

    const weak = await request('POST', hosts.apex(), `/api/v1/signup/${token}/complete`, { json: { password: 'password1234' } })
    expectError(weak, 400, 'WEAK_PASSWORD')
    expect(weak.body.data.fields).toHaveProperty('password')
    expect(await tenantCount(body.slug)).toBe(0)

    const password = strongPassword()
    const done = await request('POST', hosts.apex(), `/api/v1/signup/${token}/complete`, { json: { password } })
    expect(done.status, done.text).toBe(201)
    expect(Object.keys(done.body).sort()).toEqual(['handoffUrl', 'loginUrl', 'tenant'])
    expect(done.body.tenant).toMatchObject({ slug: body.slug, name: body.name, status: 'active', baseCurrency: 'EUR', fiscalYearStartMonth: 4 })
    expect(done.body.loginUrl).toBe(`http://${hosts.tenant(body.slug)}/login`)
    // Completion ends signed in: the handoff link signs the owner in on the new host, once.
    const handedOff = await exchangeHandoff(done.body.handoffUrl, hosts.tenant(body.slug))
    expect(handedOff.status, handedOff.text).toBe(200)
    expect(handedOff.headers.getSetCookie().some(c => /paksa_at=/.test(c))).toBe(true)
    const owner = await client(hosts.tenant(body.slug), handedOff.body.accessToken).get('/api/v1/me')
    expect(owner.body).toMatchObject({ roles: ['owner'], user: { email: body.owner.email }, tenant: { slug: body.slug } })
    expectError(await exchangeHandoff(done.body.handoffUrl, hosts.tenant(body.slug)), 401, 'HANDOFF_INVALID')
    const session = await login(hosts.tenant(body.slug), body.owner.email, password)
    const me = await client(hosts.tenant(body.slug), session.accessToken).get('/api/v1/me')
    expect(me.body.roles).toEqual(['owner'])
    expect(me.body.user.name).toBe('Fay Founder')

    for (const res of [
      await request('GET', hosts.apex(), `/api/v1/signup/${token}`),
      await request('POST', hosts.apex(), `/api/v1/signup/${token}/complete`, { json: { password: strongPassword() } }),
    ]) expectError(res, 404, 'SIGNUP_INVALID')
    await login(hosts.tenant(body.slug), body.owner.email, password)
  })

  it('makes an existing account the owner only with its own password: a wrong one is 422 WRONG_PASSWORD and creates nothing; the account keeps its password and name', async () => {
    const existing = await createTenant()
    const body = signupBody(existing.owner.email)
    expect((await request('POST', hosts.apex(), '/api/v1/signup', { json: body })).status).toBe(202)
    const token = await signupToken(existing.owner.email)
    expect((await request('GET', hosts.apex(), `/api/v1/signup/${token}`)).body).toMatchObject({ email: existing.owner.email, newAccount: false })

    const attempted = strongPassword()
    const wrong = await request('POST', hosts.apex(), `/api/v1/signup/${token}/complete`, { json: { password: attempted } })
    expectError(wrong, 422, 'WRONG_PASSWORD')
    expect(await tenantCount(body.slug)).toBe(0)
    expect((await request('POST', existing.host, '/api/v1/auth/login', { json: { email: existing.owner.email, password: attempted } })).status).toBe(401)

    const done = await request('POST', hosts.apex(), `/api/v1/signup/${token}/complete`, { json: { password: existing.owner.password } })
    expect(done.status, done.text).toBe(201)
    // An existing account ends signed in on the new host too, as itself.
    const handedOff = await exchangeHandoff(done.body.handoffUrl, hosts.tenant(body.slug))
    expect(handedOff.status, handedOff.text).toBe(200)
    expect(handedOff.body.user.id).toBe(existing.owner.id)
    const session = await login(hosts.tenant(body.slug), existing.owner.email, existing.owner.password)
    expect(session.user.id).toBe(existing.owner.id)
    const me = await client(hosts.tenant(body.slug), session.accessToken).get('/api/v1/me')
    expect(me.body).toMatchObject({ roles: ['owner'], user: { name: 'Owner' } })
    await login(existing.host, existing.owner.email, existing.owner.password)
  })

  it('refuses completion when the slug was taken meanwhile (409 SLUG_TAKEN): nothing is created and the link stays usable', async () => {
    const body = signupBody()
    expect((await request('POST', hosts.apex(), '/api/v1/signup', { json: body })).status).toBe(202)
    const token = await signupToken(body.owner.email)
    await createTenant({ slug: body.slug })
    const res = await request('POST', hosts.apex(), `/api/v1/signup/${token}/complete`, { json: { password: strongPassword() } })
    expectError(res, 409, 'SLUG_TAKEN')
    const [users] = await sql<{ n: number }[]>`select count(*)::int as n from users where email = ${body.owner.email}`
    expect(users!.n).toBe(0)
    expect((await request('GET', hosts.apex(), `/api/v1/signup/${token}`)).status).toBe(200)
  })

  it('answers one 404 SIGNUP_INVALID for an unknown or an expired link, and 404 on a tenant host', async () => {
    const body = signupBody()
    expect((await request('POST', hosts.apex(), '/api/v1/signup', { json: body })).status).toBe(202)
    const token = await signupToken(body.owner.email)
    await sql`update pending_signups set expires_at = now() - interval '1 second' where slug = ${body.slug}`
    for (const t of [token, randomBytes(32).toString('base64url'), 'x']) {
      expectError(await request('GET', hosts.apex(), `/api/v1/signup/${t}`), 404, 'SIGNUP_INVALID')
      expectError(await request('POST', hosts.apex(), `/api/v1/signup/${t}/complete`, { json: { password: strongPassword() } }), 404, 'SIGNUP_INVALID')
    }
    expect(await tenantCount(body.slug)).toBe(0)
    const tenant = await createTenant()
    expect((await request('GET', tenant.host, `/api/v1/signup/${token}`)).status).toBe(404)
  })
})
