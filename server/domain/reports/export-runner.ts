/**
 * Report exports, the running side: generates the file of a `report_exports` row in the
 * background, of any size, stored through server/core/files.ts and downloaded later (SPEC 5,
 * "large ones become an export job"). Exports are an outbox kind (`exportKind`): the row is
 * written by ./export-requests.ts, enqueued after commit, re-enqueued by the outbox relay.
 *
 * Lifecycle `queued → running → done | failed`:
 * - A run claims the row (status running, a fresh attempt token). A finished row is left alone,
 *   so a duplicated or retried job never produces a second file.
 * - The file is written under a temporary prefix of the attempt, then, in the transaction that
 *   moves the row to `done` (guarded by status and attempt token, which also locks the row),
 *   copied to the export's final prefix. A stale attempt whose token was replaced cannot finish;
 *   an attempt killed mid-copy rolls back and leaves leftovers the next claim removes.
 * - A report with a streamed writer in the registry (the general ledger) writes batch by batch,
 *   so memory stays bounded for a million lines; the others are built whole by their registry
 *   entry and ./export.ts.
 */
import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { EXPORT_STATUSES, reportExports } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { copyParts, createPartWriter, removeFiles } from '../../core/files'
import { log } from '../../core/log'
import { DomainError, NotFoundError } from '../errors'
import { notifyUsers } from '../notifications/notify'
import { defineOutboxKind } from '../outbox/define'
import { reportTitle } from './catalog'
import { documentOptions } from '../settings/settings'
import { renderReport, type ReportFormat } from './export'
import { finalPrefix, tempPrefix, type ExportRow } from './export-files'
import type { ProducedFile } from './general-ledger-stream'
import { parseReportParams, reportOf, type Report } from './registry'

/** Another attempt took the export over (this one's token was replaced): stop quietly. */
class Superseded extends Error {}

interface Attempt {
  tenantId: string
  exportId: string
  token: string
  onProgress?: (pct: number) => Promise<void>
}

/** Reports progress at most every 2 %: the row (guarded by the attempt token) and the job. */
function progressReporter(attempt: Attempt) {
  let last = 0
  return async (done: number, total: number) => {
    const pct = Math.min(99, Math.floor(total ? (done / total) * 100 : 0))
    if (pct < last + 2) return
    last = pct
    const updated = await withTenant(attempt.tenantId, tx => tx.update(reportExports).set({ progress: pct })
      .where(and(eq(reportExports.id, attempt.exportId), eq(reportExports.status, 'running'), eq(reportExports.attemptToken, attempt.token)))
      .returning({ id: reportExports.id }))
    if (!updated.length) throw new Superseded()
    await attempt.onProgress?.(pct)
  }
}

/** A report built whole with its registry entry, then written at once (the small statements). */
async function writeWhole(attempt: Attempt, report: Report, params: object, format: ReportFormat, requestedBy: string | null, out: Writable): Promise<ProducedFile> {
  const [table, document] = await withTenant(attempt.tenantId, async tx => [report.table(await report.computeFile(tx, params)), await documentOptions(tx, requestedBy)] as const)
  const file = await renderReport(format, table, document)
  out.end(file.body)
  await finished(out)
  return { filename: file.filename, contentType: file.contentType, rowCount: table.rows.length }
}

async function claim(tenantId: string, exportId: string): Promise<{ row: ExportRow, claimed: boolean }> {
  return withTenant(tenantId, async (tx) => {
    const [claimed] = await tx.update(reportExports)
      .set({ status: 'running', attemptToken: randomUUID(), attempts: sql`${reportExports.attempts} + 1`, startedAt: new Date(), progress: 0, error: null })
      // A failed export runs again only when its job is retried (from the back-office).
      .where(and(eq(reportExports.tenantId, tenantId), eq(reportExports.id, exportId), inArray(reportExports.status, ['queued', 'running', 'failed'])))
      .returning()
    if (claimed) return { row: claimed, claimed: true }
    const [row] = await tx.select().from(reportExports).where(and(eq(reportExports.tenantId, tenantId), eq(reportExports.id, exportId)))
    if (!row) throw new NotFoundError('Export')
    return { row, claimed: false }
  })
}

async function currentRow(tenantId: string, exportId: string): Promise<ExportRow> {
  const [row] = await withTenant(tenantId, tx => tx.select().from(reportExports).where(and(eq(reportExports.tenantId, tenantId), eq(reportExports.id, exportId))))
  if (!row) throw new NotFoundError('Export')
  return row
}

const humanSize = (bytes: number) => bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function notifyDone(row: ExportRow): Promise<void> {
  if (!row.requestedBy) return
  await notifyUsers(row.tenantId, [row.requestedBy], {
    type: 'export.completed',
    title: `${reportTitle(row.report)} export is ready`,
    body: `${row.filename} (${humanSize(row.size ?? 0)})`,
    link: '/reports/exports',
    dedupeKey: `export:${row.id}`,
  })
}

/**
 * Generates an export: claims it, writes the file, finishes it. Idempotent: a `done` (or `failed`)
 * export is returned untouched. An error the request itself causes (a domain error: bad stored
 * parameters, an account gone) fails the export at once, since retrying cannot help, and is
 * thrown; any other error is thrown for the job to retry. `onProgress` hears 0–99 as lines are written.
 */
export async function runExport(tenantId: string, exportId: string, onProgress?: (pct: number) => Promise<void>): Promise<ExportRow> {
  const { row, claimed } = await claim(tenantId, exportId)
  if (!claimed) {
    // A crash between finishing and notifying is healed here; the dedupe key keeps it to one.
    if (row.status === 'done') await notifyDone(row)
    return row
  }
  const attempt: Attempt = { tenantId, exportId, token: row.attemptToken!, onProgress }
  const temp = tempPrefix(tenantId, exportId, attempt.token)
  const final = finalPrefix(tenantId, exportId)
  // Leftovers of killed attempts: nobody else can be writing now that this attempt holds the token.
  await removeFiles(tempPrefix(tenantId, exportId))
  await removeFiles(final)
  const out = createPartWriter(temp)
  try {
    const report = reportOf(row.report)
    const params = parseReportParams(report, row.params)
    const { streamFile } = report
    // A streamed file reads one snapshot however long it runs: its own repeatable-read transaction.
    const produced = streamFile
      ? await withTenant(tenantId, tx => streamFile(tx, { preparedFor: row.requestedBy, progress: progressReporter(attempt) }, params, row.format, out), { isolation: 'repeatable read' })
      : await writeWhole(attempt, report, params, row.format, row.requestedBy, out)
    const stored = out.stored()
    const finishedRow = await withTenant(tenantId, async (tx) => {
      const [done] = await tx.update(reportExports)
        .set({ status: 'done', filename: produced.filename, contentType: produced.contentType, size: stored.size, parts: stored.parts, rowCount: produced.rowCount, progress: 100, finishedAt: new Date() })
        .where(and(eq(reportExports.tenantId, tenantId), eq(reportExports.id, exportId), eq(reportExports.status, 'running'), eq(reportExports.attemptToken, attempt.token)))
        .returning()
      // Copied while the row is locked by this update: a concurrent claim waits, then sees `done`.
      if (done) await copyParts(temp, final, stored.parts)
      return done
    })
    await removeFiles(temp)
    if (!finishedRow) return currentRow(tenantId, exportId)
    await onProgress?.(100)
    await notifyDone(finishedRow)
    return finishedRow
  }
  catch (err) {
    out.destroy()
    await removeFiles(temp).catch(() => {})
    if (err instanceof Superseded) return currentRow(tenantId, exportId)
    if (err instanceof DomainError) await failExport(tenantId, exportId, err.message)
    throw err
  }
}

/** A message fit for the user: a domain error's own words, never an internal error's details or stack. */
export function exportErrorMessage(err: unknown): string {
  return err instanceof DomainError ? err.message : 'The export could not be generated; please request it again'
}

/**
 * Marks an unfinished export failed with `message` and tells its requester (`export.failed`).
 * A finished or already failed export is left as it is.
 */
export async function failExport(tenantId: string, exportId: string, message: string): Promise<void> {
  const [row] = await withTenant(tenantId, tx => tx.update(reportExports)
    .set({ status: 'failed', error: message.split('\n')[0]!.slice(0, 500), finishedAt: new Date(), attemptToken: null })
    .where(and(eq(reportExports.tenantId, tenantId), eq(reportExports.id, exportId), inArray(reportExports.status, ['queued', 'running'])))
    .returning())
  if (!row) return
  log.warn('export failed', { tenantId, exportId, error: row.error })
  if (!row.requestedBy) return
  await notifyUsers(tenantId, [row.requestedBy], {
    type: 'export.failed',
    title: `${reportTitle(row.report)} export failed`,
    body: row.error ?? '',
    link: '/reports/exports',
    dedupeKey: `export:${row.id}`,
  })
}

/** The job id of an export: one job per export, however often it is enqueued. */
export const exportJobId = (exportId: string) => `export-${exportId}`

/** Report exports as an outbox kind: jobs `{ tenantId, exportId }` on the `exports` queue. */
export const exportKind = defineOutboxKind({
  name: 'exports',
  table: reportExports,
  id: reportExports.id,
  status: reportExports.status,
  createdAt: reportExports.createdAt,
  statuses: EXPORT_STATUSES,
  view: {
    tenantId: reportExports.tenantId, type: reportExports.format, title: reportExports.report, recipients: null,
    attempts: reportExports.attempts, error: reportExports.error, finishedAt: reportExports.finishedAt,
    details: { params: reportExports.params, filename: reportExports.filename, size: reportExports.size },
    present: details => details,
  },
  queue: 'exports',
  jobId: exportJobId,
  jobData: ref => ({ tenantId: ref.tenantId!, exportId: ref.id }),
  refOf: data => ({ tenantId: data.tenantId, id: data.exportId }),
  process: async (ref, hooks) => {
    try {
      const row = await runExport(ref.tenantId!, ref.id, hooks.progress)
      return { status: row.status, size: row.size }
    }
    catch (err) {
      // runExport has already failed the export for a domain error: retrying cannot help.
      if (err instanceof DomainError) return { status: 'failed', error: err.message }
      throw err
    }
  },
  fail: (ref, error) => failExport(ref.tenantId!, ref.id, exportErrorMessage(error)),
})
