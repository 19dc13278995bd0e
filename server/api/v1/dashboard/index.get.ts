import { setResponseHeader } from 'h3'
import { dashboardContracts } from '../../../contracts/dashboard'
import { hasPermission } from '../../../domain/identity/rbac'
import { cachedReport, REPORT_READ } from '../../../domain/reports/cache'
import { dashboardSummary } from '../../../domain/reports/dashboard'
import { receivablesSummary } from '../../../domain/sales/ar-reports'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(dashboardContracts.summary, async (event, { query, tenant, principal, read }) => {
  const canAr = hasPermission(principal.roles, 'ar:read')
  const answer = await read(async (tx, version) => {
    const ledger = await cachedReport(tx, version, { tenantId: tenant.id, name: 'dashboard', params: query }, tx => dashboardSummary(tx, query))
    // Receivables are read fresh in the same snapshot: an allocation moves them without a posting,
    // so the ledger version (the cache key) does not follow them.
    const ar = canAr ? await receivablesSummary(tx, query.asOf) : null
    return { ...ledger, value: { ...ledger.value, receivables: ar && { total: ar.total, overdue: ar.overdue, current: ar.current, days1to30: ar.days1to30, days31to60: ar.days31to60, days61to90: ar.days61to90, over90: ar.over90 } } }
  }, REPORT_READ)
  setResponseHeader(event, 'x-report-cache', answer.hit ? 'hit' : 'miss')
  return answer.value
})
