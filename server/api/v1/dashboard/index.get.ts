import { setResponseHeader } from 'h3'
import { dashboardContracts } from '../../../contracts/dashboard'
import { hasPermission } from '../../../domain/identity/rbac'
import { cachedReport, REPORT_READ } from '../../../domain/reports/cache'
import { dashboardSummary } from '../../../domain/reports/dashboard'
import { payablesSummary, receivablesSummary, type AgingSummary } from '../../../domain/reports/subledger'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(dashboardContracts.summary, async (event, { query, tenant, principal, read }) => {
  const can = (permission: 'ar:read' | 'ap:read') => hasPermission(principal.roles, permission)
  const answer = await read(async (tx, version) => {
    const ledger = await cachedReport(tx, version, { tenantId: tenant.id, name: 'dashboard', params: query }, tx => dashboardSummary(tx, query))
    // Receivables and payables are read fresh in the same snapshot: an allocation moves them without
    // a posting, so the ledger version (the cache key) does not follow them.
    const receivables = can('ar:read') ? agingTotals(await receivablesSummary(tx, query.asOf)) : null
    const payables = can('ap:read') ? agingTotals(await payablesSummary(tx, query.asOf)) : null
    return { ...ledger, value: { ...ledger.value, receivables, payables } }
  }, REPORT_READ)
  setResponseHeader(event, 'x-report-cache', answer.hit ? 'hit' : 'miss')
  return answer.value
})

function agingTotals({ total, overdue, current, days1to30, days31to60, days61to90, over90 }: AgingSummary) {
  return { total, overdue, current, days1to30, days31to60, days61to90, over90 }
}
