/**
 * Statement imports above 5,000 lines, in the worker (SPEC §5: "in the request up to 5,000 lines
 * and as a worker job with progress above that"; issue 14 point 2) — the request's side and the
 * job resource. The request stores the file's text in file storage (server/core/files.ts) under
 * `bank-imports:<tenant>:<job>` and writes a `bank_import_jobs` row in its transaction; it is
 * enqueued after the commit and run by ./import-job-runner.ts (an outbox kind, like report exports).
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { eq } from 'drizzle-orm'
import { bankImportJobs, bankImports } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { createPartWriter, PART_SIZE, removeFiles } from '../../core/files'
import type { Actor } from '../audit/audit'
import { NotFoundError } from '../errors'
import { bankAccountRow } from './accounts'
import type { CsvMapping } from './csv-statement'
import { importMapping, importSummary, MAX_IMPORT_LINES, sha256Of, type ImportInput, type StatementFormat } from './imports'

export type ImportJobRow = typeof bankImportJobs.$inferSelect

/** Where a job's file lives in file storage. */
export const importFilePrefix = (tenantId: string, jobId: string) => `bank-imports:${tenantId}:${jobId}`

/**
 * At least as many lines as the file can give one bank account, counted without parsing (the
 * request decides with it whether the import runs in the request or in the worker): a CSV's rows
 * (physical lines, less the header and skipped rows), an OFX file's `<STMTTRN>`, a CAMT.053 file's
 * entries, each counted as its transaction details when it has several (a batch booking is split).
 */
export function linesAtMost(format: StatementFormat, content: string, mapping: CsvMapping | null): number {
  if (format === 'csv') {
    let newlines = 0
    let returns = 0
    for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) newlines++
    for (let i = content.indexOf('\r'); i >= 0; i = content.indexOf('\r', i + 1)) returns++
    const rows = Math.max(newlines, returns) + 1
    return Math.max(0, rows - (mapping?.skipRows ?? 0) - (mapping?.hasHeader === false ? 0 : 1))
  }
  if (format === 'ofx') return content.match(/<STMTTRN[\s>]/g)?.length ?? 0
  let lines = 0
  let details = -1
  for (const m of content.matchAll(/<(?:[\w.-]+:)?(Ntry|TxDtls)[\s>/]/g)) {
    if (m[1] === 'Ntry') {
      if (details >= 0) lines += Math.max(1, details)
      details = 0
    }
    else if (details >= 0) details++
  }
  return details >= 0 ? lines + Math.max(1, details) : lines
}

/** Whether an import goes to the worker: the file may hold more than MAX_IMPORT_LINES lines. */
export function importGoesToWorker(bank: { csvMapping: unknown }, input: ImportInput): boolean {
  return linesAtMost(input.format, input.content, input.format === 'csv' ? (input.mapping ?? (bank.csvMapping as CsvMapping | null)) : null) > MAX_IMPORT_LINES
}

/**
 * The request's side: the file stored, the job row written (`queued`) in the caller's transaction;
 * the caller enqueues it after the commit (startImportJob). A CSV without a mapping given or saved
 * is refused here (422 IMPORT_MAPPING_REQUIRED); everything else about the file is the job's to find.
 */
export async function requestImportJob(tx: Tx, tenantId: string, actor: Actor, bankAccountId: string, input: ImportInput): Promise<ImportJobRow> {
  const bank = await bankAccountRow(tx, bankAccountId)
  const mapping = importMapping(bank, input.format, input.mapping)
  const bytes = Buffer.from(input.content, 'utf8')
  const [row] = await tx.insert(bankImportJobs).values({
    tenantId, bankAccountId: bank.id, format: input.format, fileName: input.fileName ?? null,
    mapping: mapping as Record<string, unknown> | null, saveMapping: !!input.saveMapping,
    size: bytes.length, parts: Math.ceil(bytes.length / PART_SIZE), sha256: sha256Of(input.content),
    requestedBy: actor.type === 'user' ? actor.id ?? null : null,
  }).returning() as [ImportJobRow]
  const prefix = importFilePrefix(tenantId, row.id)
  try {
    const out = createPartWriter(prefix)
    // Handed over a part at a time: the writer stores what it holds whenever it reaches a part's size.
    await pipeline(Readable.from((function* () {
      for (let i = 0; i < bytes.length; i += PART_SIZE) yield bytes.subarray(i, i + PART_SIZE)
    })()), out)
    if (out.stored().parts !== row.parts) throw new Error(`stored ${out.stored().parts} parts of ${prefix}, expected ${row.parts}`)
  }
  catch (err) {
    // The transaction rolls back; no job will ever read what was stored.
    await removeFiles(prefix).catch(() => {})
    throw err
  }
  return row
}

// ---------------------------------------------------------------- reading

export interface ImportJobResource {
  jobId: string
  bankAccountId: string
  format: StatementFormat
  fileName: string | null
  status: ImportJobRow['status']
  progress: number
  linesParsed: number
  linesTotal: number | null
  linesWritten: number
  result?: ReturnType<typeof importSummary> & { categorized: number, createdAt: Date }
  error?: { code: string, message: string, fields?: Record<string, string> }
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

/** A job as the routes answer it: once done, its import's facts (the request's answer without the lines). */
export async function presentImportJob(tx: Tx, row: ImportJobRow): Promise<ImportJobResource> {
  let result: ImportJobResource['result']
  if (row.importId) {
    const [imported] = await tx.select().from(bankImports).where(eq(bankImports.id, row.importId))
    const bank = await bankAccountRow(tx, row.bankAccountId)
    if (imported) result = { ...importSummary(imported, bank.accountNumberMasked), categorized: row.linesCategorized, createdAt: imported.createdAt }
  }
  return {
    jobId: row.id, bankAccountId: row.bankAccountId, format: row.format, fileName: row.fileName, status: row.status, progress: row.progress,
    linesParsed: row.linesParsed, linesTotal: row.linesTotal, linesWritten: row.linesWritten,
    ...(result ? { result } : {}),
    ...(row.errorCode ? { error: { code: row.errorCode, message: row.error ?? '', ...(row.errorFields ? { fields: row.errorFields } : {}) } } : {}),
    createdAt: row.createdAt, startedAt: row.startedAt, finishedAt: row.finishedAt,
  }
}

/** One import job of the tenant; 404 for another tenant's id. */
export async function getImportJob(tx: Tx, id: string): Promise<ImportJobResource> {
  const [row] = await tx.select().from(bankImportJobs).where(eq(bankImportJobs.id, id))
  if (!row) throw new NotFoundError('Bank import job')
  return presentImportJob(tx, row)
}
