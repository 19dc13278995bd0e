import { setResponseHeader, setResponseHeaders } from 'h3'
import { withTenant } from '../../../../db/tenant'
import { reportContracts } from '../../../contracts/reports'
import { cachedReport } from '../../../domain/reports/cache'
import { RuleError } from '../../../domain/errors'
import { generalLedgerTable, renderReport } from '../../../domain/reports/export'
import { generalLedger, GL_EXPORT_MAX_ROWS } from '../../../domain/reports/statements'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'
import { reportDocumentOptions } from '../../../utils/report-document'

export default defineApiHandler(reportContracts.generalLedger, async (event, { query }) => {
  const { format, ...options } = query
  const { tenant } = requirePermission(event, format === 'json' ? 'reports:read' : 'reports:export')
  if (format === 'json') {
    const { value, hit } = await cachedReport(tenant.id, 'general-ledger', options, tx => generalLedger(tx, options))
    setResponseHeader(event, 'x-report-cache', hit ? 'hit' : 'miss')
    return value
  }
  // A file carries every line of the range, not one page.
  const report = await withTenant(tenant.id, tx => generalLedger(tx, { ...options, page: 1, pageSize: GL_EXPORT_MAX_ROWS }))
  if (report.total > GL_EXPORT_MAX_ROWS) throw new RuleError(`The range has ${report.total} lines; a file carries at most ${GL_EXPORT_MAX_ROWS}: narrow the dates`, 'REPORT_TOO_LARGE')
  const file = await renderReport(format, generalLedgerTable(report), await reportDocumentOptions(event))
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
