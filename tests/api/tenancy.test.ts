import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { adminClient, client, createTenant, hosts, login, request, type ApiResponse } from '../support/api'

const port = () => hosts.apex().split(':')[1]!

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status)
  expect(res.body.statusCode).toBe(status)
  expect(res.body.data.code).toBe(code)
}

describe('tenant resolution from the host', () => {
  it('answers an unknown tenant slug with a JSON 404 TENANT_NOT_FOUND', async () => {
    const res = await request('GET', hosts.tenant(`nosuch${randomBytes(3).toString('hex')}`), '/api/v1/me')
    expectError(res, 404, 'TENANT_NOT_FOUND')
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
  })

  it('answers a page request on an unknown tenant with a 404 page', async () => {
    const res = await request('GET', hosts.tenant(`nosuch${randomBytes(3).toString('hex')}`), '/login', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(res.text).toMatch(/<html/i)
  })

  it('answers a reserved slug host (api.) with 404 and never treats it as a tenant', async () => {
    for (const slug of ['api', 'app', 'docs', 'status']) {
      const res = await request('GET', hosts.tenant(slug), '/api/v1/me')
      expect(res.status, slug).toBe(404)
      expect(res.body.data.code).toBe('UNKNOWN_HOST')
    }
  })

  it('answers a foreign domain with 404', async () => {
    const res = await request('GET', `acme.example.com:${port()}`, '/api/v1/me')
    expectError(res, 404, 'UNKNOWN_HOST')
  })

  it('answers a nested host under a tenant with 404', async () => {
    const tenant = await createTenant()
    const res = await request('GET', `x.${tenant.slug}.localhost:${port()}`, '/api/v1/me', { token: tenant.owner.token })
    expectError(res, 404, 'UNKNOWN_HOST')
  })

  it('answers API routes on a bare IP with 404', async () => {
    const res = await request('GET', `127.0.0.1:${port()}`, '/api/v1/me')
    expectError(res, 404, 'UNKNOWN_HOST')
  })

  it('resolves the tenant whatever the case of the Host header', async () => {
    const tenant = await createTenant()
    const res = await request('GET', hosts.tenant(tenant.slug.toUpperCase()), '/api/v1/me', { token: tenant.owner.token })
    expect(res.status).toBe(200)
    expect(res.body.tenant.slug).toBe(tenant.slug)
  })
})

describe('health and readiness', () => {
  const anyHost = () => [`127.0.0.1:${port()}`, `nosuch${randomBytes(3).toString('hex')}.localhost:${port()}`, `foreign.example.org`, hosts.admin(), hosts.apex(), `api.localhost:${port()}`]

  it('GET /api/health answers 200 on any host, bare IPs and unknown hosts included', async () => {
    for (const host of anyHost()) {
      const res = await request('GET', host, '/api/health')
      expect(res.status, host).toBe(200)
      expect(res.body).toEqual({ status: 'ok' })
    }
  })

  it('GET /api/ready answers 200 with its checks on any host, bare IPs and unknown hosts included', async () => {
    for (const host of anyHost()) {
      const res = await request('GET', host, '/api/ready')
      expect(res.status, host).toBe(200)
      expect(res.body.status).toBe('ready')
      expect(res.body.checks.database).toBe('ok')
    }
  })

  it('answers health on a suspended tenant host too (no tenant resolution)', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    expect((await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'suspended' } })).status).toBe(200)
    expect((await request('GET', tenant.host, '/api/health')).status).toBe(200)
    expect((await request('GET', tenant.host, '/api/ready')).status).toBe(200)
  })
})

describe('a suspended tenant', () => {
  it('is refused with 403 TENANT_SUSPENDED from the very next request, and works again once reactivated', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    // A first request resolves (and caches) the tenant.
    expect((await tenant.asOwner.get('/api/v1/me')).status).toBe(200)

    const suspended = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'suspended' } })
    expect(suspended.status).toBe(200)
    expect(suspended.body.status).toBe('suspended')

    const me = await tenant.asOwner.get('/api/v1/me')
    expectError(me, 403, 'TENANT_SUSPENDED')
    expect(me.body.statusMessage).toMatch(/suspended/i)

    const signIn = await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
    expectError(signIn, 403, 'TENANT_SUSPENDED')

    const page = await request('GET', tenant.host, '/login', { headers: { accept: 'text/html' } })
    expect(page.status).toBe(403)

    const reactivated = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status: 'active' } })
    expect(reactivated.status).toBe(200)
    expect(reactivated.body.status).toBe('active')
    const again = await tenant.asOwner.get('/api/v1/me')
    expect(again.status).toBe(200)
    expect(again.body.tenant.slug).toBe(tenant.slug)
  })

  it('does not affect other tenants', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()])
    const admin = await adminClient()
    await admin.patch(`/api/v1/admin/tenants/${a.id}`, { json: { status: 'suspended' } })
    expect((await a.asOwner.get('/api/v1/me')).status).toBe(403)
    expect((await b.asOwner.get('/api/v1/me')).status).toBe(200)
  })
})

describe('forwarded headers without TRUST_PROXY', () => {
  it('ignores X-Forwarded-Host: a request with Host = tenant A and X-Forwarded-Host = tenant B acts on A', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()])
    const forwarded = { 'x-forwarded-host': b.host }

    const me = await request('GET', a.host, '/api/v1/me', { token: a.owner.token, headers: forwarded })
    expect(me.status).toBe(200)
    expect(me.body.tenant.slug).toBe(a.slug)

    // B's token is not good on A's host, whatever X-Forwarded-Host says.
    const foreign = await request('GET', a.host, '/api/v1/me', { token: b.owner.token, headers: forwarded })
    expect(foreign.status).toBe(401)

    // Signing in uses A's members: A's owner gets in, B's owner does not.
    const asA = await request('POST', a.host, '/api/v1/auth/login', { headers: forwarded, json: { email: a.owner.email, password: a.owner.password } })
    expect(asA.status).toBe(200)
    const asB = await request('POST', a.host, '/api/v1/auth/login', { headers: forwarded, json: { email: b.owner.email, password: b.owner.password } })
    expect(asB.status).toBe(401)

    // Writes land in A.
    const email = `${randomBytes(4).toString('hex')}@fwd.test`
    const created = await request('POST', a.host, '/api/v1/users', { token: a.owner.token, headers: forwarded, json: { email, name: 'Forwarded', roles: ['viewer'] } })
    expect(created.status).toBe(201)
    const inA = await a.asOwner.get(`/api/v1/users?q=${encodeURIComponent(email)}`)
    expect(inA.body.total).toBe(1)
    const inB = await b.asOwner.get(`/api/v1/users?q=${encodeURIComponent(email)}`)
    expect(inB.body.total).toBe(0)
  })

  it('does not let X-Forwarded-Host turn an unknown host into a tenant', async () => {
    const tenant = await createTenant()
    const res = await request('GET', `foreign.example.org`, '/api/v1/me', { token: tenant.owner.token, headers: { 'x-forwarded-host': tenant.host } })
    expectError(res, 404, 'UNKNOWN_HOST')
  })

  it('ignores X-Forwarded-For: failed sign-ins are counted for the real client address', async () => {
    const tenant = await createTenant()
    const email = `${randomBytes(4).toString('hex')}@nobody.test`
    for (let i = 1; i <= 10; i++) {
      const res = await request('POST', tenant.host, '/api/v1/auth/login', { headers: { 'x-forwarded-for': `203.0.113.${i}` }, json: { email, password: 'wrong-password-123' } })
      expect(res.status, `attempt ${i}`).toBe(401)
    }
    // A new forwarded address does not reset the count: it is not trusted.
    const res = await request('POST', tenant.host, '/api/v1/auth/login', { headers: { 'x-forwarded-for': '198.51.100.7' }, json: { email, password: 'wrong-password-123' } })
    expectError(res, 429, 'TOO_MANY_ATTEMPTS')
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    // The owner (another account) can still sign in from the same address.
    await expect(login(tenant.host, tenant.owner.email, tenant.owner.password)).resolves.toMatchObject({ user: { id: tenant.owner.id } })
  }, 60_000)
})

describe('tenant isolation of tokens', () => {
  it('refuses tenant A\'s token on tenant B\'s host with 401', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()])
    const res = await client(b.host, a.owner.token).get('/api/v1/me')
    expectError(res, 401, 'UNAUTHENTICATED')
  })
})
