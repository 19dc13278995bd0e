/**
 * Recurring invoices through the real server (SPEC §5 `recurring-invoices`): create, read, list,
 * change and delete; the next date (month-end clipping, re-timing); each refusal (400 malformed,
 * 422 a rule, 404 unknown or another tenant's, 409 stale); permissions; and the settings'
 * `dunningDays`. What the job does with a schedule is proved in tests/db/receivables-jobs.test.ts.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, request, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
let customer: string
let otherCustomer: string
let item: string
let vat: string

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
const template = (over: Json = {}) => ({ amountsAre: 'exclusive', reference: 'Retainer', lines: [{ itemId: item, description: 'Monthly support', quantity: '1', unitPrice: '450' }], ...over })
const body = (over: Json = {}) => ({ customerId: customer, template: template(), frequency: 'monthly', interval: 1, startDate: '2030-01-31', autoIssue: true, autoSend: false, ...over })

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  const accounts = Object.fromEntries(((await t.asOwner.get('/api/v1/accounts')).body.data as Json[]).map(a => [a.code, a.id]))
  vat = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'sales' } })).body.id
  customer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Northwind Traders', email: 'ap@northwind.test' } })).body.id
  const i = await t.asOwner.post('/api/v1/items', { json: { code: 'SUP', name: 'Support', kind: 'service', salesPrice: '450', incomeAccountId: accounts['4000'], salesTaxRateId: vat } })
  status(i, 201)
  item = i.body.id
  otherCustomer = (await other.asOwner.post('/api/v1/customers', { json: { name: 'Elsewhere Ltd' } })).body.id
})

describe('CRUD', () => {
  it('creates a schedule: the next date is its start, nothing made yet; audited', async () => {
    const res = await t.asOwner.post('/api/v1/recurring-invoices', { json: body() })
    status(res, 201)
    expect(res.body).toMatchObject({
      customerId: customer, customer: { id: customer, name: 'Northwind Traders' }, frequency: 'monthly', interval: 1, startDate: '2030-01-31', endDate: null,
      autoIssue: true, autoSend: false, isActive: true, nextDate: '2030-01-31', lastGeneratedDate: null, lastError: null, invoicesMade: 0, version: 1,
    })
    expect(res.body.template).toEqual(template())
    expect((await t.asOwner.get(`/api/v1/recurring-invoices/${res.body.id}`)).body).toEqual(res.body)
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(audit.map(a => a.action)).toEqual(['recurring_invoice.create'])
  })

  it('defaults: interval 1, no auto issue or send', async () => {
    const { interval: _i, autoIssue: _a, autoSend: _s, ...bare } = body()
    const res = await t.asOwner.post('/api/v1/recurring-invoices', { json: bare })
    status(res, 201)
    expect(res.body).toMatchObject({ interval: 1, autoIssue: false, autoSend: false })
  })

  it('lists the tenant\'s schedules (search by customer, filter active), never another tenant\'s', async () => {
    const made = (await t.asOwner.post('/api/v1/recurring-invoices', { json: body({ isActive: false }) })).body
    const all = await t.asOwner.get('/api/v1/recurring-invoices')
    status(all, 200)
    expect(all.body.total).toBeGreaterThanOrEqual(3)
    expect(all.body.data.every((r: Json) => r.customerId === customer)).toBe(true)
    const inactive = await t.asOwner.get('/api/v1/recurring-invoices?active=false')
    expect(inactive.body.data.map((r: Json) => r.id)).toEqual([made.id])
    expect((await t.asOwner.get('/api/v1/recurring-invoices?q=northwind')).body.total).toBe(all.body.total)
    expect((await t.asOwner.get('/api/v1/recurring-invoices?q=nobody')).body.total).toBe(0)
    expect((await other.asOwner.get('/api/v1/recurring-invoices')).body.total).toBe(0)
  })

  it('PATCH changes fields; a new frequency re-times the next date; stale version 409; DELETE removes it', async () => {
    const made = (await t.asOwner.post('/api/v1/recurring-invoices', { json: body() })).body
    const res = await t.asOwner.patch(`/api/v1/recurring-invoices/${made.id}`, { json: { version: 1, frequency: 'weekly', interval: 2, startDate: '2030-02-01', endDate: '2030-12-31', template: template({ memo: 'Weekly now' }) } })
    status(res, 200)
    expect(res.body).toMatchObject({ frequency: 'weekly', interval: 2, startDate: '2030-02-01', endDate: '2030-12-31', nextDate: '2030-02-01', version: 2 })
    expect(res.body.template.memo).toBe('Weekly now')
    const stale = await t.asOwner.patch(`/api/v1/recurring-invoices/${made.id}`, { json: { version: 1, interval: 3 } })
    status(stale, 409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    status(await t.asOwner.delete(`/api/v1/recurring-invoices/${made.id}`), 200)
    status(await t.asOwner.get(`/api/v1/recurring-invoices/${made.id}`), 404)
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${made.id} order by id`
    expect(audit.map(a => a.action)).toEqual(['recurring_invoice.create', 'recurring_invoice.update', 'recurring_invoice.delete'])
  })
})

describe('refusals', () => {
  it('400 for malformed input, naming the field', async () => {
    const cases: [Json, string][] = [
      [{ ...body(), customerId: 'nope' }, 'customerId'],
      [{ ...body(), frequency: 'daily' }, 'frequency'],
      [{ ...body(), interval: 0 }, 'interval'],
      [{ ...body(), interval: 1.5 }, 'interval'],
      [{ ...body(), startDate: '2030-02-30' }, 'startDate'],
      [{ ...body(), endDate: '2029-12-31' }, 'endDate'],
      [{ ...body(), autoIssue: false, autoSend: true }, 'autoSend'],
      [{ ...body(), template: template({ lines: [] }) }, 'template.lines'],
      [{ ...body(), template: template({ date: '2030-01-01' }) }, 'template'],
      [{ ...body(), template: template({ lines: [{ description: 'x', quantity: '-1', unitPrice: '1', accountId: randomUUID() }] }) }, 'template.lines.0.quantity'],
      [{ ...body(), template: { lines: [{ description: 'x', quantity: '1', unitPrice: '1' }] } }, 'template.amountsAre'],
      [{ ...body(), extra: 1 }, ''],
    ]
    for (const [json, field] of cases) {
      const res = await t.asOwner.post('/api/v1/recurring-invoices', { json })
      status(res, 400)
      expect(res.body.data.code, JSON.stringify(json)).toMatch(/VALIDATION_FAILED|UNKNOWN_FIELD/)
      if (field) expect(Object.keys(res.body.data.fields ?? {}).some(k => k.startsWith(field)), `${field} in ${res.text}`).toBe(true)
    }
    expect(Number((await sql`select count(*) from recurring_invoices where tenant_id = ${t.id} and start_date = '2029-12-31'`)[0]!.count)).toBe(0)
  })

  it('422 for a rule: another tenant\'s customer, an unknown item, a purchases-only tax rate, an inactive customer', async () => {
    const buy = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'IN5', name: 'Input 5%', rate: '5', scope: 'purchases' } })).body.id
    const gone = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Gone Ltd', isActive: false } })).body.id
    const cases: [Json, string, string][] = [
      [body({ customerId: otherCustomer }), 'SALES_DOCUMENT_INVALID', 'customerId'],
      [body({ customerId: gone }), 'SALES_DOCUMENT_INVALID', 'customerId'],
      [body({ template: template({ lines: [{ itemId: randomUUID(), description: 'x', quantity: '1', unitPrice: '1' }] }) }), 'SALES_DOCUMENT_INVALID', 'template.lines.0.itemId'],
      [body({ template: template({ lines: [{ description: 'x', quantity: '1', unitPrice: '1' }] }) }), 'SALES_ACCOUNT_INVALID', 'template.lines.0.accountId'],
      [body({ template: template({ lines: [{ itemId: item, description: 'x', quantity: '1', unitPrice: '1', taxRateId: buy }] }) }), 'TAX_RATE_INVALID', 'template.lines.0.taxRateId'],
    ]
    for (const [json, code, field] of cases) {
      const res = await t.asOwner.post('/api/v1/recurring-invoices', { json })
      status(res, 422)
      expect(res.body.data.code).toBe(code)
      expect(Object.keys(res.body.data.fields)).toContain(field)
    }
  })

  it('404 for an unknown id or another tenant\'s schedule (read, change, delete)', async () => {
    const mine = (await t.asOwner.post('/api/v1/recurring-invoices', { json: body() })).body
    for (const c of [other.asOwner]) {
      status(await c.get(`/api/v1/recurring-invoices/${mine.id}`), 404)
      status(await c.patch(`/api/v1/recurring-invoices/${mine.id}`, { json: { interval: 2 } }), 404)
      status(await c.delete(`/api/v1/recurring-invoices/${mine.id}`), 404)
    }
    status(await t.asOwner.get(`/api/v1/recurring-invoices/${randomUUID()}`), 404)
    status(await t.asOwner.get('/api/v1/recurring-invoices/not-a-uuid'), 400)
    expect((await t.asOwner.get(`/api/v1/recurring-invoices/${mine.id}`)).body.interval).toBe(1)
  })

  it('ar:read reads, ar:write writes: a viewer cannot create (403)', async () => {
    const viewer = await addMember(t, ['viewer'])
    status(await viewer.client.get('/api/v1/recurring-invoices'), 200)
    status(await viewer.client.post('/api/v1/recurring-invoices', { json: body() }), 403)
    const clerk = await addMember(t, ['ar_clerk'])
    status(await clerk.client.post('/api/v1/recurring-invoices', { json: body() }), 201)
  })
})

describe('settings: dunningDays', () => {
  it('defaults to [] (no reminders); PATCH stores the days ascending; bad values are 400', async () => {
    const s = await t.asOwner.get('/api/v1/settings')
    expect(s.body.dunningDays).toEqual([])
    const res = await t.asOwner.patch('/api/v1/settings', { json: { dunningDays: [30, 7, 14] } })
    status(res, 200)
    expect(res.body.dunningDays).toEqual([7, 14, 30])
    for (const bad of [[0], [7, 7], [1.5], Array.from({ length: 11 }, (_, i) => i + 1), ['7']]) {
      const r = await t.asOwner.patch('/api/v1/settings', { json: { dunningDays: bad } })
      status(r, 400)
      expect(Object.keys(r.body.data.fields).some(k => k.startsWith('dunningDays'))).toBe(true)
    }
    expect((await t.asOwner.get('/api/v1/settings')).body.dunningDays).toEqual([7, 14, 30])
    const [row] = await sql`select dunning_days from tenant_settings where tenant_id = ${t.id}`
    expect(row!.dunning_days).toEqual([7, 14, 30])
  })
})

describe('the page', () => {
  it('renders /sales/recurring-invoices on the server for a signed-in member, with its heading and the navigation link', async () => {
    const login = await request('POST', t.host, '/api/v1/auth/login', { json: { email: t.owner.email, password: t.owner.password } })
    status(login, 200)
    const cookie = (login.headers.get('set-cookie') ?? '').split(/,(?=\s*__Host-|\s*paksa_)/).map(c => c.split(';')[0]!.trim()).join('; ')
    const page = await request('GET', t.host, '/sales/recurring-invoices', { headers: { cookie, accept: 'text/html' } })
    status(page, 200)
    expect(page.text).toContain('Recurring invoices')
    expect(page.text).toContain('href="/sales/recurring-invoices"')
  })
})
