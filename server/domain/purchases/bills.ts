/**
 * Bills (SPEC §5 `bills`, §6 module 6, §4 maker-checker; issue 13 point 2). A bill is a sales
 * document seen from the other side, and shares its code rather than copying it
 * (server/domain/sales/documents.ts): the lines are resolved and the figures computed by
 * `resolveLines` (shared/sales/document-maths.ts, with the purchase side's item defaults, account
 * types and tax scope), stored by `lineRowValues`, posted by `documentPostingLines` (sign −1: the
 * AP control account credited with the total, each line's expense or asset account and each tax
 * component's account debited — recoverable purchase tax), numbered by `nextDocumentNumber`
 * (`BILL-000001`, kind `bill`).
 *
 * - **Draft**: created, changed (PATCH: the fields given replace the stored ones, `lines` all of
 *   them), deleted. The vendor's reference is required and unique per vendor among bills that are
 *   not void (409 BILL_DUPLICATE_REFERENCE, `bills_vendor_reference_key` behind it).
 * - **Submit**: resolved again (rates as they are now), the total in base currency compared with
 *   the settings' `billApprovalThreshold`: at or below it the bill posts at once (`open`), above it
 *   it waits (`awaiting_approval`). Either way `bill.submitted`.
 * - **Approve** (`ap:approve`, not the submitter: 422 SOD_SELF_APPROVAL, also a CHECK in the
 *   database): posts what was submitted (the stored lines, not resolved again: the approver
 *   approves what they saw), dated the bill's date; `bill.approved`.
 * - **Reject** (`ap:approve`) with a reason: back to draft, the reason, who and when kept on the bill.
 * - **Void**: posts the reversal (source the bill), refused while anything is paid
 *   (422 BILL_HAS_ALLOCATIONS); `bill.voided`. The reference is free again.
 * - **Vendor credits** (./vendor-credits.ts) are rows of kind `vendor_credit` and go through the
 *   same functions with a `kind` argument (`KIND_TERMS`: label, `VC-` prefix, posting sign +1,
 *   refusal codes); issued without approval (`issueVendorCredit`). Payments and credits move
 *   `amount_allocated` and open / partially_paid / paid through ./allocations.ts.
 * - **Lock order** (docs/posting.md): the bill row, the period, the counter row, the chain lock
 *   (postEntry's, and every audit event's: so a submit's audit event is written after its posting,
 *   and a create-and-submit writes only the submit's).
 */
import { createHash } from 'node:crypto'
import { and, asc, count, desc, eq, gte, ilike, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm'
import { billAttachments, billLines, billLineTaxes, bills, users, vendors } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { BILL_ATTACHMENT_MAX_BYTES, type BillAttachmentType } from '../../../shared/purchases/attachments'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, DomainError, ForbiddenError, isUniqueViolation, NotFoundError, RuleError } from '../errors'
import { recordEvent } from '../events/events'
import type { EventType } from '../events/types'
import { currencyAndRate, reverseEntry } from '../ledger/entries'
import { openPeriodFor } from '../ledger/periods'
import { baseCurrencyOf, postEntry } from '../ledger/posting'
import { Dec, format, minorUnit } from '../money'
import {
  accountProblem, breakdown, documentPostingLines, lineRowValues, loadAccounts, nextDocumentNumber, resolveLines,
  type AccountInfo, type DocumentLineInput, type LineSide, type ResolvedLines,
} from '../sales/documents'
import { likePattern } from '../sales/tax-rates'
import { getSettings } from '../settings/settings'

type Row = typeof bills.$inferSelect
type LineRow = typeof billLines.$inferSelect
type TaxRow = typeof billLineTaxes.$inferSelect
type Status = Row['status']

export const BILL_PREFIX = 'BILL-'
export const VENDOR_CREDIT_PREFIX = 'VC-'
export type BillKind = Row['kind']

/**
 * What differs between the two kinds of `bills` row: a bill (credits AP control, `BILL-`) and a
 * vendor credit (the vendor's credit note: debits AP control, `VC-`, issued without approval).
 */
export const KIND_TERMS = {
  bill: { label: 'Bill', entity: 'bill', prefix: BILL_PREFIX, sign: -1, invalidCode: 'BILL_INVALID', notDraftCode: 'BILL_NOT_DRAFT', voided: 'bill.voided' },
  vendor_credit: { label: 'Vendor credit', entity: 'vendor_credit', prefix: VENDOR_CREDIT_PREFIX, sign: 1, invalidCode: 'VENDOR_CREDIT_INVALID', notDraftCode: 'VENDOR_CREDIT_NOT_DRAFT', voided: null },
} as const satisfies Record<BillKind, { label: string, entity: string, prefix: string, sign: 1 | -1, invalidCode: string, notDraftCode: string, voided: EventType | null }>

/** A bill line debits an expense or an asset account (a prepayment, equipment below capitalisation…), never a control account. */
export const PURCHASE_SIDE: LineSide = {
  scope: 'purchases', itemAccount: i => i.expenseAccountId, itemTaxRate: i => i.purchaseTaxRateId, accountTypes: ['expense', 'asset'],
  accountRule: 'must be an expense or asset account', accountCode: 'BILL_ACCOUNT_INVALID', accountName: 'expense account',
}

export interface BillInput {
  vendorId: string
  date: string
  dueDate?: string | null
  /** Required for a bill; optional for a vendor credit. */
  vendorReference?: string | null
  currency?: string
  exchangeRate?: string
  memo?: string | null
  amountsAre: 'exclusive' | 'inclusive'
  lines: DocumentLineInput[]
  /** A vendor credit only: the posted bill of the same vendor it credits (informational). */
  billId?: string | null
}
export type BillPatch = Partial<BillInput> & { version?: number }
export interface BillListQuery {
  page: number
  pageSize: number
  q?: string
  vendorId?: string
  status?: Status
  from?: string
  to?: string
  sort?: { field: 'date' | 'dueDate' | 'number' | 'total' | 'createdAt', dir: 'asc' | 'desc' }
}

// ---------------------------------------------------------------------------------------------
// Presenting

const money = (v: string, currency: string) => format(new Dec(v), minorUnit(currency))
const plain = (v: string) => new Dec(v).toString()
const unitPrice = (v: string) => {
  const d = new Dec(v)
  return d.toFixed(Math.max(2, d.decimalPlaces()))
}

function summary(r: Row, vendorName: string) {
  const amountDue = r.status === 'void' || r.status === 'draft' || r.status === 'awaiting_approval' ? new Dec(0) : new Dec(r.total).minus(r.amountAllocated)
  return {
    id: r.id, kind: r.kind, number: r.number, status: r.status, vendor: { id: r.vendorId, name: vendorName }, vendorId: r.vendorId, vendorReference: r.vendorReference,
    date: r.date, dueDate: r.dueDate, currency: r.currency, exchangeRate: plain(r.exchangeRate), memo: r.memo, amountsAre: r.amountsAre,
    subtotal: money(r.subtotal, r.currency), taxTotal: money(r.taxTotal, r.currency), total: money(r.total, r.currency),
    amountPaid: money(r.amountAllocated, r.currency), amountDue: format(amountDue, minorUnit(r.currency)),
    journalEntryId: r.journalEntryId, voidEntryId: r.voidEntryId, creditedBillId: r.creditedBillId,
    submittedBy: r.submittedBy, submittedAt: r.submittedAt, approvedBy: r.approvedBy, approvedAt: r.approvedAt,
    rejectedBy: r.rejectedBy, rejectedAt: r.rejectedAt, rejectionReason: r.rejectionReason,
    postedAt: r.postedAt, voidedAt: r.voidedAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}
export type BillSummary = ReturnType<typeof summary>

function presentAttachment(a: Pick<typeof billAttachments.$inferSelect, 'id' | 'fileName' | 'mediaType' | 'size' | 'sha256' | 'createdBy' | 'createdAt'>) {
  return { id: a.id, fileName: a.fileName, mediaType: a.mediaType, size: a.size, sha256: a.sha256, createdBy: a.createdBy, createdAt: a.createdAt }
}
export type BillAttachment = ReturnType<typeof presentAttachment>

export async function present(tx: Tx, row: Row) {
  const [vendor] = await tx.select({ name: vendors.name }).from(vendors).where(eq(vendors.id, row.vendorId))
  const lines = await tx.select().from(billLines).where(eq(billLines.billId, row.id)).orderBy(asc(billLines.lineNo))
  const taxes = await tx.select().from(billLineTaxes).where(eq(billLineTaxes.billId, row.id)).orderBy(asc(billLineTaxes.lineNo), asc(billLineTaxes.position))
  const attachments = await tx.select({
    id: billAttachments.id, fileName: billAttachments.fileName, mediaType: billAttachments.mediaType, size: billAttachments.size,
    sha256: billAttachments.sha256, createdBy: billAttachments.createdBy, createdAt: billAttachments.createdAt,
  }).from(billAttachments).where(eq(billAttachments.billId, row.id)).orderBy(asc(billAttachments.createdAt), asc(billAttachments.id))
  // Who submitted, approved and rejected it, by name (the page shows them to the others).
  const personIds = [row.submittedBy, row.approvedBy, row.rejectedBy].filter((v): v is string => !!v)
  const people = personIds.length ? await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, personIds)) : []
  const nameOf = (userId: string | null) => {
    const person = people.find(p => p.id === userId)
    return person ? person.name || person.email : null
  }
  const c = row.currency
  return {
    ...summary(row, vendor?.name ?? ''),
    submittedByName: nameOf(row.submittedBy), approvedByName: nameOf(row.approvedBy), rejectedByName: nameOf(row.rejectedBy),
    lines: lines.map(l => ({
      lineNo: l.lineNo, itemId: l.itemId, description: l.description, quantity: plain(l.quantity), unitPrice: unitPrice(l.unitPrice),
      discountPercent: plain(l.discountPercent), accountId: l.accountId, taxRateId: l.taxRateId,
      amount: money(l.amount, c), net: money(l.net, c), tax: money(l.tax, c), total: money(l.total, c),
      taxes: taxes.filter(t => t.lineNo === l.lineNo).map(t => ({ taxRateId: t.taxRateId, position: t.position, name: t.name, rate: t.rate, accountId: t.accountId, net: money(t.net, c), tax: money(t.tax, c) })),
    })),
    taxBreakdown: breakdown(lines, taxes, c),
    attachments: attachments.map(presentAttachment),
  }
}
export type Bill = Awaited<ReturnType<typeof present>>

// ---------------------------------------------------------------------------------------------
// Reading

/** The row of a bill (or, with `kind`, of a vendor credit): 404 for the other kind too. */
export async function findRow(tx: Tx, id: string, lock = false, kind: BillKind = 'bill'): Promise<Row> {
  const q = tx.select().from(bills).where(and(eq(bills.id, id), eq(bills.kind, kind)))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError(KIND_TERMS[kind].label)
  return row
}

export async function getBill(tx: Tx, id: string): Promise<Bill> {
  return present(tx, await findRow(tx, id))
}

export async function listBills(tx: Tx, query: BillListQuery, kind: BillKind = 'bill') {
  const like = query.q ? likePattern(query.q) : undefined
  const where: SQL | undefined = and(
    eq(bills.kind, kind),
    like ? or(ilike(bills.number, like), ilike(bills.vendorReference, like), ilike(vendors.name, like)) : undefined,
    query.vendorId ? eq(bills.vendorId, query.vendorId) : undefined,
    query.status ? eq(bills.status, query.status) : undefined,
    query.from ? gte(bills.date, query.from) : undefined,
    query.to ? lte(bills.date, query.to) : undefined,
  )
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const field = query.sort?.field ?? 'date'
  const [{ total }] = await tx.select({ total: count() }).from(bills).innerJoin(vendors, eq(vendors.id, bills.vendorId)).where(where) as [{ total: number }]
  const rows = await tx.select({ b: bills, name: vendors.name }).from(bills).innerJoin(vendors, eq(vendors.id, bills.vendorId)).where(where)
    .orderBy(dir(bills[field]), dir(bills.createdAt), asc(bills.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(r => summary(r.b, r.name)), total: Number(total) }
}

// ---------------------------------------------------------------------------------------------
// Resolving a body

interface Resolved extends ResolvedLines {
  kind: BillKind
  creditedBillId: string | null
  vendorId: string
  vendorName: string
  currency: string
  rate: Dec
  date: string
  dueDate: string
  vendorReference: string | null
  memo: string | null
  amountsAre: 'exclusive' | 'inclusive'
  apControlAccountId: string | null
  threshold: string
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
const invalid = (message: string, path: string, problem: string, kind: BillKind = 'bill') => new RuleError(message, KIND_TERMS[kind].invalidCode, { [path]: problem })

export async function resolve(tx: Tx, tenantId: string, input: BillInput, keepRate?: Dec, kind: BillKind = 'bill'): Promise<Resolved> {
  if (kind === 'bill' && !input.vendorReference) throw invalid('A bill needs the vendor\'s reference', 'vendorReference', 'is required', kind)
  const [vendor] = await tx.select().from(vendors).where(eq(vendors.id, input.vendorId))
  if (!vendor) throw invalid('Unknown vendor', 'vendorId', 'is not a vendor of this organisation', kind)
  if (!vendor.isActive) throw invalid(`Vendor ${vendor.name} is inactive`, 'vendorId', 'is inactive', kind)
  const base = await baseCurrencyOf(tx, tenantId)
  const { currency, rate } = await currencyAndRate(tx, input, vendor.currency ?? base, base, kind === 'bill' ? 'a bill' : 'a vendor credit', keepRate)
  const settings = await getSettings(tx)
  // A vendor credit is due at once (it is not paid; its date stands for its due date in the aging).
  const dueDate = kind === 'vendor_credit' ? input.date : input.dueDate ?? addDays(input.date, vendor.paymentTermsDays ?? settings.defaultPaymentTermsDays)
  if (dueDate < input.date) throw invalid('The due date is before the bill date', 'dueDate', 'must be on or after the date')
  let creditedBillId: string | null = null
  if (kind === 'vendor_credit' && input.billId) {
    const [credited] = await tx.select().from(bills).where(and(eq(bills.id, input.billId), eq(bills.kind, 'bill')))
    const problem = !credited
      ? 'is not a bill of this organisation'
      : credited.vendorId !== vendor.id
        ? 'is another vendor\'s bill'
        : !['open', 'partially_paid', 'paid'].includes(credited.status) ? `is ${credited.status.replace('_', ' ')}: only a posted bill can be credited` : null
    if (problem) throw invalid('The vendor credit cannot name that bill', 'billId', problem, kind)
    creditedBillId = credited!.id
  }
  const lines = await resolveLines(tx, PURCHASE_SIDE, currency, input.amountsAre, input.lines, settings.apControlAccountId ? [settings.apControlAccountId] : [])
  return {
    ...lines, kind, creditedBillId, vendorId: vendor.id, vendorName: vendor.name, currency, rate, date: input.date, dueDate, vendorReference: input.vendorReference ?? null,
    memo: input.memo ?? null, amountsAre: input.amountsAre, apControlAccountId: settings.apControlAccountId, threshold: settings.billApprovalThreshold,
  }
}

export const headerOf = (r: Resolved) => ({
  kind: r.kind, creditedBillId: r.creditedBillId, vendorId: r.vendorId, date: r.date, dueDate: r.dueDate, vendorReference: r.vendorReference, currency: r.currency, exchangeRate: r.rate.toString(),
  memo: r.memo, amountsAre: r.amountsAre, subtotal: r.figures.subtotal, taxTotal: r.figures.taxTotal, total: r.figures.total,
})

export async function writeLines(tx: Tx, tenantId: string, billId: string, r: Resolved) {
  const { lines, taxes } = lineRowValues(r)
  await tx.delete(billLines).where(eq(billLines.billId, billId))
  await tx.insert(billLines).values(lines.map(l => ({ tenantId, billId, ...l })))
  if (taxes.length) await tx.insert(billLineTaxes).values(taxes.map(t => ({ tenantId, billId, ...t })))
}

/** The vendor's reference once per vendor and kind (among documents that are not void): 409 BILL_DUPLICATE_REFERENCE. */
export async function checkReference(tx: Tx, r: Resolved, exceptId?: string) {
  if (!r.vendorReference) return
  const [taken] = await tx.select({ id: bills.id }).from(bills)
    .where(and(eq(bills.kind, r.kind), eq(bills.vendorId, r.vendorId), sql`lower(${bills.vendorReference}) = lower(${r.vendorReference})`, ne(bills.status, 'void'), exceptId ? ne(bills.id, exceptId) : undefined))
  if (taken) throw duplicate(r.vendorReference)
}
const duplicate = (reference: string | null) => new ConflictError(`This vendor already has a bill with the reference ${reference}`, 'BILL_DUPLICATE_REFERENCE', { vendorReference: 'is already on another bill of this vendor' })
export function referenceTaken(err: unknown, reference: string | null): never {
  if (isUniqueViolation(err, 'bills_vendor_reference_key')) throw duplicate(reference)
  throw err
}

function actorId(actor: Actor): string {
  // Maker-checker compares people: submitting and approving need a named person.
  if (!actor.id) throw new ForbiddenError('Only a signed-in person can submit or approve a bill')
  return actor.id
}

// ---------------------------------------------------------------------------------------------
// Drafts

/** Creates a draft bill (or, with `kind`, vendor credit); `submit`: a bill is submitted, a vendor credit issued, at once. */
export async function createBill(tx: Tx, tenantId: string, actor: Actor, input: BillInput & { submit?: boolean }, kind: BillKind = 'bill'): Promise<Bill> {
  const r = await resolve(tx, tenantId, input, undefined, kind)
  await checkReference(tx, r)
  const [row] = await tx.insert(bills).values({ tenantId, ...headerOf(r), createdBy: actor.id ?? null }).returning().catch(e => referenceTaken(e, r.vendorReference)) as [Row]
  await writeLines(tx, tenantId, row.id, r)
  // Created and submitted at once: one audit event, the submit's, written after the posting (lock order).
  if (input.submit) return kind === 'bill' ? submitBill(tx, tenantId, actor, row.id, true) : issueVendorCredit(tx, tenantId, actor, row.id, true)
  const created = await present(tx, row)
  await recordAudit(tx, tenantId, actor, { action: `${KIND_TERMS[kind].entity}.create`, entityType: KIND_TERMS[kind].entity, entityId: row.id, after: created })
  return created
}

const notDraft = (row: Row) => new ConflictError(`${KIND_TERMS[row.kind].label} ${row.number ?? row.vendorReference ?? ''} is ${row.status.replace('_', ' ')}: only a draft can be changed, deleted, ${row.kind === 'bill' ? 'or submitted' : 'or issued'}`, KIND_TERMS[row.kind].notDraftCode)

async function storedInput(tx: Tx, row: Row): Promise<BillInput> {
  const lines = await tx.select().from(billLines).where(eq(billLines.billId, row.id)).orderBy(asc(billLines.lineNo))
  return {
    vendorId: row.vendorId, date: row.date, dueDate: row.dueDate, vendorReference: row.vendorReference, currency: row.currency, memo: row.memo, amountsAre: row.amountsAre, billId: row.creditedBillId,
    lines: lines.map(l => ({ itemId: l.itemId, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent, accountId: l.accountId, taxRateId: l.taxRateId })),
  }
}

export async function updateBill(tx: Tx, tenantId: string, actor: Actor, id: string, patch: BillPatch, kind: BillKind = 'bill'): Promise<Bill> {
  const before = await findRow(tx, id, true, kind)
  if (before.status !== 'draft') throw notDraft(before)
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError('This bill was changed by someone else; reload and try again', 'STALE_VERSION')
  const stored = await storedInput(tx, before)
  const { version: _, ...given } = patch
  const next: BillInput = { ...stored, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) }
  if (patch.vendorId && patch.vendorId !== before.vendorId && !patch.currency) delete next.currency
  // A new date or vendor brings its own due date unless one is given.
  if ((patch.date || patch.vendorId) && patch.dueDate === undefined) next.dueDate = undefined
  const sameRate = next.currency === before.currency && next.date === before.date && !patch.exchangeRate
  const r = await resolve(tx, tenantId, next, sameRate ? new Dec(before.exchangeRate) : undefined, kind)
  await checkReference(tx, r, id)
  const [after] = await tx.update(bills).set({ ...headerOf(r), version: before.version + 1, updatedAt: new Date() })
    .where(eq(bills.id, id)).returning().catch(e => referenceTaken(e, r.vendorReference)) as [Row]
  await writeLines(tx, tenantId, id, r)
  const updated = await present(tx, after)
  const entity = KIND_TERMS[kind].entity
  await recordAudit(tx, tenantId, actor, { action: `${entity}.update`, entityType: entity, entityId: id, before: summary(before, updated.vendor.name), after: updated })
  return updated
}

export async function deleteBill(tx: Tx, tenantId: string, actor: Actor, id: string, kind: BillKind = 'bill'): Promise<void> {
  const before = await findRow(tx, id, true, kind)
  if (before.status !== 'draft') throw notDraft(before)
  await tx.delete(bills).where(eq(bills.id, id))
  const entity = KIND_TERMS[kind].entity
  await recordAudit(tx, tenantId, actor, { action: `${entity}.delete`, entityType: entity, entityId: id, before: summary(before, '') })
}

// ---------------------------------------------------------------------------------------------
// Submit, approve, reject, post

/** The bill's total in base currency, to its minor unit (what the threshold compares). */
function baseTotal(total: string, rate: string | Dec, base: string): Dec {
  return new Dec(total).times(rate).toDecimalPlaces(minorUnit(base), Dec.ROUND_HALF_UP)
}

/**
 * Submits a draft. Its audit event is written after the posting: an audit event takes the chain
 * lock, which comes after the counter row in the lock order (docs/posting.md), as approving does.
 */
export async function submitBill(tx: Tx, tenantId: string, actor: Actor, id: string, created = false): Promise<Bill> {
  const submitter = actorId(actor)
  const row = await findRow(tx, id, true)
  if (row.status !== 'draft') throw notDraft(row)
  const r = await resolve(tx, tenantId, await storedInput(tx, row), new Dec(row.exchangeRate))
  if (!new Dec(r.figures.total).gt(0)) throw invalid('A bill of zero cannot be submitted', 'lines', 'the total must be greater than zero')
  if (!r.apControlAccountId) throw new RuleError('The organisation has no AP control account', 'CONTROL_ACCOUNT_INVALID')
  await writeLines(tx, tenantId, id, r)
  const base = await baseCurrencyOf(tx, tenantId)
  const inBase = baseTotal(r.figures.total, r.rate, base)
  const needsApproval = inBase.gt(r.threshold)
  const now = new Date()
  const [submitted] = await tx.update(bills).set({
    ...headerOf(r), status: needsApproval ? 'awaiting_approval' : 'draft', submittedBy: submitter, submittedAt: now, version: row.version + 1, updatedAt: now,
  }).where(eq(bills.id, id)).returning() as [Row]
  const result = needsApproval ? await present(tx, submitted) : await post(tx, tenantId, actor, submitted, null)
  const audit = { baseTotal: format(inBase, minorUnit(base)), threshold: r.threshold, needsApproval, ...(created ? { created: result } : {}) }
  await recordAudit(tx, tenantId, actor, { action: 'bill.submit', entityType: 'bill', entityId: id, after: audit })
  await recordEvent(tx, tenantId, { type: 'bill.submitted', entityType: 'bill', entityId: id, data: result })
  return result
}

export async function approveBill(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<Bill> {
  const approver = actorId(actor)
  const row = await findRow(tx, id, true)
  if (row.status !== 'awaiting_approval') throw notAwaiting(row)
  if (row.submittedBy === approver) throw new RuleError('You submitted this bill: someone else with ap:approve must approve it', 'SOD_SELF_APPROVAL')
  const approved = await post(tx, tenantId, actor, row, approver)
  await recordEvent(tx, tenantId, { type: 'bill.approved', entityType: 'bill', entityId: id, data: approved })
  return approved
}

export async function rejectBill(tx: Tx, tenantId: string, actor: Actor, id: string, input: { reason: string }): Promise<Bill> {
  const rejecter = actorId(actor)
  const row = await findRow(tx, id, true)
  if (row.status !== 'awaiting_approval') throw notAwaiting(row)
  const now = new Date()
  const [after] = await tx.update(bills).set({
    status: 'draft', rejectedBy: rejecter, rejectedAt: now, rejectionReason: input.reason, submittedBy: null, submittedAt: null, version: row.version + 1, updatedAt: now,
  }).where(eq(bills.id, id)).returning() as [Row]
  await recordAudit(tx, tenantId, actor, { action: 'bill.reject', entityType: 'bill', entityId: id, after: { reason: input.reason } })
  return present(tx, after)
}

const notAwaiting = (row: Row) => new ConflictError(`Bill ${row.number ?? row.vendorReference} is ${row.status.replace('_', ' ')}: only a bill awaiting approval is approved or rejected`, 'BILL_NOT_AWAITING_APPROVAL')

/**
 * Issues a draft vendor credit: resolved again (rates as they are now), posted at once with its
 * date — Dr AP control the total, Cr each line's account its net and each tax account its tax (the
 * bill's posting reversed) — and numbered `VC-000001`. No approval: a credit lowers what is owed.
 * Its audit event (`vendor_credit.issue`) is the posting's (`post`).
 */
export async function issueVendorCredit(tx: Tx, tenantId: string, actor: Actor, id: string, created = false): Promise<Bill> {
  const issuer = actorId(actor)
  const row = await findRow(tx, id, true, 'vendor_credit')
  if (row.status !== 'draft') throw notDraft(row)
  const r = await resolve(tx, tenantId, await storedInput(tx, row), new Dec(row.exchangeRate), 'vendor_credit')
  if (!new Dec(r.figures.total).gt(0)) throw invalid('A vendor credit of zero cannot be issued', 'lines', 'the total must be greater than zero', 'vendor_credit')
  await writeLines(tx, tenantId, id, r)
  const now = new Date()
  const [issued] = await tx.update(bills).set({ ...headerOf(r), submittedBy: issuer, submittedAt: now, version: row.version + 1, updatedAt: now })
    .where(eq(bills.id, id)).returning() as [Row]
  return post(tx, tenantId, actor, issued, null, created)
}

/**
 * Posts a submitted bill as stored (its lines and taxes as submitted): Dr each line account its
 * net, Dr each tax component's account its tax, Cr AP control the total, dated the bill's date;
 * then its number. `approvedBy`: the approver, or null when it posts on submit.
 */
async function post(tx: Tx, tenantId: string, actor: Actor, row: Row, approvedBy: string | null, created = false): Promise<Bill> {
  const terms = KIND_TERMS[row.kind]
  const settings = await getSettings(tx)
  if (!settings.apControlAccountId) throw new RuleError('The organisation has no AP control account', 'CONTROL_ACCOUNT_INVALID')
  const lines: LineRow[] = await tx.select().from(billLines).where(eq(billLines.billId, row.id)).orderBy(asc(billLines.lineNo))
  const taxes: TaxRow[] = await tx.select().from(billLineTaxes).where(eq(billLineTaxes.billId, row.id)).orderBy(asc(billLineTaxes.lineNo), asc(billLineTaxes.position))
  const found = await loadAccounts(tx, [...new Set([...lines.map(l => l.accountId), ...taxes.map(t => t.accountId), settings.apControlAccountId])]) as Map<string, AccountInfo>
  // The accounts may have changed since the bill was submitted (made inactive, a parent, a control account).
  lines.forEach((l, i) => {
    const problem = accountProblem(found.get(l.accountId), row.currency, PURCHASE_SIDE.accountTypes, PURCHASE_SIDE.accountRule)
    if (problem) throw new RuleError('The line\'s expense account cannot take the posting', 'BILL_ACCOUNT_INVALID', { [`lines.${i}.accountId`]: problem })
  })
  const base = await baseCurrencyOf(tx, tenantId)
  const posting = await documentPostingLines(tx, base, {
    currency: row.currency, rate: new Dec(row.exchangeRate), accounts: found, lines,
    figures: { total: row.total, lines: lines.map(l => ({ net: l.net, taxByComponent: taxes.filter(t => t.lineNo === l.lineNo).map(t => ({ accountId: t.accountId, tax: t.tax })) })) },
  }, terms.sign, settings.apControlAccountId, terms.label)
  const period = await openPeriodFor(tx, tenantId, row.date)
  const number = await nextDocumentNumber(tx, tenantId, row.kind, terms.prefix)
  const [vendor] = await tx.select({ name: vendors.name }).from(vendors).where(eq(vendors.id, row.vendorId))
  const label = `${terms.label} ${number}`
  const entry = await postEntry(tx, tenantId, {
    date: row.date, memo: `${label}: ${vendor?.name ?? ''} ${row.vendorReference ?? ''}`.trim().slice(0, 500), reference: row.vendorReference, currency: row.currency, exchangeRate: new Dec(row.exchangeRate),
    fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'manual', source: { type: row.kind, id: row.id },
    lines: posting.map(l => ({ ...l, description: l.isRounding || !l.description?.startsWith(terms.label) ? l.description : label + l.description.slice(terms.label.length) })), actor,
  })
  const now = new Date()
  const [after] = await tx.update(bills).set({
    status: 'open', number, journalEntryId: entry.id, postedAt: now, approvedBy, approvedAt: approvedBy ? now : null, version: row.version + 1, updatedAt: now,
  }).where(eq(bills.id, row.id)).returning() as [Row]
  // The entry's own audit event is postEntry's (`journal_entry.post`); the bill's follows, the chain lock already held.
  const action = row.kind === 'vendor_credit' ? 'vendor_credit.issue' : approvedBy ? 'bill.approve' : 'bill.post'
  const result = await present(tx, after)
  await recordAudit(tx, tenantId, actor, { action, entityType: terms.entity, entityId: row.id, after: { number, journalEntryId: entry.id, ...(created ? { created: result } : {}) } })
  return result
}

/** Voids a posted bill (or, with `kind`, an issued vendor credit): its reversal, refused while anything is allocated. */
export async function voidBill(tx: Tx, tenantId: string, actor: Actor, id: string, input: { date?: string } = {}, kind: BillKind = 'bill'): Promise<Bill> {
  const terms = KIND_TERMS[kind]
  const row = await findRow(tx, id, true, kind)
  if (row.status === 'draft' || row.status === 'awaiting_approval' || row.status === 'void') {
    throw new ConflictError(row.status === 'void'
      ? `${terms.label} ${row.number} is already void`
      : `A ${terms.label.toLowerCase()} that has not posted is not voided: ${kind === 'bill' ? 'reject or delete' : 'delete'} it instead`, kind === 'bill' ? 'BILL_NOT_POSTED' : 'VENDOR_CREDIT_NOT_OPEN')
  }
  if (new Dec(row.amountAllocated).gt(0)) {
    throw new RuleError(kind === 'bill'
      ? `Bill ${row.number} has ${row.amountAllocated} ${row.currency} paid; void the payments first`
      : `Vendor credit ${row.number} has ${row.amountAllocated} ${row.currency} allocated to bills`, 'BILL_HAS_ALLOCATIONS')
  }
  const date = input.date ?? row.date
  if (date < row.date) throw invalid(`A ${terms.label.toLowerCase()} is voided on or after its date`, 'date', `must be on or after its date ${row.date}`, kind)
  const reversal = await reverseEntry(tx, tenantId, actor, row.journalEntryId!, date, { type: kind, id })
  const now = new Date()
  const [after] = await tx.update(bills).set({ status: 'void', voidEntryId: reversal.id, voidedAt: now, version: row.version + 1, updatedAt: now })
    .where(eq(bills.id, id)).returning() as [Row]
  const voided = await present(tx, after)
  await recordAudit(tx, tenantId, actor, { action: `${terms.entity}.void`, entityType: terms.entity, entityId: id, after: { date, voidEntryId: reversal.id } })
  if (terms.voided) await recordEvent(tx, tenantId, { type: terms.voided, entityType: terms.entity, entityId: id, data: voided })
  return voided
}

// ---------------------------------------------------------------------------------------------
// Attachments

/** What the bytes are, from their first bytes (never from the client's type or file name). */
export function sniffAttachment(bytes: Buffer): BillAttachmentType | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf'
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))) return 'image/png'
  if (bytes.length >= 3 && bytes[0] === 0xFF && bytes[1] === 0xD8 && bytes[2] === 0xFF) return 'image/jpeg'
  return null
}

const EXTENSIONS = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' } as const

/** A file name safe to store and to put in a Content-Disposition header: printable, no path, no quotes. */
function cleanFileName(name: string | undefined, type: keyof typeof EXTENSIONS): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001F\u007F"]/g, '').trim().slice(0, 200)
  return cleaned || `attachment.${EXTENSIONS[type]}`
}

/** Stores an attachment: 413 ATTACHMENT_TOO_LARGE over 10 MiB, 415 ATTACHMENT_TYPE_INVALID unless a PDF, PNG or JPEG. */
export async function addAttachment(tx: Tx, tenantId: string, actor: Actor, billId: string, file: { bytes: Buffer, name?: string }): Promise<BillAttachment> {
  const row = await findRow(tx, billId)
  if (file.bytes.length > BILL_ATTACHMENT_MAX_BYTES) throw attachmentTooLarge()
  const mediaType = sniffAttachment(file.bytes)
  if (!mediaType) throw new DomainError(415, 'ATTACHMENT_TYPE_INVALID', 'Attach the bill as a PDF, PNG or JPEG file', { file: 'must be a PDF, PNG or JPEG file' })
  const [stored] = await tx.insert(billAttachments).values({
    tenantId, billId: row.id, fileName: cleanFileName(file.name, mediaType), mediaType, bytes: file.bytes, size: file.bytes.length,
    sha256: createHash('sha256').update(file.bytes).digest('hex'), createdBy: actor.id ?? null,
  }).returning() as [typeof billAttachments.$inferSelect]
  const attachment = presentAttachment(stored)
  await recordAudit(tx, tenantId, actor, { action: 'bill.attachment.add', entityType: 'bill', entityId: billId, after: attachment })
  return attachment
}

export const attachmentTooLarge = () => new DomainError(413, 'ATTACHMENT_TOO_LARGE', `An attachment is at most ${BILL_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`, { file: `must be at most ${BILL_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB` })

export async function getAttachment(tx: Tx, billId: string, attachmentId: string) {
  await findRow(tx, billId) // a bill's, not a vendor credit's (404)
  const [found] = await tx.select().from(billAttachments).where(and(eq(billAttachments.billId, billId), eq(billAttachments.id, attachmentId)))
  if (!found) throw new NotFoundError('Attachment')
  return found
}
