import { setResponseHeader } from 'h3'
import { dashboardContracts } from '../../../contracts/dashboard'
import { cachedReport, REPORT_READ } from '../../../domain/reports/cache'
import { dashboardSummary } from '../../../domain/reports/dashboard'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(dashboardContracts.summary, async (event, { query, tenant, read }) => {
  const answer = await read((tx, version) => cachedReport(tx, version, { tenantId: tenant.id, name: 'dashboard', params: query }, tx => dashboardSummary(tx, query)), REPORT_READ)
  setResponseHeader(event, 'x-report-cache', answer.hit ? 'hit' : 'miss')
  return answer.value
})
