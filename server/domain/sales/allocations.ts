/**
 * Allocations (SPEC §6 module 5): part of a receipt or of an issued credit note paying an invoice of
 * the same customer and currency. The database applies each one (0019's `sales_allocations_apply`:
 * it locks the source, then the invoice, refuses an over-allocation on either side and moves both
 * `amount_allocated` and the invoice's status); this code checks the same rules first, so a refusal
 * names its field, and adds what needs the ledger: the base amounts and the realised FX posting.
 *
 * **Base amounts.** Each side's base is what its posting put on the AR control account
 * (amount × its rate, rounded half-up to the base currency's minor unit). An allocation takes off
 * each side amount × that side's rate, rounded — except the allocation that settles a side fully,
 * which takes that side's whole remaining base ("carried base": posted base − the base of its
 * allocations that count). So a paid invoice and a used-up receipt or credit note carry exactly
 * nothing on the AR control account.
 *
 * **Realised FX.** `fx = baseAmountInvoice − baseAmountSource`. When it is not zero one entry is
 * posted in the base currency on the allocation's date, source {type: 'sales_allocation', id}:
 * fx > 0 (the payment is worth less in base than the invoice): credit AR, debit the FX gain/loss
 * system account; fx < 0: the reverse. With the same rate on both sides only rounding can leave a
 * difference (a unit of the minor unit at most): it goes to the FX rounding system account. Either
 * way the AR control account clears exactly: Σ carried base of invoices − Σ carried base of
 * receipts and credit notes = the AR control account's balance.
 *
 * **Lock order**: the source row (locked by the caller), then the invoice rows by id, then the
 * period rows of every date to be posted, then what postEntry takes (audit-chain lock): the
 * trigger's own locks are then already held. docs/posting.md's order is kept.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { receipts } from '../../../db/schema'
import { salesAllocations, salesDocuments } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { RuleError, ValidationError } from '../errors'
import { recordEvent } from '../events/events'
import { systemAccount } from '../ledger/accounts'
import { lockPeriodsForPosting, openPeriodFor } from '../ledger/periods'
import { baseCurrencyOf, postEntry, type PostingLine } from '../ledger/posting'
import type { PostingSource, SourceType } from '../ledger/sources'
import { reverseEntry } from '../ledger/entries'
import { decimalPlaces, Dec, format, minorUnit, roundTo } from '../money'
import { controlAccountIds } from './control-accounts'
import { getDocument } from './documents'

type DocRow = typeof salesDocuments.$inferSelect
type ReceiptRow = typeof receipts.$inferSelect
type AllocationRow = typeof salesAllocations.$inferSelect

/** What pays: a receipt, or an issued credit note (its `total` is what it can pay). */
export type Source
  = | { kind: 'receipt', row: ReceiptRow }
    | { kind: 'credit_note', row: DocRow }

const sourceAmount = (s: Source) => new Dec(s.kind === 'receipt' ? s.row.amount : s.row.total)
const sourceLabel = (s: Source) => `${s.kind === 'receipt' ? 'Receipt' : 'Credit note'} ${s.row.number}`

export interface AllocationPlan {
  invoice: DocRow
  amount: Dec
  date: string
  /** The body's field path of the allocation, for refusals (`allocations.0`, or '' for the route's body). */
  path: string
}

const at = (path: string, field: string) => (path ? `${path}.${field}` : field)

// ---------------------------------------------------------------------------------------------
// Presenting

export function presentAllocation(a: AllocationRow, invoiceNumber: string, sourceNumber: string, baseCurrency: string) {
  const places = minorUnit(a.currency)
  const basePlaces = minorUnit(baseCurrency)
  return {
    id: a.id, invoiceId: a.invoiceId, invoiceNumber, receiptId: a.receiptId, creditNoteId: a.creditNoteId, sourceNumber,
    customerId: a.customerId, date: a.date, currency: a.currency, amount: format(new Dec(a.amount), places),
    baseAmountInvoice: format(new Dec(a.baseAmountInvoice), basePlaces), baseAmountSource: format(new Dec(a.baseAmountSource), basePlaces),
    fxAmount: format(new Dec(a.baseAmountInvoice).minus(a.baseAmountSource), basePlaces),
    fxEntryId: a.fxEntryId, releasedAt: a.releasedAt, createdAt: a.createdAt,
  }
}
export type Allocation = ReturnType<typeof presentAllocation>

/** The allocations of a receipt or credit note (released ones included), oldest first. */
export async function allocationsOf(tx: Tx, tenantId: string, source: Source): Promise<Allocation[]> {
  const where = source.kind === 'receipt' ? eq(salesAllocations.receiptId, source.row.id) : eq(salesAllocations.creditNoteId, source.row.id)
  const rows = await tx.select({ a: salesAllocations, invoiceNumber: salesDocuments.number }).from(salesAllocations)
    .innerJoin(salesDocuments, eq(salesDocuments.id, salesAllocations.invoiceId)).where(where)
    .orderBy(asc(salesAllocations.createdAt), asc(salesAllocations.id))
  const base = await baseCurrencyOf(tx, tenantId)
  return rows.map(r => presentAllocation(r.a, r.invoiceNumber ?? '', source.row.number!, base))
}

// ---------------------------------------------------------------------------------------------
// Checking

/**
 * The terms of one side of the subledger, for the checks and the FX posting that sales and purchases
 * share (server/domain/purchases/allocations.ts is the other side): what the paid document and its
 * party are called, the refusal codes that name them, which statuses can be paid, and which way the
 * control account runs.
 */
export interface AllocationSide {
  /** `invoice` | `bill`: the document paid. */
  target: string
  /** The body's field naming it: `invoiceId` | `billId`. */
  targetField: string
  party: 'customer' | 'vendor'
  notOpenCode: string
  partyMismatchCode: string
  openStatuses: readonly string[]
  /** `an issued invoice` | `a posted bill`, for the refusal's message. */
  payable: string
  /** +1: the control account is an asset, debited by the document (AR); −1: a liability, credited by it (AP). */
  controlSign: 1 | -1
  /** The source type of a realised-FX posting. */
  fxSource: SourceType
}

export const SALES_SIDE: AllocationSide = {
  target: 'invoice', targetField: 'invoiceId', party: 'customer', notOpenCode: 'ALLOCATION_INVOICE_NOT_OPEN',
  partyMismatchCode: 'ALLOCATION_CUSTOMER_MISMATCH', openStatuses: ['issued', 'partially_paid'], payable: 'an issued invoice', controlSign: 1, fxSource: 'sales_allocation',
}

/** A document that can be paid, as the checks see it. */
export interface Payable { kind: string, number: string | null, status: string, partyId: string, currency: string, total: string, amountAllocated: string, date: string }
/** What pays, as the checks see it: its label (`Receipt RCT-000001`), noun (`receipt`), party, currency, date, and the amount it has left. */
export interface Paying { label: string, noun: string, partyId: string, currency: string, date: string, available: Dec }
export interface WantedAllocation { targetId: string, amount: string, date?: string, path: string }

/**
 * Checks each allocation against its (locked) document and the source: 422 with the allocation's
 * field path for an unknown or unpayable document, another party, another currency, a date before
 * either document, an amount over what is due or over what the source has left (the allocations
 * of one body counted together). Each document is named once.
 */
export function checkAllocations<T>(side: AllocationSide, source: Paying, wanted: WantedAllocation[], byId: Map<string, T>, view: (t: T) => Payable): { target: T, amount: Dec, date: string, path: string }[] {
  const seen = new Set<string>()
  const dup = wanted.find(w => (seen.has(w.targetId) ? true : (seen.add(w.targetId), false)))
  if (dup) throw new RuleError(`Each ${side.target} is named once`, 'ALLOCATION_INVALID', { [at(dup.path, side.targetField)]: 'is named twice' })
  const places = minorUnit(source.currency)
  let available = source.available
  const Target = side.target[0]!.toUpperCase() + side.target.slice(1)
  return wanted.map((w) => {
    const found = byId.get(w.targetId)
    const doc = found === undefined ? undefined : view(found)
    const field = at(w.path, side.targetField)
    if (!doc || doc.kind !== side.target) throw new RuleError(`Unknown ${side.target}`, side.notOpenCode, { [field]: `is not ${side.target === 'invoice' ? 'an' : 'a'} ${side.target} of this organisation` })
    const status = doc.status.replace('_', ' ')
    if (!side.openStatuses.includes(doc.status)) {
      throw new RuleError(`${Target} ${doc.number ?? `(${status})`} is ${status}: only ${side.payable} with an amount due can be paid`, side.notOpenCode, { [field]: `is ${doc.status === 'draft' ? 'a draft' : status}` })
    }
    if (doc.partyId !== source.partyId) throw new RuleError(`${Target} ${doc.number} belongs to another ${side.party}`, side.partyMismatchCode, { [field]: `is another ${side.party}'s ${side.target}` })
    if (doc.currency !== source.currency) {
      throw new RuleError(`${Target} ${doc.number} is in ${doc.currency}, the ${source.noun} in ${source.currency}`, 'ALLOCATION_CURRENCY_MISMATCH', { [field]: `is in ${doc.currency}` })
    }
    if (decimalPlaces(w.amount) > places) {
      throw new ValidationError(`${source.currency} has ${places} decimal places`, { [at(w.path, 'amount')]: `has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
    }
    const amount = new Dec(w.amount)
    const due = new Dec(doc.total).minus(doc.amountAllocated)
    if (amount.gt(due)) {
      throw new RuleError(`${Target} ${doc.number} has ${format(due, places)} ${doc.currency} due`, 'ALLOCATION_EXCEEDS_DUE', { [at(w.path, 'amount')]: `is more than the ${format(due, places)} due` })
    }
    if (amount.gt(available)) {
      throw new RuleError(`${source.label} has ${format(available, places)} ${source.currency} left to allocate`, 'ALLOCATION_EXCEEDS_AVAILABLE', { [at(w.path, 'amount')]: `is more than the ${format(available, places)} left` })
    }
    available = available.minus(amount)
    const earliest = doc.date > source.date ? doc.date : source.date
    const date = w.date ?? earliest
    if (date < earliest) throw new RuleError(`An allocation is dated on or after both documents (${earliest})`, 'ALLOCATION_INVALID', { [at(w.path, 'date')]: `must be on or after ${earliest}` })
    return { target: found!, amount, date, path: w.path }
  })
}

/**
 * Locks the invoices named (by id, FOR UPDATE) and checks each allocation against its invoice and
 * the source (`checkAllocations`).
 */
export async function planAllocations(tx: Tx, source: Source, wanted: { invoiceId: string, amount: string, date?: string, path: string }[]): Promise<AllocationPlan[]> {
  const ids = [...new Set(wanted.map(w => w.invoiceId))].sort()
  const locked = ids.length
    ? await tx.select().from(salesDocuments).where(inArray(salesDocuments.id, ids)).orderBy(asc(salesDocuments.id)).for('update')
    : []
  const paying: Paying = {
    label: sourceLabel(source), noun: source.kind === 'receipt' ? 'receipt' : 'credit note', partyId: source.row.customerId, currency: source.row.currency,
    date: source.row.date, available: sourceAmount(source).minus(source.row.amountAllocated),
  }
  return checkAllocations(SALES_SIDE, paying, wanted.map(w => ({ ...w, targetId: w.invoiceId })), new Map(locked.map(r => [r.id, r])), r => ({ ...r, partyId: r.customerId }))
    .map(p => ({ invoice: p.target, amount: p.amount, date: p.date, path: p.path }))
}

/** The open period of each date (422 LEDGER_PERIOD_CLOSED with its field), all share-locked before any posting. */
export async function lockPeriods(tx: Tx, tenantId: string, dates: { date: string, field: string }[]): Promise<Map<string, { id: string, fiscalYearId: string }>> {
  const out = new Map<string, { id: string, fiscalYearId: string }>()
  for (const d of dates) {
    if (!out.has(d.date)) out.set(d.date, await openPeriodFor(tx, tenantId, d.date, d.field))
  }
  await lockPeriodsForPosting(tx, [...new Set([...out.values()].map(p => p.id))])
  return out
}

// ---------------------------------------------------------------------------------------------
// Applying

/**
 * The postings of a paying document's void (a receipt's, a bill payment's): the void date (given,
 * else the latest of the document's and its live allocations' dates; never before them: 422 on
 * `date` with `invalidCode`), the paid documents locked (by id, `lockTargets`) and the period, then
 * the reversal of its entry and of each allocation's FX posting, all dated the void date. The
 * caller then releases the allocations and marks the document void.
 */
export interface VoidPostings {
  noun: string
  date: string
  journalEntryId: string
  source: PostingSource
  requested?: string
  invalidCode: string
  active: { id: string, date: string, fxEntryId: string | null, targetId: string }[]
  lockTargets: (ids: string[]) => Promise<unknown>
}
export async function reverseForVoid(tx: Tx, tenantId: string, actor: Actor, side: AllocationSide, v: VoidPostings): Promise<{ date: string, reversalId: string }> {
  const latest = v.active.reduce((d, a) => (a.date > d ? a.date : d), v.date)
  const date = v.requested ?? latest
  if (date < latest) throw new RuleError(`A ${v.noun} is voided on or after its date and its allocations' (${latest})`, v.invalidCode, { date: `must be on or after ${latest}` })
  const targetIds = [...new Set(v.active.map(a => a.targetId))].sort()
  if (targetIds.length) await v.lockTargets(targetIds)
  await lockPeriods(tx, tenantId, [{ date, field: 'date' }])
  const reversal = await reverseEntry(tx, tenantId, actor, v.journalEntryId, date, v.source)
  for (const a of v.active) {
    if (a.fxEntryId) await reverseEntry(tx, tenantId, actor, a.fxEntryId, date, { type: side.fxSource, id: a.id })
  }
  return { date, reversalId: reversal.id }
}

/** What a document or receipt still carries on the AR control account, in base. */
async function carriedBase(tx: Tx, postedBase: Dec, column: 'invoice' | 'receipt' | 'credit_note', id: string): Promise<Dec> {
  const where = column === 'invoice' ? eq(salesAllocations.invoiceId, id) : column === 'receipt' ? eq(salesAllocations.receiptId, id) : eq(salesAllocations.creditNoteId, id)
  const taken = column === 'invoice' ? salesAllocations.baseAmountInvoice : salesAllocations.baseAmountSource
  const [row] = await tx.select({ s: sql<string>`coalesce(sum(${taken}), 0)::text` }).from(salesAllocations).where(and(where, isNull(salesAllocations.releasedAt)))
  return postedBase.minus(row!.s)
}

/**
 * Posts an allocation's realised difference `fx` = base taken off the paid document − base taken
 * off the source, in the base currency on the allocation's date; returns the entry's id. The paid
 * document's control account moves by the difference so both settle exactly: for AR (controlSign
 * +1) fx > 0 credits AR and debits the FX account (a loss: the payment was worth less in base);
 * for AP (−1) fx > 0 debits AP and credits the FX account (a gain: the bill cost less in base than
 * it was booked at), and the reverse for fx < 0. With the same rate on both sides only rounding can
 * differ: the FX rounding system account takes it, else the FX gain/loss account.
 */
export interface RealisedFx {
  fx: Dec
  sameRate: boolean
  controlAccountId: string | null
  label: string
  period: { id: string, fiscalYearId: string }
  date: string
  allocationId: string
}
export async function postRealisedFx(tx: Tx, tenantId: string, actor: Actor, side: AllocationSide, a: RealisedFx): Promise<string> {
  if (!a.controlAccountId) throw new RuleError(`The organisation has no ${side.party === 'customer' ? 'AR' : 'AP'} control account`, 'CONTROL_ACCOUNT_INVALID')
  const base = await baseCurrencyOf(tx, tenantId)
  const fxAccount = await systemAccount(tx, a.sameRate ? 'fx_rounding' : 'fx_gain_loss')
  const [control] = await tx.execute<{ code: string, name: string }>(sql`select code, name from accounts where id = ${a.controlAccountId}`)
  const v = a.fx.abs()
  const zero = new Dec(0)
  const debit = { debit: v, credit: zero, baseDebit: v, baseCredit: zero }
  const credit = { debit: zero, credit: v, baseDebit: zero, baseCredit: v }
  // fx × sign > 0: the control account is credited, the FX account debited
  const creditControl = a.fx.times(side.controlSign).gt(0)
  const controlLine: PostingLine = { accountId: a.controlAccountId, accountCode: control!.code, accountName: control!.name, description: a.label, isRounding: false, ...(creditControl ? credit : debit) }
  const fxLine: PostingLine = { accountId: fxAccount.id, accountCode: fxAccount.code, accountName: fxAccount.name, description: a.label, isRounding: false, ...(creditControl ? debit : credit) }
  const entry = await postEntry(tx, tenantId, {
    date: a.date, memo: a.label.slice(0, 500), reference: null, currency: base, exchangeRate: new Dec(1),
    fiscalYearId: a.period.fiscalYearId, periodId: a.period.id, kind: 'manual', source: { type: side.fxSource, id: a.allocationId },
    lines: creditControl ? [fxLine, controlLine] : [controlLine, fxLine], actor,
  })
  return entry.id
}

/** The base one side gives up: amount × rate rounded, or all it carries when this settles it. */
export function sideBase(amount: Dec, rate: string, settles: boolean, carried: Dec, base: string): Dec {
  if (settles) return carried
  const v = roundTo(amount.times(rate), base)
  return v.gt(carried) ? carried : v
}

/**
 * Writes one planned allocation of `source` (both rows locked by the caller, periods locked):
 * the row (the trigger applies it), its FX posting, and `invoice.paid` when it settles the invoice.
 * `source.row.amountAllocated` is updated in place so a caller allocating several in turn sees it.
 */
export async function applyAllocation(tx: Tx, tenantId: string, actor: Actor, source: Source, plan: AllocationPlan, periods: Map<string, { id: string, fiscalYearId: string }>): Promise<AllocationRow> {
  const base = await baseCurrencyOf(tx, tenantId)
  const inv = plan.invoice
  const [fresh] = await tx.select().from(salesDocuments).where(eq(salesDocuments.id, inv.id)) as [DocRow]
  const settlesInvoice = new Dec(fresh.amountAllocated).plus(plan.amount).eq(fresh.total)
  const settlesSource = new Dec(source.row.amountAllocated).plus(plan.amount).eq(sourceAmount(source))
  const invCarried = await carriedBase(tx, roundTo(new Dec(inv.total).times(inv.exchangeRate), base), 'invoice', inv.id)
  const srcCarried = await carriedBase(tx, roundTo(sourceAmount(source).times(source.row.exchangeRate), base), source.kind, source.row.id)
  const baseInvoice = sideBase(plan.amount, inv.exchangeRate, settlesInvoice, invCarried, base)
  const baseSource = sideBase(plan.amount, source.row.exchangeRate, settlesSource, srcCarried, base)

  const [row] = await tx.insert(salesAllocations).values({
    tenantId, invoiceId: inv.id, receiptId: source.kind === 'receipt' ? source.row.id : null, creditNoteId: source.kind === 'credit_note' ? source.row.id : null,
    customerId: inv.customerId, currency: inv.currency, date: plan.date, amount: plan.amount.toString(),
    baseAmountInvoice: baseInvoice.toString(), baseAmountSource: baseSource.toString(), createdBy: actor.id ?? null,
  }).returning() as [AllocationRow]
  Object.assign(source.row, { amountAllocated: new Dec(source.row.amountAllocated).plus(plan.amount).toString() })

  const fx = baseInvoice.minus(baseSource)
  let result = row
  if (!fx.isZero()) {
    const { arControlAccountId } = await controlAccountIds(tx)
    const sameRate = new Dec(inv.exchangeRate).eq(source.row.exchangeRate)
    const label = `${sameRate ? 'FX rounding' : 'Realised FX'}: ${sourceLabel(source)} → invoice ${inv.number}`
    const entryId = await postRealisedFx(tx, tenantId, actor, SALES_SIDE, { fx, sameRate, controlAccountId: arControlAccountId, label, period: periods.get(plan.date)!, date: plan.date, allocationId: row.id })
    ;[result] = await tx.update(salesAllocations).set({ fxEntryId: entryId }).where(eq(salesAllocations.id, row.id)).returning() as [AllocationRow]
  }
  if (settlesInvoice) {
    await recordEvent(tx, tenantId, { type: 'invoice.paid', entityType: 'invoice', entityId: inv.id, data: await getDocument(tx, 'invoice', inv.id) })
  }
  return result
}
