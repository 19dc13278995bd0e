/**
 * How the income statement groups accounts, by subtype (server/domain/ledger/chart.ts), top to
 * bottom as accountants read it. Every revenue and expense subtype is in exactly one section
 * (tests/unit/statement-periods.test.ts checks it against the chart), so no account falls out of
 * net income. Pure, so the pages read the same list.
 *
 *   Revenue               operating_revenue
 *   Cost of sales         cost_of_sales
 *   = Gross profit        revenue − cost of sales
 *   Operating expenses    operating_expense, depreciation
 *   = Operating profit    gross profit − operating expenses
 *   Other income          other_income
 *   Other expenses        other_expense (interest, foreign exchange gain/loss and rounding)
 *   = Net income          operating profit + other income − other expenses
 */
import type { Subtype } from '../ledger/chart'

export const INCOME_SECTIONS = [
  { key: 'revenue', title: 'Revenue', type: 'revenue', subtypes: ['operating_revenue'] },
  { key: 'costOfSales', title: 'Cost of sales', type: 'expense', subtypes: ['cost_of_sales'] },
  { key: 'operatingExpenses', title: 'Operating expenses', type: 'expense', subtypes: ['operating_expense', 'depreciation'] },
  { key: 'otherIncome', title: 'Other income', type: 'revenue', subtypes: ['other_income'] },
  { key: 'otherExpenses', title: 'Other expenses', type: 'expense', subtypes: ['other_expense'] },
] as const satisfies readonly { key: string, title: string, type: 'revenue' | 'expense', subtypes: readonly Subtype[] }[]

export type IncomeSectionKey = typeof INCOME_SECTIONS[number]['key']

/** The subtotals, each after the section it closes. */
export const INCOME_SUBTOTALS = [
  { key: 'grossProfit', title: 'Gross profit', after: 'costOfSales' },
  { key: 'operatingProfit', title: 'Operating profit', after: 'operatingExpenses' },
  { key: 'netIncome', title: 'Net income', after: 'otherExpenses' },
] as const satisfies readonly { key: string, title: string, after: IncomeSectionKey }[]

export type IncomeSubtotalKey = typeof INCOME_SUBTOTALS[number]['key']
