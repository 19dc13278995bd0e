/**
 * Back-office operations (SPEC §6.12-6.13, back-office): the queue monitor with retry and removal,
 * the audited cross-tenant mail outbox, and system health with the workers' heartbeats.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { adminClient, client, createTenant, hosts, type TestTenant } from '../support/api'

/** The database owner: used to place an outbox row and to read the platform audit log. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const QUEUES = ['exports', 'bank-imports', 'scheduled-reports', 'mail', 'receivables', 'maintenance']
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed']

async function platformAudit(action: string, since: Date) {
  return sql<{ entity_id: string | null, details: Record<string, unknown> }[]>`
    select entity_id, details from platform_audit_events where action = ${action} and created_at >= ${since} order by created_at`
}

describe('GET /api/v1/admin/queues', () => {
  it('counts every queue\'s jobs in each state and says whether the queue is paused', async () => {
    const admin = await adminClient()
    const res = await admin.get('/api/v1/admin/queues')
    expect(res.status, res.text).toBe(200)
    expect(res.body.data.map((q: { name: string }) => q.name)).toEqual(QUEUES)
    for (const queue of res.body.data) {
      expect(queue.paused).toBe(false)
      expect(Object.keys(queue.counts).sort()).toEqual([...STATES].sort())
      for (const n of Object.values(queue.counts)) expect(Number.isInteger(n)).toBe(true)
    }
  })

  it('answers 401 to a tenant\'s token on the admin host and 404 to the route on a tenant host', async () => {
    const tenant = await createTenant()
    const onAdmin = await client(hosts.admin(), tenant.owner.token).get('/api/v1/admin/queues')
    expect(onAdmin.status).toBe(401)
    expect(onAdmin.body.data.code).toBe('UNAUTHENTICATED')
    expect((await client(hosts.admin()).get('/api/v1/admin/health')).status).toBe(401)
    expect((await tenant.asOwner.get('/api/v1/admin/queues')).status).toBe(404)
  })
})

describe('jobs of a queue', () => {
  it('lists a state\'s jobs as {data, page, pageSize, total}, failed by default', async () => {
    const admin = await adminClient()
    const res = await admin.get('/api/v1/admin/queues/mail/jobs')
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ page: 1, pageSize: 50 })
    expect(Array.isArray(res.body.data)).toBe(true)
    for (const job of res.body.data) expect(job).toMatchObject({ queue: 'mail', state: 'failed' })
  })

  it('shows the maintenance sweep waiting as a delayed job, with ids only in its data', async () => {
    const admin = await adminClient()
    const res = await admin.get('/api/v1/admin/queues/maintenance/jobs?state=delayed')
    expect(res.status, res.text).toBe(200)
    expect(res.body.total).toBeGreaterThanOrEqual(1)
    const [job] = res.body.data
    expect(job).toMatchObject({ queue: 'maintenance', state: 'delayed', name: 'sweep', data: {}, failedReason: null })
    expect(Object.keys(job).sort()).toEqual(['attempts', 'attemptsMade', 'createdAt', 'data', 'failedReason', 'finishedAt', 'id', 'name', 'processedAt', 'queue', 'state'])
  })

  it('answers 404 for an unknown queue and 400 for an unknown state or a malformed job id', async () => {
    const admin = await adminClient()
    expect((await admin.get('/api/v1/admin/queues/nope/jobs')).status).toBe(404)
    expect((await admin.post('/api/v1/admin/queues/nope/jobs/1/retry')).status).toBe(404)
    expect((await admin.delete('/api/v1/admin/queues/nope/jobs/1')).status).toBe(404)
    const state = await admin.get('/api/v1/admin/queues/mail/jobs?state=lost')
    expect(state.status).toBe(400)
    expect(state.body.data.fields.state).toBeTruthy()
    const bad = await admin.post('/api/v1/admin/queues/mail/jobs/bad%20id!/retry')
    expect(bad.status).toBe(400)
    expect(bad.body.data.fields.jobId).toBeTruthy()
  })

  it('answers 404 when retrying or removing a job that does not exist', async () => {
    const admin = await adminClient()
    const retry = await admin.post(`/api/v1/admin/queues/mail/jobs/mail-${randomUUID()}/retry`)
    expect(retry.status).toBe(404)
    expect(retry.body.data.code).toBe('NOT_FOUND')
    expect((await admin.delete(`/api/v1/admin/queues/mail/jobs/mail-${randomUUID()}`)).status).toBe(404)
  })

  it('refuses to retry a job that has not failed (409 JOB_NOT_FAILED) and leaves it as it was', async () => {
    const admin = await adminClient()
    const delayed = await admin.get('/api/v1/admin/queues/maintenance/jobs?state=delayed')
    const job = delayed.body.data[0]
    const res = await admin.post(`/api/v1/admin/queues/maintenance/jobs/${encodeURIComponent(job.id)}/retry`)
    expect(res.status, res.text).toBe(409)
    expect(res.body.data.code).toBe('JOB_NOT_FAILED')
    const after = await admin.get('/api/v1/admin/queues/maintenance/jobs?state=delayed')
    expect(after.body.data.map((j: { id: string }) => j.id)).toContain(job.id)
  })
})

describe('GET /api/v1/admin/outbox', () => {
  let tenant: TestTenant
  let mailId: string
  beforeAll(async () => {
    tenant = await createTenant()
    // A held mail (no relay when it was written): the mail job never picks `held` rows up.
    const [row] = await sql<{ id: string }[]>`
      insert into mail_outbox (tenant_id, kind, "to", subject, text, html, status)
      values (${tenant.id}, 'invitation', array[${`held@${tenant.slug}.test`}]::text[], 'You are invited',
        ${`Accept: http://${tenant.slug}.localhost:3000/invitation/inv-Secret_123 today`},
        ${`<p>HTML <script>alert(1)</script>body <a href="http://${tenant.slug}.localhost:3000/reset-password/rst-Secret_456">reset</a></p>`}, 'held')
      returning id`
    mailId = row!.id
  })

  it('lists every tenant\'s mail (the default outbox) newest first, with the tenant\'s slug, and records the read in the platform audit', async () => {
    const since = new Date(Date.now() - 1000)
    const admin = await adminClient()
    const res = await admin.get('/api/v1/admin/outbox?status=held&pageSize=200')
    expect(res.status, res.text).toBe(200)
    const mail = res.body.data.find((m: { id: string }) => m.id === mailId)
    expect(mail).toEqual({
      id: mailId, outbox: 'mail', tenantId: tenant.id, tenantSlug: tenant.slug, type: 'invitation', title: 'You are invited',
      recipients: [`held@${tenant.slug}.test`], status: 'held', attempts: 0, error: null, createdAt: expect.any(String), finishedAt: null,
    })
    expect(mail).not.toHaveProperty('details')
    for (const m of res.body.data) expect(m.status).toBe('held')
    const audit = await platformAudit('outbox.list', since)
    expect(audit.some(a => (a.details.ids as string[]).includes(mailId))).toBe(true)
  })

  it('shows one mail with its text and HTML bodies, bearer links masked, and records who opened which mail', async () => {
    const since = new Date(Date.now() - 1000)
    const admin = await adminClient()
    const res = await admin.get(`/api/v1/admin/outbox/${mailId}`)
    expect(res.status, res.text).toBe(200)
    // The single-use links are masked for the operator.
    expect(res.body).toMatchObject({
      id: mailId, outbox: 'mail', tenantSlug: tenant.slug,
      details: {
        attachments: [],
        text: `Accept: http://${tenant.slug}.localhost:3000/invitation/redacted today`,
        html: `<p>HTML <script>alert(1)</script>body <a href="http://${tenant.slug}.localhost:3000/reset-password/redacted">reset</a></p>`,
      },
    })
    expect(res.text).not.toMatch(/Secret_/)
    const audit = await platformAudit('outbox.read', since)
    expect(audit.map(a => a.entity_id)).toContain(mailId)
    expect(audit.find(a => a.entity_id === mailId)!.details).toEqual({ tenantId: tenant.id })
  })

  it('answers 404 for an unknown row, 400 for an unknown outbox or a status its outbox does not have', async () => {
    const admin = await adminClient()
    expect((await admin.get(`/api/v1/admin/outbox/${randomUUID()}`)).status).toBe(404)
    expect((await admin.get(`/api/v1/admin/outbox/${mailId}?outbox=exports`)).status).toBe(404)
    expect((await admin.get('/api/v1/admin/outbox?status=lost')).status).toBe(400)
    expect((await admin.get('/api/v1/admin/outbox?outbox=webhooks')).status).toBe(400)
    const wrongKind = await admin.get('/api/v1/admin/outbox?outbox=exports&status=held')
    expect(wrongKind.status).toBe(400)
    expect(wrongKind.body.data.fields.status).toBe('must be one of queued, running, done, failed')
  })

  it('shows the other outboxes the same way: platform mail (no tenant, links masked) and report exports', async () => {
    const [signup] = await sql<{ id: string }[]>`
      insert into platform_mail_outbox (kind, "to", subject, text, html, status)
      values ('signup', array['founder@example.test'], 'Finish signing up', 'Go: http://localhost:3000/signup/sgn-Secret_789', '<p>sign up</p>', 'held')
      returning id`
    const [exp] = await sql<{ id: string }[]>`
      insert into report_exports (tenant_id, report, format, params, status)
      values (${tenant.id}, 'trial-balance', 'csv', ${sql.json({ asOf: '2026-01-31' })}, 'failed') returning id`
    const admin = await adminClient()

    const platform = await admin.get('/api/v1/admin/outbox?outbox=platform-mail&status=held&pageSize=200')
    expect(platform.status, platform.text).toBe(200)
    expect(platform.body.data.find((m: { id: string }) => m.id === signup!.id)).toMatchObject({
      outbox: 'platform-mail', tenantId: null, tenantSlug: null, type: 'signup', title: 'Finish signing up', recipients: ['founder@example.test'],
    })
    const opened = await admin.get(`/api/v1/admin/outbox/${signup!.id}?outbox=platform-mail`)
    expect(opened.status, opened.text).toBe(200)
    expect(opened.body.details.text).toBe('Go: http://localhost:3000/signup/redacted')

    const exports = await admin.get('/api/v1/admin/outbox?outbox=exports&status=failed&pageSize=200')
    expect(exports.status, exports.text).toBe(200)
    expect(exports.body.data.find((e: { id: string }) => e.id === exp!.id)).toMatchObject({
      outbox: 'exports', tenantId: tenant.id, tenantSlug: tenant.slug, type: 'csv', title: 'trial-balance', recipients: [], status: 'failed',
    })
    const detail = await admin.get(`/api/v1/admin/outbox/${exp!.id}?outbox=exports`)
    expect(detail.body.details).toEqual({ params: { asOf: '2026-01-31' }, filename: null, size: null })
    expect((await platformAudit('outbox.read', new Date(Date.now() - 5000))).map(a => a.entity_id)).toEqual(expect.arrayContaining([signup!.id, exp!.id]))
  })

  it('is not open to a tenant\'s token (401)', async () => {
    const res = await client(hosts.admin(), tenant.owner.token).get('/api/v1/admin/outbox')
    expect(res.status).toBe(401)
  })
})

describe('GET /api/v1/admin/health', () => {
  it('reports the database, the cache, the queue backend and at least one live worker', async () => {
    const admin = await adminClient()
    const res = await admin.get('/api/v1/admin/health')
    expect(res.status, res.text).toBe(200)
    const redis = !!inject('serverEnv').REDIS_URL
    expect(res.body).toMatchObject({ database: 'ok', cache: redis ? 'ok' : 'skipped', queueBackend: redis ? 'redis' : 'postgres' })
    expect(res.body.workers.length).toBeGreaterThanOrEqual(1)
    const worker = res.body.workers.find((w: { mode: string }) => w.mode === 'in-process')
    expect(worker).toMatchObject({ backend: redis ? 'redis' : 'postgres', queues: expect.arrayContaining(QUEUES) })
    expect(Date.now() - Date.parse(worker.beatAt)).toBeLessThan(20_000)
    expect(Number.isInteger(worker.pid)).toBe(true)
  })
})
