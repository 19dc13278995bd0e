/**
 * The cash-flow statement (SPEC 6.4, IAS 7 / ASC 230) on a textbook year posted through the API:
 * each entry's cash attributed through its own lines, operating activities by the indirect
 * method reconciled to that cash, disposal proceeds gross in investing, and a noncash exchange
 * disclosed below the statement.
 *
 * Standard chart (fiscal year from January), plus 1700 Land (fixed_asset), 2600 Note payable
 * (loan) and 4800 Gain on sale of equipment (other_income).
 *
 * 2025 (before the period):
 *   2025-12-15  owner invests 20,000          Dr 1000 Cash 20,000          Cr 3000 Capital 20,000
 *   2025-12-20  equipment bought 10,000       Dr 1500 Equipment 10,000     Cr 1000 Cash 10,000
 *   Cash at 2026-01-01: 20,000 − 10,000 = 10,000.
 *
 * 2026 (the period):
 *    1  02-01  sales on account 50,000       Dr 1100 AR 50,000            Cr 4000 Sales 50,000
 *    2  03-01  cash sales 30,000             Dr 1000 Cash 30,000          Cr 4000 Sales 30,000
 *    3  04-01  collected from customers      Dr 1000 Cash 42,000          Cr 1100 AR 42,000
 *    4  05-01  inventory on account 20,000   Dr 1200 Inventory 20,000     Cr 2000 AP 20,000
 *    5  06-01  cost of goods sold 15,000     Dr 5000 COGS 15,000          Cr 1200 Inventory 15,000
 *    6  06-15  suppliers paid 17,000         Dr 2000 AP 17,000            Cr 1000 Cash 17,000
 *    7  06-30  depreciation 2,000            Dr 6600 Depreciation 2,000   Cr 1510 Acc. depr. 2,000
 *    8  07-01  wages paid 25,000             Dr 6000 Wages 25,000         Cr 1000 Cash 25,000
 *    9  07-15  bank loan taken 15,000        Dr 1010 Bank 15,000          Cr 2500 Bank loan 15,000
 *   10  08-01  loan instalment 3,600         Dr 2500 Bank loan 3,000, Dr 7000 Interest 600; Cr 1010 Bank 3,600
 *   11  09-01  equipment sold at a gain      Dr 1000 Cash 3,000, Dr 1510 Acc. depr. 1,500;
 *              (cost 4,000, carrying          Cr 1500 Equipment 4,000, Cr 4800 Gain 500
 *              amount 2,500, proceeds 3,000)
 *   12  10-01  land bought for a note        Dr 1700 Land 40,000          Cr 2600 Note payable 40,000
 *   13  11-01  dividends paid 4,000          Dr 3200 Dividends 4,000      Cr 1000 Cash 4,000
 *   14  12-31  depreciation 1,000            Dr 6600 Depreciation 1,000   Cr 1510 Acc. depr. 1,000
 *   15  12-31  wages accrued 2,000           Dr 6000 Wages 2,000          Cr 2210 Wages payable 2,000
 *
 * Net income: revenue 50,000 + 30,000 + 500 (gain) = 80,500; expenses 15,000 (COGS) + 27,000
 *   (wages) + 600 (interest) + 3,000 (depreciation) = 45,600; net income 34,900.
 *
 * Cash attributed entry by entry: operating 30,000 + 42,000 − 17,000 − 25,000 − 600 (the
 *   interest of entry 10, its other line being financing) = 29,400; investing +3,000 (entry 11:
 *   every other line of it is investing, the gain included); financing +15,000 − 3,000 − 4,000
 *   = 8,000. Net change 29,400 + 3,000 + 8,000 = 40,400.
 *
 * Statement of cash flows, 2026-01-01 to 2026-12-31:
 *   Operating activities
 *     Net income                                        34,900
 *     4800 Gain on sale of equipment (to investing)       −500
 *     6600 Depreciation expense                          3,000
 *     1100 Increase in accounts receivable              −8,000   (50,000 − 42,000)
 *     1200 Increase in inventory                        −5,000   (20,000 − 15,000)
 *     2000 Increase in accounts payable                  3,000   (20,000 − 17,000)
 *     2210 Increase in wages payable                     2,000
 *     Net cash from operating activities                29,400   = the cash attributed above
 *   Investing activities
 *     1500 Proceeds from sale of Equipment               3,000   (gross; the 500 gain is out of operating)
 *     Net cash from investing activities                 3,000
 *   Financing activities
 *     2500 Proceeds from Bank loan                      15,000
 *     2500 Repayment of Bank loan                       −3,000
 *     3200 Dividends paid                               −4,000
 *     Net cash from financing activities                 8,000
 *   Net change in cash                                  40,400
 *   Cash at the beginning of the period                 10,000
 *   Cash at the end of the period                       50,400   (1000: 39,000; 1010: 11,400)
 *   Noncash investing and financing activities
 *     Land bought for a note (entry 12 of 2026-10-01)   40,000   (in no section: no cash moved)
 * The depreciation entries move no cash either but exchange nothing: they are not disclosed.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { createAccount, keepReceivablesByHand, type Leg, linesOf, postEntry } from '../support/ledger'
import { parseCsv } from '../support/csv'

let t: TestTenant
let land: { id: string, number: number }
const ids = new Map<string, string>()

const post = (date: string, memo: string, legs: Leg[]) => postEntry(t.asOwner, { date, memo, lines: linesOf(legs) })
const figures = (section: { rows: { code: string | null, name: string, amount: string }[] }) => section.rows.map(r => [r.code ?? r.name, r.name, r.amount])

beforeAll(async () => {
  t = await createTenant({ prefix: 'cfs', chartOfAccounts: 'standard' })
  await keepReceivablesByHand(t.asOwner)
  await createAccount(t.asOwner, { code: '1700', name: 'Land', type: 'asset', subtype: 'fixed_asset' })
  await createAccount(t.asOwner, { code: '2600', name: 'Note payable', type: 'liability', subtype: 'loan' })
  await createAccount(t.asOwner, { code: '4800', name: 'Gain on sale of equipment', type: 'revenue', subtype: 'other_income' })
  await post('2025-12-15', 'Owner investment', [['1000', '20000', ''], ['3000', '', '20000']])
  await post('2025-12-20', 'Equipment bought', [['1500', '10000', ''], ['1000', '', '10000']])

  await post('2026-02-01', 'Sales on account', [['1100', '50000', ''], ['4000', '', '50000']])
  await post('2026-03-01', 'Cash sales', [['1000', '30000', ''], ['4000', '', '30000']])
  await post('2026-04-01', 'Collected from customers', [['1000', '42000', ''], ['1100', '', '42000']])
  await post('2026-05-01', 'Inventory on account', [['1200', '20000', ''], ['2000', '', '20000']])
  await post('2026-06-01', 'Cost of goods sold', [['5000', '15000', ''], ['1200', '', '15000']])
  await post('2026-06-15', 'Suppliers paid', [['2000', '17000', ''], ['1000', '', '17000']])
  await post('2026-06-30', 'Depreciation, first half', [['6600', '2000', ''], ['1510', '', '2000']])
  await post('2026-07-01', 'Wages paid', [['6000', '25000', ''], ['1000', '', '25000']])
  await post('2026-07-15', 'Bank loan taken', [['1010', '15000', ''], ['2500', '', '15000']])
  await post('2026-08-01', 'Loan instalment', [['2500', '3000', ''], ['7000', '600', ''], ['1010', '', '3600']])
  await post('2026-09-01', 'Equipment sold', [['1000', '3000', ''], ['1510', '1500', ''], ['1500', '', '4000'], ['4800', '', '500']])
  land = await post('2026-10-01', 'Land bought for a note', [['1700', '40000', ''], ['2600', '', '40000']])
  await post('2026-11-01', 'Dividends paid', [['3200', '4000', ''], ['1000', '', '4000']])
  await post('2026-12-31', 'Depreciation, second half', [['6600', '1000', ''], ['1510', '', '1000']])
  await post('2026-12-31', 'Wages accrued', [['6000', '2000', ''], ['2210', '', '2000']])
  const list = await t.asOwner.get('/api/v1/accounts')
  for (const a of list.body.data as { id: string, code: string }[]) ids.set(a.code, a.id)
})

describe('cash-flow statement of a textbook year', () => {
  it('presents every line as worked by hand', async () => {
    const res = await t.asOwner.get('/api/v1/reports/cash-flow?from=2026-01-01&to=2026-12-31')
    expect(res.status, res.text).toBe(200)
    const b = res.body
    expect(b).toMatchObject({ from: '2026-01-01', to: '2026-12-31', currency: 'USD', netIncome: '34900.00' })
    expect(figures(b.operating)).toEqual([
      ['Net income', 'Net income', '34900.00'],
      ['4800', 'Gain on sale of equipment', '-500.00'],
      ['6600', 'Depreciation expense', '3000.00'],
      ['1100', 'Accounts receivable', '-8000.00'],
      ['1200', 'Inventory', '-5000.00'],
      ['2000', 'Accounts payable', '3000.00'],
      ['2210', 'Wages payable', '2000.00'],
    ])
    expect(b.operating.total).toBe('29400.00')
    expect(figures(b.investing)).toEqual([['1500', 'Proceeds from sale of Equipment', '3000.00']])
    expect(b.investing.total).toBe('3000.00')
    expect(figures(b.financing)).toEqual([
      ['2500', 'Proceeds from Bank loan', '15000.00'],
      ['2500', 'Repayment of Bank loan', '-3000.00'],
      ['3200', 'Dividends paid', '-4000.00'],
    ])
    expect(b.financing.total).toBe('8000.00')
    expect(b).toMatchObject({ netChange: '40400.00', openingCash: '10000.00', closingCash: '50400.00' })
    expect(b.noncashActivities).toEqual([
      { date: '2026-10-01', entryId: land.id, number: land.number, memo: 'Land bought for a note', amount: '40000.00' },
    ])
    expect(land.number).toBe(12)
    // Every account row drills down to its account over the period.
    expect(b.investing.rows[0].drillDown).toEqual({ accountId: ids.get('1500'), from: '2026-01-01', to: '2026-12-31' })
  })

  it('agrees with the income statement, the balance sheets and the dashboard', async () => {
    const is = await t.asOwner.get('/api/v1/reports/income-statement?from=2026-01-01&to=2026-12-31')
    expect(is.body.netIncome).toBe('34900.00')
    const cashOf = (bs: any) => bs.assets.rows.filter((r: any) => r.subtype === 'cash' || r.subtype === 'bank').reduce((s: number, r: any) => s + Math.round(Number(r.amount) * 100), 0)
    const [opening, closing] = await Promise.all([
      t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2025-12-31'), t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-12-31'),
    ])
    expect([cashOf(opening.body), cashOf(closing.body)]).toEqual([1_000_000, 5_040_000])
    const dashboard = await t.asOwner.get('/api/v1/dashboard?asOf=2026-12-31&months=1')
    expect(dashboard.body.cash).toBe('50400.00')
  })

  it('a period of the noncash exchange alone has empty sections and the disclosure', async () => {
    // Cash in October: the year's 50,400 before the 4,000 of dividends paid in November.
    const res = await t.asOwner.get('/api/v1/reports/cash-flow?from=2026-10-01&to=2026-10-31')
    expect(res.body).toMatchObject({
      netIncome: '0.00', operating: { rows: [{ name: 'Net income', amount: '0.00' }], total: '0.00' },
      investing: { rows: [], total: '0.00' }, financing: { rows: [], total: '0.00' },
      netChange: '0.00', openingCash: '54400.00', closingCash: '54400.00',
    })
    expect(res.body.noncashActivities.map((n: any) => n.memo)).toEqual(['Land bought for a note'])
    const depreciation = await t.asOwner.get('/api/v1/reports/cash-flow?from=2026-06-30&to=2026-06-30')
    expect(depreciation.body.noncashActivities).toEqual([])
    expect(figures(depreciation.body.operating)).toEqual([['Net income', 'Net income', '-2000.00'], ['6600', 'Depreciation expense', '2000.00']])
  })

  it('the file carries the same lines and the disclosure below the statement', async () => {
    const res = await t.asOwner.get('/api/v1/reports/cash-flow?from=2026-01-01&to=2026-12-31&format=csv')
    expect(res.status).toBe(200)
    const rows = parseCsv(res.text)
    expect(rows.find(r => r[2] === 'Proceeds from sale of Equipment')).toEqual(['Investing', '1500', 'Proceeds from sale of Equipment', '3000.00'])
    expect(rows.find(r => r[2] === 'Net cash from operating activities')?.[3]).toBe('29400.00')
    expect(rows.at(-2)).toEqual(['', '', 'Cash at the end of the period', '50400.00'])
    expect(rows.at(-1)).toEqual(['Noncash investing and financing activities', '', `Land bought for a note (entry ${land.number} of 2026-10-01)`, '40000.00'])
  })
})

describe('an entry that mixes activities', () => {
  /*
   * 2026-03-10: equipment with a carrying amount of 0.50 sold and 0.50 borrowed, received as
   * inventory 0.97 and cash 0.03: Dr 1010 Bank 0.03, Dr 1200 Inventory 0.97; Cr 1500 Equipment
   * 0.50, Cr 2500 Bank loan 0.50. The cash came from the credits: investing 0.50 and financing
   * 0.50, so 0.015 each, both rounding half-up to 0.02 — 0.04 for 0.03 of cash. The remainder
   * −0.01 goes on the largest part, the first of equals (investing): investing 0.01, financing
   * 0.02. The inventory was not bought with cash: operating stays 0 (no inventory row).
   */
  it('splits its cash in proportion and puts the rounding remainder on the largest part', async () => {
    const m = await createTenant({ prefix: 'cfm', chartOfAccounts: 'standard' })
    await postEntry(m.asOwner, { date: '2026-03-10', memo: 'Swap', lines: linesOf([['1010', '0.03', ''], ['1200', '0.97', ''], ['1500', '', '0.50'], ['2500', '', '0.50']]) })
    const res = await m.asOwner.get('/api/v1/reports/cash-flow?from=2026-03-01&to=2026-03-31')
    expect(res.status, res.text).toBe(200)
    expect(figures(res.body.operating)).toEqual([['Net income', 'Net income', '0.00']])
    expect(figures(res.body.investing)).toEqual([['1500', 'Proceeds from sale of Equipment', '0.01']])
    expect(figures(res.body.financing)).toEqual([['2500', 'Proceeds from Bank loan', '0.02']])
    expect(res.body).toMatchObject({ netChange: '0.03', openingCash: '0.00', closingCash: '0.03', noncashActivities: [] })
  })
})
