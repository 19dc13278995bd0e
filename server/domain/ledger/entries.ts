/**
 * Journal entries: drafts, posting, reversal. Posted entries are never edited or deleted; they are
 * reversed. Every posting goes through postEntry (./posting.ts), which numbers it from the tenant's
 * counter row for the fiscal year (locked until commit: unique, gapless) and audits it. Everything
 * that can refuse an entry (validation, accounts, rate, closed period) is checked here first,
 * before postEntry takes any tenant-wide lock, so a refused entry never waits for or delays others.
 *
 * Multi-currency: rate = base units per one unit of the entry currency; each line's base amount is
 * amount × rate rounded half-up to the base minor unit; the entry balances exactly in its own
 * currency, and any base residual goes to the FX rounding account on a line of its own. That
 * arithmetic is pure, in ./posting-maths.ts; this file reads the rate, accounts and period around it.
 */
import { and, asc, count, desc, eq, exists, gte, ilike, inArray, lte, or, sql } from 'drizzle-orm'
import { accounts, exchangeRates, journalEntries, journalLines } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { recordAudit, type Actor } from '../audit/audit'
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../errors'
import { Dec, format, isCurrency, minorUnit } from '../money'
import { systemAccount } from './accounts'
import { openPeriodFor, periodClosedError } from './periods'
import { decimalsError, lineAmounts, roundingLine, totalsError, type EntryAmounts } from './posting-maths'
import { baseCurrencyOf, postEntry, postNewEntry, sourceOf, storedLines, toEntry, writeEntry, writeLines, type Entry, type PostingLine, type PostingSource, type SourceType } from './posting'

export type { Entry, EntryLine } from './posting'

export interface LineInput { accountId?: string, accountCode?: string, debit?: string, credit?: string, description?: string }
export interface EntryInput { date: string, memo: string, reference?: string | null, currency?: string, exchangeRate?: string, lines: LineInput[] }

type EntryRow = typeof journalEntries.$inferSelect

interface Prepared { currency: string, rate: Dec, periodId: string, fiscalYearId: string, lines: PostingLine[] }

/** The lines' accounts by id or code, each with whether it has children, in one query. */
async function accountsForLines(tx: Tx, ids: string[], codes: string[]) {
  if (!ids.length && !codes.length) return []
  return tx.select({
    id: accounts.id, code: accounts.code, name: accounts.name, isActive: accounts.isActive, currency: accounts.currency, isControl: accounts.isControl,
    // Qualified by hand: Drizzle leaves a single-table select's columns unqualified.
    isParent: sql<boolean>`exists (select 1 from accounts c where c.tenant_id = accounts.tenant_id and c.parent_id = accounts.id)`,
  }).from(accounts).where(or(ids.length ? inArray(accounts.id, ids) : undefined, codes.length ? inArray(accounts.code, codes) : undefined))
}

/** The tenant's rate for `currency` on or before `date`, if any. */
export async function rateOn(tx: Tx, currency: string, date: string): Promise<Dec | null> {
  const [row] = await tx.select({ rate: exchangeRates.rate }).from(exchangeRates)
    .where(and(eq(exchangeRates.currency, currency), lte(exchangeRates.date, date)))
    .orderBy(desc(exchangeRates.date)).limit(1)
  return row ? new Dec(row.rate) : null
}

type AccountRefusal = 'UNKNOWN_ACCOUNT' | 'LEDGER_ACCOUNT_INACTIVE' | 'LEDGER_PARENT_ACCOUNT' | 'LEDGER_CURRENCY_MISMATCH' | 'LEDGER_CONTROL_ACCOUNT'

/**
 * A document's currency (given, else `fallback`: the party's or the base) and rate (given, else
 * `keepRate`, else the rate table's on or before the date: 422 LEDGER_NO_RATE on `exchangeRate`;
 * 1 for the base currency, where a given rate other than 1 is 400). `what` names the document with
 * its article for the messages (`an entry`, `a bill`). Entries, sales documents, bills, receipts and
 * bill payments all take theirs here.
 */
export async function currencyAndRate(tx: Tx, input: { currency?: string, exchangeRate?: string, date: string }, fallback: string, base: string, what: string, keepRate?: Dec): Promise<{ currency: string, rate: Dec }> {
  const currency = input.currency ?? fallback
  if (!isCurrency(currency)) throw new ValidationError('Unknown currency', { currency: 'is not a supported ISO 4217 currency' })
  let rate = new Dec(1)
  if (currency !== base) {
    const found = input.exchangeRate ? new Dec(input.exchangeRate) : keepRate ?? await rateOn(tx, currency, input.date)
    if (!found) throw new RuleError(`No ${currency} rate on or before ${input.date}; give exchangeRate or add a rate`, 'LEDGER_NO_RATE', { exchangeRate: 'is required: no rate in the table' })
    rate = found
  }
  else if (input.exchangeRate && !new Dec(input.exchangeRate).eq(1)) {
    throw new ValidationError(`${what[0]!.toUpperCase()}${what.slice(1)} in the base currency has rate 1`, { exchangeRate: 'must be 1 (or omitted) for the base currency' })
  }
  return { currency, rate }
}

/** The entry's currency, decimals and rate, checked (the first checks, before the accounts). */
async function amountsOf(tx: Tx, tenantId: string, input: EntryInput): Promise<EntryAmounts> {
  const base = await baseCurrencyOf(tx, tenantId)
  const currency = input.currency ?? base
  if (!isCurrency(currency)) throw new ValidationError('Unknown currency', { currency: 'is not a supported ISO 4217 currency' })
  const tooPrecise = decimalsError(input.lines, currency)
  if (tooPrecise) throw tooPrecise
  const { rate } = await currencyAndRate(tx, { ...input, currency }, base, base, 'an entry')
  return { base, currency, places: minorUnit(currency), rate }
}

/** The field of line `i` that names its account. */
const accountPath = (input: EntryInput, i: number) => `lines.${i}.${input.lines[i]!.accountId ? 'accountId' : 'accountCode'}`

/** The 4xx for a line whose account is missing or cannot take the entry (same answer from both posting roads). */
function accountError(refusal: AccountRefusal, path: string, code: string | null, currency: string | null) {
  switch (refusal) {
    case 'UNKNOWN_ACCOUNT': return new ValidationError('Unknown account', { [path]: 'is not an account of this organisation' }, 'UNKNOWN_ACCOUNT')
    case 'LEDGER_ACCOUNT_INACTIVE': return new RuleError(`Account ${code} is inactive`, 'LEDGER_ACCOUNT_INACTIVE', { [path]: 'is inactive' })
    case 'LEDGER_PARENT_ACCOUNT': return new RuleError(`Account ${code} is a parent account; post to its children`, 'LEDGER_PARENT_ACCOUNT', { [path]: 'is a parent account' })
    case 'LEDGER_CURRENCY_MISMATCH': return new RuleError(`Account ${code} takes only ${currency}`, 'LEDGER_CURRENCY_MISMATCH', { [path]: `takes only ${currency}` })
    case 'LEDGER_CONTROL_ACCOUNT': return new RuleError(`Account ${code} is a control account: only invoices, bills and payments post to it`, 'LEDGER_CONTROL_ACCOUNT', { [path]: 'is a control account' })
  }
}

/** Validates an entry against the chart, the currency and the calendar, and computes base amounts. */
async function prepare(tx: Tx, tenantId: string, input: EntryInput, checked?: EntryAmounts): Promise<Prepared> {
  const a = checked ?? await amountsOf(tx, tenantId, input)
  const ids = input.lines.flatMap(l => l.accountId ? [l.accountId] : [])
  const codes = input.lines.flatMap(l => l.accountCode ? [l.accountCode] : [])
  const found = await accountsForLines(tx, ids, codes)
  const lines: PostingLine[] = input.lines.map((l, i) => {
    const account = found.find(a => (l.accountId ? a.id === l.accountId : a.code === l.accountCode))
    const refusal: AccountRefusal | null = !account
      ? 'UNKNOWN_ACCOUNT'
      : !account.isActive
          ? 'LEDGER_ACCOUNT_INACTIVE'
          : account.isParent
            ? 'LEDGER_PARENT_ACCOUNT'
            : account.currency && account.currency !== a.currency ? 'LEDGER_CURRENCY_MISMATCH' : account.isControl ? 'LEDGER_CONTROL_ACCOUNT' : null
    if (refusal) throw accountError(refusal, accountPath(input, i), account?.code ?? null, account?.currency ?? null)
    return { accountId: account!.id, accountCode: account!.code, accountName: account!.name, description: l.description ?? null, ...lineAmounts(l, a), isRounding: false }
  })
  const refused = totalsError(lines, a)
  if (refused) throw refused
  const rounding = roundingLine(lines)
  if (rounding) {
    const fx = await systemAccount(tx, 'fx_rounding')
    lines.push({ accountId: fx.id, accountCode: fx.code, accountName: fx.name, description: 'FX rounding', ...rounding, isRounding: true })
  }
  const period = await openPeriodFor(tx, tenantId, input.date)
  return { currency: a.currency, rate: a.rate, periodId: period.id, fiscalYearId: period.fiscalYearId, lines }
}

/**
 * Create-and-post in one call (`postNewEntry`) when the amounts are in range, balance, and need no
 * rounding line — the checks that follow the accounts' — so the answer to any input is the one
 * `prepare` gives, in the same order. Null when the entry needs the usual road: its amounts are
 * refused (prepare reports them, after the accounts, as always), it needs a rounding line, or its
 * date has no fiscal period yet (prepare creates the year).
 */
async function postInOneCall(tx: Tx, tenantId: string, actor: Actor, input: EntryInput, a: EntryAmounts): Promise<Entry | null> {
  const amounts = input.lines.map(l => lineAmounts(l, a))
  if (totalsError(amounts, a) || roundingLine(amounts)) return null
  const done = await postNewEntry(tx, tenantId, {
    date: input.date, memo: input.memo, reference: input.reference ?? null, currency: a.currency, exchangeRate: a.rate,
    lines: input.lines.map((l, i) => ({ accountId: l.accountId, accountCode: l.accountCode, description: l.description ?? null, ...amounts[i]! })),
    actor, audit: { action: 'journal_entry.post', after: { ...input } },
  })
  if ('entry' in done) return done.entry
  const { code, line, accountCode, accountCurrency } = done.refusal
  if (code === 'NO_PERIOD') return null
  if (code === 'LEDGER_PERIOD_CLOSED') throw periodClosedError(input.date)
  throw accountError(code, accountPath(input, line!), accountCode, accountCurrency)
}

/** A manual entry from the API: a draft, or (with `post: true`) posted at once with one audit event. */
export async function createEntry(tx: Tx, tenantId: string, actor: Actor, input: EntryInput & { post?: boolean }): Promise<Entry> {
  const a = await amountsOf(tx, tenantId, input)
  const posted = input.post ? await postInOneCall(tx, tenantId, actor, input, a) : null
  if (posted) return posted
  const p = await prepare(tx, tenantId, input, a)
  const entry = {
    date: input.date, memo: input.memo, reference: input.reference ?? null, currency: p.currency, exchangeRate: p.rate,
    fiscalYearId: p.fiscalYearId, periodId: p.periodId, kind: 'manual' as const, source: null, lines: p.lines,
  }
  if (input.post) return postEntry(tx, tenantId, { ...entry, actor, audit: { action: 'journal_entry.post', after: { ...input } } })
  const { row, lines } = await writeEntry(tx, tenantId, actor.id ?? null, entry)
  await recordAudit(tx, tenantId, actor, { action: 'journal_entry.create', entityType: 'journal_entry', entityId: row.id, after: { ...input } })
  return toEntry(row, lines, await baseCurrencyOf(tx, tenantId))
}

async function lockEntry(tx: Tx, id: string): Promise<EntryRow> {
  const [row] = await tx.select().from(journalEntries).where(eq(journalEntries.id, id)).for('update')
  if (!row) throw new NotFoundError('Journal entry')
  return row
}

export async function updateDraft(tx: Tx, tenantId: string, actor: Actor, id: string, input: EntryInput & { version?: number }): Promise<Entry> {
  const before = await lockEntry(tx, id)
  if (before.status !== 'draft') throw new RuleError('A posted entry cannot be edited; reverse it instead', 'LEDGER_ALREADY_POSTED')
  if (input.version !== undefined && input.version !== before.version) throw new ConflictError('This entry was changed by someone else; reload and try again', 'STALE_VERSION')
  const p = await prepare(tx, tenantId, input)
  await tx.delete(journalLines).where(eq(journalLines.entryId, id))
  const [row] = await tx.update(journalEntries).set({
    fiscalYearId: p.fiscalYearId, periodId: p.periodId, date: input.date, memo: input.memo, reference: input.reference ?? null,
    currency: p.currency, exchangeRate: p.rate.toFixed(10), version: before.version + 1, updatedAt: new Date(),
  }).where(eq(journalEntries.id, id)).returning()
  const written = await writeLines(tx, tenantId, id, input.date, p.lines)
  await recordAudit(tx, tenantId, actor, { action: 'journal_entry.update', entityType: 'journal_entry', entityId: id, before: { date: before.date, memo: before.memo }, after: { ...input } })
  return toEntry(row!, p.lines.map((l, i) => ({ ...l, ...written[i]! })), await baseCurrencyOf(tx, tenantId))
}

export async function deleteDraft(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<void> {
  const before = await lockEntry(tx, id)
  if (before.status !== 'draft') throw new RuleError('A posted entry cannot be deleted; reverse it instead', 'LEDGER_ALREADY_POSTED')
  await tx.delete(journalEntries).where(eq(journalEntries.id, id))
  await recordAudit(tx, tenantId, actor, { action: 'journal_entry.delete', entityType: 'journal_entry', entityId: id, before: { date: before.date, memo: before.memo } })
}

/** Posts a draft (its lines were validated when it was saved); refusals are decided before any tenant-wide lock. */
export async function postDraft(tx: Tx, tenantId: string, actor: Actor, id: string): Promise<Entry> {
  const draft = await lockEntry(tx, id)
  if (draft.status === 'posted') throw new RuleError('The entry is already posted', 'LEDGER_ALREADY_POSTED')
  await openPeriodFor(tx, tenantId, draft.date, null)
  return postEntry(tx, tenantId, { draft, actor })
}

/**
 * Reverses a posted entry with the exact amounts swapped (not recomputed), so the pair nets to zero
 * in both currencies. Its source is the reversed entry unless the caller names another (a
 * revaluation's automatic reversal belongs to the revaluation).
 */
export async function reverseEntry(tx: Tx, tenantId: string, actor: Actor, id: string, date?: string, source?: PostingSource): Promise<Entry> {
  const original = await lockEntry(tx, id)
  if (original.status !== 'posted') throw new RuleError('Only a posted entry can be reversed', 'LEDGER_NOT_POSTED')
  if (original.reversedById || original.kind === 'reversal') {
    throw new ConflictError(original.reversedById ? 'The entry is already reversed' : 'A reversal cannot itself be reversed', 'LEDGER_ALREADY_REVERSED')
  }
  // the database refuses the same (migration 0033); answered here first, with the same code
  const reconciled = await tx.execute(sql`select 1 from journal_lines l
    join bank_matches m on m.tenant_id = l.tenant_id and m.journal_line_id = l.id
    join bank_transactions t on t.tenant_id = m.tenant_id and t.id = m.bank_transaction_id
    where l.entry_id = ${id} and t.status = 'reconciled' limit 1`)
  if (reconciled.length) throw new RuleError('A line of this entry is in a completed bank reconciliation; undo the reconciliation first', 'LEDGER_LINE_RECONCILED')
  const on = date ?? original.date
  const period = await openPeriodFor(tx, tenantId, on)
  const lines = await storedLines(tx, id)
  return postEntry(tx, tenantId, {
    date: on, memo: `Reversal of #${original.number}: ${original.memo}`, reference: original.reference, currency: original.currency,
    exchangeRate: new Dec(original.exchangeRate), fiscalYearId: period.fiscalYearId, periodId: period.id, kind: 'reversal', reversalOfId: id,
    source: source ?? { type: 'journal_entry', id },
    // the account's own amount (a transfer between two foreign currencies) changes side with the rest
    lines: lines.map(l => ({ ...l, debit: l.credit, credit: l.debit, baseDebit: l.baseCredit, baseCredit: l.baseDebit, accountAmount: l.accountAmount?.negated() ?? null })),
    actor, audit: { action: 'journal_entry.reverse', entityId: id, after: { date: on } },
  })
}

export async function getEntry(tx: Tx, id: string): Promise<Entry> {
  const [e] = await tx.select().from(journalEntries).where(eq(journalEntries.id, id))
  if (!e) throw new NotFoundError('Journal entry')
  return toEntry(e, await storedLines(tx, id), await baseCurrencyOf(tx, e.tenantId))
}

export interface EntryListQuery {
  page: number
  pageSize: number
  q?: string
  from?: string
  to?: string
  status?: 'draft' | 'posted'
  accountId?: string
  sourceType?: SourceType
  sourceId?: string
  sort?: { field: 'date' | 'number' | 'createdAt', dir: 'asc' | 'desc' }
}

export async function listEntries(tx: Tx, query: EntryListQuery) {
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, m => `\\${m}`)}%` : undefined
  const where = and(
    query.from ? gte(journalEntries.date, query.from) : undefined,
    query.to ? lte(journalEntries.date, query.to) : undefined,
    query.status ? eq(journalEntries.status, query.status) : undefined,
    like ? or(ilike(journalEntries.memo, like), ilike(journalEntries.reference, like)) : undefined,
    query.sourceType ? eq(journalEntries.sourceType, query.sourceType) : undefined,
    query.sourceId ? eq(journalEntries.sourceId, query.sourceId) : undefined,
    query.accountId ? exists(tx.select({ one: sql`1` }).from(journalLines).where(and(eq(journalLines.entryId, journalEntries.id), eq(journalLines.accountId, query.accountId)))) : undefined,
  )
  const sortCol = journalEntries[query.sort?.field ?? 'date']
  const dir = query.sort?.dir === 'asc' ? asc : desc
  const [{ total }] = await tx.select({ total: count() }).from(journalEntries).where(where) as [{ total: number }]
  const rows = await tx.select({
    id: journalEntries.id, number: journalEntries.number, date: journalEntries.date, memo: journalEntries.memo, reference: journalEntries.reference,
    currency: journalEntries.currency, status: journalEntries.status, kind: journalEntries.kind, reversalOfId: journalEntries.reversalOfId, reversedById: journalEntries.reversedById,
    // Qualified by hand: Drizzle leaves columns of a single-table select unqualified, which inside this
    // subquery would resolve to journal_lines' own tenant_id and id.
    total: sql<string>`(select coalesce(sum(l.debit), 0) from journal_lines l where l.tenant_id = journal_entries.tenant_id and l.entry_id = journal_entries.id)`,
    sourceType: journalEntries.sourceType, sourceId: journalEntries.sourceId,
    createdAt: journalEntries.createdAt, version: journalEntries.version,
  }).from(journalEntries).where(where).orderBy(dir(sortCol), dir(journalEntries.createdAt)).limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return {
    data: rows.map(({ sourceType, sourceId, ...r }) => ({ ...r, source: sourceOf({ sourceType, sourceId }), total: format(new Dec(r.total), minorUnit(r.currency)) })),
    total: Number(total),
  }
}
