/**
 * Bills through the real server (SPEC §5 `bills`, §6 module 6, §4 maker-checker; issue 13 point 2):
 * drafts, the approval threshold (at or below posts on submit, above waits), approval by a second
 * person with `ap:approve` (the submitter is 422 SOD_SELF_APPROVAL, an ap_clerk 403), rejection
 * with a reason, the posting (Dr expense net, Dr recoverable tax, Cr AP control), gapless numbers,
 * the vendor-reference duplicate guard, attachments (type from the bytes, size limit, download),
 * void, another tenant's ids, and what the database refuses whatever the code does.
 * Figures are worked by hand in each test's comments.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, request, type Client, type TestTenant } from '../support/api'
import { createAccount } from '../support/ledger'
import { pngImage } from '../support/images'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}
let vat: string
let salesVat: string
let vendor: string
let vendor2: string
let clerk: { id: string, client: Client }
let approver: { id: string, client: Client }
let approver2: { id: string, client: Client }

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
const create = (c: Client, json: Json) => c.post('/api/v1/bills', { json })
async function created(c: Client, json: Json): Promise<Json> {
  const res = await create(c, json)
  status(res, 201)
  return res.body
}
async function legs(c: Client, entryId: string) {
  const res = await c.get(`/api/v1/journal-entries/${entryId}`)
  status(res, 200)
  return { entry: res.body, legs: (res.body.lines as Json[]).map(l => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit]).sort() }
}
let refs = 0
/** A bill body: `quantity` × `unitPrice` of supplies (6300) with purchase VAT 20%, a fresh vendor reference. */
const bill = (over: Json = {}, line: Json = {}) => ({
  vendorId: vendor, date: '2026-04-10', vendorReference: `INV-${++refs}`, amountsAre: 'exclusive',
  lines: [{ description: 'Printer paper', quantity: '3', unitPrice: '40', accountId: acc['6300'], taxRateId: vat, ...line }],
  ...over,
})

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  const accounts = await t.asOwner.get('/api/v1/accounts')
  Object.assign(acc, Object.fromEntries((accounts.body.data as Json[]).map(a => [a.code, a.id])))
  acc['1350'] = (await createAccount(t.asOwner, { code: '1350', name: 'VAT recoverable', type: 'asset', subtype: 'other_current_asset' })).id
  const rate = await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'IVAT20', name: 'Input VAT 20%', rate: '20', scope: 'purchases', accountId: acc['1350'] } })
  status(rate, 201)
  vat = rate.body.id
  salesVat = (await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'sales' } })).body.id
  vendor = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Harbour Office Supplies', paymentTermsDays: 30 } })).body.id
  vendor2 = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Beta Freight' } })).body.id
  const [c, a, b] = await Promise.all([addMember(t, ['ap_clerk']), addMember(t, ['accountant']), addMember(t, ['accountant'])])
  clerk = { id: c.id, client: c.client }
  approver = { id: a.id, client: a.client }
  approver2 = { id: b.id, client: b.client }
  status(await t.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '1000' } }), 200)
})

describe('settings: billApprovalThreshold', () => {
  it('is "0.00" by default (every bill waits), takes an amount in base currency, refuses a negative or too precise one', async () => {
    expect((await other.asOwner.get('/api/v1/settings')).body.billApprovalThreshold).toBe('0.00')
    expect((await t.asOwner.get('/api/v1/settings')).body.billApprovalThreshold).toBe('1000.00')
    for (const [bad, code] of [['-1', 'VALIDATION_FAILED'], ['abc', 'VALIDATION_FAILED'], ['12.345', 'TOO_MANY_DECIMALS']] as const) {
      const res = await other.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: bad } })
      status(res, 400)
      expect(res.body.data.code).toBe(code)
      expect(Object.keys(res.body.data.fields)).toContain('billApprovalThreshold')
    }
    expect((await other.asOwner.get('/api/v1/settings')).body.billApprovalThreshold).toBe('0.00')
  })
})

describe('drafts', () => {
  it('creates a draft: 3 × 40.00 = 120.00, input VAT 20% 24.00, total 144.00; due in the vendor\'s 30 days; nothing posted', async () => {
    const res = await create(clerk.client, bill({ vendorReference: 'H-1001', memo: 'April paper' }))
    status(res, 201)
    expect(res.body).toMatchObject({
      number: null, status: 'draft', vendor: { id: vendor, name: 'Harbour Office Supplies' }, vendorReference: 'H-1001', date: '2026-04-10', dueDate: '2026-05-10',
      currency: 'USD', exchangeRate: '1', memo: 'April paper', subtotal: '120.00', taxTotal: '24.00', total: '144.00', amountDue: '0.00',
      journalEntryId: null, submittedBy: null, approvedBy: null, attachments: [], version: 1,
    })
    expect(res.body.lines).toEqual([{
      lineNo: 1, itemId: null, description: 'Printer paper', quantity: '3', unitPrice: '40.00', discountPercent: '0', accountId: acc['6300'], taxRateId: vat,
      amount: '120.00', net: '120.00', tax: '24.00', total: '144.00',
      taxes: [{ taxRateId: vat, position: 0, name: 'Input VAT 20%', rate: '20.0000', accountId: acc['1350'], net: '120.00', tax: '24.00' }],
    }])
    expect(res.body.taxBreakdown).toEqual([{ taxRateId: vat, rate: '20.0000', net: '120.00', tax: '24.00', components: [{ position: 0, name: 'Input VAT 20%', rate: '20.0000', accountId: acc['1350'], net: '120.00', tax: '24.00' }] }])
    expect((await clerk.client.get(`/api/v1/bills/${res.body.id}`)).body).toEqual(res.body)
    expect(await sql`select 1 from journal_entries where tenant_id = ${t.id} and source_id = ${res.body.id}`).toHaveLength(0)
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(audit.map(a => a.action)).toEqual(['bill.create'])
  })

  it('changes a draft (the lines given replace them all; a stale version is 409) and deletes it', async () => {
    const b = await created(clerk.client, bill())
    const res = await clerk.client.patch(`/api/v1/bills/${b.id}`, { json: { version: 1, lines: [{ description: 'Rent', quantity: '1', unitPrice: '500', accountId: acc['6100'] }] } })
    status(res, 200)
    expect(res.body).toMatchObject({ subtotal: '500.00', taxTotal: '0.00', total: '500.00', version: 2 })
    expect(res.body.lines).toHaveLength(1)
    const stale = await clerk.client.patch(`/api/v1/bills/${b.id}`, { json: { version: 1, memo: 'x' } })
    status(stale, 409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    status(await clerk.client.delete(`/api/v1/bills/${b.id}`), 200)
    status(await clerk.client.get(`/api/v1/bills/${b.id}`), 404)
  })

  it('refuses a revenue or control account, a sales tax rate, an unknown vendor, a missing reference, a due date before the date', async () => {
    const cases: [Json, number, string, string][] = [
      [bill({}, { accountId: acc['4000'] }), 422, 'BILL_ACCOUNT_INVALID', 'lines.0.accountId'],
      [bill({}, { accountId: acc['2000'] }), 422, 'BILL_ACCOUNT_INVALID', 'lines.0.accountId'],
      [bill({}, { taxRateId: salesVat }), 422, 'TAX_RATE_INVALID', 'lines.0.taxRateId'],
      [bill({ vendorId: randomUUID() }), 422, 'BILL_INVALID', 'vendorId'],
      [bill({ vendorReference: undefined }), 400, 'VALIDATION_FAILED', 'vendorReference'],
      [bill({ vendorReference: '  ' }), 400, 'VALIDATION_FAILED', 'vendorReference'],
      [bill({ dueDate: '2026-04-01' }), 422, 'BILL_INVALID', 'dueDate'],
      [bill({}, { quantity: '-1' }), 400, 'VALIDATION_FAILED', 'lines.0.quantity'],
    ]
    for (const [json, code, error, field] of cases) {
      const res = await create(clerk.client, json)
      expect(res.status, `${error} ${res.text}`).toBe(code)
      expect(res.body.data.code).toBe(error)
      expect(Object.keys(res.body.data.fields ?? {}), res.text).toContain(field)
    }
  })

  it('a purchase tax rate named only by a bill is in use: DELETE is 422 TAX_RATE_IN_USE', async () => {
    const rate = await t.asOwner.post('/api/v1/tax-rates', { json: { code: 'IVAT5', name: 'Input VAT 5%', rate: '5', scope: 'both', accountId: acc['1350'] } })
    status(rate, 201)
    await created(clerk.client, bill({}, { taxRateId: rate.body.id }))
    const res = await t.asOwner.delete(`/api/v1/tax-rates/${rate.body.id}`)
    status(res, 422)
    expect(res.body.data.code).toBe('TAX_RATE_IN_USE')
  })

  it('a vendor\'s reference is taken once (409 BILL_DUPLICATE_REFERENCE, whatever the case); another vendor may use it', async () => {
    await created(clerk.client, bill({ vendorReference: 'DUP-7' }))
    const dup = await create(clerk.client, bill({ vendorReference: 'dup-7' }))
    status(dup, 409)
    expect(dup.body.data).toMatchObject({ code: 'BILL_DUPLICATE_REFERENCE', fields: { vendorReference: expect.any(String) } })
    await created(clerk.client, bill({ vendorId: vendor2, vendorReference: 'DUP-7' }))
    // a PATCH onto a taken reference too
    const another = await created(clerk.client, bill())
    const patched = await clerk.client.patch(`/api/v1/bills/${another.id}`, { json: { vendorReference: 'DUP-7' } })
    status(patched, 409)
    expect(patched.body.data.code).toBe('BILL_DUPLICATE_REFERENCE')
  })
})

describe('submit, approve, reject', () => {
  it('at or below the threshold a bill posts on submit: Dr supplies 120.00, Dr input VAT 24.00, Cr AP control 144.00, with its number', async () => {
    const res = await create(clerk.client, bill({ submit: true }))
    status(res, 201)
    expect(res.body).toMatchObject({ status: 'open', number: expect.stringMatching(/^BILL-\d{6}$/), submittedBy: clerk.id, approvedBy: null, amountDue: '144.00' })
    const { entry, legs: l } = await legs(t.asOwner, res.body.journalEntryId)
    expect(entry).toMatchObject({ date: '2026-04-10', status: 'posted', source: { type: 'bill', id: res.body.id } })
    expect(l).toEqual([
      ['1350', '24.00', '0.00', '24.00', '0.00'],
      ['2000', '0.00', '144.00', '0.00', '144.00'],
      ['6300', '120.00', '0.00', '120.00', '0.00'],
    ])
    const events = await sql`select type from events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(events.map(e => e.type)).toEqual(['bill.submitted'])
    const audit = await sql`select action, entity_type from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id} order by seq`
    // created and submitted at once: the posting's audit event, then the submit's (which holds the created bill)
    expect(audit.map(a => [a.action, a.entity_type])).toEqual([['bill.post', 'bill'], ['bill.submit', 'bill']])
    const entryAudit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.journalEntryId}`
    expect(entryAudit.map(a => a.action)).toEqual(['journal_entry.post'])
  })

  it('above the threshold it waits unposted; an ap_clerk cannot approve (403), the submitter cannot (422 SOD_SELF_APPROVAL), another approver posts it', async () => {
    // The owner may both enter (ap:write) and approve (ap:approve) bills, so can be the submitter who tries.
    const owner = { id: t.owner.id, client: t.asOwner }
    // 20 × 100.00 = 2000.00 + 20% = 2400.00 > 1000.00
    const b = await created(owner.client, bill({}, { quantity: '20', unitPrice: '100' }))
    const submitted = await owner.client.post(`/api/v1/bills/${b.id}/submit`)
    status(submitted, 200)
    expect(submitted.body).toMatchObject({ status: 'awaiting_approval', number: null, journalEntryId: null, submittedBy: owner.id, total: '2400.00' })
    expect(await sql`select 1 from journal_entries where tenant_id = ${t.id} and source_id = ${b.id}`).toHaveLength(0)
    // fixed while it waits
    const patch = await owner.client.patch(`/api/v1/bills/${b.id}`, { json: { memo: 'changed' } })
    status(patch, 409)
    expect(patch.body.data.code).toBe('BILL_NOT_DRAFT')

    const byClerk = await clerk.client.post(`/api/v1/bills/${b.id}/approve`)
    status(byClerk, 403)
    const self = await owner.client.post(`/api/v1/bills/${b.id}/approve`)
    status(self, 422)
    expect(self.body.data.code).toBe('SOD_SELF_APPROVAL')

    const approved = await approver2.client.post(`/api/v1/bills/${b.id}/approve`)
    status(approved, 200)
    expect(approved.body).toMatchObject({ status: 'open', number: expect.stringMatching(/^BILL-\d{6}$/), submittedBy: owner.id, approvedBy: approver2.id, amountDue: '2400.00' })
    const { entry, legs: l } = await legs(t.asOwner, approved.body.journalEntryId)
    expect(entry.date).toBe('2026-04-10')
    expect(l).toEqual([
      ['1350', '400.00', '0.00', '400.00', '0.00'],
      ['2000', '0.00', '2400.00', '0.00', '2400.00'],
      ['6300', '2000.00', '0.00', '2000.00', '0.00'],
    ])
    const events = await sql`select type from events where tenant_id = ${t.id} and entity_id = ${b.id}`
    expect(events.map(e => e.type).sort()).toEqual(['bill.approved', 'bill.submitted'])
    const audit = await sql<{ action: string, actor_id: string }[]>`select action, actor_id from audit_events where tenant_id = ${t.id} and entity_id = ${b.id} order by seq`
    expect(audit.map(a => [a.action, a.actor_id])).toEqual([['bill.create', owner.id], ['bill.submit', owner.id], ['bill.approve', approver2.id]])
    const again = await approver2.client.post(`/api/v1/bills/${b.id}/approve`)
    status(again, 409)
    expect(again.body.data.code).toBe('BILL_NOT_AWAITING_APPROVAL')
  })

  it('a rejection needs a reason, sends the bill back to draft with who and why; changed and submitted again it can be approved', async () => {
    const b = await created(clerk.client, bill({ submit: true }, { quantity: '10', unitPrice: '100' }))
    expect(b.status).toBe('awaiting_approval')
    status(await approver.client.post(`/api/v1/bills/${b.id}/reject`, { json: {} }), 400)
    status(await clerk.client.post(`/api/v1/bills/${b.id}/reject`, { json: { reason: 'no' } }), 403)
    const rejected = await approver.client.post(`/api/v1/bills/${b.id}/reject`, { json: { reason: 'Wrong quantity: we ordered 8' } })
    status(rejected, 200)
    expect(rejected.body).toMatchObject({ status: 'draft', rejectedBy: approver.id, rejectedByName: 'Member', rejectionReason: 'Wrong quantity: we ordered 8', submittedBy: null, submittedByName: null, journalEntryId: null })
    // 9 × 120.00 = 1080.00 + 20% = 1296.00 > 1000.00: waits again
    status(await clerk.client.patch(`/api/v1/bills/${b.id}`, { json: { lines: [{ description: 'Chairs', quantity: '9', unitPrice: '120', accountId: acc['6300'], taxRateId: vat }] } }), 200)
    const resubmitted = await clerk.client.post(`/api/v1/bills/${b.id}/submit`)
    status(resubmitted, 200)
    expect(resubmitted.body).toMatchObject({ status: 'awaiting_approval', total: '1296.00', submittedBy: clerk.id, rejectionReason: 'Wrong quantity: we ordered 8' })
    const approved = await approver2.client.post(`/api/v1/bills/${b.id}/approve`)
    status(approved, 200)
    // Who submitted and approved it, by name for the page (members accept their invitation as "Member").
    expect(approved.body).toMatchObject({ status: 'open', approvedBy: approver2.id, approvedByName: 'Member', submittedBy: clerk.id, submittedByName: 'Member' })
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${b.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['bill.submit', 'bill.reject', 'bill.update', 'bill.submit', 'bill.approve'])
  })

  it('the threshold compares the total in base currency: at exactly the threshold the bill posts', async () => {
    // 1 × 1000.00, no tax = 1000.00 ≤ 1000.00
    const b = await created(clerk.client, bill({ submit: true }, { quantity: '1', unitPrice: '1000', taxRateId: null }))
    expect(b).toMatchObject({ status: 'open', total: '1000.00' })
    // EUR 900.00 at 1.2 = USD 1080.00 > 1000.00: waits
    const eur = await created(clerk.client, bill({ currency: 'EUR', exchangeRate: '1.2', submit: true }, { quantity: '1', unitPrice: '900', taxRateId: null }))
    expect(eur).toMatchObject({ status: 'awaiting_approval', currency: 'EUR', total: '900.00' })
    const approved = await approver.client.post(`/api/v1/bills/${eur.id}/approve`)
    status(approved, 200)
    const { legs: l } = await legs(t.asOwner, approved.body.journalEntryId)
    expect(l).toEqual([
      ['2000', '0.00', '900.00', '0.00', '1080.00'],
      ['6300', '900.00', '0.00', '1080.00', '0.00'],
    ])
  })
})

describe('void', () => {
  it('a posted bill is voided by the reversal; a draft is not (409); with anything paid it is refused (422 BILL_HAS_ALLOCATIONS); the reference is free again', async () => {
    const draft = await created(clerk.client, bill())
    const notPosted = await clerk.client.post(`/api/v1/bills/${draft.id}/void`, { json: {} })
    status(notPosted, 409)
    expect(notPosted.body.data.code).toBe('BILL_NOT_POSTED')

    const paid = await created(clerk.client, bill({ submit: true }))
    await sql`update bills set amount_allocated = 10, status = 'partially_paid' where tenant_id = ${t.id} and id = ${paid.id}`
    const refused = await clerk.client.post(`/api/v1/bills/${paid.id}/void`, { json: {} })
    status(refused, 422)
    expect(refused.body.data.code).toBe('BILL_HAS_ALLOCATIONS')

    const b = await created(clerk.client, bill({ vendorReference: 'VOID-1', submit: true }))
    const voided = await clerk.client.post(`/api/v1/bills/${b.id}/void`, { json: { date: '2026-04-20' } })
    status(voided, 200)
    expect(voided.body).toMatchObject({ status: 'void', voidEntryId: expect.any(String), amountDue: '0.00' })
    const { entry, legs: l } = await legs(t.asOwner, voided.body.voidEntryId)
    expect(entry).toMatchObject({ date: '2026-04-20', reversalOfId: b.journalEntryId, source: { type: 'bill', id: b.id } })
    expect(l).toEqual([
      ['1350', '0.00', '24.00', '0.00', '24.00'],
      ['2000', '144.00', '0.00', '144.00', '0.00'],
      ['6300', '0.00', '120.00', '0.00', '120.00'],
    ])
    const events = await sql`select type from events where tenant_id = ${t.id} and entity_id = ${b.id}`
    expect(events.map(e => e.type).sort()).toEqual(['bill.submitted', 'bill.voided'])
    const twice = await clerk.client.post(`/api/v1/bills/${b.id}/void`, { json: {} })
    status(twice, 409)
    await created(clerk.client, bill({ vendorReference: 'VOID-1' }))
  })
})

describe('attachments', () => {
  let billId: string
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')
  beforeAll(async () => {
    billId = (await created(clerk.client, bill())).id
  })
  const upload = (c: Client, body: Buffer, contentType: string, path = `/api/v1/bills/${billId}/attachments`) =>
    c.post(path, { raw: body, headers: { 'content-type': contentType } })

  it('takes a PDF as the body and a PNG as a multipart file; lists them on the bill; downloads each as uploaded', async () => {
    const a = await upload(clerk.client, pdf, 'application/pdf', `/api/v1/bills/${billId}/attachments?fileName=H-1001.pdf`)
    status(a, 201)
    expect(a.body).toMatchObject({ fileName: 'H-1001.pdf', mediaType: 'application/pdf', size: pdf.length, createdBy: clerk.id })
    const png = pngImage(4, 4)
    const boundary = '----paksa-bill-boundary'
    const form = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scans/April scan.png"\r\nContent-Type: application/pdf\r\n\r\n`),
      png, Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const b = await upload(clerk.client, form, `multipart/form-data; boundary=${boundary}`)
    status(b, 201)
    // the type is read from the bytes, not from the part's Content-Type
    expect(b.body).toMatchObject({ mediaType: 'image/png', size: png.length })
    // a path in the name is dropped
    expect(b.body.fileName).toBe('April scan.png')
    const read = await approver.client.get(`/api/v1/bills/${billId}`)
    expect(read.body.attachments.map((x: Json) => x.id)).toEqual([a.body.id, b.body.id])

    const down = await approver.client.get(`/api/v1/bills/${billId}/attachments/${a.body.id}`)
    status(down, 200)
    expect(down.headers.get('content-type')).toBe('application/pdf')
    expect(down.headers.get('content-disposition')).toContain('filename="H-1001.pdf"')
    expect(down.bytes.equals(pdf)).toBe(true)
    const downPng = await approver.client.get(`/api/v1/bills/${billId}/attachments/${b.body.id}`)
    expect(downPng.headers.get('content-type')).toBe('image/png')
    expect(downPng.bytes.equals(png)).toBe(true)
    status(await approver.client.get(`/api/v1/bills/${billId}/attachments/${randomUUID()}`), 404)
  })

  it('refuses what is not a PDF, PNG or JPEG whatever it claims (415 ATTACHMENT_TYPE_INVALID), and more than 10 MB (413 ATTACHMENT_TOO_LARGE)', async () => {
    for (const [body, type] of [[Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png'], [Buffer.from('hello'), 'application/pdf'], [pdf, 'text/plain'], [Buffer.alloc(0), 'application/pdf']] as const) {
      const res = await upload(clerk.client, body, type)
      expect(res.status, `${type}: ${res.text}`).toBe(415)
      expect(res.body.data.code).toBe('ATTACHMENT_TYPE_INVALID')
    }
    const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024)])
    const tooLarge = await upload(clerk.client, big, 'application/pdf')
    status(tooLarge, 413)
    expect(tooLarge.body.data.code).toBe('ATTACHMENT_TOO_LARGE')
    const huge = await upload(clerk.client, Buffer.concat([big, Buffer.alloc(200 * 1024)]), 'application/pdf')
    status(huge, 413)
    expect(huge.body.data.code).toBe('ATTACHMENT_TOO_LARGE')
    status(await upload(t.asOwner, pdf, 'application/pdf', `/api/v1/bills/${randomUUID()}/attachments`), 404)
    expect((await approver.client.get(`/api/v1/bills/${billId}`)).body.attachments).toHaveLength(2)
  })
})

describe('tenancy and the database', () => {
  it('another tenant\'s bill is 404 on every route', async () => {
    const b = await created(clerk.client, bill({ submit: true }, { quantity: '50', unitPrice: '100' }))
    const o = other.asOwner
    for (const res of [
      await o.get(`/api/v1/bills/${b.id}`),
      await o.patch(`/api/v1/bills/${b.id}`, { json: { memo: 'x' } }),
      await o.delete(`/api/v1/bills/${b.id}`),
      await o.post(`/api/v1/bills/${b.id}/submit`),
      await o.post(`/api/v1/bills/${b.id}/approve`),
      await o.post(`/api/v1/bills/${b.id}/reject`, { json: { reason: 'x' } }),
      await o.post(`/api/v1/bills/${b.id}/void`, { json: {} }),
      await o.post(`/api/v1/bills/${b.id}/attachments`, { raw: Buffer.from('%PDF-1.4'), headers: { 'content-type': 'application/pdf' } }),
    ]) expect(res.status, res.text).toBe(404)
    expect((await o.get('/api/v1/bills')).body.total).toBe(0)
    // and a bill of this tenant cannot name the other tenant's vendor
    const otherVendor = (await o.post('/api/v1/vendors', { json: { name: 'Elsewhere' } })).body.id
    const res = await create(clerk.client, bill({ vendorId: otherVendor }))
    status(res, 422)
    expect(res.body.data.code).toBe('BILL_INVALID')
  })

  it('the database keeps a posted bill fixed, never deletes it, and refuses an approval by its submitter', async () => {
    const posted = await created(clerk.client, bill({ submit: true }))
    await expect(sql`update bills set total = 1, subtotal = 1, tax_total = 0 where id = ${posted.id}`).rejects.toThrow(/BILL_NOT_DRAFT/)
    await expect(sql`update bill_lines set description = 'x' where bill_id = ${posted.id}`).rejects.toThrow(/BILL_NOT_DRAFT/)
    await expect(sql`delete from bills where id = ${posted.id}`).rejects.toThrow(/BILL_NOT_DRAFT/)
    const waiting = await created(clerk.client, bill({ submit: true }, { quantity: '30', unitPrice: '100' }))
    await expect(sql`update bills set approved_by = submitted_by, approved_at = now() where id = ${waiting.id}`).rejects.toThrow(/bills_four_eyes_check/)
    await expect(sql`update bills set memo = 'changed' where id = ${waiting.id}`).rejects.toThrow(/BILL_NOT_DRAFT/)
  })

  it('lists with filters; numbers are gapless in posting order', async () => {
    const waiting = await clerk.client.get('/api/v1/bills?status=awaiting_approval&pageSize=200')
    status(waiting, 200)
    expect(waiting.body.data.length).toBeGreaterThan(0)
    expect(waiting.body.data.every((b: Json) => b.status === 'awaiting_approval' && b.number === null)).toBe(true)
    const q = await clerk.client.get('/api/v1/bills?q=H-1001')
    expect(q.body.data.map((b: Json) => b.vendorReference)).toEqual(['H-1001'])
    const rows = await sql<{ number: string }[]>`select number from bills where tenant_id = ${t.id} and number is not null order by posted_at, number`
    expect(rows.map(r => r.number)).toEqual(rows.map((_, i) => `BILL-${String(i + 1).padStart(6, '0')}`))
  })
})

describe('pages', () => {
  it('the list, the approvals inbox, the editor and a bill render on the server for a signed-in member', async () => {
    const b = await created(clerk.client, bill({ vendorReference: 'PAGE-1', submit: true }, { quantity: '40', unitPrice: '100' }))
    const login = await request('POST', t.host, '/api/v1/auth/login', { json: { email: t.owner.email, password: t.owner.password } })
    status(login, 200)
    const cookie = (login.headers.get('set-cookie') ?? '').split(/,(?=\s*__Host-|\s*paksa_)/).map(c => c.split(';')[0]!.trim()).join('; ')
    for (const [path, text] of [
      ['/purchases/bills', 'Bills'], ['/purchases/bills/approvals', 'Bills to approve'], ['/purchases/bills/new', 'New bill'],
      [`/purchases/bills/${b.id}`, 'PAGE-1'], [`/purchases/bills/${b.id}/edit`, 'Edit draft bill'],
    ] as const) {
      const page = await request('GET', t.host, path, { headers: { cookie, accept: 'text/html' } })
      expect(page.status, path).toBe(200)
      expect(page.text, path).toContain(text)
    }
  })
})
