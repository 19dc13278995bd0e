/**
 * The general ledger as a streamed export file: one account's posted lines over a range, or every
 * account's of a code range, any number of them, with memory bounded, on the same PDF base (and XLSX head) as the other reports.
 * The header figures and the lines all come from the caller's transaction, which the export runner
 * opens at REPEATABLE READ (one snapshot, consistent however long it runs), read in keyset batches.
 */
import type { Writable } from 'node:stream'
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/tenant'
import { Dec, format as formatMoney } from '../money'
import { documentOptions } from '../settings/settings'
import { generalLedgerAccountsHead, generalLedgerTable, ledgerLineCells, ledgerSectionLabel, MEDIA_TYPES, type ReportFormat } from './export'
import { sinkFor } from './export-stream'
import { checkLedgerQuery, ledgerAccountsFrame, type LedgerQuery } from './general-ledgers'
import { generalLedgerFrame, type GeneralLedger } from './statements'

/** Lines read (and written) per batch of a streamed general ledger. */
export const GL_BATCH_LINES = 5000

/** What a streamed file writer gets from the export runner. */
export interface FileRun {
  /** The member the file is for (its PDF says "Prepared by"); null for a scheduled run. */
  preparedFor: string | null
  /** Hears the rows written so far of `total`; throws when another attempt took the export over. */
  progress: (done: number, total: number) => Promise<void>
}

/** What a file writer produced: the stored file's name and type, and its row count. */
export interface ProducedFile { filename: string, contentType: string, rowCount: number }

type GlLine = { id: string, date: string, number: number, line_no: number, memo: string, description: string | null, debit: string, credit: string }

/**
 * Every posted line of one account over the range, read in keyset batches of GL_BATCH_LINES in
 * the general ledger's order (date, entry number, line number, id); each batch is handed to
 * `write` with the running balance (debit − credit, from `opening`) after each line, and written
 * before the next is read.
 */
async function eachLineBatch(tx: Tx, accountId: string, from: string, to: string, opening: Dec, write: (lines: GlLine[], running: Dec[]) => Promise<void>): Promise<number> {
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
       where e.status = 'posted' and l.account_id = ${accountId} and l.entry_date >= ${from} and l.entry_date <= ${to} ${keyset}
       order by l.entry_date, e.number, l.line_no, l.id
       limit ${GL_BATCH_LINES}`)
    if (!batch.length) break
    const balances = batch.map((l) => {
      running = running.plus(new Dec(l.debit)).minus(l.credit)
      return running
    })
    await write([...batch], balances)
    done += batch.length
    after = batch[batch.length - 1]
    if (batch.length < GL_BATCH_LINES) break
  }
  return done
}

const lineCells = (l: GlLine, places: number, balance: string) =>
  ledgerLineCells({ ...l, debit: formatMoney(new Dec(l.debit), places), credit: formatMoney(new Dec(l.credit), places) }, balance)

/**
 * The general ledger's export file, streamed: one account's (`accountId`) or every account's of a
 * code range, each account a section with its opening balance, lines and closing balance. The
 * header figures and the lines all come from `tx` (a REPEATABLE READ transaction of the tenant,
 * so one snapshot), the lines read in keyset batches, each written before the next is read.
 */
export async function writeGeneralLedgerFile(tx: Tx, run: FileRun, query: LedgerQuery, format: ReportFormat, out: Writable): Promise<ProducedFile> {
  checkLedgerQuery(query)
  if (!query.accountId) return writeLedgerAccountsFile(tx, run, query, format, out)
  const { account, from, places, opening, signed, total, head: frame } = await generalLedgerFrame(tx, { ...query, accountId: query.accountId })
  const head: GeneralLedger = { ...frame, rows: [], page: 1, pageSize: total, total }
  const table = generalLedgerTable(head)
  const sink = sinkFor(format, out, { ...table, places }, await documentOptions(tx, run.preparedFor))
  await sink.rows([table.rows[0]!])
  let done = 0
  await eachLineBatch(tx, account.id, from, query.to, opening, async (lines, running) => {
    await sink.rows(lines.map((l, i) => lineCells(l, places, signed(running[i]!))))
    done += lines.length
    await run.progress(done, total)
  })
  await sink.rows([table.rows[table.rows.length - 1]!])
  await sink.end()
  return { filename: `${table.name}.${format}`, contentType: MEDIA_TYPES[format], rowCount: done }
}

/** Every account of a code range (or of the chart), account after account, in one streamed file. */
async function writeLedgerAccountsFile(tx: Tx, run: FileRun, query: LedgerQuery, format: ReportFormat, out: Writable): Promise<ProducedFile> {
  const { currency, places, from, frames, total } = await ledgerAccountsFrame(tx, query)
  const table = generalLedgerAccountsHead({ currency, from: query.from ?? null, to: query.to, fromCode: query.fromCode ?? null, toCode: query.toCode ?? null })
  const sink = sinkFor(format, out, { ...table, places }, await documentOptions(tx, run.preparedFor))
  let done = 0
  for (const f of frames) {
    const label = ledgerSectionLabel(f.account)
    const signed = (v: Dec) => formatMoney(v.times(f.sign), places)
    await sink.rows([[label, '', '', 'Opening balance', '', '', signed(f.opening)]])
    if (f.lineCount) {
      await eachLineBatch(tx, f.account.id, from, query.to, f.opening, async (lines, running) => {
        await sink.rows(lines.map((l, i) => [label, ...lineCells(l, places, signed(running[i]!))]))
        done += lines.length
        await run.progress(done, total)
      })
    }
    await sink.rows([[label, '', '', 'Closing balance', '', '', signed(f.opening.plus(f.net))]])
  }
  await sink.end()
  return { filename: `${table.name}.${format}`, contentType: MEDIA_TYPES[format], rowCount: done }
}
