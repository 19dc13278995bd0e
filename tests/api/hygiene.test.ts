import { describe, expect, it } from 'vitest'
import { addMember, adminClient, createTenant, hosts, request, type ApiResponse } from '../support/api'

const port = () => hosts.apex().split(':')[1]!
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The stable error shape: statusCode, statusMessage, data.code; never a stack trace. */
function expectErrorShape(res: ApiResponse, status: number, code?: string) {
  expect(res.status, res.text).toBe(status)
  expect(res.headers.get('content-type')).toMatch(/application\/json/)
  expect(res.body.statusCode).toBe(status)
  expect(typeof res.body.statusMessage).toBe('string')
  expect(res.body.statusMessage.length).toBeGreaterThan(0)
  expect(typeof res.body.data.code).toBe('string')
  if (code) expect(res.body.data.code).toBe(code)
  expect(res.body).not.toHaveProperty('stack')
  expect(res.text).not.toMatch(/\bat .+\.(m?js|ts):\d+/)
  expect(res.text).not.toMatch(/node_modules|\.output\//)
}

describe('request ids', () => {
  it('puts X-Request-Id on every response: API JSON, page HTML, 404s and health', async () => {
    const tenant = await createTenant()
    const responses = [
      await tenant.asOwner.get('/api/v1/me'),
      await request('GET', tenant.host, '/login', { headers: { accept: 'text/html' } }),
      await request('GET', hosts.tenant('nosuchtenant'), '/api/v1/me'),
      await request('GET', hosts.tenant('nosuchtenant'), '/login', { headers: { accept: 'text/html' } }),
      await request('GET', `127.0.0.1:${port()}`, '/api/health'),
      await request('GET', tenant.host, '/api/v1/users'),
      await request('GET', hosts.admin(), '/api/v1/openapi.json'),
    ]
    const ids = responses.map(r => r.headers.get('x-request-id'))
    for (const id of ids) expect(id).toMatch(UUID)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('echoes a well-formed incoming X-Request-Id', async () => {
    const tenant = await createTenant()
    const id = 'trace-0123456789abcdef'
    expect((await tenant.asOwner.get('/api/v1/me', { headers: { 'x-request-id': id } })).headers.get('x-request-id')).toBe(id)
    expect((await request('GET', tenant.host, '/login', { headers: { 'x-request-id': id, 'accept': 'text/html' } })).headers.get('x-request-id')).toBe(id)
    expect((await request('GET', hosts.tenant('nosuchtenant'), '/api/v1/me', { headers: { 'x-request-id': id } })).headers.get('x-request-id')).toBe(id)
  })

  it('replaces a malformed incoming X-Request-Id with its own', async () => {
    for (const bad of ['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(65)]) {
      const res = await request('GET', `127.0.0.1:${port()}`, '/api/health', { headers: { 'x-request-id': bad } })
      expect(res.headers.get('x-request-id')).toMatch(UUID)
    }
  })
})

describe('caching and security headers', () => {
  it('sends Cache-Control: private, no-store on /api responses, errors included', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    const responses = [
      await tenant.asOwner.get('/api/v1/me'),
      await tenant.asOwner.get('/api/v1/users'),
      await admin.get('/api/v1/admin/tenants'),
      await request('GET', tenant.host, '/api/v1/openapi.json'),
      await request('GET', `127.0.0.1:${port()}`, '/api/health'),
      await request('GET', `127.0.0.1:${port()}`, '/api/ready'),
      await request('GET', tenant.host, '/api/v1/me'), // 401
      await tenant.asOwner.get('/api/v1/users/01890000-0000-7000-8000-00000000abcd'), // 404
      await request('GET', hosts.tenant('nosuchtenant'), '/api/v1/me'), // 404 from tenant resolution
      await request('GET', `127.0.0.1:${port()}`, '/api/v1/me'), // 404 unknown host
      await tenant.asOwner.post('/api/v1/users', { raw: '{', headers: { 'content-type': 'application/json' } }), // 400
    ]
    for (const res of responses) expect(res.headers.get('cache-control'), `${res.status} ${res.text.slice(0, 80)}`).toBe('private, no-store')
  })

  it('sends nosniff and DENY framing on API responses, pages and errors', async () => {
    const tenant = await createTenant()
    for (const res of [
      await tenant.asOwner.get('/api/v1/me'),
      await request('GET', tenant.host, '/login', { headers: { accept: 'text/html' } }),
      await request('GET', hosts.tenant('nosuchtenant'), '/api/v1/me'),
      await request('GET', hosts.tenant('nosuchtenant'), '/login', { headers: { accept: 'text/html' } }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    }
  })

  it('sends nosniff on static files too: the hashed /_nuxt/ assets and public/ files', async () => {
    const tenant = await createTenant()
    const page = await request('GET', tenant.host, '/login', { headers: { accept: 'text/html' } })
    const asset = /(\/_nuxt\/[\w.-]+\.js)/.exec(page.text)?.[1]
    expect(asset, 'a script of the page').toBeTruthy()
    for (const path of [asset!, '/favicon.svg']) {
      const res = await request('GET', tenant.host, path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
  })

  it('serves pages with a CSP whose script nonce matches the nonce on the page\'s scripts', async () => {
    const tenant = await createTenant()
    const res = await request('GET', tenant.host, '/login', { headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
    expect(nonce, csp).toBeTruthy()
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(res.text).toContain(`<script nonce="${nonce}"`)
    // Every inline script carries it.
    const inline = [...res.text.matchAll(/<script\b([^>]*)>/g)].map(m => m[1]!).filter(attrs => !/\bsrc=/.test(attrs))
    expect(inline.length).toBeGreaterThan(0)
    for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`)
    // A fresh nonce per response.
    const again = await request('GET', tenant.host, '/login', { headers: { accept: 'text/html' } })
    expect(again.headers.get('content-security-policy')).not.toBe(csp)
  })

  it('sends no HSTS over plain HTTP without a trusted proxy', async () => {
    const res = await request('GET', `127.0.0.1:${port()}`, '/api/health', { headers: { 'x-forwarded-proto': 'https' } })
    expect(res.headers.get('strict-transport-security')).toBeNull()
  })
})

describe('request bodies', () => {
  it('refuses malformed JSON with 400 MALFORMED_JSON', async () => {
    const tenant = await createTenant()
    const res = await tenant.asOwner.post('/api/v1/users', { raw: '{"email": "x@y.test",', headers: { 'content-type': 'application/json' } })
    expectErrorShape(res, 400, 'MALFORMED_JSON')
  })

  it('refuses a body that is not JSON with 400 UNSUPPORTED_MEDIA_TYPE', async () => {
    const tenant = await createTenant()
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await tenant.asOwner.post('/api/v1/users', { raw: 'email=x%40y.test&name=X&roles=viewer', headers: { 'content-type': type } })
      expectErrorShape(res, 400, 'UNSUPPORTED_MEDIA_TYPE')
    }
  })

  it('refuses a body over 1 MiB with 413 before reading it', async () => {
    const tenant = await createTenant()
    const huge = JSON.stringify({ email: 'x@y.test', name: 'x'.repeat(1024 * 1024), roles: ['viewer'] })
    const res = await tenant.asOwner.post('/api/v1/users', { raw: huge, headers: { 'content-type': 'application/json' } })
    expectErrorShape(res, 413, 'PAYLOAD_TOO_LARGE')
  })

  it('refuses text containing NUL characters with 400, not a database error', async () => {
    const tenant = await createTenant()
    const admin = await adminClient()
    const body = await tenant.asOwner.post('/api/v1/users', { json: { email: 'nul@y.test', name: 'a\u0000b', roles: ['viewer'] } })
    expectErrorShape(body, 400)
    expect(body.body.data.fields.name).toBeTruthy()
    const query = await admin.get('/api/v1/admin/tenants?q=a%00b')
    expectErrorShape(query, 400)
    expect(query.body.data.fields.q).toBeTruthy()
    const nested = await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { name: 'Evil\u0000Corp' } })
    expectErrorShape(nested, 400)
  })
})

describe('error bodies', () => {
  it('have statusCode, statusMessage and data.code, and never a stack, for 400/401/403/404/409', async () => {
    const tenant = await createTenant()
    const viewer = await addMember(tenant, ['viewer'])
    expectErrorShape(await tenant.asOwner.post('/api/v1/users', { json: { email: 'nope' } }), 400, 'VALIDATION_FAILED')
    expectErrorShape(await request('GET', tenant.host, '/api/v1/me'), 401, 'UNAUTHENTICATED')
    expectErrorShape(await viewer.client.post('/api/v1/users', { json: { email: 'v@y.test', name: 'V', roles: ['viewer'] } }), 403, 'FORBIDDEN')
    expectErrorShape(await tenant.asOwner.get('/api/v1/users/01890000-0000-7000-8000-00000000abcd'), 404, 'NOT_FOUND')
    expectErrorShape(await request('GET', hosts.tenant('nosuchtenant'), '/api/v1/me'), 404, 'TENANT_NOT_FOUND')
    expectErrorShape(await (await adminClient()).post('/api/v1/admin/tenants', { json: { slug: tenant.slug, name: 'X', owner: { email: 'x@y.test', name: 'X', password: 'a-good-long-password' } } }), 409, 'SLUG_TAKEN')
    const fields = await tenant.asOwner.post('/api/v1/users', { json: { email: 'nope', name: ' ', roles: [] } })
    expect(fields.body.data.fields).toMatchObject({ email: expect.any(String), name: expect.any(String), roles: expect.any(String) })
  })

  it('answer an unknown /api route with a JSON 404, not a page or a redirect (a known path with a wrong method is 405: input-limits.test.ts)', async () => {
    const tenant = await createTenant()
    for (const [method, path] of [['GET', '/api/v1/nope'], ['GET', '/api/nothing/here'], ['POST', '/api/v1/nope/deeper'], ['DELETE', '/api/v1/users-list']]) {
      const res = await tenant.asOwner[method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete'](path!)
      expectErrorShape(res, 404, 'NOT_FOUND')
      expect(res.headers.get('location')).toBeNull()
      expect(res.headers.get('cache-control')).toBe('private, no-store')
    }
    const anonymous = await request('GET', tenant.host, '/api/v1/nope', { headers: { accept: 'text/html' } })
    expectErrorShape(anonymous, 404, 'NOT_FOUND')
  })

  // A 500 with this shape is provoked in tests/integration/internal-error.test.ts, which breaks a
  // database of its own; this shared server's database must stay intact for the other tests.
})

describe('the OpenAPI document and the reference', () => {
  it('serves /api/v1/openapi.json publicly as OpenAPI 3.1 on every known host', async () => {
    const tenant = await createTenant()
    for (const host of [tenant.host, hosts.admin(), hosts.apex()]) {
      const res = await request('GET', host, '/api/v1/openapi.json')
      expect(res.status, host).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      expect(res.body.openapi).toMatch(/^3\.1\./)
      expect(res.body.paths['/api/v1/users'].post.requestBody).toBeDefined()
      expect(res.body.paths['/api/v1/admin/tenants'].get).toBeDefined()
    }
  })

  it('does not serve the document on an unknown host', async () => {
    expect((await request('GET', hosts.tenant('nosuchtenant'), '/api/v1/openapi.json')).status).toBe(404)
  })

  it('serves /api/docs as Scalar\'s reference, its script from this server with a nonce CSP and no CDN', async () => {
    const res = await request('GET', hosts.apex(), '/api/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/text\/html/)
    expect(res.text).toMatch(/^<!doctype html>/i)
    const csp = res.headers.get('content-security-policy') ?? ''
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1]
    expect(nonce, csp).toBeTruthy()
    expect(csp).toMatch(/default-src 'none'/)
    expect(res.text).toContain('Scalar.createApiReference')
    expect(res.text).toContain('/api/v1/openapi.json')
    expect(res.text).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/)
    const src = /<script src="(\/api\/docs\/reference\.[\w-]+\.js)"/.exec(res.text)?.[1]
    expect(src, 'the renderer\'s script tag').toBeTruthy()
    const script = await request('GET', hosts.apex(), src!)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })
})
