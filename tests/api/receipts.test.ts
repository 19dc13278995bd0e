/**
 * Receipts and allocations through the real server (SPEC §5 `receipts`, `credit-notes/{id}/allocations`;
 * §6 module 5): the posting (Dr deposit, Cr AR control), allocations in the body and later,
 * partial payment, over-payment left as credit, credit notes paying invoices, the realised FX
 * difference so the AR control account clears exactly, void releasing the allocations, the
 * customer's balance, events and audit, every refusal, and 10 concurrent allocations against one
 * invoice that never exceed its total (PostgreSQL's trigger decides, not the code's pre-check).
 * Amounts are worked by hand in each test.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type Client, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
let acc: Record<string, string>
let customer: string

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
async function make(c: Client, path: string, json: Json): Promise<Json> {
  const res = await c.post(path, { json })
  status(res, 201)
  return res.body
}
const codeOf = (res: { body: Json }) => res.body?.data?.code
async function refused(res: { status: number, text: string, body: Json }, statusCode: number, code: string, field?: string) {
  status(res, statusCode)
  expect(codeOf(res), res.text).toBe(code)
  if (field) expect(Object.keys(res.body.data.fields ?? {}), res.text).toContain(field)
}

async function accountsOf(tenant: TestTenant) {
  return Object.fromEntries(((await tenant.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id])) as Record<string, string>
}
/** An issued invoice of `total` (one untaxed line). */
const invoice = (c: Client, a: Record<string, string>, customerId: string, total: string, over: Json = {}) =>
  make(c, '/api/v1/invoices', { customerId, date: '2026-06-01', amountsAre: 'exclusive', issue: true, lines: [{ description: 'Work', quantity: '1', unitPrice: total, accountId: a['4000'], taxRateId: null }], ...over })
const creditNote = (c: Client, a: Record<string, string>, customerId: string, total: string, over: Json = {}) =>
  make(c, '/api/v1/credit-notes', { customerId, date: '2026-06-02', amountsAre: 'exclusive', issue: true, lines: [{ description: 'Refund', quantity: '1', unitPrice: total, accountId: a['4000'], taxRateId: null }], ...over })
const receipt = (c: Client, a: Record<string, string>, customerId: string, amount: string, over: Json = {}) =>
  make(c, '/api/v1/receipts', { customerId, date: '2026-06-10', amount, depositAccountId: a['1010'], ...over })

async function entryLines(c: Client, id: string) {
  const e = (await c.get(`/api/v1/journal-entries/${id}`)).body
  return { entry: e, lines: (e.lines as Json[]).map(l => [l.accountCode, l.baseDebit, l.baseCredit]).sort() }
}
/** The AR control account's posted balance (base), straight from the journal. */
async function arBalance(tenant: TestTenant, arId: string) {
  const [r] = await sql`select coalesce(sum(l.base_debit - l.base_credit), 0)::numeric(20,2)::text as b from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
    where l.tenant_id = ${tenant.id} and l.account_id = ${arId} and e.status = 'posted'`
  return r!.b as string
}
const balanceOf = async (c: Client, id: string) => (await c.get(`/api/v1/customers/${id}`)).body.balance as string

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })])
  acc = await accountsOf(t)
  customer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Northwind Traders' } })).body.id
})

describe('receipts', () => {
  it('partial then full payment: 100.00 invoice, receipt 40.00 then 60.00; Dr bank Cr AR; issued → partially_paid → paid; invoice.paid once', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Partial Ltd' } })).body.id
    const inv = await invoice(t.asOwner, acc, c, '100.00')
    const r1 = await receipt(t.asOwner, acc, c, '40.00', { reference: 'BACS 1', allocations: [{ invoiceId: inv.id, amount: '40.00' }] })
    expect(r1).toMatchObject({ number: 'RCT-000001', status: 'active', amount: '40.00', currency: 'USD', exchangeRate: '1', amountAllocated: '40.00', amountUnallocated: '0.00', reference: 'BACS 1' })
    expect(r1.allocations).toHaveLength(1)
    expect(r1.allocations[0]).toMatchObject({ invoiceId: inv.id, invoiceNumber: inv.number, sourceNumber: 'RCT-000001', amount: '40.00', date: '2026-06-10', baseAmountInvoice: '40.00', baseAmountSource: '40.00', fxAmount: '0.00', fxEntryId: null, releasedAt: null })
    const { entry, lines } = await entryLines(t.asOwner, r1.journalEntryId)
    expect(entry).toMatchObject({ source: { type: 'receipt', id: r1.id }, date: '2026-06-10', memo: 'Receipt RCT-000001: Partial Ltd' })
    expect(lines).toEqual([['1010', '40.00', '0.00'], ['1100', '0.00', '40.00']])
    expect((await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '40.00', amountDue: '60.00' })
    expect(await balanceOf(t.asOwner, c)).toBe('60.00')

    const r2 = await receipt(t.asOwner, acc, c, '60.00', { allocations: [{ invoiceId: inv.id, amount: '60.00' }] })
    expect(r2.number).toBe('RCT-000002')
    expect((await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'paid', amountPaid: '100.00', amountDue: '0.00' })
    expect(await balanceOf(t.asOwner, c)).toBe('0.00')
    const events = await sql`select type, entity_id from events where tenant_id = ${t.id} and entity_id in (${inv.id}, ${r1.id}, ${r2.id}) order by occurred_at, id`
    // invoice.paid is recorded as the allocation settles the invoice, before the receipt's own event
    expect(events.map(e => e.type)).toEqual(['invoice.issued', 'receipt.created', 'invoice.paid', 'receipt.created'])
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id in (${r1.id}, ${r2.id}) order by id`
    expect(audit.map(a => a.action)).toEqual(['receipt.create', 'receipt.create'])
  })

  it('an inactive customer can still pay what it owes', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Retired Ltd' } })).body.id
    const inv = await invoice(t.asOwner, acc, c, '12.00')
    const res = await t.asOwner.patch(`/api/v1/customers/${c}`, { json: { isActive: false } })
    status(res, 200)
    expect((await receipt(t.asOwner, acc, c, '12.00', { allocations: [{ invoiceId: inv.id, amount: '12.00' }] })).amountUnallocated).toBe('0.00')
    expect(await balanceOf(t.asOwner, c)).toBe('0.00')
  })

  it('one receipt pays two invoices (30.00 + 20.00 = 50.00); both paid, the receipt fully allocated', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Two Invoices plc' } })).body.id
    const a = await invoice(t.asOwner, acc, c, '30.00')
    const b = await invoice(t.asOwner, acc, c, '20.00')
    const r = await receipt(t.asOwner, acc, c, '50.00', { allocations: [{ invoiceId: a.id, amount: '30.00' }, { invoiceId: b.id, amount: '20.00' }] })
    expect(r).toMatchObject({ amountAllocated: '50.00', amountUnallocated: '0.00' })
    expect(r.allocations.map((x: Json) => [x.invoiceId, x.amount]).sort()).toEqual([[a.id, '30.00'], [b.id, '20.00']].sort())
    for (const id of [a.id, b.id]) expect((await t.asOwner.get(`/api/v1/invoices/${id}`)).body.status).toBe('paid')
    expect(await balanceOf(t.asOwner, c)).toBe('0.00')
  })

  it('over-payment: 100.00 against a 70.00 invoice leaves 30.00 credit (balance −30.00), allocated later to a 25.00 invoice (balance −5.00)', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Overpay GmbH' } })).body.id
    const first = await invoice(t.asOwner, acc, c, '70.00')
    const r = await receipt(t.asOwner, acc, c, '100.00', { allocations: [{ invoiceId: first.id, amount: '70.00' }] })
    expect(r).toMatchObject({ amountAllocated: '70.00', amountUnallocated: '30.00' })
    expect(await balanceOf(t.asOwner, c)).toBe('-30.00')
    const open = (await t.asOwner.get(`/api/v1/receipts?customerId=${c}&unallocated=true`)).body
    expect(open.data.map((x: Json) => x.id)).toEqual([r.id])
    expect((await t.asOwner.get(`/api/v1/receipts?customerId=${c}&unallocated=false`)).body.total).toBe(0)

    const second = await invoice(t.asOwner, acc, c, '25.00', { date: '2026-06-20' })
    expect(await balanceOf(t.asOwner, c)).toBe('-5.00')
    const res = await t.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: second.id, amount: '25.00' } })
    status(res, 201)
    // dated the later of the two documents: the invoice's 2026-06-20
    expect(res.body).toMatchObject({ invoiceId: second.id, receiptId: r.id, creditNoteId: null, amount: '25.00', date: '2026-06-20', fxEntryId: null })
    expect((await t.asOwner.get(`/api/v1/receipts/${r.id}`)).body).toMatchObject({ amountAllocated: '95.00', amountUnallocated: '5.00', version: 1 })
    expect((await t.asOwner.get(`/api/v1/invoices/${second.id}`)).body.status).toBe('paid')
    expect(await balanceOf(t.asOwner, c)).toBe('-5.00')
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${r.id} order by id`
    expect(audit.map(a => a.action)).toEqual(['receipt.create', 'receipt.allocate'])
  })

  it('a credit note pays an invoice: 50.00 invoice, 20.00 credit note allocated → 30.00 due; the credit note is used up', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Credit Co' } })).body.id
    const inv = await invoice(t.asOwner, acc, c, '50.00')
    const cn = await creditNote(t.asOwner, acc, c, '20.00')
    expect(await balanceOf(t.asOwner, c)).toBe('30.00')
    const res = await t.asOwner.post(`/api/v1/credit-notes/${cn.id}/allocations`, { json: { invoiceId: inv.id, amount: '20.00' } })
    status(res, 201)
    expect(res.body).toMatchObject({ invoiceId: inv.id, receiptId: null, creditNoteId: cn.id, sourceNumber: cn.number, amount: '20.00', date: '2026-06-02', fxEntryId: null })
    expect((await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '20.00', amountDue: '30.00' })
    // a credit note stays issued: amountPaid is what it has paid off, amountDue what it has left
    expect((await t.asOwner.get(`/api/v1/credit-notes/${cn.id}`)).body).toMatchObject({ status: 'issued', amountPaid: '20.00', amountDue: '0.00' })
    expect(await balanceOf(t.asOwner, c)).toBe('30.00')
    await refused(await t.asOwner.post(`/api/v1/credit-notes/${cn.id}/allocations`, { json: { invoiceId: inv.id, amount: '0.01' } }), 422, 'ALLOCATION_EXCEEDS_AVAILABLE', 'amount')
    // and the invoice cannot be voided while it is allocated (the invoices' own rule)
    await refused(await t.asOwner.post(`/api/v1/invoices/${inv.id}/void`, { json: {} }), 422, 'INVOICE_HAS_ALLOCATIONS')
    expect((await t.asOwner.post(`/api/v1/credit-notes/${cn.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } })).status).toBe(422)
  })
})

describe('realised FX and void', () => {
  let fx: TestTenant
  let fa: Record<string, string>
  let euroCustomer: string

  beforeAll(async () => {
    fx = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
    fa = await accountsOf(fx)
    euroCustomer = (await fx.asOwner.post('/api/v1/customers', { json: { name: 'Euro SA', currency: 'EUR' } })).body.id
  })

  it('an EUR 100.00 invoice at 1.10 (USD 110.00) paid by EUR 100.00 at 1.20 (USD 120.00): gain 10.00 posted Dr AR Cr 7900; AR control ends at 0.00; void puts it all back', async () => {
    const inv = await invoice(fx.asOwner, fa, euroCustomer, '100.00', { exchangeRate: '1.10' })
    expect(inv).toMatchObject({ currency: 'EUR', exchangeRate: '1.1', total: '100.00' })
    expect(await arBalance(fx, fa['1100']!)).toBe('110.00')
    const r = await receipt(fx.asOwner, fa, euroCustomer, '100.00', { exchangeRate: '1.20', allocations: [{ invoiceId: inv.id, amount: '100.00' }] })
    expect(r).toMatchObject({ currency: 'EUR', exchangeRate: '1.2', amountUnallocated: '0.00' })
    const alloc = r.allocations[0]
    expect(alloc).toMatchObject({ amount: '100.00', baseAmountInvoice: '110.00', baseAmountSource: '120.00', fxAmount: '-10.00' })
    expect((await entryLines(fx.asOwner, r.journalEntryId)).lines).toEqual([['1010', '120.00', '0.00'], ['1100', '0.00', '120.00']])
    const fxEntry = await entryLines(fx.asOwner, alloc.fxEntryId)
    expect(fxEntry.entry).toMatchObject({ source: { type: 'sales_allocation', id: alloc.id }, currency: 'USD', date: '2026-06-10' })
    expect(fxEntry.lines).toEqual([['1100', '10.00', '0.00'], ['7900', '0.00', '10.00']])
    expect(await arBalance(fx, fa['1100']!)).toBe('0.00')
    expect(await balanceOf(fx.asOwner, euroCustomer)).toBe('0.00')
    expect((await fx.asOwner.get(`/api/v1/invoices/${inv.id}`)).body.status).toBe('paid')

    // void: the receipt's posting and the FX posting reversed, the allocation released
    const v = await fx.asOwner.post(`/api/v1/receipts/${r.id}/void`, { json: { date: '2026-06-15' } })
    status(v, 200)
    expect(v.body).toMatchObject({ status: 'void', amountAllocated: '0.00', amountUnallocated: '0.00', version: 2 })
    expect(v.body.allocations[0].releasedAt).not.toBeNull()
    expect((await entryLines(fx.asOwner, v.body.voidEntryId)).lines).toEqual([['1010', '0.00', '120.00'], ['1100', '120.00', '0.00']])
    const fxReversal = await sql`select date::text, source_type, source_id from journal_entries where tenant_id = ${fx.id} and reversal_of_id = ${alloc.fxEntryId}`
    expect(fxReversal).toEqual([{ date: '2026-06-15', source_type: 'sales_allocation', source_id: alloc.id }])
    expect((await fx.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'issued', amountPaid: '0.00', amountDue: '100.00' })
    expect(await arBalance(fx, fa['1100']!)).toBe('110.00')
    expect(await balanceOf(fx.asOwner, euroCustomer)).toBe('110.00')
    await refused(await fx.asOwner.post(`/api/v1/receipts/${r.id}/void`, { json: {} }), 409, 'RECEIPT_NOT_ACTIVE')
    // the list: status, dates, number search; a void receipt is never "unallocated"
    const list = async (q: string) => ((await fx.asOwner.get(`/api/v1/receipts?${q}`)).body.data as Json[]).map(x => x.id)
    expect(await list('status=void')).toEqual([r.id])
    expect(await list(`q=${r.number}`)).toEqual([r.id])
    expect(await list('from=2026-06-10&to=2026-06-10')).toContain(r.id)
    expect(await list('from=2026-06-11')).not.toContain(r.id)
    expect(await list('unallocated=true')).not.toContain(r.id)
    await refused(await fx.asOwner.get('/api/v1/receipts?unallocated=yes'), 400, 'VALIDATION_FAILED')
    await refused(await fx.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 422, 'ALLOCATION_SOURCE_NOT_OPEN')
  })

  it('a loss, partly: EUR 50.00 of a 1.30 invoice paid at 1.25 → invoice side 65.00, receipt side 62.50, loss 2.50 (Dr 7900, Cr AR); the rest stays open at the invoice rate', async () => {
    const inv = await invoice(fx.asOwner, fa, euroCustomer, '80.00', { exchangeRate: '1.30' }) // USD 104.00
    const r = await receipt(fx.asOwner, fa, euroCustomer, '50.00', { exchangeRate: '1.25' }) // USD 62.50
    const res = await fx.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id, amount: '50.00' } })
    status(res, 201)
    expect(res.body).toMatchObject({ baseAmountInvoice: '65.00', baseAmountSource: '62.50', fxAmount: '2.50' })
    expect((await entryLines(fx.asOwner, res.body.fxEntryId)).lines).toEqual([['1100', '0.00', '2.50'], ['7900', '2.50', '0.00']])
    // the invoice still carries 104.00 − 65.00 = 39.00 (EUR 30.00 at 1.30); the first invoice 110.00
    expect(await balanceOf(fx.asOwner, euroCustomer)).toBe('149.00')
    expect(await arBalance(fx, fa['1100']!)).toBe('149.00')
  })

  it('same rate, rounding only: EUR 0.01 at 1.5 taken three times from a EUR 0.03 invoice clears to 0.00 (the settling allocation takes the rest)', async () => {
    const c = (await fx.asOwner.post('/api/v1/customers', { json: { name: 'Cents BV', currency: 'EUR' } })).body.id
    const inv = await invoice(fx.asOwner, fa, c, '0.03', { exchangeRate: '1.5' }) // USD 0.045 → 0.05
    const r = await receipt(fx.asOwner, fa, c, '0.03', { exchangeRate: '1.5' }) // USD 0.05
    const bases: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await fx.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id, amount: '0.01' } })
      status(res, 201)
      bases.push(`${res.body.baseAmountInvoice}/${res.body.baseAmountSource}/${res.body.fxEntryId === null}`)
    }
    // 0.015 → 0.02 twice, then the rest 0.01, on both sides alike: no FX posting at all
    expect(bases).toEqual(['0.02/0.02/true', '0.02/0.02/true', '0.01/0.01/true'])
    expect(await balanceOf(fx.asOwner, c)).toBe('0.00')
  })
})

describe('refusals', () => {
  let inv: Json
  let r: Json
  beforeAll(async () => {
    inv = await invoice(t.asOwner, acc, customer, '10.00')
    r = await receipt(t.asOwner, acc, customer, '5.00')
  })

  it('400 for a malformed body: no amount, zero, negative, too many decimals, not a uuid, an unknown field, a zero allocation', async () => {
    const base = { customerId: customer, date: '2026-06-10', amount: '5.00', depositAccountId: acc['1010'] }
    const bad: [Json, string][] = [
      [{ ...base, amount: undefined }, 'amount'], [{ ...base, amount: '0' }, 'amount'], [{ ...base, amount: '-1.00' }, 'amount'],
      [{ ...base, customerId: 'x' }, 'customerId'], [{ ...base, colour: 'red' }, ''], [{ ...base, allocations: [{ invoiceId: inv.id, amount: '0.00' }] }, 'allocations.0.amount'],
      [{ ...base, date: '2026-02-30' }, 'date'],
    ]
    for (const [json, field] of bad) {
      const res = await t.asOwner.post('/api/v1/receipts', { json })
      await refused(res, 400, 'VALIDATION_FAILED', field || undefined)
    }
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '1.001' } }), 400, 'TOO_MANY_DECIMALS', 'amount')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, exchangeRate: '1.5' } }), 400, 'VALIDATION_FAILED', 'exchangeRate')
    await refused(await t.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id } }), 400, 'VALIDATION_FAILED', 'amount')
    await refused(await t.asOwner.post(`/api/v1/receipts/${r.id}/void`, { json: { date: 'soon' } }), 400, 'VALIDATION_FAILED', 'date')
  })

  it('404 for an unknown receipt or credit note, and for another organisation\'s', async () => {
    await refused(await t.asOwner.get(`/api/v1/receipts/${randomUUID()}`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.get(`/api/v1/receipts/${r.id}`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/receipts/${r.id}/void`, { json: {} }), 404, 'NOT_FOUND')
    await refused(await t.asOwner.post(`/api/v1/credit-notes/${randomUUID()}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 404, 'NOT_FOUND')
    // an invoice (not a credit note) in the credit-note route
    await refused(await t.asOwner.post(`/api/v1/credit-notes/${inv.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 404, 'NOT_FOUND')
    expect((await other.asOwner.get('/api/v1/receipts')).body.total).toBe(0)
    // nothing of the refused calls landed
    expect((await t.asOwner.get(`/api/v1/receipts/${r.id}`)).body.amountAllocated).toBe('0.00')
  })

  it('422 for what the rules refuse, each with its code and field; nothing is written', async () => {
    const otherCustomer = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Someone Else' } })).body.id
    const theirs = await invoice(t.asOwner, acc, otherCustomer, '10.00')
    const euro = await invoice(t.asOwner, acc, customer, '10.00', { currency: 'EUR', exchangeRate: '1.1' })
    const draft = await make(t.asOwner, '/api/v1/invoices', { customerId: customer, date: '2026-06-01', amountsAre: 'exclusive', lines: [{ description: 'Draft', quantity: '1', unitPrice: '5', accountId: acc['4000'], taxRateId: null }] })
    const voided = await invoice(t.asOwner, acc, customer, '3.00')
    status(await t.asOwner.post(`/api/v1/invoices/${voided.id}/void`, { json: {} }), 200)
    const foreignInvoice = await invoice(other.asOwner, await accountsOf(other), (await other.asOwner.post('/api/v1/customers', { json: { name: 'X' } })).body.id, '10.00')
    const allocate = (json: Json) => t.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json })

    await refused(await allocate({ invoiceId: inv.id, amount: '5.01' }), 422, 'ALLOCATION_EXCEEDS_AVAILABLE', 'amount')
    await refused(await allocate({ invoiceId: theirs.id, amount: '1.00' }), 422, 'ALLOCATION_CUSTOMER_MISMATCH', 'invoiceId')
    await refused(await allocate({ invoiceId: euro.id, amount: '1.00' }), 422, 'ALLOCATION_CURRENCY_MISMATCH', 'invoiceId')
    await refused(await allocate({ invoiceId: draft.id, amount: '1.00' }), 422, 'ALLOCATION_INVOICE_NOT_OPEN', 'invoiceId')
    await refused(await allocate({ invoiceId: voided.id, amount: '1.00' }), 422, 'ALLOCATION_INVOICE_NOT_OPEN', 'invoiceId')
    await refused(await allocate({ invoiceId: foreignInvoice.id, amount: '1.00' }), 422, 'ALLOCATION_INVOICE_NOT_OPEN', 'invoiceId')
    await refused(await allocate({ invoiceId: r.id, amount: '1.00' }), 422, 'ALLOCATION_INVOICE_NOT_OPEN', 'invoiceId')
    await refused(await allocate({ invoiceId: inv.id, amount: '1.00', date: '2026-06-09' }), 422, 'ALLOCATION_INVALID', 'date')

    const big = await receipt(t.asOwner, acc, customer, '50.00')
    await refused(await t.asOwner.post(`/api/v1/receipts/${big.id}/allocations`, { json: { invoiceId: inv.id, amount: '10.01' } }), 422, 'ALLOCATION_EXCEEDS_DUE', 'amount')

    // a body refused as a whole: no receipt, no number taken, no posting
    const before = (await sql`select count(*)::int as n from receipts where tenant_id = ${t.id}`)[0]!.n
    const base = { customerId: customer, date: '2026-06-10', depositAccountId: acc['1010'] }
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', allocations: [{ invoiceId: inv.id, amount: '3.00' }, { invoiceId: inv.id, amount: '2.00' }] } }), 422, 'ALLOCATION_INVALID', 'allocations.1.invoiceId')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', allocations: [{ invoiceId: inv.id, amount: '3.00' }, { invoiceId: (await invoice(t.asOwner, acc, customer, '9.00')).id, amount: '2.01' }] } }), 422, 'ALLOCATION_EXCEEDS_AVAILABLE', 'allocations.1.amount')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', allocations: [{ invoiceId: theirs.id, amount: '1.00' }] } }), 422, 'ALLOCATION_CUSTOMER_MISMATCH', 'allocations.0.invoiceId')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', customerId: randomUUID() } }), 422, 'RECEIPT_INVALID', 'customerId')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', depositAccountId: acc['4000'] } }), 422, 'RECEIPT_ACCOUNT_INVALID', 'depositAccountId')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', depositAccountId: acc['1100'] } }), 422, 'RECEIPT_ACCOUNT_INVALID', 'depositAccountId')
    await refused(await t.asOwner.post('/api/v1/receipts', { json: { ...base, amount: '5.00', currency: 'EUR', date: '2001-01-01' } }), 422, 'LEDGER_NO_RATE', 'exchangeRate')
    const after = (await sql`select count(*)::int as n from receipts where tenant_id = ${t.id}`)[0]!.n
    expect(after).toBe(before)
    expect((await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body.amountPaid).toBe('0.00')
    // the next receipt takes the next number: none was burnt by the refusals
    const numbers = ((await t.asOwner.get('/api/v1/receipts?pageSize=200&sort=number:asc')).body.data as Json[]).map(x => Number(x.number.slice(4)))
    const next = await receipt(t.asOwner, acc, customer, '1.00')
    expect(Number(next.number.slice(4))).toBe(Math.max(...numbers) + 1)

    // a draft credit note cannot pay
    const cnDraft = await make(t.asOwner, '/api/v1/credit-notes', { customerId: customer, date: '2026-06-02', amountsAre: 'exclusive', lines: [{ description: 'x', quantity: '1', unitPrice: '1', accountId: acc['4000'], taxRateId: null }] })
    await refused(await t.asOwner.post(`/api/v1/credit-notes/${cnDraft.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 422, 'ALLOCATION_SOURCE_NOT_OPEN')
  })

  it('422 LEDGER_PERIOD_CLOSED for a receipt, an allocation or a void dated in a closed period; a void on a later date works', async () => {
    const p = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
    const pa = await accountsOf(p)
    const c = (await p.asOwner.post('/api/v1/customers', { json: { name: 'January Ltd' } })).body.id
    const jan = await invoice(p.asOwner, pa, c, '40.00', { date: '2026-01-10' })
    const early = await receipt(p.asOwner, pa, c, '30.00', { date: '2026-01-20' })
    const period = ((await p.asOwner.get('/api/v1/fiscal-periods')).body.data as Json[]).find(x => x.startDate === '2026-01-01')!
    status(await p.asOwner.post(`/api/v1/fiscal-periods/${period.id}/close`), 200)
    await refused(await p.asOwner.post('/api/v1/receipts', { json: { customerId: c, date: '2026-01-25', amount: '1.00', depositAccountId: pa['1010'] } }), 422, 'LEDGER_PERIOD_CLOSED', 'date')
    await refused(await p.asOwner.post(`/api/v1/receipts/${early.id}/allocations`, { json: { invoiceId: jan.id, amount: '10.00' } }), 422, 'LEDGER_PERIOD_CLOSED')
    await refused(await p.asOwner.post(`/api/v1/receipts/${early.id}/void`, { json: {} }), 422, 'LEDGER_PERIOD_CLOSED', 'date')
    const later = await p.asOwner.post(`/api/v1/receipts/${early.id}/allocations`, { json: { invoiceId: jan.id, amount: '10.00', date: '2026-02-01' } })
    status(later, 201)
    const v = await p.asOwner.post(`/api/v1/receipts/${early.id}/void`, { json: { date: '2026-02-02' } })
    status(v, 200)
    expect((await p.asOwner.get(`/api/v1/invoices/${jan.id}`)).body).toMatchObject({ status: 'issued', amountDue: '40.00' })
    // voided before its allocations' date is refused
    const r2 = await receipt(p.asOwner, pa, c, '5.00', { date: '2026-02-03', allocations: [{ invoiceId: jan.id, amount: '5.00' }] })
    await refused(await p.asOwner.post(`/api/v1/receipts/${r2.id}/void`, { json: { date: '2026-02-02' } }), 422, 'RECEIPT_INVALID', 'date')
  })

  it('a viewer may list and read but not record, allocate or void (403)', async () => {
    const { addMember } = await import('../support/api')
    const viewer = (await addMember(t, ['viewer'])).client
    status(await viewer.get('/api/v1/receipts'), 200)
    status(await viewer.get(`/api/v1/receipts/${r.id}`), 200)
    status(await viewer.post('/api/v1/receipts', { json: { customerId: customer, date: '2026-06-10', amount: '1.00', depositAccountId: acc['1010'] } }), 403)
    status(await viewer.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 403)
    status(await viewer.post(`/api/v1/receipts/${r.id}/void`, { json: {} }), 403)
  })
})

describe('concurrency', () => {
  it('10 concurrent allocations of 15.00 against one 100.00 invoice: exactly 6 succeed (90.00), 4 are 422 ALLOCATION_EXCEEDS_DUE (10.00 left < 15.00)', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Race Ltd' } })).body.id
    const inv = await invoice(t.asOwner, acc, c, '100.00')
    const rs = await Promise.all(Array.from({ length: 10 }, () => receipt(t.asOwner, acc, c, '15.00')))
    const answers = await Promise.all(rs.map(r => t.asOwner.post(`/api/v1/receipts/${r.id}/allocations`, { json: { invoiceId: inv.id, amount: '15.00' } })))
    const byStatus = answers.map(a => `${a.status} ${a.status === 201 ? '' : codeOf(a)}`.trim()).sort()
    expect(byStatus).toEqual([...Array(6).fill('201'), ...Array(4).fill('422 ALLOCATION_EXCEEDS_DUE')])
    expect((await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '90.00', amountDue: '10.00' })
    const [sum] = await sql`select sum(amount)::text as s from sales_allocations where tenant_id = ${t.id} and invoice_id = ${inv.id} and released_at is null`
    expect(sum!.s).toBe('90.0000')
    // customer: 10.00 due − 4 receipts of 15.00 unallocated
    expect(await balanceOf(t.asOwner, c)).toBe('-50.00')
    // and once paid, an invoice takes no more: ALLOCATION_INVOICE_NOT_OPEN
    const last = rs.find((_, i) => answers[i]!.status === 422)!
    status(await t.asOwner.post(`/api/v1/receipts/${last.id}/allocations`, { json: { invoiceId: inv.id, amount: '10.00' } }), 201)
    await refused(await t.asOwner.post(`/api/v1/receipts/${last.id}/allocations`, { json: { invoiceId: inv.id, amount: '1.00' } }), 422, 'ALLOCATION_INVOICE_NOT_OPEN', 'invoiceId')
  })

  it('10 concurrent receipts each allocating 30.00 of one 100.00 invoice: 3 are recorded, 7 refused with nothing written', async () => {
    const c = (await t.asOwner.post('/api/v1/customers', { json: { name: 'Race Two Ltd' } })).body.id
    const inv = await invoice(t.asOwner, acc, c, '100.00')
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.asOwner.post('/api/v1/receipts', { json: { customerId: c, date: '2026-06-10', amount: '30.00', depositAccountId: acc['1010'], allocations: [{ invoiceId: inv.id, amount: '30.00' }] } })))
    expect(answers.filter(a => a.status === 201)).toHaveLength(3)
    for (const a of answers.filter(x => x.status !== 201)) expect(codeOf(a), a.text).toBe('ALLOCATION_EXCEEDS_DUE')
    expect((await t.asOwner.get(`/api/v1/invoices/${inv.id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '90.00' })
    expect((await t.asOwner.get(`/api/v1/receipts?customerId=${c}`)).body.total).toBe(3)
  })
})
