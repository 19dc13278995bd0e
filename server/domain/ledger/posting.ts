/**
 * The one way anything posts to the ledger: manual entries, reversals, revaluations, the year-end
 * close, and next invoices, bills, payments, bank categorisations and depreciation. `postEntry` is
 * the only place that numbers a posting and audits it (docs/posting.md).
 *
 * A posting happens in two phases inside the caller's transaction:
 * 1. unordered: the draft entry and its lines are inserted (callers have validated them and checked
 *    the period before calling), touching no tenant-wide lock, so any number of postings of one
 *    tenant do this part at the same time;
 * 2. ordered: one call of the SQL function `app_ledger_post` (db/migrations/0008_posting_source.sql)
 *    takes the audit-chain lock, the next number from the counter row, flips the entry to posted
 *    (balances and the closed-period guard follow by trigger), links a reversal to its original and
 *    writes the posting's one audit event — one round trip, held until commit.
 * The entry is answered from what was written, without reading it back.
 *
 * A new manual entry from the API takes a shorter road, `postNewEntry`: the account and period
 * look-ups, both inserts and the ordered steps in one call of `app_ledger_post_new`
 * (db/migrations/0010_posting_call.sql), so the request's transaction is `begin`, one call, `commit`.
 */
import { asc, eq, sql } from 'drizzle-orm'
import { accounts, journalEntries, journalLines, tenants } from '../../../db/schema'
import { preparedQuery, type Tx } from '../../../db/tenant'
import type { Actor } from '../audit/audit'
import { Dec, format, minorUnit, sum } from '../money'

import type { PostingSource, SourceType } from './sources'

export type { PostingSource, SourceType } from './sources'

export interface PostingLine {
  accountId: string
  accountCode: string
  accountName: string
  description: string | null
  debit: Dec
  credit: Dec
  baseDebit: Dec
  baseCredit: Dec
  isRounding: boolean
  /**
   * The signed amount (debit positive) in the ACCOUNT's own currency, only on a line whose account has a
   * fixed foreign currency other than the entry's (a transfer between two foreign currencies); null or
   * absent everywhere else. The database holds both (migration 0035).
   */
  accountAmount?: Dec | null
  /** The account's currency, with `accountAmount` (for its minor unit). */
  accountCurrency?: string | null
}

/** A line as stored: with its id and number. */
type WrittenLine = PostingLine & { id: string, lineNo: number }
type EntryRow = typeof journalEntries.$inferSelect
type EntryKind = EntryRow['kind']

/** The audit event of a posting; `after` gets the number (and the source) added. Default: `journal_entry.post` on the entry. */
export interface PostingAudit { action: string, entityId?: string, after?: Record<string, unknown> }

interface PostingCommon {
  actor: Actor
  audit?: PostingAudit
}

/** A new entry's header and lines, as written (a draft, or a posting before its ordered steps). */
export interface NewEntry {
  /** Chosen by the caller when the entry must name itself (a revaluation is its own source). */
  id?: string
  date: string
  memo: string
  reference: string | null
  currency: string
  exchangeRate: Dec
  fiscalYearId: string
  periodId: string
  kind: EntryKind
  reversalOfId?: string
  source: PostingSource | null
  lines: PostingLine[]
}

/** A new entry, written and posted in one go. */
export interface NewPosting extends PostingCommon, NewEntry {}

/** A draft already written (and locked FOR UPDATE by the caller); its lines are read as stored. */
export interface DraftPosting extends PostingCommon {
  draft: EntryRow
}

export interface EntryLine { id: string, lineNo: number, accountId: string, accountCode: string, accountName: string, description: string | null, debit: string, credit: string, baseDebit: string, baseCredit: string, isRounding: boolean, accountAmount: string | null, accountCurrency: string | null }
export interface Entry {
  id: string
  number: number | null
  date: string
  memo: string
  reference: string | null
  currency: string
  exchangeRate: string
  status: 'draft' | 'posted'
  kind: string
  reversalOfId: string | null
  reversedById: string | null
  source: PostingSource | null
  postedAt: Date | null
  version: number
  createdAt: Date
  updatedAt: Date
  totals: { debit: string, credit: string, baseDebit: string, baseCredit: string }
  lines: EntryLine[]
}

/**
 * A line's signed amount in its account's own currency, for an account with a fixed foreign currency:
 * the account amount where the entry is in another currency (migration 0035), else the entry's own
 * debit − credit. Sum it for such an account's foreign balance.
 */
export const ownAmountSql = () => sql<string>`coalesce(${journalLines.accountAmount}, ${journalLines.debit} - ${journalLines.credit})`

/**
 * A tenant's base currency never changes (it is set when the tenant is created and no route updates
 * it), so it is cached in process memory for good: no invalidation can be missed.
 */
const baseCurrencies = new Map<string, string>()
export async function baseCurrencyOf(tx: Tx, tenantId: string): Promise<string> {
  const cached = baseCurrencies.get(tenantId)
  if (cached) return cached
  const [t] = await tx.select({ c: tenants.baseCurrency }).from(tenants)
  baseCurrencies.set(tenantId, t!.c)
  return t!.c
}

export function sourceOf(row: Pick<EntryRow, 'sourceType' | 'sourceId'>): PostingSource | null {
  return row.sourceType && row.sourceId ? { type: row.sourceType as SourceType, id: row.sourceId } : null
}

/** The API's view of an entry, from its row and its lines (in line order). */
export function toEntry(e: EntryRow, lines: WrittenLine[], base: string): Entry {
  const cp = minorUnit(e.currency)
  const bp = minorUnit(base)
  const total = (pick: (l: PostingLine) => Dec, places: number) => format(sum(lines.map(pick)), places)
  return {
    id: e.id, number: e.number, date: e.date, memo: e.memo, reference: e.reference, currency: e.currency,
    exchangeRate: new Dec(e.exchangeRate).toString(), status: e.status, kind: e.kind, reversalOfId: e.reversalOfId, reversedById: e.reversedById,
    source: sourceOf(e), postedAt: e.postedAt, version: e.version, createdAt: e.createdAt, updatedAt: e.updatedAt,
    totals: { debit: total(l => l.debit, cp), credit: total(l => l.credit, cp), baseDebit: total(l => l.baseDebit, bp), baseCredit: total(l => l.baseCredit, bp) },
    lines: lines.map(l => ({
      id: l.id, lineNo: l.lineNo, accountId: l.accountId, accountCode: l.accountCode, accountName: l.accountName, description: l.description,
      debit: format(l.debit, cp), credit: format(l.credit, cp), baseDebit: format(l.baseDebit, bp), baseCredit: format(l.baseCredit, bp), isRounding: l.isRounding,
      accountAmount: l.accountAmount ? format(l.accountAmount, minorUnit(l.accountCurrency ?? e.currency)) : null,
      accountCurrency: l.accountAmount ? (l.accountCurrency ?? null) : null,
    })),
  }
}

/** An entry's lines as stored, with their accounts' code and name, in line order. */
export async function storedLines(tx: Tx, entryId: string): Promise<WrittenLine[]> {
  const rows = await tx.select({ l: journalLines, code: accounts.code, name: accounts.name, currency: accounts.currency }).from(journalLines)
    .innerJoin(accounts, eq(accounts.id, journalLines.accountId)).where(eq(journalLines.entryId, entryId)).orderBy(asc(journalLines.lineNo))
  return rows.map(({ l, code, name, currency }) => ({
    id: l.id, lineNo: l.lineNo, accountId: l.accountId, accountCode: code, accountName: name, description: l.description,
    debit: new Dec(l.debit), credit: new Dec(l.credit), baseDebit: new Dec(l.baseDebit), baseCredit: new Dec(l.baseCredit), isRounding: l.isRounding,
    ...(l.accountAmount === null ? {} : { accountAmount: new Dec(l.accountAmount), accountCurrency: currency }),
  }))
}

/** Inserts an entry as a draft with its lines (no lock beyond its own rows) and answers both as written. */
export async function writeEntry(tx: Tx, tenantId: string, createdBy: string | null, e: NewEntry): Promise<{ row: EntryRow, lines: WrittenLine[] }> {
  const [row] = await tx.insert(journalEntries).values({
    ...(e.id ? { id: e.id } : {}),
    tenantId, fiscalYearId: e.fiscalYearId, periodId: e.periodId, date: e.date, memo: e.memo, reference: e.reference,
    currency: e.currency, exchangeRate: e.exchangeRate.toFixed(10), kind: e.kind, reversalOfId: e.reversalOfId ?? null,
    sourceType: e.source?.type ?? null, sourceId: e.source?.id ?? null, createdBy,
  }).returning()
  const written = await writeLines(tx, tenantId, row!.id, e.date, e.lines)
  return { row: row!, lines: e.lines.map((l, i) => ({ ...l, ...written[i]! })) }
}

/** Inserts an entry's lines, numbered from 1 in the given order. */
export async function writeLines(tx: Tx, tenantId: string, entryId: string, date: string, lines: PostingLine[]) {
  return tx.insert(journalLines).values(lines.map((l, i) => ({
    tenantId, entryId, lineNo: i + 1, accountId: l.accountId, description: l.description,
    debit: l.debit.toFixed(4), credit: l.credit.toFixed(4), baseDebit: l.baseDebit.toFixed(4), baseCredit: l.baseCredit.toFixed(4),
    isRounding: l.isRounding, accountAmount: l.accountAmount ? l.accountAmount.toFixed(4) : null, entryDate: date,
  }))).returning({ id: journalLines.id, lineNo: journalLines.lineNo })
}

/**
 * Posts an entry: writes it (a new posting) or takes the caller's draft, then runs the ordered steps
 * in one SQL call. The caller has validated the lines and checked that the period is open, so a
 * refused entry never reaches the tenant-wide locks; the database still checks both at posting.
 */
export async function postEntry(tx: Tx, tenantId: string, posting: NewPosting | DraftPosting): Promise<Entry> {
  const { row, lines } = 'draft' in posting
    ? { row: posting.draft, lines: await storedLines(tx, posting.draft.id) }
    : await writeEntry(tx, tenantId, posting.actor.id ?? null, posting)

  const { actor } = posting
  const audit = posting.audit ?? { action: 'journal_entry.post' }
  const source = sourceOf(row)
  const after = { ...audit.after, ...(source ? { source } : {}) }
  const reversalOf = 'draft' in posting ? null : posting.reversalOfId ?? null
  // Timestamps as ISO text with milliseconds, the precision the entry's Date fields carry.
  const [posted] = await tx.execute<{ number: number, posted_at: string, version: number, updated_at: string }>(sql`
    select number, version, to_char(posted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as posted_at,
      to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at
    from app_ledger_post(${row.id}::uuid, ${reversalOf}::uuid, ${actor.type}, ${actor.id ?? null}::uuid, ${actor.requestId ?? null},
      ${actor.ip ?? null}, ${actor.userAgent ?? null}, ${audit.action}, ${audit.entityId ?? row.id}, null, ${JSON.stringify(after)}::jsonb)`)
  const postedRow: EntryRow = {
    ...row, status: 'posted', number: posted!.number, postedAt: new Date(posted!.posted_at), postedBy: actor.id ?? null,
    version: posted!.version, updatedAt: new Date(posted!.updated_at),
  }
  return toEntry(postedRow, lines, await baseCurrencyOf(tx, tenantId))
}

/** A line of a new entry before its account is looked up: the account as the client named it, and its exact amounts. */
export interface UnresolvedLine {
  accountId?: string
  accountCode?: string
  description: string | null
  debit: Dec
  credit: Dec
  baseDebit: Dec
  baseCredit: Dec
}

/** Why `app_ledger_post_new` wrote nothing: an unusable account (on line `line`; a control account too, migration 0016), no period for the date, or a closed period. */
export interface PostingRefusal {
  code: 'UNKNOWN_ACCOUNT' | 'LEDGER_ACCOUNT_INACTIVE' | 'LEDGER_PARENT_ACCOUNT' | 'LEDGER_CURRENCY_MISMATCH' | 'LEDGER_CONTROL_ACCOUNT' | 'NO_PERIOD' | 'LEDGER_PERIOD_CLOSED'
  line: number | null
  accountCode: string | null
  accountCurrency: string | null
}

export interface NewManualPosting extends PostingCommon {
  date: string
  memo: string
  reference: string | null
  currency: string
  exchangeRate: Dec
  /** Balanced in the entry's and the base currency (no rounding line), amounts in range: checked by the caller. */
  lines: UnresolvedLine[]
}

interface PostNewRow extends Record<string, unknown> {
  refusal: PostingRefusal['code'] | null
  refusal_line: number | null
  refusal_code: string | null
  refusal_currency: string | null
  entry_id: string
  fiscal_year_id: string
  period_id: string
  created_at: string
  number: number
  posted_at: string
  version: number
  updated_at: string
  line_ids: string[]
  account_ids: string[]
  account_codes: string[]
  account_names: string[]
}

/**
 * Writes and posts a new manual entry in one round trip (one prepared call of `app_ledger_post_new`):
 * the accounts are looked up by id or code and checked, the period found and checked, the entry and
 * its lines inserted, then the ordered steps of `app_ledger_post`. A refusal found there (an unusable
 * account, no or a closed period) comes back with nothing written and no tenant-wide lock taken.
 */
export async function postNewEntry(tx: Tx, tenantId: string, posting: NewManualPosting): Promise<{ entry: Entry } | { refusal: PostingRefusal }> {
  const { actor } = posting
  const audit = posting.audit ?? { action: 'journal_entry.post' }
  const entry = { date: posting.date, memo: posting.memo, reference: posting.reference, currency: posting.currency, exchangeRate: posting.exchangeRate.toFixed(10) }
  const lines = posting.lines.map(l => ({
    accountId: l.accountId ?? null, accountCode: l.accountId ? null : l.accountCode ?? null, description: l.description,
    debit: l.debit.toFixed(4), credit: l.credit.toFixed(4), baseDebit: l.baseDebit.toFixed(4), baseCredit: l.baseCredit.toFixed(4),
  }))
  const [r] = await preparedQuery<PostNewRow>(tx, sql`select * from app_ledger_post_new(${tenantId}::uuid, ${JSON.stringify(entry)}::jsonb,
    ${JSON.stringify(lines)}::jsonb, ${actor.type}, ${actor.id ?? null}::uuid, ${actor.requestId ?? null}, ${actor.ip ?? null},
    ${actor.userAgent ?? null}, ${audit.action}, ${JSON.stringify(audit.after ?? {})}::jsonb)`)
  if (r!.refusal) return { refusal: { code: r!.refusal, line: r!.refusal_line, accountCode: r!.refusal_code, accountCurrency: r!.refusal_currency } }
  const createdAt = new Date(r!.created_at)
  const row: EntryRow = {
    tenantId, id: r!.entry_id, fiscalYearId: r!.fiscal_year_id, periodId: r!.period_id, number: r!.number, date: posting.date,
    memo: posting.memo, reference: posting.reference, currency: posting.currency, exchangeRate: entry.exchangeRate, status: 'posted',
    kind: 'manual', reversalOfId: null, reversedById: null, sourceType: null, sourceId: null, postedAt: new Date(r!.posted_at),
    postedBy: actor.id ?? null, createdBy: actor.id ?? null, version: r!.version, createdAt, updatedAt: new Date(r!.updated_at),
  }
  const written: WrittenLine[] = posting.lines.map((l, i) => ({
    id: r!.line_ids[i]!, lineNo: i + 1, accountId: r!.account_ids[i]!, accountCode: r!.account_codes[i]!, accountName: r!.account_names[i]!,
    description: l.description, debit: l.debit, credit: l.credit, baseDebit: l.baseDebit, baseCredit: l.baseCredit, isRounding: false, accountAmount: null,
  }))
  return { entry: toEntry(row, written, await baseCurrencyOf(tx, tenantId)) }
}
