/**
 * Sales documents (SPEC §6 module 5): what invoices and credit notes share — one table
 * (`sales_documents`, `kind`), the same body, the same arithmetic (shared/sales/document-maths.ts,
 * never re-done here), the same draft → issued life and the same posting, mirrored.
 *
 * - **Save** (create, PATCH of a draft): the customer, currency and rate, due date, each line's item,
 *   income account and tax rate are resolved and checked, the figures computed and stored with the
 *   lines and their tax per component. A draft's figures are those of its last save.
 * - **Issue**: the draft is locked (or, for `issue: true` on create, there is none yet), resolved
 *   again with the rates as they are now (so the document keeps the rate it was issued with,
 *   whatever happens to the rate later), and every refusal is decided (accounts, amounts); then one
 *   call, `app_sales_issue` (migration 0023), writes the document and its lines, takes the next
 *   number of its counter (`document_counters`, locked until commit: a rolled-back issue gives it
 *   back), posts one entry with source `{type: kind, id}` through `app_ledger_post` — an invoice
 *   debits the AR control account for the total and credits each income account for its lines'
 *   net and each tax component's account for its tax; a credit note the reverse — and writes the
 *   issue's audit event and event. A missing fiscal year or a closed period is its refusal row,
 *   before it writes anything.
 * - **Lock order** (docs/posting.md): the document row, then the counter row, then what
 *   `app_ledger_post` takes (period rows, chain lock). Nothing here writes an audit event (which
 *   takes the chain lock) before the posting in the same transaction, so a create-and-issue writes
 *   no separate `create` event.
 */
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import { accounts, customers, items, salesDocumentLines, salesDocumentLineTaxes, salesDocuments, taxRates } from '../../../db/schema'
import { finalQuery, type Tx } from '../../../db/tenant'
import { computeDocument, type DocumentResult, type TaxRateInput } from '../../../shared/sales/document-maths'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import type { EventType } from '../events/types'
import { systemAccount } from '../ledger/accounts'
import { currencyAndRate } from '../ledger/entries'
import { openPeriodFor, periodClosedError } from '../ledger/periods'
import { baseCurrencyOf, type PostingLine } from '../ledger/posting'
import { lineAmounts, roundingLine, totalsError } from '../ledger/posting-maths'
import { Dec, format, MAX_MONEY, minorUnit } from '../money'
import { getSettings, type OrganisationSettings } from '../settings/settings'
import { likePattern, taxRateRefusal } from './tax-rates'

export type DocumentKind = 'invoice' | 'credit_note'
type Row = typeof salesDocuments.$inferSelect
type LineRow = typeof salesDocumentLines.$inferSelect
type TaxRow = typeof salesDocumentLineTaxes.$inferSelect

/** What differs between the kinds. Credit notes are numbered `CN-000001` (their own counter and prefix). */
export const KINDS = {
  invoice: { label: 'Invoice', entity: 'invoice', issued: 'invoice.issued' as EventType, sign: 1 },
  credit_note: { label: 'Credit note', entity: 'credit_note', issued: 'credit_note.issued' as EventType, sign: -1 },
} as const
export const CREDIT_NOTE_PREFIX = 'CN-'
/** Digits of the number after the prefix: `INV-000001`; the 1,000,000th is `INV-1000000`. */
export const NUMBER_DIGITS = 6

export interface DocumentLineInput {
  itemId?: string | null
  description: string
  quantity: string
  unitPrice: string
  discountPercent?: string | null
  accountId?: string | null
  /** Left out (undefined): the item's sales tax rate; null: no tax. */
  taxRateId?: string | null
}
export interface DocumentInput {
  customerId: string
  date: string
  dueDate?: string | null
  currency?: string
  exchangeRate?: string
  reference?: string | null
  memo?: string | null
  amountsAre: 'exclusive' | 'inclusive'
  invoiceId?: string | null
  lines: DocumentLineInput[]
}
export type DocumentPatch = Partial<DocumentInput> & { version?: number }

export interface DocumentListQuery {
  page: number
  pageSize: number
  q?: string
  customerId?: string
  status?: Row['status']
  from?: string
  to?: string
  overdue?: boolean
  sort?: { field: 'date' | 'number' | 'total' | 'createdAt', dir: 'asc' | 'desc' }
}

// ---------------------------------------------------------------------------------------------
// Presenting

const money = (v: string, currency: string) => format(new Dec(v), minorUnit(currency))
const plain = (v: string) => new Dec(v).toString()
const unitPrice = (v: string) => {
  const d = new Dec(v)
  return d.toFixed(Math.max(2, d.decimalPlaces()))
}

function summary(r: Row, customerName: string) {
  const amountDue = r.status === 'void' ? new Dec(0) : new Dec(r.total).minus(r.amountAllocated)
  return {
    id: r.id, kind: r.kind, number: r.number, status: r.status, customer: { id: r.customerId, name: customerName }, customerId: r.customerId,
    date: r.date, dueDate: r.dueDate, currency: r.currency, exchangeRate: plain(r.exchangeRate), reference: r.reference, memo: r.memo,
    amountsAre: r.amountsAre, invoiceId: r.invoiceId,
    subtotal: money(r.subtotal, r.currency), taxTotal: money(r.taxTotal, r.currency), total: money(r.total, r.currency),
    amountPaid: money(r.amountAllocated, r.currency), amountDue: format(amountDue, minorUnit(r.currency)),
    journalEntryId: r.journalEntryId, voidEntryId: r.voidEntryId, issuedAt: r.issuedAt, voidedAt: r.voidedAt,
    version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}
export type DocumentSummary = ReturnType<typeof summary>

/** The tax per rate and component, summed from the lines' taxes as stored (as issued, for an issued document; a bill's too). */
export function breakdown(lines: Pick<LineRow, 'lineNo' | 'net' | 'tax'>[], taxes: Pick<TaxRow, 'lineNo' | 'taxRateId' | 'rate' | 'position' | 'name' | 'accountId' | 'net' | 'tax'>[], currency: string) {
  const rates = new Map<string, { rate: Dec, net: Dec, tax: Dec, components: Map<number, { name: string, rate: string, accountId: string, net: Dec, tax: Dec }> }>()
  for (const line of lines) {
    const own = taxes.filter(t => t.lineNo === line.lineNo)
    if (!own.length) continue
    const id = own[0]!.taxRateId
    let entry = rates.get(id)
    if (!entry) rates.set(id, entry = { rate: own.reduce((s, t) => s.plus(t.rate), new Dec(0)), net: new Dec(0), tax: new Dec(0), components: new Map() })
    entry.net = entry.net.plus(line.net)
    entry.tax = entry.tax.plus(line.tax)
    for (const t of own) {
      const c = entry.components.get(t.position) ?? { name: t.name, rate: t.rate, accountId: t.accountId, net: new Dec(0), tax: new Dec(0) }
      c.net = c.net.plus(t.net)
      c.tax = c.tax.plus(t.tax)
      entry.components.set(t.position, c)
    }
  }
  const places = minorUnit(currency)
  return [...rates].map(([taxRateId, r]) => ({
    taxRateId, rate: r.rate.toFixed(4), net: format(r.net, places), tax: format(r.tax, places),
    components: [...r.components].sort((a, b) => a[0] - b[0]).map(([position, c]) => ({ position, name: c.name, rate: c.rate, accountId: c.accountId, net: format(c.net, places), tax: format(c.tax, places) })),
  }))
}

/** The resource of a document from its rows (lines in line order, taxes in line and position order). */
function presentRows(row: Row, customerName: string, lines: LineRow[], taxes: TaxRow[]) {
  const c = row.currency
  return {
    ...summary(row, customerName),
    lines: lines.map(l => ({
      lineNo: l.lineNo, itemId: l.itemId, description: l.description, quantity: plain(l.quantity), unitPrice: unitPrice(l.unitPrice),
      discountPercent: plain(l.discountPercent), accountId: l.accountId, taxRateId: l.taxRateId,
      amount: money(l.amount, c), net: money(l.net, c), tax: money(l.tax, c), total: money(l.total, c),
      taxes: taxes.filter(t => t.lineNo === l.lineNo).map(t => ({ taxRateId: t.taxRateId, position: t.position, name: t.name, rate: t.rate, accountId: t.accountId, net: money(t.net, c), tax: money(t.tax, c) })),
    })),
    taxBreakdown: breakdown(lines, taxes, c),
  }
}
export type SalesDocument = ReturnType<typeof presentRows>

async function present(tx: Tx, row: Row): Promise<SalesDocument> {
  const [customer] = await tx.select({ name: customers.name }).from(customers).where(eq(customers.id, row.customerId))
  const lines = await tx.select().from(salesDocumentLines).where(eq(salesDocumentLines.documentId, row.id)).orderBy(asc(salesDocumentLines.lineNo))
  const taxes = await tx.select().from(salesDocumentLineTaxes).where(eq(salesDocumentLineTaxes.documentId, row.id))
    .orderBy(asc(salesDocumentLineTaxes.lineNo), asc(salesDocumentLineTaxes.position))
  return presentRows(row, customer?.name ?? '', lines, taxes)
}

// ---------------------------------------------------------------------------------------------
// Reading

async function findRow(tx: Tx, kind: DocumentKind, id: string, lock = false): Promise<Row> {
  const q = tx.select().from(salesDocuments).where(and(eq(salesDocuments.id, id), eq(salesDocuments.kind, kind)))
  const [row] = lock ? await q.for('update') : await q
  if (!row) throw new NotFoundError(KINDS[kind].label)
  return row
}

export async function getDocument(tx: Tx, kind: DocumentKind, id: string): Promise<SalesDocument> {
  return present(tx, await findRow(tx, kind, id))
}

/** Today's date (YYYY-MM-DD) in the organisation's time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

export async function listDocuments(tx: Tx, kind: DocumentKind, query: DocumentListQuery) {
  const like = query.q ? likePattern(query.q) : undefined
  const today = query.overdue === undefined ? null : todayIn((await getSettings(tx)).timeZone)
  const isOverdue = and(inArray(salesDocuments.status, ['issued', 'partially_paid']), lt(salesDocuments.dueDate, today ?? ''), gt(salesDocuments.total, salesDocuments.amountAllocated))
  const where: SQL | undefined = and(
    eq(salesDocuments.kind, kind),
    like ? or(ilike(salesDocuments.number, like), ilike(salesDocuments.reference, like), ilike(customers.name, like)) : undefined,
    query.customerId ? eq(salesDocuments.customerId, query.customerId) : undefined,
    query.status ? eq(salesDocuments.status, query.status) : undefined,
    query.from ? gte(salesDocuments.date, query.from) : undefined,
    query.to ? lte(salesDocuments.date, query.to) : undefined,
    query.overdue === true ? isOverdue : query.overdue === false ? sql`not coalesce(${isOverdue}, false)` : undefined,
  )
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const field = query.sort?.field ?? 'date'
  const [{ total }] = await tx.select({ total: count() }).from(salesDocuments).innerJoin(customers, eq(customers.id, salesDocuments.customerId)).where(where) as [{ total: number }]
  const rows = await tx.select({ d: salesDocuments, name: customers.name }).from(salesDocuments)
    .innerJoin(customers, eq(customers.id, salesDocuments.customerId)).where(where)
    .orderBy(dir(salesDocuments[field]), dir(salesDocuments.createdAt), asc(salesDocuments.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data: rows.map(r => summary(r.d, r.name)), total: Number(total) }
}

// ---------------------------------------------------------------------------------------------
// Resolving and checking a body

interface Resolved {
  customerId: string
  customerName: string
  settings: OrganisationSettings
  /** The lines' accounts, their tax components' accounts and the AR control account. */
  accounts: Map<string, AccountInfo>
  currency: string
  rate: Dec
  date: string
  dueDate: string | null
  reference: string | null
  memo: string | null
  amountsAre: 'exclusive' | 'inclusive'
  invoiceId: string | null
  lines: ResolvedLine[]
  rates: (TaxRateInput | null)[]
  figures: DocumentResult
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
const invalid = (message: string, path: string, problem: string) => new RuleError(message, 'SALES_DOCUMENT_INVALID', { [path]: problem })

type LoadedRate = TaxRateInput & { code: string, scope: string, isActive: boolean }

/** The tax rates named, with their components in order (one query), as document-maths takes them. */
export async function loadRates(tx: Tx, ids: string[]): Promise<Map<string, LoadedRate>> {
  if (!ids.length) return new Map()
  const rows = await tx.select({
    id: taxRates.id, code: taxRates.code, rate: taxRates.rate, name: taxRates.name, accountId: taxRates.accountId, scope: taxRates.scope, isActive: taxRates.isActive,
    components: sql<TaxRateInput['components']>`coalesce((select json_agg(json_build_object('id', c.id, 'name', c.name, 'rate', c.rate::text, 'accountId', c.account_id) order by c.position)
      from tax_rate_components c where c.tenant_id = tax_rates.tenant_id and c.tax_rate_id = tax_rates.id), '[]'::json)`,
  }).from(taxRates).where(inArray(taxRates.id, ids))
  return new Map(rows.map(r => [r.id, r]))
}

/** Accounts by id, with whether each has sub-accounts. */
export async function loadAccounts(tx: Tx, ids: string[]) {
  if (!ids.length) return new Map<string, never>()
  const rows = await tx.select({
    id: accounts.id, code: accounts.code, name: accounts.name, type: accounts.type, isActive: accounts.isActive, isControl: accounts.isControl, currency: accounts.currency,
    isParent: sql<boolean>`exists (select 1 from accounts c where c.tenant_id = accounts.tenant_id and c.parent_id = accounts.id)`,
  }).from(accounts).where(inArray(accounts.id, ids))
  return new Map(rows.map(r => [r.id, r]))
}
export type AccountInfo = { id: string, code: string, name: string, type: string, isActive: boolean, isControl: boolean, currency: string | null, isParent: boolean }

/**
 * What a line may credit: income, or — for the opening documents that bring receivables from before
 * the organisation's first period into the subledger — an equity account (opening-balance equity,
 * 3100 in the standard chart), so the AR control account ties from the first day.
 */
const LINE_ACCOUNT_TYPES = ['revenue', 'equity'] as const

/**
 * Why an account cannot take a line (of `types`, null: any; `typeRule` says what it must be) of a
 * document in `currency` (null: not known yet), or null.
 */
export function accountProblem(a: AccountInfo | undefined, currency: string | null, types: readonly string[] | null, typeRule = types ? `must be a ${types.join(' or ')} account` : ''): string | null {
  if (!a) return 'is not an account of this organisation'
  if (types && !types.includes(a.type)) return typeRule
  if (!a.isActive) return 'is inactive'
  if (a.isParent) return 'is a parent account'
  if (a.isControl) return 'is a control account'
  if (a.currency && currency && a.currency !== currency) return `takes only ${a.currency}`
  return null
}

/** What differs between a sales and a purchase document's lines: the item's defaults, the accounts a line may name, the tax side. */
export interface LineSide {
  scope: 'sales' | 'purchases'
  /** The item's account and tax rate for this side. */
  itemAccount: (item: typeof items.$inferSelect) => string | null
  itemTaxRate: (item: typeof items.$inferSelect) => string | null
  accountTypes: readonly string[]
  /** What the line's account must be, in words (`must be …`). */
  accountRule: string
  /** The error code of a line's account refusal. */
  accountCode: string
  /** What the line's account is called (`income account`, `expense account`). */
  accountName: string
}
export const SALES_SIDE: LineSide = {
  scope: 'sales', itemAccount: i => i.incomeAccountId, itemTaxRate: i => i.salesTaxRateId, accountTypes: LINE_ACCOUNT_TYPES,
  accountRule: 'must be a revenue account (or, for an opening balance, an equity account)', accountCode: 'SALES_ACCOUNT_INVALID', accountName: 'income account',
}

export type ResolvedLine = Omit<LineRow, 'tenantId' | 'documentId' | 'lineNo' | 'amount' | 'net' | 'tax' | 'total'>
export interface ResolvedLines {
  lines: ResolvedLine[]
  rates: (TaxRateInput | null)[]
  /** The lines' accounts, their tax components' accounts and the `extraAccountIds` (the control account). */
  accounts: Map<string, AccountInfo>
  figures: DocumentResult
}

/**
 * A document's lines resolved and checked (items, accounts, tax rates of `side`, amounts) and its
 * figures computed by shared/sales/document-maths.ts: what invoices, credit notes and bills share.
 */
export async function resolveLines(tx: Tx, side: LineSide, currency: string, amountsAre: 'exclusive' | 'inclusive', inputLines: DocumentLineInput[], extraAccountIds: string[]): Promise<ResolvedLines> {
  // The lines' items, accounts and tax rates, each looked up once.
  const itemIds = [...new Set(inputLines.flatMap(l => l.itemId ? [l.itemId] : []))]
  const itemRows = itemIds.length ? await tx.select().from(items).where(inArray(items.id, itemIds)) : []
  const itemById = new Map(itemRows.map(i => [i.id, i]))
  const invalidLine = (message: string, path: string, problem: string) => new RuleError(message, side.scope === 'sales' ? 'SALES_DOCUMENT_INVALID' : 'BILL_INVALID', { [path]: problem })
  const lines = inputLines.map((l, i) => {
    const item = l.itemId ? itemById.get(l.itemId) : undefined
    if (l.itemId && !item) throw invalidLine('Unknown item', `lines.${i}.itemId`, 'is not an item of this organisation')
    if (item && !item.isActive) throw invalidLine(`Item ${item.code} is inactive`, `lines.${i}.itemId`, 'is inactive')
    const accountId = l.accountId ?? (item ? side.itemAccount(item) : null) ?? null
    if (!accountId) {
      throw new RuleError(`A line needs an ${side.accountName}: give accountId, or an item that has one`, side.accountCode, { [`lines.${i}.accountId`]: item ? `is required: item ${item.code} has no ${side.accountName}` : 'is required' })
    }
    const taxRateId = l.taxRateId === undefined ? (item ? side.itemTaxRate(item) : null) ?? null : l.taxRateId
    return {
      itemId: item?.id ?? null, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent ?? '0',
      accountId, taxRateId, accountFromItem: !l.accountId,
    }
  })
  // The rates first, so one query reads the lines' accounts, the rates' tax accounts and the control
  // account; the accounts are checked before the rates, as a person reads a line.
  const rateIds = [...new Set(lines.flatMap(l => l.taxRateId ? [l.taxRateId] : []))]
  const rates = await loadRates(tx, rateIds)
  const taxAccountIds = [...rates.values()].flatMap(r => [r.accountId, ...r.components.map(c => c.accountId)]).filter((id): id is string => !!id)
  const found = await loadAccounts(tx, [...new Set([...lines.map(l => l.accountId), ...taxAccountIds, ...extraAccountIds])]) as Map<string, AccountInfo>
  lines.forEach((l, i) => {
    const problem = accountProblem(found.get(l.accountId), currency, side.accountTypes, side.accountRule)
    if (problem) throw new RuleError(`The line's ${side.accountName} cannot be used`, side.accountCode, { [`lines.${i}.${l.accountFromItem ? 'itemId' : 'accountId'}`]: l.accountFromItem ? `has an ${side.accountName} that ${problem}` : problem })
  })
  for (const id of rateIds) {
    const refused = taxRateRefusal(rates.get(id), side.scope, `lines.${lines.findIndex(l => l.taxRateId === id)}.taxRateId`)
    if (refused) throw refused
  }

  const places = minorUnit(currency)
  const lineRates = lines.map(l => l.taxRateId ? rates.get(l.taxRateId)! : null)
  // Each figure must fit the ledger's columns (|x| < 10^16): quantity × price can overflow them.
  lines.forEach((l, i) => {
    if (new Dec(l.quantity).times(l.unitPrice).gte(MAX_MONEY)) {
      throw new ValidationError('The line\'s amount is too large', { [`lines.${i}.quantity`]: 'quantity × unit price is more than the ledger holds (less than 10^16)' }, 'AMOUNT_OUT_OF_RANGE')
    }
  })
  const figures = computeDocument({
    minorUnit: places, amountsAre,
    lines: lines.map((l, i) => ({ quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent, taxRate: lineRates[i] })),
  })
  if (new Dec(figures.total).gte(MAX_MONEY)) throw new ValidationError('The document\'s total is too large', { lines: 'the total is more than the ledger holds (less than 10^16)' }, 'AMOUNT_OUT_OF_RANGE')
  return { lines: lines.map(({ accountFromItem: _, ...l }) => l), rates: lineRates, accounts: found, figures }
}

/**
 * Checks a whole body and computes its figures: 404-free (every unknown id is a 422 with its path,
 * as items do), 400 for a currency or rate the API cannot take, 422 for a rule.
 */
async function resolve(tx: Tx, tenantId: string, kind: DocumentKind, input: DocumentInput, keepRate?: Dec): Promise<Resolved> {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId))
  if (!customer) throw invalid('Unknown customer', 'customerId', 'is not a customer of this organisation')
  if (!customer.isActive) throw invalid(`Customer ${customer.name} is inactive`, 'customerId', 'is inactive')

  const base = await baseCurrencyOf(tx, tenantId)
  const { currency, rate } = await currencyAndRate(tx, input, customer.currency ?? base, base, 'a document', keepRate)

  const settings = await getSettings(tx)
  let dueDate: string | null = null
  if (kind === 'invoice') {
    dueDate = input.dueDate ?? addDays(input.date, customer.paymentTermsDays ?? settings.defaultPaymentTermsDays)
    if (dueDate < input.date) throw invalid('The due date is before the invoice date', 'dueDate', 'must be on or after the date')
  }
  else if (input.dueDate) {
    throw new ValidationError('A credit note has no due date', { dueDate: 'is for invoices only' })
  }

  let invoiceId: string | null = null
  if (kind === 'credit_note' && input.invoiceId) {
    const [inv] = await tx.select().from(salesDocuments).where(and(eq(salesDocuments.id, input.invoiceId), eq(salesDocuments.kind, 'invoice')))
    const problem = !inv
      ? 'is not an invoice of this organisation'
      : inv.status === 'draft' || inv.status === 'void'
        ? `is ${inv.status === 'draft' ? 'a draft' : 'void'}: only an issued invoice can be credited`
        : inv.customerId !== customer.id ? 'is another customer\'s invoice' : inv.currency !== currency ? `is in ${inv.currency}, the credit note in ${currency}` : null
    if (problem) throw invalid('The credit note cannot name that invoice', 'invoiceId', problem)
    invoiceId = inv!.id
  }

  const { lines, rates: lineRates, accounts: found, figures } = await resolveLines(tx, SALES_SIDE, currency, input.amountsAre, input.lines, settings.arControlAccountId ? [settings.arControlAccountId] : [])

  return {
    customerId: customer.id, customerName: customer.name, settings, accounts: found, currency, rate, date: input.date, dueDate, reference: input.reference ?? null, memo: input.memo ?? null,
    amountsAre: input.amountsAre, invoiceId,
    lines, rates: lineRates, figures,
  }
}

/**
 * The lines and their tax per component of a resolved body as row values (figures at the columns'
 * scale, as read back), without the document's key: shared by sales documents and bills.
 */
export function lineRowValues(r: Pick<ResolvedLines, 'lines' | 'figures'>) {
  const at4 = (v: string) => new Dec(v).toFixed(4)
  const lines = r.lines.map((l, i) => {
    const f = r.figures.lines[i]!
    return {
      lineNo: i + 1, ...l, quantity: at4(l.quantity), unitPrice: at4(l.unitPrice), discountPercent: at4(l.discountPercent),
      amount: at4(f.amount), net: at4(f.net), tax: at4(f.tax), total: at4(f.total),
    }
  })
  const taxes = r.lines.flatMap((l, i) => r.figures.lines[i]!.taxByComponent.map((c, position) => {
    if (!c.accountId) throw new RuleError('The tax rate has no tax account', 'TAX_ACCOUNT_INVALID', { [`lines.${i}.taxRateId`]: 'has no tax account' })
    return { lineNo: i + 1, position, taxRateId: l.taxRateId!, name: c.name, rate: at4(c.rate), accountId: c.accountId, net: at4(r.figures.lines[i]!.net), tax: at4(c.tax) }
  }))
  return { lines, taxes }
}

/** `r`'s lines and their tax per component, as rows of `documentId`. */
function rowsOf(tenantId: string, documentId: string, r: Resolved): { lines: LineRow[], taxes: TaxRow[] } {
  const { lines, taxes } = lineRowValues(r)
  return { lines: lines.map(l => ({ tenantId, documentId, ...l })), taxes: taxes.map(t => ({ tenantId, documentId, ...t })) }
}

/** Replaces a draft's lines and their taxes with `r`'s. */
async function writeLines(tx: Tx, tenantId: string, documentId: string, r: Resolved) {
  const { lines, taxes } = rowsOf(tenantId, documentId, r)
  await tx.delete(salesDocumentLines).where(eq(salesDocumentLines.documentId, documentId))
  await tx.insert(salesDocumentLines).values(lines)
  if (taxes.length) await tx.insert(salesDocumentLineTaxes).values(taxes)
}

const headerOf = (r: Resolved) => ({
  customerId: r.customerId, date: r.date, dueDate: r.dueDate, currency: r.currency, exchangeRate: r.rate.toString(), reference: r.reference, memo: r.memo,
  amountsAre: r.amountsAre, invoiceId: r.invoiceId, subtotal: r.figures.subtotal, taxTotal: r.figures.taxTotal, total: r.figures.total,
})

// ---------------------------------------------------------------------------------------------
// Writing

/** A new draft; with `issue` it is issued in the same transaction (one audit event, the issue's). */
export async function createDocument(tx: Tx, tenantId: string, actor: Actor, kind: DocumentKind, input: DocumentInput & { issue?: boolean }): Promise<SalesDocument> {
  const r = await resolve(tx, tenantId, kind, input)
  if (input.issue) return issueResolved(tx, tenantId, actor, kind, null, r)
  const [row] = await tx.insert(salesDocuments).values({ tenantId, kind, ...headerOf(r), createdBy: actor.id ?? null }).returning() as [Row]
  await writeLines(tx, tenantId, row.id, r)
  const created = await present(tx, row)
  await recordAudit(tx, tenantId, actor, { action: `${KINDS[kind].entity}.create`, entityType: KINDS[kind].entity, entityId: row.id, after: created })
  return created
}

function notDraft(kind: DocumentKind, row: Row): ConflictError {
  return new ConflictError(`${KINDS[kind].label} ${row.number} is ${row.status.replace('_', ' ')}: only a draft can be changed, deleted or issued`, 'SALES_DOCUMENT_NOT_DRAFT')
}

/** The body a stored draft was saved from (its lines with their resolved account and rate). */
async function storedInput(tx: Tx, row: Row): Promise<DocumentInput> {
  const lines = await tx.select().from(salesDocumentLines).where(eq(salesDocumentLines.documentId, row.id)).orderBy(asc(salesDocumentLines.lineNo))
  return {
    customerId: row.customerId, date: row.date, dueDate: row.dueDate, currency: row.currency, reference: row.reference, memo: row.memo,
    amountsAre: row.amountsAre, invoiceId: row.invoiceId,
    lines: lines.map(l => ({ itemId: l.itemId, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent, accountId: l.accountId, taxRateId: l.taxRateId })),
  }
}

/**
 * Changes a draft: the fields given replace the stored ones, `lines` replace them all. The rate is
 * kept unless the currency or date changes or a rate is given (then looked up again); the due date
 * is kept unless given.
 */
export async function updateDocument(tx: Tx, tenantId: string, actor: Actor, kind: DocumentKind, id: string, patch: DocumentPatch): Promise<SalesDocument> {
  const before = await findRow(tx, kind, id, true)
  if (before.status !== 'draft') throw notDraft(kind, before)
  if (patch.version !== undefined && patch.version !== before.version) throw new ConflictError(`This ${KINDS[kind].label.toLowerCase()} was changed by someone else; reload and try again`, 'STALE_VERSION')
  const stored = await storedInput(tx, before)
  const { version: _, ...given } = patch
  const next: DocumentInput = { ...stored, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) }
  // A new customer brings its own currency default unless one is given.
  if (patch.customerId && patch.customerId !== before.customerId && !patch.currency) delete next.currency
  const sameRate = next.currency === before.currency && next.date === before.date && !patch.exchangeRate
  const r = await resolve(tx, tenantId, kind, next, sameRate ? new Dec(before.exchangeRate) : undefined)
  const [after] = await tx.update(salesDocuments).set({ ...headerOf(r), version: before.version + 1, updatedAt: new Date() })
    .where(eq(salesDocuments.id, id)).returning() as [Row]
  await writeLines(tx, tenantId, id, r)
  const updated = await present(tx, after)
  await recordAudit(tx, tenantId, actor, { action: `${KINDS[kind].entity}.update`, entityType: KINDS[kind].entity, entityId: id, before: summary(before, updated.customer.name), after: updated })
  return updated
}

export async function deleteDocument(tx: Tx, tenantId: string, actor: Actor, kind: DocumentKind, id: string): Promise<void> {
  const before = await findRow(tx, kind, id, true)
  if (before.status !== 'draft') throw notDraft(kind, before)
  await tx.delete(salesDocuments).where(eq(salesDocuments.id, id))
  await recordAudit(tx, tenantId, actor, { action: `${KINDS[kind].entity}.delete`, entityType: KINDS[kind].entity, entityId: id, before: summary(before, '') })
}

/** What a posting needs of a document: its lines' accounts, their net and tax per component, the accounts as loaded. */
export interface PostableDocument {
  currency: string
  rate: Dec
  accounts: Map<string, AccountInfo>
  lines: { accountId: string }[]
  figures: { total: string, lines: { net: string, taxByComponent: { accountId: string | null, tax: string }[] }[] }
}

/**
 * The posting of a document: its control account against each line account (its lines' net) and
 * each tax component's account (its tax), one line per account in first-seen order, zero amounts
 * left out; `sign` 1 debits the control account (an invoice: AR), -1 credits it (a credit note: AR;
 * a bill: AP, the expenses and recoverable tax debited). Base amounts as the ledger computes them,
 * with the FX rounding line when the per-line rounding leaves a residual. Shared by sales
 * documents and bills (server/domain/purchases/bills.ts).
 */
export async function documentPostingLines(tx: Tx, base: string, r: PostableDocument, sign: 1 | -1, arAccountId: string, label: string): Promise<PostingLine[]> {
  const found = r.accounts
  const credits = new Map<string, Dec>()
  const add = (accountId: string, v: Dec) => credits.set(accountId, (credits.get(accountId) ?? new Dec(0)).plus(v))
  r.lines.forEach((l, i) => {
    add(l.accountId, new Dec(r.figures.lines[i]!.net))
    for (const c of r.figures.lines[i]!.taxByComponent) add(c.accountId!, new Dec(c.tax))
  })
  const taxAccounts = new Set(r.figures.lines.flatMap(l => l.taxByComponent.map(c => c.accountId!)))
  // Tax accounts are checked here, at posting (an income account was checked with its line).
  for (const accountId of taxAccounts) {
    const problem = accountProblem(found.get(accountId), r.currency, null)
    if (problem) {
      const i = r.figures.lines.findIndex(l => l.taxByComponent.some(c => c.accountId === accountId))
      throw new RuleError(`The tax account ${found.get(accountId)?.code ?? ''} cannot take the posting`, 'TAX_ACCOUNT_INVALID', { [`lines.${i}.taxRateId`]: `has a tax account that ${problem}` })
    }
  }
  const a = { base, currency: r.currency, places: minorUnit(r.currency), rate: r.rate }
  const side = (v: Dec, debit: boolean) => lineAmounts(debit ? { debit: v.toString() } : { credit: v.toString() }, a)
  const line = (accountId: string, description: string, v: Dec, debit: boolean): PostingLine => {
    const acc = found.get(accountId)!
    return { accountId, accountCode: acc.code, accountName: acc.name, description, ...side(v, debit), isRounding: false }
  }
  const lines: PostingLine[] = [line(arAccountId, label, new Dec(r.figures.total), sign === 1)]
  for (const [accountId, v] of credits) {
    if (!v.isZero()) lines.push(line(accountId, taxAccounts.has(accountId) ? `${label}: tax` : label, v, sign === -1))
  }
  const refused = totalsError(lines, a)
  if (refused) throw refused
  const rounding = roundingLine(lines)
  if (rounding) {
    const fx = await systemAccount(tx, 'fx_rounding')
    lines.push({ accountId: fx.id, accountCode: fx.code, accountName: fx.name, description: 'FX rounding', ...rounding, isRounding: true })
  }
  return lines
}

/** Issues a draft: number, figures as of now, one posted entry, its audit event and its event. */
export async function issueDocument(tx: Tx, tenantId: string, actor: Actor, kind: DocumentKind, id: string): Promise<SalesDocument> {
  const row = await findRow(tx, kind, id, true)
  if (row.status !== 'draft') throw notDraft(kind, row)
  const r = await resolve(tx, tenantId, kind, await storedInput(tx, row), new Dec(row.exchangeRate))
  return issueResolved(tx, tenantId, actor, kind, row, r)
}

interface IssueRow extends Record<string, unknown> {
  refusal: 'NO_PERIOD' | 'LEDGER_PERIOD_CLOSED' | null
  document_id: string
  document_number: string
  journal_entry_id: string
  issued_at: string
  created_at: string
  version: number
}

/**
 * Issues a body resolved now: the caller's locked draft `row`, or (null) a new document. Everything
 * that can refuse is decided here first (figures, accounts, amounts) with no tenant-wide lock; then
 * one call, `app_sales_issue` (migration 0023), writes the document and its lines, takes the number
 * (the counter row, held to commit), posts the entry (the chain lock, held to commit) and writes
 * the issue's audit event and event — the ordered part every issue of the tenant queues on, with no
 * round trip inside it. The resource answered is built from what was written, not read back.
 */
async function issueResolved(tx: Tx, tenantId: string, actor: Actor, kind: DocumentKind, row: Row | null, r: Resolved): Promise<SalesDocument> {
  if (!new Dec(r.figures.total).gt(0)) throw invalid(`A ${KINDS[kind].label.toLowerCase()} of zero cannot be issued`, 'lines', 'the total must be greater than zero')
  const { arControlAccountId } = r.settings
  if (!arControlAccountId) throw new RuleError('The organisation has no AR control account', 'CONTROL_ACCOUNT_INVALID')
  const base = await baseCurrencyOf(tx, tenantId)
  const { label, entity, issued } = KINDS[kind]
  const posting = await documentPostingLines(tx, base, r, KINDS[kind].sign as 1 | -1, arControlAccountId, label)
  const prefix = kind === 'invoice' ? r.settings.invoicePrefix : CREDIT_NOTE_PREFIX
  const { lines, taxes } = rowsOf(tenantId, row?.id ?? '', r)
  const now = new Date()
  const header: Row = {
    ...(row ?? { tenantId, id: '', kind, number: null, status: 'draft', amountAllocated: '0', journalEntryId: null, voidEntryId: null, issuedAt: null, voidedAt: null, version: 1, createdBy: actor.id ?? null, createdAt: now, updatedAt: now }),
    ...headerOf(r),
    // as PostgreSQL computes it on the write (migration 0036): a total above zero, nothing allocated
    isOpen: true,
  }
  const draft = presentRows(header, r.customerName, lines, taxes)
  // The date's period, open (its fiscal year created when missing), before the call: the call is
  // the transaction's last statement, its commit sent behind it (`finalQuery`), so a refusal row
  // from it can no longer be followed by a retry. Nothing but a missing year is written before it.
  await openPeriodFor(tx, tenantId, r.date)
  const [done] = await finalQuery<IssueRow>(tx, sql`select * from app_sales_issue(${tenantId}::uuid,
    ${JSON.stringify({ ...headerOf(r), id: row?.id ?? null, kind })}::jsonb, ${JSON.stringify(lines)}::jsonb, ${JSON.stringify(taxes)}::jsonb,
    ${prefix}, ${label}, ${r.customerName}, ${JSON.stringify(posting.map(l => ({ ...l, debit: l.debit.toFixed(4), credit: l.credit.toFixed(4), baseDebit: l.baseDebit.toFixed(4), baseCredit: l.baseCredit.toFixed(4) })))}::jsonb,
    ${actor.type}, ${actor.id ?? null}::uuid, ${actor.requestId ?? null}, ${actor.ip ?? null}, ${actor.userAgent ?? null},
    ${entity}, ${issued}, ${JSON.stringify(draft)}::jsonb)`)
  // Closed (or its year removed) since the check above: the call wrote nothing.
  if (done!.refusal) throw periodClosedError(r.date)
  // What only the call knew, over the resource it was given (the fields `app_sales_issue` merges into the audit event's and event's copy).
  const issuedAt = new Date(done!.issued_at)
  return {
    ...draft, id: done!.document_id, number: done!.document_number, status: 'issued', journalEntryId: done!.journal_entry_id,
    issuedAt, createdAt: new Date(done!.created_at), updatedAt: issuedAt, version: done!.version,
  }
}

/**
 * The next number of a (kind, prefix) counter in `document_counters`, the row locked until commit:
 * gapless, and given back by a rollback. Receipts and bills number with it (sales documents take
 * theirs inside `app_sales_issue`, the same way).
 */
export async function nextDocumentNumber(tx: Tx, tenantId: string, kind: string, prefix: string): Promise<string> {
  const [row] = await tx.execute<{ n: string }>(sql`
    insert into document_counters as c (tenant_id, kind, prefix, next_number) values (${tenantId}, ${kind}, ${prefix}, 2)
    on conflict (tenant_id, kind, prefix) do update set next_number = c.next_number + 1
    returning (c.next_number - 1)::text as n`)
  return `${prefix}${row!.n.padStart(NUMBER_DIGITS, '0')}`
}

/** Locks an issued document for a void (404, 409 SALES_DOCUMENT_NOT_ISSUED for a draft or a void one). */
export async function lockIssued(tx: Tx, kind: DocumentKind, id: string): Promise<Row> {
  const row = await findRow(tx, kind, id, true)
  if (row.status === 'draft' || row.status === 'void') {
    throw new ConflictError(row.status === 'draft'
      ? `A draft ${KINDS[kind].label.toLowerCase()} is not voided: delete it instead`
      : `${KINDS[kind].label} ${row.number} is already void`, 'SALES_DOCUMENT_NOT_ISSUED')
  }
  return row
}

export async function markVoid(tx: Tx, row: Row, voidEntryId: string): Promise<SalesDocument> {
  const [after] = await tx.update(salesDocuments).set({ status: 'void', voidEntryId, voidedAt: new Date(), version: row.version + 1, updatedAt: new Date() })
    .where(eq(salesDocuments.id, row.id)).returning() as [Row]
  return present(tx, after)
}
