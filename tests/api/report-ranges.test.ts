/**
 * Reports over ranges (issue 11, point 3): the general ledger of every account or a range of
 * codes in one report, and the income statement with a column per month or quarter.
 *
 * The books (standard chart, fiscal year from January), worked by hand:
 *
 *   2025-12-15 Owner invests 10,000      Dr 1000 Cr 3000
 *   2025-12-20 Inventory bought 5,000    Dr 1200 Cr 1000
 *   2026-01-10 Sales 3,000               Dr 1000 Cr 4000     COGS 1,200  Dr 5000 Cr 1200
 *   2026-01-20 Rent 800                  Dr 6100 Cr 1000
 *   2026-02-05 Sales 4,000               Dr 1000 Cr 4000     COGS 1,500  Dr 5000 Cr 1200
 *   2026-02-25 Rent 800                  Dr 6100 Cr 1000
 *   2026-02-28 Loan interest 20          Dr 7000 Cr 1000
 *   2026-04-10 Sales 1,000               Dr 1000 Cr 4000
 *
 * Income statement 2026-01-01..2026-06-30 by month
 *                      Jan     Feb    Mar    Apr    May    Jun    Total
 *   Revenue 4000     3,000   4,000      0  1,000      0      0    8,000
 *   COGS 5000        1,200   1,500      0      0      0      0    2,700
 *   Gross profit     1,800   2,500      0  1,000      0      0    5,300
 *   Rent 6100          800     800      0      0      0      0    1,600
 *   Operating profit 1,000   1,700      0  1,000      0      0    3,700
 *   Interest 7000        0      20      0      0      0      0       20
 *   Net income       1,000   1,680      0  1,000      0      0    3,680
 * By quarter: Q1 revenue 7,000, gross profit 4,300, net income 2,680; Q2 1,000, 1,000, 1,000.
 *
 * Balance sheet as of each month end, January to March 2026 (from the fiscal year's start):
 *                           Jan      Feb      Mar
 *   Cash 1000             7,200   10,380   10,380   (10,000 − 5,000 + 3,000 − 800; + 4,000 − 800 − 20)
 *   Inventory 1200        3,800    2,300    2,300
 *   Total assets         11,000   12,680   12,680
 *   Capital 3000         10,000   10,000   10,000
 *   Current-year earnings 1,000    2,680    2,680
 *   Total L + E          11,000   12,680   12,680
 * By quarter end as of 2026-04-15: Q1 12,680, then 15 Apr 13,680 (cash 11,380, earnings 3,680).
 *
 * General ledger 2026-01-01..2026-02-28, all accounts, in code order (14 lines):
 *   1000 Cash        opening  5,000 (10,000 − 5,000); +3,000 −800 +4,000 −800 −20 → closing 10,380 (5 lines)
 *   1200 Inventory   opening  5,000; −1,200 −1,500 → 2,300 (2 lines)
 *   3000 Capital     opening 10,000 (credit side), no lines → 10,000
 *   4000 Sales       0; 3,000, 4,000 → 7,000 (credit side)      5000 COGS 0 → 2,700
 *   6100 Rent        0 → 1,600                                   7000 Interest 0 → 20
 * Codes 4000..6999: 4000, 5000, 6100 (6 lines). Pages of 4 lines: page 2 holds Cash's 5th line
 * (balance 10,380), Inventory's two, Capital (no lines) and Sales' first.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { type Leg, linesOf, postEntry } from '../support/ledger'
import { parseCsv } from '../support/csv'

const post = (t: TestTenant, date: string, memo: string, legs: Leg[]) => postEntry(t.asOwner, { date, memo, lines: linesOf(legs) })
const H1 = 'from=2026-01-01&to=2026-06-30'
const JANFEB = 'from=2026-01-01&to=2026-02-28'

let t: TestTenant
let other: TestTenant

beforeAll(async () => {
  t = await createTenant({ prefix: 'rng', chartOfAccounts: 'standard' })
  other = await createTenant({ prefix: 'rngo', chartOfAccounts: 'standard' })
  await post(t, '2025-12-15', 'Owner investment', [['1000', '10000', ''], ['3000', '', '10000']])
  await post(t, '2025-12-20', 'Inventory bought', [['1200', '5000', ''], ['1000', '', '5000']])
  await post(t, '2026-01-10', 'Sales', [['1000', '3000', ''], ['4000', '', '3000']])
  await post(t, '2026-01-10', 'Cost of sales', [['5000', '1200', ''], ['1200', '', '1200']])
  await post(t, '2026-01-20', 'Rent', [['6100', '800', ''], ['1000', '', '800']])
  await post(t, '2026-02-05', 'Sales', [['1000', '4000', ''], ['4000', '', '4000']])
  await post(t, '2026-02-05', 'Cost of sales', [['5000', '1500', ''], ['1200', '', '1500']])
  await post(t, '2026-02-25', 'Rent', [['6100', '800', ''], ['1000', '', '800']])
  await post(t, '2026-02-28', 'Loan interest', [['7000', '20', ''], ['1000', '', '20']])
  await post(t, '2026-04-10', 'Sales', [['1000', '1000', ''], ['4000', '', '1000']])
})

/** `[label, revenue, gross profit, operating profit, net income]` of each column. */
const columnFigures = (body: any) => body.columns.periods.map((p: any) => [p.label, p.sections.revenue.total, p.subtotals.grossProfit.amount, p.subtotals.operatingProfit.amount, p.subtotals.netIncome.amount])

describe('income statement by month or quarter', () => {
  it('by month: each month as worked by hand; the total column is the single statement', async () => {
    const res = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=month`)
    expect(res.status, res.text).toBe(200)
    expect(res.body.columns.by).toBe('month')
    expect(res.body.columns.periods.map((p: any) => [p.from, p.to])).toEqual([
      ['2026-01-01', '2026-01-31'], ['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31'],
      ['2026-04-01', '2026-04-30'], ['2026-05-01', '2026-05-31'], ['2026-06-01', '2026-06-30'],
    ])
    expect(columnFigures(res.body)).toEqual([
      ['Jan 2026', '3000.00', '1800.00', '1000.00', '1000.00'],
      ['Feb 2026', '4000.00', '2500.00', '1700.00', '1680.00'],
      ['Mar 2026', '0.00', '0.00', '0.00', '0.00'],
      ['Apr 2026', '1000.00', '1000.00', '1000.00', '1000.00'],
      ['May 2026', '0.00', '0.00', '0.00', '0.00'],
      ['Jun 2026', '0.00', '0.00', '0.00', '0.00'],
    ])
    // Every column lists the same rows: interest is in January (zero) as in February.
    const jan = res.body.columns.periods[0]
    expect(jan.sections.otherExpenses.rows.map((r: any) => [r.code, r.amount])).toEqual([['7000', '0.00']])
    expect(res.body.columns.periods[1].sections.otherExpenses.rows.map((r: any) => [r.code, r.amount])).toEqual([['7000', '20.00']])
    expect(jan.sections.revenue.rows[0].drillDown).toMatchObject({ from: '2026-01-01', to: '2026-01-31' })

    const single = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}`)
    expect(single.status).toBe(200)
    expect(res.body.sections).toEqual(single.body.sections)
    expect(res.body.subtotals).toEqual(single.body.subtotals)
    expect(res.body.subtotals.netIncome.amount).toBe('3680.00')
    expect(single.body.columns).toBeUndefined()
  })

  it('by quarter, and months clipped to a range that starts and ends mid-month', async () => {
    const q = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=quarter`)
    expect(q.status, q.text).toBe(200)
    expect(columnFigures(q.body)).toEqual([
      ['Q1 2026', '7000.00', '4300.00', '2700.00', '2680.00'],
      ['Q2 2026', '1000.00', '1000.00', '1000.00', '1000.00'],
    ])
    const clipped = await t.asOwner.get('/api/v1/reports/income-statement?from=2026-01-15&to=2026-02-10&columns=month')
    expect(clipped.status).toBe(200)
    expect(clipped.body.columns.periods.map((p: any) => [p.label, p.from, p.to, p.sections.revenue.total, p.sections.operatingExpenses.total])).toEqual([
      ['15–31 Jan 2026', '2026-01-15', '2026-01-31', '0.00', '800.00'],
      ['1–10 Feb 2026', '2026-02-01', '2026-02-10', '4000.00', '0.00'],
    ])
  })

  it('files have a column per period and a Total column', async () => {
    const csv = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=quarter&format=csv`)
    expect(csv.status, csv.text).toBe(200)
    const rows = parseCsv(csv.text)
    expect(rows[0]).toEqual(['Section', 'Code', 'Account', 'Q1 2026', 'Q2 2026', 'Total'])
    expect(rows.find(r => r[2] === 'Gross profit')).toEqual(['', '', 'Gross profit', '4300.00', '1000.00', '5300.00'])
    expect(rows.find(r => r[2] === 'Net income')).toEqual(['', '', 'Net income', '2680.00', '1000.00', '3680.00'])
    expect(rows.find(r => r[1] === '7000')).toEqual(['Other expenses', '7000', 'Interest expense', '20.00', '0.00', '20.00'])
    for (const format of ['xlsx', 'pdf']) {
      const file = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=month&format=${format}`)
      expect(file.status, format).toBe(200)
      expect(String(file.headers.get('content-disposition'))).toContain('income-statement-2026-01-01-to-2026-06-30-by-month')
    }
  })

  it('bad columns are 400: an unknown period, with a comparison, more than 24 columns (in the route and in an export)', async () => {
    const week = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=week`)
    expect(week.status).toBe(400)
    expect(week.body.data.fields).toHaveProperty('columns')
    for (const compare of ['compare=previous-period', 'compareFrom=2025-01-01&compareTo=2025-06-30']) {
      const res = await t.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=month&${compare}`)
      expect(res.status, compare).toBe(400)
      expect(res.body.data.fields).toHaveProperty('columns')
    }
    const long = await t.asOwner.get('/api/v1/reports/income-statement?from=2020-01-01&to=2026-12-31&columns=month')
    expect(long.status).toBe(400)
    expect(long.body.data.fields.columns).toContain('at most 24')
    expect((await t.asOwner.get('/api/v1/reports/income-statement?from=2021-01-01&to=2026-12-31&columns=quarter')).status).toBe(200)
    const exportLong = await t.asOwner.post('/api/v1/exports', { json: { report: 'income-statement', format: 'pdf', params: { from: '2020-01-01', to: '2026-12-31', columns: 'month' } } })
    expect(exportLong.status).toBe(400)
    expect(exportLong.body.data.fields).toHaveProperty(['params.columns'])
    const exportCompared = await t.asOwner.post('/api/v1/exports', { json: { report: 'income-statement', format: 'csv', params: { from: '2026-01-01', to: '2026-06-30', columns: 'month', compare: 'previous-year' } } })
    expect(exportCompared.status).toBe(400)
  })
})

describe('balance sheet as of each month or quarter end', () => {
  const column = (body: any, pick: (p: any) => string) => body.columns.periods.map(pick)
  const row = (p: any, code: string) => p.assets.rows.concat(p.liabilities.rows, p.equity.rows).find((r: any) => (r.code ?? r.subtype) === code)?.amount

  it('by month end from the fiscal year\'s start; the last column is the balance sheet as of the date', async () => {
    const res = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31&columns=month')
    expect(res.status, res.text).toBe(200)
    expect(res.body.columns).toMatchObject({ by: 'month', from: '2026-01-01' })
    expect(column(res.body, p => p.label)).toEqual(['Jan 2026', 'Feb 2026', 'Mar 2026'])
    expect(column(res.body, p => p.asOf)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31'])
    expect(column(res.body, p => row(p, '1000'))).toEqual(['7200.00', '10380.00', '10380.00'])
    expect(column(res.body, p => row(p, '1200'))).toEqual(['3800.00', '2300.00', '2300.00'])
    expect(column(res.body, p => p.assets.total)).toEqual(['11000.00', '12680.00', '12680.00'])
    expect(column(res.body, p => row(p, 'current_earnings'))).toEqual(['1000.00', '2680.00', '2680.00'])
    expect(column(res.body, p => p.totalLiabilitiesAndEquity)).toEqual(['11000.00', '12680.00', '12680.00'])
    const single = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31')
    for (const key of ['assets', 'liabilities', 'equity', 'totalLiabilitiesAndEquity']) expect(res.body[key], key).toEqual(single.body[key])

    const q = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-04-15&columns=quarter&from=2026-01-01')
    expect(q.status, q.text).toBe(200)
    expect(column(q.body, p => p.label)).toEqual(['Q1 2026', '15 Apr 2026'])
    expect(column(q.body, p => p.totalLiabilitiesAndEquity)).toEqual(['12680.00', '13680.00'])

    const csv = parseCsv((await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31&columns=month&format=csv')).text)
    expect(csv[0]).toEqual(['Section', 'Code', 'Account', 'Jan 2026', 'Feb 2026', 'Mar 2026'])
    expect(csv.at(-1)).toEqual(['', '', 'Total liabilities and equity', '11000.00', '12680.00', '12680.00'])
    expect((await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31&columns=month&format=pdf')).status).toBe(200)
  })

  it('bad columns are 400: with compareAsOf, a from without columns, a from after the date', async () => {
    for (const query of ['columns=month&compareAsOf=2025-12-31', 'from=2026-01-01', 'columns=month&from=2026-05-01']) {
      const res = await t.asOwner.get(`/api/v1/reports/balance-sheet?asOf=2026-03-31&${query}`)
      expect(res.status, query).toBe(400)
    }
    const exported = await t.asOwner.post('/api/v1/exports', { json: { report: 'balance-sheet', format: 'csv', params: { asOf: '2026-03-31', from: '2026-01-01' } } })
    expect(exported.status).toBe(400)
  })
})

/** `[code, opening, line count, closing]` of each account section. */
const sections = (body: any) => body.accounts.map((s: any) => [s.account.code, s.openingBalance, s.lineCount, s.closingBalance])

describe('general ledger of every account or a range of codes', () => {
  it('all accounts: each with an opening balance or lines, in code order, as worked by hand', async () => {
    const res = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}`)
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ from: '2026-01-01', to: '2026-02-28', fromCode: null, toCode: null, total: 14, accountCount: 7, page: 1 })
    expect(sections(res.body)).toEqual([
      ['1000', '5000.00', 5, '10380.00'],
      ['1200', '5000.00', 2, '2300.00'],
      ['3000', '10000.00', 0, '10000.00'],
      ['4000', '0.00', 2, '7000.00'],
      ['5000', '0.00', 2, '2700.00'],
      ['6100', '0.00', 2, '1600.00'],
      ['7000', '0.00', 1, '20.00'],
    ])
    const cash = res.body.accounts[0]
    expect(cash.account.normalBalance).toBe('debit')
    expect(cash.rows.map((r: any) => [r.date, r.debit, r.credit, r.balance])).toEqual([
      ['2026-01-10', '3000.00', '0.00', '8000.00'],
      ['2026-01-20', '0.00', '800.00', '7200.00'],
      ['2026-02-05', '4000.00', '0.00', '11200.00'],
      ['2026-02-25', '0.00', '800.00', '10400.00'],
      ['2026-02-28', '0.00', '20.00', '10380.00'],
    ])
    expect(res.body.accounts[3].account.normalBalance).toBe('credit')
    expect(res.body.accounts[3].rows.map((r: any) => r.balance)).toEqual(['3000.00', '7000.00'])
  })

  it('a range of codes, and pages of lines across accounts', async () => {
    const range = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&fromCode=4000&toCode=6999`)
    expect(range.status, range.text).toBe(200)
    expect(range.body).toMatchObject({ fromCode: '4000', toCode: '6999', total: 6, accountCount: 3 })
    expect(sections(range.body).map((s: any[]) => s[0])).toEqual(['4000', '5000', '6100'])
    const openEnded = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&fromCode=6000`)
    expect(sections(openEnded.body).map((s: any[]) => s[0])).toEqual(['6100', '7000'])

    const page2 = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&pageSize=4&page=2`)
    expect(page2.status, page2.text).toBe(200)
    expect(page2.body.accounts.map((s: any) => [s.account.code, s.firstLine, s.rows.length])).toEqual([
      ['1000', 5, 1], ['1200', 1, 2], ['3000', 1, 0], ['4000', 1, 1],
    ])
    // The running balance carries across pages; opening and closing are the account's own.
    expect(page2.body.accounts[0]).toMatchObject({ openingBalance: '5000.00', closingBalance: '10380.00' })
    expect(page2.body.accounts[0].rows[0].balance).toBe('10380.00')
    const page4 = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&pageSize=4&page=4`)
    expect(page4.body.accounts.map((s: any) => [s.account.code, s.firstLine, s.rows.length])).toEqual([['6100', 2, 1], ['7000', 1, 1]])
    const pagesTogether = await Promise.all([1, 2, 3, 4].map(p => t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&pageSize=4&page=${p}`)))
    expect(pagesTogether.reduce((n, p) => n + p.body.accounts.reduce((m: number, s: any) => m + s.rows.length, 0), 0)).toBe(14)
  })

  it('one account (accountId) answers as before', async () => {
    const accounts = await t.asOwner.get('/api/v1/accounts')
    const cash = (accounts.body.data as { id: string, code: string }[]).find(a => a.code === '1000')!
    const res = await t.asOwner.get(`/api/v1/reports/general-ledger?accountId=${cash.id}&${JANFEB}`)
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ account: { code: '1000' }, openingBalance: '5000.00', closingBalance: '10380.00', total: 5 })
    expect(res.body.accounts).toBeUndefined()
  })

  it('files: each account a section with opening, lines and closing; the export streams the same file', async () => {
    const csv = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&fromCode=4000&toCode=6999&format=csv`)
    expect(csv.status, csv.text).toBe(200)
    expect(String(csv.headers.get('content-disposition'))).toContain('general-ledger-4000-to-6999-2026-01-01-to-2026-02-28.csv')
    const rows = parseCsv(csv.text)
    expect(rows[0]).toEqual(['Account', 'Date', 'Number', 'Memo', 'Debit', 'Credit', 'Balance'])
    expect(rows.slice(1).map(r => [r[0]!.split(' ')[0], r[1], r[3], r[4], r[5], r[6]])).toEqual([
      ['4000', '', 'Opening balance', '', '', '0.00'],
      ['4000', '2026-01-10', 'Sales', '0.00', '3000.00', '3000.00'],
      ['4000', '2026-02-05', 'Sales', '0.00', '4000.00', '7000.00'],
      ['4000', '', 'Closing balance', '', '', '7000.00'],
      ['5000', '', 'Opening balance', '', '', '0.00'],
      ['5000', '2026-01-10', 'Cost of sales', '1200.00', '0.00', '1200.00'],
      ['5000', '2026-02-05', 'Cost of sales', '1500.00', '0.00', '2700.00'],
      ['5000', '', 'Closing balance', '', '', '2700.00'],
      ['6100', '', 'Opening balance', '', '', '0.00'],
      ['6100', '2026-01-20', 'Rent', '800.00', '0.00', '800.00'],
      ['6100', '2026-02-25', 'Rent', '800.00', '0.00', '1600.00'],
      ['6100', '', 'Closing balance', '', '', '1600.00'],
    ])
    for (const format of ['xlsx', 'pdf']) {
      const file = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&format=${format}`)
      expect(file.status, format).toBe(200)
    }

    const requested = await t.asOwner.post('/api/v1/exports', { json: { report: 'general-ledger', format: 'csv', params: { fromCode: '4000', toCode: '6999', from: '2026-01-01', to: '2026-02-28' } } })
    expect(requested.status, requested.text).toBe(202)
    let done: any
    for (let i = 0; i < 300; i++) {
      done = (await t.asOwner.get(`/api/v1/exports/${requested.body.id}`)).body
      if (done.status === 'done' || done.status === 'failed') break
      await new Promise(r => setTimeout(r, 200))
    }
    expect(done).toMatchObject({ status: 'done', filename: 'general-ledger-4000-to-6999-2026-01-01-to-2026-02-28.csv' })
    const streamed = await t.asOwner.get(done.downloadUrl)
    expect(streamed.text).toBe(csv.text)
  })

  it('bad code ranges are 400 (route and export); another tenant sees none of these figures', async () => {
    const reversed = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&fromCode=6000&toCode=4000`)
    expect(reversed.status).toBe(400)
    expect(reversed.body.data.fields).toHaveProperty('fromCode')
    const notCode = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&fromCode=${encodeURIComponent('40 00!')}`)
    expect(notCode.status).toBe(400)
    expect(notCode.body.data.fields).toHaveProperty('fromCode')
    const accounts = await t.asOwner.get('/api/v1/accounts')
    const cashId = (accounts.body.data as { id: string, code: string }[]).find(a => a.code === '1000')!.id
    const both = await t.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}&accountId=${cashId}&fromCode=1000`)
    expect(both.status).toBe(400)
    expect(both.body.data.fields).toHaveProperty('fromCode')
    const exportReversed = await t.asOwner.post('/api/v1/exports', { json: { report: 'general-ledger', format: 'csv', params: { fromCode: '6000', toCode: '4000', to: '2026-02-28' } } })
    expect(exportReversed.status).toBe(400)
    expect(exportReversed.body.data.fields).toHaveProperty(['params.fromCode'])

    const theirs = await other.asOwner.get(`/api/v1/reports/general-ledger?${JANFEB}`)
    expect(theirs.status).toBe(200)
    expect(theirs.body).toMatchObject({ accounts: [], total: 0, accountCount: 0 })
    const theirColumns = await other.asOwner.get(`/api/v1/reports/income-statement?${H1}&columns=month`)
    expect(theirColumns.status).toBe(200)
    expect(theirColumns.body.columns.periods.every((p: any) => p.subtotals.netIncome.amount === '0.00' && p.sections.revenue.rows.length === 0)).toBe(true)
    expect((await other.asOwner.get(`/api/v1/reports/general-ledger?accountId=${cashId}&${JANFEB}`)).status).toBe(404)
  })
})
