/**
 * Report exports, the request side: a member (or a schedule) asks for a report file, checked
 * against the report's registry entry; the `report_exports` row is written in the caller's
 * transaction and enqueued after it commits (an outbox kind: ./export-runner.ts generates it).
 */
import { and, count, desc, eq, isNull, or } from 'drizzle-orm'
import { reportExports } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { errorText, log } from '../../core/log'
import { recordAudit, type Actor } from '../audit/audit'
import { NotFoundError } from '../errors'
import { enqueueOutbox } from '../outbox/define'
import type { ReportName } from './catalog'
import type { ReportFormat } from './export'
import type { ExportRow } from './export-files'
import { exportKind, failExport } from './export-runner'
import { parseReportParams, reportOf } from './registry'

/**
 * Checks a report's parameters (the query parameters of its route, without format and paging)
 * and returns the ones given, as strings. Parameters left out keep their report default, applied
 * when the export runs (e.g. `to` = the day it runs), which is what a schedule wants.
 * Throws ValidationError with `params.<name>` field messages.
 */
export function parseExportParams(report: ReportName, params: unknown): Record<string, string> {
  parseReportParams(reportOf(report), params)
  const given: Record<string, string> = {}
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value !== undefined && value !== null) given[key] = String(value)
  }
  return given
}

/**
 * Inserts an export row (`queued`). For a scheduled run (`scheduleId` + `runKey`) the row is unique
 * per run: a repeat returns the existing row instead of a second one.
 */
export async function createExport(tx: Tx, tenantId: string, input: { report: ReportName, format: ReportFormat, params: Record<string, string>, requestedBy: string | null, scheduleId?: string, runKey?: string }): Promise<ExportRow> {
  const values = {
    tenantId, report: input.report, format: input.format, params: input.params, requestedBy: input.requestedBy,
    scheduleId: input.scheduleId ?? null, runKey: input.runKey ?? null,
  }
  const [row] = await tx.insert(reportExports).values(values).onConflictDoNothing({ target: [reportExports.tenantId, reportExports.scheduleId, reportExports.runKey] }).returning()
  if (row) return row
  const [existing] = await tx.select().from(reportExports)
    .where(and(eq(reportExports.tenantId, tenantId), eq(reportExports.scheduleId, input.scheduleId!), eq(reportExports.runKey, input.runKey!)))
  return existing!
}

/**
 * A member's export request: parameters checked (a row they name, such as a general ledger's
 * account, must exist in this tenant: 404 otherwise), the row created and the request audited,
 * all in the caller's transaction. The job is enqueued by the caller after commit (startExport).
 */
export async function requestExport(tx: Tx, tenantId: string, actor: Actor, input: { report: ReportName, format: ReportFormat, params: Record<string, string> }): Promise<{ id: string, status: ExportRow['status'] }> {
  const params = parseExportParams(input.report, input.params)
  const report = reportOf(input.report)
  const unknown = await report.unknownRow(tx, parseReportParams(report, params))
  if (unknown) throw new NotFoundError(unknown.entity)
  const row = await createExport(tx, tenantId, { ...input, params, requestedBy: actor.type === 'user' ? actor.id ?? null : null })
  await recordAudit(tx, tenantId, actor, { action: 'export.requested', entityType: 'report_export', entityId: row.id, after: { report: row.report, format: row.format, params: row.params } })
  return { id: row.id, status: row.status }
}

/** How long a request waits for the queue before answering that it is unavailable. */
const ENQUEUE_TIMEOUT_MS = 10_000

/**
 * Enqueues a just-committed export. If the queue cannot take it (down, or not answering in time)
 * the export is marked failed, so it does not sit `queued` for ever, and false is returned.
 */
export async function startExport(tenantId: string, exportId: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      enqueueOutbox(exportKind, { tenantId, id: exportId }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS)
      }),
    ])
    return true
  }
  catch (err) {
    log.error('export enqueue failed', { tenantId, exportId, error: errorText(err) })
    await failExport(tenantId, exportId, 'The job queue is unavailable')
    return false
  }
  finally {
    clearTimeout(timer)
  }
}

// ---------------------------------------------------------------- reading

export interface ExportResource {
  id: string
  report: ReportName
  format: ReportFormat
  params: Record<string, string>
  status: ExportRow['status']
  progress: number
  error?: string
  downloadUrl?: string
  filename?: string
  size?: number
  createdAt: string
  finishedAt?: string
}

export function toExportResource(row: ExportRow): ExportResource {
  return {
    id: row.id, report: row.report as ReportName, format: row.format, params: row.params, status: row.status, progress: row.progress,
    ...(row.error ? { error: row.error } : {}),
    ...(row.status === 'done' ? { downloadUrl: `/api/v1/exports/${row.id}/download` } : {}),
    ...(row.filename ? { filename: row.filename } : {}),
    ...(row.size !== null ? { size: row.size } : {}),
    createdAt: row.createdAt.toISOString(),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  }
}

/** A member sees the exports they asked for and the tenant's scheduled ones (no requester). */
const visibleTo = (userId: string) => or(eq(reportExports.requestedBy, userId), isNull(reportExports.requestedBy))

/** The member's own exports, newest first. */
export async function listExports(tx: Tx, userId: string, query: { page: number, pageSize: number }): Promise<{ data: ExportResource[], total: number }> {
  const mine = eq(reportExports.requestedBy, userId)
  const [rows, [total]] = await Promise.all([
    tx.select().from(reportExports).where(mine).orderBy(desc(reportExports.createdAt), desc(reportExports.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize),
    tx.select({ n: count() }).from(reportExports).where(mine),
  ])
  return { data: rows.map(toExportResource), total: total!.n }
}

/** One export the member may see; NotFoundError otherwise (also for another tenant's id). */
export async function getExport(tx: Tx, userId: string, id: string): Promise<ExportRow> {
  const [row] = await tx.select().from(reportExports).where(and(eq(reportExports.id, id), visibleTo(userId)))
  if (!row) throw new NotFoundError('Export')
  return row
}
