/**
 * The receivables job (server/domain/sales/receivables-jobs.ts, recurring-invoices.ts, dunning.ts)
 * against the real test database, with the shared test server's in-process worker delivering the
 * mail to the SMTP sink over the real queue: the job's domain functions are called directly with a
 * fixed "today", as the worker calls them with the organisation's.
 *
 * - two runs make one invoice per occurrence; concurrent runs make no duplicate;
 * - a monthly schedule from 31 January is dated 28 February;
 * - autoIssue gives a numbered, posted invoice; a refused issue (closed period) leaves the draft,
 *   notes it and notifies, and the next occurrence is still issued;
 * - autoSend mails the PDF to the customer; without an address the invoice is issued, not sent;
 * - dunning: once per step however often it runs, only the highest of several due steps, nothing
 *   before due + step, nothing for a paid or void invoice;
 * - the hourly job through BullMQ: a sweep job on the `receivables` queue makes what is due.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { closeQueues, useQueue } from '../../server/core/queues'
import { runDunning } from '../../server/domain/sales/dunning'
import { runRecurringInvoices } from '../../server/domain/sales/recurring-runs'
import { todayIn } from '../../server/domain/sales/documents'
import { occurrencesThrough } from '../../shared/schedules/recurrence'
import { createTenant, type TestTenant } from '../support/api'
import { closePeriodsUpTo } from '../support/ledger'
import { waitForMail } from '../support/smtp'

const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
type Json = Record<string, any>
let t: TestTenant
let income: string

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
const email = () => `billing-${randomBytes(4).toString('hex')}@customer.test`

async function newCustomer(tenant: TestTenant, address: string | null = email()): Promise<{ id: string, email: string | null }> {
  const res = await tenant.asOwner.post('/api/v1/customers', { json: { name: 'Acme Trading', ...(address ? { email: address } : {}) } })
  status(res, 201)
  return res.body
}

async function schedule(tenant: TestTenant, json: Json): Promise<Json> {
  const res = await tenant.asOwner.post('/api/v1/recurring-invoices', {
    json: { template: { amountsAre: 'exclusive', lines: [{ description: 'Support retainer', quantity: '1', unitPrice: '450.00', accountId: income }] }, frequency: 'monthly', interval: 1, autoIssue: false, autoSend: false, ...json },
  })
  status(res, 201)
  return res.body
}

/** The invoices a schedule made, by occurrence. */
async function madeBy(scheduleId: string) {
  return sql<{ occurrence_date: string, status: string, error: string | null, invoice_id: string, date: string, number: string | null, doc_status: string, journal_entry_id: string | null }[]>`
    select r.occurrence_date::text, r.status, r.error, r.invoice_id, d.date::text, d.number, d.status as doc_status, d.journal_entry_id
      from recurring_invoice_runs r left join sales_documents d on d.tenant_id = r.tenant_id and d.id = r.invoice_id
     where r.recurring_invoice_id = ${scheduleId} order by r.occurrence_date`
}

beforeAll(async () => {
  for (const [key, value] of Object.entries(inject('serverEnv'))) if (value !== undefined) process.env[key] = value
  setDatabase(connect(inject('databaseUrl'), { max: 8 }))
  t = await createTenant({ chartOfAccounts: 'standard' })
  income = ((await t.asOwner.get('/api/v1/accounts')).body.data as Json[]).find(a => a.code === '4000')!.id
})

afterAll(async () => {
  await closeQueues()
  await closeDatabase()
  await sql.end()
})

describe('recurring invoices', () => {
  it('a monthly schedule from 31 January makes 31 Jan and 28 Feb by 1 March; a second run makes nothing more', async () => {
    const c = await newCustomer(t)
    const s = await schedule(t, { customerId: c.id, startDate: '2026-01-31' })
    const first = await runRecurringInvoices(t.id, { today: '2026-03-01' })
    expect(first.created).toBe(2)
    const again = await runRecurringInvoices(t.id, { today: '2026-03-01' })
    expect(again.created).toBe(0)
    const made = await madeBy(s.id)
    expect(made.map(r => [r.occurrence_date, r.date, r.doc_status, r.status])).toEqual([
      ['2026-01-31', '2026-01-31', 'draft', 'done'],
      ['2026-02-28', '2026-02-28', 'draft', 'done'],
    ])
    const res = await t.asOwner.get(`/api/v1/recurring-invoices/${s.id}`)
    expect(res.body).toMatchObject({ nextDate: '2026-03-31', lastGeneratedDate: '2026-02-28', invoicesMade: 2, lastError: null })
    // the invoice is the template's, dated the occurrence, due by the settings' 30 days
    const inv = await t.asOwner.get(`/api/v1/invoices/${made[1]!.invoice_id}`)
    expect(inv.body).toMatchObject({ customerId: c.id, date: '2026-02-28', dueDate: '2026-03-30', total: '450.00', status: 'draft' })
    // the next month's run makes 31 March only
    expect((await runRecurringInvoices(t.id, { today: '2026-03-31' })).created).toBe(1)
    expect((await madeBy(s.id)).map(r => r.date)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31'])
  })

  it('four concurrent runs make each occurrence exactly once', async () => {
    const tenant = await createTenant({ chartOfAccounts: 'standard' })
    const acc = ((await tenant.asOwner.get('/api/v1/accounts')).body.data as Json[]).find(a => a.code === '4000')!.id
    const c = await newCustomer(tenant)
    const ids: string[] = []
    for (const startDate of ['2026-01-05', '2026-01-12']) {
      const res = await tenant.asOwner.post('/api/v1/recurring-invoices', {
        json: { customerId: c.id, template: { amountsAre: 'exclusive', lines: [{ description: 'Weekly', quantity: '1', unitPrice: '10', accountId: acc }] }, frequency: 'weekly', interval: 1, startDate, autoIssue: true, autoSend: false },
      })
      status(res, 201)
      ids.push(res.body.id)
    }
    const runs = await Promise.all([1, 2, 3, 4].map(() => runRecurringInvoices(tenant.id, { today: '2026-03-01' })))
    // 2026-01-05 … 2026-02-23: 8 Mondays; 2026-01-12 … 2026-02-23: 7
    expect(runs.reduce((n, r) => n + r.created, 0)).toBe(15)
    expect(runs.reduce((n, r) => n + r.issued, 0)).toBe(15)
    const rows = await sql`select d.date::text, d.number from sales_documents d where d.tenant_id = ${tenant.id} order by d.number`
    expect(rows).toHaveLength(15)
    // gapless numbers, one per invoice
    expect(rows.map(r => r.number)).toEqual(Array.from({ length: 15 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`))
    for (const id of ids) {
      const made = await madeBy(id)
      expect(new Set(made.map(r => r.occurrence_date)).size).toBe(made.length)
      expect(made.every(r => r.status === 'done' && r.doc_status === 'issued')).toBe(true)
    }
  })

  it('autoIssue gives a numbered invoice posted to AR; a closed period leaves that occurrence a draft (noted, notified) and the next one is still issued', async () => {
    const tenant = await createTenant({ chartOfAccounts: 'standard' })
    const accounts = Object.fromEntries(((await tenant.asOwner.get('/api/v1/accounts')).body.data as Json[]).map(a => [a.code, a.id]))
    const c = await newCustomer(tenant)
    // an invoice in January 2021 makes the fiscal year; then January is closed
    const opener = await tenant.asOwner.post('/api/v1/invoices', { json: { customerId: c.id, date: '2021-01-05', amountsAre: 'exclusive', issue: true, lines: [{ description: 'Setup', quantity: '1', unitPrice: '10', accountId: accounts['4000'] }] } })
    status(opener, 201)
    const year = (await tenant.asOwner.get('/api/v1/fiscal-periods')).body.data.find((p: Json) => p.startDate === '2021-01-01').fiscalYearId
    await closePeriodsUpTo(tenant.asOwner, year, 1)
    const res = await tenant.asOwner.post('/api/v1/recurring-invoices', {
      json: { customerId: c.id, template: { amountsAre: 'exclusive', lines: [{ description: 'Retainer', quantity: '2', unitPrice: '100', accountId: accounts['4000'] }] }, frequency: 'monthly', interval: 1, startDate: '2021-01-15', autoIssue: true, autoSend: false },
    })
    status(res, 201)
    const result = await runRecurringInvoices(tenant.id, { today: '2021-02-20' })
    expect(result).toMatchObject({ created: 2, issued: 1, failed: 1 })
    const made = await madeBy(res.body.id)
    expect(made.map(r => [r.date, r.status, r.doc_status, r.number])).toEqual([
      ['2021-01-15', 'issue_failed', 'draft', null],
      ['2021-02-15', 'done', 'issued', 'INV-000002'],
    ])
    expect(made[0]!.error).toMatch(/LEDGER_PERIOD_CLOSED/)
    // the issued one posted: AR 200 debit, income 200 credit
    const entry = await tenant.asOwner.get(`/api/v1/journal-entries/${made[1]!.journal_entry_id}`)
    expect(entry.body.status).toBe('posted')
    expect((entry.body.lines as Json[]).map(l => [l.accountCode, l.debit, l.credit]).sort()).toEqual([['1100', '200.00', '0.00'], ['4000', '0.00', '200.00']])
    const after = await tenant.asOwner.get(`/api/v1/recurring-invoices/${res.body.id}`)
    expect(after.body.lastError).toMatch(/^Not issued: LEDGER_PERIOD_CLOSED/)
    const notes = await sql`select type, title from notifications where tenant_id = ${tenant.id} and type = 'recurring_invoice.issue_failed'`
    expect(notes).toHaveLength(1)
    // running again does not retry the refused issue nor notify twice
    await runRecurringInvoices(tenant.id, { today: '2021-02-20' })
    expect(await sql`select 1 from notifications where tenant_id = ${tenant.id} and type = 'recurring_invoice.issue_failed'`).toHaveLength(1)
  })

  it('autoSend mails the issued invoice with its PDF to the customer; a customer without an address: issued, not sent, noted', async () => {
    const c = await newCustomer(t)
    const s = await schedule(t, { customerId: c.id, startDate: '2026-05-10', autoIssue: true, autoSend: true })
    await runRecurringInvoices(t.id, { today: '2026-05-10' })
    const [run] = await madeBy(s.id)
    expect(run).toMatchObject({ status: 'done', doc_status: 'issued' })
    const [mail] = await waitForMail(inject('mailDir'), c.email!)
    const organisation = (await t.asOwner.get('/api/v1/settings')).body.name
    expect(mail!.subject).toBe(`Invoice ${run!.number} from ${organisation}`)
    expect(mail!.attachments.map(a => [a.filename, a.contentType])).toEqual([[`invoice-${run!.number}.pdf`, 'application/pdf']])
    expect(mail!.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-')
    // once: a second run sends nothing more
    await runRecurringInvoices(t.id, { today: '2026-05-10' })
    expect(await sql`select 1 from mail_outbox where tenant_id = ${t.id} and ${c.email} = any("to")`).toHaveLength(1)

    const silent = await newCustomer(t, null)
    const s2 = await schedule(t, { customerId: silent.id, startDate: '2026-05-10', autoIssue: true, autoSend: true })
    const r = await runRecurringInvoices(t.id, { today: '2026-05-10' })
    expect(r).toMatchObject({ created: 1, issued: 1, sent: 0, failed: 1 })
    const [run2] = await madeBy(s2.id)
    expect(run2).toMatchObject({ status: 'done', doc_status: 'issued' })
    expect(run2!.error).toMatch(/CUSTOMER_EMAIL_MISSING/)
    expect((await t.asOwner.get(`/api/v1/recurring-invoices/${s2.id}`)).body.lastError).toMatch(/^Not sent: CUSTOMER_EMAIL_MISSING/)
  })
})

describe('dunning reminders', () => {
  let d: TestTenant
  let acc: string

  beforeAll(async () => {
    d = await createTenant({ chartOfAccounts: 'standard' })
    acc = ((await d.asOwner.get('/api/v1/accounts')).body.data as Json[]).find(a => a.code === '4000')!.id
    status(await d.asOwner.patch('/api/v1/settings', { json: { dunningDays: [7, 14] } }), 200)
  })

  async function overdueInvoice(address: string | null, dueDate = '2026-03-01'): Promise<Json> {
    const c = await newCustomer(d, address)
    const res = await d.asOwner.post('/api/v1/invoices', { json: { customerId: c.id, date: '2026-02-01', dueDate, amountsAre: 'exclusive', issue: true, lines: [{ description: 'Work', quantity: '1', unitPrice: '120', accountId: acc }] } })
    status(res, 201)
    return { ...res.body, email: address }
  }
  const reminders = (invoiceId: string) => sql<{ step: number, status: string, days_overdue: number }[]>`
    select step, status, days_overdue from dunning_reminders where tenant_id = ${d.id} and invoice_id = ${invoiceId} order by step`
  const mailsTo = (address: string) => sql<{ subject: string }[]>`select subject from mail_outbox where tenant_id = ${d.id} and ${address} = any("to") order by created_at`

  it('nothing before due + 7; at +7 one reminder (run twice: still one); at +14 the second; each once', async () => {
    const inv = await overdueInvoice(email())
    await runDunning(d.id, { today: '2026-03-07' })
    expect(await reminders(inv.id)).toEqual([])
    const first = await runDunning(d.id, { today: '2026-03-08' })
    expect(first.sent).toBeGreaterThanOrEqual(1)
    await runDunning(d.id, { today: '2026-03-08' })
    await runDunning(d.id, { today: '2026-03-09' })
    expect(await reminders(inv.id)).toEqual([{ step: 7, status: 'sent', days_overdue: 7 }])
    expect((await mailsTo(inv.email)).map(m => m.subject)).toEqual([`Reminder: invoice ${inv.number} is 7 days overdue`])
    await Promise.all([runDunning(d.id, { today: '2026-03-15' }), runDunning(d.id, { today: '2026-03-15' })])
    await runDunning(d.id, { today: '2026-04-30' })
    expect(await reminders(inv.id)).toEqual([{ step: 7, status: 'sent', days_overdue: 7 }, { step: 14, status: 'sent', days_overdue: 14 }])
    expect((await mailsTo(inv.email)).map(m => m.subject)).toEqual([`Reminder: invoice ${inv.number} is 7 days overdue`, `Reminder: invoice ${inv.number} is 14 days overdue`])
    // delivered, with the invoice PDF and the amount due
    const mails = await waitForMail(inject('mailDir'), inv.email, 2)
    expect(mails[1]!.attachments.map(a => a.filename)).toEqual([`invoice-${inv.number}.pdf`])
    expect(mails[1]!.text).toContain('120.00')
    expect(mails[1]!.text).toContain('14 days overdue')
  })

  it('several steps due at once: only the highest is sent, the lower recorded as skipped', async () => {
    const inv = await overdueInvoice(email())
    await runDunning(d.id, { today: '2026-03-20' })
    await runDunning(d.id, { today: '2026-03-21' })
    expect(await reminders(inv.id)).toEqual([{ step: 7, status: 'skipped', days_overdue: 19 }, { step: 14, status: 'sent', days_overdue: 19 }])
    expect((await mailsTo(inv.email)).map(m => m.subject)).toEqual([`Reminder: invoice ${inv.number} is 19 days overdue`])
  })

  it('nothing for a void or a paid invoice, nor a draft; a customer without an address is recorded not_sent once', async () => {
    const voided = await overdueInvoice(email())
    status(await d.asOwner.post(`/api/v1/invoices/${voided.id}/void`, { json: {} }), 200)
    const paid = await overdueInvoice(email())
    // paid in full as a receipt's allocation would leave it (receipts are another module)
    await sql`update sales_documents set amount_allocated = total, status = 'paid' where tenant_id = ${d.id} and id = ${paid.id}`
    const c = await newCustomer(d, email())
    const draft = await d.asOwner.post('/api/v1/invoices', { json: { customerId: c.id, date: '2026-02-01', dueDate: '2026-03-01', amountsAre: 'exclusive', lines: [{ description: 'Work', quantity: '1', unitPrice: '120', accountId: acc }] } })
    status(draft, 201)
    const silent = await overdueInvoice(null)
    await runDunning(d.id, { today: '2026-03-09' })
    await runDunning(d.id, { today: '2026-03-10' })
    expect(await reminders(voided.id)).toEqual([])
    expect(await reminders(paid.id)).toEqual([])
    expect(await reminders(draft.body.id)).toEqual([])
    expect(await mailsTo(voided.email)).toEqual([])
    expect(await mailsTo(paid.email)).toEqual([])
    expect(await mailsTo(c.email!)).toEqual([])
    expect(await reminders(silent.id)).toEqual([{ step: 7, status: 'not_sent', days_overdue: 8 }])
  })

  it('no reminder days set: nothing at all', async () => {
    const other = await createTenant({ chartOfAccounts: 'standard' })
    expect(await runDunning(other.id, { today: '2030-01-01' })).toEqual({ sent: 0, skipped: 0, notSent: 0 })
  })
})

// Last: the sweep runs every tenant with work as of the real today, so it must not race the fixed-date tests above.
describe('the receivables job', () => {
  // The sweep walks every organisation in the shared test database (hundreds by then), behind any
  // sweep already queued: up to two minutes on a loaded two-core machine.
  it('the hourly job through BullMQ: a sweep on the receivables queue makes what is due today in the organisation\'s zone', { timeout: 150_000 }, async () => {
    const tenant = await createTenant({ chartOfAccounts: 'standard' })
    const acc = ((await tenant.asOwner.get('/api/v1/accounts')).body.data as Json[]).find(a => a.code === '4000')!.id
    const c = await newCustomer(tenant)
    const today = todayIn('UTC')
    const startDate = new Date(Date.parse(`${today}T00:00:00Z`) - 14 * 86_400_000).toISOString().slice(0, 10)
    const res = await tenant.asOwner.post('/api/v1/recurring-invoices', {
      json: { customerId: c.id, template: { amountsAre: 'exclusive', lines: [{ description: 'Weekly', quantity: '1', unitPrice: '10', accountId: acc }] }, frequency: 'weekly', interval: 1, startDate, autoIssue: false, autoSend: false },
    })
    status(res, 201)
    const expected = occurrencesThrough({ frequency: 'weekly', interval: 1, startDate }, startDate, today)
    expect(expected).toHaveLength(3)
    const queue = await useQueue('receivables')
    await queue.add('sweep', {}, { jobId: `test-sweep-${randomBytes(4).toString('hex')}` })
    const deadline = Date.now() + 140_000
    let dates: string[] = []
    while (Date.now() < deadline) {
      dates = (await madeBy(res.body.id)).map(r => r.date)
      if (dates.length >= expected.length) break
      await new Promise(r => setTimeout(r, 250))
    }
    expect(dates).toEqual(expected)
  })
})
