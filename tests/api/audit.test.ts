/**
 * The audit trail (SPEC §4 audit): every mutating action writes an event in the same transaction,
 * events are hash-chained per tenant, `GET /api/v1/audit/verify` names the first broken event, and
 * the app role can neither update nor delete events. Each test uses tenants of its own, so the
 * tampering below never disturbs other tests.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, invitationToken, login, request, strongPassword, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'

/** The database owner (superuser in the test set-ups), as a migration or an operator would connect. */
const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
afterAll(() => sql.end())

interface AuditRow {
  id: string
  seq: string
  action: string
  actor_type: string
  actor_id: string | null
  entity_type: string
  entity_id: string | null
  before: any
  after: any
  request_id: string | null
  ip: string | null
  user_agent: string | null
  prev_hash: string
  hash: string
}

const auditRows = (tenantId: string) =>
  sql<AuditRow[]>`select * from audit_events where tenant_id = ${tenantId} order by seq`

async function verify(tenant: TestTenant) {
  const res = await tenant.asOwner.get('/api/v1/audit/verify')
  expect(res.status).toBe(200)
  return res.body as { ok: boolean, events: number, firstBroken?: { id: string, seq: number, reason: string } }
}

/** A tenant with a few more events: members added, changed and removed. */
async function busyTenant() {
  const tenant = await createTenant()
  const a = await tenant.asOwner.post('/api/v1/users', { json: { email: `a-${randomBytes(3).toString('hex')}@audit.test`, name: 'A', roles: ['viewer'] } })
  await tenant.asOwner.patch(`/api/v1/users/${a.body.id}`, { json: { roles: ['accountant'] } })
  await tenant.asOwner.delete(`/api/v1/users/${a.body.id}`)
  return tenant
}

/** Runs statements as the owner with triggers off, as only a superuser could (session_replication_role). */
const asSuperuserWithoutTriggers = <T>(work: (tx: postgres.TransactionSql) => Promise<T>) => sql.begin(async (tx) => {
  await tx`set local session_replication_role = replica`
  return work(tx)
})

describe('audit events', () => {
  it('are written for every mutating action, and GET /api/v1/audit/verify counts them ({ok: true})', async () => {
    const tenant = await createTenant()
    const start = await verify(tenant)
    expect(start.ok).toBe(true)
    expect(start.events).toBe((await auditRows(tenant.id)).length)
    // tenant.create and the owner's membership.create (back-office), auth.login (the factory's sign-in)
    expect((await auditRows(tenant.id)).map(r => r.action)).toEqual(['tenant.create', 'membership.create', 'auth.login'])

    const email = `audited-${randomBytes(3).toString('hex')}@audit.test`
    // Adding a member invites: the pending membership is the invitation, changed and withdrawn as such.
    const created = await tenant.asOwner.post('/api/v1/users', { json: { email, name: 'Audited', roles: ['viewer'] } })
    expect(created.status).toBe(201)
    expect((await verify(tenant)).events).toBe(start.events + 1)
    await tenant.asOwner.patch(`/api/v1/users/${created.body.id}`, { json: { roles: ['auditor'] } })
    expect((await verify(tenant)).events).toBe(start.events + 2)
    await tenant.asOwner.delete(`/api/v1/users/${created.body.id}`)
    expect((await verify(tenant)).events).toBe(start.events + 3)
    await tenant.asOwner.post('/api/v1/me/password', { json: { currentPassword: tenant.owner.password, newPassword: strongPassword() } })
    expect((await verify(tenant)).events).toBe(start.events + 4)

    const actions = (await auditRows(tenant.id)).slice(start.events).map(r => [r.action, r.entity_id])
    expect(actions).toEqual([
      ['invitation.create', created.body.id],
      ['invitation.update', created.body.id],
      ['invitation.withdraw', created.body.id],
      ['user.password_change', tenant.owner.id],
    ])
    const end = await verify(tenant)
    expect(end.ok).toBe(true)
  })

  it('record actor, entity, before/after, request id, IP and user agent, and never a password', async () => {
    const tenant = await createTenant()
    const password = strongPassword()
    const email = `detail-${randomBytes(3).toString('hex')}@audit.test`
    const created = await tenant.asOwner.post('/api/v1/users', { json: { email, name: 'Detail', roles: ['viewer'] }, headers: { 'user-agent': 'audit-test/1.0' } })
    const updated = await tenant.asOwner.patch(`/api/v1/users/${created.body.id}`, { json: { roles: ['ar_clerk'] }, headers: { 'user-agent': 'audit-test/1.0' } })
    expect(updated.status).toBe(200)
    // The invitee chooses a password on accepting: it must not reach the audit log either.
    const token = await invitationToken(tenant.id, email)
    expect((await request('POST', tenant.host, `/api/v1/invitations/${token}/accept`, { json: { password } })).status).toBe(200)
    const rows = await auditRows(tenant.id)
    const create = rows.find(r => r.action === 'invitation.create' && r.entity_id === created.body.id)!
    const update = rows.find(r => r.action === 'invitation.update' && r.entity_id === created.body.id)!
    expect(rows.find(r => r.action === 'invitation.accept')).toBeTruthy()
    expect(create).toMatchObject({ actor_type: 'user', actor_id: tenant.owner.id, entity_type: 'user', user_agent: 'audit-test/1.0' })
    expect(create.request_id).toBe(created.headers.get('x-request-id'))
    expect(create.ip).toContain('127.0.0.1')
    expect(create.after).toMatchObject({ email, roles: ['viewer'] })
    expect(update.request_id).toBe(updated.headers.get('x-request-id'))
    expect(update.before).toEqual({ roles: ['viewer'] })
    expect(update.after).toEqual({ roles: ['ar_clerk'] })
    for (const row of rows) {
      const text = JSON.stringify(row)
      expect(text).not.toContain(password)
      expect(text).not.toContain('scrypt$')
    }
  })

  it('are not written for reads or for refused requests', async () => {
    const tenant = await createTenant()
    const before = (await verify(tenant)).events
    await tenant.asOwner.get('/api/v1/users')
    await tenant.asOwner.get('/api/v1/me')
    await tenant.asOwner.patch(`/api/v1/users/${tenant.owner.id}`, { json: { roles: ['viewer'] } }) // 422 LAST_OWNER
    await tenant.asOwner.post('/api/v1/users', { json: { email: 'bad', name: 'X', roles: ['viewer'] } }) // 400
    await request('POST', tenant.host, '/api/v1/auth/login', { json: { email: tenant.owner.email, password: 'not-the-password' } }) // 401
    expect((await verify(tenant)).events).toBe(before)
    expect((await auditRows(tenant.id)).length).toBe(before)
  })

  it('link each event to the one before it, per tenant (seq 1, 2, …; prev_hash = previous hash)', async () => {
    const tenant = await busyTenant()
    const rows = await auditRows(tenant.id)
    expect(rows.length).toBeGreaterThanOrEqual(5)
    rows.forEach((row, i) => {
      expect(Number(row.seq)).toBe(i + 1)
      expect(row.prev_hash).toBe(i === 0 ? '0'.repeat(64) : rows[i - 1]!.hash)
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/)
    })
  })
})

describe('GET /api/v1/audit/verify', () => {
  it('is open to owners, admins and auditors, not to viewers (403 FORBIDDEN) or strangers (401)', async () => {
    const tenant = await createTenant()
    const admin = await addMember(tenant, ['admin'])
    const auditor = await addMember(tenant, ['auditor'])
    const viewer = await addMember(tenant, ['viewer'])
    expect((await admin.client.get('/api/v1/audit/verify')).body.ok).toBe(true)
    expect((await auditor.client.get('/api/v1/audit/verify')).body.ok).toBe(true)
    const refused = await viewer.client.get('/api/v1/audit/verify')
    expect(refused.status).toBe(403)
    expect(refused.body.data.code).toBe('FORBIDDEN')
    expect((await request('GET', tenant.host, '/api/v1/audit/verify')).status).toBe(401)
  })

  it('names the tampered event by id and seq with ok: false (hash_mismatch), and only in that tenant', async () => {
    const tenant = await busyTenant()
    const bystander = await busyTenant()
    expect((await verify(tenant)).ok).toBe(true)
    const rows = await auditRows(tenant.id)
    const victim = rows[2]!
    await asSuperuserWithoutTriggers(tx => tx`
      update audit_events set after = ${sql.json({ roles: ['owner'], tampered: true })}
      where tenant_id = ${tenant.id} and id = ${victim.id}`)
    const result = await verify(tenant)
    expect(result).toEqual({ ok: false, events: rows.length, firstBroken: { id: victim.id, seq: Number(victim.seq), reason: 'hash_mismatch' } })
    expect(await verify(bystander)).toMatchObject({ ok: true })
  })

  it('names the next event (broken_link) when a row is rewritten with a recomputed hash', async () => {
    const tenant = await busyTenant()
    const rows = await auditRows(tenant.id)
    const victim = rows[1]!
    const next = rows[2]!
    await asSuperuserWithoutTriggers(async (tx) => {
      await tx`update audit_events set actor_id = null, action = 'nothing.happened'
               where tenant_id = ${tenant.id} and id = ${victim.id}`
      await tx`update audit_events e set hash = app_audit_hash(e)
               where tenant_id = ${tenant.id} and id = ${victim.id}`
    })
    expect(await verify(tenant)).toEqual({ ok: false, events: rows.length, firstBroken: { id: next.id, seq: Number(next.seq), reason: 'broken_link' } })
  })

  it('names the event after a deleted one (sequence_gap)', async () => {
    const tenant = await busyTenant()
    const rows = await auditRows(tenant.id)
    await asSuperuserWithoutTriggers(tx => tx`delete from audit_events where tenant_id = ${tenant.id} and id = ${rows[1]!.id}`)
    expect(await verify(tenant)).toEqual({ ok: false, events: rows.length - 1, firstBroken: { id: rows[2]!.id, seq: Number(rows[2]!.seq), reason: 'sequence_gap' } })
  })
})

describe('the app role and audit rows', () => {
  const asApp = asAppRole(sql)

  it('can read and append its tenant\'s events (the positive control)', async () => {
    const tenant = await createTenant()
    const existing = (await auditRows(tenant.id)).length
    let seen: unknown
    await expect(sql.begin(async (tx) => {
      await tx`select set_config('role', 'paksa_app', true), set_config('app.tenant_id', ${tenant.id}, true)`
      const { n } = (await tx<{ n: number }[]>`select count(*)::int as n from audit_events`)[0]!
      await tx`insert into audit_events (tenant_id, seq, actor_type, action, entity_type, prev_hash, hash)
               values (${tenant.id}, 0, 'system', 'test.append', 'test', '', '')`
      const [last] = await tx<{ seq: string, action: string }[]>`select seq, action from audit_events order by seq desc limit 1`
      seen = { n, last }
      throw new Error('rollback')
    })).rejects.toThrow('rollback')
    // The trigger numbered and chained the appended event.
    expect(seen).toEqual({ n: existing, last: { seq: String(existing + 1), action: 'test.append' } })
    expect((await auditRows(tenant.id)).length).toBe(existing)
  })

  it('cannot UPDATE an audit row (permission denied)', async () => {
    const tenant = await createTenant()
    const before = await auditRows(tenant.id)
    await expect(asApp(tenant.id, tx => tx`update audit_events set action = 'rewritten'`)).rejects.toMatchObject({ code: '42501' })
    expect(await auditRows(tenant.id)).toEqual(before)
  })

  it('cannot DELETE or TRUNCATE audit rows (permission denied)', async () => {
    const tenant = await createTenant()
    const before = await auditRows(tenant.id)
    await expect(asApp(tenant.id, tx => tx`delete from audit_events`)).rejects.toMatchObject({ code: '42501' })
    await expect(asApp(tenant.id, tx => tx`truncate audit_events`)).rejects.toMatchObject({ code: '42501' })
    expect(await auditRows(tenant.id)).toEqual(before)
    expect(await verify(tenant)).toMatchObject({ ok: true, events: before.length })
  })

  it('is backed by a trigger: even the owner cannot update or delete rows while triggers run', async () => {
    const tenant = await createTenant()
    const before = await auditRows(tenant.id)
    await expect(sql`update audit_events set action = 'rewritten' where tenant_id = ${tenant.id}`).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_events where tenant_id = ${tenant.id}`).rejects.toThrow(/append-only/)
    expect(await auditRows(tenant.id)).toEqual(before)
    await login(tenant.host, tenant.owner.email, tenant.owner.password)
    expect(await verify(tenant)).toMatchObject({ ok: true, events: before.length + 1 })
  })
})
