/**
 * The payables reports through the real server (SPEC §5 `reports/ap-aging`, `vendors/{id}/statement`,
 * `reports/tax-summary` purchases side; issue 13 point 5). Every bill is made through the API and
 * posts on submit (threshold 5,000.00). Base currency USD; VAT10 (10 %, sales and purchases) and
 * IVAT20 (input VAT 20 %, purchases only).
 *
 * Harbour:
 *   B7 2025-12-10, due 12-20: 30.00 (no tax)
 *   B1 2026-01-05, due 01-15: 100.00 + VAT 10.00 = 110.00
 *   B2 2026-02-01, due 03-03: 200.00 + IVAT 40.00 = 240.00
 *   B3 2026-02-10, due 02-20: EUR 50.00 + VAT 5.00 = 55.00 at 1.2 = 66.00 base (net 60.00, tax 6.00)
 * Beta:
 *   B6 2025-11-01, due 12-01: 500.00 (no tax)
 *   B4 2026-03-01, due 03-31: 1,000.00 inclusive of IVAT20: tax 1000 × 20/120 = 166.67, net 833.33
 *   B5 2026-03-25, due 04-24: 10.00 + VAT 1.00 = 11.00, voided on 2026-04-02
 *   B8 2026-03-05: 6,000.00 + VAT 600.00, awaiting approval (above the threshold): counts nowhere;
 *   a draft of 70.00 + VAT 7.00 counts nowhere either.
 * Sales: INV 2026-02-15 to a customer, 300.00 + VAT 30.00.
 *
 * Aging on 2026-03-15 (days past due):
 *   Harbour  B7 85 days → 61–90 30.00; B1 59 → 31–60 110.00; B3 23 and B2 12 → 1–30 66 + 240 = 306.00;
 *            total 446.00
 *   Beta     B4 due in 16 days → current 1,000.00; B6 104 days → over 90 500.00; total 1,500.00
 *   Totals   1,000.00 / 306.00 / 110.00 / 30.00 / 500.00 = 1,946.00
 * Aging on 2026-02-12: Harbour B2 240 + B3 66 current, B1 28 days → 1–30 110, B7 54 days → 31–60 30
 *   (446.00); Beta B6 73 days → 61–90 500.00.
 * Aging on 2026-03-31: Beta B4 0 days + B5 (voided only on 04-02) current 1,011.00, B6 over 90; on
 *   2026-04-05 B5 is gone and B4 is 5 days past due.
 *
 * Statement of Harbour 2026-02-01..2026-03-31: opening 140.00 (B7, B1); B2 +240 → 380.00; B3 +66 →
 *   446.00. Beta 2026-04-01..04-30: opening 1,511.00; B5's void −11 → 1,500.00.
 *
 * Gamma (payments, a vendor credit, FX, a void; May–June, so the figures above stay as worked):
 *   G1  2026-05-01, due 05-31: 300.00 + VAT 30.00 = 330.00
 *   G2  2026-05-05, due 06-04: EUR 100.00 at 1.1 = 110.00 base
 *   P1  2026-05-10: 200.00 to G1
 *   VC1 2026-05-15: vendor credit 40.00 + VAT 4.00 = 44.00; 30.00 of it to G1 dated 06-10
 *   P2  2026-05-20: EUR 100.00 at 1.2 = 120.00 base, all to G2 (110.00 base): realised FX 10.00
 *   P3  2026-05-25: 50.00, unallocated (a prepayment)
 *   P4  2026-06-01: 100.00 to G1, voided on 06-05 (which releases it)
 *   Aging: 05-15 current 130 + 110 − 44 = 196.00; 05-31 current 130.00, 1–30 −44 − 50 = −94.00
 *   (total 36.00); 06-03 G1 30.00 (3 days) − 44 − 50 → 1–30 −64.00; 06-07 G1 130 again → 1–30
 *   36.00; 06-15 G1 100.00 and P3 −50.00 → 1–30 50.00, VC1 −14.00 (31 days) → 31–60, total 36.00.
 *   Statement 05-01..06-30: 330 → 440 → P1 240 → VC1 196 → P2 76 → FX +10 86 → P3 36 → P4 −64 →
 *   P4 void 36.00. Tax May–June: VAT10 purchases 300 − 40 = 260.00 net, 30 − 4 = 26.00 tax.
 *
 * Tax summary 2026-01-01..2026-03-31: IVAT20 purchases net 200 + 833.33 = 1,033.33, tax 40 + 166.67 =
 *   206.67; VAT10 sales 300.00 / 30.00, purchases net 100 + 60 + 10 = 170.00, tax 10 + 6 + 1 = 17.00.
 *   Purchase tax 223.67; net = 30.00 − 223.67 = −193.67 (a refund due). April: B5's void reverses
 *   it there: VAT10 purchases −10.00 / −1.00, net +1.00.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'
import { parseCsv } from '../support/csv'
import { download, expectStatus as status, ok, pdfText } from '../support/report-files'
import { createAccount } from '../support/ledger'

type Json = Record<string, any>
let t: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}
const ids: Record<string, string> = {}

const csvRows = (body: Buffer) => parseCsv(body.toString('utf8')).filter(r => r.length > 1)
let refs = 0
const line = (unitPrice: string, taxRateId: string | null | undefined, over: Json = {}) => ({ description: 'Supplies', quantity: '1', unitPrice, accountId: acc['6300'], taxRateId, ...over })
const bill = (c: Client, json: Json) => ok(c.post('/api/v1/bills', { json: { amountsAre: 'exclusive', submit: true, vendorReference: `REF-${++refs}`, ...json } }))

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  const c = t.asOwner
  Object.assign(acc, Object.fromEntries(((await c.get('/api/v1/accounts')).body.data as Json[]).map(a => [a.code, a.id])))
  acc['1350'] = (await createAccount(c, { code: '1350', name: 'VAT recoverable', type: 'asset', subtype: 'other_current_asset' })).id
  status(await c.patch('/api/v1/settings', { json: { billApprovalThreshold: '5000' } }), 200)
  ids.vat = (await ok(c.post('/api/v1/tax-rates', { json: { code: 'VAT10', name: 'VAT 10%', rate: '10', scope: 'both' } }))).id
  ids.ivat = (await ok(c.post('/api/v1/tax-rates', { json: { code: 'IVAT20', name: 'Input VAT 20%', rate: '20', scope: 'purchases', accountId: acc['1350'] } }))).id
  ids.harbour = (await ok(c.post('/api/v1/vendors', { json: { name: 'Harbour Supplies', code: 'HARBOUR' } }))).id
  ids.beta = (await ok(c.post('/api/v1/vendors', { json: { name: 'Beta Freight' } }))).id
  ids.otherVendor = (await ok(other.asOwner.post('/api/v1/vendors', { json: { name: 'Elsewhere' } }))).id
  const customer = (await ok(c.post('/api/v1/customers', { json: { name: 'Acme Ltd' } }))).id

  ids.b7 = (await bill(c, { vendorId: ids.harbour, date: '2025-12-10', dueDate: '2025-12-20', lines: [line('30.00', null)] })).id
  ids.b1 = (await bill(c, { vendorId: ids.harbour, date: '2026-01-05', dueDate: '2026-01-15', lines: [line('100.00', ids.vat)] })).id
  ids.b2 = (await bill(c, { vendorId: ids.harbour, date: '2026-02-01', dueDate: '2026-03-03', lines: [line('200.00', ids.ivat)] })).id
  ids.b3 = (await bill(c, { vendorId: ids.harbour, date: '2026-02-10', dueDate: '2026-02-20', currency: 'EUR', exchangeRate: '1.2', lines: [line('50.00', ids.vat)] })).id
  ids.b6 = (await bill(c, { vendorId: ids.beta, date: '2025-11-01', dueDate: '2025-12-01', lines: [line('500.00', null)] })).id
  ids.b4 = (await bill(c, { vendorId: ids.beta, date: '2026-03-01', dueDate: '2026-03-31', amountsAre: 'inclusive', lines: [line('1000.00', ids.ivat)] })).id
  ids.b5 = (await bill(c, { vendorId: ids.beta, date: '2026-03-25', dueDate: '2026-04-24', lines: [line('10.00', ids.vat)] })).id
  await ok(c.post(`/api/v1/bills/${ids.b5}/void`, { json: { date: '2026-04-02' } }), 200)
  const waiting = await bill(c, { vendorId: ids.beta, date: '2026-03-05', dueDate: '2026-03-20', lines: [line('6000.00', ids.vat)] })
  expect(waiting.status).toBe('awaiting_approval')
  await bill(c, { vendorId: ids.beta, date: '2026-03-06', dueDate: '2026-03-20', submit: false, lines: [line('70.00', ids.vat)] })
  ids.gamma = (await ok(c.post('/api/v1/vendors', { json: { name: 'Gamma Paper' } }))).id
  const pay = (json: Json) => ok(c.post('/api/v1/bill-payments', { json: { vendorId: ids.gamma, paymentAccountId: acc['1010'], ...json } }))
  ids.g1 = (await bill(c, { vendorId: ids.gamma, date: '2026-05-01', dueDate: '2026-05-31', lines: [line('300.00', ids.vat)] })).id
  ids.g2 = (await bill(c, { vendorId: ids.gamma, date: '2026-05-05', dueDate: '2026-06-04', currency: 'EUR', exchangeRate: '1.1', lines: [line('100.00', null)] })).id
  ids.p1 = (await pay({ date: '2026-05-10', amount: '200.00', allocations: [{ billId: ids.g1, amount: '200.00' }] })).id
  ids.vc1 = (await ok(c.post('/api/v1/vendor-credits', { json: { vendorId: ids.gamma, date: '2026-05-15', amountsAre: 'exclusive', issue: true, lines: [line('40.00', ids.vat)] } }))).id
  ids.p2 = (await pay({ date: '2026-05-20', amount: '100.00', currency: 'EUR', exchangeRate: '1.2', allocations: [{ billId: ids.g2, amount: '100.00' }] })).id
  ids.p3 = (await pay({ date: '2026-05-25', amount: '50.00' })).id
  ids.p4 = (await pay({ date: '2026-06-01', amount: '100.00', allocations: [{ billId: ids.g1, amount: '100.00' }] })).id
  await ok(c.post(`/api/v1/bill-payments/${ids.p4}/void`, { json: { date: '2026-06-05' } }), 200)
  await ok(c.post(`/api/v1/vendor-credits/${ids.vc1}/allocations`, { json: { billId: ids.g1, amount: '30.00', date: '2026-06-10' } }))
  await ok(c.post('/api/v1/invoices', { json: { customerId: customer, date: '2026-02-15', amountsAre: 'exclusive', issue: true, lines: [{ description: 'Work', quantity: '1', unitPrice: '300.00', accountId: acc['4100'], taxRateId: ids.vat }] } }))
}, 120_000)

const zero = { current: '0.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' }

describe('aged payables', () => {
  it('buckets each vendor\'s open bills on 2026-03-15 (worked in the header), the EUR bill in base', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/ap-aging?asOf=2026-03-15'), 200)
    expect(r).toEqual({
      asOf: '2026-03-15', currency: 'USD',
      rows: [
        { vendorId: ids.beta, name: 'Beta Freight', ...zero, current: '1000.00', over90: '500.00', total: '1500.00' },
        { vendorId: ids.harbour, name: 'Harbour Supplies', ...zero, days1to30: '306.00', days31to60: '110.00', days61to90: '30.00', total: '446.00' },
      ],
      totals: { current: '1000.00', days1to30: '306.00', days31to60: '110.00', days61to90: '30.00', over90: '500.00', total: '1946.00' },
    })
  })

  it('is the payables of an earlier date too: 2026-02-12', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/ap-aging?asOf=2026-02-12'), 200)
    expect(r.rows).toEqual([
      { vendorId: ids.beta, name: 'Beta Freight', ...zero, days61to90: '500.00', total: '500.00' },
      { vendorId: ids.harbour, name: 'Harbour Supplies', ...zero, current: '306.00', days1to30: '110.00', days31to60: '30.00', total: '446.00' },
    ])
    const before = await ok(t.asOwner.get('/api/v1/reports/ap-aging?asOf=2025-11-30'), 200)
    expect(before.rows).toEqual([{ vendorId: ids.beta, name: 'Beta Freight', ...zero, current: '500.00', total: '500.00' }])
  })

  it('counts a void from its void date', async () => {
    const before = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=2026-03-31&vendorId=${ids.beta}`), 200)
    expect(before.rows).toEqual([{ vendorId: ids.beta, name: 'Beta Freight', ...zero, current: '1011.00', over90: '500.00', total: '1511.00' }])
    const after = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=2026-04-05&vendorId=${ids.beta}`), 200)
    expect(after.rows[0]).toMatchObject({ current: '0.00', days1to30: '1000.00', over90: '500.00', total: '1500.00' })
    expect(after.documents.map((d: Json) => d.id)).toEqual([ids.b6, ids.b4])
  })

  it('drills into a vendor: its open bills, oldest due first', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=2026-03-15&vendorId=${ids.harbour}`), 200)
    expect(r.vendorId).toBe(ids.harbour)
    expect(r.rows).toHaveLength(1)
    expect(r.totals.total).toBe('446.00')
    expect(r.documents.map((d: Json) => [d.id, d.kind, d.dueDate, d.daysPastDue, d.bucket, d.openAmount, d.currency, d.openBase])).toEqual([
      [ids.b7, 'bill', '2025-12-20', 85, 'days61to90', '30.00', 'USD', '30.00'],
      [ids.b1, 'bill', '2026-01-15', 59, 'days31to60', '110.00', 'USD', '110.00'],
      [ids.b3, 'bill', '2026-02-20', 23, 'days1to30', '55.00', 'EUR', '66.00'],
      [ids.b2, 'bill', '2026-03-03', 12, 'days1to30', '240.00', 'USD', '240.00'],
    ])
    expect(r.documents[0]).toMatchObject({ date: '2025-12-10', number: expect.stringMatching(/^BILL-/) })
  })

  it('each vendor\'s row is the sum of its drill-down\'s open bills, bucket by bucket, on every date', async () => {
    const vendors = [ids.harbour, ids.beta, ids.gamma]
    const buckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const
    const cents = (v: string) => BigInt(v.replace('.', ''))
    for (const asOf of ['2025-11-01', '2025-12-01', '2025-12-31', '2026-01-15', '2026-02-12', '2026-03-03', '2026-03-15', '2026-03-31', '2026-04-02', '2026-04-05', '2026-05-09', '2026-05-15', '2026-05-20', '2026-05-31', '2026-06-03', '2026-06-07', '2026-06-10', '2026-06-15', '2026-12-31']) {
      const all = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=${asOf}`), 200)
      for (const vendorId of vendors) {
        const one = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=${asOf}&vendorId=${vendorId}`), 200)
        const sums = Object.fromEntries(buckets.map(b => [b, (one.documents as Json[]).filter(d => d.bucket === b).reduce((s, d) => s + cents(d.openBase), 0n)]))
        const row = (all.rows as Json[]).find(r => r.vendorId === vendorId)
        if (buckets.every(b => sums[b] === 0n)) expect(row, `${asOf} ${vendorId}`).toBeUndefined()
        else for (const b of buckets) expect(cents(row?.[b] ?? '0'), `${asOf} ${vendorId} ${b}`).toBe(sums[b])
        expect(one.rows, `${asOf} ${vendorId}`).toEqual(row ? [row] : [])
      }
    }
  })

  it('today\'s total (1,946.00 + Gamma\'s 36.00) equals the AP control account\'s balance in the trial balance', async () => {
    const aging = await ok(t.asOwner.get('/api/v1/reports/ap-aging'), 200)
    const settings = await ok(t.asOwner.get('/api/v1/settings'), 200)
    const tb = await ok(t.asOwner.get('/api/v1/reports/trial-balance'), 200)
    const ap = (tb.rows as Json[]).find(r => r.accountId === settings.apControlAccountId)
    expect(aging.totals.total).toBe('1982.00')
    expect(ap?.credit).toBe(aging.totals.total)
  })

  it('follows payments, a vendor credit, a later allocation and a voided payment through the dates (Gamma)', async () => {
    const gamma = async (asOf: string) => (await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=${asOf}&vendorId=${ids.gamma}`), 200)).rows
    const row = (figures: Json) => [{ vendorId: ids.gamma, name: 'Gamma Paper', ...zero, ...figures }]
    expect(await gamma('2026-05-09')).toEqual(row({ current: '440.00', total: '440.00' }))
    expect(await gamma('2026-05-15')).toEqual(row({ current: '196.00', total: '196.00' }))
    expect(await gamma('2026-05-31')).toEqual(row({ current: '130.00', days1to30: '-94.00', total: '36.00' }))
    expect(await gamma('2026-06-03')).toEqual(row({ days1to30: '-64.00', total: '-64.00' }))
    expect(await gamma('2026-06-07')).toEqual(row({ days1to30: '36.00', total: '36.00' }))
    expect(await gamma('2026-06-15')).toEqual(row({ days1to30: '50.00', days31to60: '-14.00', total: '36.00' }))
    const r = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=2026-06-15&vendorId=${ids.gamma}`), 200)
    expect(r.documents.map((d: Json) => [d.id, d.kind, d.daysPastDue, d.bucket, d.openAmount, d.openBase])).toEqual([
      [ids.vc1, 'vendor_credit', 31, 'days31to60', '-14.00', '-14.00'],
      [ids.p3, 'bill_payment', 21, 'days1to30', '-50.00', '-50.00'],
      [ids.g1, 'bill', 15, 'days1to30', '100.00', '100.00'],
    ])
    expect(r.documents[1].number).toMatch(/^PAY-/)
  })

  it('refuses bad dates (400), another tenant\'s vendor (404), and needs ap:read', async () => {
    status(await t.asOwner.get('/api/v1/reports/ap-aging?asOf=2026-02-30'), 400)
    const bad = await t.asOwner.get('/api/v1/reports/ap-aging?asOf=yesterday')
    status(bad, 400)
    expect(bad.body.data).toMatchObject({ code: 'VALIDATION_FAILED', fields: { asOf: expect.any(String) } })
    status(await t.asOwner.get('/api/v1/reports/ap-aging?vendorId=nope'), 400)
    const r = await t.asOwner.get(`/api/v1/reports/ap-aging?vendorId=${ids.otherVendor}`)
    status(r, 404)
    expect(r.body.data.code).toBe('NOT_FOUND')
    const arClerk = await addMember(t, ['ar_clerk'])
    status(await arClerk.client.get('/api/v1/reports/ap-aging'), 403)
    status(await arClerk.client.get(`/api/v1/vendors/${ids.harbour}/statement?from=2026-01-01&to=2026-03-01`), 403)
    const apClerk = await addMember(t, ['ap_clerk'])
    status(await apClerk.client.get('/api/v1/reports/ap-aging?asOf=2026-03-15'), 200)
  })
})

describe('vendor statement', () => {
  it('runs from the opening balance through each bill to the closing balance', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/vendors/${ids.harbour}/statement?from=2026-02-01&to=2026-03-31`), 200)
    expect(r).toMatchObject({ vendor: { id: ids.harbour, name: 'Harbour Supplies', code: 'HARBOUR' }, currency: 'USD', from: '2026-02-01', to: '2026-03-31', openingBalance: '140.00', closingBalance: '446.00' })
    expect(r.rows.map((row: Json) => [row.date, row.type, row.id, row.charges, row.payments, row.balance])).toEqual([
      ['2026-02-01', 'bill', ids.b2, '240.00', '0.00', '380.00'],
      ['2026-02-10', 'bill', ids.b3, '66.00', '0.00', '446.00'],
    ])
    expect(r.rows[0].reference).toMatch(/^REF-/)
    const aging = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?asOf=2026-03-31&vendorId=${ids.harbour}`), 200)
    expect(r.closingBalance).toBe(aging.totals.total)
  })

  it('carries payments, a vendor credit, the realised FX difference and a payment\'s void to the AP control account\'s figure (Gamma)', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/vendors/${ids.gamma}/statement?from=2026-05-01&to=2026-06-30`), 200)
    expect(r.openingBalance).toBe('0.00')
    expect(r.rows.map((row: Json) => [row.date, row.type, row.id, row.charges, row.payments, row.balance])).toEqual([
      ['2026-05-01', 'bill', ids.g1, '330.00', '0.00', '330.00'],
      ['2026-05-05', 'bill', ids.g2, '110.00', '0.00', '440.00'],
      ['2026-05-10', 'bill_payment', ids.p1, '0.00', '200.00', '240.00'],
      ['2026-05-15', 'vendor_credit', ids.vc1, '0.00', '44.00', '196.00'],
      ['2026-05-20', 'bill_payment', ids.p2, '0.00', '120.00', '76.00'],
      ['2026-05-20', 'fx_difference', ids.g2, '10.00', '0.00', '86.00'],
      ['2026-05-25', 'bill_payment', ids.p3, '0.00', '50.00', '36.00'],
      ['2026-06-01', 'bill_payment', ids.p4, '0.00', '100.00', '-64.00'],
      ['2026-06-05', 'bill_payment_void', ids.p4, '100.00', '0.00', '36.00'],
    ])
    expect(r.closingBalance).toBe('36.00')
    const today = await ok(t.asOwner.get(`/api/v1/reports/ap-aging?vendorId=${ids.gamma}`), 200)
    expect(today.totals.total).toBe(r.closingBalance)
  })

  it('shows a void on its date: Beta in April', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/vendors/${ids.beta}/statement?from=2026-04-01&to=2026-04-30`), 200)
    expect(r.openingBalance).toBe('1511.00')
    expect(r.rows.map((row: Json) => [row.date, row.type, row.id, row.charges, row.payments])).toEqual([['2026-04-02', 'bill_void', ids.b5, '0.00', '11.00']])
    expect(r.closingBalance).toBe('1500.00')
  })

  it('refuses bad dates (400) and another tenant\'s vendor (404)', async () => {
    status(await t.asOwner.get(`/api/v1/vendors/${ids.harbour}/statement?from=2026-03-01&to=2026-02-01`), 400)
    status(await t.asOwner.get(`/api/v1/vendors/${ids.harbour}/statement?to=2026-03-01`), 400)
    status(await t.asOwner.get(`/api/v1/vendors/${ids.otherVendor}/statement?from=2026-01-01&to=2026-03-01`), 404)
    status(await other.asOwner.get(`/api/v1/vendors/${ids.harbour}/statement?from=2026-01-01&to=2026-03-01`), 404)
  })
})

describe('tax summary: sales and purchases', () => {
  it('sums each rate over the invoices issued and the bills posted in the range; net = sales tax − purchase tax (a refund due)', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/tax-summary?from=2026-01-01&to=2026-03-31'), 200)
    expect(r.rows).toEqual([
      { taxRateId: ids.ivat, code: 'IVAT20', name: 'Input VAT 20%', rate: '20', salesNet: '0.00', salesTax: '0.00', purchasesNet: '1033.33', purchasesTax: '206.67' },
      { taxRateId: ids.vat, code: 'VAT10', name: 'VAT 10%', rate: '10', salesNet: '300.00', salesTax: '30.00', purchasesNet: '170.00', purchasesTax: '17.00' },
    ])
    expect(r.totals).toEqual({ salesNet: '300.00', salesTax: '30.00', purchasesNet: '1203.33', purchasesTax: '223.67', net: '-193.67' })
  })

  it('reverses a void bill in the period of its void date; a vendor credit\'s tax counts negative', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/tax-summary?from=2026-04-01&to=2026-04-30'), 200)
    expect(r.rows.map((row: Json) => [row.code, row.salesTax, row.purchasesNet, row.purchasesTax])).toEqual([['VAT10', '0.00', '-10.00', '-1.00']])
    expect(r.totals).toMatchObject({ purchasesTax: '-1.00', net: '1.00' })
    const credit = await ok(t.asOwner.get('/api/v1/reports/tax-summary?from=2026-05-01&to=2026-06-30'), 200)
    expect(credit.rows.map((row: Json) => [row.code, row.purchasesNet, row.purchasesTax])).toEqual([['VAT10', '260.00', '26.00']])
    expect(credit.totals).toMatchObject({ salesTax: '0.00', purchasesTax: '26.00', net: '-26.00' })
    const both = await ok(t.asOwner.get('/api/v1/reports/tax-summary?from=2026-03-01&to=2026-04-30'), 200)
    expect(both.rows.find((row: Json) => row.code === 'VAT10')).toMatchObject({ purchasesNet: '0.00', purchasesTax: '0.00' })
  })
})

describe('files', () => {
  it('aging CSV carries the figures; XLSX opens; the PDF shows the totals', async () => {
    const csv = await download(t, '/api/v1/reports/ap-aging?asOf=2026-03-15&format=csv')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="ap-aging-2026-03-15.csv"')
    expect(csvRows(csv.body)).toEqual([
      ['Vendor', 'Current', '1–30', '31–60', '61–90', 'Over 90', 'Total'],
      ['Beta Freight', '1000.00', '0.00', '0.00', '0.00', '500.00', '1500.00'],
      ['Harbour Supplies', '0.00', '306.00', '110.00', '30.00', '0.00', '446.00'],
      ['Total', '1000.00', '306.00', '110.00', '30.00', '500.00', '1946.00'],
    ])
    const xlsx = await download(t, '/api/v1/reports/ap-aging?asOf=2026-03-15&format=xlsx')
    expect(xlsx.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer)
    const values: unknown[] = []
    workbook.worksheets[0]!.eachRow(row => values.push(...(row.values as unknown[])))
    expect(values).toContain('Harbour Supplies')
    expect(values).toContain(1946)
    const pdf = await download(t, '/api/v1/reports/ap-aging?asOf=2026-03-15&format=pdf')
    expect(pdf.status).toBe(200)
    const text = pdfText(pdf.body)
    expect(text).toContain('Aged payables')
    expect(text).toMatch(/Total\s+1,000\.00\s+306\.00\s+110\.00\s+30\.00\s+500\.00\s+1,946\.00/)
  })

  it('a vendor\'s drill-down as a file lists its open bills', async () => {
    const csv = await download(t, `/api/v1/reports/ap-aging?asOf=2026-03-15&vendorId=${ids.harbour}&format=csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="ap-aging-2026-03-15-vendor.csv"')
    const rows = csvRows(csv.body)
    expect(rows[0]).toEqual(['Type', 'Number', 'Date', 'Due', 'Days past due', 'Bucket', 'Currency', 'Open', 'Open (base)'])
    expect(rows.slice(1).map(r => [r[0], r[5], r[6], r[7], r[8]])).toEqual([
      ['Bill', '61–90', 'USD', '30.00', '30.00'],
      ['Bill', '31–60', 'USD', '110.00', '110.00'],
      ['Bill', '1–30', 'EUR', '55.00', '66.00'],
      ['Bill', '1–30', 'USD', '240.00', '240.00'],
      ['Total', '', '', '', '446.00'],
    ])
  })

  it('as an export job: the same file as the route\'s; another tenant\'s vendor is 404 at request time', async () => {
    const queued = await ok(t.asOwner.post('/api/v1/exports', { json: { report: 'ap-aging', format: 'csv', params: { asOf: '2026-03-15' } } }), 202)
    let job = queued
    for (let i = 0; i < 300 && job.status !== 'done' && job.status !== 'failed'; i++) {
      await new Promise(r => setTimeout(r, 200))
      job = await ok(t.asOwner.get(`/api/v1/exports/${queued.id}`), 200)
    }
    expect(job).toMatchObject({ status: 'done', report: 'ap-aging', filename: 'ap-aging-2026-03-15.csv' })
    const file = await download(t, job.downloadUrl)
    const direct = await download(t, '/api/v1/reports/ap-aging?asOf=2026-03-15&format=csv')
    expect(file.body.equals(direct.body)).toBe(true)
    const refused = await t.asOwner.post('/api/v1/exports', { json: { report: 'ap-aging', format: 'csv', params: { vendorId: ids.otherVendor } } })
    status(refused, 404)
  })

  it('vendor statement and tax summary as files', async () => {
    const csv = await download(t, `/api/v1/vendors/${ids.harbour}/statement?from=2026-02-01&to=2026-03-31&format=csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="statement-HARBOUR-2026-02-01-to-2026-03-31.csv"')
    const rows = csvRows(csv.body)
    expect(rows.at(1)).toEqual(['', 'Opening balance', '', '', '', '', '140.00'])
    expect(rows.at(2)?.slice(1, 2)).toEqual(['Bill'])
    expect(rows.at(-1)).toEqual(['', 'Closing balance', '', '', '', '', '446.00'])
    const xlsx = await download(t, `/api/v1/vendors/${ids.harbour}/statement?from=2026-02-01&to=2026-03-31&format=xlsx`)
    expect(xlsx.status).toBe(200)
    const pdf = await download(t, `/api/v1/vendors/${ids.harbour}/statement?from=2026-02-01&to=2026-03-31&format=pdf`)
    expect(pdf.status).toBe(200)
    expect(pdfText(pdf.body)).toMatch(/Closing balance\s+446\.00/)
    const tax = await download(t, '/api/v1/reports/tax-summary?from=2026-01-01&to=2026-03-31&format=csv')
    expect(tax.status).toBe(200)
    expect(csvRows(tax.body).slice(-2)).toEqual([
      ['', 'Total', '', '300.00', '30.00', '1203.33', '223.67'],
      ['', 'Net tax (sales − purchases)', '', '', '-193.67', '', ''],
    ])
    const taxPdf = await download(t, '/api/v1/reports/tax-summary?from=2026-01-01&to=2026-03-31&format=pdf')
    expect(pdfText(taxPdf.body)).toMatch(/Total\s+300\.00\s+30\.00\s+1,203\.33\s+223\.67/)
  })
})
