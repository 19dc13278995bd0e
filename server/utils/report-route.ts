import { setResponseHeader, setResponseHeaders } from 'h3'
import { reportContracts } from '../contracts/reports'
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
