/**
 * Members of a tenant as the `/api/v1/users` resource (SPEC §4 users and memberships, §5 API
 * conventions, §7 bad input): list, invite, read, update, delete, the ownership rules, RBAC,
 * tenant isolation by id, all-or-nothing writes and Idempotency-Key. Adding a member always
 * invites, and the tenant learns nothing about an existing account before it accepts.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createTenant, invitationToken, login, request, strongPassword, type TestTenant } from '../support/api'

const email = (prefix = 'm') => `${prefix}-${randomBytes(4).toString('hex')}@member.test`
const newUser = (roles: string[] = ['viewer']) => ({ email: email(), name: 'New Member', roles })

async function memberIds(tenant: TestTenant): Promise<string[]> {
  const res = await tenant.asOwner.get('/api/v1/users?pageSize=200')
  expect(res.status).toBe(200)
  return res.body.data.map((u: { id: string }) => u.id).sort()
}

async function auditEventCount(tenant: TestTenant): Promise<number> {
  const res = await tenant.asOwner.get('/api/v1/audit/verify')
  expect(res.status).toBe(200)
  return res.body.events
}

describe('GET /api/v1/users', () => {
  let tenant: TestTenant
  const people = [
    { email: 'carol@list.test', name: 'Carol Zed' },
    { email: 'alice@list.test', name: 'Alice Young' },
    { email: 'bob@list.test', name: 'Bob 100%_Xavier' },
  ]
  beforeAll(async () => {
    tenant = await createTenant()
    for (const p of people) {
      const res = await tenant.asOwner.post('/api/v1/users', { json: { ...p, email: p.email.replace('@', `.${tenant.slug}@`), roles: ['viewer'] } })
      expect(res.status).toBe(201)
    }
  })

  it('answers {data, page, pageSize, total} with the members of this tenant only', async () => {
    const other = await createTenant()
    const res = await tenant.asOwner.get('/api/v1/users')
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['data', 'page', 'pageSize', 'total'])
    expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 4 })
    expect(res.body.data).toHaveLength(4)
    const emails = res.body.data.map((u: { email: string }) => u.email)
    expect(emails).toContain(tenant.owner.email)
    expect(emails).not.toContain(other.owner.email)
    for (const u of res.body.data) {
      expect(Object.keys(u).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'roles', 'status', 'updatedAt', 'version'])
      expect(u).not.toHaveProperty('passwordHash')
    }
  })

  it('pages through the list with page and pageSize, total counting all matches', async () => {
    const p1 = await tenant.asOwner.get('/api/v1/users?page=1&pageSize=3&sort=email:asc')
    const p2 = await tenant.asOwner.get('/api/v1/users?page=2&pageSize=3&sort=email:asc')
    const p3 = await tenant.asOwner.get('/api/v1/users?page=3&pageSize=3&sort=email:asc')
    expect(p1.body).toMatchObject({ page: 1, pageSize: 3, total: 4 })
    expect(p1.body.data).toHaveLength(3)
    expect(p2.body).toMatchObject({ page: 2, pageSize: 3, total: 4 })
    expect(p2.body.data).toHaveLength(1)
    expect(p3.body.data).toEqual([])
    const all = [...p1.body.data, ...p2.body.data].map((u: { id: string }) => u.id)
    expect(new Set(all).size).toBe(4)
  })

  it('sorts by field:asc and field:desc', async () => {
    const asc = await tenant.asOwner.get('/api/v1/users?sort=email:asc')
    const desc = await tenant.asOwner.get('/api/v1/users?sort=email:desc')
    const ascEmails = asc.body.data.map((u: { email: string }) => u.email)
    expect(ascEmails).toEqual([...ascEmails].sort())
    expect(desc.body.data.map((u: { email: string }) => u.email)).toEqual([...ascEmails].reverse())
    const byName = await tenant.asOwner.get('/api/v1/users?sort=name:asc')
    expect(byName.body.data.map((u: { name: string }) => u.name)).toEqual(['Alice Young', 'Bob 100%_Xavier', 'Carol Zed', 'Owner'])
  })

  it('filters with q on e-mail and name, case-insensitively and with % and _ taken literally', async () => {
    const byName = await tenant.asOwner.get('/api/v1/users?q=young')
    expect(byName.body.total).toBe(1)
    expect(byName.body.data[0].name).toBe('Alice Young')
    const byEmail = await tenant.asOwner.get(`/api/v1/users?q=${encodeURIComponent(`CAROL.${tenant.slug}`)}`)
    expect(byEmail.body.total).toBe(1)
    expect(byEmail.body.data[0].name).toBe('Carol Zed')
    const literal = await tenant.asOwner.get(`/api/v1/users?q=${encodeURIComponent('100%_')}`)
    expect(literal.body.data.map((u: { name: string }) => u.name)).toEqual(['Bob 100%_Xavier'])
    expect((await tenant.asOwner.get(`/api/v1/users?q=${encodeURIComponent('%')}`)).body.total).toBe(1)
    expect((await tenant.asOwner.get('/api/v1/users?q=nobody-matches-this')).body).toMatchObject({ data: [], total: 0 })
  })

  it('refuses a bad page, pageSize or sort (400 with fields)', async () => {
    for (const [query, field] of [['page=0', 'page'], ['pageSize=201', 'pageSize'], ['pageSize=abc', 'pageSize'], ['sort=password:asc', 'sort'], ['sort=email', 'sort']] as const) {
      const res = await tenant.asOwner.get(`/api/v1/users?${query}`)
      expect(res.status, query).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
      expect(res.body.data.fields).toHaveProperty(field)
    }
  })

  it('requires a signed-in member (401)', async () => {
    expect((await request('GET', tenant.host, '/api/v1/users')).status).toBe(401)
  })
})

describe('POST /api/v1/users', () => {
  let tenant: TestTenant
  beforeAll(async () => {
    tenant = await createTenant()
  })

  it('invites: 201 with the pending member {status: "invited"} as the admin typed it; accepting makes it an active member who signs in', async () => {
    const body = newUser(['accountant', 'viewer', 'accountant'])
    const res = await tenant.asOwner.post('/api/v1/users', { json: { ...body, email: body.email.toUpperCase() } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ email: body.email, name: 'New Member', roles: ['accountant', 'viewer'], status: 'invited', version: 1 })
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt)
    expect(res.body).not.toHaveProperty('password')
    const got = await tenant.asOwner.get(`/api/v1/users/${res.body.id}`)
    expect(got.body).toEqual(res.body)
    // Not a member until they accept: no sign-in here.
    const password = strongPassword()
    expect((await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: body.email, password } })).status).toBe(401)

    const token = await invitationToken(tenant.id, body.email)
    expect((await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { name: 'Nina New', password } })).status).toBe(200)
    const session = await login(tenant.host, body.email, password)
    const active = await tenant.asOwner.get(`/api/v1/users/${session.user.id}`)
    expect(active.body).toMatchObject({ id: session.user.id, email: body.email, name: 'Nina New', roles: ['accountant', 'viewer'], status: 'active' })
    expect((await tenant.asOwner.get(`/api/v1/users/${res.body.id}`)).status).toBe(404)
  })

  it('takes no name: the pending member has name null until they accept', async () => {
    const res = await tenant.asOwner.post('/api/v1/users', { json: { email: email(), roles: ['viewer'] } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ name: null, status: 'invited' })
  })

  it('refuses invalid input with field paths (400 VALIDATION_FAILED)', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['bad e-mail', { ...newUser(), email: 'not-an-email' }, 'email'],
      ['empty roles', { ...newUser(), roles: [] }, 'roles'],
      ['unknown role', { ...newUser(), roles: ['viewer', 'superuser'] }, 'roles.1'],
      ['empty name', { ...newUser(), name: ' ' }, 'name'],
    ]
    for (const [what, body, field] of cases) {
      const res = await tenant.asOwner.post('/api/v1/users', { json: body })
      expect(res.status, what).toBe(400)
      expect(res.body.data.code, what).toBe('VALIDATION_FAILED')
      expect(res.body.data.fields, what).toHaveProperty([field])
    }
  })

  it('refuses an unknown field, a password among them (400 VALIDATION_FAILED naming the field), and creates nothing', async () => {
    const before = await memberIds(tenant)
    for (const extra of [{ isSuperuser: true }, { password: strongPassword() }]) {
      const res = await tenant.asOwner.post('/api/v1/users', { json: { ...newUser(), ...extra } })
      expect(res.status).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
      const fields = Object.entries(res.body.data.fields as Record<string, string>)
      expect(fields.some(([path, message]) => `${path} ${message}`.includes(Object.keys(extra)[0]!))).toBe(true)
    }
    expect(await memberIds(tenant)).toEqual(before)
  })

  it('refuses a body that is not JSON (400) and never answers 500', async () => {
    const res = await request('POST', tenant.host, '/api/v1/users', { token: tenant.owner.token, raw: '{"email":', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
    expect(res.body.data.code).toBe('MALFORMED_JSON')
  })

  it('answers an existing platform account exactly like a new e-mail: same status, same fields, nothing about the account', async () => {
    const elsewhere = await createTenant()
    const fresh = email('fresh')
    const answers = await Promise.all([elsewhere.owner.email, fresh].map(e =>
      tenant.asOwner.post('/api/v1/users', { json: { email: e, name: 'Typed By Admin', roles: ['auditor'] } })))
    const shape = (r: typeof answers[number], e: string) => {
      const { id, createdAt, updatedAt, ...rest } = r.body
      expect(id).not.toBe(elsewhere.owner.id)
      expect(Date.parse(createdAt)).toBeGreaterThan(Date.now() - 60_000)
      expect(updatedAt).toBe(createdAt)
      return { status: r.status, headerNames: [...r.headers.keys()].sort(), body: { ...rest, email: rest.email === e ? 'E' : rest.email } }
    }
    expect(shape(answers[0]!, elsewhere.owner.email)).toEqual(shape(answers[1]!, fresh))
    expect(answers[0]!.body).toMatchObject({ email: elsewhere.owner.email, name: 'Typed By Admin', status: 'invited' })
    // The list and the detail show only what the admin typed: not the account's id, not its name ("Owner").
    const list = await tenant.asOwner.get('/api/v1/users?pageSize=200')
    expect(JSON.stringify(list.body)).not.toContain(elsewhere.owner.id)
    expect(list.body.data.find((u: { email: string }) => u.email === elsewhere.owner.email)).toMatchObject({ name: 'Typed By Admin', status: 'invited' })
    expect(list.body.data.filter((u: { name: string }) => u.name === 'Owner').map((u: { email: string }) => u.email)).toEqual([tenant.owner.email])
    expect((await tenant.asOwner.get(`/api/v1/users/${answers[0]!.body.id}`)).body).toEqual(answers[0]!.body)
    expect((await tenant.asOwner.get(`/api/v1/users/${elsewhere.owner.id}`)).status).toBe(404)
    // Their account is untouched and not a member here until they accept.
    expect((await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: elsewhere.owner.email, password: elsewhere.owner.password } })).status).toBe(401)
    await login(elsewhere.host, elsewhere.owner.email, elsewhere.owner.password)
  })

  it('shows an existing account\'s own name and id only after it accepts with its own password, which stays as it was', async () => {
    const elsewhere = await createTenant()
    const invited = await tenant.asOwner.post('/api/v1/users', { json: { email: elsewhere.owner.email, roles: ['viewer'] } })
    expect(invited.body.name).toBeNull()
    const token = await invitationToken(tenant.id, elsewhere.owner.email)
    const info = await request('GET', tenant.host, `/api/v1/invitations/${token}`)
    expect(info.body).toMatchObject({ email: elsewhere.owner.email, newAccount: false })

    const wrong = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password: strongPassword() } })
    expect(wrong.status).toBe(422)
    expect(wrong.body.data.code).toBe('WRONG_PASSWORD')
    expect((await tenant.asOwner.get(`/api/v1/users/${invited.body.id}`)).body).toMatchObject({ status: 'invited', name: null })

    const ok = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { name: 'Ignored Rename', password: elsewhere.owner.password } })
    expect(ok.status, ok.text).toBe(200)
    const member = await tenant.asOwner.get(`/api/v1/users/${elsewhere.owner.id}`)
    expect(member.body).toMatchObject({ id: elsewhere.owner.id, email: elsewhere.owner.email, name: 'Owner', roles: ['viewer'], status: 'active' })
    const here = await login(tenant.host, elsewhere.owner.email, elsewhere.owner.password)
    expect(here.user.id).toBe(elsewhere.owner.id)
    await login(elsewhere.host, elsewhere.owner.email, elsewhere.owner.password)
  })

  it('refuses a person who is already a member, or already invited (409 ALREADY_MEMBER)', async () => {
    const member = await addMember(tenant, ['viewer'])
    const before = await memberIds(tenant)
    const res = await tenant.asOwner.post('/api/v1/users', { json: { email: member.email.toUpperCase(), name: 'Again', roles: ['admin'] } })
    expect(res.status).toBe(409)
    expect(res.body.data.code).toBe('ALREADY_MEMBER')
    expect(await memberIds(tenant)).toEqual(before)
    expect((await tenant.asOwner.get(`/api/v1/users/${member.id}`)).body.roles).toEqual(['viewer'])

    const pending = newUser()
    expect((await tenant.asOwner.post('/api/v1/users', { json: pending })).status).toBe(201)
    const twice = await tenant.asOwner.post('/api/v1/users', { json: { ...pending, roles: ['admin'] } })
    expect(twice.status).toBe(409)
    expect(twice.body.data.code).toBe('ALREADY_MEMBER')
  })
})

describe('pending members (invitations)', () => {
  let tenant: TestTenant
  beforeAll(async () => {
    tenant = await createTenant()
  })

  it('change roles with PATCH (version checked) before they accept, and join with the roles as changed', async () => {
    const body = newUser(['viewer'])
    const invited = await tenant.asOwner.post('/api/v1/users', { json: body })
    const patched = await tenant.asOwner.patch(`/api/v1/users/${invited.body.id}`, { json: { roles: ['ar_clerk'], version: 1 } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ id: invited.body.id, roles: ['ar_clerk'], status: 'invited', version: 2 })
    const stale = await tenant.asOwner.patch(`/api/v1/users/${invited.body.id}`, { json: { roles: ['admin'], version: 1 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    const token = await invitationToken(tenant.id, body.email)
    const password = strongPassword()
    expect((await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password } })).status).toBe(200)
    const session = await login(tenant.host, body.email, password)
    expect((await tenant.asOwner.get(`/api/v1/users/${session.user.id}`)).body).toMatchObject({ name: 'New Member', roles: ['ar_clerk'], status: 'active' })
  })

  it('are withdrawn with DELETE: gone from the list, and the link answers 404 INVITATION_INVALID', async () => {
    const body = newUser()
    const invited = await tenant.asOwner.post('/api/v1/users', { json: body })
    const token = await invitationToken(tenant.id, body.email)
    expect((await tenant.asOwner.delete(`/api/v1/users/${invited.body.id}`)).status).toBe(200)
    expect((await tenant.asOwner.get(`/api/v1/users/${invited.body.id}`)).status).toBe(404)
    const accept = await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password: strongPassword() } })
    expect(accept.status).toBe(404)
    expect(accept.body.data.code).toBe('INVITATION_INVALID')
    // Withdrawn, the e-mail can be invited again.
    expect((await tenant.asOwner.post('/api/v1/users', { json: body })).status).toBe(201)
  })

  it('do not count as owners: an invited owner does not let the last active owner step down (422 LAST_OWNER)', async () => {
    const t = await createTenant()
    expect((await t.asOwner.post('/api/v1/users', { json: newUser(['owner']) })).status).toBe(201)
    const res = await t.asOwner.patch(`/api/v1/users/${t.owner.id}`, { json: { roles: ['admin'] } })
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LAST_OWNER')
  })
})

describe('GET/PATCH/DELETE /api/v1/users/{id}', () => {
  let tenant: TestTenant
  beforeAll(async () => {
    tenant = await createTenant()
  })

  it('reads one member', async () => {
    const member = await addMember(tenant, ['ap_clerk'])
    const res = await tenant.asOwner.get(`/api/v1/users/${member.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: member.id, email: member.email, roles: ['ap_clerk'], version: 1 })
  })

  it('changes roles and bumps the version; PATCH answers 200 with the resource', async () => {
    const member = await addMember(tenant, ['viewer'])
    const res = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['accountant', 'auditor'], version: 1 } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: member.id, roles: ['accountant', 'auditor'], version: 2 })
    expect((await tenant.asOwner.get(`/api/v1/users/${member.id}`)).body).toEqual(res.body)
    // Without a version the change applies too.
    const again = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['viewer'] } })
    expect(again.body).toMatchObject({ roles: ['viewer'], version: 3 })
  })

  it('refuses a stale version (409 STALE_VERSION) and keeps the current roles', async () => {
    const member = await addMember(tenant, ['viewer'])
    expect((await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['ar_clerk'], version: 1 } })).status).toBe(200)
    const stale = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['admin'], version: 1 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    expect((await tenant.asOwner.get(`/api/v1/users/${member.id}`)).body).toMatchObject({ roles: ['ar_clerk'], version: 2 })
  })

  it('takes the version from If-Match as well: the ETag read works, a stale one is 409 STALE_VERSION', async () => {
    const member = await addMember(tenant, ['viewer'])
    const read = await tenant.asOwner.get(`/api/v1/users/${member.id}`)
    expect(read.headers.get('etag')).toBe('"1"')
    const ok = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['auditor'] }, headers: { 'if-match': read.headers.get('etag')! } })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('etag')).toBe('"2"')
    const stale = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['admin'] }, headers: { 'if-match': '"1"' } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    const malformed = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: ['admin'] }, headers: { 'if-match': 'version-two' } })
    expect(malformed.status).toBe(400)
    expect((await tenant.asOwner.get(`/api/v1/users/${member.id}`)).body).toMatchObject({ roles: ['auditor'], version: 2 })
  })

  it('accepts only one of several concurrent PATCHes carrying the same version (the others 409 STALE_VERSION)', async () => {
    const member = await addMember(tenant, ['viewer'])
    const roles = [['accountant'], ['ap_clerk'], ['ar_clerk'], ['auditor'], ['admin'], ['accountant', 'auditor']]
    const answers = await Promise.all(roles.map(r => tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: { roles: r, version: 1 } })))
    const won = answers.filter(r => r.status === 200)
    expect(won).toHaveLength(1)
    for (const lost of answers.filter(r => r.status !== 200)) {
      expect(lost.status).toBe(409)
      expect(lost.body.data.code).toBe('STALE_VERSION')
    }
    expect((await tenant.asOwner.get(`/api/v1/users/${member.id}`)).body).toMatchObject({ roles: won[0]!.body.roles, version: 2 })
  })

  it('refuses PATCH input that is not {roles, version?} (400)', async () => {
    const member = await addMember(tenant, ['viewer'])
    for (const body of [{ roles: [] }, { roles: ['root'] }, { roles: ['viewer'], email: 'new@x.test' }, { roles: ['viewer'], version: 0 }]) {
      const res = await tenant.asOwner.patch(`/api/v1/users/${member.id}`, { json: body })
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
  })

  it('removes a member (200) who then is gone from the list and cannot sign in', async () => {
    const member = await addMember(tenant, ['viewer'])
    const res = await tenant.asOwner.delete(`/api/v1/users/${member.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ ok: true })
    expect((await tenant.asOwner.get(`/api/v1/users/${member.id}`)).status).toBe(404)
    expect(await memberIds(tenant)).not.toContain(member.id)
    expect((await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: member.email, password: member.password } })).status).toBe(401)
    expect((await tenant.asOwner.delete(`/api/v1/users/${member.id}`)).status).toBe(404)
  })

  it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
    for (const method of ['get', 'patch', 'delete'] as const) {
      const res = await tenant.asOwner[method](`/api/v1/users/${randomUUID()}`, method === 'patch' ? { json: { roles: ['viewer'] } } : {})
      expect(res.status, method).toBe(404)
      expect(res.body.data.code).toBe('NOT_FOUND')
      const bad = await tenant.asOwner[method]('/api/v1/users/not-a-uuid', method === 'patch' ? { json: { roles: ['viewer'] } } : {})
      expect(bad.status, method).toBe(400)
      expect(bad.body.data.fields).toHaveProperty('id')
    }
  })
})

describe('ownership rules', () => {
  it('refuses to demote the last owner (422 LAST_OWNER) and changes nothing', async () => {
    const tenant = await createTenant()
    const events = await auditEventCount(tenant)
    const res = await tenant.asOwner.patch(`/api/v1/users/${tenant.owner.id}`, { json: { roles: ['admin'] } })
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LAST_OWNER')
    expect((await tenant.asOwner.get(`/api/v1/users/${tenant.owner.id}`)).body).toMatchObject({ roles: ['owner'], version: 1 })
    expect(await auditEventCount(tenant)).toBe(events)
  })

  it('refuses to remove the last owner (422 LAST_OWNER) and changes nothing', async () => {
    const tenant = await createTenant()
    const before = await memberIds(tenant)
    const res = await tenant.asOwner.delete(`/api/v1/users/${tenant.owner.id}`)
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LAST_OWNER')
    expect(await memberIds(tenant)).toEqual(before)
    expect((await tenant.asOwner.get('/api/v1/me')).status).toBe(200)
  })

  it('lets an owner step down once another owner exists', async () => {
    const tenant = await createTenant()
    const second = await addMember(tenant, ['owner'])
    const res = await tenant.asOwner.patch(`/api/v1/users/${tenant.owner.id}`, { json: { roles: ['admin'] } })
    expect(res.status).toBe(200)
    expect(res.body.roles).toEqual(['admin'])
    // Now the second owner is the last one.
    const last = await second.client.delete(`/api/v1/users/${second.id}`)
    expect(last.status).toBe(422)
    expect(last.body.data.code).toBe('LAST_OWNER')
  })

  /**
   * Of two owners acting on each other at once, one wins. The other is refused as the last owner
   * (422), or, when the winner's change was already in place as its request arrived, is no longer
   * an owner (403 OWNER_ONLY) or no longer a member (401).
   */
  const expectOneWinner = (answers: { status: number, body: any }[]) => {
    const statuses = answers.map(r => r.status)
    expect(statuses.filter(s => s === 200), JSON.stringify(statuses)).toHaveLength(1)
    const loser = answers.find(r => r.status !== 200)!
    expect([401, 403, 422]).toContain(loser.status)
    if (loser.status === 422) expect(loser.body.data.code).toBe('LAST_OWNER')
    if (loser.status === 403) expect(loser.body.data.code).toBe('OWNER_ONLY')
  }

  it('keeps an owner when two owners demote each other at the same moment (one 422 LAST_OWNER)', async () => {
    // Repeated, because a race that is lost only sometimes must still never lose the last owner.
    for (let round = 0; round < 4; round++) {
      const tenant = await createTenant()
      const second = await addMember(tenant, ['owner'])
      const answers = await Promise.all([
        tenant.asOwner.patch(`/api/v1/users/${second.id}`, { json: { roles: ['admin'] } }),
        second.client.patch(`/api/v1/users/${tenant.owner.id}`, { json: { roles: ['admin'] } }),
      ])
      expectOneWinner(answers)
      const survivor = answers[0]!.status === 200 ? tenant.asOwner : second.client
      const list = await survivor.get('/api/v1/users')
      const owners = list.body.data.filter((u: { roles: string[] }) => u.roles.includes('owner'))
      expect(owners).toHaveLength(1)
    }
  })

  it('keeps an owner when two owners remove each other at the same moment (one 422 LAST_OWNER)', async () => {
    for (let round = 0; round < 4; round++) {
      const tenant = await createTenant()
      const second = await addMember(tenant, ['owner'])
      const answers = await Promise.all([
        tenant.asOwner.delete(`/api/v1/users/${second.id}`),
        second.client.delete(`/api/v1/users/${tenant.owner.id}`),
      ])
      expectOneWinner(answers)
      const survivor = answers[0]!.status === 200 ? tenant.asOwner : second.client
      const list = await survivor.get('/api/v1/users')
      expect(list.body.data).toHaveLength(1)
      expect(list.body.data[0].roles).toEqual(['owner'])
    }
  })

  it('refuses an admin (not owner) granting or taking away the owner role (403 OWNER_ONLY)', async () => {
    const tenant = await createTenant()
    const admin = await addMember(tenant, ['admin'])
    const viewer = await addMember(tenant, ['viewer'])
    const before = await memberIds(tenant)

    const create = await admin.client.post('/api/v1/users', { json: newUser(['owner']) })
    expect(create.status).toBe(403)
    expect(create.body.data.code).toBe('OWNER_ONLY')
    expect(await memberIds(tenant)).toEqual(before)

    const promote = await admin.client.patch(`/api/v1/users/${viewer.id}`, { json: { roles: ['owner', 'viewer'] } })
    expect(promote.status).toBe(403)
    expect(promote.body.data.code).toBe('OWNER_ONLY')
    const self = await admin.client.patch(`/api/v1/users/${admin.id}`, { json: { roles: ['owner'] } })
    expect(self.status).toBe(403)
    expect(self.body.data.code).toBe('OWNER_ONLY')

    const second = await addMember(tenant, ['owner'])
    const demote = await admin.client.patch(`/api/v1/users/${second.id}`, { json: { roles: ['viewer'] } })
    expect(demote.status).toBe(403)
    expect(demote.body.data.code).toBe('OWNER_ONLY')
    const remove = await admin.client.delete(`/api/v1/users/${second.id}`)
    expect(remove.status).toBe(403)
    expect(remove.body.data.code).toBe('OWNER_ONLY')
    expect((await tenant.asOwner.get(`/api/v1/users/${second.id}`)).body.roles).toEqual(['owner'])
    expect((await tenant.asOwner.get(`/api/v1/users/${viewer.id}`)).body.roles).toEqual(['viewer'])

    // What an admin may do: manage members without touching ownership.
    const ok = await admin.client.post('/api/v1/users', { json: newUser(['accountant']) })
    expect(ok.status).toBe(201)
    expect((await admin.client.patch(`/api/v1/users/${viewer.id}`, { json: { roles: ['ar_clerk'] } })).status).toBe(200)
    expect((await admin.client.delete(`/api/v1/users/${viewer.id}`)).status).toBe(200)
  })
})

describe('roles that may only read', () => {
  it('lets a viewer list and read members but refuses POST, PATCH and DELETE (403 FORBIDDEN)', async () => {
    const tenant = await createTenant()
    const viewer = await addMember(tenant, ['viewer'])
    const other = await addMember(tenant, ['accountant'])
    expect((await viewer.client.get('/api/v1/users')).status).toBe(200)
    expect((await viewer.client.get(`/api/v1/users/${other.id}`)).status).toBe(200)
    const before = await memberIds(tenant)
    const attempts = [
      await viewer.client.post('/api/v1/users', { json: newUser() }),
      await viewer.client.patch(`/api/v1/users/${other.id}`, { json: { roles: ['admin'] } }),
      await viewer.client.patch(`/api/v1/users/${viewer.id}`, { json: { roles: ['admin'] } }),
      await viewer.client.delete(`/api/v1/users/${other.id}`),
    ]
    for (const res of attempts) {
      expect(res.status).toBe(403)
      expect(res.body.data.code).toBe('FORBIDDEN')
    }
    expect(await memberIds(tenant)).toEqual(before)
    expect((await tenant.asOwner.get(`/api/v1/users/${other.id}`)).body).toMatchObject({ roles: ['accountant'], version: 1 })
  })

  it('refuses a clerk even reading members (403 FORBIDDEN)', async () => {
    const tenant = await createTenant()
    const clerk = await addMember(tenant, ['ap_clerk'])
    const res = await clerk.client.get('/api/v1/users')
    expect(res.status).toBe(403)
    expect(res.body.data.code).toBe('FORBIDDEN')
  })
})

describe('another tenant\'s members', () => {
  it('are 404 on GET, PATCH and DELETE and stay unchanged', async () => {
    const a = await createTenant()
    const b = await createTenant()
    const bMember = await addMember(b, ['viewer'])
    for (const id of [b.owner.id, bMember.id]) {
      const get = await a.asOwner.get(`/api/v1/users/${id}`)
      expect(get.status).toBe(404)
      expect(get.body.data.code).toBe('NOT_FOUND')
      expect((await a.asOwner.patch(`/api/v1/users/${id}`, { json: { roles: ['admin'] } })).status).toBe(404)
      expect((await a.asOwner.delete(`/api/v1/users/${id}`)).status).toBe(404)
    }
    expect((await b.asOwner.get(`/api/v1/users/${bMember.id}`)).body).toMatchObject({ roles: ['viewer'], version: 1 })
    expect((await b.asOwner.get(`/api/v1/users/${b.owner.id}`)).body.roles).toEqual(['owner'])
    await login(b.host, bMember.email, bMember.password)
  })
})

describe('Idempotency-Key on POST /api/v1/users', () => {
  it('replays the first answer for the same key and body (Idempotent-Replayed: true) and creates one member', async () => {
    const tenant = await createTenant()
    const key = `key-${randomBytes(8).toString('hex')}`
    const body = newUser()
    const first = await tenant.asOwner.post('/api/v1/users', { json: body, headers: { 'idempotency-key': key } })
    expect(first.status).toBe(201)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    const events = await auditEventCount(tenant)
    const second = await tenant.asOwner.post('/api/v1/users', { json: body, headers: { 'idempotency-key': key } })
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(second.body).toEqual(first.body)
    const list = await tenant.asOwner.get(`/api/v1/users?q=${encodeURIComponent(body.email)}`)
    expect(list.body.total).toBe(1)
    expect(await auditEventCount(tenant)).toBe(events)
  })

  it('refuses the same key with another body (409 IDEMPOTENCY_KEY_REUSED) and creates nothing', async () => {
    const tenant = await createTenant()
    const key = `key-${randomBytes(8).toString('hex')}`
    expect((await tenant.asOwner.post('/api/v1/users', { json: newUser(), headers: { 'idempotency-key': key } })).status).toBe(201)
    const before = await memberIds(tenant)
    const other = newUser()
    const res = await tenant.asOwner.post('/api/v1/users', { json: other, headers: { 'idempotency-key': key } })
    expect(res.status).toBe(409)
    expect(res.body.data.code).toBe('IDEMPOTENCY_KEY_REUSED')
    expect(await memberIds(tenant)).toEqual(before)
  })

  it('scopes keys by principal: another member using the same key gets their own answer', async () => {
    const tenant = await createTenant()
    const admin = await addMember(tenant, ['admin'])
    const key = `key-${randomBytes(8).toString('hex')}`
    const mine = await tenant.asOwner.post('/api/v1/users', { json: newUser(), headers: { 'idempotency-key': key } })
    const theirs = await admin.client.post('/api/v1/users', { json: newUser(), headers: { 'idempotency-key': key } })
    expect(mine.status).toBe(201)
    expect(theirs.status).toBe(201)
    expect(theirs.headers.get('idempotent-replayed')).toBeNull()
    expect(theirs.body.id).not.toBe(mine.body.id)
  })

  it('does not keep the key of a request that failed, so it can be retried', async () => {
    const tenant = await createTenant()
    const key = `key-${randomBytes(8).toString('hex')}`
    const body = newUser()
    // Refused inside the transaction (the owner is already a member): the key goes with it.
    const refused = await tenant.asOwner.post('/api/v1/users', { json: { ...body, email: tenant.owner.email }, headers: { 'idempotency-key': key } })
    expect(refused.status).toBe(409)
    expect(refused.body.data.code).toBe('ALREADY_MEMBER')
    const retry = await tenant.asOwner.post('/api/v1/users', { json: body, headers: { 'idempotency-key': key } })
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotent-replayed')).toBeNull()
  })

  it('refuses a malformed key (400)', async () => {
    const tenant = await createTenant()
    const res = await tenant.asOwner.post('/api/v1/users', { json: newUser(), headers: { 'idempotency-key': 'x'.repeat(256) } })
    expect(res.status).toBe(400)
    expect(res.body.data.code).toBe('INVALID_IDEMPOTENCY_KEY')
  })

  it('creates exactly one member for concurrent duplicate requests with one key', async () => {
    const tenant = await createTenant()
    const key = `key-${randomBytes(8).toString('hex')}`
    const body = newUser()
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      tenant.asOwner.post('/api/v1/users', { json: body, headers: { 'idempotency-key': key } })))
    for (const res of answers) {
      expect(res.status, res.text).toBe(201)
      expect(res.body).toEqual(answers[0]!.body)
    }
    expect(answers.filter(r => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(answers.length - 1)
    const list = await tenant.asOwner.get(`/api/v1/users?q=${encodeURIComponent(body.email)}`)
    expect(list.body.total).toBe(1)
    expect(await memberIds(tenant)).toHaveLength(2)
  })
})
