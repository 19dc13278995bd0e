import { setResponseHeaders } from 'h3'
import { bankReconciliationContracts } from '../../../../contracts/bank-reconciliations'
import { reconciliationReport, reconciliationReportTable } from '../../../../domain/bank/reconciliation-report'
import { renderReport } from '../../../../domain/reports/export'
import { documentOptions } from '../../../../domain/settings/settings'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.getBankReconciliationReport, async (event, { params, query, tenant, principal, read }) => {
  const { report, document } = await read(async tx => ({
    report: await reconciliationReport(tx, tenant.id, params.id),
    document: query.format === 'json' ? undefined : await documentOptions(tx, principal.user.id),
  }), { isolation: 'repeatable read' })
  if (query.format === 'json') return report
  const file = await renderReport(query.format, reconciliationReportTable(report), document)
  setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
  return file.body
})
