/**
 * Statements as accountants read them (SPEC 6.4): the income statement by section with gross and
 * operating profit, comparative columns with variance and variance %, the balance sheet compared
 * with another date, zero rows hidden unless asked for, and the files carrying all of it.
 *
 * The books (standard chart, fiscal year from January), worked by hand:
 *
 *   November 2025                               October 2026
 *   11-01 Inventory contributed 5,000           10-01 Owner invests 20,000    Dr 1000 Cr 3000
 *         Dr 1200 Cr 3000                       10-05 Inventory 8,000          Dr 1200 Cr 1000
 *   11-10 Sales 4,000        Dr 1000 Cr 4000    10-10 Sales 5,000              Dr 1000 Cr 4000
 *   11-10 COGS 1,600         Dr 5000 Cr 1200    10-10 COGS 2,000               Dr 5000 Cr 1200
 *   11-20 Rent 1,000         Dr 6100 Cr 1000    10-15 Rent 1,000               Dr 6100 Cr 1000
 *                                               10-31 Interest expense 50      Dr 7000 Cr 1000
 *   November 2026
 *   11-05 Sales 6,000 Dr 1000 Cr 4000; COGS 2,700 Dr 5000 Cr 1200; 11-15 Rent 1,000 Dr 6100 Cr 1000;
 *   11-30 Depreciation 250 Dr 6600 Cr 1510; Interest income 30 Dr 1000 Cr 4900.
 *
 * Income statement                Nov 2026   Oct 2026 (previous period)     Nov 2025 (previous year)
 *   Revenue (4000)                  6,000    5,000  +1,000   20.0%          4,000  +2,000   50.0%
 *   Cost of sales (5000)            2,700    2,000    +700   35.0%          1,600  +1,100   68.8% (68.75, half up)
 *   Gross profit                    3,300    3,000    +300   10.0%          2,400    +900   37.5%
 *   Rent (6100)                     1,000    1,000       0    0.0%          1,000       0    0.0%
 *   Depreciation (6600)               250        0    +250       —              0    +250       —
 *   Operating expenses              1,250    1,000    +250   25.0%          1,000    +250   25.0%
 *   Operating profit                2,050    2,000     +50    2.5%          1,400    +650   46.4% (46.43)
 *   Other income: interest (4900)      30        0     +30       —              0     +30       —
 *   Other expenses: interest (7000)     0       50     −50 −100.0%     (zero both: hidden)
 *   Net income                      2,080    1,950    +130    6.7%          1,400    +680   48.6% (48.57)
 *   (6.67: 130 ÷ 1,950)
 *
 * Balance sheet                   2026-11-30   2026-10-31
 *   Cash 1000                        23,980       18,950   +5,030   26.5%  (2025: 4,000 − 1,000;
 *                                                                          Oct: +20,000 − 8,000 + 5,000 − 1,000 − 50; Nov: +6,000 − 1,000 + 30)
 *   Inventory 1200                    6,700        9,400   −2,700  −28.7%  (5,000 − 1,600 + 8,000 − 2,000 − 2,700)
 *   Acc. depreciation 1510             −250            0     −250       —
 *   Total assets                     30,430       28,350   +2,080    7.3%
 *   Capital 3000                     25,000       25,000        0    0.0%
 *   Retained earnings (prior years)   1,400        1,400        0    0.0%  (FY 2025 net income)
 *   Current-year earnings             4,030        1,950   +2,080  106.7%  (1,950 + 2,080)
 *   Total liabilities and equity     30,430       28,350   +2,080    7.3%
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { type Leg, linesOf, postEntry } from '../support/ledger'
import { parseCsv } from '../support/csv'

const post = (t: TestTenant, date: string, memo: string, legs: Leg[]) => postEntry(t.asOwner, { date, memo, lines: linesOf(legs) })

/** `[code or name, amount, comparative, variance, variance %]` of a section's rows. */
const compared = (section: any) => section.rows.map((r: any) => [r.code ?? r.name, r.amount, r.comparison?.amount, r.comparison?.variance, r.comparison?.variancePercent])
const figure = (f: any) => [f.amount, f.comparison?.amount, f.comparison?.variance, f.comparison?.variancePercent]

describe('statements as accountants read them', () => {
  let t: TestTenant
  const NOV = 'from=2026-11-01&to=2026-11-30'

  beforeAll(async () => {
    t = await createTenant({ prefix: 'stm', chartOfAccounts: 'standard' })
    await post(t, '2025-11-01', 'Inventory contributed', [['1200', '5000', ''], ['3000', '', '5000']])
    await post(t, '2025-11-10', 'Sales', [['1000', '4000', ''], ['4000', '', '4000']])
    await post(t, '2025-11-10', 'Cost of sales', [['5000', '1600', ''], ['1200', '', '1600']])
    await post(t, '2025-11-20', 'Rent', [['6100', '1000', ''], ['1000', '', '1000']])
    await post(t, '2026-10-01', 'Owner investment', [['1000', '20000', ''], ['3000', '', '20000']])
    await post(t, '2026-10-05', 'Inventory bought', [['1200', '8000', ''], ['1000', '', '8000']])
    await post(t, '2026-10-10', 'Sales', [['1000', '5000', ''], ['4000', '', '5000']])
    await post(t, '2026-10-10', 'Cost of sales', [['5000', '2000', ''], ['1200', '', '2000']])
    await post(t, '2026-10-15', 'Rent', [['6100', '1000', ''], ['1000', '', '1000']])
    await post(t, '2026-10-31', 'Loan interest', [['7000', '50', ''], ['1000', '', '50']])
    await post(t, '2026-11-05', 'Sales', [['1000', '6000', ''], ['4000', '', '6000']])
    await post(t, '2026-11-05', 'Cost of sales', [['5000', '2700', ''], ['1200', '', '2700']])
    await post(t, '2026-11-15', 'Rent', [['6100', '1000', ''], ['1000', '', '1000']])
    await post(t, '2026-11-30', 'Depreciation', [['6600', '250', ''], ['1510', '', '250']])
    await post(t, '2026-11-30', 'Bank interest', [['1000', '30', ''], ['4900', '', '30']])
  })

  it('income statement: sections by subtype, gross profit 3,300, operating profit 2,050, net income 2,080; the first layout unchanged', async () => {
    const res = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}`)
    expect(res.status, res.text).toBe(200)
    const s = res.body.sections
    const rows = (section: any) => section.rows.map((r: any) => [r.code, r.amount])
    expect(rows(s.revenue)).toEqual([['4000', '6000.00']])
    expect(rows(s.costOfSales)).toEqual([['5000', '2700.00']])
    expect(rows(s.operatingExpenses)).toEqual([['6100', '1000.00'], ['6600', '250.00']])
    expect(s.operatingExpenses.total).toBe('1250.00')
    expect(rows(s.otherIncome)).toEqual([['4900', '30.00']])
    expect(s.otherExpenses).toEqual({ rows: [], total: '0.00' })
    expect(res.body.subtotals).toEqual({ grossProfit: { amount: '3300.00' }, operatingProfit: { amount: '2050.00' }, netIncome: { amount: '2080.00' } })
    expect(res.body.comparison).toBeUndefined()
    expect(s.revenue.rows[0].comparison).toBeUndefined()
    // The fields API clients already read: revenue and expenses by type, net income.
    expect(res.body.revenue.total).toBe('6030.00')
    expect(res.body.expenses.total).toBe('3950.00')
    expect(res.body.netIncome).toBe('2080.00')
  })

  it('compare=previous-period: October beside November, variance and variance % to one decimal', async () => {
    const res = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=previous-period`)
    expect(res.status, res.text).toBe(200)
    expect(res.body.comparison).toEqual({ basis: 'previous-period', from: '2026-10-01', to: '2026-10-31' })
    const s = res.body.sections
    expect(compared(s.revenue)).toEqual([['4000', '6000.00', '5000.00', '1000.00', '20.0']])
    expect(figure({ amount: s.revenue.total, comparison: s.revenue.totalComparison })).toEqual(['6000.00', '5000.00', '1000.00', '20.0'])
    expect(compared(s.costOfSales)).toEqual([['5000', '2700.00', '2000.00', '700.00', '35.0']])
    expect(compared(s.operatingExpenses)).toEqual([['6100', '1000.00', '1000.00', '0.00', '0.0'], ['6600', '250.00', '0.00', '250.00', null]])
    expect(s.operatingExpenses.totalComparison).toEqual({ amount: '1000.00', variance: '250.00', variancePercent: '25.0' })
    expect(compared(s.otherIncome)).toEqual([['4900', '30.00', '0.00', '30.00', null]])
    // Zero this month but not last: shown, so the comparative column adds up.
    expect(compared(s.otherExpenses)).toEqual([['7000', '0.00', '50.00', '-50.00', '-100.0']])
    expect(figure(res.body.subtotals.grossProfit)).toEqual(['3300.00', '3000.00', '300.00', '10.0'])
    expect(figure(res.body.subtotals.operatingProfit)).toEqual(['2050.00', '2000.00', '50.00', '2.5'])
    expect(figure(res.body.subtotals.netIncome)).toEqual(['2080.00', '1950.00', '130.00', '6.7'])
    // The first layout's comparative comes along.
    expect(res.body.comparative).toMatchObject({ from: '2026-10-01', to: '2026-10-31', netIncome: '1950.00' })
  })

  it('compare=previous-year: November 2025, rounding half up (68.75 → 68.8); a part-month range steps back by days', async () => {
    const res = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=previous-year`)
    expect(res.status, res.text).toBe(200)
    expect(res.body.comparison).toEqual({ basis: 'previous-year', from: '2025-11-01', to: '2025-11-30' })
    const s = res.body.sections
    expect(compared(s.revenue)).toEqual([['4000', '6000.00', '4000.00', '2000.00', '50.0']])
    expect(compared(s.costOfSales)).toEqual([['5000', '2700.00', '1600.00', '1100.00', '68.8']])
    expect(figure(res.body.subtotals.grossProfit)).toEqual(['3300.00', '2400.00', '900.00', '37.5'])
    expect(figure(res.body.subtotals.operatingProfit)).toEqual(['2050.00', '1400.00', '650.00', '46.4'])
    expect(figure(res.body.subtotals.netIncome)).toEqual(['2080.00', '1400.00', '680.00', '48.6'])
    // Interest expense is zero in both Novembers: hidden, unless zero rows are asked for.
    expect(s.otherExpenses.rows).toEqual([])
    const all = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=previous-year&includeZero=true`)
    expect(compared(all.body.sections.otherExpenses)).toEqual([['7000', '0.00', '0.00', '0.00', null], ['7900', '0.00', '0.00', '0.00', null], ['7910', '0.00', '0.00', '0.00', null]])

    const half = await t.asOwner.get('/api/v1/reports/income-statement?from=2026-11-16&to=2026-11-30&compare=previous-period')
    expect(half.body.comparison).toEqual({ basis: 'previous-period', from: '2026-11-01', to: '2026-11-15' })
    // 16–30 Nov: depreciation 250 and interest 30; 1–15 Nov: sales 6,000 − cost 2,700 − rent 1,000.
    expect(figure(half.body.subtotals.netIncome)).toEqual(['-220.00', '2300.00', '-2520.00', '-109.6'])
  })

  it('balance sheet compareAsOf: each row beside its amount at the other date', async () => {
    const res = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-11-30&compareAsOf=2026-10-31')
    expect(res.status, res.text).toBe(200)
    expect(compared(res.body.assets)).toEqual([
      ['1000', '23980.00', '18950.00', '5030.00', '26.5'],
      ['1200', '6700.00', '9400.00', '-2700.00', '-28.7'],
      ['1510', '-250.00', '0.00', '-250.00', null],
    ])
    expect(res.body.assets.totalComparison).toEqual({ amount: '28350.00', variance: '2080.00', variancePercent: '7.3' })
    expect(res.body.liabilities).toEqual({ rows: [], total: '0.00', totalComparison: { amount: '0.00', variance: '0.00', variancePercent: null } })
    expect(compared(res.body.equity)).toEqual([
      ['3000', '25000.00', '25000.00', '0.00', '0.0'],
      ['Retained earnings (prior years)', '1400.00', '1400.00', '0.00', '0.0'],
      ['Current-year earnings', '4030.00', '1950.00', '2080.00', '106.7'],
    ])
    expect(res.body.totalLiabilitiesAndEquity).toBe('30430.00')
    expect(res.body.comparison).toEqual({ asOf: '2026-10-31', fiscalYearStart: '2026-01-01', totalLiabilitiesAndEquity: { amount: '28350.00', variance: '2080.00', variancePercent: '7.3' } })

    const plain = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-11-30')
    expect(plain.body.comparison).toBeUndefined()
    expect(plain.body.assets.rows[0].comparison).toBeUndefined()
    expect(plain.body.assets.totalComparison).toBeUndefined()
  })

  it('files carry the sections, subtotals and comparative columns', async () => {
    const csv = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=previous-period&format=csv`)
    expect(csv.status, csv.text).toBe(200)
    const rows = parseCsv(csv.text)
    expect(rows[0]).toEqual(['Section', 'Code', 'Account', 'Amount', 'Comparative', 'Variance', 'Variance %'])
    expect(rows.slice(1)).toEqual([
      ['Revenue', '4000', 'Sales revenue', '6000.00', '5000.00', '1000.00', '20.0'],
      ['Revenue', '', 'Total revenue', '6000.00', '5000.00', '1000.00', '20.0'],
      ['Cost of sales', '5000', 'Cost of goods sold', '2700.00', '2000.00', '700.00', '35.0'],
      ['Cost of sales', '', 'Total cost of sales', '2700.00', '2000.00', '700.00', '35.0'],
      ['', '', 'Gross profit', '3300.00', '3000.00', '300.00', '10.0'],
      ['Operating expenses', '6100', 'Rent expense', '1000.00', '1000.00', '0.00', '0.0'],
      ['Operating expenses', '6600', 'Depreciation expense', '250.00', '0.00', '250.00', ''],
      ['Operating expenses', '', 'Total operating expenses', '1250.00', '1000.00', '250.00', '25.0'],
      ['', '', 'Operating profit', '2050.00', '2000.00', '50.00', '2.5'],
      ['Other income', '4900', 'Interest income', '30.00', '0.00', '30.00', ''],
      ['Other income', '', 'Total other income', '30.00', '0.00', '30.00', ''],
      ['Other expenses', '7000', 'Interest expense', '0.00', '50.00', '-50.00', '-100.0'],
      ['Other expenses', '', 'Total other expenses', '0.00', '50.00', '-50.00', '-100.0'],
      ['', '', 'Net income', '2080.00', '1950.00', '130.00', '6.7'],
    ])
    const plain = parseCsv((await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&format=csv`)).text)
    expect(plain[0]).toEqual(['Section', 'Code', 'Account', 'Amount'])
    expect(plain.filter(r => r[0] === '').map(r => [r[2], r[3]])).toEqual([['Gross profit', '3300.00'], ['Operating profit', '2050.00'], ['Net income', '2080.00']])

    const bs = parseCsv((await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-11-30&compareAsOf=2026-10-31&format=csv')).text)
    expect(bs[0]).toEqual(['Section', 'Code', 'Account', 'Amount', 'Comparative', 'Variance', 'Variance %'])
    expect(bs.at(-1)).toEqual(['', '', 'Total liabilities and equity', '30430.00', '28350.00', '2080.00', '7.3'])
    for (const format of ['xlsx', 'pdf']) {
      const file = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=previous-year&format=${format}`)
      expect(file.status, format).toBe(200)
    }
  })

  it('bad input is 400: an unknown comparison, a comparative date that is not a date, compare with a range', async () => {
    const foo = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=foo`)
    expect(foo.status).toBe(400)
    expect(foo.body.data.fields).toHaveProperty('compare')
    const notDate = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-11-30&compareAsOf=yesterday')
    expect(notDate.status).toBe(400)
    expect(notDate.body.data.fields).toHaveProperty('compareAsOf')
    const both = await t.asOwner.get(`/api/v1/reports/income-statement?${NOV}&compare=previous-year&compareFrom=2026-10-01&compareTo=2026-10-31`)
    expect(both.status).toBe(400)
    expect(both.body.data.fields).toHaveProperty('compare')
    const exportBoth = await t.asOwner.post('/api/v1/exports', { json: { report: 'income-statement', format: 'csv', params: { from: '2026-11-01', to: '2026-11-30', compare: 'previous-year', compareFrom: '2026-10-01', compareTo: '2026-10-31' } } })
    expect(exportBoth.status).toBe(400)
  })
})
