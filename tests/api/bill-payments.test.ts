/**
 * Bill payments and purchase allocations through the real server (SPEC §5 `bill-payments`; issue 13
 * point 3): the posting (Dr AP control, Cr bank), allocations in the body and later, partial
 * payment, the rest left as a prepayment, the realised FX difference (signs of a liability) so the
 * AP control account clears exactly, void releasing the allocations, the bill's void refused while
 * paid (in PostgreSQL too), events and audit, gapless numbers, every refusal, and allocations racing
 * for the last amount (PostgreSQL's trigger decides, not the code's pre-check). Amounts are worked
 * by hand in each test.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
let acc: Record<string, string>
let vendor: string

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
let refs = 0
/** A posted (open) bill of `total` (one untaxed line of supplies, 6300), dated 2026-06-01. */
const bill = (c: Client, a: Record<string, string>, vendorId: string, total: string, over: Json = {}) =>
  make(c, '/api/v1/bills', { vendorId, date: '2026-06-01', vendorReference: `V-${++refs}`, amountsAre: 'exclusive', submit: true, lines: [{ description: 'Supplies', quantity: '1', unitPrice: total, accountId: a['6300'], taxRateId: null }], ...over })
const payment = (c: Client, a: Record<string, string>, vendorId: string, amount: string, over: Json = {}) =>
  make(c, '/api/v1/bill-payments', { vendorId, date: '2026-06-10', amount, paymentAccountId: a['1010'], ...over })

async function entryLines(c: Client, id: string) {
  const e = (await c.get(`/api/v1/journal-entries/${id}`)).body
  return { entry: e, lines: (e.lines as Json[]).map(l => [l.accountCode, l.baseDebit, l.baseCredit]).sort() }
}
/** The AP control account's posted balance (base, credit positive), straight from the journal. */
async function apBalance(tenant: TestTenant, apId: string) {
  const [r] = await sql`select coalesce(sum(l.base_credit - l.base_debit), 0)::numeric(20,2)::text as b from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
    where l.tenant_id = ${tenant.id} and l.account_id = ${apId} and e.status = 'posted'`
  return r!.b as string
}
const billOf = async (c: Client, id: string) => (await c.get(`/api/v1/bills/${id}`)).body

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })])
  acc = await accountsOf(t)
  status(await t.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '1000000' } }), 200)
  vendor = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Harbour Supplies' } })).body.id
})

describe('bill payments', () => {
  it('partial then full payment: 100.00 bill, 40.00 then 60.00; Dr AP Cr bank; open → partially_paid → paid; bill.paid once; PAY- numbers', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Partial Paper Ltd' } })).body.id
    const b = await bill(t.asOwner, acc, v, '100.00')
    expect(b).toMatchObject({ status: 'open', total: '100.00' })
    const p1 = await payment(t.asOwner, acc, v, '40.00', { reference: 'BACS 1', allocations: [{ billId: b.id, amount: '40.00' }] })
    expect(p1).toMatchObject({ number: 'PAY-000001', status: 'active', amount: '40.00', currency: 'USD', exchangeRate: '1', amountAllocated: '40.00', amountUnallocated: '0.00', reference: 'BACS 1', vendor: { id: v, name: 'Partial Paper Ltd' } })
    expect(p1.allocations).toHaveLength(1)
    expect(p1.allocations[0]).toMatchObject({ billId: b.id, billNumber: b.number, paymentId: p1.id, vendorCreditId: null, sourceNumber: 'PAY-000001', amount: '40.00', date: '2026-06-10', baseAmountBill: '40.00', baseAmountSource: '40.00', fxAmount: '0.00', fxEntryId: null, releasedAt: null })
    const { entry, lines } = await entryLines(t.asOwner, p1.journalEntryId)
    expect(entry).toMatchObject({ source: { type: 'bill_payment', id: p1.id }, date: '2026-06-10', memo: 'Payment PAY-000001: Partial Paper Ltd' })
    expect(lines).toEqual([['1010', '0.00', '40.00'], ['2000', '40.00', '0.00']])
    expect(await billOf(t.asOwner, b.id)).toMatchObject({ status: 'partially_paid', amountPaid: '40.00', amountDue: '60.00' })

    const p2 = await payment(t.asOwner, acc, v, '60.00', { allocations: [{ billId: b.id, amount: '60.00' }] })
    expect(p2.number).toBe('PAY-000002')
    expect(await billOf(t.asOwner, b.id)).toMatchObject({ status: 'paid', amountPaid: '100.00', amountDue: '0.00' })
    const events = await sql`select type, entity_id from events where tenant_id = ${t.id} and entity_id in (${b.id}, ${p1.id}, ${p2.id}) order by occurred_at, id`
    // bill.paid is recorded as the allocation settles the bill, before the payment's own event
    expect(events.map(e => e.type)).toEqual(['bill.submitted', 'bill_payment.created', 'bill.paid', 'bill_payment.created'])
    const [paid] = await sql`select data from events where tenant_id = ${t.id} and entity_id = ${b.id} and type = 'bill.paid'`
    expect(paid!.data).toMatchObject({ id: b.id, status: 'paid', amountDue: '0.00' })
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id in (${p1.id}, ${p2.id}) order by id`
    expect(audit.map(a => a.action)).toEqual(['bill_payment.create', 'bill_payment.create'])
    // the stored dates for the aging: the bill's date and due date, the payment's date
    const rows = await sql`select bill_date::text, bill_due::text, source_date::text from purchase_allocations where tenant_id = ${t.id} and payment_id = ${p1.id}`
    expect(rows).toEqual([{ bill_date: '2026-06-01', bill_due: b.dueDate, source_date: '2026-06-10' }])
  })

  it('one payment pays two bills (30.00 + 20.00) and leaves 15.00 as a prepayment, allocated later to a third bill; AP control = open bills − prepayments', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Prepaid Freight' } })).body.id
    const before = await apBalance(t, acc['2000']!)
    const a = await bill(t.asOwner, acc, v, '30.00')
    const b = await bill(t.asOwner, acc, v, '20.00')
    const p = await payment(t.asOwner, acc, v, '65.00', { allocations: [{ billId: a.id, amount: '30.00' }, { billId: b.id, amount: '20.00' }] })
    expect(p).toMatchObject({ amountAllocated: '50.00', amountUnallocated: '15.00' })
    for (const id of [a.id, b.id]) expect((await billOf(t.asOwner, id)).status).toBe('paid')
    // 50.00 billed − 65.00 paid: the vendor owes us 15.00 (a debit on AP control)
    expect(Number(await apBalance(t, acc['2000']!)) - Number(before)).toBeCloseTo(-15, 2)
    const open = (await t.asOwner.get(`/api/v1/bill-payments?vendorId=${v}&unallocated=true`)).body
    expect(open.data.map((x: Json) => x.id)).toEqual([p.id])
    expect((await t.asOwner.get(`/api/v1/bill-payments?vendorId=${v}&unallocated=false`)).body.total).toBe(0)

    const c = await bill(t.asOwner, acc, v, '25.00', { date: '2026-06-20' })
    const res = await t.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: c.id, amount: '15.00' } })
    status(res, 201)
    // dated the later of the two documents: the bill's 2026-06-20
    expect(res.body).toMatchObject({ billId: c.id, paymentId: p.id, vendorCreditId: null, amount: '15.00', date: '2026-06-20', fxEntryId: null })
    expect((await t.asOwner.get(`/api/v1/bill-payments/${p.id}`)).body).toMatchObject({ amountAllocated: '65.00', amountUnallocated: '0.00', version: 1 })
    expect(await billOf(t.asOwner, c.id)).toMatchObject({ status: 'partially_paid', amountDue: '10.00' })
    expect(Number(await apBalance(t, acc['2000']!)) - Number(before)).toBeCloseTo(10, 2)
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${p.id} order by id`
    expect(audit.map(x => x.action)).toEqual(['bill_payment.create', 'bill_payment.allocate'])
    // the list: number search, dates
    const list = async (q: string) => ((await t.asOwner.get(`/api/v1/bill-payments?${q}`)).body.data as Json[]).map(x => x.id)
    expect(await list(`q=${p.number}`)).toEqual([p.id])
    expect(await list('q=Prepaid%20Freight')).toEqual([p.id])
    expect(await list('from=2026-06-11')).not.toContain(p.id)
  })

  it('void releases the allocations: the bills go back to open / partially paid; a bill is not voided while paid (API and PostgreSQL), and is once the payment is void', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Void Paper' } })).body.id
    const b = await bill(t.asOwner, acc, v, '80.00')
    const other1 = await bill(t.asOwner, acc, v, '10.00')
    const keep = await payment(t.asOwner, acc, v, '5.00', { allocations: [{ billId: other1.id, amount: '5.00' }] })
    const p = await payment(t.asOwner, acc, v, '85.00', { allocations: [{ billId: b.id, amount: '80.00' }, { billId: other1.id, amount: '5.00' }] })
    expect(await billOf(t.asOwner, b.id)).toMatchObject({ status: 'paid' })
    expect(await billOf(t.asOwner, other1.id)).toMatchObject({ status: 'paid' })

    await refused(await t.asOwner.post(`/api/v1/bills/${b.id}/void`, { json: {} }), 422, 'BILL_HAS_ALLOCATIONS')
    // the database refuses it too, whatever the code does
    await expect(sql`update bills set status = 'void', void_entry_id = journal_entry_id, voided_at = now() where tenant_id = ${t.id} and id = ${b.id}`).rejects.toThrow(/BILL_HAS_ALLOCATIONS/)

    await refused(await t.asOwner.post(`/api/v1/bill-payments/${p.id}/void`, { json: { date: '2026-06-09' } }), 422, 'BILL_PAYMENT_INVALID', 'date')
    const res = await t.asOwner.post(`/api/v1/bill-payments/${p.id}/void`, { json: {} })
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'void', amountAllocated: '0.00', amountUnallocated: '0.00', version: 2 })
    expect(res.body.allocations.every((a: Json) => a.releasedAt !== null)).toBe(true)
    expect((await entryLines(t.asOwner, res.body.voidEntryId)).lines).toEqual([['1010', '85.00', '0.00'], ['2000', '0.00', '85.00']])
    expect(await billOf(t.asOwner, b.id)).toMatchObject({ status: 'open', amountPaid: '0.00', amountDue: '80.00' })
    expect(await billOf(t.asOwner, other1.id)).toMatchObject({ status: 'partially_paid', amountPaid: '5.00' })
    await refused(await t.asOwner.post(`/api/v1/bill-payments/${p.id}/void`, { json: {} }), 409, 'BILL_PAYMENT_NOT_ACTIVE')
    await refused(await t.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 422, 'ALLOCATION_SOURCE_NOT_OPEN')
    expect(((await t.asOwner.get('/api/v1/bill-payments?status=void')).body.data as Json[]).map(x => x.id)).toContain(p.id)
    // now the bill can be voided; the other, still partly paid, cannot
    status(await t.asOwner.post(`/api/v1/bills/${b.id}/void`, { json: {} }), 200)
    await refused(await t.asOwner.post(`/api/v1/bills/${other1.id}/void`, { json: {} }), 422, 'BILL_HAS_ALLOCATIONS')
    expect(keep.status).toBe('active')
    // a payment is never deleted or changed but by its allocations and its void
    await expect(sql`delete from bill_payments where tenant_id = ${t.id} and id = ${keep.id}`).rejects.toThrow(/BILL_PAYMENT_IMMUTABLE/)
    await expect(sql`update bill_payments set amount = 6 where tenant_id = ${t.id} and id = ${keep.id}`).rejects.toThrow(/BILL_PAYMENT_IMMUTABLE/)
    await expect(sql`delete from purchase_allocations where tenant_id = ${t.id} and payment_id = ${keep.id}`).rejects.toThrow(/ALLOCATION_IMMUTABLE/)
  })

  it('numbers are gapless: a refused payment takes no number', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Gapless Co' } })).body.id
    const b = await bill(t.asOwner, acc, v, '10.00')
    const first = await payment(t.asOwner, acc, v, '1.00')
    await refused(await t.asOwner.post('/api/v1/bill-payments', { json: { vendorId: v, date: '2026-06-10', amount: '50.00', paymentAccountId: acc['1010'], allocations: [{ billId: b.id, amount: '50.00' }] } }), 422, 'ALLOCATION_EXCEEDS_DUE')
    const second = await payment(t.asOwner, acc, v, '1.00')
    expect(Number(second.number.slice(4))).toBe(Number(first.number.slice(4)) + 1)
  })
})

describe('realised FX', () => {
  let fx: TestTenant
  let fa: Record<string, string>
  let euroVendor: string

  beforeAll(async () => {
    fx = await createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })
    fa = await accountsOf(fx)
    status(await fx.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '1000000' } }), 200)
    euroVendor = (await fx.asOwner.post('/api/v1/vendors', { json: { name: 'Euro Papier SA', currency: 'EUR' } })).body.id
  })

  it('a loss: an EUR 100.00 bill at 1.10 (Cr AP 110.00) paid with EUR 100.00 at 1.20 (Dr AP 120.00): fx −10.00 posted Cr AP 10.00, Dr 7900 10.00; AP ends at 0.00; void puts it all back', async () => {
    const b = await bill(fx.asOwner, fa, euroVendor, '100.00', { exchangeRate: '1.10' })
    expect(b).toMatchObject({ currency: 'EUR', exchangeRate: '1.1', total: '100.00', status: 'open' })
    expect(await apBalance(fx, fa['2000']!)).toBe('110.00')
    const p = await payment(fx.asOwner, fa, euroVendor, '100.00', { exchangeRate: '1.20', allocations: [{ billId: b.id, amount: '100.00' }] })
    expect(p).toMatchObject({ currency: 'EUR', exchangeRate: '1.2', amountUnallocated: '0.00' })
    const alloc = p.allocations[0]
    // by hand: bill side 100 × 1.10 = 110.00 (it settles: all it carries), payment side 100 × 1.20 = 120.00; 110 − 120 = −10.00
    expect(alloc).toMatchObject({ amount: '100.00', baseAmountBill: '110.00', baseAmountSource: '120.00', fxAmount: '-10.00' })
    expect((await entryLines(fx.asOwner, p.journalEntryId)).lines).toEqual([['1010', '0.00', '120.00'], ['2000', '120.00', '0.00']])
    const fxEntry = await entryLines(fx.asOwner, alloc.fxEntryId)
    expect(fxEntry.entry).toMatchObject({ source: { type: 'purchase_allocation', id: alloc.id }, currency: 'USD', date: '2026-06-10' })
    // AP: 110.00 Cr − 120.00 Dr + 10.00 Cr = 0.00; the 10.00 more it cost in dollars is a loss (debit 7900)
    expect(fxEntry.lines).toEqual([['2000', '0.00', '10.00'], ['7900', '10.00', '0.00']])
    expect(await apBalance(fx, fa['2000']!)).toBe('0.00')
    expect((await billOf(fx.asOwner, b.id)).status).toBe('paid')

    const v = await fx.asOwner.post(`/api/v1/bill-payments/${p.id}/void`, { json: { date: '2026-06-15' } })
    status(v, 200)
    expect((await entryLines(fx.asOwner, v.body.voidEntryId)).lines).toEqual([['1010', '120.00', '0.00'], ['2000', '0.00', '120.00']])
    const fxReversal = await sql`select date::text, source_type, source_id from journal_entries where tenant_id = ${fx.id} and reversal_of_id = ${alloc.fxEntryId}`
    expect(fxReversal).toEqual([{ date: '2026-06-15', source_type: 'purchase_allocation', source_id: alloc.id }])
    expect(await billOf(fx.asOwner, b.id)).toMatchObject({ status: 'open', amountDue: '100.00' })
    expect(await apBalance(fx, fa['2000']!)).toBe('110.00')
  })

  it('a gain, partly: EUR 50.00 of an EUR 80.00 bill at 1.30 (USD 104.00) paid at 1.25 → bill side 65.00, payment side 62.50, gain 2.50 (Dr AP, Cr 7900); the rest stays at the bill rate', async () => {
    const before = await apBalance(fx, fa['2000']!)
    const b = await bill(fx.asOwner, fa, euroVendor, '80.00', { exchangeRate: '1.30' })
    const p = await payment(fx.asOwner, fa, euroVendor, '50.00', { exchangeRate: '1.25' })
    const res = await fx.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '50.00' } })
    status(res, 201)
    expect(res.body).toMatchObject({ baseAmountBill: '65.00', baseAmountSource: '62.50', fxAmount: '2.50' })
    expect((await entryLines(fx.asOwner, res.body.fxEntryId)).lines).toEqual([['2000', '2.50', '0.00'], ['7900', '0.00', '2.50']])
    // the bill still carries 104.00 − 65.00 = 39.00 (EUR 30.00 at 1.30)
    expect(Number(await apBalance(fx, fa['2000']!)) - Number(before)).toBeCloseTo(39, 2)
  })

  it('same rate, rounding only: EUR 0.01 at 1.5 taken three times from an EUR 0.03 bill clears to 0.00 (the settling allocation takes the rest)', async () => {
    const v = (await fx.asOwner.post('/api/v1/vendors', { json: { name: 'Cents BV', currency: 'EUR' } })).body.id
    const before = await apBalance(fx, fa['2000']!)
    const b = await bill(fx.asOwner, fa, v, '0.03', { exchangeRate: '1.5' }) // USD 0.045 → 0.05
    const p = await payment(fx.asOwner, fa, v, '0.03', { exchangeRate: '1.5' }) // USD 0.05
    const bases: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await fx.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '0.01' } })
      status(res, 201)
      bases.push(`${res.body.baseAmountBill}/${res.body.baseAmountSource}/${res.body.fxEntryId === null}`)
    }
    expect(bases).toEqual(['0.02/0.02/true', '0.02/0.02/true', '0.01/0.01/true'])
    expect(await apBalance(fx, fa['2000']!)).toBe(before)
  })
})

describe('refusals', () => {
  let b: Json
  let p: Json
  beforeAll(async () => {
    b = await bill(t.asOwner, acc, vendor, '10.00')
    p = await payment(t.asOwner, acc, vendor, '5.00')
  })

  it('400 for a malformed body: no amount, zero, negative, too many decimals, not a uuid, an unknown field, a zero allocation', async () => {
    const base = { vendorId: vendor, date: '2026-06-10', amount: '5.00', paymentAccountId: acc['1010'] }
    const bodies: Json[] = [
      { ...base, amount: undefined }, { ...base, amount: '0' }, { ...base, amount: '-5.00' }, { ...base, vendorId: 'nope' },
      { ...base, extra: 1 }, { ...base, allocations: [{ billId: b.id, amount: '0.00' }] }, { ...base, date: '2026-13-01' },
    ]
    for (const json of bodies) await refused(await t.asOwner.post('/api/v1/bill-payments', { json }), 400, 'VALIDATION_FAILED')
    await refused(await t.asOwner.post('/api/v1/bill-payments', { json: { ...base, amount: '1.001' } }), 400, 'TOO_MANY_DECIMALS', 'amount')
    await refused(await t.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id } }), 400, 'VALIDATION_FAILED')
  })

  it('404 for an unknown payment, and for another organisation\'s; another organisation\'s bill or vendor is unknown (422)', async () => {
    await refused(await t.asOwner.get(`/api/v1/bill-payments/${randomUUID()}`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.get(`/api/v1/bill-payments/${p.id}`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/bill-payments/${p.id}/void`, { json: {} }), 404, 'NOT_FOUND')
    expect((await other.asOwner.get('/api/v1/bill-payments')).body.total).toBe(0)
    const oa = await accountsOf(other)
    const ov = (await other.asOwner.post('/api/v1/vendors', { json: { name: 'Theirs' } })).body.id
    await refused(await other.asOwner.post('/api/v1/bill-payments', { json: { vendorId: ov, date: '2026-06-10', amount: '1.00', paymentAccountId: oa['1010'], allocations: [{ billId: b.id, amount: '1.00' }] } }), 422, 'ALLOCATION_BILL_NOT_OPEN', 'allocations.0.billId')
    await refused(await other.asOwner.post('/api/v1/bill-payments', { json: { vendorId: vendor, date: '2026-06-10', amount: '1.00', paymentAccountId: oa['1010'] } }), 422, 'BILL_PAYMENT_INVALID', 'vendorId')
    expect((await t.asOwner.get(`/api/v1/bill-payments/${p.id}`)).body.amountAllocated).toBe('0.00')
  })

  it('422 for what the rules refuse, each with its code and field; nothing is written', async () => {
    const otherVendor = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Someone Else' } })).body.id
    const theirs = await bill(t.asOwner, acc, otherVendor, '10.00')
    const euros = await bill(t.asOwner, acc, vendor, '10.00', { currency: 'EUR', exchangeRate: '1.1' })
    const draft = await make(t.asOwner, '/api/v1/bills', { vendorId: vendor, date: '2026-06-01', vendorReference: `V-${++refs}`, amountsAre: 'exclusive', lines: [{ description: 'x', quantity: '1', unitPrice: '10', accountId: acc['6300'], taxRateId: null }] })
    const voided = await bill(t.asOwner, acc, vendor, '10.00')
    status(await t.asOwner.post(`/api/v1/bills/${voided.id}/void`, { json: {} }), 200)
    const base = { vendorId: vendor, date: '2026-06-10', amount: '5.00', paymentAccountId: acc['1010'] }
    const count = async () => Number((await sql`select count(*)::int as n from bill_payments where tenant_id = ${t.id}`)[0]!.n)
    const n = await count()
    const cases: [Json, string, string][] = [
      [{ ...base, allocations: [{ billId: theirs.id, amount: '5.00' }] }, 'ALLOCATION_VENDOR_MISMATCH', 'allocations.0.billId'],
      [{ ...base, allocations: [{ billId: euros.id, amount: '5.00' }] }, 'ALLOCATION_CURRENCY_MISMATCH', 'allocations.0.billId'],
      [{ ...base, allocations: [{ billId: draft.id, amount: '5.00' }] }, 'ALLOCATION_BILL_NOT_OPEN', 'allocations.0.billId'],
      [{ ...base, allocations: [{ billId: voided.id, amount: '5.00' }] }, 'ALLOCATION_BILL_NOT_OPEN', 'allocations.0.billId'],
      [{ ...base, allocations: [{ billId: randomUUID(), amount: '5.00' }] }, 'ALLOCATION_BILL_NOT_OPEN', 'allocations.0.billId'],
      [{ ...base, amount: '20.00', allocations: [{ billId: b.id, amount: '11.00' }] }, 'ALLOCATION_EXCEEDS_DUE', 'allocations.0.amount'],
      [{ ...base, allocations: [{ billId: b.id, amount: '6.00' }] }, 'ALLOCATION_EXCEEDS_AVAILABLE', 'allocations.0.amount'],
      [{ ...base, allocations: [{ billId: b.id, amount: '1.00' }, { billId: b.id, amount: '1.00' }] }, 'ALLOCATION_INVALID', 'allocations.1.billId'],
      [{ ...base, paymentAccountId: acc['6300'] }, 'BILL_PAYMENT_ACCOUNT_INVALID', 'paymentAccountId'],
      [{ ...base, paymentAccountId: acc['2000'] }, 'BILL_PAYMENT_ACCOUNT_INVALID', 'paymentAccountId'],
      [{ ...base, paymentAccountId: randomUUID() }, 'BILL_PAYMENT_ACCOUNT_INVALID', 'paymentAccountId'],
      [{ ...base, vendorId: randomUUID() }, 'BILL_PAYMENT_INVALID', 'vendorId'],
      [{ ...base, currency: 'EUR' }, 'LEDGER_NO_RATE', 'exchangeRate'],
    ]
    for (const [json, code, field] of cases) await refused(await t.asOwner.post('/api/v1/bill-payments', { json }), 422, code, field)
    expect(await count()).toBe(n)
    // the allocation route: the same checks against the payment's rest
    const route = `/api/v1/bill-payments/${p.id}/allocations`
    await refused(await t.asOwner.post(route, { json: { billId: b.id, amount: '6.00' } }), 422, 'ALLOCATION_EXCEEDS_AVAILABLE', 'amount')
    await refused(await t.asOwner.post(route, { json: { billId: theirs.id, amount: '1.00' } }), 422, 'ALLOCATION_VENDOR_MISMATCH', 'billId')
    await refused(await t.asOwner.post(route, { json: { billId: b.id, amount: '1.00', date: '2026-06-09' } }), 422, 'ALLOCATION_INVALID', 'date')
    expect((await t.asOwner.get(`/api/v1/bill-payments/${p.id}`)).body.amountAllocated).toBe('0.00')
  })

  it('the database refuses an over-allocation written past the code', async () => {
    const [row] = await sql`select vendor_id, currency from bills where tenant_id = ${t.id} and id = ${b.id}`
    await expect(sql`insert into purchase_allocations (tenant_id, bill_id, payment_id, vendor_id, currency, date, amount, base_amount_bill, base_amount_source, bill_date, bill_due, source_date)
      values (${t.id}, ${b.id}, ${p.id}, ${row!.vendor_id}, ${row!.currency}, '2026-06-10', 11, 11, 11, '2026-06-01', '2026-06-01', '2026-06-10')`).rejects.toThrow(/ALLOCATION_EXCEEDS_(DUE|AVAILABLE)/)
  })

  it('permissions: an AP clerk reads but records, allocates and voids no payment (ap:pay); an accountant does', async () => {
    const clerk = (await addMember(t, ['ap_clerk'])).client
    const accountant = (await addMember(t, ['accountant'])).client
    const viewer = (await addMember(t, ['viewer'])).client
    status(await clerk.get('/api/v1/bill-payments'), 200)
    status(await viewer.get(`/api/v1/bill-payments/${p.id}`), 200)
    const body = { vendorId: vendor, date: '2026-06-10', amount: '1.00', paymentAccountId: acc['1010'] }
    for (const c of [clerk, viewer]) {
      status(await c.post('/api/v1/bill-payments', { json: body }), 403)
      status(await c.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 403)
      status(await c.post(`/api/v1/bill-payments/${p.id}/void`, { json: {} }), 403)
    }
    status(await accountant.post('/api/v1/bill-payments', { json: body }), 201)
  })
})

describe('concurrency', () => {
  it('two allocations racing for the last 10.00 of a bill: exactly one wins', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Race One' } })).body.id
    const b = await bill(t.asOwner, acc, v, '10.00')
    const [p1, p2] = await Promise.all([payment(t.asOwner, acc, v, '10.00'), payment(t.asOwner, acc, v, '10.00')])
    const answers = await Promise.all([p1!, p2!].map(p => t.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '10.00' } })))
    const byStatus = answers.map(a => `${a.status} ${a.status === 201 ? '' : codeOf(a)}`.trim()).sort()
    expect(byStatus).toEqual(['201', '422 ALLOCATION_BILL_NOT_OPEN'].sort())
    expect(await billOf(t.asOwner, b.id)).toMatchObject({ status: 'paid', amountPaid: '10.00' })
    const [sum] = await sql`select sum(amount)::text as s from purchase_allocations where tenant_id = ${t.id} and bill_id = ${b.id} and released_at is null`
    expect(sum!.s).toBe('10.0000')
  })

  it('10 concurrent allocations of 15.00 against one 100.00 bill: exactly 6 succeed (90.00), 4 are 422 ALLOCATION_EXCEEDS_DUE', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Race Ten' } })).body.id
    const b = await bill(t.asOwner, acc, v, '100.00')
    const ps = await Promise.all(Array.from({ length: 10 }, () => payment(t.asOwner, acc, v, '15.00')))
    const answers = await Promise.all(ps.map(p => t.asOwner.post(`/api/v1/bill-payments/${p.id}/allocations`, { json: { billId: b.id, amount: '15.00' } })))
    const byStatus = answers.map(a => `${a.status} ${a.status === 201 ? '' : codeOf(a)}`.trim()).sort()
    expect(byStatus).toEqual([...Array(6).fill('201'), ...Array(4).fill('422 ALLOCATION_EXCEEDS_DUE')])
    expect(await billOf(t.asOwner, b.id)).toMatchObject({ status: 'partially_paid', amountPaid: '90.00', amountDue: '10.00' })
  })

  it('10 concurrent payments each allocating 30.00 of one 100.00 bill: 3 are recorded, 7 refused with nothing written', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Race Pay' } })).body.id
    const b = await bill(t.asOwner, acc, v, '100.00')
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.asOwner.post('/api/v1/bill-payments', { json: { vendorId: v, date: '2026-06-10', amount: '30.00', paymentAccountId: acc['1010'], allocations: [{ billId: b.id, amount: '30.00' }] } })))
    expect(answers.filter(a => a.status === 201)).toHaveLength(3)
    for (const a of answers.filter(x => x.status !== 201)) expect(codeOf(a), a.text).toBe('ALLOCATION_EXCEEDS_DUE')
    expect((await t.asOwner.get(`/api/v1/bill-payments?vendorId=${v}`)).body.total).toBe(3)
  })
})
