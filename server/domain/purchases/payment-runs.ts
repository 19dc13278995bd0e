/**
 * Payment runs (SPEC §5 `payment-runs`, §6 module 6, §4 maker-checker; issue 13 point 4): bills
 * paid together from one cash or bank account. The decisions are in README.md ("Payment runs").
 *
 * - **Prepare** (`ap:write`): the bills named, or every payable bill due on or before a date; a
 *   payable bill is posted (open or partially paid), dated on or before the run, in a currency the
 *   account takes, and in no other prepared run (`payment_run_items_prepared_key`). Each item pays
 *   the bill's open amount (total − amount paid) in the bill's currency. Numbered `PR-000001`.
 *   Nothing posts. A vendor without a confirmed bank account is flagged (`no_account`) at once.
 * - **Approve** (`ap:pay`, not the preparer: 422 SOD_SELF_APPROVAL, and a CHECK): under lock, each
 *   bill must still owe what the run pays (else 409 PAYMENT_RUN_STALE: the approver approves the
 *   amounts they saw, never others). Then one bill payment per vendor and currency, the bank files
 *   built from the vendors' confirmed accounts (decrypted here only), the files stored with their
 *   SHA-256, all in one transaction. A vendor whose details the bank file cannot use is left out
 *   with the reason, and gets no payment.
 * - **Cancel** (`ap:write`): a prepared run only; its bills are free for another run.
 * - **Files** (`ap:pay`): the stored bytes; each download audited with the file's SHA-256.
 *
 * Lock order (docs/posting.md): the run row, the bill rows by id, then the payments' (periods,
 * counters, the chain lock); the run's audit event last.
 */
import { createHash } from 'node:crypto'
import { and, asc, count, desc, eq, inArray, lte, sql } from 'drizzle-orm'
import {
  accounts, bills, PAYMENT_RUN_PREFIX, paymentRunFiles, paymentRunItems, paymentRuns, users, vendors,
  type PAYMENT_RUN_EXCLUSIONS, type PAYMENT_RUN_FORMATS,
} from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ibanOfGlAccount } from '../bank/accounts'
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, RuleError } from '../errors'
import { openPeriodFor } from '../ledger/periods'
import { baseCurrencyOf } from '../ledger/posting'
import { Dec, format, minorUnit } from '../money'
import { nextDocumentNumber } from '../sales/documents'
import { cashAccount, type CashTerms } from '../sales/cash-documents'
import { getSettings } from '../settings/settings'
import { createBillPayment } from './bill-payments'
import { BankFileInputError, pain001, paymentsCsv, splitPayable, type BankFileRun, type BankPayment } from './bank-file'
import { bankAccountsForPayment } from './vendors'

type Row = typeof paymentRuns.$inferSelect
type Status = Row['status']
type Exclusion = typeof PAYMENT_RUN_EXCLUSIONS[number]
export type PaymentRunFormat = typeof PAYMENT_RUN_FORMATS[number]

export interface PaymentRunInput {
  date: string
  paymentAccountId: string
  billIds?: string[]
  dueOnOrBefore?: string
}
export interface PaymentRunListQuery {
  page: number
  pageSize: number
  status?: Status
  sort?: { field: 'date' | 'number' | 'createdAt', dir: 'asc' | 'desc' }
}

/** A bill a run may pay: posted, owing something, not void. */
const PAYABLE = ['open', 'partially_paid'] as const
const openAmount = (b: { total: string, amountAllocated: string }) => new Dec(b.total).minus(b.amountAllocated)
const money = (v: Dec | string, currency: string) => format(new Dec(v), minorUnit(currency))

// ---------------------------------------------------------------------------------------------
// Presenting

async function present(tx: Tx, row: Row) {
  const [account] = await tx.select({ id: accounts.id, code: accounts.code, name: accounts.name, currency: accounts.currency }).from(accounts).where(eq(accounts.id, row.paymentAccountId))
  const people = [row.preparedBy, row.approvedBy, row.cancelledBy].filter((p): p is string => !!p)
  const names = new Map((await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, people))).map(u => [u.id, u.name]))
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null)
  const rows = await tx.select({
    billId: paymentRunItems.billId, vendorId: paymentRunItems.vendorId, currency: paymentRunItems.currency, amount: paymentRunItems.amount,
    excludedReason: paymentRunItems.excludedReason, paymentId: paymentRunItems.paymentId,
    billNumber: bills.number, vendorReference: bills.vendorReference, billDate: bills.date, dueDate: bills.dueDate, billTotal: bills.total, vendorName: vendors.name,
  }).from(paymentRunItems)
    .innerJoin(bills, eq(bills.id, paymentRunItems.billId))
    .innerJoin(vendors, eq(vendors.id, paymentRunItems.vendorId))
    .where(eq(paymentRunItems.runId, row.id))
    .orderBy(asc(vendors.name), asc(paymentRunItems.vendorId), asc(paymentRunItems.currency), asc(bills.dueDate), asc(bills.number))
  const items = rows.map(r => ({
    billId: r.billId, billNumber: r.billNumber, vendorReference: r.vendorReference, date: r.billDate, dueDate: r.dueDate, billTotal: money(r.billTotal, r.currency),
    vendor: { id: r.vendorId, name: r.vendorName }, currency: r.currency, amount: money(r.amount, r.currency), excludedReason: r.excludedReason, paymentId: r.paymentId,
  }))
  // One line per vendor and currency: what one payment pays (or why it is left out).
  const groups = new Map<string, { vendor: { id: string, name: string }, currency: string, bills: number, amount: Dec, excludedReason: Exclusion | null, paymentId: string | null }>()
  for (const r of rows) {
    const key = `${r.vendorId}:${r.currency}`
    const g = groups.get(key) ?? { vendor: { id: r.vendorId, name: r.vendorName }, currency: r.currency, bills: 0, amount: new Dec(0), excludedReason: r.excludedReason, paymentId: r.paymentId }
    g.bills += 1
    g.amount = g.amount.plus(r.amount)
    groups.set(key, g)
  }
  const vendorsOf = [...groups.values()].map(g => ({ ...g, amount: money(g.amount, g.currency) }))
  const totals = new Map<string, { currency: string, payments: number, amount: Dec }>()
  for (const g of groups.values()) {
    if (g.excludedReason) continue
    const t = totals.get(g.currency) ?? { currency: g.currency, payments: 0, amount: new Dec(0) }
    t.payments += 1
    t.amount = t.amount.plus(g.amount)
    totals.set(g.currency, t)
  }
  const files = await tx.select({ format: paymentRunFiles.format, fileName: paymentRunFiles.fileName, mediaType: paymentRunFiles.mediaType, sha256: paymentRunFiles.sha256, size: sql<number>`octet_length(${paymentRunFiles.bytes})`.mapWith(Number) })
    .from(paymentRunFiles).where(eq(paymentRunFiles.runId, row.id)).orderBy(asc(paymentRunFiles.format))
  return {
    id: row.id, number: row.number, status: row.status, date: row.date, dueOnOrBefore: row.dueOnOrBefore,
    paymentAccount: account ?? { id: row.paymentAccountId, code: '', name: '', currency: null },
    preparedBy: person(row.preparedBy)!, preparedAt: row.preparedAt, approvedBy: person(row.approvedBy), approvedAt: row.approvedAt,
    cancelledBy: person(row.cancelledBy), cancelledAt: row.cancelledAt,
    totals: [...totals.values()].map(t => ({ ...t, amount: money(t.amount, t.currency) })),
    vendors: vendorsOf, items, files, version: row.version, createdAt: row.createdAt, updatedAt: row.updatedAt,
  }
}
export type PaymentRun = Awaited<ReturnType<typeof present>>

// ---------------------------------------------------------------------------------------------
// Reading

async function findRow(tx: Tx, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(paymentRuns).where(eq(paymentRuns.id, id))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError('Payment run')
  return row
}

export async function getPaymentRun(tx: Tx, id: string): Promise<PaymentRun> {
  return present(tx, await findRow(tx, id))
}

export async function listPaymentRuns(tx: Tx, query: PaymentRunListQuery) {
  const where = query.status ? eq(paymentRuns.status, query.status) : undefined
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const field = query.sort?.field ?? 'date'
  const [{ total }] = await tx.select({ total: count() }).from(paymentRuns).where(where) as [{ total: number }]
  const runs = await tx.select().from(paymentRuns).where(where)
    .orderBy(dir(paymentRuns[field]), dir(paymentRuns.number), asc(paymentRuns.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  const data = []
  // A page is at most 100 runs; each carries its per-currency totals and vendor count.
  for (const run of runs) {
    const { items: _, files: __, ...summary } = await present(tx, run)
    data.push(summary)
  }
  return { data, total: Number(total) }
}

/**
 * The bills a run may pay now (posted, owing, in no prepared run), due on or before the date when
 * one is given, with what each owes and whether its vendor has a confirmed bank account: what the
 * page offers when a run is prepared.
 */
export async function listPayableBills(tx: Tx, query: { dueOnOrBefore?: string }) {
  const rows = await tx.select({ b: bills, vendorName: vendors.name, hasBankAccount: sql<boolean>`${vendors.bankAccountCiphertext} is not null` })
    .from(bills).innerJoin(vendors, eq(vendors.id, bills.vendorId))
    .where(and(
      eq(bills.kind, 'bill'),
      inArray(bills.status, [...PAYABLE]),
      query.dueOnOrBefore ? lte(bills.dueDate, query.dueOnOrBefore) : undefined,
      sql`not exists (select 1 from payment_run_items i where i.tenant_id = ${bills.tenantId} and i.bill_id = ${bills.id} and i.run_status = 'prepared')`,
    ))
    .orderBy(asc(bills.dueDate), asc(vendors.name), asc(bills.number))
    .limit(1000)
  return {
    data: rows.map(({ b, vendorName, hasBankAccount }) => ({
      id: b.id, number: b.number!, vendorReference: b.vendorReference, vendor: { id: b.vendorId, name: vendorName }, date: b.date, dueDate: b.dueDate,
      currency: b.currency, total: money(b.total, b.currency), amountDue: money(openAmount(b), b.currency), vendorHasBankAccount: hasBankAccount,
    })),
  }
}

// ---------------------------------------------------------------------------------------------
// Prepare, cancel

function actorId(actor: Actor): string {
  // Maker-checker compares people: preparing and approving need a named person.
  if (!actor.id) throw new ForbiddenError('Only a signed-in person can prepare or approve a payment run')
  return actor.id
}

const RUN_TERMS: CashTerms = { noun: 'payment run', accountField: 'paymentAccountId', accountCode: 'PAYMENT_RUN_ACCOUNT_INVALID' }
const notPayable = (fields: Record<string, string>) => new RuleError('Some bills cannot be paid by this run', 'PAYMENT_RUN_BILL_NOT_PAYABLE', fields)
const inAnotherRun = (fields: Record<string, string>) => new ConflictError('Some bills are already in a prepared payment run: approve or cancel that run first', 'PAYMENT_RUN_BILL_IN_RUN', fields)

/** Why a bill cannot be in a run dated `date` paying from an account that takes only `accountCurrency` (null: any); null when it can. */
function billProblem(b: typeof bills.$inferSelect, date: string, accountCurrency: string | null): string | null {
  if (!(PAYABLE as readonly string[]).includes(b.status)) {
    return b.status === 'paid' ? 'is paid' : b.status === 'void' ? 'is void' : `is ${b.status.replace('_', ' ')}: only a posted bill is paid`
  }
  if (b.date > date) return `is dated ${b.date}, after the run`
  if (accountCurrency && b.currency !== accountCurrency) return `is in ${b.currency}; the paying account takes only ${accountCurrency}`
  return null
}

export async function preparePaymentRun(tx: Tx, tenantId: string, actor: Actor, input: PaymentRunInput): Promise<PaymentRun> {
  const preparer = actorId(actor)
  // The account's own currency, if it has one, limits the bills; any account is checked as one taking it.
  const [given] = await tx.select({ currency: accounts.currency }).from(accounts).where(eq(accounts.id, input.paymentAccountId))
  const account = await cashAccount(tx, RUN_TERMS, input.paymentAccountId, given?.currency ?? await baseCurrencyOf(tx, tenantId))
  await openPeriodFor(tx, tenantId, input.date)

  // The bills, locked in id order (the payments lock them so too).
  let chosen: (typeof bills.$inferSelect)[]
  if (input.billIds) {
    const ids = [...new Set(input.billIds)].sort()
    const found = new Map((await tx.select().from(bills).where(and(eq(bills.kind, 'bill'), inArray(bills.id, ids))).orderBy(asc(bills.id)).for('update')).map(b => [b.id, b]))
    const problems: Record<string, string> = {}
    input.billIds.forEach((id, i) => {
      const b = found.get(id)
      const problem = b ? billProblem(b, input.date, account.currency) : 'is not a bill of this organisation'
      if (problem) problems[`billIds.${i}`] = problem
    })
    if (Object.keys(problems).length) throw notPayable(problems)
    chosen = ids.map(id => found.get(id)!)
  }
  else {
    const due = await tx.select().from(bills)
      .where(and(eq(bills.kind, 'bill'), inArray(bills.status, [...PAYABLE]), lte(bills.dueDate, input.dueOnOrBefore!), lte(bills.date, input.date),
        sql`not exists (select 1 from payment_run_items i where i.tenant_id = ${bills.tenantId} and i.bill_id = ${bills.id} and i.run_status = 'prepared')`))
      .orderBy(asc(bills.id)).for('update')
    chosen = due.filter(b => !account.currency || b.currency === account.currency)
    if (!chosen.length) throw new RuleError(`No bill the account can pay is due on or before ${input.dueOnOrBefore}`, 'PAYMENT_RUN_EMPTY', { dueOnOrBefore: 'no payable bill is due by then' })
  }
  const taken = await tx.select({ billId: paymentRunItems.billId, number: paymentRuns.number }).from(paymentRunItems)
    .innerJoin(paymentRuns, eq(paymentRuns.id, paymentRunItems.runId))
    .where(and(inArray(paymentRunItems.billId, chosen.map(b => b.id)), eq(paymentRunItems.runStatus, 'prepared')))
  if (taken.length) {
    const runOf = new Map(taken.map(t => [t.billId, t.number]))
    const path = (id: string) => (input.billIds ? `billIds.${input.billIds.indexOf(id)}` : `bills.${id}`)
    throw inAnotherRun(Object.fromEntries(chosen.filter(b => runOf.has(b.id)).map(b => [path(b.id), `is in payment run ${runOf.get(b.id)}`])))
  }

  const withAccount = new Set((await tx.select({ id: vendors.id }).from(vendors)
    .where(and(inArray(vendors.id, [...new Set(chosen.map(b => b.vendorId))]), sql`${vendors.bankAccountCiphertext} is not null`))).map(v => v.id))
  const number = await nextDocumentNumber(tx, tenantId, 'payment_run', PAYMENT_RUN_PREFIX)
  const [row] = await tx.insert(paymentRuns).values({
    tenantId, number, date: input.date, paymentAccountId: account.id, dueOnOrBefore: input.dueOnOrBefore ?? null, preparedBy: preparer,
  }).returning() as [Row]
  await tx.insert(paymentRunItems).values(chosen.map(b => ({
    tenantId, runId: row.id, billId: b.id, vendorId: b.vendorId, currency: b.currency, amount: openAmount(b).toString(),
    excludedReason: withAccount.has(b.vendorId) ? null : 'no_account' as const,
  }))).catch((e) => {
    // Another run took a bill between the check and the insert.
    if (isUniqueViolation(e, 'payment_run_items_prepared_key')) throw inAnotherRun({ billIds: 'a bill was added to another prepared run meanwhile' })
    throw e
  })
  const prepared = await present(tx, row)
  await recordAudit(tx, tenantId, actor, { action: 'payment_run.prepare', entityType: 'payment_run', entityId: row.id, after: { ...prepared, items: prepared.items.map(i => ({ billId: i.billId, amount: i.amount, currency: i.currency, excludedReason: i.excludedReason })) } })
  return prepared
}

const notPrepared = (row: Row) => new ConflictError(`Payment run ${row.number} is ${row.status}: only a prepared run is approved or cancelled`, 'PAYMENT_RUN_NOT_PREPARED')

export async function cancelPaymentRun(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<PaymentRun> {
  const row = await findRow(tx, id, true)
  if (row.status !== 'prepared') throw notPrepared(row)
  const now = new Date()
  const [after] = await tx.update(paymentRuns).set({ status: 'cancelled', cancelledBy: actorId(actor), cancelledAt: now, version: row.version + 1, updatedAt: now })
    .where(eq(paymentRuns.id, id)).returning() as [Row]
  await recordAudit(tx, tenantId, actor, { action: 'payment_run.cancel', entityType: 'payment_run', entityId: id, after: { number: row.number } })
  return present(tx, after)
}

// ---------------------------------------------------------------------------------------------
// Approve

type ItemRow = typeof paymentRunItems.$inferSelect
interface Group { vendorId: string, vendorName: string, currency: string, amount: Dec, items: ItemRow[], bills: (typeof bills.$inferSelect)[] }

/** The run's payments as the bank must make them, one per vendor and currency, in the order the page lists them. */
function groupsOf(items: ItemRow[], billOf: Map<string, typeof bills.$inferSelect>, vendorName: Map<string, string>): Group[] {
  const groups = new Map<string, Group>()
  for (const item of items) {
    const key = `${item.vendorId}:${item.currency}`
    const g = groups.get(key) ?? { vendorId: item.vendorId, vendorName: vendorName.get(item.vendorId) ?? '', currency: item.currency, amount: new Dec(0), items: [], bills: [] }
    g.amount = g.amount.plus(item.amount)
    g.items.push(item)
    g.bills.push(billOf.get(item.billId)!)
    groups.set(key, g)
  }
  return [...groups.values()].sort((a, b) => a.vendorName.localeCompare(b.vendorName) || a.vendorId.localeCompare(b.vendorId) || a.currency.localeCompare(b.currency))
}

/** pain.001 and CSV of the payable groups; a BankFileInputError (e.g. a GL code the schema cannot carry) is 422 PAYMENT_RUN_FILE_INVALID. */
function bankFiles(file: BankFileRun) {
  try {
    return { pain001: pain001(file), csv: paymentsCsv(file) }
  }
  catch (e) {
    if (e instanceof BankFileInputError) throw new RuleError(`The bank file cannot be written: ${e.message}`, 'PAYMENT_RUN_FILE_INVALID')
    throw e
  }
}

const FILE_TYPES = { pain001: { mediaType: 'application/xml', extension: 'xml' }, csv: { mediaType: 'text/csv', extension: 'csv' } } as const

/** Who a run leaves out and why (flagged when prepared, or by the bank file at approval), one line per vendor and currency. */
async function excludedOf(tx: Tx, runId: string) {
  return tx.selectDistinct({ vendorId: paymentRunItems.vendorId, currency: paymentRunItems.currency, reason: paymentRunItems.excludedReason }).from(paymentRunItems)
    .where(and(eq(paymentRunItems.runId, runId), sql`${paymentRunItems.excludedReason} is not null`))
    .orderBy(asc(paymentRunItems.vendorId), asc(paymentRunItems.currency))
}

export async function approvePaymentRun(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<PaymentRun> {
  const approver = actorId(actor)
  const row = await findRow(tx, id, true)
  if (row.status !== 'prepared') throw notPrepared(row)
  if (row.preparedBy === approver) throw new RuleError('You prepared this payment run: someone else with ap:pay must approve it', 'SOD_SELF_APPROVAL')
  const items = await tx.select().from(paymentRunItems).where(eq(paymentRunItems.runId, id))
  const billOf = new Map((await tx.select().from(bills).where(inArray(bills.id, items.map(i => i.billId))).orderBy(asc(bills.id)).for('update')).map(b => [b.id, b]))

  // What the approver saw is what is paid: a bill paid, voided or changed meanwhile refuses the run.
  const stale: Record<string, string> = {}
  for (const item of items.filter(i => !i.excludedReason)) {
    const b = billOf.get(item.billId)!
    const owes = openAmount(b)
    if (!(PAYABLE as readonly string[]).includes(b.status)) stale[b.number!] = `is ${b.status.replace('_', ' ')}`
    else if (!owes.eq(item.amount)) stale[b.number!] = `now owes ${money(owes, b.currency)} ${b.currency}; the run pays ${money(item.amount, b.currency)}`
  }
  if (Object.keys(stale).length) throw new ConflictError('Bills of this run changed since it was prepared: cancel it and prepare a new one', 'PAYMENT_RUN_STALE', stale)

  const names = new Map((await tx.select({ id: vendors.id, name: vendors.name }).from(vendors).where(inArray(vendors.id, [...new Set(items.map(i => i.vendorId))]))).map(v => [v.id, v.name]))
  const groups = groupsOf(items.filter(i => !i.excludedReason), billOf, names)
  const accountsOf = await bankAccountsForPayment(tx, tenantId, groups.map(g => g.vendorId))
  const payments = groups.map((g, n): BankPayment & { group: Group } => ({
    group: g, endToEndId: `${row.number}-${n + 1}`, vendorName: g.vendorName, amount: money(g.amount, g.currency), currency: g.currency,
    creditor: accountsOf.get(g.vendorId) ?? {},
    remittance: g.bills.map(b => `${b.number} (${b.vendorReference})`).join(', '),
  }))
  const { payable, withoutBankDetails } = splitPayable(payments)
  // Left out, with the reason the bank file gives: no payment for them in the books either.
  for (const { payment, reason } of withoutBankDetails) {
    await tx.update(paymentRunItems).set({ excludedReason: reason })
      .where(and(eq(paymentRunItems.runId, id), eq(paymentRunItems.vendorId, payment.group.vendorId), eq(paymentRunItems.currency, payment.currency)))
  }
  if (!payable.length) throw new RuleError('No vendor of this run has bank details the bank can use: there is nothing to pay', 'PAYMENT_RUN_EMPTY')

  const [account] = await tx.select({ code: accounts.code, currency: accounts.currency }).from(accounts).where(eq(accounts.id, row.paymentAccountId))
  const settings = await getSettings(tx)
  const now = new Date()
  const file: BankFileRun = {
    messageId: row.number, createdAt: now, executionDate: row.date,
    // The paying bank account's IBAN when banking has one on this GL account, else the GL code as Othr.
    debtor: { name: settings.name, iban: await ibanOfGlAccount(tx, tenantId, row.paymentAccountId), bic: null, glAccountCode: account!.code },
    currency: account!.currency ?? await baseCurrencyOf(tx, tenantId),
    payments: payable.map(({ group: _, ...p }) => p),
  }
  const files = bankFiles(file)

  const paid = []
  for (const p of payable) {
    const g = p.group
    const payment = await createBillPayment(tx, tenantId, actor, {
      vendorId: g.vendorId, date: row.date, amount: p.amount, paymentAccountId: row.paymentAccountId, currency: g.currency, reference: p.endToEndId, memo: `Payment run ${row.number}`,
      allocations: g.items.map(i => ({ billId: i.billId, amount: money(i.amount, g.currency) })),
    })
    await tx.update(paymentRunItems).set({ paymentId: payment.id })
      .where(and(eq(paymentRunItems.runId, id), eq(paymentRunItems.vendorId, g.vendorId), eq(paymentRunItems.currency, g.currency)))
    paid.push({ vendorId: g.vendorId, currency: g.currency, amount: p.amount, endToEndId: p.endToEndId, paymentId: payment.id })
  }

  const stored = []
  for (const kind of ['pain001', 'csv'] as const) {
    const bytes = Buffer.from(files[kind], 'utf8')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const fileName = `${row.number}.${FILE_TYPES[kind].extension}`
    await tx.insert(paymentRunFiles).values({ tenantId, runId: id, format: kind, fileName, mediaType: FILE_TYPES[kind].mediaType, bytes, sha256 })
    stored.push({ format: kind, fileName, sha256, size: bytes.length })
  }
  const [after] = await tx.update(paymentRuns).set({ status: 'approved', approvedBy: approver, approvedAt: now, version: row.version + 1, updatedAt: now })
    .where(eq(paymentRuns.id, id)).returning() as [Row]
  await recordAudit(tx, tenantId, actor, {
    action: 'payment_run.approve', entityType: 'payment_run', entityId: id,
    after: { number: row.number, payments: paid, excluded: await excludedOf(tx, id), files: stored },
  })
  return present(tx, after)
}

// ---------------------------------------------------------------------------------------------
// Files

/** The stored file of an approved run (409 PAYMENT_RUN_NOT_APPROVED before); every download audited with its SHA-256. */
export async function downloadPaymentRunFile(tx: Tx, tenantId: string, actor: Actor, id: string, kind: PaymentRunFormat) {
  const row = await findRow(tx, id)
  const [file] = await tx.select().from(paymentRunFiles).where(and(eq(paymentRunFiles.runId, id), eq(paymentRunFiles.format, kind)))
  if (!file) throw new ConflictError(`Payment run ${row.number} is ${row.status}: its bank files are made when it is approved`, 'PAYMENT_RUN_NOT_APPROVED')
  await recordAudit(tx, tenantId, actor, {
    action: 'payment_run.file.download', entityType: 'payment_run', entityId: id,
    after: { format: kind, fileName: file.fileName, sha256: file.sha256, size: file.bytes.length },
  })
  return file
}
