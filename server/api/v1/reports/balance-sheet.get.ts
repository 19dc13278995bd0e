import { setResponseHeader, setResponseHeaders } from 'h3'
import { reportContracts } from '../../../contracts/reports'
import { cachedReport } from '../../../domain/reports/cache'
import { balanceSheetTable, renderReport } from '../../../domain/reports/export'
import { balanceSheet } from '../../../domain/reports/statements'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'
import { reportDocumentOptions } from '../../../utils/report-document'

export default defineApiHandler(reportContracts.balanceSheet, async (event, { query }) => {
  const { format, ...options } = query
  const { tenant } = requirePermission(event, format === 'json' ? 'reports:read' : 'reports:export')
  const { value: report, hit } = await cachedReport(tenant.id, 'balance-sheet', options, tx => balanceSheet(tx, options))
  setResponseHeader(event, 'x-report-cache', hit ? 'hit' : 'miss')
  if (format === 'json') return report
  const file = await renderReport(format, balanceSheetTable(report), await reportDocumentOptions(event))
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
