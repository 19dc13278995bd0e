import { setResponseHeader, setResponseHeaders } from 'h3'
import { reportContracts } from '../contracts/reports'
import type { ReportName } from '../domain/reports/catalog'
import { answerReport, reportOf } from '../domain/reports/registry'
import { defineApiHandler } from './api'
import { requirePermission } from './guards'
import { reportDocumentOptions } from './report-document'

/**
 * The handler of one report route (`server/api/v1/reports/<name>.get.ts`), from the report's
 * registry entry: JSON needs its `json` permission and files (`format=csv|xlsx|pdf`) its `file`
 * permission; `x-report-cache` says whether the answer came from the report cache.
 */
export function defineReportRoute(name: ReportName) {
  const report = reportOf(name)
  return defineApiHandler(reportContracts[name], async (event, { query }) => {
    const { format, ...params } = query
    const { tenant } = requirePermission(event, format === 'json' ? report.permissions.json : report.permissions.file)
    const answer = await answerReport(tenant.id, report, format, params, () => reportDocumentOptions(event))
    if (answer.cache) setResponseHeader(event, 'x-report-cache', answer.cache)
    if ('json' in answer) return answer.json
    setResponseHeaders(event, { 'content-type': answer.file.contentType, 'content-disposition': `attachment; filename="${answer.file.filename}"` })
    return answer.file.body
  })
}
