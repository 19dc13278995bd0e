/**
 * Report exports: a report file generated in the background, of any size, stored through
 * server/core/files.ts and downloaded later (SPEC 5, "large ones become an export job").
 *
 * Lifecycle `queued → running → done | failed` on a `report_exports` row:
 * - A run claims the row (status running, a fresh attempt token). A finished row is left alone,
 *   so a duplicated or retried job never produces a second file.
 * - The file is written under a temporary prefix of the attempt, then, in the transaction that
 *   moves the row to `done` (guarded by status and attempt token, which also locks the row),
 *   copied to the export's final prefix. A stale attempt whose token was replaced cannot finish;
 *   an attempt killed mid-copy rolls back and leaves leftovers the next claim removes.
 * - The general ledger streams: its lines are read in keyset batches inside one REPEATABLE READ
 *   transaction (one consistent snapshot, however long it runs) and written out batch by batch,
 *   so memory stays bounded for a million lines. The other reports are small and reuse the
 *   table builders and writers of ./export.ts.
 */
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { and, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js'
import PDFDocument from 'pdfkit'
import type { z } from 'zod'
import { reportExports } from '../../../db/schema'
import { withTenant, type Tx } from '../../../db/tenant'
import { EXPORT_REPORT_NAMES } from '../../contracts/exports'
import { BalanceSheetQuery, CashFlowQuery, GeneralLedgerQuery, IncomeStatementQuery, TrialBalanceQuery } from '../../contracts/reports'
import { exportJobId } from '../../../workers/jobs/maintenance'
import { copyParts, createPartWriter, PART_SIZE, readParts, removeFiles } from '../../core/files'
import { errorText, log } from '../../core/log'
import { enqueue } from '../../core/queues'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../errors'
import { Dec, format as formatMoney } from '../money'
import { notifyUsers } from '../notifications/notify'
import { reportAccounts } from './balances'
import {
  balanceSheetTable, cashFlowTable, csvField, generalLedgerTable, incomeStatementTable, MEDIA_TYPES, renderReport, trialBalanceTable,
  type ReportColumn, type ReportFormat, type ReportTable,
} from './export'
import { balanceSheet, cashFlow, generalLedgerFrame, incomeStatement, trialBalance, type GeneralLedger } from './statements'

export const EXPORT_REPORTS = EXPORT_REPORT_NAMES
export type ExportReport = typeof EXPORT_REPORTS[number]
export type ExportRow = typeof reportExports.$inferSelect

/** Lines read (and written) per batch of a streamed general ledger. */
export const GL_BATCH_LINES = 5000

const TITLES: Record<ExportReport, string> = {
  'trial-balance': 'Trial balance',
  'balance-sheet': 'Balance sheet',
  'income-statement': 'Income statement',
  'cash-flow': 'Cash-flow statement',
  'general-ledger': 'General ledger',
}

/** The report's human name, as notifications and the exports page show it. */
export function exportTitle(report: ExportReport): string {
  return TITLES[report]
}

// The report routes' query schemas, less the file format and the paging a file does not have.
// Strict: a parameter the report does not know is refused rather than silently dropped.
const PARAM_SCHEMAS = {
  'trial-balance': TrialBalanceQuery.omit({ format: true }).strict(),
  'balance-sheet': BalanceSheetQuery.omit({ format: true }).strict(),
  'income-statement': IncomeStatementQuery.omit({ format: true }).strict(),
  'cash-flow': CashFlowQuery.omit({ format: true }).strict(),
  'general-ledger': GeneralLedgerQuery.omit({ format: true, page: true, pageSize: true }).strict(),
} satisfies Record<ExportReport, z.ZodType>

type ParsedParams<R extends ExportReport> = z.output<typeof PARAM_SCHEMAS[R]>

function fieldsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = ['params', ...issue.path.map(String)].join('.')
    fields[path] ??= issue.code === 'unrecognized_keys' ? `unknown parameter(s): ${issue.keys.join(', ')}` : issue.message
  }
  return fields
}

function parseTyped<R extends ExportReport>(report: R, params: unknown): ParsedParams<R> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ValidationError('Invalid request body', { params: 'must be an object of query parameters' })
  const result = PARAM_SCHEMAS[report].safeParse(params)
  if (!result.success) throw new ValidationError('Invalid request body', fieldsOf(result.error))
  const p = result.data as { from?: string, to?: string, compareFrom?: string, compareTo?: string }
  // The same range rules the report itself applies, checked now so a bad request fails at once.
  if (p.from && p.to && p.from > p.to) throw new ValidationError('Invalid request body', { 'params.from': 'must be on or before the end date' })
  if ('compareFrom' in p || 'compareTo' in p) {
    if (!p.compareFrom !== !p.compareTo) throw new ValidationError('Invalid request body', { [p.compareFrom ? 'params.compareTo' : 'params.compareFrom']: 'give both compareFrom and compareTo' })
    if (p.compareFrom && p.compareTo && p.compareFrom > p.compareTo) throw new ValidationError('Invalid request body', { 'params.compareFrom': 'must be on or before the end date' })
  }
  return result.data as ParsedParams<R>
}

/**
 * Checks a report's parameters (the query parameters of its route, without format and paging)
 * and returns the ones given, as strings. Parameters left out keep their report default, applied
 * when the export runs (e.g. `to` = the day it runs), which is what a schedule wants.
 * Throws ValidationError with `params.<name>` field messages.
 */
export function parseExportParams(report: ExportReport, params: unknown): Record<string, string> {
  parseTyped(report, params)
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
export async function createExport(tx: Tx, tenantId: string, input: { report: ExportReport, format: ReportFormat, params: Record<string, string>, requestedBy: string | null, scheduleId?: string, runKey?: string }): Promise<ExportRow> {
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
 * A member's export request: parameters checked (a general ledger's account must exist in this
 * tenant: 404 otherwise), the row created and the request audited, all in the caller's transaction.
 * The job is enqueued by the caller after commit (enqueueExport).
 */
export async function requestExport(tx: Tx, tenantId: string, actor: Actor, input: { report: ExportReport, format: ReportFormat, params: Record<string, string> }): Promise<{ id: string, status: ExportRow['status'] }> {
  const params = parseExportParams(input.report, input.params)
  if (input.report === 'general-ledger') {
    const { accountId } = parseTyped('general-ledger', params)
    if (!(await reportAccounts(tx)).some(a => a.id === accountId)) throw new NotFoundError('Account')
  }
  const row = await createExport(tx, tenantId, { ...input, params, requestedBy: actor.type === 'user' ? actor.id ?? null : null })
  await recordAudit(tx, tenantId, actor, { action: 'export.requested', entityType: 'report_export', entityId: row.id, after: { report: row.report, format: row.format, params: row.params } })
  return { id: row.id, status: row.status }
}

/** Adds the export's job; idempotent per export, since the job id is derived from the export id. */
export async function enqueueExport(tenantId: string, exportId: string): Promise<void> {
  await enqueue('exports', { tenantId, exportId }, { jobId: exportJobId(exportId) })
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
      enqueueExport(tenantId, exportId),
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
  report: ExportReport
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
    id: row.id, report: row.report as ExportReport, format: row.format, params: row.params, status: row.status, progress: row.progress,
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

const finalPrefix = (tenantId: string, exportId: string) => `exports:${tenantId}:${exportId}`
const tempPrefix = (tenantId: string, exportId: string, token?: string) => `exports-tmp:${tenantId}:${exportId}${token ? `:${token}` : ''}`

/** The finished file of an export as a stream, with what the response headers need; 409 EXPORT_NOT_READY before it is done. */
export function openExportFile(row: ExportRow) {
  if (row.status !== 'done' || !row.parts || !row.filename) {
    throw new ConflictError(row.status === 'failed' ? 'The export failed; request it again' : 'The export is not finished yet', 'EXPORT_NOT_READY')
  }
  return { filename: row.filename, contentType: row.contentType ?? 'application/octet-stream', size: row.size ?? 0, stream: readParts(finalPrefix(row.tenantId, row.id), row.parts) }
}

// ---------------------------------------------------------------- running

/** Another attempt took the export over (this one's token was replaced): stop quietly. */
class Superseded extends Error {}

interface Attempt {
  tenantId: string
  exportId: string
  token: string
  onProgress?: (pct: number) => Promise<void>
}

interface Produced { filename: string, contentType: string, rowCount: number }

/** Writes `chunk`, waiting for the stream to drain when its buffer is full (backpressure). */
async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
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

/** A table written row batch by row batch in one of the three formats. */
interface TableSink {
  rows: (rows: string[][]) => Promise<void>
  end: () => Promise<void>
}

function csvSink(out: Writable, table: Pick<ReportTable, 'columns'>): TableSink {
  const line = (row: string[]) => row.map(csvField).join(',') + '\r\n'
  let header: string | undefined = line(table.columns.map(c => c.label))
  return {
    async rows(rows) {
      await write(out, (header ?? '') + rows.map(line).join(''))
      header = undefined
    },
    async end() {
      if (header) await write(out, header)
      out.end()
      await finished(out)
    },
  }
}

/** Chunks (64 KiB each) of sheet XML that may wait for the zip before rows are added again. */
const XLSX_MAX_BACKLOG_CHUNKS = 16

function xlsxSink(out: Writable, table: Omit<ReportTable, 'rows'>): TableSink {
  const workbook = new WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Paksa Financial'
  const sheet = workbook.addWorksheet(table.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '))
  // Widths are fixed up front: a streamed sheet cannot be measured after its rows are gone.
  sheet.columns = table.columns.map(c => ({ width: c.amount ? 16 : Math.min(48, 12 * (c.weight ?? 1)) }))
  const title = sheet.addRow([table.title])
  title.font = { bold: true, size: 14 }
  title.commit()
  sheet.addRow([table.subtitle]).commit()
  sheet.addRow([]).commit()
  const header = sheet.addRow(table.columns.map(c => c.label))
  header.font = { bold: true }
  header.commit()
  const sheetBacklog = () => (sheet as unknown as { stream: { buffers: unknown[] } }).stream.buffers.length
  return {
    async rows(rows) {
      for (const values of rows) {
        // Amounts become spreadsheet numbers for display and sums; the figures were computed as decimals.
        const row = sheet.addRow(values.map((v, i) => table.columns[i]?.amount && v !== '' ? Number(v) : v))
        table.columns.forEach((c, i) => {
          if (c.amount) row.getCell(i + 1).numFmt = '#,##0.00;-#,##0.00'
        })
        row.commit()
      }
      // exceljs keeps the sheet's XML in its own buffer until the zip has deflated it, and writes
      // there without backpressure: wait for that backlog to clear, or a fast database fills memory.
      while (sheetBacklog() > XLSX_MAX_BACKLOG_CHUNKS) await new Promise(resolve => setTimeout(resolve, 5))
      if (out.writableNeedDrain) await once(out, 'drain')
    },
    async end() {
      sheet.commit()
      await workbook.commit()
    },
  }
}

function pdfSink(out: Writable, table: Omit<ReportTable, 'rows'>): TableSink {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: `${table.title} — ${table.subtitle}`, Producer: 'Paksa Financial', Creator: 'Paksa Financial' } })
  doc.pipe(out)
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const amountWidth = 80
  const columns: ReportColumn[] = table.columns
  const amounts = columns.filter(c => c.amount).length
  const weights = columns.reduce((s, c) => s + (c.amount ? 0 : c.weight ?? 1), 0)
  const widths = columns.map(c => c.amount ? amountWidth : (width - amounts * amountWidth) * (c.weight ?? 1) / Math.max(1, weights))
  const bottom = doc.page.height - doc.page.margins.bottom
  const line = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8)
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 4 })), 10)
    if (doc.y + height > bottom) doc.addPage()
    const y = doc.y
    let x = left
    cells.forEach((c, i) => {
      doc.text(c, x, y, { width: widths[i]! - 4, align: columns[i]?.amount ? 'right' : 'left' })
      x += widths[i]!
    })
    doc.x = left
    doc.y = y + height + 3
  }
  doc.font('Helvetica-Bold').fontSize(14).text(table.title, left)
  doc.font('Helvetica').fontSize(9).text(table.subtitle, left).moveDown()
  line(columns.map(c => c.label), true)
  return {
    async rows(rows) {
      for (const row of rows) line(row, /^(Opening|Closing) balance$/.test(row[2] ?? ''))
      // pdfkit pushes without backpressure: let what it has produced reach the file first.
      while (doc.readableLength > PART_SIZE) await new Promise(resolve => setTimeout(resolve, 5))
      if (out.writableNeedDrain) await once(out, 'drain')
    },
    async end() {
      doc.end()
      await finished(out)
    },
  }
}

function sinkFor(format: ReportFormat, out: Writable, table: Omit<ReportTable, 'rows'>): TableSink {
  return format === 'csv' ? csvSink(out, table) : format === 'xlsx' ? xlsxSink(out, table) : pdfSink(out, table)
}

type GlLine = { id: string, date: string, number: number, line_no: number, memo: string, description: string | null, debit: string, credit: string }

/**
 * Every posted line of one account over the range, streamed: the header figures and the lines all
 * come from one REPEATABLE READ snapshot, read in keyset batches of GL_BATCH_LINES in the general
 * ledger's order (date, entry number, line number, id), each batch written before the next is read.
 */
async function writeGeneralLedger(attempt: Attempt, params: Record<string, string>, format: ReportFormat, out: Writable): Promise<Produced> {
  const query = parseTyped('general-ledger', params)
  const progress = progressReporter(attempt)
  return withTenant(attempt.tenantId, async (tx) => {
    const { account, from, places, opening, signed, total, head: frame } = await generalLedgerFrame(tx, query)
    const head: GeneralLedger = { ...frame, rows: [], page: 1, pageSize: total, total }
    const table = generalLedgerTable(head)
    const sink = sinkFor(format, out, table)
    await sink.rows([table.rows[0]!])
    let running = opening
    let after: GlLine | undefined
    let done = 0
    for (;;) {
      const keyset = after
        ? sql`and l.entry_date >= ${after.date}::date and (l.entry_date, e.number, l.line_no, l.id) > (${after.date}::date, ${after.number}::int, ${after.line_no}::int, ${after.id}::uuid)`
        : sql``
      const batch = await tx.execute<GlLine>(sql`
        select l.id, l.entry_date::text as date, e.number, l.line_no, e.memo, l.description, l.base_debit::text as debit, l.base_credit::text as credit
          from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
         where e.status = 'posted' and l.account_id = ${account.id} and l.entry_date >= ${from} and l.entry_date <= ${query.to} ${keyset}
         order by l.entry_date, e.number, l.line_no, l.id
         limit ${GL_BATCH_LINES}`)
      if (!batch.length) break
      await sink.rows(batch.map((l) => {
        running = running.plus(new Dec(l.debit)).minus(l.credit)
        return [l.date, String(l.number), l.description ? `${l.memo} — ${l.description}` : l.memo, formatMoney(new Dec(l.debit), places), formatMoney(new Dec(l.credit), places), signed(running)]
      }))
      done += batch.length
      after = batch[batch.length - 1]
      await progress(done, total)
      if (batch.length < GL_BATCH_LINES) break
    }
    await sink.rows([table.rows[table.rows.length - 1]!])
    await sink.end()
    return { filename: `${table.name}.${format}`, contentType: MEDIA_TYPES[format], rowCount: done }
  }, { isolation: 'repeatable read' })
}

/** The small statements: built whole with the report's own function, then written at once. */
async function writeStatement(attempt: Attempt, report: Exclude<ExportReport, 'general-ledger'>, params: Record<string, string>, format: ReportFormat, out: Writable): Promise<Produced> {
  const table = await withTenant(attempt.tenantId, async (tx) => {
    switch (report) {
      case 'trial-balance': return trialBalanceTable(await trialBalance(tx, parseTyped(report, params)))
      case 'balance-sheet': return balanceSheetTable(await balanceSheet(tx, parseTyped(report, params)))
      case 'income-statement': return incomeStatementTable(await incomeStatement(tx, parseTyped(report, params)))
      case 'cash-flow': return cashFlowTable(await cashFlow(tx, parseTyped(report, params)))
    }
  })
  const file = await renderReport(format, table)
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
    title: `${exportTitle(row.report as ExportReport)} export is ready`,
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
    const report = row.report as ExportReport
    const produced = report === 'general-ledger'
      ? await writeGeneralLedger(attempt, row.params, row.format, out)
      : await writeStatement(attempt, report, row.params, row.format, out)
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
    title: `${exportTitle(row.report as ExportReport)} export failed`,
    body: row.error ?? '',
    link: '/reports/exports',
    dedupeKey: `export:${row.id}`,
  })
}
