/**
 * Year-end close: a closing entry (kind `year_end`, dated the year's last day) zeroes every revenue
 * and expense account's balance for the year into the retained-earnings system account, then the
 * last period closes and the year is marked closed with its closing entry.
 *
 * The rule is that periods 1–11 are closed and period 12 is still open, so the closing entry can
 * post into it through the ordinary posting path (number from the year's counter, balances by the
 * trigger, the database's balance and closed-period checks), with the fiscal year as its source.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import { accountBalances, accounts, fiscalPeriods, fiscalYears } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError } from '../errors'
import { Dec, sum, ZERO } from '../money'
import { systemAccount } from './accounts'
import { closePeriod, lockPeriod } from './periods'
import { baseCurrencyOf, postEntry, type Entry } from './posting'

export interface FiscalYear {
  id: string
  startDate: string
  endDate: string
  status: 'open' | 'closed'
  closingEntryId: string | null
  openPeriods: number
  closedPeriods: number
}

export async function listFiscalYears(tx: Tx): Promise<FiscalYear[]> {
  const rows = await tx.select({
    id: fiscalYears.id, startDate: fiscalYears.startDate, endDate: fiscalYears.endDate, status: fiscalYears.status, closingEntryId: fiscalYears.closingEntryId,
    openPeriods: sql<number>`count(*) filter (where ${fiscalPeriods.status} = 'open')::int`,
    closedPeriods: sql<number>`count(*) filter (where ${fiscalPeriods.status} = 'closed')::int`,
  }).from(fiscalYears).leftJoin(fiscalPeriods, eq(fiscalPeriods.fiscalYearId, fiscalYears.id))
    .groupBy(fiscalYears.id, fiscalYears.startDate, fiscalYears.endDate, fiscalYears.status, fiscalYears.closingEntryId).orderBy(asc(fiscalYears.startDate))
  return rows.map(r => ({ ...r, openPeriods: Number(r.openPeriods), closedPeriods: Number(r.closedPeriods) }))
}

async function getFiscalYear(tx: Tx, id: string): Promise<FiscalYear> {
  const year = (await listFiscalYears(tx)).find(y => y.id === id)
  if (!year) throw new NotFoundError('Fiscal year')
  return year
}

/** Each revenue and expense account's net base balance (debit − credit) over the year's periods. */
async function incomeBalances(tx: Tx, fiscalYearId: string) {
  const rows = await tx.select({
    accountId: accounts.id, code: accounts.code, name: accounts.name,
    net: sql<string>`sum(${accountBalances.debit} - ${accountBalances.credit})`,
  }).from(accountBalances)
    .innerJoin(accounts, eq(accounts.id, accountBalances.accountId))
    .innerJoin(fiscalPeriods, eq(fiscalPeriods.id, accountBalances.periodId))
    .where(and(eq(fiscalPeriods.fiscalYearId, fiscalYearId), inArray(accounts.type, ['revenue', 'expense'])))
    .groupBy(accounts.id, accounts.code, accounts.name).orderBy(asc(accounts.code))
  return rows.map(r => ({ accountId: r.accountId, code: r.code, name: r.name, net: new Dec(r.net) })).filter(r => !r.net.isZero())
}

export async function closeFiscalYear(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<FiscalYear & { closingEntry: Entry | null }> {
  // NO KEY UPDATE: postings into the year hold its row FOR KEY SHARE (foreign key) and must not wait on it.
  const [year] = await tx.select().from(fiscalYears).where(eq(fiscalYears.id, id)).for('no key update')
  if (!year) throw new NotFoundError('Fiscal year')
  if (year.status === 'closed') throw new ConflictError('The fiscal year is already closed', 'FISCAL_YEAR_CLOSED')
  const [lastId] = await tx.select({ id: fiscalPeriods.id }).from(fiscalPeriods).where(eq(fiscalPeriods.fiscalYearId, id)).orderBy(desc(fiscalPeriods.number)).limit(1)
  // The last period is locked for closing (period row, then chain lock) before the closing entry
  // posts into it: taking that lock after posting would wait on other postings that wait on us.
  // The periods are read after it, under the chain lock, so no close or reopen is in flight.
  await lockPeriod(tx, tenantId, lastId!.id)
  const periods = await tx.select().from(fiscalPeriods).where(eq(fiscalPeriods.fiscalYearId, id)).orderBy(asc(fiscalPeriods.number))
  const last = periods.at(-1)!
  const openBeforeLast = periods.filter(p => p !== last && p.status === 'open')
  if (openBeforeLast.length) {
    throw new RuleError(`Close periods ${openBeforeLast.map(p => p.number).join(', ')} first; the year-end close posts into and then closes the last period`, 'FISCAL_YEAR_PERIODS_OPEN')
  }
  if (last.status === 'closed') throw new RuleError('The last period is closed; reopen it so the closing entry can post into it', 'FISCAL_YEAR_LAST_PERIOD_CLOSED')

  const balances = await incomeBalances(tx, id)
  let closingEntry: Entry | null = null
  if (balances.length) {
    const base = await baseCurrencyOf(tx, tenantId)
    const retained = await systemAccount(tx, 'retained_earnings')
    // Each account's line is the opposite of its balance; retained earnings take the net income.
    const lines = balances.map(b => ({ account: { id: b.accountId, code: b.code, name: b.name }, description: 'Year-end close', side: b.net.negated() }))
    const netIncome = sum(balances.map(b => b.net)).negated()
    if (!netIncome.isZero()) lines.push({ account: retained, description: 'Net income for the year', side: netIncome.negated() })
    closingEntry = await postEntry(tx, tenantId, {
      date: year.endDate, memo: `Year-end close ${year.startDate} – ${year.endDate}`, reference: null, currency: base, exchangeRate: new Dec(1),
      fiscalYearId: id, periodId: last.id, kind: 'year_end', source: { type: 'fiscal_year', id },
      lines: lines.map((l) => {
        const debit = l.side.isPositive() ? l.side : ZERO
        const credit = l.side.isNegative() ? l.side.abs() : ZERO
        return { accountId: l.account.id, accountCode: l.account.code, accountName: l.account.name, description: l.description, debit, credit, baseDebit: debit, baseCredit: credit, isRounding: false }
      }),
      actor,
    })
  }
  const closingEntryId = closingEntry?.id ?? null
  await closePeriod(tx, tenantId, actor, last.id)
  await tx.update(fiscalYears).set({ status: 'closed', closingEntryId, updatedAt: new Date() }).where(eq(fiscalYears.id, id))
  await recordAudit(tx, tenantId, actor, { action: 'fiscal_year.close', entityType: 'fiscal_year', entityId: id, before: { status: 'open' }, after: { status: 'closed', closingEntryId, startDate: year.startDate } })
  return { ...await getFiscalYear(tx, id), closingEntry }
}
