/**
 * The cash-flow statement (SPEC 6.4), in the tenant's base currency, as decimal strings fixed to
 * its minor unit.
 */
import type { Tx } from '../../../db/tenant'
import { Dec, format, minorUnit, sum, ZERO } from '../money'
import { balancesAsOf, dayBefore, get, movements, reportAccounts, tenantSettings, type ReportAccount } from './balances'
import { accountRow, CASH, checkRange, earnings, section, type DrillDown, type Section, type StatementRow } from './statements'

export interface CashFlow {
  from: string
  to: string
  currency: string
  netIncome: string
  operating: Section
  investing: Section
  financing: Section
  netChange: string
  openingCash: string
  closingCash: string
}

const WORKING_CAPITAL = new Set(['receivable', 'inventory', 'prepaid', 'other_current_asset', 'payable', 'tax_payable', 'accrued_liability', 'unearned_revenue'])
const FINANCING = new Set(['loan', 'capital', 'dividends', 'drawings', 'retained_earnings'])

/**
 * Indirect method over the posted movements of the range (closing entries left out, as in the
 * income statement). Each balance-sheet account's cash effect is the negated net debit movement;
 * since every entry balances, operating + investing + financing equals the change in cash and
 * bank accounts. Depreciation is added back in operating and taken out of the accumulated
 * depreciation movement in investing, so disposals and other movements stay in investing.
 */
export async function cashFlow(tx: Tx, query: { from: string, to: string }): Promise<CashFlow> {
  checkRange(query.from, query.to)
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const [list, moves, opening, closing] = await Promise.all([
    reportAccounts(tx), movements(tx, query.from, query.to), balancesAsOf(tx, dayBefore(query.from)), balancesAsOf(tx, query.to),
  ])
  const drill = (a: ReportAccount): DrillDown => ({ accountId: a.id, from: query.from, to: query.to })
  const netIncome = earnings(list, moves)
  const depreciationAccounts = list.filter(a => a.subtype === 'depreciation' && !get(moves, a.id).isZero())
  const depreciation = sum(depreciationAccounts.map(a => get(moves, a.id)))

  const operating: { row: StatementRow, amount: Dec }[] = [
    { row: { accountId: null, code: null, name: 'Net income', subtype: null, amount: format(netIncome, places), drillDown: null }, amount: netIncome },
    ...depreciationAccounts.map(a => ({ row: accountRow(a, get(moves, a.id), places, drill(a)), amount: get(moves, a.id) })),
  ]
  const investing: { row: StatementRow, amount: Dec }[] = []
  const financing: { row: StatementRow, amount: Dec }[] = []
  let depreciationLeft = depreciation
  for (const a of list) {
    const effect = get(moves, a.id).negated()
    if (a.subtype === 'accumulated_depreciation') {
      // The part of the credit movement that the depreciation expense explains is not cash.
      const explained = Dec.min(Dec.max(effect, ZERO), depreciationLeft)
      depreciationLeft = depreciationLeft.minus(explained)
      const rest = effect.minus(explained)
      if (!rest.isZero()) investing.push({ row: accountRow(a, rest, places, drill(a)), amount: rest })
      continue
    }
    if (effect.isZero()) continue
    if (WORKING_CAPITAL.has(a.subtype)) operating.push({ row: accountRow(a, effect, places, drill(a)), amount: effect })
    else if (a.subtype === 'fixed_asset') investing.push({ row: accountRow(a, effect, places, drill(a)), amount: effect })
    else if (FINANCING.has(a.subtype)) financing.push({ row: accountRow(a, effect, places, drill(a)), amount: effect })
  }
  if (!depreciationLeft.isZero()) {
    // Depreciation booked against something other than accumulated depreciation: that account's
    // movement is already counted where it belongs, so the add-back is reversed in investing.
    investing.push({ row: { accountId: null, code: null, name: 'Depreciation not credited to accumulated depreciation', subtype: 'depreciation', amount: format(depreciationLeft.negated(), places), drillDown: null }, amount: depreciationLeft.negated() })
  }
  const cashOf = (nets: Map<string, Dec>) => sum(list.filter(a => CASH.has(a.subtype)).map(a => get(nets, a.id)))
  const openingCash = cashOf(opening)
  const closingCash = cashOf(closing)
  const make = (items: { row: StatementRow, amount: Dec }[]) => section(items.map(i => i.row), items.map(i => i.amount), places)
  const total = sum([...operating, ...investing, ...financing].map(i => i.amount))
  return {
    from: query.from, to: query.to, currency, netIncome: format(netIncome, places),
    operating: make(operating), investing: make(investing), financing: make(financing),
    netChange: format(total, places), openingCash: format(openingCash, places), closingCash: format(closingCash, places),
  }
}
