/**
 * Recurring invoices (SPEC §5 `recurring-invoices`, §6 module 5): a schedule that makes an invoice
 * from its template at each occurrence (shared/schedules/recurrence.ts: start date + n × interval
 * weeks or months, the day clipped to the month's end), issues it with `autoIssue` and e-mails it
 * with its PDF with `autoSend`. This file is the schedules' CRUD (each function takes the route's
 * `tx`); the worker's receivables job (./receivables-jobs.ts) makes the invoices with
 * `runRecurringInvoices` (./recurring-runs.ts) for each tenant with work:
 *
 * Exactly one invoice per occurrence, however often or concurrently the job runs:
 * 1. **Make** (one transaction per occurrence): the schedule row is locked FOR UPDATE, so runs of
 *    one schedule queue behind each other and each sees the `next_date` the previous one left;
 *    the run row (UNIQUE (tenant, schedule, occurrence)) is inserted ON CONFLICT DO NOTHING and
 *    the draft invoice is created only when this transaction inserted it; `next_date` advances
 *    in the same commit. A crash before the commit leaves nothing; after it, the run is `pending`.
 * 2. **Finish** (one transaction per pending run, the run locked FOR UPDATE): issue the draft when
 *    `autoIssue`, then queue its mail when `autoSend` (dedupe key `recurring:<run id>`), and mark
 *    the run `done`. A refused issue (a closed period, an inactive tax rate …) rolls that back,
 *    marks the run `issue_failed` (the draft stays, to be fixed and issued by hand), notes the
 *    reason on the schedule and notifies the tenant's owners and admins; it never stops the other
 *    runs or tenants. A customer without an e-mail address: the invoice is issued, the run done,
 *    and the reason noted on the run and the schedule (logged, no mail).
 */
import { and, asc, count, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm'
import { customers, items, recurringInvoices, type RecurringTemplate } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { occurrenceFrom, type Recurrence } from '../../../shared/schedules/recurrence'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import { isCurrency } from '../money'
import { getSettings } from '../settings/settings'
import { accountProblem, loadAccounts, todayIn, type AccountInfo } from './documents'
import { checkUsableTaxRate, likePattern } from './tax-rates'

type Row = typeof recurringInvoices.$inferSelect
export type RecurringFrequency = Row['frequency']

export interface NewRecurringInvoice {
  customerId: string
  template: RecurringTemplate
  frequency: RecurringFrequency
  interval: number
  startDate: string
  endDate?: string | null
  autoIssue: boolean
  autoSend: boolean
  isActive?: boolean
}
export type RecurringInvoicePatch = Partial<NewRecurringInvoice> & { version?: number }

/** The job's actor in audit events and on the invoices it makes. */
export const RECURRING_ACTOR: Actor = { type: 'system' }
/** Occurrences one schedule makes in one run at most; the rest wait for the next run (an old start date catches up over a few hours). */
export const OCCURRENCES_PER_RUN = 50
export const RECURRING_LINK = '/sales/recurring-invoices'

export const recurrenceOf = (r: Pick<Row, 'frequency' | 'interval' | 'startDate' | 'endDate'>): Recurrence =>
  ({ frequency: r.frequency, interval: r.interval, startDate: r.startDate, endDate: r.endDate })

function present(row: Row, customerName: string, invoicesMade: number) {
  return {
    id: row.id, customerId: row.customerId, customer: { id: row.customerId, name: customerName }, template: row.template,
    frequency: row.frequency, interval: row.interval, startDate: row.startDate, endDate: row.endDate,
    autoIssue: row.autoIssue, autoSend: row.autoSend, isActive: row.isActive,
    nextDate: row.nextDate, lastGeneratedDate: row.lastGeneratedDate, lastError: row.lastError, invoicesMade,
    version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  }
}
export type RecurringInvoice = ReturnType<typeof present>

const madeCount = sql<number>`(select count(*)::int from recurring_invoice_runs r where r.tenant_id = ${recurringInvoices.tenantId} and r.recurring_invoice_id = ${recurringInvoices.id} and r.invoice_id is not null)`

async function load(tx: Tx, id: string): Promise<RecurringInvoice> {
  const [found] = await tx.select({ row: recurringInvoices, name: customers.name, made: madeCount }).from(recurringInvoices)
    .innerJoin(customers, eq(customers.id, recurringInvoices.customerId)).where(eq(recurringInvoices.id, id))
  if (!found) throw new NotFoundError('Recurring invoice')
  return present(found.row, found.name, Number(found.made))
}

export async function getRecurringInvoice(tx: Tx, id: string): Promise<RecurringInvoice> {
  return load(tx, id)
}

const sortColumns = { nextDate: recurringInvoices.nextDate, startDate: recurringInvoices.startDate, createdAt: recurringInvoices.createdAt }

export async function listRecurringInvoices(tx: Tx, query: { page: number, pageSize: number, q?: string, customerId?: string, active?: boolean, sort?: { field: keyof typeof sortColumns, dir: 'asc' | 'desc' } }) {
  const where: SQL | undefined = and(
    query.q ? ilike(customers.name, likePattern(query.q)) : undefined,
    query.customerId ? eq(recurringInvoices.customerId, query.customerId) : undefined,
    query.active === undefined ? undefined : eq(recurringInvoices.isActive, query.active),
  )
  const column = sortColumns[query.sort?.field ?? 'nextDate']
  const dir = query.sort?.dir === 'desc' ? desc : asc
  const [{ total }] = await tx.select({ total: count() }).from(recurringInvoices).innerJoin(customers, eq(customers.id, recurringInvoices.customerId)).where(where) as [{ total: number }]
  const rows = await tx.select({ row: recurringInvoices, name: customers.name, made: madeCount }).from(recurringInvoices)
    .innerJoin(customers, eq(customers.id, recurringInvoices.customerId)).where(where)
    .orderBy(sql`${dir(column)} nulls last`, asc(recurringInvoices.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(r => present(r.row, r.name, Number(r.made))), total: Number(total) }
}

const invalid = (path: string, problem: string, message = 'The recurring invoice cannot be saved as it is') => new RuleError(message, 'SALES_DOCUMENT_INVALID', { [path]: problem })

/**
 * What can be checked before an occurrence: the customer (active, of this tenant), the currency,
 * and each line's item, income account and tax rate (of this tenant, active, usable on sales).
 * The full check (the arithmetic, the exchange rate on the date, the period) happens when each
 * invoice is made and issued.
 */
async function checkTemplate(tx: Tx, customerId: string, template: RecurringTemplate): Promise<void> {
  const [customer] = await tx.select({ isActive: customers.isActive }).from(customers).where(eq(customers.id, customerId))
  if (!customer) throw invalid('customerId', 'is not a customer of this organisation')
  if (!customer.isActive) throw invalid('customerId', 'is inactive')
  if (template.currency !== undefined && !isCurrency(template.currency)) throw new ValidationError('Unknown currency', { 'template.currency': 'is not a supported ISO 4217 currency' })
  const itemIds = [...new Set(template.lines.flatMap(l => (l.itemId ? [l.itemId] : [])))]
  const found = new Map(itemIds.length ? (await tx.select({ id: items.id, isActive: items.isActive, incomeAccountId: items.incomeAccountId }).from(items).where(inArray(items.id, itemIds))).map(i => [i.id, i]) : [])
  const accountRows = await loadAccounts(tx, [...new Set(template.lines.flatMap(l => (l.accountId ? [l.accountId] : [])))]) as Map<string, AccountInfo>
  for (const [i, line] of template.lines.entries()) {
    const path = `template.lines.${i}`
    const item = line.itemId ? found.get(line.itemId) : undefined
    if (line.itemId && !item) throw invalid(`${path}.itemId`, 'is not an item of this organisation')
    if (item && !item.isActive) throw invalid(`${path}.itemId`, 'is inactive')
    if (line.accountId) {
      // Revenue only: an opening document (against equity) is entered once, never repeated.
      const problem = accountProblem(accountRows.get(line.accountId), template.currency ?? null, ['revenue'])
      if (problem) throw new RuleError('The line\'s income account cannot be used', 'SALES_ACCOUNT_INVALID', { [`${path}.accountId`]: problem })
    }
    else if (!item?.incomeAccountId) {
      throw new RuleError('A line needs an income account: give accountId, or an item that has one', 'SALES_ACCOUNT_INVALID', { [`${path}.accountId`]: 'is required' })
    }
    if (line.taxRateId) await checkUsableTaxRate(tx, line.taxRateId, 'sales', `${path}.taxRateId`)
  }
}

export async function createRecurringInvoice(tx: Tx, tenantId: string, actor: Actor, input: NewRecurringInvoice): Promise<RecurringInvoice> {
  await checkTemplate(tx, input.customerId, input.template)
  const recurrence = { frequency: input.frequency, interval: input.interval, startDate: input.startDate, endDate: input.endDate ?? null }
  const [row] = await tx.insert(recurringInvoices).values({
    tenantId, customerId: input.customerId, template: input.template, ...recurrence,
    autoIssue: input.autoIssue, autoSend: input.autoSend, isActive: input.isActive ?? true,
    nextDate: occurrenceFrom(recurrence, input.startDate), createdBy: actor.type === 'user' ? actor.id ?? null : null,
  }).returning() as [Row]
  await recordAudit(tx, tenantId, actor, { action: 'recurring_invoice.create', entityType: 'recurring_invoice', entityId: row.id, after: row })
  return load(tx, row.id)
}

/**
 * Changes a schedule. A changed start, frequency, interval or end date re-times it: the next date
 * becomes the first occurrence after the last one made (or the start). Re-activating it skips what
 * fell due while it was inactive: the next date is the first occurrence from today on.
 */
export async function updateRecurringInvoice(tx: Tx, tenantId: string, actor: Actor, id: string, patch: RecurringInvoicePatch): Promise<RecurringInvoice> {
  const [before] = await tx.select().from(recurringInvoices).where(eq(recurringInvoices.id, id)).for('update')
  if (!before) throw new NotFoundError('Recurring invoice')
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This recurring invoice was changed by someone else; reload and try again', 'STALE_VERSION')
  const next = {
    customerId: patch.customerId ?? before.customerId,
    template: patch.template ?? before.template,
    frequency: patch.frequency ?? before.frequency,
    interval: patch.interval ?? before.interval,
    startDate: patch.startDate ?? before.startDate,
    endDate: patch.endDate === undefined ? before.endDate : patch.endDate,
    autoIssue: patch.autoIssue ?? before.autoIssue,
    autoSend: patch.autoSend ?? before.autoSend,
    isActive: patch.isActive ?? before.isActive,
  }
  if (next.endDate && next.endDate < next.startDate) throw new ValidationError('Invalid recurring invoice', { endDate: 'must be on or after the start date' })
  if (next.autoSend && !next.autoIssue) throw new ValidationError('Invalid recurring invoice', { autoSend: 'needs autoIssue: only an issued invoice is sent' })
  if (patch.customerId !== undefined || patch.template !== undefined) await checkTemplate(tx, next.customerId, next.template)
  let nextDate = before.nextDate
  const retimed = next.frequency !== before.frequency || next.interval !== before.interval || next.startDate !== before.startDate || next.endDate !== before.endDate
  const reactivated = next.isActive && !before.isActive
  if (retimed || reactivated) {
    const r = recurrenceOf(next)
    nextDate = before.lastGeneratedDate ? occurrenceFrom(r, before.lastGeneratedDate, true) : occurrenceFrom(r, next.startDate)
    if (reactivated && nextDate) {
      const today = todayIn((await getSettings(tx)).timeZone)
      if (nextDate < today) nextDate = occurrenceFrom(r, today)
    }
  }
  const [after] = await tx.update(recurringInvoices).set({ ...next, nextDate, version: before.version + 1, updatedAt: new Date() })
    .where(eq(recurringInvoices.id, id)).returning() as [Row]
  await recordAudit(tx, tenantId, actor, { action: 'recurring_invoice.update', entityType: 'recurring_invoice', entityId: id, before, after })
  return load(tx, id)
}

/** Deletes a schedule and its run rows; the invoices it made stay. */
export async function deleteRecurringInvoice(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<void> {
  const [before] = await tx.delete(recurringInvoices).where(eq(recurringInvoices.id, id)).returning()
  if (!before) throw new NotFoundError('Recurring invoice')
  await recordAudit(tx, tenantId, actor, { action: 'recurring_invoice.delete', entityType: 'recurring_invoice', entityId: id, before })
}
