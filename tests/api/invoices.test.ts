/**
 * Invoices through the real server (SPEC §5 `invoices`, §6 module 5): drafts (create, read, change,
 * delete), issue (gapless number, figures, the posted entry), void (the reversal), the list's
 * filters, each refusal, another tenant's ids, the customer's balance, and what the database
 * refuses whatever the code does. Figures are worked by hand in each test's comments.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'
import { closePeriodsUpTo, createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}
let vat: string
let group: string
let customer: string
let item: string

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
const create = (c: Client, json: Json) => c.post('/api/v1/invoices', { json })
async function created(c: Client, json: Json): Promise<Json> {
  const res = await create(c, json)
  status(res, 201)
  return res.body
}
async function issued(c: Client, json: Json): Promise<Json> {
  return created(c, { ...json, issue: true })
}
/** The entry's lines as [code, debit, credit, baseDebit, baseCredit], sorted. */
async function legs(c: Client, entryId: string) {
  const res = await c.get(`/api/v1/journal-entries/${entryId}`)
  status(res, 200)
  return { entry: res.body, legs: (res.body.lines as Json[]).map(l => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit]).sort() }
}
async function accountIds(c: Client) {
  const res = await c.get('/api/v1/accounts')
  return Object.fromEntries((res.body.data as Json[]).map(a => [a.code, a.id])) as Record<string, string>
}
const consulting = (over: Json = {}) => ({ itemId: item, description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', ...over })

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  Object.assign(acc, await accountIds(t.asOwner))
  acc['2110'] = (await createAccount(t.asOwner, { code: '2110', name: 'PST payable', type: 'liability', subtype: 'tax_payable' })).id
  vat = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'sales' } })).body.id
  const g = await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'GP12', name: 'GST + PST', scope: 'sales', components: [{ name: 'GST', rate: '5', accountId: acc['2100'] }, { name: 'PST', rate: '7', accountId: acc['2110'] }] } })
  status(g, 201)
  group = g.body.id
  customer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Northwind Traders', paymentTermsDays: 14 } })).body.id
  const i = await t.asOwner.post('/api/v1/items', { json: { code: 'CONS', name: 'Consulting', kind: 'service', salesPrice: '19.99', incomeAccountId: acc['4100'], salesTaxRateId: vat } })
  status(i, 201)
  item = i.body.id
})

describe('drafts', () => {
  it('creates a draft: 3 × 19.99 less 10% = 53.97 (53.973), VAT 20% 10.79 (10.794), total 64.76; account and rate from the item; due in the customer\'s 14 days', async () => {
    const res = await create(t.asOwner, { customerId: customer, date: '2026-03-02', amountsAre: 'exclusive', reference: 'PO-1', lines: [consulting()] })
    status(res, 201)
    expect(res.body).toMatchObject({
      kind: 'invoice', number: null, status: 'draft', customer: { id: customer, name: 'Northwind Traders' }, date: '2026-03-02', dueDate: '2026-03-16',
      currency: 'USD', exchangeRate: '1', reference: 'PO-1', amountsAre: 'exclusive', subtotal: '53.97', taxTotal: '10.79', total: '64.76',
      amountPaid: '0.00', amountDue: '64.76', journalEntryId: null, version: 1,
    })
    expect(res.body.lines).toEqual([{
      lineNo: 1, itemId: item, description: 'Consulting, per hour', quantity: '3', unitPrice: '19.99', discountPercent: '10', accountId: acc['4100'], taxRateId: vat,
      amount: '53.97', net: '53.97', tax: '10.79', total: '64.76',
      taxes: [{ taxRateId: vat, position: 0, name: 'VAT 20%', rate: '20.0000', accountId: acc['2100'], net: '53.97', tax: '10.79' }],
    }])
    expect(res.body.taxBreakdown).toEqual([{ taxRateId: vat, rate: '20.0000', net: '53.97', tax: '10.79', components: [{ position: 0, name: 'VAT 20%', rate: '20.0000', accountId: acc['2100'], net: '53.97', tax: '10.79' }] }])
    expect((await t.asOwner.get(`/api/v1/invoices/${res.body.id}`)).body).toEqual(res.body)
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(audit.map(a => a.action)).toEqual(['invoice.create'])
    // nothing posted by a draft
    expect(await sql`select 1 from journal_entries where tenant_id = ${t.id} and source_id = ${res.body.id}`).toHaveLength(0)
  })

  it('an explicit null taxRateId means no tax; the settings\' 30 days when the customer has no terms; a given due date wins', async () => {
    const walkIn = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Walk-in' } })).body.id
    const d = await created(t.asOwner, { customerId: walkIn, date: '2026-03-02', amountsAre: 'exclusive', lines: [consulting({ taxRateId: null })] })
    expect(d).toMatchObject({ dueDate: '2026-04-01', subtotal: '53.97', taxTotal: '0.00', total: '53.97', taxBreakdown: [] })
    expect(d.lines[0].taxes).toEqual([])
    expect((await created(t.asOwner, { customerId: walkIn, date: '2026-03-02', dueDate: '2026-03-05', amountsAre: 'exclusive', lines: [consulting()] })).dueDate).toBe('2026-03-05')
  })

  it('PATCH changes a draft (lines given replace them all; the version goes up); DELETE removes it', async () => {
    const d = await created(t.asOwner, { customerId: customer, date: '2026-03-02', amountsAre: 'exclusive', lines: [consulting(), consulting({ quantity: '1' })] })
    const res = await t.asOwner.patch(`/api/v1/invoices/${d.id}`, { json: { version: 1, memo: 'March work', lines: [{ description: 'Fixed fee', quantity: '1', unitPrice: '100', accountId: acc['4000'], taxRateId: vat }] } })
    status(res, 200)
    expect(res.body).toMatchObject({ memo: 'March work', version: 2, subtotal: '100.00', taxTotal: '20.00', total: '120.00', dueDate: '2026-03-16' })
    expect(res.body.lines).toHaveLength(1)
    const stale = await t.asOwner.patch(`/api/v1/invoices/${d.id}`, { json: { version: 1, memo: 'x' } })
    status(stale, 409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    status(await t.asOwner.delete(`/api/v1/invoices/${d.id}`), 200)
    status(await t.asOwner.get(`/api/v1/invoices/${d.id}`), 404)
    expect(await sql`select 1 from sales_document_lines where document_id = ${d.id}`).toHaveLength(0)
  })

  it('a tax rate named by a draft line is in use: not deleted (422 TAX_RATE_IN_USE)', async () => {
    const r = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'ZERO', name: 'Zero rated', rate: '0', scope: 'both' } })).body.id
    await created(t.asOwner, { customerId: customer, date: '2026-03-02', amountsAre: 'exclusive', lines: [consulting({ taxRateId: r })] })
    expect((await t.asOwner.get(`/api/v1/tax-rates/${r}`)).body.inUse).toBe(true)
    const del = await t.asOwner.delete(`/api/v1/tax-rates/${r}`)
    status(del, 422)
    expect(del.body.data.code).toBe('TAX_RATE_IN_USE')
  })
})

describe('refusals', () => {
  const base = () => ({ customerId: customer, date: '2026-03-02', amountsAre: 'exclusive', lines: [consulting()] })

  it('400 for malformed input, with the field', async () => {
    const cases: [Json, string][] = [
      [{ ...base(), customerId: undefined }, 'customerId'], [{ ...base(), lines: [] }, 'lines'], [{ ...base(), amountsAre: 'gross' }, 'amountsAre'],
      [{ ...base(), lines: [consulting({ quantity: '0' })] }, 'lines.0.quantity'], [{ ...base(), lines: [consulting({ quantity: '1.23456' })] }, 'lines.0.quantity'],
      [{ ...base(), lines: [consulting({ discountPercent: '100.5' })] }, 'lines.0.discountPercent'], [{ ...base(), lines: [consulting({ unitPrice: '-1' })] }, 'lines.0.unitPrice'],
      [{ ...base(), lines: [consulting({ description: ' ' })] }, 'lines.0.description'], [{ ...base(), date: '2026-02-30' }, 'date'],
      [{ ...base(), currency: 'XXY' }, 'currency'], [{ ...base(), exchangeRate: '1.5' }, 'exchangeRate'], [{ ...base(), colour: 'red' }, ''],
    ]
    for (const [json, field] of cases) {
      const res = await create(t.asOwner, json)
      expect(res.status, `${JSON.stringify(json)} ${res.text}`).toBe(400)
      if (field) expect(Object.keys(res.body.data.fields ?? {}), JSON.stringify(json)).toContain(field)
    }
  })

  it('422 with a stable code and the field for a rule, and nothing is written', async () => {
    const expense = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'PUR', name: 'Purchases only', rate: '5', scope: 'purchases' } })).body.id
    const off = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'OFF', name: 'Retired', rate: '5', scope: 'sales', isActive: false } })).body.id
    const otherCustomer = (await other.asOwner.post('/api/v1/customers', { json: { name: 'Elsewhere' } })).body.id
    const inactive = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Gone', isActive: false } })).body.id
    const euro = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Euro GmbH', currency: 'EUR' } })).body.id
    const cases: [Json, string, string][] = [
      [{ ...base(), customerId: randomUUID() }, 'SALES_DOCUMENT_INVALID', 'customerId'],
      [{ ...base(), customerId: otherCustomer }, 'SALES_DOCUMENT_INVALID', 'customerId'],
      [{ ...base(), customerId: inactive }, 'SALES_DOCUMENT_INVALID', 'customerId'],
      [{ ...base(), dueDate: '2026-03-01' }, 'SALES_DOCUMENT_INVALID', 'dueDate'],
      [{ ...base(), lines: [consulting({ itemId: randomUUID() })] }, 'SALES_DOCUMENT_INVALID', 'lines.0.itemId'],
      [{ ...base(), lines: [consulting(), { description: 'No account', quantity: '1', unitPrice: '5' }] }, 'SALES_ACCOUNT_INVALID', 'lines.1.accountId'],
      [{ ...base(), lines: [consulting({ accountId: acc['6000'] })] }, 'SALES_ACCOUNT_INVALID', 'lines.0.accountId'],
      [{ ...base(), lines: [consulting({ accountId: acc['1100'] })] }, 'SALES_ACCOUNT_INVALID', 'lines.0.accountId'],
      [{ ...base(), lines: [consulting({ accountId: randomUUID() })] }, 'SALES_ACCOUNT_INVALID', 'lines.0.accountId'],
      [{ ...base(), lines: [consulting({ taxRateId: expense })] }, 'TAX_RATE_INVALID', 'lines.0.taxRateId'],
      [{ ...base(), lines: [consulting({ taxRateId: randomUUID() })] }, 'TAX_RATE_INVALID', 'lines.0.taxRateId'],
      [{ ...base(), lines: [consulting(), consulting({ taxRateId: off })] }, 'TAX_RATE_INACTIVE', 'lines.1.taxRateId'],
      [{ ...base(), customerId: euro }, 'LEDGER_NO_RATE', 'exchangeRate'],
    ]
    const before = (await sql`select count(*)::int as n from sales_documents where tenant_id = ${t.id}`)[0]!.n
    for (const [json, code, field] of cases) {
      for (const issue of [false, true]) {
        const res = await create(t.asOwner, { ...json, issue })
        expect(res.status, `${JSON.stringify(json)} ${res.text}`).toBe(422)
        expect(res.body.data.code, JSON.stringify(json)).toBe(code)
        expect(Object.keys(res.body.data.fields ?? {}), JSON.stringify(json)).toContain(field)
      }
    }
    expect((await sql`select count(*)::int as n from sales_documents where tenant_id = ${t.id}`)[0]!.n).toBe(before)
  })

  it('another tenant\'s invoice is 404 on every route; an invoice is not a credit note', async () => {
    const d = await created(t.asOwner, base())
    const o = other.asOwner
    status(await o.get(`/api/v1/invoices/${d.id}`), 404)
    status(await o.patch(`/api/v1/invoices/${d.id}`, { json: { memo: 'x' } }), 404)
    status(await o.delete(`/api/v1/invoices/${d.id}`), 404)
    status(await o.post(`/api/v1/invoices/${d.id}/issue`), 404)
    status(await o.post(`/api/v1/invoices/${d.id}/void`, { json: {} }), 404)
    status(await t.asOwner.get(`/api/v1/credit-notes/${d.id}`), 404)
    status(await t.asOwner.get(`/api/v1/invoices/${randomUUID()}`), 404)
    status(await t.asOwner.get('/api/v1/invoices/not-a-uuid'), 400)
    expect((await o.get('/api/v1/invoices')).body.total).toBe(0)
  })

  it('a viewer reads but cannot write (403)', async () => {
    const viewer = await addMember(t, ['viewer'])
    status(await viewer.client.get('/api/v1/invoices'), 200)
    status(await viewer.client.post('/api/v1/invoices', { json: base() }), 403)
  })
})

describe('issuing', () => {
  it('posts one entry: Dr AR (the control account) total; Cr each income account its net and each tax component\'s account its tax (inclusive: 10.00 at 12% → tax 1.07 = GST 0.45 + PST 0.62, net 8.93)', async () => {
    const res = await create(t.asOwner, {
      customerId: customer, date: '2026-03-05', amountsAre: 'inclusive', issue: true,
      lines: [
        { description: 'Widget', quantity: '1', unitPrice: '10.00', accountId: acc['4000'], taxRateId: group },
        { description: 'Delivery', quantity: '2', unitPrice: '2.50', accountId: acc['4000'], taxRateId: null },
        { description: 'Advice', quantity: '1', unitPrice: '12.00', accountId: acc['4100'], taxRateId: vat },
      ],
    })
    status(res, 201)
    // line 3: 12.00 incl. 20% → tax 2.00, net 10.00. Subtotal 8.93 + 5.00 + 10.00 = 23.93, tax 1.07 + 2.00 = 3.07, total 27.00.
    expect(res.body).toMatchObject({ status: 'issued', subtotal: '23.93', taxTotal: '3.07', total: '27.00', amountDue: '27.00' })
    expect(res.body.number).toMatch(/^INV-\d{6}$/)
    expect(res.body.lines[0]).toMatchObject({ amount: '10.00', net: '8.93', tax: '1.07', total: '10.00' })
    expect(res.body.lines[0].taxes.map((x: Json) => [x.name, x.tax])).toEqual([['GST', '0.45'], ['PST', '0.62']])
    const { entry, legs: l } = await legs(t.asOwner, res.body.journalEntryId)
    expect(entry).toMatchObject({ status: 'posted', source: { type: 'invoice', id: res.body.id }, date: '2026-03-05', currency: 'USD' })
    expect(entry.memo).toBe(`Invoice ${res.body.number}: Northwind Traders`)
    expect(l).toEqual([
      ['1100', '27.00', '0.00', '27.00', '0.00'],
      ['2100', '0.00', '2.45', '0.00', '2.45'], // GST 0.45 + VAT 2.00
      ['2110', '0.00', '0.62', '0.00', '0.62'],
      ['4000', '0.00', '13.93', '0.00', '13.93'],
      ['4100', '0.00', '10.00', '0.00', '10.00'],
    ])
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['invoice.issue'])
    const events = await sql`select type, data from events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(events.map(e => e.type)).toEqual(['invoice.issued'])
    expect(events[0]!.data).toMatchObject({ number: res.body.number, total: '27.00' })
    // The answer is built from what the one issuing call wrote: it is what a read gives back, and what the audit event holds.
    expect((await t.asOwner.get(`/api/v1/invoices/${res.body.id}`)).body).toEqual(res.body)
    const [issuedAudit] = await sql`select after from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(issuedAudit!.after).toEqual(res.body)
    expect(events[0]!.data).toEqual(res.body)
  })

  it('an issued invoice is fixed: PATCH, DELETE and a second issue are 409 SALES_DOCUMENT_NOT_DRAFT; the database refuses a change too', async () => {
    const inv = await issued(t.asOwner, { customerId: customer, date: '2026-03-06', amountsAre: 'exclusive', lines: [consulting()] })
    for (const res of [
      await t.asOwner.patch(`/api/v1/invoices/${inv.id}`, { json: { memo: 'x' } }),
      await t.asOwner.delete(`/api/v1/invoices/${inv.id}`),
      await t.asOwner.post(`/api/v1/invoices/${inv.id}/issue`),
    ]) {
      status(res, 409)
      expect(res.body.data.code).toBe('SALES_DOCUMENT_NOT_DRAFT')
    }
    await expect(sql`update sales_documents set total = 1, subtotal = 1, tax_total = 0 where id = ${inv.id}`).rejects.toThrow(/SALES_DOCUMENT_NOT_DRAFT/)
    await expect(sql`update sales_document_lines set description = 'x' where document_id = ${inv.id}`).rejects.toThrow(/SALES_DOCUMENT_NOT_DRAFT/)
    await expect(sql`delete from sales_documents where id = ${inv.id}`).rejects.toThrow(/SALES_DOCUMENT_NOT_DRAFT/)
    await expect(sql`update sales_documents set amount_allocated = total + 1 where id = ${inv.id}`).rejects.toThrow(/sales_documents_allocated_check/)
  })

  it('the entry cannot be reversed by hand (it holds the AR control account): 422 LEDGER_CONTROL_ACCOUNT', async () => {
    const inv = await issued(t.asOwner, { customerId: customer, date: '2026-03-06', amountsAre: 'exclusive', lines: [consulting()] })
    const res = await t.asOwner.post(`/api/v1/journal-entries/${inv.journalEntryId}/reverse`, { json: {} })
    status(res, 422)
    expect(res.body.data.code).toBe('LEDGER_CONTROL_ACCOUNT')
  })

  it('keeps the rate as issued when the rate changes later', async () => {
    const r = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'R10', name: 'Ten', rate: '10', scope: 'sales' } })).body
    const inv = await issued(t.asOwner, { customerId: customer, date: '2026-03-06', amountsAre: 'exclusive', lines: [{ description: 'A', quantity: '1', unitPrice: '50', accountId: acc['4000'], taxRateId: r.id }] })
    status(await t.asOwner.patch(`/api/v1/tax-rates/${r.id}`, { json: { rate: '15', version: r.version } }), 200)
    const again = (await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body
    expect(again.taxBreakdown).toEqual([{ taxRateId: r.id, rate: '10.0000', net: '50.00', tax: '5.00', components: [{ position: 0, name: 'Ten', rate: '10.0000', accountId: acc['2100'], net: '50.00', tax: '5.00' }] }])
    expect(again.total).toBe('55.00')
  })

  it('a draft is issued with the rates as they are at issue', async () => {
    const r = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'R8', name: 'Eight', rate: '8', scope: 'sales' } })).body
    const d = await created(t.asOwner, { customerId: customer, date: '2026-03-06', amountsAre: 'exclusive', lines: [{ description: 'A', quantity: '1', unitPrice: '50', accountId: acc['4000'], taxRateId: r.id }] })
    expect(d.total).toBe('54.00')
    status(await t.asOwner.patch(`/api/v1/tax-rates/${r.id}`, { json: { rate: '9', version: r.version } }), 200)
    const res = await t.asOwner.post(`/api/v1/invoices/${d.id}/issue`)
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'issued', taxTotal: '4.50', total: '54.50', version: 2 })
    expect((await t.asOwner.get(`/api/v1/invoices/${d.id}`)).body).toEqual(res.body)
  })

  it('a foreign-currency invoice posts base amounts at its rate (given, or the table\'s on or before the date)', async () => {
    const euro = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Euro SARL', currency: 'EUR' } })).body.id
    // 3 × 33.33 = 99.99, VAT 19.998 → 20.00, total 119.99; at 1.1: 131.989 → 131.99, 109.989 → 109.99, 22.00
    const inv = await issued(t.asOwner, { customerId: euro, date: '2026-04-01', exchangeRate: '1.1', amountsAre: 'exclusive', lines: [{ description: 'Work', quantity: '3', unitPrice: '33.33', accountId: acc['4000'], taxRateId: vat }] })
    expect(inv).toMatchObject({ currency: 'EUR', exchangeRate: '1.1', total: '119.99' })
    const { entry, legs: l } = await legs(t.asOwner, inv.journalEntryId)
    expect(entry).toMatchObject({ currency: 'EUR', exchangeRate: '1.1' })
    expect(l).toEqual([['1100', '119.99', '0.00', '131.99', '0.00'], ['2100', '0.00', '20.00', '0.00', '22.00'], ['4000', '0.00', '99.99', '0.00', '109.99']])
    status(await t.asOwner.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date: '2026-04-01', rate: '1.25' } }), 201)
    const fromTable = await issued(t.asOwner, { customerId: euro, date: '2026-04-10', amountsAre: 'exclusive', lines: [{ description: 'Work', quantity: '1', unitPrice: '10', accountId: acc['4000'] }] })
    expect(fromTable.exchangeRate).toBe('1.25')
    expect((await legs(t.asOwner, fromTable.journalEntryId)).legs[0]).toEqual(['1100', '10.00', '0.00', '12.50', '0.00'])
    // the customer's balance: 131.99 + 12.50 in base
    expect((await t.asOwner.get(`/api/v1/customers/${euro}`)).body.balance).toBe('144.49')
  })
  it('enters an opening receivable as an invoice dated before the first period, against opening-balance equity (3100): AR ties from day one', async () => {
    const n = await createTenant({ chartOfAccounts: 'standard' })
    const ids = await accountIds(n.asOwner)
    const c = (await n.asOwner.post('/api/v1/customers', { json: { name: 'Old Customer Ltd' } })).body.id
    const res = await issued(n.asOwner, { customerId: c, date: '2025-12-31', dueDate: '2026-01-30', amountsAre: 'exclusive', reference: 'Opening balance',
      lines: [{ description: 'Balance brought forward, INV 2025-118', quantity: '1', unitPrice: '1250.00', accountId: ids['3100'] }] })
    expect(res).toMatchObject({ status: 'issued', total: '1250.00', taxTotal: '0.00' })
    expect((await legs(n.asOwner, res.journalEntryId)).legs).toEqual([
      ['1100', '1250.00', '0.00', '1250.00', '0.00'],
      ['3100', '0.00', '1250.00', '0.00', '1250.00'],
    ])
    const tb = await n.asOwner.get('/api/v1/reports/trial-balance?asOf=2026-01-01')
    expect((tb.body.rows as Json[]).find(r => r.code === '1100')).toMatchObject({ debit: '1250.00' })
    expect((await n.asOwner.get(`/api/v1/customers/${c}`)).body.balance).toBe('1250.00')
    // an expense account is still refused on a line
    const bad = await create(n.asOwner, { customerId: c, date: '2026-01-05', amountsAre: 'exclusive', lines: [{ description: 'x', quantity: '1', unitPrice: '1', accountId: ids['6100'] }] })
    status(bad, 422)
    expect(bad.body.data).toMatchObject({ code: 'SALES_ACCOUNT_INVALID', fields: { 'lines.0.accountId': 'must be a revenue account (or, for an opening balance, an equity account)' } })
  })
})

describe('numbers, periods and void', () => {
  let n: TestTenant
  let nCustomer: string
  let income: string
  const body = (date = '2026-05-04') => ({ customerId: nCustomer, date, amountsAre: 'exclusive', lines: [{ description: 'Fee', quantity: '1', unitPrice: '100', accountId: income }] })

  beforeAll(async () => {
    n = await createTenant({ chartOfAccounts: 'standard' })
    income = (await accountIds(n.asOwner))['4000']!
    nCustomer = (await n.asOwner.post('/api/v1/customers', { json: { name: 'Numbered Ltd' } })).body.id
  })

  it('10 drafts issued at once take INV-000001 … INV-000010, no gap, no repeat; a refused issue takes none', async () => {
    const drafts = await Promise.all(Array.from({ length: 10 }, () => created(n.asOwner, body())))
    const answers = await Promise.all(drafts.map(d => n.asOwner.post(`/api/v1/invoices/${d.id}/issue`)))
    answers.forEach(a => status(a, 200))
    expect(answers.map(a => a.body.number).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`))
    // refused after everything but the number was checked: a year with its first period closed
    const first = await issued(n.asOwner, body('2021-01-10'))
    expect(first.number).toBe('INV-000011')
    const year = (await n.asOwner.get('/api/v1/fiscal-periods')).body.data.find((p: Json) => p.startDate === '2021-01-01').fiscalYearId
    await closePeriodsUpTo(n.asOwner, year, 1)
    const late = await created(n.asOwner, body('2021-01-20'))
    const refused = await n.asOwner.post(`/api/v1/invoices/${late.id}/issue`)
    status(refused, 422)
    expect(refused.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    expect((await n.asOwner.get(`/api/v1/invoices/${late.id}`)).body).toMatchObject({ status: 'draft', number: null })
    expect((await issued(n.asOwner, body())).number).toBe('INV-000012')
    // the closed period refuses the void's default date (the invoice's); a later date in an open period posts the reversal there
    const v = await n.asOwner.post(`/api/v1/invoices/${first.id}/void`, { json: {} })
    status(v, 422)
    expect(v.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    const ok = await n.asOwner.post(`/api/v1/invoices/${first.id}/void`, { json: { date: '2021-02-05' } })
    status(ok, 200)
    expect(ok.body).toMatchObject({ status: 'void', amountDue: '0.00' })
  })

  it('the same draft issued twice at once: one 200, one 409 SALES_DOCUMENT_NOT_DRAFT, one number and one entry', async () => {
    const d = await created(n.asOwner, body())
    const answers = await Promise.all([n.asOwner.post(`/api/v1/invoices/${d.id}/issue`), n.asOwner.post(`/api/v1/invoices/${d.id}/issue`)])
    expect(answers.map(a => a.status).sort()).toEqual([200, 409])
    expect(answers.find(a => a.status === 409)!.body.data.code).toBe('SALES_DOCUMENT_NOT_DRAFT')
    expect(await sql`select 1 from journal_entries where tenant_id = ${n.id} and source_id = ${d.id}`).toHaveLength(1)
    expect(answers.find(a => a.status === 200)!.body.number).toBe('INV-000013')
  })

  it('a new invoice prefix starts its own series', async () => {
    const s = (await n.asOwner.get('/api/v1/settings')).body
    status(await n.asOwner.patch('/api/v1/settings', { json: { invoicePrefix: 'B/', version: s.version } }), 200)
    expect((await issued(n.asOwner, body())).number).toBe('B/000001')
    const s2 = (await n.asOwner.get('/api/v1/settings')).body
    status(await n.asOwner.patch('/api/v1/settings', { json: { invoicePrefix: 'INV-', version: s2.version } }), 200)
    expect((await issued(n.asOwner, body())).number).toBe('INV-000014')
  })

  it('void posts the reversal (source the invoice), answers the void invoice, records invoice.voided; AR is back where it was', async () => {
    const arBefore = (await n.asOwner.get('/api/v1/accounts')).body.data.find((a: Json) => a.code === '1100').balance
    const inv = await issued(n.asOwner, body('2026-05-10'))
    const early = await n.asOwner.post(`/api/v1/invoices/${inv.id}/void`, { json: { date: '2026-05-09' } })
    status(early, 422)
    expect(early.body.data).toMatchObject({ code: 'SALES_DOCUMENT_INVALID', fields: { date: expect.any(String) } })
    const res = await n.asOwner.post(`/api/v1/invoices/${inv.id}/void`, { json: { date: '2026-05-20' } })
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'void', number: inv.number, amountDue: '0.00', journalEntryId: inv.journalEntryId })
    const { entry, legs: l } = await legs(n.asOwner, res.body.voidEntryId)
    expect(entry).toMatchObject({ kind: 'reversal', reversalOfId: inv.journalEntryId, date: '2026-05-20', source: { type: 'invoice', id: inv.id } })
    expect(l).toEqual([['1100', '0.00', '100.00', '0.00', '100.00'], ['4000', '100.00', '0.00', '100.00', '0.00']])
    expect((await n.asOwner.get('/api/v1/accounts')).body.data.find((a: Json) => a.code === '1100').balance).toBe(arBefore)
    const events = await sql`select type from events where tenant_id = ${n.id} and entity_id = ${inv.id} order by seq`
    expect(events.map(e => e.type)).toEqual(['invoice.issued', 'invoice.voided'])
    const again = await n.asOwner.post(`/api/v1/invoices/${inv.id}/void`, { json: {} })
    status(again, 409)
    expect(again.body.data.code).toBe('SALES_DOCUMENT_NOT_ISSUED')
    await expect(sql`update sales_documents set status = 'issued' where id = ${inv.id}`).rejects.toThrow(/SALES_DOCUMENT_NOT_DRAFT/)
  })

  it('a draft is not voided (409 SALES_DOCUMENT_NOT_ISSUED: delete it); an invoice with anything allocated is not voided (422 INVOICE_HAS_ALLOCATIONS)', async () => {
    const d = await created(n.asOwner, body())
    const res = await n.asOwner.post(`/api/v1/invoices/${d.id}/void`, { json: {} })
    status(res, 409)
    expect(res.body.data.code).toBe('SALES_DOCUMENT_NOT_ISSUED')
    const inv = await issued(n.asOwner, body())
    // what a receipt's allocation will do (the allocations are not built yet): 40 of 100 allocated
    await sql`update sales_documents set amount_allocated = 40, status = 'partially_paid' where id = ${inv.id}`
    expect((await n.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '40.00', amountDue: '60.00' })
    const refused = await n.asOwner.post(`/api/v1/invoices/${inv.id}/void`, { json: {} })
    status(refused, 422)
    expect(refused.body.data.code).toBe('INVOICE_HAS_ALLOCATIONS')
    expect((await n.asOwner.get(`/api/v1/invoices/${inv.id}`)).body.status).toBe('partially_paid')
    await expect(sql`update sales_documents set status = 'void', void_entry_id = journal_entry_id, voided_at = now() where id = ${inv.id}`).rejects.toThrow(/SALES_DOCUMENT_NOT_DRAFT/)
  })
})

describe('the list and the customer\'s balance', () => {
  let c: TestTenant
  let a: string
  let b: string
  let income: string
  const line = (price: string) => [{ description: 'Fee', quantity: '1', unitPrice: price, accountId: income }]

  beforeAll(async () => {
    c = await createTenant({ chartOfAccounts: 'standard' })
    income = (await accountIds(c.asOwner))['4000']!
    a = (await c.asOwner.post('/api/v1/customers', { json: { name: 'Acme Anvils' } })).body.id
    b = (await c.asOwner.post('/api/v1/customers', { json: { name: 'Bolt Brothers' } })).body.id
  })

  it('filters by customer, status, dates, overdue (issued or part-paid, due before today in the tenant\'s zone, with an amount due) and q on number, reference and customer name', async () => {
    const old = await issued(c.asOwner, { customerId: a, date: '2026-01-05', dueDate: '2026-01-20', amountsAre: 'exclusive', reference: 'REF-OLD', lines: line('10') })
    const future = await issued(c.asOwner, { customerId: a, date: '2026-02-01', dueDate: '2999-01-01', amountsAre: 'exclusive', lines: line('20') })
    const draftOld = await created(c.asOwner, { customerId: b, date: '2026-01-05', dueDate: '2026-01-20', amountsAre: 'exclusive', lines: line('30') })
    const ids = async (q: string) => {
      const res = await c.asOwner.get(`/api/v1/invoices?${q}`)
      status(res, 200)
      return (res.body.data as Json[]).map(d => d.id).sort()
    }
    expect(await ids('overdue=true')).toEqual([old.id])
    expect(await ids('overdue=false')).toEqual([future.id, draftOld.id].sort())
    expect(await ids(`customerId=${b}`)).toEqual([draftOld.id])
    expect(await ids('status=draft')).toEqual([draftOld.id])
    expect(await ids('from=2026-01-10&to=2026-02-28')).toEqual([future.id])
    expect(await ids(`q=${old.number}`)).toEqual([old.id])
    expect(await ids('q=ref-old')).toEqual([old.id])
    expect(await ids('q=bolt')).toEqual([draftOld.id])
    const page = await c.asOwner.get('/api/v1/invoices?pageSize=2&sort=total:desc')
    expect(page.body).toMatchObject({ page: 1, pageSize: 2, total: 3 })
    expect(page.body.data.map((d: Json) => d.total)).toEqual(['30.00', '20.00'])
    expect(page.body.data[0]).not.toHaveProperty('lines')
    status(await c.asOwner.get('/api/v1/invoices?status=sent'), 400)
    // balance: Acme's issued 10 + 20 = 30; a draft counts nothing
    expect((await c.asOwner.get(`/api/v1/customers/${a}`)).body.balance).toBe('30.00')
    expect((await c.asOwner.get(`/api/v1/customers/${b}`)).body.balance).toBe('0.00')
    const list = (await c.asOwner.get('/api/v1/customers')).body.data as Json[]
    expect(list.find(x => x.id === a)!.balance).toBe('30.00')
    // part of an invoice paid by a receipt: its open amount counts; void invoices do not
    const paid = await c.asOwner.post('/api/v1/receipts', { json: { customerId: a, date: '2026-01-10', amount: '4.00', depositAccountId: (await accountIds(c.asOwner))['1010'], allocations: [{ invoiceId: old.id, amount: '4.00' }] } })
    status(paid, 201)
    expect((await c.asOwner.get(`/api/v1/invoices/${old.id}`)).body).toMatchObject({ status: 'partially_paid', amountDue: '6.00' })
    expect((await c.asOwner.get(`/api/v1/customers/${a}`)).body.balance).toBe('26.00')
    status(await c.asOwner.post(`/api/v1/invoices/${future.id}/void`, { json: {} }), 200)
    expect((await c.asOwner.get(`/api/v1/customers/${a}`)).body.balance).toBe('6.00')
  })
})
