/**
 * Bank reconciliation (SPEC §5 `bank-reconciliations`; issue 14 point 5): a session for one bank
 * account up to a statement date, with the statement's ending balance.
 *
 * - cleared balance = opening balance + the bank lines it clears: while open, the account's lines
 *   `matched` (not reconciled elsewhere) dated on or before the statement date; once completed, the
 *   lines that name it. Difference = statement ending balance − cleared balance.
 * - The opening balance is the latest completed session's ending balance, else the bank account's
 *   opening balance (0 without one). The statement date is after the latest completed session's
 *   (and not before the opening balance's date): 422 RECONCILIATION_DATE_INVALID.
 * - The ending balance may be left out when an import of this account closes on that date: the
 *   latest such import's closing balance is taken (400 on `statementEndingBalance` otherwise).
 * - Complete (bank account row locked): the lines are marked reconciled (naming the session), their
 *   sum checked again from the rows written, and the session completed only when the difference is
 *   exactly 0 (422 RECONCILIATION_DIFFERENCE, nothing changed); audit and
 *   `bank_reconciliation.completed`. The database (migration 0033) checks the same sum and freezes
 *   what a completed session holds; reversing an entry with a reconciled line is 422
 *   LEDGER_LINE_RECONCILED.
 * - Undo: only the latest completed session of the account, and only without an open session;
 *   it goes back to open and its lines back to matched (audit `bank_reconciliation.undo`).
 */
import { and, asc, count, desc, eq, lte, ne, sql, type SQL } from 'drizzle-orm'
import type { bankAccounts } from '../../../db/schema'
import { bankImports, bankReconciliations, bankTransactions } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError, RuleError, ValidationError } from '../errors'
import { recordEvent } from '../events/events'
import { Dec, decimalPlaces, format, minorUnit } from '../money'
import { bankAccountRow } from './accounts'

type Row = typeof bankReconciliations.$inferSelect
type BankAccountRow = typeof bankAccounts.$inferSelect

export interface Reconciliation {
  id: string
  bankAccountId: string
  bankAccountName: string
  currency: string
  statementDate: string
  statementEndingBalance: string
  openingBalance: string
  clearedBalance: string
  difference: string
  clearedDeposits: string
  clearedPayments: string
  clearedCount: number
  unmatchedCount: number
  status: 'open' | 'completed'
  completedAt: Date | null
  completedBy: string | null
  version: number
  createdAt: Date
  updatedAt: Date
}

/** The bank lines a session clears: its own once completed; while open, the account's matched lines up to the date. */
export function clearedBy(rec: Pick<Row, 'id' | 'bankAccountId' | 'statementDate' | 'status'>): SQL {
  return rec.status === 'completed'
    ? eq(bankTransactions.reconciliationId, rec.id)
    : and(eq(bankTransactions.bankAccountId, rec.bankAccountId), eq(bankTransactions.status, 'matched'), lte(bankTransactions.date, rec.statementDate))!
}

async function present(tx: Tx, row: Row, account?: BankAccountRow): Promise<Reconciliation> {
  const bank = account ?? await bankAccountRow(tx, row.bankAccountId)
  const places = minorUnit(bank.currency)
  const [[cleared], [unmatched]] = await Promise.all([
    tx.select({
      n: count(),
      deposits: sql<string>`coalesce(sum(${bankTransactions.amount}) filter (where ${bankTransactions.amount} > 0), 0)`,
      payments: sql<string>`coalesce(-sum(${bankTransactions.amount}) filter (where ${bankTransactions.amount} < 0), 0)`,
    }).from(bankTransactions).where(clearedBy(row)),
    tx.select({ n: count() }).from(bankTransactions).where(and(
      eq(bankTransactions.bankAccountId, row.bankAccountId), eq(bankTransactions.status, 'unmatched'), lte(bankTransactions.date, row.statementDate))),
  ])
  const clearedBalance = new Dec(row.openingBalance).plus(cleared!.deposits).minus(cleared!.payments)
  return {
    id: row.id, bankAccountId: row.bankAccountId, bankAccountName: bank.name, currency: bank.currency,
    statementDate: row.statementDate,
    statementEndingBalance: format(new Dec(row.statementEndingBalance), places),
    openingBalance: format(new Dec(row.openingBalance), places),
    clearedBalance: format(clearedBalance, places),
    difference: format(new Dec(row.statementEndingBalance).minus(clearedBalance), places),
    clearedDeposits: format(new Dec(cleared!.deposits), places),
    clearedPayments: format(new Dec(cleared!.payments), places),
    clearedCount: Number(cleared!.n),
    unmatchedCount: Number(unmatched!.n),
    status: row.status, completedAt: row.completedAt, completedBy: row.completedBy,
    version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  }
}

export async function reconciliationRow(tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(bankReconciliations).where(eq(bankReconciliations.id, id))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError('Bank reconciliation')
  return row
}

export async function getReconciliation(tx: Tx, id: string): Promise<Reconciliation> {
  return present(tx, await reconciliationRow(tx, id))
}

export interface ReconciliationListQuery { page: number, pageSize: number, bankAccountId?: string, status?: 'open' | 'completed', sort?: { field: 'statementDate', dir: 'asc' | 'desc' } }

export async function listReconciliations(tx: Tx, query: ReconciliationListQuery) {
  const where = and(
    query.bankAccountId ? eq(bankReconciliations.bankAccountId, query.bankAccountId) : undefined,
    query.status ? eq(bankReconciliations.status, query.status) : undefined,
  )
  const [{ total }] = await tx.select({ total: count() }).from(bankReconciliations).where(where) as [{ total: number }]
  const rows = await tx.select().from(bankReconciliations).where(where)
    .orderBy(...(query.sort?.dir === 'asc' ? [asc(bankReconciliations.statementDate), asc(bankReconciliations.id)] : [desc(bankReconciliations.statementDate), desc(bankReconciliations.id)])).limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  const data: Reconciliation[] = []
  for (const r of rows) data.push(await present(tx, r))
  return { data, total: Number(total) }
}

async function latestCompleted(tx: Tx, bankAccountId: string, except?: string): Promise<Row | undefined> {
  const [row] = await tx.select().from(bankReconciliations)
    .where(and(eq(bankReconciliations.bankAccountId, bankAccountId), eq(bankReconciliations.status, 'completed'), except ? ne(bankReconciliations.id, except) : undefined))
    .orderBy(desc(bankReconciliations.statementDate)).limit(1)
  return row
}

/** A statement date is after the last completed reconciliation's and not before the opening balance's date. */
function checkStatementDate(bank: BankAccountRow, last: Row | undefined, date: string) {
  if (last && date <= last.statementDate) {
    throw new RuleError(`The statement date must be after the last completed reconciliation's (${last.statementDate})`, 'RECONCILIATION_DATE_INVALID', { statementDate: `must be after ${last.statementDate}` })
  }
  if (bank.openingBalanceDate && date < bank.openingBalanceDate) {
    throw new RuleError(`The statement date cannot be before the opening balance's date (${bank.openingBalanceDate})`, 'RECONCILIATION_DATE_INVALID', { statementDate: `must be on or after ${bank.openingBalanceDate}` })
  }
}

function checkEndingBalance(bank: BankAccountRow, ending: string) {
  const places = minorUnit(bank.currency)
  if (decimalPlaces(new Dec(ending).toFixed()) > places) throw new ValidationError(`${bank.currency} has ${places} decimal places`, { statementEndingBalance: `has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
}

export interface ReconciliationInput { bankAccountId: string, statementDate: string, statementEndingBalance?: string }

export async function createReconciliation(tx: Tx, tenantId: string, actor: Actor, input: ReconciliationInput): Promise<Reconciliation> {
  const bank = await bankAccountRow(tx, input.bankAccountId, true)
  const [open] = await tx.select({ id: bankReconciliations.id }).from(bankReconciliations)
    .where(and(eq(bankReconciliations.bankAccountId, bank.id), eq(bankReconciliations.status, 'open')))
  if (open) throw new ConflictError('This bank account has an open reconciliation; complete it first', 'RECONCILIATION_OPEN', { bankAccountId: `has the open reconciliation ${open.id}` })
  const last = await latestCompleted(tx, bank.id)
  checkStatementDate(bank, last, input.statementDate)
  let ending = input.statementEndingBalance
  if (ending === undefined) {
    const [imported] = await tx.select({ balance: bankImports.closingBalance }).from(bankImports)
      .where(and(eq(bankImports.bankAccountId, bank.id), eq(bankImports.closingBalanceDate, input.statementDate)))
      .orderBy(desc(bankImports.createdAt)).limit(1)
    if (!imported?.balance) throw new ValidationError('Give the statement\'s ending balance', { statementEndingBalance: `is required: no imported statement of this account closes on ${input.statementDate}` })
    ending = imported.balance
  }
  checkEndingBalance(bank, ending)
  const openingBalance = last ? last.statementEndingBalance : (bank.openingBalance ?? '0')
  let row: Row
  try {
    ;[row] = await tx.insert(bankReconciliations).values({
      tenantId, bankAccountId: bank.id, statementDate: input.statementDate, statementEndingBalance: ending, openingBalance, createdBy: actor.id ?? null,
    }).returning() as [Row]
  }
  catch (err) {
    if (isUniqueViolation(err, 'bank_reconciliations_one_open_key')) throw new ConflictError('This bank account has an open reconciliation; complete it first', 'RECONCILIATION_OPEN')
    throw err
  }
  const created = await present(tx, row, bank)
  await recordAudit(tx, tenantId, actor, { action: 'bank_reconciliation.create', entityType: 'bank_reconciliation', entityId: row.id, after: created })
  return created
}

export interface ReconciliationPatch { statementDate?: string, statementEndingBalance?: string, version?: number }

/**
 * Corrects an open session's statement date or ending balance (a typing slip, or a session reopened
 * by undo whose lines have changed since); a completed one never changes (undo reopens the latest).
 */
export async function updateReconciliation(tx: Tx, tenantId: string, actor: Actor, id: string, patch: ReconciliationPatch): Promise<Reconciliation> {
  const peek = await reconciliationRow(tx, id)
  const bank = await bankAccountRow(tx, peek.bankAccountId, true)
  const rec = await reconciliationRow(tx, id, true)
  if (rec.status !== 'open') throw new ConflictError('This reconciliation is completed; undo it first (the latest one only)', 'RECONCILIATION_NOT_OPEN')
  if (patch.version !== undefined && patch.version !== rec.version) throw new ConflictError('This reconciliation was changed by someone else; reload and try again', 'STALE_VERSION')
  const statementDate = patch.statementDate ?? rec.statementDate
  if (patch.statementDate !== undefined) checkStatementDate(bank, await latestCompleted(tx, bank.id, id), statementDate)
  const statementEndingBalance = patch.statementEndingBalance ?? rec.statementEndingBalance
  if (patch.statementEndingBalance !== undefined) checkEndingBalance(bank, statementEndingBalance)
  const before = await present(tx, rec, bank)
  const [row] = await tx.update(bankReconciliations).set({ statementDate, statementEndingBalance, version: rec.version + 1, updatedAt: new Date() })
    .where(eq(bankReconciliations.id, id)).returning() as [Row]
  const after = await present(tx, row, bank)
  await recordAudit(tx, tenantId, actor, { action: 'bank_reconciliation.update', entityType: 'bank_reconciliation', entityId: id, before, after })
  return after
}

export async function completeReconciliation(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<Reconciliation> {
  const peek = await reconciliationRow(tx, id)
  const bank = await bankAccountRow(tx, peek.bankAccountId, true)
  const rec = await reconciliationRow(tx, id, true)
  if (rec.status !== 'open') throw new ConflictError('This reconciliation is already completed', 'RECONCILIATION_NOT_OPEN')
  const lines = await tx.update(bankTransactions).set({ status: 'reconciled', reconciliationId: rec.id, updatedAt: new Date() })
    .where(clearedBy(rec)).returning({ amount: bankTransactions.amount })
  const cleared = lines.reduce((s, l) => s.plus(l.amount), new Dec(rec.openingBalance))
  const difference = new Dec(rec.statementEndingBalance).minus(cleared)
  if (!difference.isZero()) {
    // thrown inside the transaction: the lines marked above roll back with it
    const places = minorUnit(bank.currency)
    throw new RuleError(`The statement's ending balance differs from the cleared balance ${format(cleared, places)} by ${format(difference, places)}`, 'RECONCILIATION_DIFFERENCE', { statementEndingBalance: `differs from the cleared balance by ${format(difference, places)}` })
  }
  const [done] = await tx.update(bankReconciliations).set({ status: 'completed', completedAt: new Date(), completedBy: actor.id ?? null, version: rec.version + 1, updatedAt: new Date() })
    .where(eq(bankReconciliations.id, id)).returning() as [Row]
  const completed = await present(tx, done, bank)
  await recordAudit(tx, tenantId, actor, { action: 'bank_reconciliation.complete', entityType: 'bank_reconciliation', entityId: id, after: completed })
  await recordEvent(tx, tenantId, {
    type: 'bank_reconciliation.completed', entityType: 'bank_reconciliation', entityId: id,
    data: { bankAccountId: bank.id, statementDate: done.statementDate, statementEndingBalance: completed.statementEndingBalance, openingBalance: completed.openingBalance, currency: bank.currency, lines: lines.length },
  })
  return completed
}

export async function undoReconciliation(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<Reconciliation> {
  const peek = await reconciliationRow(tx, id)
  const bank = await bankAccountRow(tx, peek.bankAccountId, true)
  const rec = await reconciliationRow(tx, id, true)
  if (rec.status !== 'completed') throw new ConflictError('Only a completed reconciliation can be undone', 'RECONCILIATION_NOT_COMPLETED')
  const later = await latestCompleted(tx, bank.id, id)
  if (later && later.statementDate > rec.statementDate) {
    throw new RuleError(`Only the latest completed reconciliation can be undone (undo the one of ${later.statementDate} first)`, 'RECONCILIATION_NOT_LATEST')
  }
  const [open] = await tx.select({ id: bankReconciliations.id }).from(bankReconciliations)
    .where(and(eq(bankReconciliations.bankAccountId, bank.id), eq(bankReconciliations.status, 'open')))
  if (open) throw new ConflictError('This bank account has an open reconciliation that starts from this one\'s ending balance; complete it or undo is impossible', 'RECONCILIATION_OPEN', { bankAccountId: `has the open reconciliation ${open.id}` })
  const before = await present(tx, rec, bank)
  // reopened first: the database lets a line leave `reconciled` only while its reconciliation is open
  const [reopened] = await tx.update(bankReconciliations).set({ status: 'open', completedAt: null, completedBy: null, version: rec.version + 1, updatedAt: new Date() })
    .where(eq(bankReconciliations.id, id)).returning() as [Row]
  await tx.update(bankTransactions).set({ status: 'matched', reconciliationId: null, updatedAt: new Date() }).where(eq(bankTransactions.reconciliationId, id))
  const after = await present(tx, reopened, bank)
  await recordAudit(tx, tenantId, actor, { action: 'bank_reconciliation.undo', entityType: 'bank_reconciliation', entityId: id, before, after })
  return after
}

/** The completed reconciliations of a bank account up to a date (ids), for the report's "cleared" test. */
export async function completedIdsUpTo(tx: Tx, bankAccountId: string, date: string): Promise<string[]> {
  const rows = await tx.select({ id: bankReconciliations.id }).from(bankReconciliations)
    .where(and(eq(bankReconciliations.bankAccountId, bankAccountId), eq(bankReconciliations.status, 'completed'), lte(bankReconciliations.statementDate, date)))
    .orderBy(asc(bankReconciliations.statementDate))
  return rows.map(r => r.id)
}
