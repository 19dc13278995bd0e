import { setResponseHeaders } from 'h3'
import { arReportContracts } from '../../../../contracts/ar-reports'
import { customerStatementTable } from '../../../../domain/reports/ar-tables'
import { renderReport } from '../../../../domain/reports/export'
import { customerStatement } from '../../../../domain/sales/ar-reports'
import { documentOptions } from '../../../../domain/settings/settings'
import { defineApiHandler } from '../../../../utils/api'

/** The statement as JSON, or as a file through the report files (rendered after the transaction). */
export default defineApiHandler(arReportContracts.getCustomerStatement, async (event, { params, query, principal, read }) => {
  const { format, from, to } = query
  const { statement, document } = await read(async tx => ({
    statement: await customerStatement(tx, params.id, { from, to }),
    document: format === 'json' ? undefined : await documentOptions(tx, principal.user.id),
  }), { isolation: 'repeatable read' })
  if (format === 'json') return statement
  const file = await renderReport(format, customerStatementTable(statement), document)
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
