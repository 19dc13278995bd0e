import { setResponseHeader } from 'h3'
import { dashboardContracts } from '../../../contracts/dashboard'
import { cachedReport } from '../../../domain/reports/cache'
import { dashboardSummary } from '../../../domain/reports/dashboard'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(dashboardContracts.summary, async (event, { query, tenant }) => {
  const answer = await cachedReport(tenant.id, 'dashboard', query, tx => dashboardSummary(tx, query))
  setResponseHeader(event, 'x-report-cache', answer.hit ? 'hit' : 'miss')
  return answer.value
})
