import { setResponseHeaders } from 'h3'
import { withTenant } from '../../../../db/tenant'
import { reportContracts } from '../../../contracts/reports'
import { incomeStatementTable, renderReport } from '../../../domain/reports/export'
import { incomeStatement } from '../../../domain/reports/statements'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(reportContracts.incomeStatement, async (event, { query }) => {
  const { format, ...options } = query
  const { tenant } = requirePermission(event, format === 'json' ? 'reports:read' : 'reports:export')
  const report = await withTenant(tenant.id, tx => incomeStatement(tx, options))
  if (format === 'json') return report
  const file = await renderReport(format, incomeStatementTable(report))
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
