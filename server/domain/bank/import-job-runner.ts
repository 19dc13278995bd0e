/**
 * Statement imports above 5,000 lines, the worker's side (./import-jobs.ts is the request's): an
 * outbox kind like report exports (server/domain/reports/export-runner.ts). The request's row is
 * enqueued after its commit (503 QUEUE_UNAVAILABLE when the queue does not take it: startImportJob);
 * the outbox relay re-enqueues a lost one.
 *
 * The job reads the stored file back part by part and parses it whole with the parsers of this
 * folder (a CAMT.053 file streamed through saxes a part at a time, telling the lines read as it
 * goes), so a malformed file fails the job with IMPORT_INVALID and its lines before anything is
 * written. Then, in ONE transaction, the import is written exactly as the request writes it
 * (./imports.ts writeImport: the bank account locked, the same keys and duplicates, the same audit
 * and `bank_transaction.imported` event) and the job row moves to `done` naming the import —
 * guarded by the attempt's token, so a stale or duplicated attempt rolls its import back. Progress
 * is written in transactions of its own, so a poller sees it while the import is being written. A
 * refusal of the file (IMPORT_INVALID, IMPORT_ACCOUNT_MISMATCH …) fails the job at once with its
 * code; any other error is retried by the queue, and after the last attempt the job fails with
 * IMPORT_FAILED. The stored file is removed once the job is finished.
 */
import { randomUUID } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { BANK_IMPORT_JOB_STATUSES, bankImportJobs } from '../../../db/schema'
import { withTenant } from '../../../db/tenant'
import { readParts, removeFiles } from '../../core/files'
import { errorText, log } from '../../core/log'
import type { Actor } from '../audit/audit'
import { DomainError, NotFoundError } from '../errors'
import { defineOutboxKind, enqueueOutbox } from '../outbox/define'
import { bankAccountRow } from './accounts'
import { camt053Reader } from './camt053'
import type { CsvMapping } from './csv-statement'
import { importFilePrefix, type ImportJobRow } from './import-jobs'
import { accountLines, importInvalid, readStatements, writeImport } from './imports'
import type { Statement } from './statement'

/** How long a request waits for the queue before answering that it is unavailable. */
const ENQUEUE_TIMEOUT_MS = 10_000

/**
 * Enqueues a just-committed job. If the queue cannot take it (down, or not answering in time) the
 * job is failed (QUEUE_UNAVAILABLE, its file removed) so it does not wait for ever, and false is returned.
 */
export async function startImportJob(tenantId: string, jobId: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      enqueueOutbox(importJobKind, { tenantId, id: jobId }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS)
      }),
    ])
    return true
  }
  catch (err) {
    log.error('bank import enqueue failed', { tenantId, jobId, error: errorText(err) })
    await failImportJob(tenantId, jobId, { code: 'QUEUE_UNAVAILABLE', message: 'The job queue is unavailable; import the file again' })
    return false
  }
  finally {
    clearTimeout(timer)
  }
}

/** Another attempt took the job over (this one's token was replaced): stop quietly. */
class Superseded extends Error {}

/** Progress: the parse is the first half (by bytes read), the writing the second (by lines written). */
function progressReporter(tenantId: string, jobId: string, token: string, onProgress?: (pct: number) => Promise<void>) {
  let last = -1
  return async (pct: number, counts: { linesParsed?: number, linesTotal?: number, linesWritten?: number }, force = false) => {
    const at = Math.min(99, Math.max(0, Math.floor(pct)))
    if (!force && at < last + 2) return
    last = Math.max(last, at)
    const updated = await withTenant(tenantId, tx => tx.update(bankImportJobs).set({ progress: at, ...counts })
      .where(and(eq(bankImportJobs.id, jobId), eq(bankImportJobs.status, 'running'), eq(bankImportJobs.attemptToken, token)))
      .returning({ id: bankImportJobs.id }))
    if (!updated.length) throw new Superseded()
    await onProgress?.(at)
  }
}

async function claim(tenantId: string, jobId: string): Promise<{ row: ImportJobRow, claimed: boolean }> {
  return withTenant(tenantId, async (tx) => {
    const [claimed] = await tx.update(bankImportJobs)
      .set({ status: 'running', attemptToken: randomUUID(), attempts: sql`${bankImportJobs.attempts} + 1`, startedAt: new Date(), progress: 0, linesParsed: 0, linesWritten: 0 })
      .where(and(eq(bankImportJobs.id, jobId), inArray(bankImportJobs.status, ['queued', 'running'])))
      .returning()
    if (claimed) return { row: claimed, claimed: true }
    const [row] = await tx.select().from(bankImportJobs).where(eq(bankImportJobs.id, jobId))
    if (!row) throw new NotFoundError('Bank import job')
    return { row, claimed: false }
  })
}

async function currentJob(tenantId: string, jobId: string): Promise<ImportJobRow> {
  const [row] = await withTenant(tenantId, tx => tx.select().from(bankImportJobs).where(eq(bankImportJobs.id, jobId)))
  if (!row) throw new NotFoundError('Bank import job')
  return row
}

/**
 * The stored file's statements, read part by part: a CAMT.053 file is parsed as its parts arrive
 * (the text never held whole), the others once their text is complete. `tell(bytes, lines)` hears
 * how far it got. A malformed file throws IMPORT_INVALID.
 */
async function readStoredStatements(row: ImportJobRow, tell: (bytes: number, lines: number) => Promise<void>): Promise<Statement[]> {
  const decoder = new TextDecoder('utf-8')
  const camt = row.format === 'camt053' ? camt053Reader() : null
  const texts: string[] = []
  let bytes = 0
  try {
    for await (const part of readParts(importFilePrefix(row.tenantId, row.id), row.parts) as AsyncIterable<Buffer>) {
      bytes += part.length
      const text = decoder.decode(part, { stream: true })
      // Slices of 1 MiB keep each synchronous parse step short between progress reports.
      if (camt) {
        for (let i = 0; i < text.length; i += 1 << 20) camt.write(text.slice(i, i + (1 << 20)))
      }
      else texts.push(text)
      await tell(bytes, camt?.lines() ?? 0)
    }
    const rest = decoder.decode()
    if (camt) {
      if (rest) camt.write(rest)
      return camt.close()
    }
    texts.push(rest)
  }
  catch (err) {
    throw importInvalid(err)
  }
  return readStatements(row.format, texts.join(''), row.mapping as CsvMapping | null)
}

/**
 * Runs an import job: claims it, parses the stored file, writes the import and finishes the job in
 * one transaction. Idempotent: a finished job is returned untouched. A refusal of the file fails the
 * job at once (a domain error; retrying cannot help) and is returned as the failed job; any other
 * error is thrown for the queue to retry. `onProgress` hears 0–100.
 */
export async function runImportJob(tenantId: string, jobId: string, onProgress?: (pct: number) => Promise<void>): Promise<ImportJobRow> {
  const { row, claimed } = await claim(tenantId, jobId)
  if (!claimed) {
    if (row.status !== 'running' && row.status !== 'queued') await removeFiles(importFilePrefix(tenantId, jobId)).catch(() => {})
    return row
  }
  const token = row.attemptToken!
  const report = progressReporter(tenantId, jobId, token, onProgress)
  const actor: Actor = row.requestedBy ? { type: 'user', id: row.requestedBy } : { type: 'system' }
  try {
    const statements = await readStoredStatements(row, (bytes, lines) => report((bytes / row.size) * 50, { linesParsed: lines }))
    const done = await withTenant(tenantId, async (tx) => {
      const bank = await bankAccountRow(tx, row.bankAccountId, true)
      const mapping = row.format === 'csv' ? row.mapping as CsvMapping | null : null
      const parsed = await accountLines(tx, tenantId, bank, statements, mapping)
      await report(50, { linesParsed: parsed.lines.length, linesTotal: parsed.lines.length }, true)
      const { row: imported, facts } = await writeImport(tx, tenantId, actor, bank, parsed, { format: row.format, fileName: row.fileName, sha256: row.sha256, saveMapping: row.saveMapping }, {
        onProgress: (written, total) => report(50 + (total ? (written / total) * 50 : 50), { linesWritten: written }),
      })
      // Guarded by the attempt's token: a stale attempt's import rolls back with this transaction.
      const [finished] = await tx.update(bankImportJobs)
        .set({ status: 'done', importId: imported.id, progress: 100, linesParsed: parsed.lines.length, linesTotal: parsed.lines.length, linesWritten: imported.linesImported, linesCategorized: facts.categorized, finishedAt: new Date(), attemptToken: null })
        .where(and(eq(bankImportJobs.id, jobId), eq(bankImportJobs.status, 'running'), eq(bankImportJobs.attemptToken, token)))
        .returning()
      if (!finished) throw new Superseded()
      return finished
    })
    await removeFiles(importFilePrefix(tenantId, jobId)).catch(() => {})
    await onProgress?.(100)
    return done
  }
  catch (err) {
    if (err instanceof Superseded) return currentJob(tenantId, jobId)
    if (err instanceof DomainError) {
      await failImportJob(tenantId, jobId, { code: err.code, message: err.message, fields: err.fields })
      return currentJob(tenantId, jobId)
    }
    throw err
  }
}

/** Marks an unfinished job failed with its refusal, and removes its file. A finished job is left as it is. */
export async function failImportJob(tenantId: string, jobId: string, error: { code: string, message: string, fields?: Record<string, string> }): Promise<void> {
  const [row] = await withTenant(tenantId, tx => tx.update(bankImportJobs)
    .set({ status: 'failed', errorCode: error.code, error: error.message.slice(0, 500), errorFields: error.fields ?? null, finishedAt: new Date(), attemptToken: null })
    .where(and(eq(bankImportJobs.id, jobId), inArray(bankImportJobs.status, ['queued', 'running'])))
    .returning({ id: bankImportJobs.id }))
  await removeFiles(importFilePrefix(tenantId, jobId)).catch(() => {})
  if (row) log.warn('bank import job failed', { tenantId, jobId, code: error.code })
}

/** The job id in the queue: one job per import job row, however often it is enqueued. */
export const importJobQueueId = (jobId: string) => `bank-import-${jobId}`

/** Bank import jobs as an outbox kind: jobs `{ tenantId, jobId }` on the `bank-imports` queue. */
export const importJobKind = defineOutboxKind({
  name: 'bank-imports',
  table: bankImportJobs,
  id: bankImportJobs.id,
  status: bankImportJobs.status,
  createdAt: bankImportJobs.createdAt,
  statuses: BANK_IMPORT_JOB_STATUSES,
  view: {
    tenantId: bankImportJobs.tenantId, type: bankImportJobs.format, title: bankImportJobs.fileName, recipients: null,
    attempts: bankImportJobs.attempts, error: bankImportJobs.error, finishedAt: bankImportJobs.finishedAt,
    details: { size: bankImportJobs.size },
    present: details => details,
  },
  queue: 'bank-imports',
  jobId: importJobQueueId,
  jobData: ref => ({ tenantId: ref.tenantId!, jobId: ref.id }),
  refOf: data => ({ tenantId: data.tenantId, id: data.jobId }),
  process: async (ref, hooks) => {
    const row = await runImportJob(ref.tenantId!, ref.id, hooks.progress)
    return { status: row.status, importId: row.importId, error: row.errorCode }
  },
  fail: (ref, error) => failImportJob(ref.tenantId!, ref.id, {
    code: 'IMPORT_FAILED',
    message: error instanceof DomainError ? error.message : 'The import could not be completed; import the file again',
  }),
})
