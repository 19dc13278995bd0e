/**
 * The dashboard summary (`GET /api/v1/dashboard`): one answer with every figure the dashboard
 * shows, each equal to the report it links to, served from the ledger-versioned report cache.
 *
 * Worked by hand (standard chart, fiscal year from January):
 *   2026-09-01  capital 10,000          Dr 1000 Cash 10,000   Cr 3000 Capital 10,000
 *   2026-10-15  service revenue 1,000   Dr 1000 Cash 1,000    Cr 4100 Service revenue 1,000
 *   2026-11-05  service revenue 3,000   Dr 1000 Cash 3,000    Cr 4100 Service revenue 3,000
 *   2026-11-10  rent 800                Dr 6100 Rent 800      Cr 1000 Cash 800
 *   2026-11-25  wages 500 (after asOf)  Dr 6000 Wages 500     Cr 1000 Cash 500
 * As of 2026-11-20, three months: September 0 / 0 / 0; October revenue 1,000.00, expenses 0.00,
 * net 1,000.00; November 1–20 revenue 3,000.00, expenses 800.00, net 2,200.00; cash
 * 10,000 + 1,000 + 3,000 − 800 = 13,200.00 (the wages of the 25th are after the date).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { linesOf, postEntry } from '../support/ledger'

let t: TestTenant

beforeAll(async () => {
  t = await createTenant({ prefix: 'dash', chartOfAccounts: 'standard' })
  await postEntry(t.asOwner, { date: '2026-09-01', memo: 'Capital', lines: linesOf([['1000', '10000', ''], ['3000', '', '10000']]) })
  await postEntry(t.asOwner, { date: '2026-10-15', memo: 'Service', lines: linesOf([['1000', '1000', ''], ['4100', '', '1000']]) })
  await postEntry(t.asOwner, { date: '2026-11-05', memo: 'Service', lines: linesOf([['1000', '3000', ''], ['4100', '', '3000']]) })
  await postEntry(t.asOwner, { date: '2026-11-10', memo: 'Rent', lines: linesOf([['6100', '800', ''], ['1000', '', '800']]) })
  await postEntry(t.asOwner, { date: '2026-11-25', memo: 'Wages', lines: linesOf([['6000', '500', ''], ['1000', '', '500']]) })
})

describe('GET /api/v1/dashboard', () => {
  it('answers cash and the last months\' income as worked by hand', async () => {
    const res = await t.asOwner.get('/api/v1/dashboard?asOf=2026-11-20&months=3')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      asOf: '2026-11-20',
      currency: 'USD',
      cash: '13200.00',
      months: [
        { month: '2026-09', from: '2026-09-01', to: '2026-09-30', revenue: '0.00', expenses: '0.00', netIncome: '0.00' },
        { month: '2026-10', from: '2026-10-01', to: '2026-10-31', revenue: '1000.00', expenses: '0.00', netIncome: '1000.00' },
        { month: '2026-11', from: '2026-11-01', to: '2026-11-20', revenue: '3000.00', expenses: '800.00', netIncome: '2200.00' },
      ],
      receivables: { total: '0.00', overdue: '0.00', current: '0.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' },
      payables: { total: '0.00', overdue: '0.00', current: '0.00', days1to30: '0.00', days31to60: '0.00', days61to90: '0.00', over90: '0.00' },
    })
  })

  it('agrees with the income statement of each month and the cash-flow statement\'s closing cash', async () => {
    const res = await t.asOwner.get('/api/v1/dashboard?asOf=2026-11-30&months=12')
    expect(res.status).toBe(200)
    expect(res.body.months).toHaveLength(12)
    expect(res.body.months[0].month).toBe('2025-12')
    for (const m of res.body.months) {
      const statement = await t.asOwner.get(`/api/v1/reports/income-statement?from=${m.from}&to=${m.to}`)
      expect([m.revenue, m.expenses, m.netIncome], m.month).toEqual([statement.body.revenue.total, statement.body.expenses.total, statement.body.netIncome])
    }
    const flow = await t.asOwner.get('/api/v1/reports/cash-flow?from=2026-01-01&to=2026-11-30')
    expect(res.body.cash).toBe(flow.body.closingCash)
    expect(res.body.cash).toBe('12700.00')
  })

  it('is served from the report cache until the ledger changes', async () => {
    const path = '/api/v1/dashboard?asOf=2026-12-31&months=2'
    const first = await t.asOwner.get(path)
    const second = await t.asOwner.get(path)
    expect([first.headers.get('x-report-cache'), second.headers.get('x-report-cache')]).toEqual(['miss', 'hit'])
    expect(second.body).toEqual(first.body)
    await postEntry(t.asOwner, { date: '2026-12-02', memo: 'Service', lines: linesOf([['1000', '250', ''], ['4100', '', '250']]) })
    const after = await t.asOwner.get(path)
    expect(after.headers.get('x-report-cache')).toBe('miss')
    expect(after.body.months[1]).toMatchObject({ month: '2026-12', revenue: '250.00', netIncome: '250.00' })
    expect(after.body.cash).toBe('12950.00')
  })

  it('crosses a year boundary and defaults to twelve months', async () => {
    const res = await t.asOwner.get('/api/v1/dashboard?asOf=2026-02-28')
    expect(res.status).toBe(200)
    expect(res.body.months.map((m: { month: string }) => m.month)).toEqual([
      '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02',
    ])
    expect(res.body.months.at(-1)).toMatchObject({ from: '2026-02-01', to: '2026-02-28' })
  })

  it.each([
    ['months=0'], ['months=25'], ['months=abc'], ['months=1.5'], ['asOf=2026-02-30'], ['asOf=3000-01-01'], ['asOf=20261130'],
  ])('refuses %s with a 400 naming the field', async (query) => {
    const res = await t.asOwner.get(`/api/v1/dashboard?${query}`)
    expect(res.status).toBe(400)
    expect(res.body.data.fields).toHaveProperty(query.split('=')[0]!)
  })

  it('needs a signed-in member of the tenant', async () => {
    const other = await createTenant({ prefix: 'dash' })
    const res = await t.asOwner.get('/api/v1/dashboard')
    expect(res.status).toBe(200)
    const foreign = await other.asOwner.get('/api/v1/dashboard?asOf=2026-11-20&months=3')
    expect(foreign.status).toBe(200)
    expect(foreign.body.cash).toBe('0.00')
    const anonymous = await t.asOwner.get('/api/v1/dashboard', { token: '' })
    expect(anonymous.status).toBe(401)
  })

  /*
   * Receivables (a tenant of their own, so the figures above stay as worked): as of 2026-11-20,
   *   INV A 2026-10-01 due 10-11, 100.00 → 40 days past due (31–60), less a receipt of 30.00 on
   *   11-18 allocated to it (at first unallocated, then allocated: no posting moves) → 70.00;
   *   INV B 2026-11-15 due 11-29, 50.00 → current. Total 120.00, overdue 70.00.
   */
  it('adds the receivables, fresh even when only an allocation moved them, equal to the aged receivables', async () => {
    const r = await createTenant({ prefix: 'dash', chartOfAccounts: 'standard' })
    const accounts = Object.fromEntries(((await r.asOwner.get('/api/v1/accounts')).body.data as { code: string, id: string }[]).map(a => [a.code, a.id]))
    const customerId = (await r.asOwner.post('/api/v1/customers', { json: { name: 'Dash Customer' } })).body.id
    const invoice = async (date: string, dueDate: string, unitPrice: string) => {
      const res = await r.asOwner.post('/api/v1/invoices', { json: { customerId, date, dueDate, amountsAre: 'exclusive', issue: true, lines: [{ description: 'Work', quantity: '1', unitPrice, accountId: accounts['4100'] }] } })
      expect(res.status, res.text).toBe(201)
      return res.body.id as string
    }
    const a = await invoice('2026-10-01', '2026-10-11', '100.00')
    await invoice('2026-11-15', '2026-11-29', '50.00')
    const receipt = await r.asOwner.post('/api/v1/receipts', { json: { customerId, date: '2026-11-18', amount: '30.00', depositAccountId: accounts['1010'] } })
    expect(receipt.status, receipt.text).toBe(201)
    const path = '/api/v1/dashboard?asOf=2026-11-20&months=1'
    const before = await r.asOwner.get(path)
    // the unallocated receipt is a credit of its own date (2 days: 1–30)
    expect(before.body.receivables).toEqual({ total: '120.00', overdue: '70.00', current: '50.00', days1to30: '-30.00', days31to60: '100.00', days61to90: '0.00', over90: '0.00' })
    const allocated = await r.asOwner.post(`/api/v1/receipts/${receipt.body.id}/allocations`, { json: { invoiceId: a, amount: '30.00', date: '2026-11-18' } })
    expect(allocated.status, allocated.text).toBe(201)
    const after = await r.asOwner.get(path)
    expect(after.headers.get('x-report-cache')).toBe('hit')
    expect(after.body.receivables).toEqual({ total: '120.00', overdue: '70.00', current: '50.00', days1to30: '0.00', days31to60: '70.00', days61to90: '0.00', over90: '0.00' })
    const aging = await r.asOwner.get('/api/v1/reports/ar-aging?asOf=2026-11-20')
    expect(after.body.receivables).toMatchObject(aging.body.totals)
    // without ar:read the dashboard has no receivables
    const apClerk = await addMember(r, ['ap_clerk'])
    const clerk = await apClerk.client.get(path)
    expect(clerk.status).toBe(200)
    expect(clerk.body.receivables).toBeNull()
  })

  /*
   * Payables (a tenant of their own): as of 2026-11-20, BILL A 2026-10-01 due 10-11, 100.00 → 40 days
   *   past due (31–60); BILL B 2026-11-15 due 11-29, 50.00 → current; a draft of 999.00 counts for
   *   nothing. Total 150.00, overdue 100.00.
   */
  it('adds the payables, equal to the aged payables, for members with ap:read only', async () => {
    const p = await createTenant({ prefix: 'dashap', chartOfAccounts: 'standard' })
    const accounts = Object.fromEntries(((await p.asOwner.get('/api/v1/accounts')).body.data as { code: string, id: string }[]).map(a => [a.code, a.id]))
    expect((await p.asOwner.patch('/api/v1/settings', { json: { billApprovalThreshold: '10000' } })).status).toBe(200)
    const vendorId = (await p.asOwner.post('/api/v1/vendors', { json: { name: 'Dash Vendor' } })).body.id
    const bill = async (date: string, dueDate: string, unitPrice: string, submit = true) => {
      const res = await p.asOwner.post('/api/v1/bills', { json: { vendorId, date, dueDate, vendorReference: `D-${date}-${unitPrice}`, amountsAre: 'exclusive', submit, lines: [{ description: 'Supplies', quantity: '1', unitPrice, accountId: accounts['6300'] }] } })
      expect(res.status, res.text).toBe(201)
    }
    await bill('2026-10-01', '2026-10-11', '100.00')
    await bill('2026-11-15', '2026-11-29', '50.00')
    await bill('2026-11-16', '2026-11-30', '999.00', false)
    const path = '/api/v1/dashboard?asOf=2026-11-20&months=1'
    const res = await p.asOwner.get(path)
    expect(res.status, res.text).toBe(200)
    expect(res.body.payables).toEqual({ total: '150.00', overdue: '100.00', current: '50.00', days1to30: '0.00', days31to60: '100.00', days61to90: '0.00', over90: '0.00' })
    expect(res.body.payables).toMatchObject((await p.asOwner.get('/api/v1/reports/ap-aging?asOf=2026-11-20')).body.totals)
    // an AR clerk has no ap:read: no payables (and an AP clerk no receivables, above)
    const arClerk = await addMember(p, ['ar_clerk'])
    const clerk = await arClerk.client.get(path)
    expect(clerk.status).toBe(200)
    expect(clerk.body.payables).toBeNull()
    expect(clerk.body.receivables).not.toBeNull()
  })
})
