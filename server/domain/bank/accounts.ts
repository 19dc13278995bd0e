/**
 * Bank accounts (SPEC §5 `bank-accounts`, §6 module 7; issue 14 point 1): a bank account sits on
 * one GL account of subtype cash or bank (one per GL account: 409 BANK_ACCOUNT_GL_TAKEN), in one
 * currency. Its account number (an IBAN or a local number) is stored only encrypted, bound to the
 * tenant (server/core/encryption.ts), with a keyed hash and a masked view; answers, audit events and
 * event payloads carry the masked view only. The importer decrypts it to pick a file's statements.
 *
 * Opening balance (the first reconciliation's starting point): given with its date, it is posted as
 * ONE entry — the bank's GL account against opening-balance equity (the equity account coded 3100 in
 * the standard chart, or `openingBalanceAccountId`) — when the GL account has no posted lines yet;
 * if it has some, the balance is already in the books, so it is only stored. Once posted it no longer
 * changes (422 BANK_OPENING_BALANCE_POSTED; the database holds the same, migration 0030).
 */
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, max, sql, type SQL } from 'drizzle-orm'
import { accounts, bankAccounts, bankImports, bankTransactions, journalEntries, journalLines } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { maskAccountNumber, normaliseAccountNumber } from '../../../shared/purchases/bank-account'
import { decryptField, encryptField, keyedHash } from '../../core/encryption'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, isUniqueViolation, NotFoundError, RuleError } from '../errors'
import { baseCurrencyOf, ownAmountSql, postEntry } from '../ledger/posting'
import { Dec, format, minorUnit } from '../money'
import { lockPeriods } from '../sales/allocations'
import { cashAccount, cashCurrency, cashPostingLines, type CashTerms } from '../sales/cash-documents'
import { likePattern } from '../sales/tax-rates'
import type { CsvMapping } from './csv-statement'

export interface BankAccountInput {
  name: string
  accountId: string
  currency?: string
  accountNumber?: string | null
  openingBalance?: string
  openingBalanceDate?: string
  openingBalanceAccountId?: string
  isActive?: boolean
}
export type BankAccountPatch = Partial<BankAccountInput> & { version?: number }

type Row = typeof bankAccounts.$inferSelect

export type BankAccount = Omit<Row, 'tenantId' | 'accountNumberCiphertext' | 'accountNumberHash' | 'accountNumberMasked' | 'createdBy'> & {
  accountCode: string
  accountName: string
  accountNumberMasked: string | null
  glBalance: string
  /** The opening balance + every imported line: the bank's balance as far as its statements are imported. */
  bankBalance: string
  /** The latest closing balance an imported statement gave, with its date (null: none gave one). */
  statementBalance: string | null
  statementBalanceDate: string | null
  unmatchedCount: number
  lastImportAt: Date | null
}

const TERMS: CashTerms = { noun: 'bank account', accountField: 'accountId', accountCode: 'BANK_ACCOUNT_GL_INVALID', accountLabel: 'GL' }

/** What a ciphertext is bound to: a copy in another tenant's row does not decrypt. */
const cipherContext = (tenantId: string) => `bank_account_number:${tenantId}`

function sealNumber(tenantId: string, number: string | null | undefined) {
  if (!number) return { accountNumberCiphertext: null, accountNumberHash: null, accountNumberMasked: null }
  const plain = normaliseAccountNumber(number)
  return {
    accountNumberCiphertext: encryptField(plain, cipherContext(tenantId)),
    accountNumberHash: keyedHash(plain, cipherContext(tenantId)),
    accountNumberMasked: maskAccountNumber(plain),
  }
}

/** The account number in full, as the importer compares it with a file's accounts: an IBAN, or a local number. */
export async function bankAccountNumber(tx: Tx, tenantId: string, id: string): Promise<{ iban: string | null, number: string | null }> {
  const [row] = await tx.select({ c: bankAccounts.accountNumberCiphertext }).from(bankAccounts).where(eq(bankAccounts.id, id))
  if (!row?.c) return { iban: null, number: null }
  const plain = decryptField(row.c, cipherContext(tenantId))
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(plain) ? { iban: plain, number: plain } : { iban: null, number: plain }
}

/**
 * The IBAN of the bank account on a GL account, when it has one: the debtor account of a payment
 * run's bank file (server/domain/purchases/payment-runs.ts). Null for a GL account without a bank
 * account, or one whose number is not an IBAN (the file then names the GL code as `Othr`).
 */
export async function ibanOfGlAccount(tx: Tx, tenantId: string, glAccountId: string): Promise<string | null> {
  const [row] = await tx.select({ id: bankAccounts.id }).from(bankAccounts).where(eq(bankAccounts.accountId, glAccountId))
  return row ? (await bankAccountNumber(tx, tenantId, row.id)).iban : null
}

/** The bank accounts with their GL account, GL balance (in the bank account's currency), unmatched lines and last import. */
async function present(tx: Tx, tenantId: string, rows: Row[]): Promise<BankAccount[]> {
  if (!rows.length) return []
  const base = await baseCurrencyOf(tx, tenantId)
  const glIds = rows.map(r => r.accountId)
  const ids = rows.map(r => r.id)
  const [gl, balances, unmatched, imports, lines, closings] = await Promise.all([
    tx.select({ id: accounts.id, code: accounts.code, name: accounts.name }).from(accounts).where(inArray(accounts.id, glIds)),
    tx.select({
      accountId: journalLines.accountId,
      base: sql<string>`coalesce(sum(${journalLines.baseDebit} - ${journalLines.baseCredit}), 0)`,
      foreign: sql<string>`coalesce(sum(${ownAmountSql()}), 0)`,
    }).from(journalLines)
      .innerJoin(journalEntries, and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)))
      .where(and(inArray(journalLines.accountId, glIds), eq(journalEntries.status, 'posted')))
      .groupBy(journalLines.accountId),
    tx.select({ id: bankTransactions.bankAccountId, n: count() }).from(bankTransactions)
      .where(and(inArray(bankTransactions.bankAccountId, ids), eq(bankTransactions.status, 'unmatched'))).groupBy(bankTransactions.bankAccountId),
    tx.select({ id: bankImports.bankAccountId, at: max(bankImports.createdAt) }).from(bankImports).where(inArray(bankImports.bankAccountId, ids)).groupBy(bankImports.bankAccountId),
    tx.select({ id: bankTransactions.bankAccountId, sum: sql<string>`sum(${bankTransactions.amount})` }).from(bankTransactions)
      .where(inArray(bankTransactions.bankAccountId, ids)).groupBy(bankTransactions.bankAccountId),
    tx.selectDistinctOn([bankImports.bankAccountId], { id: bankImports.bankAccountId, balance: bankImports.closingBalance, date: bankImports.closingBalanceDate }).from(bankImports)
      .where(and(inArray(bankImports.bankAccountId, ids), isNotNull(bankImports.closingBalance)))
      .orderBy(bankImports.bankAccountId, desc(bankImports.closingBalanceDate), desc(bankImports.createdAt)),
  ])
  const glOf = new Map(gl.map(a => [a.id, a]))
  const balanceOf = new Map(balances.map(b => [b.accountId, b]))
  const unmatchedOf = new Map(unmatched.map(u => [u.id, Number(u.n)]))
  const importOf = new Map(imports.map(i => [i.id, i.at]))
  const linesOf = new Map(lines.map(l => [l.id, l.sum]))
  const closingOf = new Map(closings.map(c => [c.id, c]))
  return rows.map(({ tenantId: _t, accountNumberCiphertext: _c, accountNumberHash: _h, createdBy: _b, ...r }) => {
    const b = balanceOf.get(r.accountId)
    // In the base currency the base amounts; in another, the entries' own amounts (the GL account takes only that currency).
    const balance = !b ? '0' : r.currency === base ? b.base : b.foreign
    return {
      ...r,
      accountCode: glOf.get(r.accountId)?.code ?? '',
      accountName: glOf.get(r.accountId)?.name ?? '',
      glBalance: format(new Dec(balance), minorUnit(r.currency)),
      bankBalance: format(new Dec(r.openingBalance ?? 0).plus(linesOf.get(r.id) ?? 0), minorUnit(r.currency)),
      statementBalance: closingOf.get(r.id)?.balance ? format(new Dec(closingOf.get(r.id)!.balance!), minorUnit(r.currency)) : null,
      statementBalanceDate: closingOf.get(r.id)?.date ?? null,
      unmatchedCount: unmatchedOf.get(r.id) ?? 0,
      lastImportAt: importOf.get(r.id) ? new Date(importOf.get(r.id)!) : null,
    }
  })
}

const presentOne = async (tx: Tx, tenantId: string, row: Row) => (await present(tx, tenantId, [row]))[0]!

/** The bank account row (404 also for another tenant's id), locked for an update or an import when asked. */
export async function bankAccountRow(tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(bankAccounts).where(eq(bankAccounts.id, id))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError('Bank account')
  return row
}

export async function getBankAccount(tx: Tx, tenantId: string, id: string): Promise<BankAccount> {
  return presentOne(tx, tenantId, await bankAccountRow(tx, id))
}

export interface BankAccountListQuery {
  page: number
  pageSize: number
  q?: string
  active?: boolean
  sort?: { field: 'name' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listBankAccounts(tx: Tx, tenantId: string, query: BankAccountListQuery) {
  const where: SQL | undefined = and(
    query.q ? ilike(bankAccounts.name, likePattern(query.q)) : undefined,
    query.active === undefined ? undefined : eq(bankAccounts.isActive, query.active),
  )
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(bankAccounts).where(where) as [{ total: number }]
  const rows = await tx.select().from(bankAccounts).where(where).orderBy(dir(bankAccounts[query.sort?.field ?? 'name']), asc(bankAccounts.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: await present(tx, tenantId, rows), total: Number(total) }
}

function glTaken(err: unknown): never {
  if (isUniqueViolation(err, 'bank_accounts_account_key')) throw new ConflictError('Another bank account is on this GL account', 'BANK_ACCOUNT_GL_TAKEN', { accountId: 'has a bank account already' })
  throw err
}

/** The GL account a bank account may sit on (a cash or bank account taking `currency`), and the currency (given, else the GL account's, else the base). */
async function glAccount(tx: Tx, tenantId: string, accountId: string, currency: string | undefined) {
  const [gl] = await tx.select({ currency: accounts.currency }).from(accounts).where(eq(accounts.id, accountId))
  const cur = currency ?? gl?.currency ?? await baseCurrencyOf(tx, tenantId)
  return { account: await cashAccount(tx, TERMS, accountId, cur), currency: cur }
}

/** The equity account an opening balance is posted against: the one named, else the account coded 3100. */
async function openingEquity(tx: Tx, id: string | undefined) {
  const [a] = await tx.select({
    id: accounts.id, type: accounts.type, isActive: accounts.isActive, isControl: accounts.isControl,
    isParent: sql<boolean>`exists (select 1 from accounts c where c.tenant_id = accounts.tenant_id and c.parent_id = accounts.id)`,
  }).from(accounts).where(id ? eq(accounts.id, id) : eq(accounts.code, '3100'))
  const problem = !a
    ? (id ? 'is not an account of this organisation' : 'is required: there is no opening-balance equity account coded 3100')
    : a.type !== 'equity' ? 'must be an equity account' : !a.isActive ? 'is inactive' : a.isParent ? 'is a parent account' : a.isControl ? 'is a control account' : null
  if (problem) throw new RuleError('The opening balance cannot be posted against this account', 'BANK_OPENING_EQUITY_INVALID', { openingBalanceAccountId: problem })
  return a!.id
}

/**
 * Posts the opening balance when it is not zero and the GL account has no posted lines yet: one
 * entry, the bank's GL account against opening-balance equity, dated the opening date. Answers the
 * entry's id, or null when nothing was posted.
 */
async function postOpening(tx: Tx, tenantId: string, actor: Actor, row: Row, equityAccountId: string | undefined): Promise<string | null> {
  if (row.openingBalance === null || row.openingBalanceDate === null || new Dec(row.openingBalance).isZero()) return null
  const [posted] = await tx.select({ id: journalLines.id }).from(journalLines)
    .innerJoin(journalEntries, and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)))
    .where(and(eq(journalLines.accountId, row.accountId), eq(journalEntries.status, 'posted'))).limit(1)
  if (posted) return null
  const equity = await openingEquity(tx, equityAccountId)
  const date = row.openingBalanceDate
  const amount = new Dec(row.openingBalance).abs().toFixed()
  const base = await baseCurrencyOf(tx, tenantId)
  const { rate, places } = await cashCurrency(tx, { ...TERMS, noun: 'opening balance' }, { currency: row.currency, date, amount }, null, base)
  const cash = await cashAccount(tx, TERMS, row.accountId, row.currency)
  const label = `Opening balance: ${row.name}`.slice(0, 500)
  const lines = await cashPostingLines(tx, cash, equity, new Dec(row.openingBalance).isNegative() ? 'out' : 'in', amount, { base, currency: row.currency, places, rate }, label)
  const period = (await lockPeriods(tx, tenantId, [{ date, field: 'openingBalanceDate' }])).get(date)!
  const entry = await postEntry(tx, tenantId, {
    date, memo: label, reference: null, currency: row.currency, exchangeRate: rate, fiscalYearId: period.fiscalYearId, periodId: period.id,
    kind: 'manual', source: { type: 'bank_account', id: row.id }, lines, actor,
  })
  return entry.id
}

export async function createBankAccount(tx: Tx, tenantId: string, actor: Actor, input: BankAccountInput): Promise<BankAccount> {
  const { currency } = await glAccount(tx, tenantId, input.accountId, input.currency)
  let row: Row
  try {
    ;[row] = await tx.insert(bankAccounts).values({
      tenantId, name: input.name, accountId: input.accountId, currency, ...sealNumber(tenantId, input.accountNumber),
      openingBalance: input.openingBalance ?? null, openingBalanceDate: input.openingBalanceDate ?? null,
      isActive: input.isActive ?? true, createdBy: actor.id ?? null,
    }).returning() as [Row]
  }
  catch (err) { glTaken(err) }
  const entryId = await postOpening(tx, tenantId, actor, row, input.openingBalanceAccountId)
  if (entryId) [row] = await tx.update(bankAccounts).set({ openingEntryId: entryId }).where(eq(bankAccounts.id, row.id)).returning() as [Row]
  const created = await presentOne(tx, tenantId, row)
  await recordAudit(tx, tenantId, actor, { action: 'bank_account.create', entityType: 'bank_account', entityId: row.id, after: created })
  return created
}

export async function updateBankAccount(tx: Tx, tenantId: string, actor: Actor, id: string, patch: BankAccountPatch): Promise<BankAccount> {
  const before = await bankAccountRow(tx, id, true)
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This bank account was changed by someone else; reload and try again', 'STALE_VERSION')
  const opening = patch.openingBalance !== undefined
    && (before.openingBalance === null || !new Dec(patch.openingBalance).eq(before.openingBalance) || patch.openingBalanceDate !== before.openingBalanceDate)
  if (before.openingEntryId && (opening || (patch.accountId !== undefined && patch.accountId !== before.accountId))) {
    throw new RuleError('The opening balance is posted: it and the GL account no longer change (post a correcting entry instead)', 'BANK_OPENING_BALANCE_POSTED', opening ? { openingBalance: 'is posted' } : { accountId: 'carries the posted opening balance' })
  }
  const was = await presentOne(tx, tenantId, before)
  const accountId = patch.accountId ?? before.accountId
  const glChanged = patch.accountId !== undefined && patch.accountId !== before.accountId
  const currency = glChanged || (patch.currency !== undefined && patch.currency !== before.currency)
    ? (await glAccount(tx, tenantId, accountId, patch.currency ?? (glChanged ? undefined : before.currency))).currency
    : before.currency
  let after: Row
  try {
    ;[after] = await tx.update(bankAccounts).set({
      name: patch.name ?? before.name, accountId, currency,
      ...(patch.accountNumber !== undefined ? sealNumber(tenantId, patch.accountNumber) : {}),
      ...(opening ? { openingBalance: patch.openingBalance!, openingBalanceDate: patch.openingBalanceDate! } : {}),
      isActive: patch.isActive ?? before.isActive, version: before.version + 1, updatedAt: new Date(),
    }).where(eq(bankAccounts.id, id)).returning() as [Row]
  }
  catch (err) { glTaken(err) }
  if (opening || glChanged) {
    const entryId = await postOpening(tx, tenantId, actor, after, patch.openingBalanceAccountId)
    if (entryId) [after] = await tx.update(bankAccounts).set({ openingEntryId: entryId }).where(eq(bankAccounts.id, id)).returning() as [Row]
  }
  const now = await presentOne(tx, tenantId, after)
  await recordAudit(tx, tenantId, actor, { action: 'bank_account.update', entityType: 'bank_account', entityId: id, before: was, after: now })
  return now
}

/** Saves the CSV mapping an import was read with, for the next imports of this bank account. */
export async function saveCsvMapping(tx: Tx, id: string, mapping: CsvMapping): Promise<void> {
  await tx.update(bankAccounts).set({ csvMapping: { ...mapping }, updatedAt: new Date() }).where(eq(bankAccounts.id, id))
}
