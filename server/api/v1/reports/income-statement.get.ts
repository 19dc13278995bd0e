import { setResponseHeader, setResponseHeaders } from 'h3'
import { reportContracts } from '../../../contracts/reports'
import { cachedReport } from '../../../domain/reports/cache'
import { incomeStatementTable, renderReport } from '../../../domain/reports/export'
import { incomeStatement } from '../../../domain/reports/statements'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'
import { reportDocumentOptions } from '../../../utils/report-document'

export default defineApiHandler(reportContracts.incomeStatement, async (event, { query }) => {
  const { format, ...options } = query
  const { tenant } = requirePermission(event, format === 'json' ? 'reports:read' : 'reports:export')
  const { value: report, hit } = await cachedReport(tenant.id, 'income-statement', options, tx => incomeStatement(tx, options))
  setResponseHeader(event, 'x-report-cache', hit ? 'hit' : 'miss')
  if (format === 'json') return report
  const file = await renderReport(format, incomeStatementTable(report), await reportDocumentOptions(event))
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
