import { z } from 'zod'
import { AccountingDate } from '../domain/dates'
import { defineContract } from './define'

const DashboardMonth = z.object({ month: z.string(), from: z.string(), to: z.string(), revenue: z.string(), expenses: z.string(), netIncome: z.string() })

export const DashboardSummaryResponse = z.object({
  asOf: z.string(),
  currency: z.string(),
  cash: z.string(),
  months: z.array(DashboardMonth),
}).meta({ id: 'DashboardSummary' })

export const DashboardQuery = z.object({
  /** Filled in by a transform rather than a default, so the document does not print the build day. */
  asOf: AccountingDate.optional().transform(date => date ?? new Date().toISOString().slice(0, 10)).meta({ description: 'Today (UTC) when omitted' }),
  months: z.coerce.number().int().min(1).max(24).default(12),
})

export const dashboardContracts = {
  summary: defineContract({
    operationId: 'getDashboardSummary', method: 'get', path: '/api/v1/dashboard', tag: 'Reports', audience: 'tenant', permission: 'reports:read',
    summary: 'The dashboard\'s figures in one answer: cash and bank as of `asOf`, and revenue, expenses and net income for each of the last `months` calendar months up to it (the last one to date); each equals the report it stands for. Served from the report cache.',
    query: DashboardQuery, response: DashboardSummaryResponse,
  }),
}
