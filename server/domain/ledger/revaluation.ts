/**
 * Month-end unrealised revaluation of foreign-currency monetary accounts (asset or liability
 * accounts with a fixed foreign `currency`). At a month-end date each account's foreign balance
 * (its posted lines in that currency, up to the date: `ownAmountSql`, the account amount of a
 * line in an entry of another currency, migration 0035) is worth foreign × the rate on or before the
 * date, half-up to the base minor unit; the difference from its base balance is posted against the
 * FX gain/loss system account, and the same entry is reversed on the first day of the next month.
 *
 * The adjustment lines are base-only: zero in the entry's currency and one positive base side, the
 * shape the database allows for `is_rounding` lines. So the revaluation moves base balances only and
 * never changes an account's foreign balance. The entry is in the base currency at rate 1.
 *
 * The entry and its reversal both record the revaluation as their source (`{type: 'revaluation',
 * id}` with the revaluation entry's id), so filtering the journal by it finds the pair.
 *
 * Nothing to revalue (no foreign account, or every difference is zero — e.g. a second run for the
 * same month) answers `{ entry: null, reversal: null }` and posts nothing.
 */
import { randomUUID } from 'node:crypto'
import { and, asc, eq, inArray, isNotNull, lte, ne, sql } from 'drizzle-orm'
import { accounts, journalEntries, journalLines } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { RuleError, ValidationError } from '../errors'
import { Dec, format, minorUnit, roundTo, sum, ZERO } from '../money'
import { systemAccount } from './accounts'
import { rateOn, reverseEntry, type Entry } from './entries'
import { lockPeriodsForPosting, openPeriodFor, periodFor } from './periods'
import { baseCurrencyOf, ownAmountSql, postEntry } from './posting'

export interface RevaluedAccount {
  accountId: string
  code: string
  currency: string
  foreignBalance: string
  rate: string | null
  revaluedBalance: string
  bookBalance: string
  difference: string
}

export interface Revaluation {
  date: string
  accounts: RevaluedAccount[]
  entry: Entry | null
  reversal: Entry | null
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)

export async function revalue(tx: Tx, tenantId: string, actor: Actor, date: string): Promise<Revaluation> {
  const reversalDate = nextDay(date)
  if (!reversalDate.endsWith('-01')) throw new ValidationError('A revaluation is dated the last day of a month', { date: 'must be the last day of a month' })
  const base = await baseCurrencyOf(tx, tenantId)
  const places = minorUnit(base)

  const foreignAccounts = await tx.select({ id: accounts.id, code: accounts.code, name: accounts.name, currency: accounts.currency }).from(accounts)
    .where(and(isNotNull(accounts.currency), ne(accounts.currency, base), inArray(accounts.type, ['asset', 'liability'])))
    .orderBy(asc(accounts.code))
  const totals = foreignAccounts.length
    ? await tx.select({
        accountId: journalLines.accountId,
        foreign: sql<string>`sum(${ownAmountSql()})`,
        book: sql<string>`sum(${journalLines.baseDebit} - ${journalLines.baseCredit})`,
      }).from(journalLines)
        .innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
        .where(and(inArray(journalLines.accountId, foreignAccounts.map(a => a.id)), lte(journalLines.entryDate, date), eq(journalEntries.status, 'posted')))
        .groupBy(journalLines.accountId)
    : []

  const rates = new Map<string, Dec | null>()
  const revalued: { row: RevaluedAccount, name: string, diff: Dec }[] = []
  for (const a of foreignAccounts) {
    const t = totals.find(x => x.accountId === a.id)
    const foreign = new Dec(t?.foreign ?? 0)
    const book = new Dec(t?.book ?? 0)
    if (foreign.isZero() && book.isZero()) continue
    const currency = a.currency!
    let rate: Dec | null = null
    // A zero foreign balance is worth zero at any rate, so it needs none.
    if (!foreign.isZero()) {
      if (!rates.has(currency)) rates.set(currency, await rateOn(tx, currency, date))
      rate = rates.get(currency)!
      if (!rate) throw new RuleError(`No ${currency} rate on or before ${date}; add one to revalue account ${a.code}`, 'LEDGER_NO_RATE', { date: `has no ${currency} rate on or before it` })
    }
    const target = rate ? roundTo(foreign.times(rate), base) : ZERO
    const diff = target.minus(book)
    revalued.push({
      row: {
        accountId: a.id, code: a.code, currency, foreignBalance: format(foreign, minorUnit(currency)), rate: rate?.toString() ?? null,
        revaluedBalance: format(target, places), bookBalance: format(book, places), difference: format(diff, places),
      },
      name: a.name,
      diff,
    })
  }
  const report = revalued.map(r => r.row)
  const changed = revalued.filter(r => !r.diff.isZero())
  if (!changed.length) return { date, accounts: report, entry: null, reversal: null }

  const fx = await systemAccount(tx, 'fx_gain_loss')
  // A gain (assets worth more, liabilities less) credits FX gain/loss; a loss debits it.
  const lines = changed.map(({ row, name, diff }) => ({ account: { id: row.accountId, code: row.code, name }, description: `Revaluation of ${row.foreignBalance} ${row.currency} at ${row.rate ?? '—'}`, amount: diff }))
  const net = sum(changed.map(r => r.diff))
  if (!net.isZero()) lines.push({ account: fx, description: net.isPositive() ? 'Unrealised FX gain' : 'Unrealised FX loss', amount: net.negated() })

  const period = await openPeriodFor(tx, tenantId, date)
  // Both postings' periods are locked before the first takes the chain lock (lockPeriodsForPosting).
  await lockPeriodsForPosting(tx, [period.id, (await periodFor(tx, tenantId, reversalDate)).id])
  const source = { type: 'revaluation' as const, id: randomUUID() }
  const entry = await postEntry(tx, tenantId, {
    id: source.id, date, memo: `Unrealised FX revaluation at ${date}`, reference: null, currency: base, exchangeRate: new Dec(1),
    fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'revaluation', source,
    lines: lines.map(l => ({
      accountId: l.account.id, accountCode: l.account.code, accountName: l.account.name, description: l.description, debit: ZERO, credit: ZERO,
      baseDebit: l.amount.isPositive() ? l.amount : ZERO, baseCredit: l.amount.isNegative() ? l.amount.abs() : ZERO, isRounding: true,
    })),
    actor, audit: { action: 'ledger.revaluation', after: { date, accounts: report } },
  })
  const reversal = await reverseEntry(tx, tenantId, actor, entry.id, reversalDate, source)
  return { date, accounts: report, entry: { ...entry, reversedById: reversal.id, updatedAt: reversal.updatedAt }, reversal }
}
