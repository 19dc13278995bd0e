/**
 * Credit notes through the real server (SPEC §5 `credit-notes`): the same drafts and issue as
 * invoices, `invoiceId` naming an issued invoice of the same customer and currency, their own
 * `CN-000001` numbers, the mirrored posting (credit AR, debit income and tax), the event, and the
 * customer's balance net of unallocated credit.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Dec } from '../../server/domain/money'
import { createTenant, type Client, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
let acc: Record<string, string>
let vat: string
let customer: string
let invoice: Json

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
async function make(c: Client, path: string, json: Json): Promise<Json> {
  const res = await c.post(path, { json })
  status(res, 201)
  return res.body
}
const line = (price: string, over: Json = {}) => ({ description: 'Fee', quantity: '1', unitPrice: price, accountId: acc['4000'], taxRateId: vat, ...over })

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  acc = Object.fromEntries(((await t.asOwner.get('/api/v1/accounts')).body.data as Json[]).map(a => [a.code, a.id]))
  vat = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'both' } })).body.id
  customer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Northwind Traders' } })).body.id
  // 100.00 + VAT 20.00 = 120.00
  invoice = await make(t.asOwner, '/api/v1/invoices', { customerId: customer, date: '2026-06-01', amountsAre: 'exclusive', issue: true, lines: [line('100')] })
})

describe('credit notes', () => {
  it('a draft links the original invoice, has no due date, and can be changed and deleted', async () => {
    const d = await make(t.asOwner, '/api/v1/credit-notes', { customerId: customer, date: '2026-06-05', amountsAre: 'exclusive', invoiceId: invoice.id, lines: [line('10')] })
    expect(d).toMatchObject({ kind: 'credit_note', status: 'draft', number: null, invoiceId: invoice.id, dueDate: null, subtotal: '10.00', taxTotal: '2.00', total: '12.00' })
    const p = await t.asOwner.patch(`/api/v1/credit-notes/${d.id}`, { json: { invoiceId: null, lines: [line('5')] } })
    status(p, 200)
    expect(p.body).toMatchObject({ invoiceId: null, total: '6.00', version: 2 })
    status(await t.asOwner.delete(`/api/v1/credit-notes/${d.id}`), 200)
    status(await t.asOwner.get(`/api/v1/credit-notes/${d.id}`), 404)
  })

  it('issuing posts the mirror of an invoice: Dr income net, Dr tax, Cr AR total; numbered CN-000001 on its own counter; credit_note.issued', async () => {
    const d = await make(t.asOwner, '/api/v1/credit-notes', { customerId: customer, date: '2026-06-05', amountsAre: 'exclusive', invoiceId: invoice.id, lines: [line('10')] })
    const res = await t.asOwner.post(`/api/v1/credit-notes/${d.id}/issue`)
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'issued', number: 'CN-000001', total: '12.00', amountDue: '12.00' })
    expect(invoice.number).toBe('INV-000001')
    const entry = (await t.asOwner.get(`/api/v1/journal-entries/${res.body.journalEntryId}`)).body
    expect(entry).toMatchObject({ source: { type: 'credit_note', id: d.id }, memo: 'Credit note CN-000001: Northwind Traders' })
    expect((entry.lines as Json[]).map(l => [l.accountCode, l.debit, l.credit]).sort()).toEqual([
      ['1100', '0.00', '12.00'], ['2100', '2.00', '0.00'], ['4000', '10.00', '0.00'],
    ])
    const events = await sql`select type from events where tenant_id = ${t.id} and entity_id = ${d.id}`
    expect(events.map(e => e.type)).toEqual(['credit_note.issued'])
    const again = await t.asOwner.post(`/api/v1/credit-notes/${d.id}/issue`)
    status(again, 409)
    expect(again.body.data.code).toBe('SALES_DOCUMENT_NOT_DRAFT')
    // the customer's balance: invoice 120.00 − unallocated credit 12.00
    expect((await t.asOwner.get(`/api/v1/customers/${customer}`)).body.balance).toBe('108.00')
    // and with issue: true the next one is CN-000002
    expect((await make(t.asOwner, '/api/v1/credit-notes', { customerId: customer, date: '2026-06-06', amountsAre: 'inclusive', issue: true, lines: [line('6')] })).number).toBe('CN-000002')
    // 6.00 incl. 20% → tax 1.00; balance 108.00 − 6.00
    expect((await t.asOwner.get(`/api/v1/customers/${customer}`)).body.balance).toBe('102.00')
  })

  it('invoiceId must be an issued invoice of the same customer and currency (422 SALES_DOCUMENT_INVALID); a due date is 400', async () => {
    const otherCustomer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Someone else' } })).body.id
    const theirs = await make(t.asOwner, '/api/v1/invoices', { customerId: otherCustomer, date: '2026-06-01', amountsAre: 'exclusive', issue: true, lines: [line('10')] })
    const draft = await make(t.asOwner, '/api/v1/invoices', { customerId: customer, date: '2026-06-01', amountsAre: 'exclusive', lines: [line('10')] })
    const euro = await make(t.asOwner, '/api/v1/invoices', { customerId: customer, date: '2026-06-01', currency: 'EUR', exchangeRate: '1.1', amountsAre: 'exclusive', issue: true, lines: [line('10')] })
    const cn = (await t.asOwner.get('/api/v1/credit-notes?status=issued')).body.data[0].id
    const foreign = await make(other.asOwner, '/api/v1/customers', { name: 'Theirs' })
    for (const invoiceId of [theirs.id, draft.id, euro.id, cn, randomUUID()]) {
      const res = await t.asOwner.post('/api/v1/credit-notes', { json: { customerId: customer, date: '2026-06-05', amountsAre: 'exclusive', invoiceId, lines: [line('1')] } })
      status(res, 422)
      expect(res.body.data).toMatchObject({ code: 'SALES_DOCUMENT_INVALID', fields: { invoiceId: expect.any(String) } })
    }
    const odd = await t.asOwner.post('/api/v1/credit-notes', { json: { customerId: customer, date: '2026-06-05', dueDate: '2026-07-01', amountsAre: 'exclusive', lines: [line('1')] } })
    status(odd, 400)
    const foreignCustomer = await t.asOwner.post('/api/v1/credit-notes', { json: { customerId: foreign.id, date: '2026-06-05', amountsAre: 'exclusive', lines: [line('1')] } })
    status(foreignCustomer, 422)
    // the database holds customer and currency too
    await expect(sql`insert into sales_documents (tenant_id, kind, customer_id, date, currency, exchange_rate, amounts_are, invoice_id)
      values (${t.id}, 'credit_note', ${otherCustomer}, '2026-06-05', 'USD', 1, 'exclusive', ${invoice.id})`).rejects.toThrow(/sales_documents_invoice_fkey/)
  })

  it('another tenant\'s credit note is 404; an invoice id is not a credit note', async () => {
    const cn = (await t.asOwner.get('/api/v1/credit-notes')).body.data[0]
    for (const res of [
      await other.asOwner.get(`/api/v1/credit-notes/${cn.id}`),
      await other.asOwner.patch(`/api/v1/credit-notes/${cn.id}`, { json: { memo: 'x' } }),
      await other.asOwner.delete(`/api/v1/credit-notes/${cn.id}`),
      await other.asOwner.post(`/api/v1/credit-notes/${cn.id}/issue`),
      await t.asOwner.get(`/api/v1/credit-notes/${invoice.id}`),
      await t.asOwner.post(`/api/v1/credit-notes/${invoice.id}/issue`),
    ]) status(res, 404)
    expect((await other.asOwner.get('/api/v1/credit-notes')).body.total).toBe(0)
  })

  it('ties out: Σ customers\' balances (open invoices − unallocated credits, in base) = the AR control account\'s balance', async () => {
    const balances = ((await t.asOwner.get('/api/v1/customers?pageSize=200')).body.data as Json[]).map(c => c.balance as string)
    const ar = ((await t.asOwner.get('/api/v1/accounts')).body.data as Json[]).find(a => a.code === '1100')!.balance as string
    const total = balances.reduce((s, b) => s.plus(b), new Dec(0))
    expect(total.toFixed(2)).toBe(new Dec(ar).toFixed(2))
    // invoices 120.00 + 12.00 (another customer) + 12.00 EUR at 1.1 = 13.20, credits 12.00 + 6.00
    expect(total.toFixed(2)).toBe('127.20')
  })
})
