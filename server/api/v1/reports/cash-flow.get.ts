import { setResponseHeader, setResponseHeaders } from 'h3'
import { reportContracts } from '../../../contracts/reports'
import { cachedReport } from '../../../domain/reports/cache'
import { cashFlowTable, renderReport } from '../../../domain/reports/export'
import { cashFlow } from '../../../domain/reports/statements'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'
import { reportDocumentOptions } from '../../../utils/report-document'

export default defineApiHandler(reportContracts.cashFlow, async (event, { query }) => {
  const { format, ...options } = query
  const { tenant } = requirePermission(event, format === 'json' ? 'reports:read' : 'reports:export')
  const { value: report, hit } = await cachedReport(tenant.id, 'cash-flow', options, tx => cashFlow(tx, options))
  setResponseHeader(event, 'x-report-cache', hit ? 'hit' : 'miss')
  if (format === 'json') return report
  const file = await renderReport(format, cashFlowTable(report), await reportDocumentOptions(event))
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
