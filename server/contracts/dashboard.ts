import { z } from 'zod'
import { AccountingDate } from '../domain/dates'
import { defineContract } from './define'

/** An aging's totals on the dashboard: the total, what is overdue, and the five buckets. */
function agingTotals(what: string, report: string) {
  return z.object({
    total: z.string().meta({ description: `Total ${what} on \`asOf\`: the aged ${report}' total` }),
    overdue: z.string().meta({ description: 'The 1–30, 31–60, 61–90 and over-90 buckets together' }),
    current: z.string(), days1to30: z.string(), days31to60: z.string(), days61to90: z.string(), over90: z.string(),
  })
}

const DashboardMonth = z.object({ month: z.string(), from: z.string(), to: z.string(), revenue: z.string(), expenses: z.string(), netIncome: z.string() })

export const DashboardSummaryResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  cash: z.string(),
  months: z.array(DashboardMonth),
  receivables: agingTotals('receivable', 'receivables').nullable()
    .meta({ description: 'The aged receivables\' totals on `asOf` (computed fresh: allocations move no ledger version); null without `ar:read`' }),
  payables: agingTotals('payable', 'payables').nullable()
    .meta({ description: 'The aged payables\' totals on `asOf` (computed fresh, as receivables are); null without `ap:read`' }),
}).meta({ id: 'DashboardSummary' })

export const DashboardQuery = z.object({
  /** Filled in by a transform rather than a default, so the document does not print the build day. */
  asOf: AccountingDate.optional().transform(date => date ?? new Date().toISOString().slice(0, 10)).meta({ description: 'Today (UTC) when omitted' }),
  months: z.coerce.number().int().min(1).max(24).default(12),
})

export const dashboardContracts = {
  summary: defineContract({
    operationId: 'getDashboardSummary', method: 'get', path: '/api/v1/dashboard', tag: 'Reports', audience: 'tenant', permission: 'reports:read',
    summary: 'The dashboard\'s figures in one answer: cash and bank as of `asOf`, and revenue, expenses and net income for each of the last `months` calendar months up to it (the last one to date); each equals the report it stands for. Served from the report cache; `receivables` (with `ar:read`) and `payables` (with `ap:read`) are the aged receivables\' and payables\' totals, computed fresh.',
    query: DashboardQuery, response: DashboardSummaryResponse,
  }),
}
