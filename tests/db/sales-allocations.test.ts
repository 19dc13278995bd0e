/**
 * The allocation rules held by PostgreSQL itself (migration 0019), proven around the application:
 * plain SQL as the app role bound to the tenant. The trigger refuses an allocation over what the
 * invoice has due or the receipt / credit note has left, to a draft or void invoice, between
 * customers or currencies, and serialises concurrent allocations on the invoice row, so two
 * sessions that each see 100.00 due cannot both take 60.00. It moves `amount_allocated` and the
 * status both ways (a release too); allocations and receipts are not edited or deleted.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { type AppConn, asAppRole } from '../support/app-role'

const sql = postgres(inject('databaseUrl'), { max: 6, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

type Json = Record<string, any>
let t: TestTenant
const acc: Record<string, string> = {}
let customer: string
let otherCustomer: string

async function made(path: string, json: Json): Promise<Json> {
  const res = await t.asOwner.post(path, { json })
  expect(res.status, res.text).toBe(201)
  return res.body
}
const line = (price: string) => ({ description: 'Work', quantity: '1', unitPrice: price, accountId: acc['4000'], taxRateId: null })
const invoice = (total: string, customerId = customer, issue = true) => made('/api/v1/invoices', { customerId, date: '2026-06-01', amountsAre: 'exclusive', issue, lines: [line(total)] })
const receipt = (amount: string, customerId = customer) => made('/api/v1/receipts', { customerId, date: '2026-06-10', amount, depositAccountId: acc['1010'] })

function insertAllocation(db: AppConn, invoiceId: string, source: { receiptId?: string, creditNoteId?: string }, amount: string, customerId = customer, currency = 'USD') {
  return db`insert into sales_allocations (tenant_id, invoice_id, receipt_id, credit_note_id, customer_id, currency, date, amount, base_amount_invoice, base_amount_source)
    values (${t.id}, ${invoiceId}, ${source.receiptId ?? null}, ${source.creditNoteId ?? null}, ${customerId}, ${currency}, '2026-06-10', ${amount}, ${amount}, ${amount}) returning id`
}
const docState = async (id: string) => (await sql`select status, amount_allocated::text as a from sales_documents where id = ${id}`)[0]

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
  for (const a of (await t.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]) acc[a.code] = a.id
  customer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Direct SQL Ltd' } })).body.id
  otherCustomer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Other Ltd' } })).body.id
})

describe('the database refuses a wrong allocation, whatever the code does', () => {
  it('over the invoice\'s due → ALLOCATION_EXCEEDS_DUE; over the receipt\'s rest → ALLOCATION_EXCEEDS_AVAILABLE', async () => {
    const inv = await invoice('100.00')
    const big = await receipt('500.00')
    const small = await receipt('30.00')
    await expect(asApp(t.id, db => insertAllocation(db, inv.id, { receiptId: big.id }, '100.01'))).rejects.toThrow(/^ALLOCATION_EXCEEDS_DUE: /)
    await expect(asApp(t.id, db => insertAllocation(db, inv.id, { receiptId: small.id }, '30.01'))).rejects.toThrow(/^ALLOCATION_EXCEEDS_AVAILABLE: /)
    // two allocations in one transaction add up: 60 + 41 > 100
    await expect(asApp(t.id, async (db) => {
      await insertAllocation(db, inv.id, { receiptId: big.id }, '60.00')
      await insertAllocation(db, inv.id, { receiptId: big.id }, '41.00')
    })).rejects.toThrow(/^ALLOCATION_EXCEEDS_DUE: /)
    expect(await docState(inv.id)).toEqual({ status: 'issued', a: '0.0000' })
  })

  it('a draft or void invoice, a credit note as the invoice, another customer, another currency, a date before the documents are refused', async () => {
    const draft = await invoice('10.00', customer, false)
    const voided = await invoice('10.00')
    expect((await t.asOwner.post(`/api/v1/invoices/${voided.id}/void`, { json: {} })).status).toBe(200)
    const cn = await made('/api/v1/credit-notes', { customerId: customer, date: '2026-06-02', amountsAre: 'exclusive', issue: true, lines: [line('5.00')] })
    const theirs = await invoice('10.00', otherCustomer)
    const mine = await invoice('10.00')
    const r = await receipt('50.00')
    await expect(asApp(t.id, db => insertAllocation(db, draft.id, { receiptId: r.id }, '1.00'))).rejects.toThrow(/^ALLOCATION_INVOICE_NOT_OPEN: /)
    await expect(asApp(t.id, db => insertAllocation(db, voided.id, { receiptId: r.id }, '1.00'))).rejects.toThrow(/^ALLOCATION_INVOICE_NOT_OPEN: /)
    await expect(asApp(t.id, db => insertAllocation(db, cn.id, { receiptId: r.id }, '1.00'))).rejects.toThrow(/^ALLOCATION_INVOICE_NOT_OPEN: /)
    await expect(asApp(t.id, db => insertAllocation(db, theirs.id, { receiptId: r.id }, '1.00', otherCustomer))).rejects.toThrow(/^ALLOCATION_CUSTOMER_MISMATCH: /)
    await expect(asApp(t.id, db => insertAllocation(db, mine.id, { receiptId: r.id }, '1.00', customer, 'EUR'))).rejects.toThrow(/^ALLOCATION_CURRENCY_MISMATCH: /)
    await expect(asApp(t.id, db => db`insert into sales_allocations (tenant_id, invoice_id, receipt_id, customer_id, currency, date, amount, base_amount_invoice, base_amount_source)
      values (${t.id}, ${mine.id}, ${r.id}, ${customer}, 'USD', '2026-06-05', 1, 1, 1)`)).rejects.toThrow(/^ALLOCATION_INVALID: /)
    // a credit note as the source must be issued; both sources at once is refused by the check
    await expect(asApp(t.id, db => insertAllocation(db, mine.id, { receiptId: r.id, creditNoteId: cn.id }, '1.00'))).rejects.toThrow(/sales_allocations_source_check/)
    // control: the same rows allocate when right
    await asApp(t.id, db => insertAllocation(db, mine.id, { creditNoteId: cn.id }, '5.00'))
  })

  it('a good allocation moves both sides and the status (issued → partially_paid → paid), a release moves them back; edits and deletes are refused', async () => {
    const inv = await invoice('100.00')
    const r = await receipt('100.00')
    await asApp(t.id, async (db) => {
      const [a] = await insertAllocation(db, inv.id, { receiptId: r.id }, '40.00')
      expect((await db`select status, amount_allocated::text as a from sales_documents where id = ${inv.id}`)[0]).toEqual({ status: 'partially_paid', a: '40.0000' })
      const [b] = await insertAllocation(db, inv.id, { receiptId: r.id }, '60.00')
      expect((await db`select status, amount_allocated::text as a from sales_documents where id = ${inv.id}`)[0]).toEqual({ status: 'paid', a: '100.0000' })
      expect((await db`select amount_allocated::text as a from receipts where id = ${r.id}`)[0]).toEqual({ a: '100.0000' })
      await db`update sales_allocations set released_at = now() where id = ${b!.id}`
      expect((await db`select status, amount_allocated::text as a from sales_documents where id = ${inv.id}`)[0]).toEqual({ status: 'partially_paid', a: '40.0000' })
      await db`update sales_allocations set released_at = now() where id = ${a!.id}`
      expect((await db`select status, amount_allocated::text as a from sales_documents where id = ${inv.id}`)[0]).toEqual({ status: 'issued', a: '0.0000' })
      expect((await db`select amount_allocated::text as a from receipts where id = ${r.id}`)[0]).toEqual({ a: '0.0000' })
    })
    await expect(asApp(t.id, async (db) => {
      const [a] = await insertAllocation(db, inv.id, { receiptId: r.id }, '10.00')
      await db`update sales_allocations set amount = 5 where id = ${a!.id}`
    })).rejects.toThrow(/^ALLOCATION_IMMUTABLE: /)
    await expect(asApp(t.id, async (db) => {
      const [a] = await insertAllocation(db, inv.id, { receiptId: r.id }, '10.00')
      await db`update sales_allocations set released_at = now() where id = ${a!.id}`
      await db`update sales_allocations set released_at = null where id = ${a!.id}`
    })).rejects.toThrow(/^ALLOCATION_IMMUTABLE: /)
    // the app role may not delete; the owner is stopped by the trigger
    await expect(asApp(t.id, db => db`delete from sales_allocations where tenant_id = ${t.id}`)).rejects.toThrow(/permission denied/)
    const db = await sql.reserve()
    try {
      await db`begin`
      const [a] = await db`insert into sales_allocations (tenant_id, invoice_id, receipt_id, customer_id, currency, date, amount, base_amount_invoice, base_amount_source)
        values (${t.id}, ${inv.id}, ${r.id}, ${customer}, 'USD', '2026-06-10', 1, 1, 1) returning id`
      await expect(db`delete from sales_allocations where id = ${a!.id}`).rejects.toThrow(/^ALLOCATION_IMMUTABLE: /)
    }
    finally {
      await db`rollback`.catch(() => {})
      db.release()
    }
    // a receipt's figures are fixed, and it is voided only with nothing allocated
    await expect(asApp(t.id, db => db`update receipts set amount = 1 where id = ${r.id}`)).rejects.toThrow(/^RECEIPT_IMMUTABLE: /)
    await expect(asApp(t.id, async (db) => {
      await insertAllocation(db, inv.id, { receiptId: r.id }, '10.00')
      await db`update receipts set status = 'void', void_entry_id = journal_entry_id, voided_at = now() where id = ${r.id}`
    })).rejects.toThrow(/receipts_void_check/)
    // and an issued invoice is not voided with anything allocated (0018)
    await expect(asApp(t.id, async (db) => {
      await insertAllocation(db, inv.id, { receiptId: r.id }, '10.00')
      await db`update sales_documents set status = 'void', void_entry_id = journal_entry_id, voided_at = now() where id = ${inv.id}`
    })).rejects.toThrow(/SALES_DOCUMENT_NOT_DRAFT|sales_documents_void_check/)
  })

  it('two sessions that each see 100.00 due cannot both take 60.00: the second waits on the invoice row, then is refused', async () => {
    const inv = await invoice('100.00')
    const r1 = await receipt('60.00')
    const r2 = await receipt('60.00')
    const a = await sql.reserve()
    const b = await sql.reserve()
    try {
      for (const db of [a, b]) {
        await db`begin`
        await db`select set_config('role', 'paksa_app', true)`
        await db`select set_config('app.tenant_id', ${t.id}, true)`
      }
      // both read the invoice before either writes: 100.00 due each time
      for (const db of [a, b]) expect((await db`select (total - amount_allocated)::text as due from sales_documents where id = ${inv.id}`)[0]!.due).toBe('100.0000')
      await insertAllocation(a, inv.id, { receiptId: r1.id }, '60.00')
      let settled = false
      const second = insertAllocation(b, inv.id, { receiptId: r2.id }, '60.00').then(() => 'written', (e: Error) => e.message).finally(() => {
        settled = true
      })
      await new Promise(resolve => setTimeout(resolve, 300))
      expect(settled, 'the second insert waits for the first transaction').toBe(false)
      await a`commit`
      expect(await second).toMatch(/^ALLOCATION_EXCEEDS_DUE: /)
      await b`rollback`
    }
    finally {
      await a`rollback`.catch(() => {})
      await b`rollback`.catch(() => {})
      a.release()
      b.release()
    }
    expect(await docState(inv.id)).toEqual({ status: 'partially_paid', a: '60.0000' })
  })
})
