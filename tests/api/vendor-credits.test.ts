/**
 * Vendor credits through the real server (SPEC §5 `vendor-credits`; issue 13 point 3): drafts
 * (create, PATCH, DELETE), issue (a gapless `VC-` number; Dr AP control, Cr the expense and the
 * recoverable tax account — a bill's posting reversed), allocation to bills (partial, settling with
 * `bill.paid`, the refusals), the void (refused while allocated, in PostgreSQL too; the reversal
 * otherwise), the kinds kept apart (a credit is no bill and a bill no credit), another
 * organisation's ids, permissions, and two allocations racing for the last amount of a bill.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'
import { createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}
let vat: string
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
let refs = 0
/** An open bill of `net` + 20% VAT, dated 2026-06-01. */
const bill = (c: Client, vendorId: string, net: string, over: Json = {}) =>
  make(c, '/api/v1/bills', { vendorId, date: '2026-06-01', vendorReference: `B-${++refs}`, amountsAre: 'exclusive', submit: true, lines: [{ description: 'Paper', quantity: '1', unitPrice: net, accountId: acc['6300'], taxRateId: vat }], ...over })
/** A vendor credit body of `net` + 20% VAT, dated 2026-06-05. */
const creditBody = (vendorId: string, net: string, over: Json = {}) =>
  ({ vendorId, date: '2026-06-05', amountsAre: 'exclusive', lines: [{ description: 'Returned paper', quantity: '1', unitPrice: net, accountId: acc['6300'], taxRateId: vat }], ...over })
const credit = (c: Client, vendorId: string, net: string, over: Json = {}) => make(c, '/api/v1/vendor-credits', creditBody(vendorId, net, { issue: true, ...over }))

async function legs(c: Client, entryId: string) {
  const e = (await c.get(`/api/v1/journal-entries/${entryId}`)).body
  return { entry: e, lines: (e.lines as Json[]).map(l => [l.accountCode, l.baseDebit, l.baseCredit]).sort() }
}
async function apBalance(tenant: TestTenant) {
  const [r] = await sql`select coalesce(sum(l.base_credit - l.base_debit), 0)::numeric(20,2)::text as b from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
    where l.tenant_id = ${tenant.id} and l.account_id = ${acc['2000']} and e.status = 'posted'`
  return r!.b as string
}

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'USD' })])
  Object.assign(acc, Object.fromEntries(((await t.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id])))
  acc['1350'] = (await createAccount(t.asOwner, { code: '1350', name: 'VAT recoverable', type: 'asset', subtype: 'other_current_asset' })).id
  vat = (await make(t.asOwner, '/api/v1/tax-rates', { code: 'IVAT20', name: 'Input VAT 20%', rate: '20', scope: 'purchases', accountId: acc['1350'] })).id
  status(await t.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '1000000' } }), 200)
  vendor = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Harbour Supplies' } })).body.id
})

describe('vendor credits', () => {
  it('a draft is created without a reference, changed and deleted; issuing numbers it VC-000001 and posts Dr AP 36.00, Cr 6300 30.00, Cr 1350 6.00', async () => {
    const draft = await make(t.asOwner, '/api/v1/vendor-credits', creditBody(vendor, '10.00'))
    expect(draft).toMatchObject({ kind: 'vendor_credit', status: 'draft', number: null, vendorReference: null, total: '12.00', dueDate: '2026-06-05', allocations: [] })
    const patched = await t.asOwner.patch(`/api/v1/vendor-credits/${draft.id}`, { json: { vendorReference: 'CN-77', lines: [{ description: 'Returned paper', quantity: '3', unitPrice: '10', accountId: acc['6300'], taxRateId: vat }] } })
    status(patched, 200)
    expect(patched.body).toMatchObject({ vendorReference: 'CN-77', subtotal: '30.00', taxTotal: '6.00', total: '36.00', version: 2 })
    const throwaway = await make(t.asOwner, '/api/v1/vendor-credits', creditBody(vendor, '1.00'))
    status(await t.asOwner.delete(`/api/v1/vendor-credits/${throwaway.id}`), 200)
    await refused(await t.asOwner.get(`/api/v1/vendor-credits/${throwaway.id}`), 404, 'NOT_FOUND')

    const res = await t.asOwner.post(`/api/v1/vendor-credits/${draft.id}/issue`)
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'open', number: 'VC-000001', amountPaid: '0.00', amountDue: '36.00' })
    const { entry, lines } = await legs(t.asOwner, res.body.journalEntryId)
    expect(entry).toMatchObject({ source: { type: 'vendor_credit', id: draft.id }, date: '2026-06-05', reference: 'CN-77' })
    expect(lines).toEqual([['1350', '0.00', '6.00'], ['2000', '36.00', '0.00'], ['6300', '0.00', '30.00']])
    // issued: fixed
    await refused(await t.asOwner.patch(`/api/v1/vendor-credits/${draft.id}`, { json: { memo: 'x' } }), 409, 'VENDOR_CREDIT_NOT_DRAFT')
    await refused(await t.asOwner.delete(`/api/v1/vendor-credits/${draft.id}`), 409, 'VENDOR_CREDIT_NOT_DRAFT')
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${draft.id}/issue`), 409, 'VENDOR_CREDIT_NOT_DRAFT')
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${draft.id} order by id`
    expect(audit.map(a => a.action)).toEqual(['vendor_credit.create', 'vendor_credit.update', 'vendor_credit.issue'])

    // numbers are gapless: a refused issue (zero total) takes none
    const zero = await make(t.asOwner, '/api/v1/vendor-credits', creditBody(vendor, '0'))
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${zero.id}/issue`), 422, 'VENDOR_CREDIT_INVALID', 'lines')
    expect((await credit(t.asOwner, vendor, '1.00')).number).toBe('VC-000002')
  })

  it('a credit and a bill are kept apart: lists, reads, references, routes', async () => {
    const b = await bill(t.asOwner, vendor, '10.00', { vendorReference: 'SAME-1' })
    const c = await credit(t.asOwner, vendor, '5.00', { vendorReference: 'SAME-1' }) // the same reference on another kind: allowed
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(vendor, '1.00', { vendorReference: 'same-1' }) }), 409, 'BILL_DUPLICATE_REFERENCE')
    await refused(await t.asOwner.get(`/api/v1/bills/${c.id}`), 404, 'NOT_FOUND')
    await refused(await t.asOwner.get(`/api/v1/vendor-credits/${b.id}`), 404, 'NOT_FOUND')
    await refused(await t.asOwner.post(`/api/v1/bills/${c.id}/void`, { json: {} }), 404, 'NOT_FOUND')
    const bills = ((await t.asOwner.get('/api/v1/bills?pageSize=100')).body.data as Json[]).map(x => x.id)
    const credits = ((await t.asOwner.get('/api/v1/vendor-credits?pageSize=100')).body.data as Json[]).map(x => x.id)
    expect(bills).toContain(b.id)
    expect(bills).not.toContain(c.id)
    expect(credits).toContain(c.id)
    expect(credits).not.toContain(b.id)
    // a credit is not a bill to pay
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: c.id, amount: '1.00' } }), 422, 'ALLOCATION_BILL_NOT_OPEN', 'billId')
    // billId links the original bill (posted, same vendor)
    const linked = await credit(t.asOwner, vendor, '1.00', { billId: b.id })
    expect(linked.creditedBillId).toBe(b.id)
    const otherVendor = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Elsewhere' } })).body.id
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(otherVendor, '1.00', { billId: b.id }) }), 422, 'VENDOR_CREDIT_INVALID', 'billId')
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(vendor, '1.00', { billId: c.id }) }), 422, 'VENDOR_CREDIT_INVALID', 'billId')
  })

  it('allocated to a bill: 120.00 bill, 36.00 credit → partially paid 84.00 due; a second credit settles it (bill.paid); AP control moves with it', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Credit Paper' } })).body.id
    const start = await apBalance(t)
    const b = await bill(t.asOwner, v, '100.00') // 120.00
    const c = await credit(t.asOwner, v, '30.00') // 36.00
    expect(Number(await apBalance(t)) - Number(start)).toBeCloseTo(84, 2)
    const res = await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '36.00' } })
    status(res, 201)
    expect(res.body).toMatchObject({ billId: b.id, vendorCreditId: c.id, paymentId: null, sourceNumber: c.number, amount: '36.00', date: '2026-06-05', baseAmountBill: '36.00', baseAmountSource: '36.00', fxEntryId: null })
    expect((await t.asOwner.get(`/api/v1/bills/${b.id}`)).body).toMatchObject({ status: 'partially_paid', amountPaid: '36.00', amountDue: '84.00' })
    const used = (await t.asOwner.get(`/api/v1/vendor-credits/${c.id}`)).body
    expect(used).toMatchObject({ status: 'open', amountPaid: '36.00', amountDue: '0.00' })
    expect(used.allocations).toHaveLength(1)
    // allocating moves nothing on AP control (both sides are on it)
    expect(Number(await apBalance(t)) - Number(start)).toBeCloseTo(84, 2)
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '0.01' } }), 422, 'ALLOCATION_EXCEEDS_AVAILABLE', 'amount')

    const big = await credit(t.asOwner, v, '100.00') // 120.00
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${big.id}/allocations`, { json: { billId: b.id, amount: '84.01' } }), 422, 'ALLOCATION_EXCEEDS_DUE', 'amount')
    status(await t.asOwner.post(`/api/v1/vendor-credits/${big.id}/allocations`, { json: { billId: b.id, amount: '84.00', date: '2026-06-30' } }), 201)
    expect((await t.asOwner.get(`/api/v1/bills/${b.id}`)).body).toMatchObject({ status: 'paid', amountDue: '0.00' })
    const events = await sql`select type from events where tenant_id = ${t.id} and entity_id = ${b.id} order by occurred_at, id`
    expect(events.map(e => e.type)).toEqual(['bill.submitted', 'bill.paid'])
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${big.id} order by id`
    expect(audit.map(a => a.action)).toEqual(['vendor_credit.issue', 'vendor_credit.allocate'])
    // what is left of the big credit (36.00) is the vendor's credit with us: 120 − 36 − 120 = −36.00
    expect(Number(await apBalance(t)) - Number(start)).toBeCloseTo(-36, 2)

    // neither the bill nor a credit is voided while allocated — in PostgreSQL too
    await refused(await t.asOwner.post(`/api/v1/bills/${b.id}/void`, { json: {} }), 422, 'BILL_HAS_ALLOCATIONS')
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/void`, { json: {} }), 422, 'BILL_HAS_ALLOCATIONS')
    await expect(sql`update bills set status = 'void', void_entry_id = journal_entry_id, voided_at = now() where tenant_id = ${t.id} and id = ${c.id}`).rejects.toThrow(/BILL_HAS_ALLOCATIONS/)
    await expect(sql`update purchase_allocations set released_at = now() where tenant_id = ${t.id} and vendor_credit_id = ${c.id}`).rejects.toThrow(/purchase_allocations_release_check/)
    await expect(sql`update bills set kind = 'bill' where tenant_id = ${t.id} and id = ${c.id}`).rejects.toThrow(/BILL_NOT_DRAFT/)
  })

  it('the void of an unallocated credit posts the reversal; then it is neither allocated nor voided again', async () => {
    const c = await credit(t.asOwner, vendor, '10.00')
    const b = await bill(t.asOwner, vendor, '10.00')
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/void`, { json: { date: '2026-06-04' } }), 422, 'VENDOR_CREDIT_INVALID', 'date')
    const res = await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/void`, { json: { date: '2026-06-06' } })
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'void', amountDue: '0.00' })
    expect((await legs(t.asOwner, res.body.voidEntryId)).lines).toEqual([['1350', '2.00', '0.00'], ['2000', '0.00', '12.00'], ['6300', '10.00', '0.00']])
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/void`, { json: {} }), 409, 'VENDOR_CREDIT_NOT_OPEN')
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 422, 'ALLOCATION_SOURCE_NOT_OPEN')
    const draft = await make(t.asOwner, '/api/v1/vendor-credits', creditBody(vendor, '1.00'))
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${draft.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 422, 'ALLOCATION_SOURCE_NOT_OPEN')
    await refused(await t.asOwner.post(`/api/v1/vendor-credits/${draft.id}/void`, { json: {} }), 409, 'VENDOR_CREDIT_NOT_OPEN')
  })
})

describe('refusals', () => {
  it('allocation refusals: another vendor, another currency, a draft or void bill, a date before the credit', async () => {
    const c = await credit(t.asOwner, vendor, '50.00')
    const otherVendor = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Not Them' } })).body.id
    const theirs = await bill(t.asOwner, otherVendor, '10.00')
    const euros = await bill(t.asOwner, vendor, '10.00', { currency: 'EUR', exchangeRate: '1.1' })
    const draft = await make(t.asOwner, '/api/v1/bills', { vendorId: vendor, date: '2026-06-01', vendorReference: `B-${++refs}`, amountsAre: 'exclusive', lines: [{ description: 'x', quantity: '1', unitPrice: '1', accountId: acc['6300'], taxRateId: null }] })
    const voided = await bill(t.asOwner, vendor, '1.00')
    status(await t.asOwner.post(`/api/v1/bills/${voided.id}/void`, { json: {} }), 200)
    const ok = await bill(t.asOwner, vendor, '1.00')
    const route = `/api/v1/vendor-credits/${c.id}/allocations`
    await refused(await t.asOwner.post(route, { json: { billId: theirs.id, amount: '1.00' } }), 422, 'ALLOCATION_VENDOR_MISMATCH', 'billId')
    await refused(await t.asOwner.post(route, { json: { billId: euros.id, amount: '1.00' } }), 422, 'ALLOCATION_CURRENCY_MISMATCH', 'billId')
    await refused(await t.asOwner.post(route, { json: { billId: draft.id, amount: '1.00' } }), 422, 'ALLOCATION_BILL_NOT_OPEN', 'billId')
    await refused(await t.asOwner.post(route, { json: { billId: voided.id, amount: '1.00' } }), 422, 'ALLOCATION_BILL_NOT_OPEN', 'billId')
    await refused(await t.asOwner.post(route, { json: { billId: ok.id, amount: '1.00', date: '2026-06-04' } }), 422, 'ALLOCATION_INVALID', 'date')
    await refused(await t.asOwner.post(route, { json: { billId: ok.id, amount: '1.001' } }), 400, 'TOO_MANY_DECIMALS', 'amount')
    expect((await t.asOwner.get(`/api/v1/vendor-credits/${c.id}`)).body.amountPaid).toBe('0.00')
  })

  it('body refusals: no lines, an unknown vendor, a sales tax rate, a bill\'s field', async () => {
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(vendor, '1.00', { lines: [] }) }), 400, 'VALIDATION_FAILED')
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(vendor, '1.00', { dueDate: '2026-07-01' }) }), 400, 'VALIDATION_FAILED')
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(randomUUID(), '1.00') }), 422, 'VENDOR_CREDIT_INVALID', 'vendorId')
    await refused(await t.asOwner.post('/api/v1/vendor-credits', { json: creditBody(vendor, '1.00', { lines: [{ description: 'x', quantity: '1', unitPrice: '1', accountId: acc['2000'], taxRateId: null }] }) }), 422, 'BILL_ACCOUNT_INVALID', 'lines.0.accountId')
  })

  it('another organisation\'s credits are not found (404), nor its bills allocatable', async () => {
    const c = await credit(t.asOwner, vendor, '5.00')
    const b = await bill(t.asOwner, vendor, '5.00')
    await refused(await other.asOwner.get(`/api/v1/vendor-credits/${c.id}`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.patch(`/api/v1/vendor-credits/${c.id}`, { json: { memo: 'x' } }), 404, 'NOT_FOUND')
    await refused(await other.asOwner.delete(`/api/v1/vendor-credits/${c.id}`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/vendor-credits/${c.id}/issue`), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/vendor-credits/${c.id}/void`, { json: {} }), 404, 'NOT_FOUND')
    await refused(await other.asOwner.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 404, 'NOT_FOUND')
    await refused(await t.asOwner.get(`/api/v1/vendor-credits/${randomUUID()}`), 404, 'NOT_FOUND')
    expect((await other.asOwner.get('/api/v1/vendor-credits')).body.total).toBe(0)
    const ov = (await other.asOwner.post('/api/v1/vendors', { json: { name: 'Theirs' } })).body.id
    const oacc = Object.fromEntries(((await other.asOwner.get('/api/v1/accounts?pageSize=200')).body.data as Json[]).map(a => [a.code, a.id]))
    status(await other.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '1000' } }), 200)
    const oc = await make(other.asOwner, '/api/v1/vendor-credits', { vendorId: ov, date: '2026-06-05', amountsAre: 'exclusive', issue: true, lines: [{ description: 'x', quantity: '1', unitPrice: '5', accountId: oacc['6300'], taxRateId: null }] })
    await refused(await other.asOwner.post(`/api/v1/vendor-credits/${oc.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 422, 'ALLOCATION_BILL_NOT_OPEN', 'billId')
    expect((await t.asOwner.get(`/api/v1/bills/${b.id}`)).body.amountPaid).toBe('0.00')
  })

  it('permissions: an AP clerk creates, issues and allocates credits (ap:write); a viewer only reads', async () => {
    const clerk = (await addMember(t, ['ap_clerk'])).client
    const viewer = (await addMember(t, ['viewer'])).client
    const c = await credit(clerk, vendor, '2.00')
    const b = await bill(t.asOwner, vendor, '2.00')
    status(await clerk.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 201)
    status(await viewer.get(`/api/v1/vendor-credits/${c.id}`), 200)
    status(await viewer.get('/api/v1/vendor-credits'), 200)
    status(await viewer.post('/api/v1/vendor-credits', { json: creditBody(vendor, '1.00') }), 403)
    status(await viewer.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '1.00' } }), 403)
    status(await viewer.post(`/api/v1/vendor-credits/${c.id}/void`, { json: {} }), 403)
  })
})

describe('concurrency', () => {
  it('two credits racing for the last 12.00 of a bill: exactly one wins', async () => {
    const v = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Race Credit' } })).body.id
    const b = await bill(t.asOwner, v, '10.00') // 12.00
    const [c1, c2] = await Promise.all([credit(t.asOwner, v, '10.00'), credit(t.asOwner, v, '10.00')])
    const answers = await Promise.all([c1!, c2!].map(c => t.asOwner.post(`/api/v1/vendor-credits/${c.id}/allocations`, { json: { billId: b.id, amount: '12.00' } })))
    expect(answers.map(a => `${a.status} ${a.status === 201 ? '' : codeOf(a)}`.trim()).sort()).toEqual(['201', '422 ALLOCATION_BILL_NOT_OPEN'])
    const [sum] = await sql`select sum(amount)::text as s from purchase_allocations where tenant_id = ${t.id} and bill_id = ${b.id}`
    expect(sum!.s).toBe('12.0000')
    expect((await t.asOwner.get(`/api/v1/bills/${b.id}`)).body.status).toBe('paid')
  })
})
