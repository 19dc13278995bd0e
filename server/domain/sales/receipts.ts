/**
 * Receipts (SPEC §6 module 5): money received from a customer, posted when recorded — debit the
 * deposit account, credit the AR control account, the whole amount at the receipt's rate, source
 * {type: 'receipt', id} — and allocated to invoices (./allocations.ts), in the body or later. The
 * unallocated rest is the customer's credit. Numbered `RCT-000001` (gapless, `document_counters`
 * kind `receipt`), like invoices.
 *
 * Void posts the reversal of the receipt's entry and of every FX posting of its allocations (all
 * dated the void date: the latest of the receipt's and its allocations' dates unless given, never
 * before them) and releases the allocations (`released_at`; the invoices go back to issued or
 * partially paid), then marks it void.
 *
 * Lock order (./allocations.ts): the receipt row, then the invoice rows by id, then the period rows,
 * then postEntry's. Creating a receipt locks the invoices first (the receipt is new: no one else can
 * hold it).
 */
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm'
import { customers, receipts, RECEIPT_PREFIX, salesAllocations, salesDocuments } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError } from '../errors'
import { recordEvent } from '../events/events'
import { baseCurrencyOf, postEntry } from '../ledger/posting'
import { Dec, format, minorUnit } from '../money'
import { allocationsOf, applyAllocation, lockPeriods, planAllocations, presentAllocation, reverseForVoid, SALES_SIDE, type Source } from './allocations'
import { cashAccount, cashCurrency, cashPostingLines, type CashTerms } from './cash-documents'
import { controlAccountIds } from './control-accounts'
import { nextDocumentNumber } from './documents'
import { likePattern } from './tax-rates'

type Row = typeof receipts.$inferSelect

export interface ReceiptInput {
  customerId: string
  date: string
  amount: string
  depositAccountId: string
  currency?: string
  exchangeRate?: string
  reference?: string | null
  memo?: string | null
  allocations?: { invoiceId: string, amount: string }[]
}
export interface AllocateInput { invoiceId: string, amount: string, date?: string }

export interface ReceiptListQuery {
  page: number
  pageSize: number
  q?: string
  customerId?: string
  status?: Row['status']
  from?: string
  to?: string
  unallocated?: boolean
  sort?: { field: 'date' | 'number' | 'amount' | 'createdAt', dir: 'asc' | 'desc' }
}

const RECEIPT_TERMS: CashTerms = { noun: 'receipt', accountField: 'depositAccountId', accountCode: 'RECEIPT_ACCOUNT_INVALID' }
const invalid = (message: string, path: string, problem: string) => new RuleError(message, 'RECEIPT_INVALID', { [path]: problem })

function summary(r: Row, customerName: string) {
  const places = minorUnit(r.currency)
  const unallocated = r.status === 'void' ? new Dec(0) : new Dec(r.amount).minus(r.amountAllocated)
  return {
    id: r.id, number: r.number, status: r.status, customer: { id: r.customerId, name: customerName }, customerId: r.customerId,
    date: r.date, amount: format(new Dec(r.amount), places), currency: r.currency, exchangeRate: new Dec(r.exchangeRate).toString(),
    depositAccountId: r.depositAccountId, reference: r.reference, memo: r.memo,
    amountAllocated: format(new Dec(r.amountAllocated), places), amountUnallocated: format(unallocated, places),
    journalEntryId: r.journalEntryId, voidEntryId: r.voidEntryId, voidedAt: r.voidedAt, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}

async function present(tx: Tx, tenantId: string, row: Row) {
  const [customer] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, row.customerId))
  return { ...summary(row, customer?.name ?? ''), allocations: await allocationsOf(tx, tenantId, { kind: 'receipt', row }) }
}
export type Receipt = Awaited<ReturnType<typeof present>>

async function findRow(tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(receipts).where(eq(receipts.id, id))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError('Receipt')
  return row
}

export async function getReceipt(tx: Tx, tenantId: string, id: string): Promise<Receipt> {
  return present(tx, tenantId, await findRow(tx, id))
}

export async function listReceipts(tx: Tx, query: ReceiptListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const open = and(eq(receipts.status, 'active'), gt(receipts.amount, receipts.amountAllocated))
  const where: SQL | undefined = and(
    like ? or(ilike(receipts.number, like), ilike(receipts.reference, like), ilike(customers.name, like)) : undefined,
    query.customerId ? eq(receipts.customerId, query.customerId) : undefined,
    query.status ? eq(receipts.status, query.status) : undefined,
    query.from ? gte(receipts.date, query.from) : undefined,
    query.to ? lte(receipts.date, query.to) : undefined,
    query.unallocated === true ? open : query.unallocated === false ? sql`not (${open})` : undefined,
  )
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const field = query.sort?.field ?? 'date'
  const [{ total }] = await tx.select({ total: count() }).from(receipts).innerJoin(customers, eq(customers.id, receipts.customerId)).where(where) as [{ total: number }]
  const rows = await tx.select({ r: receipts, name: customers.name }).from(receipts)
    .innerJoin(customers, eq(customers.id, receipts.customerId)).where(where)
    .orderBy(dir(receipts[field]), dir(receipts.createdAt), asc(receipts.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(r => summary(r.r, r.name)), total: Number(total) }
}

/** The next receipt number (`document_counters` kind `receipt`), locked until commit: gapless, and given back by a rollback. */
const nextNumber = (tx: Tx, tenantId: string) => nextDocumentNumber(tx, tenantId, 'receipt', RECEIPT_PREFIX)

/** Records a receipt: checks, locks the invoices, posts, writes it and its allocations, audits. */
export async function createReceipt(tx: Tx, tenantId: string, actor: Actor, input: ReceiptInput): Promise<Receipt> {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId))
  // An inactive customer can still pay what it owes: only unknown customers are refused.
  if (!customer) throw invalid('Unknown customer', 'customerId', 'is not a customer of this organisation')

  const base = await baseCurrencyOf(tx, tenantId)
  const { currency, rate, places } = await cashCurrency(tx, RECEIPT_TERMS, input, customer.currency, base)
  const deposit = await cashAccount(tx, RECEIPT_TERMS, input.depositAccountId, currency)
  const { arControlAccountId } = await controlAccountIds(tx)
  if (!arControlAccountId) throw new RuleError('The organisation has no AR control account', 'CONTROL_ACCOUNT_INVALID')
  // The posting's lines, checked (amount range) before anything is locked or numbered.
  const lines = await cashPostingLines(tx, deposit, arControlAccountId, 'in', input.amount, { base, currency, places, rate }, 'Receipt')

  // A stand-in source for the checks: the receipt as it will be written (nothing allocated yet).
  const [{ id }] = await tx.execute<{ id: string }>(sql`select app_uuid_v7()::text as id`) as unknown as [{ id: string }]
  const now = new Date()
  const draft: Row = {
    tenantId, id, number: '', customerId: customer.id, date: input.date, amount: input.amount, currency, exchangeRate: rate.toString(),
    depositAccountId: deposit.id, reference: input.reference ?? null, memo: input.memo ?? null, amountAllocated: '0', status: 'active',
    journalEntryId: '', voidEntryId: null, voidedAt: null, version: 1, createdBy: actor.id ?? null, createdAt: now, updatedAt: now,
    isOpen: true, // as PostgreSQL computes it (migration 0036): an amount above zero, nothing allocated
  }
  const source: Source = { kind: 'receipt', row: draft }
  const plans = await planAllocations(tx, source, (input.allocations ?? []).map((w, i) => ({ ...w, path: `allocations.${i}` })))
  const periods = await lockPeriods(tx, tenantId, [{ date: input.date, field: 'date' }, ...plans.map(p => ({ date: p.date, field: `${p.path}.invoiceId` }))])

  const number = await nextNumber(tx, tenantId)
  const period = periods.get(input.date)!
  const label = `Receipt ${number}`
  const entry = await postEntry(tx, tenantId, {
    date: input.date, memo: `${label}: ${customer.name}`.slice(0, 500), reference: input.reference ?? null, currency, exchangeRate: rate,
    fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'manual', source: { type: 'receipt', id },
    lines: lines.map(l => ({ ...l, description: label })), actor,
  })
  const [row] = await tx.insert(receipts).values({
    tenantId, id, number, customerId: customer.id, date: input.date, amount: input.amount, currency, exchangeRate: rate.toString(),
    depositAccountId: deposit.id, reference: input.reference ?? null, memo: input.memo ?? null, journalEntryId: entry.id, createdBy: actor.id ?? null,
  }).returning() as [Row]
  source.row = row
  // In invoice-id order, as they were locked.
  for (const plan of [...plans].sort((x, y) => (x.invoice.id < y.invoice.id ? -1 : 1))) await applyAllocation(tx, tenantId, actor, source, plan, periods)

  const created = await present(tx, tenantId, await findRow(tx, id))
  await recordAudit(tx, tenantId, actor, { action: 'receipt.create', entityType: 'receipt', entityId: id, after: created })
  await recordEvent(tx, tenantId, { type: 'receipt.created', entityType: 'receipt', entityId: id, data: created })
  return created
}

/** Allocates part of a receipt's or a credit note's rest to an invoice (the source is locked first). */
async function allocateFrom(tx: Tx, tenantId: string, actor: Actor, source: Source, input: AllocateInput) {
  const [plan] = await planAllocations(tx, source, [{ ...input, path: '' }])
  const periods = await lockPeriods(tx, tenantId, [{ date: plan!.date, field: 'date' }])
  const row = await applyAllocation(tx, tenantId, actor, source, plan!, periods)
  const allocation = presentAllocation(row, plan!.invoice.number!, source.row.number!, await baseCurrencyOf(tx, tenantId))
  const entity = source.kind === 'receipt' ? 'receipt' : 'credit_note'
  await recordAudit(tx, tenantId, actor, { action: `${entity}.allocate`, entityType: entity, entityId: source.row.id, after: allocation })
  return allocation
}

export async function allocateReceipt(tx: Tx, tenantId: string, actor: Actor, id: string, input: AllocateInput) {
  const row = await findRow(tx, id, true)
  if (row.status !== 'active') throw new RuleError(`Receipt ${row.number} is void`, 'ALLOCATION_SOURCE_NOT_OPEN')
  return allocateFrom(tx, tenantId, actor, { kind: 'receipt', row }, input)
}

export async function allocateCreditNote(tx: Tx, tenantId: string, actor: Actor, id: string, input: AllocateInput) {
  const [row] = await tx.select().from(salesDocuments).where(and(eq(salesDocuments.id, id), eq(salesDocuments.kind, 'credit_note'))).for('update')
  if (!row) throw new NotFoundError('Credit note')
  if (row.status !== 'issued') throw new RuleError(`Credit note ${row.number ?? '(draft)'} is ${row.status}: only an issued credit note can be allocated`, 'ALLOCATION_SOURCE_NOT_OPEN')
  return allocateFrom(tx, tenantId, actor, { kind: 'credit_note', row }, input)
}

/** Voids a receipt: reversals of its posting and FX postings, allocations released, status void. */
export async function voidReceipt(tx: Tx, tenantId: string, actor: Actor, id: string, input: { date?: string } = {}): Promise<Receipt> {
  const row = await findRow(tx, id, true)
  if (row.status !== 'active') throw new ConflictError(`Receipt ${row.number} is already void`, 'RECEIPT_NOT_ACTIVE')
  const active = await tx.select().from(salesAllocations).where(and(eq(salesAllocations.receiptId, id), isNull(salesAllocations.releasedAt)))
  const { date, reversalId } = await reverseForVoid(tx, tenantId, actor, SALES_SIDE, {
    noun: 'receipt', date: row.date, journalEntryId: row.journalEntryId, source: { type: 'receipt', id }, requested: input.date, invalidCode: 'RECEIPT_INVALID',
    active: active.map(a => ({ ...a, targetId: a.invoiceId })),
    lockTargets: ids => tx.select({ id: salesDocuments.id }).from(salesDocuments).where(inArray(salesDocuments.id, ids)).orderBy(asc(salesDocuments.id)).for('update'),
  })
  const now = new Date()
  if (active.length) await tx.update(salesAllocations).set({ releasedAt: now }).where(and(eq(salesAllocations.receiptId, id), isNull(salesAllocations.releasedAt)))
  const [after] = await tx.update(receipts).set({ status: 'void', voidEntryId: reversalId, voidedAt: now, version: row.version + 1, updatedAt: now })
    .where(eq(receipts.id, id)).returning() as [Row]
  const voided = await present(tx, tenantId, after)
  await recordAudit(tx, tenantId, actor, { action: 'receipt.void', entityType: 'receipt', entityId: id, after: { date, voidEntryId: reversalId, released: active.map(a => a.id) } })
  return voided
}
