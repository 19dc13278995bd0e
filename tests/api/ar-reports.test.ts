/**
 * The receivables reports through the real server (SPEC §5 `reports/ar-aging`,
 * `customers/{id}/statement`, `reports/tax-summary`; issue 12 point 7). Every document, receipt and
 * allocation is made through the API. Base currency USD; VAT10 (10 %) and GP12 (GST 5 % + PST 7 %).
 *
 * Acme:
 *   INV1 2026-01-05, due 01-15: 100.00 + VAT 10.00 = 110.00
 *   INV2 2026-02-01, due 03-03: 200.00 + GST 10.00 + PST 14.00 = 224.00
 *   INV3 2026-02-10, due 02-20: EUR 50.00 (no tax) at 1.2 = 60.00 base
 *   CN1  2026-02-15: 20.00 + VAT 2.00 = 22.00, left unallocated
 *   R1   2026-02-20: 100.00, 60.00 to INV1 (02-20); the other 40.00 to INV2 dated 03-20
 *   R2   2026-03-20: EUR 50.00 at 1.25 = 62.50 base, all to INV3 (60.00 base): realised FX 2.50
 * Beta:
 *   INV4 2026-03-01, due 03-31: 1,000.00 inclusive of GP12: tax 1000 × 12/112 = 107.14
 *        (GST 44.64, PST 62.50 by largest remainder), net 892.86
 *   INV5 2026-03-25, due 04-24: 10.00 + VAT 1.00 = 11.00, voided on 2026-04-02
 *
 * Aging on 2026-03-15 (days past due; credits by their date):
 *   Acme  INV1 open 110 − 60 = 50.00, 59 days → 31–60; INV2 224.00, 12 days → 1–30 (R1's 40.00 to it
 *         is dated 03-20, after); INV3 60.00, 23 days → 1–30; CN1 −22.00 (28 days) and R1's
 *         unallocated 40.00 on that date (23 days) → 1–30.  1–30 = 224 + 60 − 22 − 40 = 222.00,
 *         31–60 = 50.00, total 272.00
 *   Beta  INV4 1,000.00, due in 16 days → current.  Totals: 1,000.00 / 222.00 / 50.00 = 1,272.00
 * Aging on 2026-02-12: Acme INV1 110.00 (28 days, 1–30), INV2 224.00 and INV3 60.00 current → 394.00;
 *   Beta has nothing yet.
 * Aging on 2026-03-31: Beta INV4 1,000.00 (0 days) + INV5 11.00 current (voided only on 04-02);
 *   on 2026-04-05 INV5 is gone.
 *
 * Statement of Acme 2026-02-01..2026-03-31: opening 110.00 (INV1); INV2 +224 → 334.00; INV3 +60 →
 *   394.00; CN1 −22 → 372.00; R1 −100 → 272.00; R2 −62.50 → 209.50; FX difference +2.50 → 212.00 =
 *   the customer's balance (INV1 50 + INV2 184 − CN1 22).
 *
 * Tax summary 2026-01-01..2026-03-31: VAT10 net 100 − 20 + 10 = 90.00, tax 10 − 2 + 1 = 9.00;
 *   GP12 net 200 + 892.86 = 1,092.86, tax 24 + 107.14 = 131.14; total tax 140.14. April: INV5's void
 *   reverses it there: VAT10 net −10.00, tax −1.00.
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

const line = (unitPrice: string, taxRateId: string | null | undefined, over: Json = {}) => ({ description: 'Work', quantity: '1', unitPrice, accountId: acc['4100'], taxRateId, ...over })
const invoice = (c: Client, json: Json) => ok(c.post('/api/v1/invoices', { json: { amountsAre: 'exclusive', issue: true, ...json } }))

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  const c = t.asOwner
  Object.assign(acc, Object.fromEntries(((await c.get('/api/v1/accounts')).body.data as Json[]).map(a => [a.code, a.id])))
  acc['2110'] = (await createAccount(c, { code: '2110', name: 'PST payable', type: 'liability', subtype: 'tax_payable' })).id
  ids.vat = (await ok(c.post('/api/v1/tax-rates', { json: { code: 'VAT10', name: 'VAT 10%', rate: '10', scope: 'sales' } }))).id
  ids.gp = (await ok(c.post('/api/v1/tax-rates', { json: { code: 'GP12', name: 'GST + PST', scope: 'sales', components: [{ name: 'GST', rate: '5', accountId: acc['2100'] }, { name: 'PST', rate: '7', accountId: acc['2110'] }] } }))).id
  ids.acme = (await ok(c.post('/api/v1/customers', { json: { name: 'Acme Ltd' } }))).id
  ids.beta = (await ok(c.post('/api/v1/customers', { json: { name: 'Beta Corp' } }))).id
  ids.otherCustomer = (await ok(other.asOwner.post('/api/v1/customers', { json: { name: 'Elsewhere' } }))).id

  ids.inv1 = (await invoice(c, { customerId: ids.acme, date: '2026-01-05', dueDate: '2026-01-15', lines: [line('100.00', ids.vat)] })).id
  ids.inv2 = (await invoice(c, { customerId: ids.acme, date: '2026-02-01', dueDate: '2026-03-03', lines: [line('200.00', ids.gp)] })).id
  ids.inv3 = (await invoice(c, { customerId: ids.acme, date: '2026-02-10', dueDate: '2026-02-20', currency: 'EUR', exchangeRate: '1.2', lines: [line('50.00', null)] })).id
  ids.cn1 = (await ok(c.post('/api/v1/credit-notes', { json: { customerId: ids.acme, date: '2026-02-15', amountsAre: 'exclusive', issue: true, lines: [line('20.00', ids.vat)] } }))).id
  const r1 = await ok(c.post('/api/v1/receipts', { json: { customerId: ids.acme, date: '2026-02-20', amount: '100.00', depositAccountId: acc['1010'], reference: 'BACS 1', allocations: [{ invoiceId: ids.inv1, amount: '60.00' }] } }))
  ids.r1 = r1.id
  await ok(c.post(`/api/v1/receipts/${ids.r1}/allocations`, { json: { invoiceId: ids.inv2, amount: '40.00', date: '2026-03-20' } }))
  ids.r2 = (await ok(c.post('/api/v1/receipts', { json: { customerId: ids.acme, date: '2026-03-20', amount: '50.00', currency: 'EUR', exchangeRate: '1.25', depositAccountId: acc['1010'], allocations: [{ invoiceId: ids.inv3, amount: '50.00' }] } }))).id
  ids.inv4 = (await invoice(c, { customerId: ids.beta, date: '2026-03-01', dueDate: '2026-03-31', amountsAre: 'inclusive', lines: [line('1000.00', ids.gp)] })).id
  ids.inv5 = (await invoice(c, { customerId: ids.beta, date: '2026-03-25', dueDate: '2026-04-24', lines: [line('10.00', ids.vat)] })).id
  await ok(c.post(`/api/v1/invoices/${ids.inv5}/void`, { json: { date: '2026-04-02' } }), 200)
}, 120_000)

const zero = { current: '0.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' }

describe('aged receivables', () => {
  it('buckets each customer\'s open amounts on 2026-03-15 (worked in the header)', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/ar-aging?asOf=2026-03-15'), 200)
    expect(r).toMatchObject({
      asOf: '2026-03-15', currency: 'USD',
      rows: [
        { customerId: ids.acme, name: 'Acme Ltd', ...zero, days1to30: '222.00', days31to60: '50.00', total: '272.00' },
        { customerId: ids.beta, name: 'Beta Corp', ...zero, current: '1000.00', total: '1000.00' },
      ],
      totals: { current: '1000.00', days1to30: '222.00', days31to60: '50.00', days61to90: '0.00', over90: '0.00', total: '1272.00' },
    })
    expect(r.documents).toBeUndefined()
  })

  it('is the ledger of an earlier date too: 2026-02-12, before the receipt and credit note', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/ar-aging?asOf=2026-02-12'), 200)
    expect(r.rows).toEqual([{ customerId: ids.acme, name: 'Acme Ltd', ...zero, current: '284.00', days1to30: '110.00', total: '394.00' }])
    expect(r.totals).toEqual({ ...zero, current: '284.00', days1to30: '110.00', total: '394.00' })
  })

  it('counts a void from its void date', async () => {
    const before = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=2026-03-31&customerId=${ids.beta}`), 200)
    expect(before.rows).toEqual([{ customerId: ids.beta, name: 'Beta Corp', ...zero, current: '1011.00', total: '1011.00' }])
    const after = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=2026-04-05&customerId=${ids.beta}`), 200)
    expect(after.rows[0]).toMatchObject({ days1to30: '1000.00', total: '1000.00' })
    expect(after.documents.map((d: Json) => d.id)).toEqual([ids.inv4])
  })

  it('drills into a customer: its open documents, oldest due first', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=2026-03-15&customerId=${ids.acme}`), 200)
    expect(r.customerId).toBe(ids.acme)
    expect(r.rows).toHaveLength(1)
    expect(r.totals.total).toBe('272.00')
    expect(r.documents.map((d: Json) => [d.kind, d.dueDate, d.daysPastDue, d.bucket, d.openAmount, d.currency, d.openBase])).toEqual([
      ['invoice', '2026-01-15', 59, 'days31to60', '50.00', 'USD', '50.00'],
      ['credit_note', null, 28, 'days1to30', '-22.00', 'USD', '-22.00'],
      ['invoice', '2026-02-20', 23, 'days1to30', '50.00', 'EUR', '60.00'],
      ['receipt', null, 23, 'days1to30', '-40.00', 'USD', '-40.00'],
      ['invoice', '2026-03-03', 12, 'days1to30', '224.00', 'USD', '224.00'],
    ])
    expect(r.documents[0]).toMatchObject({ id: ids.inv1, date: '2026-01-05', number: expect.stringMatching(/^INV-/) })
  })

  it('today\'s aging totals equal the customers\' balances', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/ar-aging'), 200)
    const acme = await ok(t.asOwner.get(`/api/v1/customers/${ids.acme}`), 200)
    expect(acme.balance).toBe('212.00')
    expect(r.rows.length).toBeGreaterThanOrEqual(2)
    for (const row of r.rows) expect(row.total, row.name).toBe((await ok(t.asOwner.get(`/api/v1/customers/${row.customerId}`), 200)).balance)
  })

  it('counts an allocation until the void of its receipt released it', async () => {
    // Gamma: INV 2026-05-01 due 05-31 of 100.00, paid on 05-10 by a receipt voided on 05-20
    const gamma = (await ok(t.asOwner.post('/api/v1/customers', { json: { name: 'Gamma Inc' } }))).id
    const inv = (await invoice(t.asOwner, { customerId: gamma, date: '2026-05-01', dueDate: '2026-05-31', lines: [line('100.00', null)] })).id
    const receipt = await ok(t.asOwner.post('/api/v1/receipts', { json: { customerId: gamma, date: '2026-05-10', amount: '100.00', depositAccountId: acc['1010'], allocations: [{ invoiceId: inv, amount: '100.00' }] } }))
    await ok(t.asOwner.post(`/api/v1/receipts/${receipt.id}/void`, { json: { date: '2026-05-20' } }), 200)
    const paid = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=2026-05-15&customerId=${gamma}`), 200)
    expect([paid.rows, paid.documents]).toEqual([[], []])
    const open = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=2026-05-25&customerId=${gamma}`), 200)
    expect(open.rows).toEqual([{ customerId: gamma, name: 'Gamma Inc', ...zero, current: '100.00', total: '100.00' }])
    const statement = await ok(t.asOwner.get(`/api/v1/customers/${gamma}/statement?from=2026-05-01&to=2026-05-31`), 200)
    expect(statement.rows.map((row: Json) => [row.date, row.type, row.charges, row.payments, row.balance])).toEqual([
      ['2026-05-01', 'invoice', '100.00', '0.00', '100.00'],
      ['2026-05-10', 'receipt', '0.00', '100.00', '0.00'],
      ['2026-05-20', 'receipt_void', '100.00', '0.00', '100.00'],
    ])
    expect(statement.closingBalance).toBe((await ok(t.asOwner.get(`/api/v1/customers/${gamma}`), 200)).balance)
  })

  it('each customer\'s row is the sum of its drill-down\'s open documents, bucket by bucket, on every date (FX, voids, releases, later allocations)', async () => {
    const customers = ((await ok(t.asOwner.get('/api/v1/customers?pageSize=100'), 200)).data as Json[]).map(c => c.id as string)
    const buckets = ['current', 'days1to30', 'days31to60', 'days61to90', 'over90'] as const
    for (const asOf of ['2026-01-10', '2026-02-12', '2026-02-20', '2026-03-15', '2026-03-19', '2026-03-20', '2026-03-31', '2026-04-05', '2026-05-09', '2026-05-15', '2026-05-25']) {
      const all = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=${asOf}`), 200)
      for (const customerId of customers) {
        const one = await ok(t.asOwner.get(`/api/v1/reports/ar-aging?asOf=${asOf}&customerId=${customerId}`), 200)
        // Base amounts have two places here (USD): compared in cents, exactly.
        const cents = (v: string) => BigInt(v.replace('.', ''))
        const sums = Object.fromEntries(buckets.map(b => [b, (one.documents as Json[]).filter(d => d.bucket === b).reduce((s, d) => s + cents(d.openBase), 0n)]))
        const row = (all.rows as Json[]).find(r => r.customerId === customerId)
        if (buckets.every(b => sums[b] === 0n)) expect(row, `${asOf} ${customerId}`).toBeUndefined()
        else for (const b of buckets) expect(cents(row?.[b] ?? '0'), `${asOf} ${customerId} ${b}`).toBe(sums[b])
        expect(one.rows, `${asOf} ${customerId}`).toEqual(row ? [row] : [])
      }
    }
  })

  it('refuses bad dates (400) and another tenant\'s customer (404)', async () => {
    status(await t.asOwner.get('/api/v1/reports/ar-aging?asOf=2026-02-30'), 400)
    status(await t.asOwner.get('/api/v1/reports/ar-aging?asOf=yesterday'), 400)
    status(await t.asOwner.get('/api/v1/reports/ar-aging?customerId=nope'), 400)
    const r = await t.asOwner.get(`/api/v1/reports/ar-aging?customerId=${ids.otherCustomer}`)
    status(r, 404)
    expect(r.body.data.code).toBe('NOT_FOUND')
  })
})

describe('customer statement', () => {
  it('runs from the opening balance to the customer\'s balance, the realised FX difference included', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/customers/${ids.acme}/statement?from=2026-02-01&to=2026-03-31`), 200)
    expect(r).toMatchObject({ customer: { id: ids.acme, name: 'Acme Ltd' }, currency: 'USD', from: '2026-02-01', to: '2026-03-31', openingBalance: '110.00', closingBalance: '212.00' })
    expect(r.rows.map((row: Json) => [row.date, row.type, row.charges, row.payments, row.balance])).toEqual([
      ['2026-02-01', 'invoice', '224.00', '0.00', '334.00'],
      ['2026-02-10', 'invoice', '60.00', '0.00', '394.00'],
      ['2026-02-15', 'credit_note', '0.00', '22.00', '372.00'],
      ['2026-02-20', 'receipt', '0.00', '100.00', '272.00'],
      ['2026-03-20', 'receipt', '0.00', '62.50', '209.50'],
      ['2026-03-20', 'fx_difference', '2.50', '0.00', '212.00'],
    ])
    expect(r.rows[3]).toMatchObject({ id: ids.r1, reference: 'BACS 1' })
    expect(r.rows[5]).toMatchObject({ id: ids.inv3 })
    const customer = await ok(t.asOwner.get(`/api/v1/customers/${ids.acme}`), 200)
    expect(r.closingBalance).toBe(customer.balance)
  })

  it('shows a void on its date: Beta in April', async () => {
    const r = await ok(t.asOwner.get(`/api/v1/customers/${ids.beta}/statement?from=2026-04-01&to=2026-04-30`), 200)
    expect(r.openingBalance).toBe('1011.00')
    expect(r.rows.map((row: Json) => [row.date, row.type, row.payments])).toEqual([['2026-04-02', 'invoice_void', '11.00']])
    expect(r.closingBalance).toBe('1000.00')
  })

  it('refuses bad dates (400), another tenant\'s customer (404), and needs ar:read', async () => {
    status(await t.asOwner.get(`/api/v1/customers/${ids.acme}/statement?from=2026-03-01&to=2026-02-01`), 400)
    status(await t.asOwner.get(`/api/v1/customers/${ids.acme}/statement?from=2026-02-31&to=2026-03-01`), 400)
    status(await t.asOwner.get(`/api/v1/customers/${ids.acme}/statement?to=2026-03-01`), 400)
    status(await t.asOwner.get(`/api/v1/customers/${ids.otherCustomer}/statement?from=2026-01-01&to=2026-03-01`), 404)
    status(await other.asOwner.get(`/api/v1/customers/${ids.acme}/statement?from=2026-01-01&to=2026-03-01`), 404)
    const apClerk = await addMember(t, ['ap_clerk'])
    status(await apClerk.client.get(`/api/v1/customers/${ids.acme}/statement?from=2026-01-01&to=2026-03-01`), 403)
    status(await apClerk.client.get('/api/v1/reports/ar-aging'), 403)
  })
})

describe('tax summary', () => {
  it('sums each rate over the documents issued in the range, credit notes negative (a group one row, an inclusive line)', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/tax-summary?from=2026-01-01&to=2026-03-31'), 200)
    expect(r.rows).toEqual([
      { taxRateId: ids.gp, code: 'GP12', name: 'GST + PST', rate: '12', salesNet: '1092.86', salesTax: '131.14', purchasesNet: '0.00', purchasesTax: '0.00' },
      { taxRateId: ids.vat, code: 'VAT10', name: 'VAT 10%', rate: '10', salesNet: '90.00', salesTax: '9.00', purchasesNet: '0.00', purchasesTax: '0.00' },
    ])
    expect(r.totals).toEqual({ salesNet: '1182.86', salesTax: '140.14', purchasesNet: '0.00', purchasesTax: '0.00', net: '140.14' })
  })

  it('reverses a void in the period of its void date', async () => {
    const r = await ok(t.asOwner.get('/api/v1/reports/tax-summary?from=2026-04-01&to=2026-04-30'), 200)
    expect(r.rows.map((row: Json) => [row.code, row.salesNet, row.salesTax])).toEqual([['VAT10', '-10.00', '-1.00']])
    expect(r.totals.net).toBe('-1.00')
  })

  it('refuses a reversed or missing range (400)', async () => {
    status(await t.asOwner.get('/api/v1/reports/tax-summary?from=2026-04-01&to=2026-03-01'), 400)
    status(await t.asOwner.get('/api/v1/reports/tax-summary?from=2026-04-01'), 400)
  })
})

describe('files', () => {
  it('aging CSV carries the figures; XLSX opens; the PDF shows the totals', async () => {
    const csv = await download(t, '/api/v1/reports/ar-aging?asOf=2026-03-15&format=csv')
    expect(csv.status).toBe(200)
    expect(csv.headers['content-disposition']).toBe('attachment; filename="ar-aging-2026-03-15.csv"')
    expect(parseCsv(csv.body.toString('utf8')).filter(r => r.length > 1)).toEqual([
      ['Customer', 'Current', '1–30', '31–60', '61–90', 'Over 90', 'Total'],
      ['Acme Ltd', '0.00', '222.00', '50.00', '0.00', '0.00', '272.00'],
      ['Beta Corp', '1000.00', '0.00', '0.00', '0.00', '0.00', '1000.00'],
      ['Total', '1000.00', '222.00', '50.00', '0.00', '0.00', '1272.00'],
    ])
    const xlsx = await download(t, '/api/v1/reports/ar-aging?asOf=2026-03-15&format=xlsx')
    expect(xlsx.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer)
    const values: unknown[] = []
    workbook.worksheets[0]!.eachRow(row => values.push(...(row.values as unknown[])))
    expect(values).toContain('Acme Ltd')
    expect(values).toContain(1272)
    const pdf = await download(t, '/api/v1/reports/ar-aging?asOf=2026-03-15&format=pdf')
    expect(pdf.status).toBe(200)
    const text = pdfText(pdf.body)
    expect(text).toContain('Aged receivables')
    expect(text).toMatch(/Total\s+1,000\.00\s+222\.00\s+50\.00\s+1,272\.00/)
  })

  it('a customer\'s drill-down as a file lists its open documents', async () => {
    const csv = await download(t, `/api/v1/reports/ar-aging?asOf=2026-03-15&customerId=${ids.acme}&format=csv`)
    expect(csv.status).toBe(200)
    const rows = parseCsv(csv.body.toString('utf8')).filter(r => r.length > 1)
    expect(rows[0]).toEqual(['Type', 'Number', 'Date', 'Due', 'Days past due', 'Bucket', 'Currency', 'Open', 'Open (base)'])
    expect(rows.slice(1).map(r => [r[0], r[5], r[7], r[8]])).toEqual([
      ['Invoice', '31–60', '50.00', '50.00'],
      ['Credit note', '1–30', '-22.00', '-22.00'],
      ['Invoice', '1–30', '50.00', '60.00'],
      ['Receipt', '1–30', '-40.00', '-40.00'],
      ['Invoice', '1–30', '224.00', '224.00'],
      ['Total', '', '', '272.00'],
    ])
  })

  it('statement and tax summary as files', async () => {
    const csv = await download(t, `/api/v1/customers/${ids.acme}/statement?from=2026-02-01&to=2026-03-31&format=csv`)
    expect(csv.status).toBe(200)
    const rows = parseCsv(csv.body.toString('utf8')).filter(r => r.length > 1)
    expect(rows.at(1)).toEqual(['', 'Opening balance', '', '', '', '', '110.00'])
    expect(rows.at(-1)).toEqual(['', 'Closing balance', '', '', '', '', '212.00'])
    const pdf = await download(t, `/api/v1/customers/${ids.acme}/statement?from=2026-02-01&to=2026-03-31&format=pdf`)
    expect(pdf.status).toBe(200)
    expect(pdfText(pdf.body)).toMatch(/Closing balance\s+212\.00/)
    const tax = await download(t, '/api/v1/reports/tax-summary?from=2026-01-01&to=2026-03-31&format=pdf')
    expect(tax.status).toBe(200)
    expect(pdfText(tax.body)).toMatch(/Total\s+1,182\.86\s+140\.14/)
  })
})
