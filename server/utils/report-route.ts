import { setResponseHeader, setResponseHeaders } from 'h3'
import { reportContracts } from '../contracts/reports'
import type { subledgerReportContracts } from '../contracts/subledger-reports'
import type { Tx } from '../../db/tenant'
import { renderReport, type ReportTable } from '../domain/reports/export'
import { REPORT_READ } from '../domain/reports/cache'
import type { ReportName } from '../domain/reports/catalog'
import { answerReport, readReport, reportOf } from '../domain/reports/registry'
import { documentOptions } from '../domain/settings/settings'
import { defineApiHandler } from './api'

/**
 * The handler of one report route (`server/api/v1/reports/<name>.get.ts`), bound to the report's
 * contract: defineApiHandler checks the `json` permission, and the `file` one too for
 * `format=csv|xlsx|pdf` (the contract's alsoRequires, from the catalog entry). The route owns the
 * transaction: one read opened with `REPORT_READ` (repeatable read, the ledger version read sent
 * with BEGIN) for the report, its cache lookup and a file's document options; a file is rendered
 * after the commit. A file says what organisation made it, in its formats, by whom and when;
 * `x-report-cache` says whether the answer came from the report cache.
 */
export function defineReportRoute(name: ReportName) {
  const report = reportOf(name)
  return defineApiHandler(reportContracts[name], async (event, { query, tenant, principal, read }) => {
    const { format, ...params } = query
    const reading = await read((tx, version) => readReport(tx, version, {
      tenantId: tenant.id, report, format, query: params, document: () => documentOptions(tx, principal.user.id),
    }), REPORT_READ)
    const answer = await answerReport(reading)
    if (answer.cache) setResponseHeader(event, 'x-report-cache', answer.cache)
    if ('json' in answer) return answer.json
    setResponseHeaders(event, { 'content-type': answer.file.contentType, 'content-disposition': `attachment; filename="${answer.file.filename}"` })
    return answer.file.body
  })
}

/**
 * The handler of a party's statement (`customers/{id}/statement`, `vendors/{id}/statement`): the
 * statement as JSON, or as a file through the report files, rendered after the transaction.
 */
export function defineStatementRoute<R>(
  contract: typeof subledgerReportContracts['getCustomerStatement' | 'getVendorStatement'],
  compute: (tx: Tx, id: string, range: { from: string, to: string }) => Promise<R>,
  table: (statement: R) => ReportTable,
) {
  return defineApiHandler(contract, async (event, { params, query, principal, read }) => {
    const { format, from, to } = query
    const { statement, document } = await read(async tx => ({
      statement: await compute(tx, params.id, { from, to }),
      document: format === 'json' ? undefined : await documentOptions(tx, principal.user.id),
    }), { isolation: 'repeatable read' })
    if (format === 'json') return statement
    const file = await renderReport(format, table(statement), document)
    setResponseHeaders(event, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
    return file.body
  })
}
