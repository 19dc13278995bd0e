/**
 * Fiscal years and their twelve monthly periods, from the tenant's fiscal-year start month. A date
 * in a year that has no periods yet creates that year's periods, earlier or later. Periods close in
 * order (no open period before a closed one), never while drafts are dated in them, and reopen in
 * reverse order; both are audited.
 */
import { and, asc, count, eq, gt, inArray, lt, sql } from 'drizzle-orm'
import { fiscalPeriods, fiscalYears, journalEntries, tenants } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { lockAuditChain, recordAudit, type Actor } from '../audit/audit'
import { NotFoundError, RuleError } from '../errors'
import { fiscalYearStart, periodsOf } from './calendar'

export type Period = typeof fiscalPeriods.$inferSelect

async function tenantStartMonth(tx: Tx): Promise<number> {
  const [t] = await tx.select({ m: tenants.fiscalYearStartMonth }).from(tenants)
  return t!.m
}

/** The open-or-closed period containing `date`, creating its fiscal year and periods when missing. */
export async function periodFor(tx: Tx, tenantId: string, date: string): Promise<Period> {
  const [existing] = await tx.select().from(fiscalPeriods)
    .where(and(sql`${fiscalPeriods.startDate} <= ${date}`, sql`${fiscalPeriods.endDate} >= ${date}`))
  if (existing) return existing
  const start = fiscalYearStart(date, await tenantStartMonth(tx))
  const [sy, sm] = start.split('-').map(Number) as [number, number]
  const months = periodsOf(sy, sm)
  // Concurrent requests may create the same year: the unique start date makes the second a no-op.
  const [year] = await tx.insert(fiscalYears).values({ tenantId, startDate: start, endDate: months.at(-1)!.end })
    .onConflictDoNothing().returning()
  if (year) {
    await tx.insert(fiscalPeriods).values(months.map((p, i) => ({ tenantId, fiscalYearId: year.id, number: i + 1, startDate: p.start, endDate: p.end })))
  }
  const [created] = await tx.select().from(fiscalPeriods)
    .where(and(sql`${fiscalPeriods.startDate} <= ${date}`, sql`${fiscalPeriods.endDate} >= ${date}`))
  return created!
}

/**
 * The period containing `date`, refused with 422 LEDGER_PERIOD_CLOSED when it is closed: the one
 * application check that nothing is written into a closed period (entries, postings, reversals,
 * revaluations). The database backstop is the journal_entries guard trigger (0004/0008), which
 * raises the same code. `field` names the input the date came from, when it came from the input.
 */
export async function openPeriodFor(tx: Tx, tenantId: string, date: string, field: string | null = 'date'): Promise<Period> {
  const period = await periodFor(tx, tenantId, date)
  if (period.status === 'closed') throw periodClosedError(date, field)
  return period
}

/** The refusal of a write dated in a closed period, also when the database found it (app_ledger_post_new). */
export function periodClosedError(date: string, field: string | null = 'date'): RuleError {
  return new RuleError(`${date} falls in a closed period`, 'LEDGER_PERIOD_CLOSED', field ? { [field]: 'is in a closed period' } : undefined)
}

export async function listPeriods(tx: Tx, query: { fiscalYearId?: string } = {}) {
  return tx.select({
    id: fiscalPeriods.id, fiscalYearId: fiscalPeriods.fiscalYearId, number: fiscalPeriods.number,
    startDate: fiscalPeriods.startDate, endDate: fiscalPeriods.endDate, status: fiscalPeriods.status,
    closedAt: fiscalPeriods.closedAt, fiscalYearStart: fiscalYears.startDate, fiscalYearEnd: fiscalYears.endDate,
  }).from(fiscalPeriods).innerJoin(fiscalYears, eq(fiscalYears.id, fiscalPeriods.fiscalYearId))
    .where(query.fiscalYearId ? eq(fiscalPeriods.fiscalYearId, query.fiscalYearId) : undefined)
    .orderBy(asc(fiscalPeriods.startDate))
}

/**
 * Locks a period for closing or reopening: the period row first, then the chain lock — the one
 * lock order of every ledger transaction (docs/posting.md). `FOR NO KEY UPDATE` waits for every
 * transaction that wrote a draft or a posting into the period (they hold it `FOR SHARE`) and makes
 * new ones wait, but not the foreign-key checks of unrelated rows.
 */
export async function lockPeriod(tx: Tx, tenantId: string, id: string): Promise<Period> {
  const [p] = await tx.select().from(fiscalPeriods).where(eq(fiscalPeriods.id, id)).for('no key update')
  if (!p) throw new NotFoundError('Fiscal period')
  await lockAuditChain(tx, tenantId)
  return p
}

/**
 * Share-locks the periods a transaction will post into, before it takes the chain lock: a
 * transaction that posts more than one entry (a revaluation and its reversal) or closes a period
 * after posting into it (the year-end close) takes its period locks first, so that it never waits
 * for a period row while holding the chain lock that the period's closer waits for.
 */
export async function lockPeriodsForPosting(tx: Tx, ids: string[]): Promise<void> {
  if (ids.length) await tx.select({ id: fiscalPeriods.id }).from(fiscalPeriods).where(inArray(fiscalPeriods.id, ids)).orderBy(asc(fiscalPeriods.startDate)).for('share')
}

export async function closePeriod(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<Period> {
  const period = await lockPeriod(tx, tenantId, id)
  if (period.status === 'closed') throw new RuleError('The period is already closed', 'PERIOD_ALREADY_CLOSED')
  const [earlierOpen] = await tx.select({ n: count() }).from(fiscalPeriods)
    .where(and(lt(fiscalPeriods.startDate, period.startDate), eq(fiscalPeriods.status, 'open')))
  if (Number(earlierOpen!.n) > 0) throw new RuleError('Close the earlier periods first', 'PERIOD_CLOSE_ORDER')
  const [drafts] = await tx.select({ n: count() }).from(journalEntries)
    .where(and(eq(journalEntries.status, 'draft'), sql`${journalEntries.date} between ${period.startDate} and ${period.endDate}`))
  if (Number(drafts!.n) > 0) throw new RuleError(`${drafts!.n} draft entr${Number(drafts!.n) === 1 ? 'y is' : 'ies are'} dated in this period; post or delete them first`, 'PERIOD_HAS_DRAFTS')
  const [after] = await tx.update(fiscalPeriods).set({ status: 'closed', closedAt: new Date(), closedBy: actor.id ?? null, updatedAt: new Date() })
    .where(eq(fiscalPeriods.id, id)).returning()
  await recordAudit(tx, tenantId, actor, { action: 'period.close', entityType: 'fiscal_period', entityId: id, before: { status: 'open' }, after: { status: 'closed', startDate: period.startDate } })
  return after!
}

export async function reopenPeriod(tx: Tx, tenantId: string, actor: Actor, id: string, reason?: string): Promise<Period> {
  const period = await lockPeriod(tx, tenantId, id)
  if (period.status === 'open') throw new RuleError('The period is already open', 'PERIOD_ALREADY_OPEN')
  const [laterClosed] = await tx.select({ n: count() }).from(fiscalPeriods)
    .where(and(gt(fiscalPeriods.startDate, period.startDate), eq(fiscalPeriods.status, 'closed')))
  if (Number(laterClosed!.n) > 0) throw new RuleError('Reopen the later periods first', 'PERIOD_REOPEN_ORDER')
  const [after] = await tx.update(fiscalPeriods).set({ status: 'open', closedAt: null, closedBy: null, updatedAt: new Date() })
    .where(eq(fiscalPeriods.id, id)).returning()
  await recordAudit(tx, tenantId, actor, { action: 'period.reopen', entityType: 'fiscal_period', entityId: id, before: { status: 'closed' }, after: { status: 'open', startDate: period.startDate, reason: reason ?? null } })
  return after!
}
