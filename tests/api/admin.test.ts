import { randomBytes } from 'node:crypto'
import { describe, expect, inject, it } from 'vitest'
import { addMember, adminClient, adminToken, client, createTenant, hosts, login, request, strongPassword, uniqueSlug, type ApiResponse } from '../support/api'

const adminEnv = () => inject('serverEnv') as { ADMIN_EMAIL: string, ADMIN_PASSWORD: string }

function expectError(res: ApiResponse, status: number, code?: string) {
  expect(res.status, res.text).toBe(status)
  expect(res.body.statusCode).toBe(status)
  expect(typeof res.body.statusMessage).toBe('string')
  if (code) expect(res.body.data.code).toBe(code)
}

function tenantBody(overrides: Record<string, unknown> = {}) {
  const slug = (overrides.slug as string | undefined) ?? uniqueSlug('a')
  return {
    slug,
    name: `Company ${slug}`,
    baseCurrency: 'EUR',
    fiscalYearStartMonth: 4,
    chartOfAccounts: 'none',
    owner: { email: `owner-${randomBytes(4).toString('hex')}@example.test`, name: 'Olga Owner', password: strongPassword() },
    ...overrides,
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('back-office sign-in', () => {
  it('answers {accessToken, expiresIn, admin} on the admin host and sets host-only cookies', async () => {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = adminEnv()
    const res = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'admin', 'expiresIn'])
    expect(res.body.accessToken.split('.')).toHaveLength(3)
    expect(res.body.expiresIn).toBe(900)
    expect(res.body.admin).toMatchObject({ email: ADMIN_EMAIL })
    expect(res.body.admin.id).toMatch(UUID)
    expect(res.body.admin).not.toHaveProperty('passwordHash')
    const cookies = res.headers.getSetCookie()
    const access = cookies.find(c => /^(__Host-)?paksa_at=/.test(c))
    expect(access).toBeDefined()
    expect(access).toMatch(/HttpOnly/i)
    expect(access).toMatch(/SameSite=Lax/i)
    expect(access).not.toMatch(/Domain=/i)
    // The token works on the admin host.
    const me = await client(hosts.admin(), res.body.accessToken).get('/api/v1/admin/me')
    expect(me.status).toBe(200)
    expect(me.body.admin.email).toBe(ADMIN_EMAIL)
  })

  it('accepts the e-mail in any case', async () => {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = adminEnv()
    const res = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD } })
    expect(res.status).toBe(200)
  })

  it('is 404 on a tenant host and on the apex', async () => {
    const tenant = await createTenant()
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = adminEnv()
    for (const host of [tenant.host, hosts.apex()]) {
      const res = await request('POST', host, '/api/v1/admin/auth/login', { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })
      expect(res.status, host).toBe(404)
      expect(res.body).not.toHaveProperty('accessToken')
    }
  })

  it('answers a wrong password and an unknown e-mail alike with 401 INVALID_CREDENTIALS', async () => {
    const { ADMIN_EMAIL } = adminEnv()
    const wrong = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: ADMIN_EMAIL, password: 'not-the-admin-password' } })
    expectError(wrong, 401, 'INVALID_CREDENTIALS')
    const unknown = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: `${randomBytes(4).toString('hex')}@nobody.test`, password: 'not-the-admin-password' } })
    expectError(unknown, 401, 'INVALID_CREDENTIALS')
    expect(unknown.body.statusMessage).toBe(wrong.body.statusMessage)
    expect(wrong.headers.getSetCookie().some(c => /paksa_at=[^;]/.test(c))).toBe(false)
  })

  it('refuses a body without e-mail or password with 400 and field messages', async () => {
    const res = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: 'not-an-email' } })
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(Object.keys(res.body.data.fields)).toEqual(expect.arrayContaining(['email', 'password']))
  })
})

describe('back-office routes need a platform admin', () => {
  const someId = '01890000-0000-7000-8000-000000000001'
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/v1/admin/me'],
    ['GET', '/api/v1/admin/tenants'],
    ['POST', '/api/v1/admin/tenants', tenantBody()],
    ['GET', `/api/v1/admin/tenants/${someId}`],
    ['PATCH', `/api/v1/admin/tenants/${someId}`, { status: 'suspended' }],
  ]

  it.each(routes)('%s %s without a token is 401', async (method, path, json) => {
    const res = await request(method, hosts.admin(), path, { json })
    expectError(res, 401, 'UNAUTHENTICATED')
  })

  it.each(routes)('%s %s with a tenant owner\'s token is 401', async (method, path, json) => {
    const tenant = await createTenant()
    const res = await request(method, hosts.admin(), path, { json, token: tenant.owner.token })
    expectError(res, 401, 'UNAUTHENTICATED')
  })

  it.each(routes)('%s %s with a forged token is 401', async (method, path, json) => {
    const res = await request(method, hosts.admin(), path, { json, token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' })
    expectError(res, 401, 'UNAUTHENTICATED')
  })

  it('does not exist on a tenant host, even with an admin token (404)', async () => {
    const tenant = await createTenant()
    const res = await client(tenant.host, await adminToken()).get('/api/v1/admin/tenants')
    expect(res.status).toBe(404)
  })

  it('does not accept an admin token on a tenant host (401)', async () => {
    const tenant = await createTenant()
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = adminEnv()
    const signIn = await request('POST', hosts.admin(), '/api/v1/admin/auth/login', { json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })
    const res = await client(tenant.host, signIn.body.accessToken).get('/api/v1/me')
    expectError(res, 401)
  })
})

describe('back-office tenants: create', () => {
  it('creates a tenant with its owner: 201 with the resource and userCount 1', async () => {
    const admin = await adminClient()
    const body = tenantBody()
    const res = await admin.post('/api/v1/admin/tenants', { json: body })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ slug: body.slug, name: body.name, status: 'active', baseCurrency: 'EUR', fiscalYearStartMonth: 4, userCount: 1 })
    expect(res.body.id).toMatch(UUID)
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt)
    expect(res.body).not.toHaveProperty('owner')
    const session = await login(hosts.tenant(body.slug), body.owner.email, body.owner.password)
    const me = await client(hosts.tenant(body.slug), session.accessToken).get('/api/v1/me')
    expect(me.body.roles).toEqual(['owner'])
    expect(me.body.tenant).toMatchObject({ id: res.body.id, slug: body.slug, baseCurrency: 'EUR', fiscalYearStartMonth: 4 })
  })

  it('fills defaults: USD, fiscal year from January, the standard chart', async () => {
    const admin = await adminClient()
    const { baseCurrency: _c, fiscalYearStartMonth: _m, chartOfAccounts: _a, ...body } = tenantBody()
    const res = await admin.post('/api/v1/admin/tenants', { json: body })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ baseCurrency: 'USD', fiscalYearStartMonth: 1 })
  })

  it('lower-cases the slug it is given', async () => {
    const admin = await adminClient()
    const slug = uniqueSlug('m')
    const res = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ slug: slug.toUpperCase() }) })
    expect(res.status, res.text).toBe(201)
    expect(res.body.slug).toBe(slug)
  })

  it('refuses a slug that is taken with 409 SLUG_TAKEN, in any case', async () => {
    const admin = await adminClient()
    const body = tenantBody()
    expect((await admin.post('/api/v1/admin/tenants', { json: body })).status).toBe(201)
    const again = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ slug: body.slug }) })
    expectError(again, 409, 'SLUG_TAKEN')
    expect(again.body.data.fields.slug).toBeTruthy()
    const upper = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ slug: body.slug.toUpperCase() }) })
    expectError(upper, 409, 'SLUG_TAKEN')
  })

  it.each(['admin', 'www', 'api', 'billing'])('refuses the reserved slug %s with 400 and fields.slug', async (slug) => {
    const admin = await adminClient()
    const res = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ slug }) })
    expectError(res, 400, 'INVALID_SLUG')
    expect(res.body.data.fields.slug).toMatch(/reserved/)
  })

  it.each([
    ['A b', 'a space'],
    ['-x', 'a leading hyphen and too short'],
    ['ab', 'two characters'],
    ['xn--abc', 'a punycode label'],
    [`a${'b'.repeat(39)}`, '40 characters'],
    ['acme-', 'a trailing hyphen'],
    ['9lives', 'a leading digit'],
    ['acme.corp', 'a dot'],
    ['', 'nothing'],
  ])('refuses the malformed slug %j (%s) with 400 and fields.slug', async (slug) => {
    const admin = await adminClient()
    const res = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ slug }) })
    expectError(res, 400)
    expect(res.body.data.fields.slug).toBeTruthy()
  })

  it.each([
    ['11 characters', 'Xk9#mQ2$vL4'],
    ['a common password', '123456789012'],
  ])('refuses an owner password of %s with 400 and the field', async (_, password) => {
    const admin = await adminClient()
    const body = tenantBody()
    const res = await admin.post('/api/v1/admin/tenants', { json: { ...body, owner: { ...body.owner, password } } })
    expectError(res, 400, 'WEAK_PASSWORD')
    expect(res.body.data.fields['owner.password']).toBeTruthy()
    // Nothing was created: the slug is still free.
    const list = await admin.get(`/api/v1/admin/tenants?q=${body.slug}`)
    expect(list.body.total).toBe(0)
  })

  it('refuses unknown fields, a bad currency and a bad month with 400 and field messages', async () => {
    const admin = await adminClient()
    const res = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ plan: 'gold', baseCurrency: 'usd', fiscalYearStartMonth: 13 }) })
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(Object.keys(res.body.data.fields)).toEqual(expect.arrayContaining(['baseCurrency', 'fiscalYearStartMonth']))
    expect(JSON.stringify(res.body.data.fields)).toContain('plan')
  })

  it('makes an existing platform user the owner without changing their password', async () => {
    const first = await createTenant()
    const admin = await adminClient()
    const body = tenantBody()
    const res = await admin.post('/api/v1/admin/tenants', { json: { ...body, owner: { email: first.owner.email, name: 'Someone', password: strongPassword() } } })
    expect(res.status, res.text).toBe(201)
    const host = hosts.tenant(body.slug)
    await expect(login(host, first.owner.email, first.owner.password)).resolves.toBeTruthy()
    const withNewPassword = await request('POST', host, '/api/v1/auth/login', { json: { email: first.owner.email, password: body.owner.password } })
    expect(withNewPassword.status).toBe(401)
  })
})

describe('back-office tenants: read, list and change', () => {
  it('returns one tenant by id with its usage', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    const res = await admin.get(`/api/v1/admin/tenants/${tenant.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: tenant.id, slug: tenant.slug, status: 'active', userCount: 1 })
    // Members count once they have joined; a pending invitation is not a member yet.
    expect((await tenant.asOwner.post('/api/v1/users', { json: { email: `${randomBytes(4).toString('hex')}@member.test`, roles: ['viewer'] } })).status).toBe(201)
    expect((await admin.get(`/api/v1/admin/tenants/${tenant.id}`)).body.userCount).toBe(1)
    await addMember(tenant, ['viewer'])
    expect((await admin.get(`/api/v1/admin/tenants/${tenant.id}`)).body.userCount).toBe(2)
  })

  it('answers an unknown id with 404 and a non-UUID id with 400', async () => {
    const admin = await adminClient()
    expectError(await admin.get('/api/v1/admin/tenants/01890000-0000-7000-8000-00000000abcd'), 404, 'NOT_FOUND')
    const bad = await admin.get('/api/v1/admin/tenants/not-a-uuid')
    expectError(bad, 400, 'VALIDATION_FAILED')
    expect(bad.body.data.fields.id).toBeTruthy()
    expectError(await admin.patch('/api/v1/admin/tenants/01890000-0000-7000-8000-00000000abcd', { json: { status: 'suspended' } }), 404, 'NOT_FOUND')
    expectError(await admin.patch('/api/v1/admin/tenants/1234', { json: { status: 'suspended' } }), 400, 'VALIDATION_FAILED')
  })

  it('lists tenants as {data, page, pageSize, total} with q search, status filter, sort and pages', async () => {
    const admin = await adminClient()
    const prefix = `ls${randomBytes(3).toString('hex')}`
    const created: { id: string, slug: string }[] = []
    for (const suffix of ['c', 'a', 'b']) {
      const res = await admin.post('/api/v1/admin/tenants', { json: tenantBody({ slug: `${prefix}${suffix}`, name: `Listing ${suffix.toUpperCase()} ${prefix}` }) })
      expect(res.status, res.text).toBe(201)
      created.push(res.body)
    }
    await admin.patch(`/api/v1/admin/tenants/${created[2]!.id}`, { json: { status: 'suspended' } })

    const all = await admin.get(`/api/v1/admin/tenants?q=${prefix}`)
    expect(all.status).toBe(200)
    expect(Object.keys(all.body).sort()).toEqual(['data', 'page', 'pageSize', 'total'])
    expect(all.body).toMatchObject({ page: 1, pageSize: 50, total: 3 })
    expect(all.body.data).toHaveLength(3)
    for (const t of all.body.data) {
      expect(Object.keys(t).sort()).toEqual(['baseCurrency', 'createdAt', 'fiscalYearStartMonth', 'id', 'name', 'slug', 'status', 'updatedAt', 'userCount'])
      expect(t.userCount).toBe(1)
    }
    // Newest first by default.
    expect(all.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}b`, `${prefix}a`, `${prefix}c`])

    const asc = await admin.get(`/api/v1/admin/tenants?q=${prefix}&sort=slug:asc`)
    expect(asc.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`])
    const desc = await admin.get(`/api/v1/admin/tenants?q=${prefix}&sort=name:desc`)
    expect(desc.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}c`, `${prefix}b`, `${prefix}a`])

    const byName = await admin.get(`/api/v1/admin/tenants?q=${encodeURIComponent(`listing a ${prefix}`)}`)
    expect(byName.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}a`])

    const suspended = await admin.get(`/api/v1/admin/tenants?q=${prefix}&status=suspended`)
    expect(suspended.body.total).toBe(1)
    expect(suspended.body.data[0].slug).toBe(`${prefix}b`)
    const active = await admin.get(`/api/v1/admin/tenants?q=${prefix}&status=active&sort=slug:asc`)
    expect(active.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}a`, `${prefix}c`])

    const page1 = await admin.get(`/api/v1/admin/tenants?q=${prefix}&sort=slug:asc&pageSize=2&page=1`)
    expect(page1.body).toMatchObject({ page: 1, pageSize: 2, total: 3 })
    expect(page1.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}a`, `${prefix}b`])
    const page2 = await admin.get(`/api/v1/admin/tenants?q=${prefix}&sort=slug:asc&pageSize=2&page=2`)
    expect(page2.body.data.map((t: { slug: string }) => t.slug)).toEqual([`${prefix}c`])
    const page3 = await admin.get(`/api/v1/admin/tenants?q=${prefix}&sort=slug:asc&pageSize=2&page=3`)
    expect(page3.body).toMatchObject({ data: [], total: 3 })
  })

  it('searches q as literal text: % and _ are not wildcards', async () => {
    const admin = await adminClient()
    const tenant = await createTenant()
    expect((await admin.get(`/api/v1/admin/tenants?q=${tenant.slug}`)).body.total).toBe(1)
    expect((await admin.get('/api/v1/admin/tenants?q=%25')).body.total).toBe(0)
    const underscored = tenant.slug.slice(0, 2) + '_' + tenant.slug.slice(3)
    expect((await admin.get(`/api/v1/admin/tenants?q=${underscored}`)).body.total).toBe(0)
  })

  it.each([
    ['sort=bogus:asc', 'sort'],
    ['sort=slug', 'sort'],
    ['status=deleted', 'status'],
    ['pageSize=500', 'pageSize'],
    ['page=0', 'page'],
    ['page=abc', 'page'],
  ])('refuses the list query %s with 400 and fields.%s', async (query, field) => {
    const admin = await adminClient()
    const res = await admin.get(`/api/v1/admin/tenants?${query}`)
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(res.body.data.fields[field]).toBeTruthy()
  })

  it('suspends and reactivates a tenant with PATCH {status}', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    const suspended = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'suspended' } })
    expect(suspended.status).toBe(200)
    expect(suspended.body).toMatchObject({ id: tenant.id, status: 'suspended', userCount: 1 })
    expect((await admin.get(`/api/v1/admin/tenants/${tenant.id}`)).body.status).toBe('suspended')
    const active = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'active' } })
    expect(active.status).toBe(200)
    expect(active.body.status).toBe('active')
  })

  it('renames a tenant with PATCH {name}', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    const res = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { name: 'Renamed Ltd' } })
    expect(res.status).toBe(200)
    expect(res.body.name).toBe('Renamed Ltd')
    expect((await tenant.asOwner.get('/api/v1/me')).body.tenant.name).toBe('Renamed Ltd')
  })

  it('refuses PATCH with an unknown field or status with 400, changing nothing', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    const unknown = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'suspended', slug: 'hijack' } })
    expectError(unknown, 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(unknown.body.data.fields)).toContain('slug')
    const badStatus = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'deleted' } })
    expectError(badStatus, 400, 'VALIDATION_FAILED')
    expect(badStatus.body.data.fields.status).toBeTruthy()
    expect((await admin.get(`/api/v1/admin/tenants/${tenant.id}`)).body).toMatchObject({ slug: tenant.slug, status: 'active' })
  })
})
