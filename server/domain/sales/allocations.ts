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
 * Locks the invoices named (by id, FOR UPDATE) and checks each allocation against its invoice and
 * the source: 422 with the allocation's field path for an unknown or unpayable invoice, another
 * customer, another currency, a date before either document, an amount over what is due or over
 * what the source has left (the allocations of one body counted together).
 */
export async function planAllocations(tx: Tx, source: Source, wanted: { invoiceId: string, amount: string, date?: string, path: string }[]): Promise<AllocationPlan[]> {
  const ids = [...new Set(wanted.map(w => w.invoiceId))].sort()
  if (ids.length < wanted.length) {
    const seen = new Set<string>()
    const dup = wanted.find(w => (seen.has(w.invoiceId) ? true : (seen.add(w.invoiceId), false)))!
    throw new RuleError('Each invoice is named once', 'ALLOCATION_INVALID', { [at(dup.path, 'invoiceId')]: 'is named twice' })
  }
  const locked = ids.length
    ? await tx.select().from(salesDocuments).where(inArray(salesDocuments.id, ids)).orderBy(asc(salesDocuments.id)).for('update')
    : []
  const byId = new Map(locked.map(r => [r.id, r]))
  const places = minorUnit(source.row.currency)
  let available = sourceAmount(source).minus(source.row.amountAllocated)
  return wanted.map((w) => {
    const inv = byId.get(w.invoiceId)
    const field = at(w.path, 'invoiceId')
    if (!inv || inv.kind !== 'invoice') throw new RuleError('Unknown invoice', 'ALLOCATION_INVOICE_NOT_OPEN', { [field]: 'is not an invoice of this organisation' })
    if (inv.status !== 'issued' && inv.status !== 'partially_paid') {
      throw new RuleError(`Invoice ${inv.number ?? '(draft)'} is ${inv.status.replace('_', ' ')}: only an issued invoice with an amount due can be paid`, 'ALLOCATION_INVOICE_NOT_OPEN', { [field]: `is ${inv.status === 'draft' ? 'a draft' : inv.status.replace('_', ' ')}` })
    }
    if (inv.customerId !== source.row.customerId) throw new RuleError(`Invoice ${inv.number} belongs to another customer`, 'ALLOCATION_CUSTOMER_MISMATCH', { [field]: 'is another customer\'s invoice' })
    if (inv.currency !== source.row.currency) {
      throw new RuleError(`Invoice ${inv.number} is in ${inv.currency}, the ${source.kind === 'receipt' ? 'receipt' : 'credit note'} in ${source.row.currency}`, 'ALLOCATION_CURRENCY_MISMATCH', { [field]: `is in ${inv.currency}` })
    }
    if (decimalPlaces(w.amount) > places) {
      throw new ValidationError(`${source.row.currency} has ${places} decimal places`, { [at(w.path, 'amount')]: `has more than ${places} decimal places` }, 'TOO_MANY_DECIMALS')
    }
    const amount = new Dec(w.amount)
    const due = new Dec(inv.total).minus(inv.amountAllocated)
    if (amount.gt(due)) {
      throw new RuleError(`Invoice ${inv.number} has ${format(due, places)} ${inv.currency} due`, 'ALLOCATION_EXCEEDS_DUE', { [at(w.path, 'amount')]: `is more than the ${format(due, places)} due` })
    }
    if (amount.gt(available)) {
      throw new RuleError(`${sourceLabel(source)} has ${format(available, places)} ${source.row.currency} left to allocate`, 'ALLOCATION_EXCEEDS_AVAILABLE', { [at(w.path, 'amount')]: `is more than the ${format(available, places)} left` })
    }
    available = available.minus(amount)
    const earliest = inv.date > source.row.date ? inv.date : source.row.date
    const date = w.date ?? earliest
    if (date < earliest) throw new RuleError(`An allocation is dated on or after both documents (${earliest})`, 'ALLOCATION_INVALID', { [at(w.path, 'date')]: `must be on or after ${earliest}` })
    return { invoice: inv, amount, date, path: w.path }
  })
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

/** What a document or receipt still carries on the AR control account, in base. */
async function carriedBase(tx: Tx, postedBase: Dec, column: 'invoice' | 'receipt' | 'credit_note', id: string): Promise<Dec> {
  const where = column === 'invoice' ? eq(salesAllocations.invoiceId, id) : column === 'receipt' ? eq(salesAllocations.receiptId, id) : eq(salesAllocations.creditNoteId, id)
  const taken = column === 'invoice' ? salesAllocations.baseAmountInvoice : salesAllocations.baseAmountSource
  const [row] = await tx.select({ s: sql<string>`coalesce(sum(${taken}), 0)::text` }).from(salesAllocations).where(and(where, isNull(salesAllocations.releasedAt)))
  return postedBase.minus(row!.s)
}

/** The base one side gives up: amount × rate rounded, or all it carries when this settles it. */
function sideBase(amount: Dec, rate: string, settles: boolean, carried: Dec, base: string): Dec {
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
    if (!arControlAccountId) throw new RuleError('The organisation has no AR control account', 'CONTROL_ACCOUNT_INVALID')
    const sameRate = new Dec(inv.exchangeRate).eq(source.row.exchangeRate)
    const fxAccount = await systemAccount(tx, sameRate ? 'fx_rounding' : 'fx_gain_loss')
    const [ar] = await tx.execute<{ code: string, name: string }>(sql`select code, name from accounts where id = ${arControlAccountId}`)
    const v = fx.abs()
    const zero = new Dec(0)
    const label = `${sameRate ? 'FX rounding' : 'Realised FX'}: ${sourceLabel(source)} → invoice ${inv.number}`
    const arLine: PostingLine = { accountId: arControlAccountId, accountCode: ar!.code, accountName: ar!.name, description: label, isRounding: false, ...(fx.gt(0) ? { debit: zero, credit: v, baseDebit: zero, baseCredit: v } : { debit: v, credit: zero, baseDebit: v, baseCredit: zero }) }
    const fxLine: PostingLine = { accountId: fxAccount.id, accountCode: fxAccount.code, accountName: fxAccount.name, description: label, isRounding: false, ...(fx.gt(0) ? { debit: v, credit: zero, baseDebit: v, baseCredit: zero } : { debit: zero, credit: v, baseDebit: zero, baseCredit: v }) }
    const period = periods.get(plan.date)!
    const entry = await postEntry(tx, tenantId, {
      date: plan.date, memo: label.slice(0, 500), reference: null, currency: base, exchangeRate: new Dec(1),
      fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'manual', source: { type: 'sales_allocation', id: row.id }, lines: fx.gt(0) ? [fxLine, arLine] : [arLine, fxLine], actor,
    })
    ;[result] = await tx.update(salesAllocations).set({ fxEntryId: entry.id }).where(eq(salesAllocations.id, row.id)).returning() as [AllocationRow]
  }
  if (settlesInvoice) {
    await recordEvent(tx, tenantId, { type: 'invoice.paid', entityType: 'invoice', entityId: inv.id, data: await getDocument(tx, 'invoice', inv.id) })
  }
  return result
}
