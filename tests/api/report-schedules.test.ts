/**
 * Scheduled reports (SPEC 6.12): CRUD with validation and tenant isolation, then real runs on the
 * shared test server's in-process worker — the export is generated, e-mailed with its file to the
 * test SMTP sink and recorded on the schedule — and a failing run that notifies the admins.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, request, type TestTenant } from '../support/api'
import { waitForMail } from '../support/smtp'

/** The database owner, for checks (and one fault) the API does not expose. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const lastYear = new Date().getUTCFullYear() - 1

function schedule(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Monthly trial balance', report: 'trial-balance', format: 'csv', cron: '0 7 1 * *', timezone: 'Europe/Berlin',
    recipients: ['cfo@example.test'], ...overrides,
  }
}

/** Polls the schedule until `done(schedule)` holds. */
async function waitForSchedule(t: TestTenant, id: string, done: (s: any) => boolean, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await t.asOwner.get(`/api/v1/report-schedules/${id}`)
    expect(res.status, res.text).toBe(200)
    if (done(res.body)) return res.body
    if (Date.now() > deadline) throw new Error(`schedule ${id} did not reach the expected state: ${res.text}`)
    await new Promise(r => setTimeout(r, 500))
  }
}

let t: TestTenant
let cashId: string

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  const accounts = await t.asOwner.get('/api/v1/accounts')
  cashId = accounts.body.data.find((a: { code: string }) => a.code === '1000').id
  const entry = await t.asOwner.post('/api/v1/journal-entries', {
    json: { date: `${lastYear}-06-15`, memo: 'Owner investment', post: true, lines: [{ accountCode: '1000', debit: '1000.00' }, { accountCode: '3000', credit: '1000.00' }] },
  })
  expect(entry.status, entry.text).toBe(201)
})

describe('report schedules: CRUD', () => {
  it('creates a schedule (201) with its next run, lists, reads, changes and deletes it, auditing each change', async () => {
    const created = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ recipients: ['CFO@Example.test', 'cfo@example.test', 'board@example.test'] }) })
    expect(created.status, created.text).toBe(201)
    const s = created.body
    expect(s).toMatchObject({ name: 'Monthly trial balance', report: 'trial-balance', format: 'csv', cron: '0 7 1 * *', timezone: 'Europe/Berlin', enabled: true, params: {}, version: 1, lastRunAt: null, lastStatus: null, lastExportId: null })
    expect(s.recipients).toEqual(['cfo@example.test', 'board@example.test'])
    // 07:00 on the 1st in Berlin is 05:00 or 06:00 UTC, depending on summer time.
    expect(s.nextRunAt).toMatch(/-01T0[56]:00:00\.000Z$/)
    expect(new Date(s.nextRunAt).getTime()).toBeGreaterThan(Date.now())

    const list = await t.asOwner.get('/api/v1/report-schedules')
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ page: 1, pageSize: 50, total: 1 })
    expect(list.body.data[0].id).toBe(s.id)

    const read = await t.asOwner.get(`/api/v1/report-schedules/${s.id}`)
    expect(read.status).toBe(200)
    expect(read.headers.get('etag')).toBe('"1"')

    const disabled = await t.asOwner.patch(`/api/v1/report-schedules/${s.id}`, { json: { enabled: false, name: 'Paused', version: 1 } })
    expect(disabled.status, disabled.text).toBe(200)
    expect(disabled.body).toMatchObject({ enabled: false, name: 'Paused', nextRunAt: null, version: 2, cron: '0 7 1 * *' })

    const stale = await t.asOwner.patch(`/api/v1/report-schedules/${s.id}`, { json: { enabled: true, version: 1 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')

    const removed = await t.asOwner.delete(`/api/v1/report-schedules/${s.id}`)
    expect(removed.status).toBe(200)
    expect((await t.asOwner.get(`/api/v1/report-schedules/${s.id}`)).status).toBe(404)

    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id = ${s.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['report_schedule.create', 'report_schedule.update', 'report_schedule.delete'])
  })

  it('refuses an invalid cron expression (400 VALIDATION_FAILED, field cron)', async () => {
    for (const cron of ['61 * * * *', 'every day', '* * * *', '@daily']) {
      const res = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ cron }) })
      expect(res.status, cron).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
      expect(res.body.data.fields).toHaveProperty('cron')
    }
  })

  it('refuses an unknown time zone (400, field timezone)', async () => {
    const res = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ timezone: 'Mars/Olympus_Mons' }) })
    expect(res.status).toBe(400)
    expect(res.body.data.fields).toHaveProperty('timezone')
  })

  it('refuses no recipients, more than 20, or a malformed address (400, field recipients)', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `r${i}@example.test`)
    for (const recipients of [[], many, ['not-an-address']]) {
      const res = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ recipients }) })
      expect(res.status).toBe(400)
      expect(Object.keys(res.body.data.fields).some(k => k.startsWith('recipients'))).toBe(true)
    }
  })

  it('refuses an unknown report and parameters the report does not take (400)', async () => {
    const report = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ report: 'horoscope' }) })
    expect(report.status).toBe(400)
    expect(report.body.data.fields).toHaveProperty('report')
    const param = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ params: { colour: 'blue' } }) })
    expect(param.status).toBe(400)
    expect(param.body.data.fields).toHaveProperty('params')
    const account = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ report: 'general-ledger', params: { accountId: randomUUID() } }) })
    expect(account.status).toBe(400)
    expect(account.body.data.fields).toHaveProperty(['params.accountId'])
  })

  it('answers 404 for another tenant\'s schedule (NOT_FOUND)', async () => {
    const other = await createTenant({ chartOfAccounts: 'standard' })
    const theirs = await other.asOwner.post('/api/v1/report-schedules', { json: schedule({ enabled: false }) })
    expect(theirs.status, theirs.text).toBe(201)
    expect((await t.asOwner.get(`/api/v1/report-schedules/${theirs.body.id}`)).status).toBe(404)
    const patch = await t.asOwner.patch(`/api/v1/report-schedules/${theirs.body.id}`, { json: { name: 'Mine now' } })
    expect(patch.status).toBe(404)
    expect(patch.body.data.code).toBe('NOT_FOUND')
    expect((await t.asOwner.delete(`/api/v1/report-schedules/${theirs.body.id}`)).status).toBe(404)
    expect((await other.asOwner.get(`/api/v1/report-schedules/${theirs.body.id}`)).body.name).toBe('Monthly trial balance')
  })

  it('lets a viewer read schedules but not write them (403 FORBIDDEN)', async () => {
    const viewer = await addMember(t, ['viewer'])
    expect((await viewer.client.get('/api/v1/report-schedules')).status).toBe(200)
    const res = await viewer.client.post('/api/v1/report-schedules', { json: schedule() })
    expect(res.status).toBe(403)
    expect(res.body.data.code).toBe('FORBIDDEN')
  })
})

describe('the scheduled reports page', () => {
  it('renders the tenant\'s schedules on the server, with their next run', async () => {
    const created = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ name: 'Quarterly pack for the board', enabled: true }) })
    expect(created.status, created.text).toBe(201)
    const login = await request('POST', t.host, '/api/v1/auth/login', { json: { email: t.owner.email, password: t.owner.password } })
    const cookie = (login.headers.get('set-cookie') ?? '').split(/,(?=\s*__Host-|\s*paksa_)/).map(c => c.split(';')[0]!.trim()).join('; ')
    const page = await request('GET', t.host, '/reports/schedules', { headers: { cookie, accept: 'text/html' } })
    expect(page.status).toBe(200)
    expect(page.text).toContain('Scheduled reports')
    expect(page.text).toContain('Quarterly pack for the board')
    expect(page.text).toContain('0 7 1 * *')
    await t.asOwner.delete(`/api/v1/report-schedules/${created.body.id}`)
  })
})

describe('report schedules: runs', () => {
  it('runs on its cron: the report is e-mailed as an attachment and the run is recorded', async () => {
    const recipient = `ledger-${randomUUID().slice(0, 8)}@example.test`
    // The mail writes the period as the organisation writes dates.
    const settings = await t.asOwner.patch('/api/v1/settings', { json: { dateFormat: 'DD.MM.YYYY' } })
    expect(settings.status, settings.text).toBe(200)
    const created = await t.asOwner.post('/api/v1/report-schedules', { json: schedule({ name: 'Every two seconds', cron: '*/2 * * * * *', timezone: 'UTC', recipients: [recipient] }) })
    expect(created.status, created.text).toBe(201)
    const ran = await waitForSchedule(t, created.body.id, s => s.lastStatus === 'done')
    const off = await t.asOwner.patch(`/api/v1/report-schedules/${created.body.id}`, { json: { enabled: false } })
    expect(off.status).toBe(200)
    expect(ran.lastRunAt).not.toBeNull()
    expect(ran.lastExportId).toMatch(/^[0-9a-f-]{36}$/)

    const [mail] = await waitForMail(inject('mailDir'), recipient, 1, 30_000)
    const today = new Date(ran.lastRunAt).toISOString().slice(0, 10)
    const [year, month, day] = today.split('-')
    expect(mail!.subject).toContain('Trial balance')
    expect(mail!.subject).toContain(`as of ${day}.${month}.${year}`)
    expect(mail!.text).toContain(`as of ${day}.${month}.${year}.`)
    expect(mail!.subject).not.toContain(today)
    expect(mail!.text).toContain('"Every two seconds"')
    expect(mail!.attachments).toHaveLength(1)
    const file = mail!.attachments[0]!
    expect(file.filename).toBe(`trial-balance-${today}.csv`)
    expect(file.contentType).toBe('text/csv')
    const csv = file.content.toString('utf8')
    expect(csv.startsWith('Code,Account,Type,Debit,Credit,Abnormal\r\n')).toBe(true)
    expect(csv).toContain('1000,Cash on hand,asset,1000.00,0.00,')
    expect(csv).toContain(',Total,,1000.00,1000.00,')

    // The recorded export is the scheduled run's (no requester), finished, keyed by its fire time.
    const [exp] = await sql<{ status: string, requested_by: string | null, schedule_id: string, run_key: string }[]>`
      select status, requested_by, schedule_id, run_key from report_exports where id = ${ran.lastExportId}`
    expect(exp).toMatchObject({ status: 'done', requested_by: null, schedule_id: created.body.id })
    expect(Number(exp!.run_key)).toBe(new Date(ran.lastRunAt).getTime())
    // One export and one mail per run, never more.
    const perRun = await sql<{ n: number }[]>`select count(*)::int as n from report_exports where schedule_id = ${created.body.id} group by run_key having count(*) > 1`
    expect(perRun).toEqual([])
    const mails = await sql<{ n: number }[]>`select count(*)::int as n from mail_outbox where tenant_id = ${t.id} and dedupe_key like ${`schedule:${created.body.id}:%`} group by dedupe_key having count(*) > 1`
    expect(mails).toEqual([])
  }, 90_000)

  it('records a failing run and notifies the admins once its retries are spent', async () => {
    const created = await t.asOwner.post('/api/v1/report-schedules', {
      json: schedule({ name: 'Cash ledger', report: 'general-ledger', params: { accountId: cashId }, cron: '*/5 * * * * *', timezone: 'UTC', enabled: false }),
    })
    expect(created.status, created.text).toBe(201)
    // Accounts are never deleted, so the API cannot make an account disappear under a schedule;
    // the owner's connection points the stored schedule at an account that does not exist.
    await sql`update report_schedules set params = ${sql.json({ accountId: randomUUID() })} where id = ${created.body.id}`
    const on = await t.asOwner.patch(`/api/v1/report-schedules/${created.body.id}`, { json: { enabled: true } })
    expect(on.status, on.text).toBe(200)

    const failed = await waitForSchedule(t, created.body.id, s => s.lastStatus === 'failed', 75_000)
    await t.asOwner.patch(`/api/v1/report-schedules/${created.body.id}`, { json: { enabled: false } })
    expect(failed.lastError).toBe('Account not found')
    expect(failed.lastRunAt).not.toBeNull()

    const [exp] = await sql<{ status: string, error: string }[]>`select status, error from report_exports where id = ${failed.lastExportId}`
    expect(exp).toEqual({ status: 'failed', error: 'Account not found' })
    const notes = await sql<{ user_id: string, title: string, body: string, link: string }[]>`
      select user_id, title, body, link from notifications where tenant_id = ${t.id} and type = 'report_schedule.failed'`
    expect(notes.length).toBeGreaterThanOrEqual(1)
    expect(notes[0]).toEqual({ user_id: t.owner.id, title: 'Scheduled report "Cash ledger" failed', body: 'Account not found', link: '/reports/schedules' })
  }, 120_000)
})
