/**
 * Bill payments (SPEC §5 `bill-payments`; issue 13 point 3): money paid to a vendor, posted when
 * recorded — debit the AP control account, credit the payment (cash or bank) account, the whole
 * amount at the payment's rate, source {type: 'bill_payment', id} — and allocated to bills
 * (./allocations.ts), in the body or later. The unallocated rest is a prepayment to the vendor (a
 * debit left on the AP control account). Numbered `PAY-000001` (gapless, `document_counters` kind
 * `bill_payment`). The receipts' code (server/domain/sales/receipts.ts) seen from the other side:
 * both take their currency, account and posting from server/domain/sales/cash-documents.ts.
 *
 * Void posts the reversal of the payment's entry and of every FX posting of its allocations (dated
 * the latest of the payment's and its allocations' dates unless given, never before them) and
 * releases the allocations (`released_at`; the bills go back to open or partially paid).
 *
 * Lock order (./allocations.ts): the payment row, then the bill rows by id, then the period rows,
 * then postEntry's. Creating a payment locks the bills first (the payment is new: no one else can
 * hold it).
 */
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { billPayments, bills, purchaseAllocations, vendors } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError } from '../errors'
import { recordEvent } from '../events/events'
import { baseCurrencyOf, postEntry } from '../ledger/posting'
import { Dec, format, minorUnit } from '../money'
import { lockPeriods, reverseForVoid } from '../sales/allocations'
import { cashAccount, cashCurrency, cashPostingLines, type CashTerms } from '../sales/cash-documents'
import { controlAccountIds } from '../sales/control-accounts'
import { nextDocumentNumber } from '../sales/documents'
import { likePattern } from '../sales/tax-rates'
import { applyBillAllocation, billAllocationsOf, PAYABLES_SIDE, planBillAllocations, presentBillAllocation, type PurchaseSource } from './allocations'

type Row = typeof billPayments.$inferSelect

export const BILL_PAYMENT_PREFIX = 'PAY-'

/** What `createBillPayment` takes (the contract's body; payment runs call it too). */
export interface BillPaymentInput {
  vendorId: string
  date: string
  amount: string
  /** An active cash or bank asset account (not a control account, not a parent). */
  paymentAccountId: string
  /** Default: the vendor's currency, else the base currency. */
  currency?: string
  /** Default: the rate table's on or before the date. */
  exchangeRate?: string
  reference?: string | null
  memo?: string | null
  /** Bills paid, each once; the rest is a prepayment to the vendor. */
  allocations?: { billId: string, amount: string }[]
}
export interface BillAllocateInput { billId: string, amount: string, date?: string }

export interface BillPaymentListQuery {
  page: number
  pageSize: number
  q?: string
  vendorId?: string
  status?: Row['status']
  from?: string
  to?: string
  unallocated?: boolean
  sort?: { field: 'date' | 'number' | 'amount' | 'createdAt', dir: 'asc' | 'desc' }
}

const TERMS: CashTerms = { noun: 'payment', accountField: 'paymentAccountId', accountCode: 'BILL_PAYMENT_ACCOUNT_INVALID' }
const invalid = (message: string, path: string, problem: string) => new RuleError(message, 'BILL_PAYMENT_INVALID', { [path]: problem })

function summary(r: Row, vendorName: string) {
  const places = minorUnit(r.currency)
  const unallocated = r.status === 'void' ? new Dec(0) : new Dec(r.amount).minus(r.amountAllocated)
  return {
    id: r.id, number: r.number, status: r.status, vendor: { id: r.vendorId, name: vendorName }, vendorId: r.vendorId,
    date: r.date, amount: format(new Dec(r.amount), places), currency: r.currency, exchangeRate: new Dec(r.exchangeRate).toString(),
    paymentAccountId: r.paymentAccountId, reference: r.reference, memo: r.memo,
    amountAllocated: format(new Dec(r.amountAllocated), places), amountUnallocated: format(unallocated, places),
    journalEntryId: r.journalEntryId, voidEntryId: r.voidEntryId, voidedAt: r.voidedAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}

async function present(tx: Tx, tenantId: string, row: Row) {
  const [vendor] = await tx.select({ name: vendors.name }).from(vendors).where(eq(vendors.id, row.vendorId))
  return { ...summary(row, vendor?.name ?? ''), allocations: await billAllocationsOf(tx, tenantId, { kind: 'payment', row }) }
}
export type BillPayment = Awaited<ReturnType<typeof present>>

async function findRow(tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(billPayments).where(eq(billPayments.id, id))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError('Bill payment')
  return row
}

export async function getBillPayment(tx: Tx, tenantId: string, id: string): Promise<BillPayment> {
  return present(tx, tenantId, await findRow(tx, id))
}

export async function listBillPayments(tx: Tx, query: BillPaymentListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const open = and(eq(billPayments.status, 'active'), gt(billPayments.amount, billPayments.amountAllocated))
  const where: SQL | undefined = and(
    like ? or(ilike(billPayments.number, like), ilike(billPayments.reference, like), ilike(vendors.name, like)) : undefined,
    query.vendorId ? eq(billPayments.vendorId, query.vendorId) : undefined,
    query.status ? eq(billPayments.status, query.status) : undefined,
    query.from ? gte(billPayments.date, query.from) : undefined,
    query.to ? lte(billPayments.date, query.to) : undefined,
    query.unallocated === true ? open : query.unallocated === false ? sql`not (${open})` : undefined,
  )
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const field = query.sort?.field ?? 'date'
  const [{ total }] = await tx.select({ total: count() }).from(billPayments).innerJoin(vendors, eq(vendors.id, billPayments.vendorId)).where(where) as [{ total: number }]
  const rows = await tx.select({ r: billPayments, name: vendors.name }).from(billPayments)
    .innerJoin(vendors, eq(vendors.id, billPayments.vendorId)).where(where)
    .orderBy(dir(billPayments[field]), dir(billPayments.createdAt), asc(billPayments.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(r => summary(r.r, r.name)), total: Number(total) }
}

/**
 * Records a payment to a vendor: checks, locks the bills, posts (Dr AP control, Cr the payment
 * account), numbers it, writes it and its allocations (each bill settled records `bill.paid`),
 * audits (`bill_payment.create`) and records `bill_payment.created`. Takes the caller's
 * transaction: a payment run records each vendor's payment with it.
 */
export async function createBillPayment(tx: Tx, tenantId: string, actor: Actor, input: BillPaymentInput): Promise<BillPayment> {
  const [vendor] = await tx.select().from(vendors).where(eq(vendors.id, input.vendorId))
  // An inactive vendor can still be paid what it is owed: only unknown vendors are refused.
  if (!vendor) throw invalid('Unknown vendor', 'vendorId', 'is not a vendor of this organisation')
  const base = await baseCurrencyOf(tx, tenantId)
  const { currency, rate, places } = await cashCurrency(tx, TERMS, input, vendor.currency, base)
  const account = await cashAccount(tx, TERMS, input.paymentAccountId, currency)
  const { apControlAccountId } = await controlAccountIds(tx)
  if (!apControlAccountId) throw new RuleError('The organisation has no AP control account', 'CONTROL_ACCOUNT_INVALID')
  const lines = await cashPostingLines(tx, account, apControlAccountId, 'out', input.amount, { base, currency, places, rate }, 'Payment')

  // A stand-in source for the checks: the payment as it will be written (nothing allocated yet).
  const [{ id }] = await tx.execute<{ id: string }>(sql`select app_uuid_v7()::text as id`) as unknown as [{ id: string }]
  const now = new Date()
  const draft: Row = {
    tenantId, id, number: '', vendorId: vendor.id, date: input.date, amount: input.amount, currency, exchangeRate: rate.toString(),
    paymentAccountId: account.id, reference: input.reference ?? null, memo: input.memo ?? null, amountAllocated: '0', status: 'active',
    journalEntryId: '', voidEntryId: null, voidedAt: null, version: 1, createdBy: actor.id ?? null, createdAt: now, updatedAt: now,
  }
  const source: PurchaseSource = { kind: 'payment', row: draft }
  const plans = await planBillAllocations(tx, source, (input.allocations ?? []).map((w, i) => ({ ...w, path: `allocations.${i}` })))
  const periods = await lockPeriods(tx, tenantId, [{ date: input.date, field: 'date' }, ...plans.map(p => ({ date: p.date, field: `${p.path}.billId` }))])

  const number = await nextDocumentNumber(tx, tenantId, 'bill_payment', BILL_PAYMENT_PREFIX)
  const period = periods.get(input.date)!
  const label = `Payment ${number}`
  const entry = await postEntry(tx, tenantId, {
    date: input.date, memo: `${label}: ${vendor.name}`.slice(0, 500), reference: input.reference ?? null, currency, exchangeRate: rate,
    fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'manual', source: { type: 'bill_payment', id },
    lines: lines.map(l => ({ ...l, description: label })), actor,
  })
  const [row] = await tx.insert(billPayments).values({
    tenantId, id, number, vendorId: vendor.id, date: input.date, amount: input.amount, currency, exchangeRate: rate.toString(),
    paymentAccountId: account.id, reference: input.reference ?? null, memo: input.memo ?? null, journalEntryId: entry.id, createdBy: actor.id ?? null,
  }).returning() as [Row]
  source.row = row
  // In bill-id order, as they were locked.
  for (const plan of [...plans].sort((x, y) => (x.bill.id < y.bill.id ? -1 : 1))) await applyBillAllocation(tx, tenantId, actor, source, plan, periods)

  const created = await present(tx, tenantId, await findRow(tx, id))
  await recordAudit(tx, tenantId, actor, { action: 'bill_payment.create', entityType: 'bill_payment', entityId: id, after: created })
  await recordEvent(tx, tenantId, { type: 'bill_payment.created', entityType: 'bill_payment', entityId: id, data: created })
  return created
}

/** Allocates part of a payment's or a vendor credit's rest to a bill (the source is locked first). */
export async function allocateBillSource(tx: Tx, tenantId: string, actor: Actor, source: PurchaseSource, input: BillAllocateInput) {
  const [plan] = await planBillAllocations(tx, source, [{ ...input, path: '' }])
  const periods = await lockPeriods(tx, tenantId, [{ date: plan!.date, field: 'date' }])
  const row = await applyBillAllocation(tx, tenantId, actor, source, plan!, periods)
  const allocation = presentBillAllocation(row, plan!.bill.number!, source.row.number!, await baseCurrencyOf(tx, tenantId))
  const entity = source.kind === 'payment' ? 'bill_payment' : 'vendor_credit'
  await recordAudit(tx, tenantId, actor, { action: `${entity}.allocate`, entityType: entity, entityId: source.row.id, after: allocation })
  return allocation
}

export async function allocateBillPayment(tx: Tx, tenantId: string, actor: Actor, id: string, input: BillAllocateInput) {
  const row = await findRow(tx, id, true)
  if (row.status !== 'active') throw new RuleError(`Payment ${row.number} is void`, 'ALLOCATION_SOURCE_NOT_OPEN')
  return allocateBillSource(tx, tenantId, actor, { kind: 'payment', row }, input)
}

/** Voids a payment: reversals of its posting and FX postings, allocations released, status void. */
export async function voidBillPayment(tx: Tx, tenantId: string, actor: Actor, id: string, input: { date?: string } = {}): Promise<BillPayment> {
  const row = await findRow(tx, id, true)
  if (row.status !== 'active') throw new ConflictError(`Payment ${row.number} is already void`, 'BILL_PAYMENT_NOT_ACTIVE')
  const active = await tx.select().from(purchaseAllocations).where(and(eq(purchaseAllocations.paymentId, id), isNull(purchaseAllocations.releasedAt)))
  const { date, reversalId } = await reverseForVoid(tx, tenantId, actor, PAYABLES_SIDE, {
    noun: 'payment', date: row.date, journalEntryId: row.journalEntryId, source: { type: 'bill_payment', id }, requested: input.date, invalidCode: 'BILL_PAYMENT_INVALID',
    active: active.map(a => ({ ...a, targetId: a.billId })),
    lockTargets: ids => tx.select({ id: bills.id }).from(bills).where(inArray(bills.id, ids)).orderBy(asc(bills.id)).for('update'),
  })
  const now = new Date()
  if (active.length) await tx.update(purchaseAllocations).set({ releasedAt: now }).where(and(eq(purchaseAllocations.paymentId, id), isNull(purchaseAllocations.releasedAt)))
  const [after] = await tx.update(billPayments).set({ status: 'void', voidEntryId: reversalId, voidedAt: now, version: row.version + 1, updatedAt: now })
    .where(eq(billPayments.id, id)).returning() as [Row]
  const voided = await present(tx, tenantId, after)
  await recordAudit(tx, tenantId, actor, { action: 'bill_payment.void', entityType: 'bill_payment', entityId: id, after: { date, voidEntryId: reversalId, released: active.map(a => a.id) } })
  return voided
}
