/**
 * The dashboard's figures in one answer: cash (the cash and bank accounts) as of a date, and
 * revenue, expenses and net income for each of the last `months` calendar months up to that date
 * (the last month to date). Each figure comes from the function behind the report it links to
 * (`cashAsOf` is the cash-flow statement's closing cash, `incomeTotals` the income statement's
 * totals), so the card and the report always agree. The route serves it from the report cache
 * (one key per ledger version): a dashboard load is one request, and while nothing is posted no
 * computation at all.
 */
import type { Tx } from '../../../db/tenant'
import { isoDate } from '../ledger/calendar'
import { cashAsOf, incomeTotals } from './statements'

export interface DashboardMonth {
  /** `YYYY-MM` */
  month: string
  from: string
  to: string
  revenue: string
  expenses: string
  netIncome: string
}

export interface DashboardSummary {
  asOf: string
  currency: string
  cash: string
  months: DashboardMonth[]
}

/** The `count` calendar months that end with the month of `asOf`, the last one cut at `asOf`. */
export function monthsUpTo(asOf: string, count: number): { month: string, from: string, to: string }[] {
  const [y, m] = asOf.split('-').map(Number) as [number, number]
  return Array.from({ length: count }, (_, i) => {
    const back = count - 1 - i
    const from = isoDate(y, m - back, 1)
    const [fy, fm] = from.split('-').map(Number) as [number, number]
    return { month: from.slice(0, 7), from, to: back === 0 ? asOf : isoDate(fy, fm + 1, 0) }
  })
}

export async function dashboardSummary(tx: Tx, query: { asOf: string, months: number }): Promise<DashboardSummary> {
  const months = monthsUpTo(query.asOf, query.months)
  const [cash, income] = await Promise.all([cashAsOf(tx, query.asOf), incomeTotals(tx, months)])
  return {
    asOf: query.asOf,
    currency: income.currency,
    cash,
    months: months.map((m, i) => ({ ...m, ...income.totals[i]! })),
  }
}
