/**
 * Statement imports (SPEC §5 `bank-accounts/{id}/imports`, §6 module 7; issue 14 point 2): a file
 * (CSV with a column mapping, OFX, CAMT.053) is parsed whole by the parsers of this folder, its
 * statements narrowed to this bank account's (statementsFor; a file naming only other accounts is 422
 * IMPORT_ACCOUNT_MISMATCH; one in another currency than the account's 422 IMPORT_CURRENCY_MISMATCH), and its lines written with their duplicate keys (lineKeys). A malformed
 * file is 400 IMPORT_INVALID naming each bad line, and nothing is written.
 *
 * No line is imported twice: the keys already stored for the bank account are counted as duplicates
 * (the bank account row is locked FOR UPDATE, so two imports of one account run one after the
 * other), and the insert is ON CONFLICT DO NOTHING on the database's UNIQUE (tenant, bank account,
 * key) — the guarantee holds whatever the application does. Lines of amount zero move no money:
 * they are skipped and counted (`skipped`), keeping their place in the keys of the lines around them.
 *
 * One import is one audit event and, when it brought at least one new line, one
 * `bank_transaction.imported` event with the counts (not the lines: a follower reads them with
 * `GET /bank-transactions?importId=`); both carry the account number masked only.
 */
import { createHash } from 'node:crypto'
import { and, asc, count, desc, eq, gte, ilike, inArray, lte, or, type SQL } from 'drizzle-orm'
import { bankImports, bankTransactions } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import { recordEvent } from '../events/events'
import { Dec } from '../money'
import { likePattern } from '../sales/tax-rates'
import { bankAccountNumber, bankAccountRow, saveCsvMapping } from './accounts'
import { parseCamt053 } from './camt053'
import { parseCsvStatement, readCsv, type CsvMapping } from './csv-statement'
import { parseOfx } from './ofx'
import { applyRules, rulesInOrder } from './rules'
import { lineKeys, StatementError, statementsFor, type Statement, type StatementBalance, type StatementLine } from './statement'

export type StatementFormat = 'csv' | 'ofx' | 'camt053'

/**
 * Lines one request imports (SPEC §5: "in the request up to 5,000 lines and as a worker job with
 * progress above that"): a file that may hold more goes to the worker (./import-jobs.ts).
 */
export const MAX_IMPORT_LINES = 5000
const PREVIEW_ROWS = 20

export interface ImportInput {
  format: StatementFormat
  content: string
  fileName?: string | null
  mapping?: CsvMapping
  saveMapping?: boolean
}

type TxRow = typeof bankTransactions.$inferSelect
type ImportRow = typeof bankImports.$inferSelect
type BankRow = Awaited<ReturnType<typeof bankAccountRow>>
export type BankTransaction = Omit<TxRow, 'tenantId' | 'dedupeKey' | 'updatedAt'>

const presentLine = ({ tenantId: _t, dedupeKey: _k, updatedAt: _u, ...r }: TxRow): BankTransaction => r

/** A parser's refusal as the route's: 400 IMPORT_INVALID with each problem by its line. */
export function importInvalid(err: unknown): unknown {
  return err instanceof StatementError ? new ValidationError(err.message, err.fields, 'IMPORT_INVALID') : err
}

/** The statements of a file; a malformed one is 400 IMPORT_INVALID with each problem by its line. */
export function readStatements(format: StatementFormat, content: string, mapping: CsvMapping | null): Statement[] {
  try {
    if (format === 'csv') return parseCsvStatement(content, mapping!)
    if (format === 'ofx') return parseOfx(content)
    return parseCamt053([content])
  }
  catch (err) {
    throw importInvalid(err)
  }
}

/** The CSV mapping an import reads with: the one given, else the bank account's saved one (422 IMPORT_MAPPING_REQUIRED without either); null for other formats. */
export function importMapping(bank: { csvMapping: unknown }, format: StatementFormat, given: CsvMapping | undefined): CsvMapping | null {
  const mapping = format === 'csv' ? (given ?? (bank.csvMapping as CsvMapping | null) ?? null) : null
  if (format === 'csv' && !mapping) {
    throw new RuleError('A CSV file needs a column mapping, and this bank account has none saved', 'IMPORT_MAPPING_REQUIRED', { mapping: 'is required: no mapping is saved for this bank account' })
  }
  return mapping
}

export interface ParsedImport {
  lines: StatementLine[]
  keys: string[]
  closing: StatementBalance | null
  mapping: CsvMapping | null
}

/** A file's statements narrowed to this bank account: its lines with their keys, and its latest closing balance. */
export async function accountLines(tx: Tx, tenantId: string, bank: { id: string, currency: string }, statements: Statement[], mapping: CsvMapping | null): Promise<ParsedImport> {
  const mine = statementsFor(statements, await bankAccountNumber(tx, tenantId, bank.id))
  if (!mine) {
    throw new RuleError('The file is the statement of another account: none of its accounts is this bank account\'s number', 'IMPORT_ACCOUNT_MISMATCH', { content: 'names only other accounts' })
  }
  const foreign = mine.find(s => s.currency && s.currency.toUpperCase() !== bank.currency)
  if (foreign) {
    throw new RuleError(`The statement is in ${foreign.currency}; this bank account keeps ${bank.currency}`, 'IMPORT_CURRENCY_MISMATCH', { content: `is a ${foreign.currency} statement` })
  }
  const lines = mine.flatMap(s => s.lines)
  const closing = mine.map(s => s.closing).filter((c): c is StatementBalance => !!c).sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1) ?? null
  return { lines, keys: lineKeys(lines), closing, mapping }
}

/** The file's lines for this bank account with their keys, and its latest closing balance. */
async function parseFor(tx: Tx, tenantId: string, bank: BankRow, input: { format: StatementFormat, content: string, mapping?: CsvMapping }): Promise<ParsedImport> {
  const mapping = importMapping(bank, input.format, input.mapping)
  return accountLines(tx, tenantId, bank, readStatements(input.format, input.content, mapping), mapping)
}

/** The keys among `keys` this bank account has imported before. */
async function knownKeys(tx: Tx, bankAccountId: string, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await tx.select({ k: bankTransactions.dedupeKey }).from(bankTransactions)
      .where(and(eq(bankTransactions.bankAccountId, bankAccountId), inArray(bankTransactions.dedupeKey, keys.slice(i, i + 1000))))
    for (const r of rows) found.add(r.k)
  }
  return found
}

/** An import's facts as the answer, the audit and the event give them (the job's result too). */
export const importSummary = (row: ImportRow, masked: string | null) => ({
  id: row.id, bankAccountId: row.bankAccountId, accountNumberMasked: masked, format: row.format, fileName: row.fileName, sha256: row.sha256,
  imported: row.linesImported, duplicates: row.linesDuplicate, skipped: row.linesSkipped,
  closingBalance: row.closingBalance, closingBalanceDate: row.closingBalanceDate,
})

export const sha256Of = (content: string) => createHash('sha256').update(content, 'utf8').digest('hex')

export interface WriteImportOptions {
  /** Return the new lines (the request's answer); the worker's job does not keep them. */
  keepLines?: boolean
  /** Told after each batch of lines is written. */
  onProgress?: (written: number, total: number) => Promise<void>
}

/**
 * Writes a parsed import of a bank account locked FOR UPDATE (bankAccountRow(tx, id, true)): the
 * lines not imported before, in batches of 1,000, the import row, the audit and, when a line is new,
 * the event. The request and the worker's job both write through this.
 */
export async function writeImport(tx: Tx, tenantId: string, actor: Actor, bank: BankRow, parsed: ParsedImport, file: { format: StatementFormat, fileName?: string | null, sha256: string, saveMapping?: boolean }, options: WriteImportOptions = {}) {
  const known = await knownKeys(tx, bank.id, parsed.keys)
  const fresh = parsed.lines.map((line, i) => ({ line, key: parsed.keys[i]! })).filter(x => !known.has(x.key) && !new Dec(x.line.amount).isZero())
  const skipped = parsed.lines.filter(l => new Dec(l.amount).isZero()).length
  const [row] = await tx.insert(bankImports).values({
    tenantId, bankAccountId: bank.id, format: file.format, fileName: file.fileName ?? null, sha256: file.sha256,
    linesTotal: parsed.lines.length, linesImported: fresh.length, linesDuplicate: parsed.lines.length - fresh.length - skipped, linesSkipped: skipped,
    closingBalance: parsed.closing?.amount ?? null, closingBalanceDate: parsed.closing?.date ?? null, createdBy: actor.id ?? null,
  }).returning() as [ImportRow]
  const kept: TxRow[] = []
  const categorized = new Set<string>()
  // Rules marked autoApply categorise the new lines they match (./rules.ts), in this transaction;
  // without one, and when the answer does not list the lines (a worker job), only the ids come back.
  const whole = options.keepLines || (await rulesInOrder(tx)).some(r => r.autoApply)
  let written = 0
  for (let i = 0; i < fresh.length; i += 1000) {
    const values = fresh.slice(i, i + 1000).map(({ line, key }) => ({
      tenantId, bankAccountId: bank.id, importId: row.id, date: line.date, amount: line.amount, description: line.description,
      reference: line.reference, bankId: line.bankId, counterparty: line.counterparty, dedupeKey: key,
    }))
    const insert = tx.insert(bankTransactions).values(values).onConflictDoNothing()
    if (whole) {
      const rows = await insert.returning()
      const done = await applyRules(tx, tenantId, actor, bank, rows)
      for (const r of rows) {
        if (done.has(r.id)) r.status = 'matched'
        if (done.has(r.id)) categorized.add(r.id)
      }
      if (options.keepLines) kept.push(...rows)
      written += rows.length
    }
    else written += (await insert.returning({ id: bankTransactions.id })).length
    await options.onProgress?.(written, fresh.length)
  }
  // The account row is locked, so no other import ran in between; the database's key caught one anyway.
  if (written !== fresh.length) throw new ConflictError('Another import of this bank account wrote the same lines; try again', 'CONFLICT')
  if (file.saveMapping && parsed.mapping) await saveCsvMapping(tx, bank.id, parsed.mapping)
  const facts = { ...importSummary(row, bank.accountNumberMasked), categorized: categorized.size }
  await recordAudit(tx, tenantId, actor, { action: 'bank_import.create', entityType: 'bank_import', entityId: row.id, after: { ...facts, mappingSaved: !!file.saveMapping } })
  if (fresh.length) {
    let from = fresh[0]!.line.date
    let to = from
    for (const { line } of fresh) {
      if (line.date < from) from = line.date
      if (line.date > to) to = line.date
    }
    await recordEvent(tx, tenantId, { type: 'bank_transaction.imported', entityType: 'bank_import', entityId: row.id, data: { ...facts, from, to } })
  }
  return { row, facts, transactions: kept.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map(presentLine) }
}

/** An import in the request (up to MAX_IMPORT_LINES lines of this account; the route sends larger files to the worker). */
export async function importStatement(tx: Tx, tenantId: string, actor: Actor, bankAccountId: string, input: ImportInput) {
  const bank = await bankAccountRow(tx, bankAccountId, true)
  const parsed = await parseFor(tx, tenantId, bank, input)
  if (parsed.lines.length > MAX_IMPORT_LINES) {
    throw new RuleError(`The file has ${parsed.lines.length} lines for this account; one request imports at most ${MAX_IMPORT_LINES}`, 'IMPORT_TOO_MANY_LINES', { content: `has more than ${MAX_IMPORT_LINES} lines` })
  }
  const { row, facts, transactions } = await writeImport(tx, tenantId, actor, bank, parsed, { ...input, sha256: sha256Of(input.content) }, { keepLines: true })
  return { ...facts, transactions, createdAt: row.createdAt }
}

export interface PreviewInput {
  format: StatementFormat
  content: string
  mapping?: CsvMapping
  hasHeader?: boolean
  skipRows?: number
  delimiter?: string
}

/** What an import would read, writing nothing: a CSV's first rows as read, the first lines and which are duplicates. */
export async function previewStatement(tx: Tx, tenantId: string, bankAccountId: string, input: PreviewInput) {
  const bank = await bankAccountRow(tx, bankAccountId)
  const mapping = input.format === 'csv' ? (input.mapping ?? (bank.csvMapping as CsvMapping | null) ?? null) : null
  let csv = null
  if (input.format === 'csv') {
    try {
      const read = readCsv(input.content, mapping ?? { hasHeader: input.hasHeader, skipRows: input.skipRows, delimiter: input.delimiter }, PREVIEW_ROWS)
      csv = { delimiter: read.delimiter, header: read.header, rows: read.rows.slice(0, PREVIEW_ROWS).map(r => ({ line: r.info.lines, cells: r.record })) }
    }
    catch (err) {
      if (err instanceof StatementError) throw new ValidationError(err.message, err.fields, 'IMPORT_INVALID')
      throw err
    }
    if (!mapping) return { format: input.format, csv, mapping: null, lines: [], total: 0, duplicates: 0 }
  }
  const parsed = await parseFor(tx, tenantId, bank, { ...input, mapping: mapping ?? undefined })
  const known = await knownKeys(tx, bank.id, parsed.keys)
  return {
    format: input.format, csv, mapping,
    lines: parsed.lines.slice(0, PREVIEW_ROWS).map((l, i) => ({
      source: l.source, date: l.date, amount: l.amount, description: l.description, reference: l.reference, bankId: l.bankId, counterparty: l.counterparty,
      duplicate: known.has(parsed.keys[i]!),
    })),
    total: parsed.lines.length,
    duplicates: parsed.keys.filter(k => known.has(k)).length,
  }
}

export interface BankTransactionListQuery {
  page: number
  pageSize: number
  q?: string
  bankAccountId?: string
  importId?: string
  status?: TxRow['status']
  from?: string
  to?: string
  sort?: { field: 'date' | 'amount' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listBankTransactions(tx: Tx, query: BankTransactionListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const t = bankTransactions
  const where: SQL | undefined = and(
    query.bankAccountId ? eq(t.bankAccountId, query.bankAccountId) : undefined,
    query.importId ? eq(t.importId, query.importId) : undefined,
    query.status ? eq(t.status, query.status) : undefined,
    query.from ? gte(t.date, query.from) : undefined,
    query.to ? lte(t.date, query.to) : undefined,
    like ? or(ilike(t.description, like), ilike(t.reference, like), ilike(t.counterparty, like)) : undefined,
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(t).where(where) as [{ total: number }]
  const rows = await tx.select().from(t).where(where).orderBy(dir(t[query.sort?.field ?? 'date']), asc(t.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(presentLine), total: Number(total) }
}

export async function getBankTransaction(tx: Tx, id: string): Promise<BankTransaction> {
  const [row] = await tx.select().from(bankTransactions).where(eq(bankTransactions.id, id))
  if (!row) throw new NotFoundError('Bank transaction')
  return presentLine(row)
}
