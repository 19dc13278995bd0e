import { setResponseHeaders } from 'h3'
import { withTenant } from '../../../../db/tenant'
import { reportContracts } from '../../../contracts/reports'
import { trialBalanceTable, renderReport } from '../../../domain/reports/export'
import { trialBalance } from '../../../domain/reports/statements'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(reportContracts.trialBalance, async (event, { query }) => {
  const { format, ...options } = query
  const { tenant } = requirePermission(event, format === 'json' ? 'reports:read' : 'reports:export')
  const report = await withTenant(tenant.id, tx => trialBalance(tx, options))
  if (format === 'json') return report
  const file = await renderReport(format, trialBalanceTable(report))
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
