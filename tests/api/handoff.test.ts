/**
 * Switching organisation without typing the password again (server/domain/identity/handoff.ts):
 * `GET /api/v1/me/organisations` lists the person's own active memberships, `POST
 * /api/v1/me/handoffs` issues a one-time token (60 s) for another of them, and the target host
 * exchanges it for a session (`POST /api/v1/auth/handoff`). A token is for one person and one
 * tenant, and spent once; an expired, spent, foreign or orphaned one is 401 HANDOFF_INVALID.
 */
import { createHash, randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminClient, client, createTenant, hosts, invitationToken, request, type ApiResponse, type TestTenant } from '../support/api'

/** The database owner: audit rows, and token rows written directly (an expired one, without waiting a minute). */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

function expectError(res: ApiResponse, status: number, code: string) {
  expect(res.status, res.text).toBe(status)
  expect(res.body.data.code).toBe(code)
}

/** The token in a handoff link's fragment, after checking the link goes to `slug`'s /handoff page. */
function tokenOf(url: string, slug: string): string {
  const link = new URL(url)
  expect(`${link.host}${link.pathname}`).toBe(`${hosts.tenant(slug)}/handoff`)
  expect(link.search).toBe('')
  const token = new URLSearchParams(link.hash.slice(1)).get('token')
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  return token!
}

const exchange = (slug: string, token: string) => request('POST', hosts.tenant(slug), '/api/v1/auth/handoff', { json: { token } })

/** The owner of `from` joins `to` with `roles`, accepting the invitation with their existing password. */
async function join(from: TestTenant, to: TestTenant, roles: string[]) {
  const invited = await to.asOwner.post('/api/v1/users', { json: { email: from.owner.email, roles } })
  expect(invited.status, invited.text).toBe(201)
  const token = await invitationToken(to.id, from.owner.email)
  const accepted = await request('POST', to.host, `/api/v1/invitations/${token}/accept`, { json: { password: from.owner.password } })
  expect(accepted.status, accepted.text).toBe(200)
}

async function suspend(tenant: TestTenant, status: 'suspended' | 'active') {
  const admin = await adminClient()
  expect((await admin.patch(`/api/v1/admin/tenants/${tenant.id}`, { json: { status } })).status).toBe(200)
}

/** The person: owner of `home`, viewer in `second`, accountant in `paused` (suspended); not in `stranger`. */
let home: TestTenant
let second: TestTenant
let paused: TestTenant
let stranger: TestTenant

beforeAll(async () => {
  ;[home, second, paused, stranger] = await Promise.all([
    createTenant({ name: 'Home Ltd' }), createTenant({ name: 'Second Ltd' }), createTenant({ name: 'Paused Ltd' }), createTenant({ name: 'Stranger Ltd' }),
  ])
  await join(home, second, ['viewer'])
  await join(home, paused, ['accountant'])
  await suspend(paused, 'suspended')
})

describe('GET /api/v1/me/organisations', () => {
  it('lists the person\'s active memberships in active organisations, this one marked current, and nothing of anyone else', async () => {
    const res = await home.asOwner.get('/api/v1/me/organisations')
    expect(res.status, res.text).toBe(200)
    expect(res.body.data).toEqual([
      { slug: home.slug, name: 'Home Ltd', url: `http://${hosts.tenant(home.slug)}/`, roles: ['owner'], current: true },
      { slug: second.slug, name: 'Second Ltd', url: `http://${hosts.tenant(second.slug)}/`, roles: ['viewer'], current: false },
    ])
    // From the other host, the same list with the other one current.
    const session = await exchange(second.slug, tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } })).body.url, second.slug))
    const there = await client(second.host, session.body.accessToken).get('/api/v1/me/organisations')
    expect(there.body.data.map((o: { slug: string, current: boolean }) => [o.slug, o.current])).toEqual([[home.slug, false], [second.slug, true]])
    // Another person sees only their own.
    expect((await stranger.asOwner.get('/api/v1/me/organisations')).body.data.map((o: { slug: string }) => o.slug)).toEqual([stranger.slug])
  })

  it('is for signed-in members only', async () => {
    expectError(await request('GET', home.host, '/api/v1/me/organisations'), 401, 'UNAUTHENTICATED')
  })
})

describe('switching with a handoff token', () => {
  it('signs the person in on the other host as themselves with their roles there, sets that host\'s cookies and audits the sign-in', async () => {
    const issued = await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } })
    expect(issued.status, issued.text).toBe(201)
    const seconds = (Date.parse(issued.body.expiresAt) - Date.now()) / 1000
    expect(seconds).toBeGreaterThan(30)
    expect(seconds).toBeLessThanOrEqual(60)

    const res = await exchange(second.slug, tokenOf(issued.body.url, second.slug))
    expect(res.status, res.text).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'user'])
    expect(res.body.user.id).toBe(home.owner.id)
    expect(res.headers.getSetCookie().filter(c => /paksa_(at|rt)=/.test(c))).toHaveLength(2)
    const me = await client(second.host, res.body.accessToken).get('/api/v1/me')
    expect(me.body).toMatchObject({ user: { id: home.owner.id }, tenant: { id: second.id }, roles: ['viewer'] })
    // The session is a real one: its refresh token rotates on this host.
    expect((await request('POST', second.host, '/api/v1/auth/refresh', { json: { refreshToken: res.body.refreshToken } })).status).toBe(200)

    const events = await sql<{ action: string, actor_id: string, after: Record<string, string> | null }[]>`
      select action, actor_id, after from audit_events where tenant_id = ${second.id} and entity_id = ${home.owner.id} order by seq`
    expect(events).toEqual(expect.arrayContaining([
      { action: 'auth.handoff_issued', actor_id: home.owner.id, after: { from: home.slug } },
      { action: 'auth.login', actor_id: home.owner.id, after: { method: 'handoff', purpose: 'switch' } },
    ]))
  })

  it('is spent by its first use: a second exchange is 401 HANDOFF_INVALID', async () => {
    const token = tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } })).body.url, second.slug)
    expect((await exchange(second.slug, token)).status).toBe(200)
    expectError(await exchange(second.slug, token), 401, 'HANDOFF_INVALID')
  })

  it('of two exchanges at once with one token, exactly one gets a session', async () => {
    const token = tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } })).body.url, second.slug)
    const answers = await Promise.all([exchange(second.slug, token), exchange(second.slug, token), exchange(second.slug, token)])
    expect(answers.map(a => a.status).sort()).toEqual([200, 401, 401])
  })

  it('is for one tenant: presented on another tenant\'s host it is 401 HANDOFF_INVALID and stays usable where it belongs', async () => {
    const token = tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } })).body.url, second.slug)
    expectError(await exchange(home.slug, token), 401, 'HANDOFF_INVALID')
    expectError(await exchange(stranger.slug, token), 401, 'HANDOFF_INVALID')
    const res = await exchange(second.slug, token)
    expect(res.status, res.text).toBe(200)
    expect(res.body.user.id).toBe(home.owner.id)
  })

  it('is only issued for the person\'s own active organisations: another one\'s, a suspended one and an unknown one are 404 ORGANISATION_NOT_FOUND', async () => {
    for (const slug of [stranger.slug, paused.slug, 'nosuchorg']) {
      expectError(await home.asOwner.post('/api/v1/me/handoffs', { json: { slug } }), 404, 'ORGANISATION_NOT_FOUND')
    }
    // The other person cannot get one for the person's organisations either.
    expectError(await stranger.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } }), 404, 'ORGANISATION_NOT_FOUND')
    expectError(await request('POST', home.host, '/api/v1/me/handoffs', { json: { slug: second.slug } }), 401, 'UNAUTHENTICATED')
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from handoff_tokens where tenant_id in ${sql([stranger.id, paused.id])}`
    expect(row!.n).toBe(0)
  })

  it('is refused once expired (401 HANDOFF_INVALID), while a fresh row written the same way works', async () => {
    const expired = randomBytes(32).toString('base64url')
    const fresh = randomBytes(32).toString('base64url')
    const hash = (t: string) => createHash('sha256').update(t).digest('hex')
    await sql`insert into handoff_tokens (tenant_id, user_id, purpose, token_hash, expires_at) values
      (${second.id}, ${home.owner.id}, 'switch', ${hash(expired)}, now() - interval '1 second'),
      (${second.id}, ${home.owner.id}, 'switch', ${hash(fresh)}, now() + interval '60 seconds')`
    expectError(await exchange(second.slug, expired), 401, 'HANDOFF_INVALID')
    expect((await exchange(second.slug, fresh)).status).toBe(200)
  })

  it('is refused when the membership was removed after it was issued (401 HANDOFF_INVALID)', async () => {
    const leaving = await createTenant({ name: 'Leaving Ltd' })
    await join(home, leaving, ['viewer'])
    const token = tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: leaving.slug } })).body.url, leaving.slug)
    expect((await leaving.asOwner.delete(`/api/v1/users/${home.owner.id}`)).status).toBe(200)
    expectError(await exchange(leaving.slug, token), 401, 'HANDOFF_INVALID')
    expect((await home.asOwner.get('/api/v1/me/organisations')).body.data.map((o: { slug: string }) => o.slug)).not.toContain(leaving.slug)
  })

  it('is refused while the organisation is suspended (403 TENANT_SUSPENDED), which changes nothing', async () => {
    const halted = await createTenant({ name: 'Halted Ltd' })
    await join(home, halted, ['viewer'])
    const token = tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: halted.slug } })).body.url, halted.slug)
    await suspend(halted, 'suspended')
    expectError(await exchange(halted.slug, token), 403, 'TENANT_SUSPENDED')
    const [row] = await sql<{ used_at: Date | null }[]>`select used_at from handoff_tokens where tenant_id = ${halted.id} and token_hash = ${createHash('sha256').update(token).digest('hex')}`
    expect(row).toEqual({ used_at: null })
  })

  it('refuses a malformed token (400) and a well-formed unknown one (401 HANDOFF_INVALID)', async () => {
    expectError(await exchange(second.slug, 'not-a-token'), 400, 'VALIDATION_FAILED')
    expectError(await exchange(second.slug, randomBytes(32).toString('base64url')), 401, 'HANDOFF_INVALID')
  })

  it('needs no CSRF token on the target host, even with that host\'s stale cookies (it carries no session yet)', async () => {
    const token = tokenOf((await home.asOwner.post('/api/v1/me/handoffs', { json: { slug: second.slug } })).body.url, second.slug)
    const res = await request('POST', second.host, '/api/v1/auth/handoff', { json: { token }, headers: { cookie: '__Host-paksa_rt=stale; __Host-paksa_csrf=stale' } })
    expect(res.status, res.text).toBe(200)
  })
})
