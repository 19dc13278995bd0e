/**
 * Purchase allocations (issue 13 point 3): part of a bill payment or of an open vendor credit paying
 * a bill of the same vendor and currency — the sales allocations (server/domain/sales/allocations.ts)
 * seen from the other side, sharing their checks (`checkAllocations`), base maths (`sideBase`), FX
 * posting (`postRealisedFx`), period locks (`lockPeriods`) and void postings (`reverseForVoid`).
 * The database applies each one (0027's `purchase_allocations_apply`: it locks the source, then the
 * bill, refuses an over-allocation on either side, moves both `amount_allocated` and the bill's
 * status open ↔ partially_paid ↔ paid, and stores the two documents' dates for the aged payables).
 *
 * **Base amounts** as for sales: each side gives up amount × its rate rounded, except the
 * allocation that settles a side, which takes all that side still carries on the AP control
 * account. So Σ carried base of open bills − Σ carried base of payments' and credits' unallocated
 * parts = the AP control account's (credit) balance.
 *
 * **Realised FX.** `fx = baseAmountBill − baseAmountSource`. AP is a liability, so the signs are
 * the sales side's reversed (`controlSign` −1): a bill of EUR 100 booked at 1.10 (Cr AP 110.00)
 * paid with EUR 100 at 1.20 (Dr AP 120.00): fx = 110 − 120 = −10, a loss: Cr AP 10.00 (the control
 * account clears: 110 + 10 − 120 = 0), Dr FX gain/loss 10.00. fx > 0 is a gain (Dr AP, Cr FX).
 *
 * **Lock order**: the source row (locked by the caller), then the bill rows by id, then the period
 * rows, then what postEntry takes.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { billPayments } from '../../../db/schema'
import { bills, purchaseAllocations } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { recordEvent } from '../events/events'
import { baseCurrencyOf } from '../ledger/posting'
import { Dec, format, minorUnit, roundTo } from '../money'
import { checkAllocations, postRealisedFx, sideBase, type AllocationSide, type Paying } from '../sales/allocations'
import { controlAccountIds } from '../sales/control-accounts'
import { getBill } from './bills'

type BillRow = typeof bills.$inferSelect
type PaymentRow = typeof billPayments.$inferSelect
type AllocationRow = typeof purchaseAllocations.$inferSelect

/** What pays a bill: a bill payment, or an open vendor credit (its `total` is what it can pay). */
export type PurchaseSource
  = | { kind: 'payment', row: PaymentRow }
    | { kind: 'vendor_credit', row: BillRow }

export const PAYABLES_SIDE: AllocationSide = {
  target: 'bill', targetField: 'billId', party: 'vendor', notOpenCode: 'ALLOCATION_BILL_NOT_OPEN', partyMismatchCode: 'ALLOCATION_VENDOR_MISMATCH',
  openStatuses: ['open', 'partially_paid'], payable: 'a posted bill', controlSign: -1, fxSource: 'purchase_allocation',
}

const sourceAmount = (s: PurchaseSource) => new Dec(s.kind === 'payment' ? s.row.amount : s.row.total)
export const sourceLabel = (s: PurchaseSource) => `${s.kind === 'payment' ? 'Payment' : 'Vendor credit'} ${s.row.number}`

export interface BillAllocationPlan {
  bill: BillRow
  amount: Dec
  date: string
  path: string
}

// ---------------------------------------------------------------------------------------------
// Presenting

export function presentBillAllocation(a: AllocationRow, billNumber: string, sourceNumber: string, baseCurrency: string) {
  const places = minorUnit(a.currency)
  const basePlaces = minorUnit(baseCurrency)
  return {
    id: a.id, billId: a.billId, billNumber, paymentId: a.paymentId, vendorCreditId: a.vendorCreditId, sourceNumber,
    vendorId: a.vendorId, date: a.date, currency: a.currency, amount: format(new Dec(a.amount), places),
    baseAmountBill: format(new Dec(a.baseAmountBill), basePlaces), baseAmountSource: format(new Dec(a.baseAmountSource), basePlaces),
    fxAmount: format(new Dec(a.baseAmountBill).minus(a.baseAmountSource), basePlaces),
    fxEntryId: a.fxEntryId, releasedAt: a.releasedAt, createdAt: a.createdAt,
  }
}
export type BillAllocation = ReturnType<typeof presentBillAllocation>

/** The allocations of a payment or vendor credit (released ones included), oldest first. */
export async function billAllocationsOf(tx: Tx, tenantId: string, source: PurchaseSource): Promise<BillAllocation[]> {
  const where = source.kind === 'payment' ? eq(purchaseAllocations.paymentId, source.row.id) : eq(purchaseAllocations.vendorCreditId, source.row.id)
  const rows = await tx.select({ a: purchaseAllocations, billNumber: bills.number }).from(purchaseAllocations)
    .innerJoin(bills, eq(bills.id, purchaseAllocations.billId)).where(where)
    .orderBy(asc(purchaseAllocations.createdAt), asc(purchaseAllocations.id))
  const base = await baseCurrencyOf(tx, tenantId)
  return rows.map(r => presentBillAllocation(r.a, r.billNumber ?? '', source.row.number ?? '', base))
}

// ---------------------------------------------------------------------------------------------
// Checking

/** Locks the bills named (by id, FOR UPDATE) and checks each allocation (`checkAllocations`). */
export async function planBillAllocations(tx: Tx, source: PurchaseSource, wanted: { billId: string, amount: string, date?: string, path: string }[]): Promise<BillAllocationPlan[]> {
  const ids = [...new Set(wanted.map(w => w.billId))].sort()
  const locked = ids.length ? await tx.select().from(bills).where(inArray(bills.id, ids)).orderBy(asc(bills.id)).for('update') : []
  const paying: Paying = {
    label: sourceLabel(source), noun: source.kind === 'payment' ? 'payment' : 'vendor credit', partyId: source.row.vendorId, currency: source.row.currency,
    date: source.row.date, available: sourceAmount(source).minus(source.row.amountAllocated),
  }
  return checkAllocations(PAYABLES_SIDE, paying, wanted.map(w => ({ ...w, targetId: w.billId })), new Map(locked.map(r => [r.id, r])), r => ({ ...r, partyId: r.vendorId }))
    .map(p => ({ bill: p.target, amount: p.amount, date: p.date, path: p.path }))
}

// ---------------------------------------------------------------------------------------------
// Applying

/** What a bill, payment or vendor credit still carries on the AP control account, in base. */
async function carriedBase(tx: Tx, postedBase: Dec, column: 'bill' | 'payment' | 'vendor_credit', id: string): Promise<Dec> {
  const where = column === 'bill' ? eq(purchaseAllocations.billId, id) : column === 'payment' ? eq(purchaseAllocations.paymentId, id) : eq(purchaseAllocations.vendorCreditId, id)
  const taken = column === 'bill' ? purchaseAllocations.baseAmountBill : purchaseAllocations.baseAmountSource
  const [row] = await tx.select({ s: sql<string>`coalesce(sum(${taken}), 0)::text` }).from(purchaseAllocations).where(and(where, isNull(purchaseAllocations.releasedAt)))
  return postedBase.minus(row!.s)
}

/**
 * Writes one planned allocation of `source` (both rows locked by the caller, periods locked): the
 * row (the trigger applies it), its FX posting, and `bill.paid` when it settles the bill.
 * `source.row.amountAllocated` is updated in place so a caller allocating several in turn sees it.
 */
export async function applyBillAllocation(tx: Tx, tenantId: string, actor: Actor, source: PurchaseSource, plan: BillAllocationPlan, periods: Map<string, { id: string, fiscalYearId: string }>): Promise<AllocationRow> {
  const base = await baseCurrencyOf(tx, tenantId)
  const bill = plan.bill
  const [fresh] = await tx.select().from(bills).where(eq(bills.id, bill.id)) as [BillRow]
  const settlesBill = new Dec(fresh.amountAllocated).plus(plan.amount).eq(fresh.total)
  const settlesSource = new Dec(source.row.amountAllocated).plus(plan.amount).eq(sourceAmount(source))
  const billCarried = await carriedBase(tx, roundTo(new Dec(bill.total).times(bill.exchangeRate), base), 'bill', bill.id)
  const srcCarried = await carriedBase(tx, roundTo(sourceAmount(source).times(source.row.exchangeRate), base), source.kind, source.row.id)
  const baseBill = sideBase(plan.amount, bill.exchangeRate, settlesBill, billCarried, base)
  const baseSource = sideBase(plan.amount, source.row.exchangeRate, settlesSource, srcCarried, base)

  const [row] = await tx.insert(purchaseAllocations).values({
    tenantId, billId: bill.id, paymentId: source.kind === 'payment' ? source.row.id : null, vendorCreditId: source.kind === 'vendor_credit' ? source.row.id : null,
    vendorId: bill.vendorId, currency: bill.currency, date: plan.date, amount: plan.amount.toString(),
    baseAmountBill: baseBill.toString(), baseAmountSource: baseSource.toString(),
    // set by the trigger from the rows it locks; given here for the types
    billDate: bill.date, billDue: bill.dueDate, sourceDate: source.row.date, createdBy: actor.id ?? null,
  }).returning() as [AllocationRow]
  Object.assign(source.row, { amountAllocated: new Dec(source.row.amountAllocated).plus(plan.amount).toString() })

  const fx = baseBill.minus(baseSource)
  let result = row
  if (!fx.isZero()) {
    const { apControlAccountId } = await controlAccountIds(tx)
    const sameRate = new Dec(bill.exchangeRate).eq(source.row.exchangeRate)
    const label = `${sameRate ? 'FX rounding' : 'Realised FX'}: ${sourceLabel(source)} → bill ${bill.number}`
    const entryId = await postRealisedFx(tx, tenantId, actor, PAYABLES_SIDE, { fx, sameRate, controlAccountId: apControlAccountId, label, period: periods.get(plan.date)!, date: plan.date, allocationId: row.id })
    ;[result] = await tx.update(purchaseAllocations).set({ fxEntryId: entryId }).where(eq(purchaseAllocations.id, row.id)).returning() as [AllocationRow]
  }
  if (settlesBill) {
    await recordEvent(tx, tenantId, { type: 'bill.paid', entityType: 'bill', entityId: bill.id, data: await getBill(tx, bill.id) })
  }
  return result
}
