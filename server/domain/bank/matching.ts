/**
 * Matching bank lines to the ledger (SPEC §5 `bank-transactions/{id}/match|unmatch|categorize`;
 * issue 14 point 3). A bank line is matched to one or several posted GL lines on its bank account's
 * GL account whose amounts (in the bank account's currency) sum to its amount; a receipt or a bill
 * payment is matched through its entry's line on that account. Categorising posts one balanced entry
 * (the bank's GL account against the chosen account, with the tax of an optional rate taken out of the
 * gross bank amount) and matches its bank-side line.
 *
 * The bank line's row is locked FOR UPDATE by each of these, so two requests on one line run one after
 * the other; two bank lines claiming one GL line are decided by the database's UNIQUE (tenant, GL line)
 * (409 BANK_LINE_ALREADY_MATCHED for the loser). Migration 0032 holds the rest whatever the code does:
 * the GL line is a posted, unreversed line on the right account with that amount, the matches sum to
 * the bank line at commit, status `matched` iff it has matches, a reconciled line's matches are frozen.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { accounts, bankAccounts, bankMatches, bankTransactions, billPayments, journalEntries, journalLines, receipts } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { computeDocument } from '../../../shared/sales/document-maths'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, DomainError, isUniqueViolation, NotFoundError, RuleError, ValidationError, ruleFromDatabase } from '../errors'
import { systemAccount } from '../ledger/accounts'
import { reverseEntry } from '../ledger/entries'
import { baseCurrencyOf, ownAmountSql, postEntry, type PostingLine } from '../ledger/posting'
import { lineAmounts, roundingLine, totalsError } from '../ledger/posting-maths'
import { decimalPlaces, Dec, minorUnit, sum } from '../money'
import { lockPeriods } from '../sales/allocations'
import { cashCurrency, type CashTerms } from '../sales/cash-documents'
import { accountProblem, loadAccounts, loadRates } from '../sales/documents'
import { taxRateRefusal } from '../sales/tax-rates'
import { getBankTransaction } from './imports'
import { bankRuleRow } from './rules'

type TxRow = typeof bankTransactions.$inferSelect
type BankRow = typeof bankAccounts.$inferSelect
export type MatchSource = typeof bankMatches.$inferSelect['source']

const TERMS: CashTerms = { noun: 'bank line', accountField: 'accountId', accountCode: 'BANK_CATEGORY_ACCOUNT_INVALID', accountLabel: 'category' }

/** The GL line's signed amount in the bank account's currency: base amounts for a base-currency account, the account's own otherwise (`ownAmountSql`). */
export const glAmount = (baseCurrency: boolean) => baseCurrency
  ? sql<string>`(${journalLines.baseDebit} - ${journalLines.baseCredit})`
  : sql<string>`(${ownAmountSql()})`

/** The bank line locked for a change, with its bank account; 404 for an unknown (or another tenant's) id. */
export async function lockLine(tx: Tx, tenantId: string, id: string): Promise<{ line: TxRow, bank: BankRow, inBase: boolean }> {
  const [line] = await tx.select().from(bankTransactions).where(eq(bankTransactions.id, id)).for('update')
  if (!line) throw new NotFoundError('Bank transaction')
  const [bank] = await tx.select().from(bankAccounts).where(eq(bankAccounts.id, line.bankAccountId))
  return { line, bank: bank!, inBase: bank!.currency === await baseCurrencyOf(tx, tenantId) }
}

const reconciledError = () => new RuleError('The bank line is reconciled: its matches no longer change', 'BANK_TRANSACTION_RECONCILED')

/** A line that can be matched: not reconciled (422), not matched already (409). */
function checkUnmatched(line: TxRow) {
  if (line.status === 'reconciled' || line.reconciliationId) throw reconciledError()
  if (line.status === 'matched') throw new ConflictError('The bank line is matched already; unmatch it first', 'BANK_TRANSACTION_MATCHED')
}

interface Candidate { id: string, entryId: string, accountId: string, amount: string, status: string, reversed: boolean, matched: boolean }

async function glLines(tx: Tx, inBase: boolean, where: SQL | undefined): Promise<Candidate[]> {
  return tx.select({
    id: journalLines.id, entryId: journalLines.entryId, accountId: journalLines.accountId, amount: glAmount(inBase), status: journalEntries.status,
    reversed: sql<boolean>`(${journalEntries.reversedById} is not null or ${journalEntries.reversalOfId} is not null)`,
    matched: sql<boolean>`exists (select 1 from bank_matches m where m.tenant_id = ${journalLines.tenantId} and m.journal_line_id = ${journalLines.id})`,
  }).from(journalLines)
    .innerJoin(journalEntries, and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)))
    .where(where)
}

const lineInvalid = (path: string, problem: string) => new RuleError('That GL line cannot be matched to this bank line', 'BANK_MATCH_LINE_INVALID', { [path]: problem })

/** Why a GL line cannot be matched on this bank account, or null (an already matched one is a 409, raised by the caller). */
function candidateProblem(c: Candidate | undefined, bank: BankRow): string | null {
  if (!c) return 'is not a GL line of this organisation'
  if (c.accountId !== bank.accountId) return 'is not on the bank account\'s GL account'
  if (c.status !== 'posted') return 'is not posted'
  if (c.reversed) return 'belongs to a reversed entry or a reversal'
  if (new Dec(c.amount).isZero()) return 'moves nothing in the bank account\'s currency'
  return null
}

/** The bank-side line of a receipt's or bill payment's entry. */
async function documentLine(tx: Tx, bank: BankRow, inBase: boolean, kind: 'receipt' | 'bill_payment', id: string): Promise<Candidate> {
  const path = kind === 'receipt' ? 'receiptId' : 'billPaymentId'
  const table = kind === 'receipt' ? receipts : billPayments
  const [doc] = await tx.select({ status: table.status, entryId: table.journalEntryId }).from(table).where(eq(table.id, id))
  if (!doc) throw lineInvalid(path, `is not a ${kind === 'receipt' ? 'receipt' : 'bill payment'} of this organisation`)
  if (doc.status !== 'active') throw lineInvalid(path, 'is void')
  const lines = await glLines(tx, inBase, and(eq(journalLines.entryId, doc.entryId), eq(journalLines.accountId, bank.accountId)))
  const line = lines.find(l => !new Dec(l.amount).isZero())
  if (!line) throw lineInvalid(path, 'was not paid through this bank account')
  return line
}

export interface MatchInput { journalLineIds?: string[], receiptId?: string, billPaymentId?: string }

/** Writes the matches and marks the line matched; a GL line another bank line took meanwhile is 409. */
async function writeMatches(tx: Tx, tenantId: string, actor: Actor, line: TxRow, lines: { id: string, amount: string }[], source: MatchSource, ruleId: string | null) {
  try {
    await tx.insert(bankMatches).values(lines.map(l => ({
      tenantId, bankTransactionId: line.id, bankAccountId: line.bankAccountId, journalLineId: l.id, amount: new Dec(l.amount).toFixed(4), source, ruleId, createdBy: actor.id ?? null,
    })))
  }
  catch (err) {
    if (isUniqueViolation(err, 'bank_matches_line_key')) throw new ConflictError('Another bank line was matched to that GL line meanwhile', 'BANK_LINE_ALREADY_MATCHED')
    throw err
  }
  await tx.update(bankTransactions).set({ status: 'matched', updatedAt: new Date() }).where(eq(bankTransactions.id, line.id))
}

export async function matchTransaction(tx: Tx, tenantId: string, actor: Actor, id: string, input: MatchInput) {
  const { line, bank, inBase } = await lockLine(tx, tenantId, id)
  checkUnmatched(line)
  let chosen: Candidate[]
  let source: MatchSource
  if (input.receiptId || input.billPaymentId) {
    source = input.receiptId ? 'receipt' : 'bill_payment'
    chosen = [await documentLine(tx, bank, inBase, source, (input.receiptId ?? input.billPaymentId)!)]
  }
  else {
    source = 'journal_line'
    const ids = input.journalLineIds ?? []
    const found = new Map((await glLines(tx, inBase, inArray(journalLines.id, ids))).map(c => [c.id, c]))
    chosen = ids.map((lineId, i) => {
      const problem = candidateProblem(found.get(lineId), bank)
      if (problem) throw lineInvalid(`journalLineIds.${i}`, problem)
      return found.get(lineId)!
    })
  }
  const taken = chosen.findIndex(c => c.matched)
  if (taken >= 0) throw new ConflictError('That GL line is matched to another bank line', 'BANK_LINE_ALREADY_MATCHED', { [source === 'journal_line' ? `journalLineIds.${taken}` : source === 'receipt' ? 'receiptId' : 'billPaymentId']: 'is matched already' })
  const total = sum(chosen.map(c => new Dec(c.amount)))
  if (!total.eq(line.amount)) {
    throw new RuleError(`The GL lines add up to ${total.toFixed(2)}, the bank line is ${new Dec(line.amount).toFixed(2)}`, 'BANK_MATCH_AMOUNT_MISMATCH', { [source === 'journal_line' ? 'journalLineIds' : source === 'receipt' ? 'receiptId' : 'billPaymentId']: `sum to ${total.toFixed(2)}, not ${new Dec(line.amount).toFixed(2)}` })
  }
  await writeMatches(tx, tenantId, actor, line, chosen, source, null)
  const after = await getBankTransactionDetail(tx, id)
  await recordAudit(tx, tenantId, actor, { action: 'bank_transaction.match', entityType: 'bank_transaction', entityId: id, after: { source, matches: after.matches } })
  return after
}

/**
 * Undoes a line's matches. A categorisation's entry (source `categorized` or `rule`) is reversed on its
 * own date (422 LEDGER_PERIOD_CLOSED when that period is closed): unmatching undoes it.
 */
export async function unmatchTransaction(tx: Tx, tenantId: string, actor: Actor, id: string) {
  const { line } = await lockLine(tx, tenantId, id)
  if (line.status === 'reconciled' || line.reconciliationId) throw reconciledError()
  if (line.status !== 'matched') throw new ConflictError('The bank line is not matched', 'BANK_TRANSACTION_NOT_MATCHED')
  const before = await getBankTransactionDetail(tx, id)
  await tx.delete(bankMatches).where(eq(bankMatches.bankTransactionId, id))
  await tx.update(bankTransactions).set({ status: 'unmatched', updatedAt: new Date() }).where(eq(bankTransactions.id, id))
  const posted = [...new Set(before.matches.filter(m => m.source === 'categorized' || m.source === 'rule').map(m => m.entryId))]
  const reversals: string[] = []
  for (const entryId of posted) reversals.push((await reverseEntry(tx, tenantId, actor, entryId, undefined, { type: 'bank_transaction', id })).id)
  await recordAudit(tx, tenantId, actor, { action: 'bank_transaction.unmatch', entityType: 'bank_transaction', entityId: id, before: { matches: before.matches }, after: { reversalEntryIds: reversals } })
  return getBankTransactionDetail(tx, id)
}

export interface CategoryAction { accountId: string, taxRateId?: string | null, memo?: string | null }

/**
 * Posts the categorising entry of a locked, unmatched line and matches its bank-side line. Dated the
 * bank line's date, in the bank account's currency: money in debits the bank's GL account and credits
 * the account (net) and each tax component's account (its tax); money out the reverse. The bank amount
 * is gross: the tax is taken out of it as an inclusive amount (shared/sales/document-maths.ts rule 3).
 * A rate's side follows the money: in is a sales rate, out a purchases rate (or `both`).
 */
export async function categorizeLine(tx: Tx, tenantId: string, actor: Actor, line: TxRow, bank: BankRow, action: CategoryAction, rule: { id: string, name: string } | null) {
  const path = (f: string) => rule ? `action.${f}` : f
  const found = await loadAccounts(tx, [action.accountId])
  const problem = action.accountId === bank.accountId ? 'is the bank account\'s own GL account' : accountProblem(found.get(action.accountId), bank.currency, null)
  if (problem) throw new RuleError('The bank line cannot be categorised to that account', 'BANK_CATEGORY_ACCOUNT_INVALID', { [path('accountId')]: problem })
  const target = found.get(action.accountId)!
  const direction = new Dec(line.amount).isPositive() ? 'in' : 'out'
  const rates = action.taxRateId ? await loadRates(tx, [action.taxRateId]) : new Map()
  const rate = action.taxRateId ? rates.get(action.taxRateId) : null
  if (action.taxRateId) {
    const refused = taxRateRefusal(rate, direction === 'in' ? 'sales' : 'purchases', path('taxRateId'))
    if (refused) throw refused
  }
  const base = await baseCurrencyOf(tx, tenantId)
  const gross = new Dec(line.amount).abs()
  const places = minorUnit(bank.currency)
  if (decimalPlaces(gross.toFixed()) > places) throw new ValidationError(`${bank.currency} has ${places} decimal places`, { amount: `the bank line has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
  const { rate: fx } = await cashCurrency(tx, TERMS, { currency: bank.currency, date: line.date, amount: gross.toFixed(places) }, null, base)
  const figures = computeDocument({ minorUnit: places, amountsAre: 'inclusive', lines: [{ quantity: '1', unitPrice: gross.toFixed(places), taxRate: rate ?? null }] }).lines[0]!
  const taxAccounts = await loadAccounts(tx, figures.taxByComponent.map(c => c.accountId).filter((a): a is string => !!a))
  const a = { base, currency: bank.currency, places, rate: fx }
  const memo = (action.memo ?? line.description).slice(0, 500)
  // Money in: the bank side is the debit and the rest credits; money out the reverse.
  const side = (amount: string, bankSide: boolean) => (direction === 'in') === bankSide ? { debit: amount } : { credit: amount }
  const [bankGl] = await tx.select({ id: accounts.id, code: accounts.code, name: accounts.name }).from(accounts).where(eq(accounts.id, bank.accountId))
  const lines: PostingLine[] = [
    { accountId: bankGl!.id, accountCode: bankGl!.code, accountName: bankGl!.name, description: memo, isRounding: false, ...lineAmounts(side(gross.toFixed(places), true), a) },
    { accountId: target.id, accountCode: target.code, accountName: target.name, description: memo, isRounding: false, ...lineAmounts(side(figures.net, false), a) },
  ]
  for (const c of figures.taxByComponent) {
    if (new Dec(c.tax).isZero()) continue
    const account = c.accountId ? taxAccounts.get(c.accountId) : undefined
    if (!account) throw new RuleError('The tax rate has no tax account', 'TAX_ACCOUNT_INVALID', { [path('taxRateId')]: 'has no tax account' })
    lines.push({ accountId: account.id, accountCode: account.code, accountName: account.name, description: `${c.name}: ${memo}`.slice(0, 500), isRounding: false, ...lineAmounts(side(c.tax, false), a) })
  }
  const refused = totalsError(lines, { ...a })
  if (refused) throw refused
  const rounding = roundingLine(lines)
  if (rounding) {
    const fxAccount = await systemAccount(tx, 'fx_rounding')
    lines.push({ accountId: fxAccount.id, accountCode: fxAccount.code, accountName: fxAccount.name, description: 'FX rounding', isRounding: true, ...rounding })
  }
  const period = (await lockPeriods(tx, tenantId, [{ date: line.date, field: 'date' }])).get(line.date)!
  const entry = await postEntry(tx, tenantId, {
    date: line.date, memo, reference: line.reference, currency: bank.currency, exchangeRate: fx, fiscalYearId: period.fiscalYearId, periodId: period.id,
    kind: 'manual', source: { type: 'bank_transaction', id: line.id }, lines, actor,
  })
  const bankLine = entry.lines[0]!
  await writeMatches(tx, tenantId, actor, line, [{ id: bankLine.id, amount: line.amount }], rule ? 'rule' : 'categorized', rule?.id ?? null)
  await recordAudit(tx, tenantId, actor, {
    action: 'bank_transaction.categorize', entityType: 'bank_transaction', entityId: line.id,
    after: { entryId: entry.id, entryNumber: entry.number, accountId: target.id, taxRateId: action.taxRateId ?? null, net: figures.net, tax: figures.tax, ruleId: rule?.id ?? null, rule: rule?.name ?? null },
  })
  return entry
}

export async function categorizeTransaction(tx: Tx, tenantId: string, actor: Actor, id: string, action: Partial<CategoryAction> & { ruleId?: string }) {
  const { line, bank } = await lockLine(tx, tenantId, id)
  checkUnmatched(line)
  let rule: { id: string, name: string } | null = null
  let chosen = action as CategoryAction
  if (action.ruleId) {
    const row = await bankRuleRow(tx, action.ruleId, 'ruleId')
    rule = { id: row.id, name: row.name }
    chosen = { accountId: action.accountId ?? row.accountId, taxRateId: action.taxRateId !== undefined ? action.taxRateId : row.taxRateId, memo: action.memo ?? row.memo }
  }
  await categorizeLine(tx, tenantId, actor, line, bank, chosen, rule)
  return getBankTransactionDetail(tx, id)
}

/**
 * Runs `work` in a savepoint of the transaction (db/tenant.ts transactions do not nest, so it is
 * written out): a refusal (an application rule or a database invariant) rolls back only what `work`
 * wrote and answers null; anything else is thrown.
 */
export async function attempt<T>(tx: Tx, work: (tx: Tx) => Promise<T>): Promise<T | null> {
  await tx.execute(sql`savepoint bank_attempt`)
  try {
    const result = await work(tx)
    await tx.execute(sql`release savepoint bank_attempt`)
    return result
  }
  catch (err) {
    if (!(err instanceof DomainError) && !ruleFromDatabase(err)) throw err
    await tx.execute(sql`rollback to savepoint bank_attempt`)
    await tx.execute(sql`release savepoint bank_attempt`)
    return null
  }
}

export interface MatchView { journalLineId: string, entryId: string, entryNumber: number | null, date: string, amount: string, source: MatchSource, ruleId: string | null }

/** One bank line with its matches (the GL lines, their entries' numbers, amounts and how each was made). */
export async function getBankTransactionDetail(tx: Tx, id: string) {
  const line = await getBankTransaction(tx, id)
  const matches: MatchView[] = await tx.select({
    journalLineId: bankMatches.journalLineId, entryId: journalLines.entryId, entryNumber: journalEntries.number, date: journalLines.entryDate,
    amount: bankMatches.amount, source: bankMatches.source, ruleId: bankMatches.ruleId,
  }).from(bankMatches)
    .innerJoin(journalLines, and(eq(journalLines.tenantId, bankMatches.tenantId), eq(journalLines.id, bankMatches.journalLineId)))
    .innerJoin(journalEntries, and(eq(journalEntries.tenantId, journalLines.tenantId), eq(journalEntries.id, journalLines.entryId)))
    .where(eq(bankMatches.bankTransactionId, id))
    .orderBy(asc(journalLines.entryDate), asc(bankMatches.id))
  return { ...line, matches }
}
