import { describe, expect, it } from 'vitest'
import { createTenant, request } from '../support/api'

/** Session cookies from a login response, as a Cookie header. */
function cookieHeader(setCookie: string | null): string {
  return (setCookie ?? '').split(/,(?=\s*__Host-|\s*paksa_)/).map(c => c.split(';')[0]!.trim()).join('; ')
}

describe('server-side rendering', () => {
  it('renders a signed-in tenant page on the server, its internal API calls keeping the tenant host', async () => {
    const tenant = await createTenant({ name: 'Rendered Ltd' })
    const login = await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: tenant.owner.email, password: tenant.owner.password } })
    expect(login.status).toBe(200)
    const page = await request('GET', tenant.host, '/', { headers: { cookie: cookieHeader(login.headers.get('set-cookie')), accept: 'text/html' } })
    expect(page.status).toBe(200)
    // Both come from GET /api/v1/me, fetched during SSR: only possible if the tenant host was forwarded.
    expect(page.text).toContain('Rendered Ltd')
    expect(page.text).toContain(tenant.owner.email)
  })

  it('sends a visitor without a session to the sign-in page', async () => {
    const tenant = await createTenant()
    const page = await request('GET', tenant.host, '/', { headers: { accept: 'text/html' } })
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toMatch(/^\/login/)
  })
})
