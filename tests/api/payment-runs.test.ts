/**
 * Payment runs through the real server (SPEC §5 `payment-runs`, §4 maker-checker; issue 13 point 4):
 * prepared by one person (`ap:write`), approved by another with `ap:pay` (the preparer 422
 * SOD_SELF_APPROVAL, an AP clerk 403), one payment per vendor and currency in one transaction,
 * vendors without bank details listed and left out, the pain.001 validated with xmllint against
 * the ISO 20022 schema, the CSV, downloads only for `ap:pay` and each audited with the file's
 * SHA-256, nothing posted before approval, a bill in one prepared run at a time, a bill paid
 * meanwhile refusing the approval, another tenant's runs invisible, and what the database holds.
 */
import { spawnSync } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, request, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
const asApp = asAppRole(sql)
const dir = mkdtempSync(join(tmpdir(), 'payment-runs-'))
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await sql.end()
})
const SCHEMA = fileURLToPath(new URL('../fixtures/schemas/pain.001.001.03.xsd', import.meta.url))
const IBAN = 'DE89370400440532013000'
const OTHER_IBAN = 'GB82WEST12345698765432'

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}
let harbour: string
let nordic: string
let beta: string
let clerk: Client
let payer: { id: string, client: Client }
let payer2: { id: string, client: Client }

const status = (res: { status: number, text: string }, expected: number) => expect(res.status, res.text).toBe(expected)
const code = (res: { body: Json }) => res.body?.data?.code
let refs = 0
/** A posted bill (the threshold is high: it posts on submit) of `amount` on supplies, no tax. */
async function postedBill(vendorId: string, amount: string, over: Json = {}): Promise<Json> {
  const res = await clerk.post('/api/v1/bills', { json: {
    vendorId, date: '2026-04-10', dueDate: '2026-05-10', vendorReference: `PR-T-${++refs}`, amountsAre: 'exclusive', submit: true,
    lines: [{ description: 'Supplies', quantity: '1', unitPrice: amount, accountId: acc['6300'] }], ...over,
  } })
  status(res, 201)
  expect(res.body.status).toBe('open')
  return res.body
}
const prepare = (c: Client, json: Json) => c.post('/api/v1/payment-runs', { json })
async function prepared(c: Client, json: Json): Promise<Json> {
  const res = await prepare(c, { date: '2026-05-01', paymentAccountId: acc['1010'], ...json })
  status(res, 201)
  return res.body
}
/** A vendor whose account one person requests and another confirms. */
async function vendorWithAccount(name: string, bankAccount: Json): Promise<string> {
  const v = await t.asOwner.post('/api/v1/vendors', { json: { name, bankAccount } })
  status(v, 201)
  status(await payer.client.post(`/api/v1/vendors/${v.body.id}/bank-account/confirm`, { json: { changeId: v.body.pendingBankAccount.id } }), 200)
  return v.body.id
}
const entriesOf = async (ids: string[]) => (await sql`select count(*)::int as n from journal_entries where tenant_id = ${t.id} and source_id = any(${ids}::uuid[])`)[0]!.n as number
const paymentEntries = async () => (await sql`select count(*)::int as n from journal_entries where tenant_id = ${t.id} and source_type = 'bill_payment'`)[0]!.n as number

function schemaErrors(xml: string): string {
  const file = join(dir, `${randomName()}.xml`)
  writeFileSync(file, xml, 'utf8')
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' })
  if (result.error) throw result.error
  return result.status === 0 ? '' : result.stderr
}
let files = 0
const randomName = () => `run-${++files}`

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  const accounts = await t.asOwner.get('/api/v1/accounts')
  Object.assign(acc, Object.fromEntries((accounts.body.data as Json[]).map(a => [a.code, a.id])))
  status(await t.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '100000' } }), 200)
  const [c, a, b] = await Promise.all([addMember(t, ['ap_clerk']), addMember(t, ['accountant']), addMember(t, ['accountant'])])
  clerk = c.client
  payer = { id: a.id, client: a.client }
  payer2 = { id: b.id, client: b.client }
  harbour = await vendorWithAccount('Harbour Office Supplies', { iban: IBAN, bic: 'COBADEFFXXX', bankName: 'Commerzbank' })
  nordic = await vendorWithAccount('Nordic Paper & Co', { iban: OTHER_IBAN })
  beta = (await t.asOwner.post('/api/v1/vendors', { json: { name: 'Beta Freight' } })).body.id
})

describe('preparing', () => {
  it('prepares a run of the bills named: one line per vendor, the open amounts, a vendor without bank details flagged; nothing posts', async () => {
    const h1 = await postedBill(harbour, '144.00')
    const h2 = await postedBill(harbour, '60.50')
    const n1 = await postedBill(nordic, '200.00')
    const b1 = await postedBill(beta, '50.00')
    const before = await sql`select id, amount_allocated, status from bills where tenant_id = ${t.id} order by id`
    const res = await prepare(clerk, { date: '2026-05-01', paymentAccountId: acc['1010'], billIds: [h1.id, h2.id, n1.id, b1.id] })
    status(res, 201)
    expect(res.body).toMatchObject({
      number: expect.stringMatching(/^PR-\d{6}$/), status: 'prepared', date: '2026-05-01', dueOnOrBefore: null,
      paymentAccount: { id: acc['1010'], code: '1010' }, approvedBy: null, files: [],
      totals: [{ currency: 'USD', payments: 2, amount: '404.50' }],
    })
    expect(res.body.vendors.map((v: Json) => [v.vendor.name, v.currency, v.bills, v.amount, v.excludedReason])).toEqual([
      ['Beta Freight', 'USD', 1, '50.00', 'no_account'],
      ['Harbour Office Supplies', 'USD', 2, '204.50', null],
      ['Nordic Paper & Co', 'USD', 1, '200.00', null],
    ])
    expect(res.body.items.map((i: Json) => [i.billNumber, i.amount, i.excludedReason, i.paymentId]).sort()).toEqual([
      [b1.number, '50.00', 'no_account', null], [h1.number, '144.00', null, null], [h2.number, '60.50', null, null], [n1.number, '200.00', null, null],
    ].sort())
    // Nothing posted, nothing paid.
    expect(await paymentEntries()).toBe(0)
    expect(await sql`select id, amount_allocated, status from bills where tenant_id = ${t.id} order by id`).toEqual(before)
    const audit = await sql`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(audit.map(a => a.action)).toEqual(['payment_run.prepare'])
    expect((await clerk.get(`/api/v1/payment-runs/${res.body.id}`)).body).toEqual(res.body)
    status(await t.asOwner.post(`/api/v1/payment-runs/${res.body.id}/cancel`), 200)
  })

  it('prepares "all due on or before a date": posted bills owing something, not in another run, not dated after the run', async () => {
    const due = await postedBill(nordic, '10.00', { date: '2026-03-01', dueDate: '2026-03-15' })
    const later = await postedBill(nordic, '11.00', { date: '2026-03-01', dueDate: '2026-09-30' })
    const draft = await clerk.post('/api/v1/bills', { json: { vendorId: nordic, date: '2026-03-01', dueDate: '2026-03-10', vendorReference: `PR-T-${++refs}`, amountsAre: 'exclusive', lines: [{ description: 'x', quantity: '1', unitPrice: '5', accountId: acc['6300'] }] } })
    status(draft, 201)
    const offered = await clerk.get('/api/v1/payment-runs/payable-bills?dueOnOrBefore=2026-03-31')
    status(offered, 200)
    expect(offered.body.data.map((b: Json) => b.id)).toContain(due.id)
    expect(offered.body.data.map((b: Json) => b.id)).not.toContain(later.id)
    expect(offered.body.data.map((b: Json) => b.id)).not.toContain(draft.body.id)
    expect(offered.body.data.find((b: Json) => b.id === due.id)).toMatchObject({ amountDue: '10.00', vendorHasBankAccount: true, vendor: { name: 'Nordic Paper & Co' } })
    const run = await prepared(clerk, { date: '2026-04-01', dueOnOrBefore: '2026-03-31' })
    expect(run.dueOnOrBefore).toBe('2026-03-31')
    expect(run.items.map((i: Json) => i.billId)).toEqual([due.id])
    // Now in a prepared run: no longer offered, and "all due" again finds nothing.
    expect((await clerk.get('/api/v1/payment-runs/payable-bills?dueOnOrBefore=2026-03-31')).body.data.map((b: Json) => b.id)).not.toContain(due.id)
    const empty = await prepare(clerk, { date: '2026-04-01', paymentAccountId: acc['1010'], dueOnOrBefore: '2026-03-31' })
    status(empty, 422)
    expect(code(empty)).toBe('PAYMENT_RUN_EMPTY')
    status(await clerk.post(`/api/v1/payment-runs/${run.id}/cancel`), 200)
  })

  it('refuses a bill not payable (draft, void, dated after the run, unknown), a bill already in a prepared run, an account that is not cash or bank, a body naming both or neither', async () => {
    const open = await postedBill(harbour, '25.00')
    const draft = (await clerk.post('/api/v1/bills', { json: { vendorId: harbour, date: '2026-04-10', vendorReference: `PR-T-${++refs}`, amountsAre: 'exclusive', lines: [{ description: 'x', quantity: '1', unitPrice: '5', accountId: acc['6300'] }] } })).body
    const voided = await postedBill(harbour, '7.00')
    status(await clerk.post(`/api/v1/bills/${voided.id}/void`, { json: {} }), 200)
    const late = await postedBill(harbour, '8.00', { date: '2026-06-01', dueDate: '2026-06-30' })
    const foreign = await other.asOwner.get('/api/v1/accounts')
    const cases: [Json, number, string, string[]][] = [
      [{ billIds: [open.id, draft.id] }, 422, 'PAYMENT_RUN_BILL_NOT_PAYABLE', ['billIds.1']],
      [{ billIds: [voided.id] }, 422, 'PAYMENT_RUN_BILL_NOT_PAYABLE', ['billIds.0']],
      [{ billIds: [late.id] }, 422, 'PAYMENT_RUN_BILL_NOT_PAYABLE', ['billIds.0']],
      [{ billIds: [randomUUID()] }, 422, 'PAYMENT_RUN_BILL_NOT_PAYABLE', ['billIds.0']],
      [{ billIds: [open.id], paymentAccountId: acc['6300'] }, 422, 'PAYMENT_RUN_ACCOUNT_INVALID', ['paymentAccountId']],
      [{ billIds: [open.id], paymentAccountId: (foreign.body.data as Json[]).find(a => a.code === '1010')!.id }, 422, 'PAYMENT_RUN_ACCOUNT_INVALID', ['paymentAccountId']],
      [{ billIds: [open.id], dueOnOrBefore: '2026-05-01' }, 400, 'VALIDATION_FAILED', ['billIds']],
      [{}, 400, 'VALIDATION_FAILED', ['billIds']],
      [{ billIds: [open.id, open.id] }, 400, 'VALIDATION_FAILED', ['billIds']],
    ]
    for (const [body, st, c, fields] of cases) {
      const res = await prepare(clerk, { date: '2026-05-01', paymentAccountId: acc['1010'], ...body })
      status(res, st)
      expect(code(res), JSON.stringify(body)).toBe(c)
      expect(Object.keys(res.body.data.fields ?? {}), JSON.stringify(body)).toEqual(fields)
    }
    const first = await prepared(clerk, { billIds: [open.id] })
    const again = await prepare(clerk, { date: '2026-05-01', paymentAccountId: acc['1010'], billIds: [open.id] })
    status(again, 409)
    expect(code(again)).toBe('PAYMENT_RUN_BILL_IN_RUN')
    expect(again.body.data.fields).toEqual({ 'billIds.0': `is in payment run ${first.number}` })
    expect(await sql`select 1 from payment_runs where tenant_id = ${t.id} and status = 'prepared' and id <> ${first.id}`).toHaveLength(0)
    // Cancelled: the bill is free again, and the cancelled run stays listed.
    const cancelled = await clerk.post(`/api/v1/payment-runs/${first.id}/cancel`)
    status(cancelled, 200)
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: { id: expect.any(String) } })
    const twice = await clerk.post(`/api/v1/payment-runs/${first.id}/cancel`)
    status(twice, 409)
    expect(code(twice)).toBe('PAYMENT_RUN_NOT_PREPARED')
    const next = await prepared(clerk, { billIds: [open.id] })
    status(await clerk.post(`/api/v1/payment-runs/${next.id}/cancel`), 200)
  })
})

describe('approving', () => {
  let run: Json
  let bills: Json[]

  beforeAll(async () => {
    bills = [await postedBill(harbour, '300.00'), await postedBill(harbour, '20.25'), await postedBill(nordic, '99.99'), await postedBill(beta, '75.00')]
    run = await prepared(clerk, { date: '2026-05-04', billIds: bills.map(b => b.id) })
  })

  it('only ap:pay holders approve (an AP clerk 403), never the preparer (422 SOD_SELF_APPROVAL); the files wait for approval (409), for ap:pay only (403)', async () => {
    const byClerk = await clerk.post(`/api/v1/payment-runs/${run.id}/approve`)
    status(byClerk, 403)
    // The owner holds ap:write and ap:pay: it may prepare, and may approve only someone else's run.
    const own = await prepared(t.asOwner, { billIds: [(await postedBill(nordic, '1.00')).id] })
    const self = await t.asOwner.post(`/api/v1/payment-runs/${own.id}/approve`)
    status(self, 422)
    expect(code(self)).toBe('SOD_SELF_APPROVAL')
    expect((await t.asOwner.get(`/api/v1/payment-runs/${own.id}`)).body.status).toBe('prepared')
    status(await payer.client.post(`/api/v1/payment-runs/${own.id}/cancel`), 403)
    status(await t.asOwner.post(`/api/v1/payment-runs/${own.id}/cancel`), 200)
    status(await clerk.get(`/api/v1/payment-runs/${run.id}/file?format=pain001`), 403)
    const early = await payer.client.get(`/api/v1/payment-runs/${run.id}/file?format=pain001`)
    status(early, 409)
    expect(code(early)).toBe('PAYMENT_RUN_NOT_APPROVED')
    expect(await paymentEntries()).toBe(0)
  })

  it('another tenant sees none of it (404)', async () => {
    for (const [method, path] of [['GET', ''], ['POST', '/approve'], ['POST', '/cancel'], ['GET', '/file?format=csv']] as const) {
      const res = method === 'GET' ? await other.asOwner.get(`/api/v1/payment-runs/${run.id}${path}`) : await other.asOwner.post(`/api/v1/payment-runs/${run.id}${path}`)
      status(res, 404)
    }
    expect((await other.asOwner.get('/api/v1/payment-runs')).body.data).toEqual([])
  })

  it('a second person with ap:pay approves: one payment per vendor in one transaction, the bills paid, the vendor without bank details listed and unpaid', async () => {
    const res = await payer2.client.post(`/api/v1/payment-runs/${run.id}/approve`)
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'approved', approvedBy: { id: payer2.id }, totals: [{ currency: 'USD', payments: 2, amount: '420.24' }] })
    expect(res.body.vendors.map((v: Json) => [v.vendor.name, v.amount, v.excludedReason, !!v.paymentId])).toEqual([
      ['Beta Freight', '75.00', 'no_account', false],
      ['Harbour Office Supplies', '320.25', null, true],
      ['Nordic Paper & Co', '99.99', null, true],
    ])
    const paymentIds = [...new Set(res.body.items.filter((i: Json) => i.paymentId).map((i: Json) => i.paymentId))]
    expect(paymentIds).toHaveLength(2)
    const harbourPayment = await payer2.client.get(`/api/v1/bill-payments/${res.body.vendors[1].paymentId}`)
    status(harbourPayment, 200)
    expect(harbourPayment.body).toMatchObject({ vendorId: harbour, amount: '320.25', currency: 'USD', date: '2026-05-04', paymentAccountId: acc['1010'], reference: `${run.number}-1` })
    for (const [i, state] of [[0, 'paid'], [1, 'paid'], [2, 'paid'], [3, 'open']] as const) {
      expect((await clerk.get(`/api/v1/bills/${bills[i]!.id}`)).body.status).toBe(state)
    }
    // The vendor left out gets no payment in the books.
    expect(await sql`select 1 from journal_entries e join bill_payments p on p.tenant_id = e.tenant_id and p.id = e.source_id where e.tenant_id = ${t.id} and p.vendor_id = ${beta}`).toHaveLength(0)
    expect(await entriesOf(paymentIds as string[])).toBe(2)
    expect(res.body.files.map((f: Json) => [f.format, f.fileName])).toEqual([['csv', `${run.number}.csv`], ['pain001', `${run.number}.xml`]])
    const approvedAgain = await payer.client.post(`/api/v1/payment-runs/${run.id}/approve`)
    status(approvedAgain, 409)
    expect(code(approvedAgain)).toBe('PAYMENT_RUN_NOT_PREPARED')
    const audit = await sql`select action, after from audit_events where tenant_id = ${t.id} and entity_id = ${run.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['payment_run.prepare', 'payment_run.approve'])
    expect(audit[1]!.after.excluded).toEqual([{ vendorId: beta, currency: 'USD', reason: 'no_account' }])
    expect(JSON.stringify(audit)).not.toContain('370400440532013000')
  })

  it('the pain.001 validates against the ISO 20022 schema: one transfer per paid vendor, the debtor account the GL code as Othr, the vendor left out', async () => {
    const res = await payer.client.get(`/api/v1/payment-runs/${run.id}/file?format=pain001`)
    status(res, 200)
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${run.number}.xml"`)
    const xml = res.text
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true)
    expect(schemaErrors(xml)).toBe('')
    expect(xml).toContain('<NbOfTxs>2</NbOfTxs>')
    expect(xml).toContain('<CtrlSum>420.24</CtrlSum>')
    expect(xml).toContain(`<MsgId>${run.number}</MsgId>`)
    expect(xml).toMatch(/<DbtrAcct>\s*<Id>\s*<Othr>\s*<Id>1010<\/Id>/)
    expect(xml).toContain(`<IBAN>${IBAN}</IBAN>`)
    expect(xml).toContain(`<IBAN>${OTHER_IBAN}</IBAN>`)
    expect(xml).toContain('<InstdAmt Ccy="USD">320.25</InstdAmt>')
    expect(xml).toContain('<InstdAmt Ccy="USD">99.99</InstdAmt>')
    expect(xml).not.toContain('Beta Freight')
    expect(xml).toContain(`${bills[0]!.number} (${bills[0]!.vendorReference})`)
  })

  it('the CSV has the same payments; every download is the same bytes and is audited with their SHA-256', async () => {
    const csv = await payer.client.get(`/api/v1/payment-runs/${run.id}/file?format=csv`)
    status(csv, 200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = csv.text.split('\r\n')
    expect(lines[0]).toBe('Vendor,IBAN,Account number,BIC,Bank name,Amount,Currency,Execution date,End-to-end ID,Remittance')
    expect(lines.slice(1, 3).map(l => l.split(',').slice(0, 9))).toEqual([
      ['Harbour Office Supplies', IBAN, '', 'COBADEFFXXX', 'Commerzbank', '320.25', 'USD', '2026-05-04', `${run.number}-1`],
      ['Nordic Paper & Co', OTHER_IBAN, '', '', '', '99.99', 'USD', '2026-05-04', `${run.number}-2`],
    ])
    const again = await payer2.client.get(`/api/v1/payment-runs/${run.id}/file?format=csv`)
    expect(again.bytes.equals(csv.bytes)).toBe(true)
    const sha = createHash('sha256').update(csv.bytes).digest('hex')
    expect(csv.headers.get('x-content-sha256')).toBe(sha)
    const xml = await payer.client.get(`/api/v1/payment-runs/${run.id}/file?format=pain001`)
    const downloads = await sql`select actor_id, after from audit_events where tenant_id = ${t.id} and entity_id = ${run.id} and action = 'payment_run.file.download' order by seq`
    expect(downloads.map(d => [d.after.format, d.after.sha256])).toEqual([
      ['pain001', createHash('sha256').update(xml.bytes).digest('hex')], ['csv', sha], ['csv', sha], ['pain001', createHash('sha256').update(xml.bytes).digest('hex')],
    ])
    expect(downloads.map(d => d.actor_id)).toEqual([payer.id, payer.id, payer2.id, payer.id])
    const listed = await clerk.get('/api/v1/payment-runs?status=approved')
    status(listed, 200)
    expect(listed.body.data.map((r: Json) => r.number)).toContain(run.number)
    expect(listed.body.data[0]).not.toHaveProperty('items')
  })

  it('a bill paid, voided or changed after the run was prepared refuses the approval (409 PAYMENT_RUN_STALE) and nothing changes', async () => {
    const a = await postedBill(nordic, '40.00')
    const b = await postedBill(harbour, '30.00')
    const stale = await prepared(clerk, { date: '2026-05-05', billIds: [a.id, b.id] })
    status(await clerk.post(`/api/v1/bills/${b.id}/void`, { json: {} }), 200)
    const entries = await paymentEntries()
    const res = await payer.client.post(`/api/v1/payment-runs/${stale.id}/approve`)
    status(res, 409)
    expect(code(res)).toBe('PAYMENT_RUN_STALE')
    expect(res.body.data.fields).toEqual({ [b.number]: 'is void' })
    expect(await paymentEntries()).toBe(entries)
    expect((await clerk.get(`/api/v1/bills/${a.id}`)).body.status).toBe('open')
    expect((await clerk.get(`/api/v1/payment-runs/${stale.id}`)).body).toMatchObject({ status: 'prepared', files: [] })
    status(await clerk.post(`/api/v1/payment-runs/${stale.id}/cancel`), 200)
  })
})

describe('partly paid bills', () => {
  it('a run pays what a partly paid bill still owes', async () => {
    const b = await postedBill(harbour, '300.00')
    const part = await payer.client.post('/api/v1/bill-payments', { json: { vendorId: harbour, date: '2026-04-20', amount: '100.00', paymentAccountId: acc['1010'], allocations: [{ billId: b.id, amount: '100.00' }] } })
    status(part, 201)
    const run = await prepared(clerk, { date: '2026-05-06', billIds: [b.id] })
    expect(run.items.map((i: Json) => [i.billTotal, i.amount])).toEqual([['300.00', '200.00']])
    status(await payer2.client.post(`/api/v1/payment-runs/${run.id}/approve`), 200)
    expect((await clerk.get(`/api/v1/bills/${b.id}`)).body).toMatchObject({ status: 'paid', amountDue: '0.00' })
  })
})

describe('the paying bank account', () => {
  it('a run paid from a GL account with a bank account names its IBAN as the debtor account (not the GL code)', async () => {
    const gl = await t.asOwner.post('/api/v1/accounts', { json: { code: '1025', name: 'Operating account', type: 'asset', subtype: 'bank' } })
    status(gl, 201)
    const DEBTOR = 'FR1420041010050500013M02606'
    status(await t.asOwner.post('/api/v1/bank-accounts', { json: { name: 'Operating', accountId: gl.body.id, currency: 'USD', accountNumber: DEBTOR } }), 201)
    const b = await postedBill(harbour, '75.00')
    const run = await prepared(clerk, { date: '2026-05-07', paymentAccountId: gl.body.id, billIds: [b.id] })
    status(await payer2.client.post(`/api/v1/payment-runs/${run.id}/approve`), 200)
    const xml = (await payer.client.get(`/api/v1/payment-runs/${run.id}/file?format=pain001`)).text
    expect(schemaErrors(xml)).toBe('')
    expect(xml).toMatch(new RegExp(`<DbtrAcct>\\s*<Id>\\s*<IBAN>${DEBTOR}</IBAN>`))
    expect(xml).not.toContain('<Id>1025</Id>')
  })
})

describe('the database', () => {
  it('keeps an approved run, its bills and files fixed, a bill in one prepared run, and the approver not the preparer', async () => {
    const [approved] = await sql`select id, tenant_id, prepared_by from payment_runs where tenant_id = ${t.id} and status = 'approved' limit 1`
    await asApp(t.id, async (db) => {
      await expect(db`update payment_runs set date = '2026-01-01' where id = ${approved!.id}`).rejects.toThrow(/PAYMENT_RUN_NOT_PREPARED/)
    })
    await asApp(t.id, async (db) => {
      await expect(db`update payment_run_items set amount = 1 where run_id = ${approved!.id}`).rejects.toThrow(/PAYMENT_RUN_NOT_PREPARED/)
    })
    await asApp(t.id, async (db) => {
      await expect(db`delete from payment_runs where id = ${approved!.id}`).rejects.toThrow(/permission denied|PAYMENT_RUN_NOT_PREPARED/)
    })
    await asApp(t.id, async (db) => {
      await expect(db`update payment_run_files set sha256 = 'x' where run_id = ${approved!.id}`).rejects.toThrow(/permission denied/)
    })
    const bill = await postedBill(nordic, '3.00')
    const run = await prepared(clerk, { billIds: [bill.id] })
    await asApp(t.id, async (db) => {
      await expect(db`update payment_runs set status = 'approved', approved_by = ${payer.id}, approved_at = now() where id = ${run.id}`).rejects.toThrow(/PAYMENT_RUN_NOT_PREPARED: every bill/)
    })
    // A run whose only vendor is left out passes the guard; the preparer still cannot approve it.
    const unpaid = await prepared(clerk, { billIds: [(await postedBill(beta, '4.00')).id] })
    await asApp(t.id, async (db) => {
      await expect(db`update payment_runs set status = 'approved', approved_by = prepared_by, approved_at = now() where id = ${unpaid.id}`).rejects.toThrow(/payment_runs_four_eyes_check/)
    })
    status(await clerk.post(`/api/v1/payment-runs/${unpaid.id}/cancel`), 200)
    await asApp(t.id, async (db) => {
      const [r] = await db`insert into payment_runs (tenant_id, number, date, payment_account_id, prepared_by) values (${t.id}, 'PR-X', '2026-05-01', ${acc['1010']!}, ${payer.id}) returning id`
      await expect(db`insert into payment_run_items (tenant_id, run_id, bill_id, vendor_id, currency, amount) values (${t.id}, ${r!.id}, ${bill.id}, ${nordic}, 'USD', 3)`).rejects.toThrow(/payment_run_items_prepared_key/)
    })
    status(await clerk.post(`/api/v1/payment-runs/${run.id}/cancel`), 200)
  })
})

describe('pages', () => {
  it('the list, a new run and a run render on the server for a signed-in member', async () => {
    const [run] = await sql`select id, number from payment_runs where tenant_id = ${t.id} and status = 'approved' limit 1`
    const login = await request('POST', t.host, '/api/v1/auth/login', { json: { email: t.owner.email, password: t.owner.password } })
    status(login, 200)
    const cookie = (login.headers.get('set-cookie') ?? '').split(/,(?=\s*__Host-|\s*paksa_)/).map(c => c.split(';')[0]!.trim()).join('; ')
    for (const [path, text] of [['/purchases/payment-runs', 'Payment runs'], ['/purchases/payment-runs/new', 'New payment run'], [`/purchases/payment-runs/${run!.id}`, run!.number]] as const) {
      const page = await request('GET', t.host, path, { headers: { cookie, accept: 'text/html' } })
      expect(page.status, path).toBe(200)
      expect(page.text, path).toContain(text)
    }
  })
})
