/**
 * The general ledger of many accounts in one report: every account, or those whose code is from
 * `fromCode` to `toCode` (inclusive, codes compared as text), each a section with its opening
 * balance, its posted lines with the running balance and its closing balance. An account is in
 * the report when it has an opening balance or a posted line in the range.
 *
 * Bounded as the one-account ledger is: paged by lines (`page`, `pageSize` ≤ GL_MAX_PAGE_SIZE) in
 * the report's order (account code, then date, entry number, line number); a page carries the
 * sections its lines fall in (an account without lines in the range takes its place in that
 * order), each with the account's own opening and closing balances and which of its lines it
 * holds (`firstLine`, `lineCount`). A file carries every line, up to GL_EXPORT_MAX_ROWS built
 * whole; an export streams any number (./general-ledger-stream.ts).
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/tenant'
import { ValidationError } from '../errors'
import { normalSign } from '../ledger/chart'
import { Dec, format, minorUnit, ZERO } from '../money'
import { balancesAsOf, dayBefore, get, reportAccounts, tenantSettings, type ReportAccount } from './balances'
import { checkRange, generalLedger, type GeneralLedger, type GeneralLedgerRow } from './statements'

export interface LedgerQuery {
  accountId?: string
  fromCode?: string
  toCode?: string
  from?: string
  to: string
}

/** The account-range rules: one account or a code range, never both; the range in order. */
export function checkLedgerQuery(query: LedgerQuery, prefix = ''): void {
  if (query.accountId && (query.fromCode || query.toCode)) throw new ValidationError('Invalid query parameters', { [`${prefix}fromCode`]: 'give either accountId or a code range (fromCode, toCode), not both' })
  if (query.fromCode && query.toCode && query.fromCode > query.toCode) throw new ValidationError('Invalid query parameters', { [`${prefix}fromCode`]: 'must be on or before toCode' })
  if (query.from) checkRange(query.from, query.to, `${prefix}from`)
}

export interface LedgerAccountSection {
  account: GeneralLedger['account']
  openingBalance: string
  rows: GeneralLedgerRow[]
  closingBalance: string
  /** The account's posted lines in the range, over every page. */
  lineCount: number
  /** The number (1-based, within the account) of the first line in `rows`; with no rows, lineCount + 1. */
  firstLine: number
}

export interface GeneralLedgerAccounts {
  currency: string
  from: string | null
  to: string
  fromCode: string | null
  toCode: string | null
  accounts: LedgerAccountSection[]
  page: number
  pageSize: number
  /** Posted lines of every account in the report. */
  total: number
  /** Accounts in the report (over every page). */
  accountCount: number
}

/** One account of the report, before its page's lines are read. */
export interface LedgerAccountFrame {
  account: ReportAccount
  sign: 1 | -1
  opening: Dec
  lineCount: number
  net: Dec
  /** Lines of the accounts before it in the report. */
  start: number
}

/** The accounts of the report, in code order, with their openings, line counts and movements. */
export async function ledgerAccountsFrame(tx: Tx, query: LedgerQuery) {
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const from = query.from ?? '0001-01-01'
  const [list, openings, moved] = await Promise.all([
    reportAccounts(tx),
    query.from ? balancesAsOf(tx, dayBefore(query.from)) : Promise.resolve(new Map<string, Dec>()),
    tx.execute<{ account_id: string, n: string, net: string }>(sql`
      select l.account_id, count(*)::text as n, sum(l.base_debit - l.base_credit)::text as net
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where e.status = 'posted' and l.entry_date >= ${from} and l.entry_date <= ${query.to}
       group by l.account_id`),
  ])
  const moves = new Map(moved.map(m => [m.account_id, { n: Number(m.n), net: new Dec(m.net) }]))
  const inRange = (code: string) => (!query.fromCode || code >= query.fromCode) && (!query.toCode || code <= query.toCode)
  const frames: LedgerAccountFrame[] = []
  let start = 0
  for (const a of [...list].sort((x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0))) {
    if (!inRange(a.code)) continue
    const opening = get(openings, a.id)
    const m = moves.get(a.id)
    if (opening.isZero() && !m) continue
    const lineCount = m?.n ?? 0
    frames.push({ account: a, sign: normalSign(a.type, a.subtype), opening, lineCount, net: m?.net ?? ZERO, start })
    start += lineCount
  }
  return { currency, places, from, frames, total: start }
}

/** The account as the report names it, with its normal side. */
export function ledgerAccountOf(f: LedgerAccountFrame): GeneralLedger['account'] {
  const a = f.account
  return { id: a.id, code: a.code, name: a.name, type: a.type, subtype: a.subtype, normalBalance: f.sign === 1 ? 'debit' : 'credit' }
}

/** Every account of the range (or of the chart), one page of lines (`page`, `pageSize`). */
export async function generalLedgerAccounts(tx: Tx, query: LedgerQuery & { page: number, pageSize: number }): Promise<GeneralLedgerAccounts> {
  checkLedgerQuery(query)
  const { currency, places, from, frames, total } = await ledgerAccountsFrame(tx, query)
  const lo = (query.page - 1) * query.pageSize
  const hi = query.page * query.pageSize
  const lastPage = Math.max(1, Math.ceil(total / query.pageSize))
  const onPage = frames.flatMap((f) => {
    if (f.lineCount === 0) return (f.start >= lo && f.start < hi) || (f.start >= total && query.page === lastPage) ? [{ f, a: 0, b: 0 }] : []
    const a = Math.max(lo - f.start, 0)
    const b = Math.min(hi - f.start, f.lineCount)
    return a < b ? [{ f, a, b }] : []
  })
  // One query per account with lines on the page, sent together (the connection pipelines them).
  const sections = await Promise.all(onPage.map(async ({ f, a, b }): Promise<LedgerAccountSection> => {
    const signed = (v: Dec) => format(v.times(f.sign), places)
    const lines = b > a
      ? await tx.execute<{ date: string, entry_id: string, number: number | null, memo: string, description: string | null, debit: string, credit: string, running: string }>(sql`
          select * from (
            select l.entry_date::text as date, e.id as entry_id, e.number, e.memo, l.description,
                   l.base_debit::text as debit, l.base_credit::text as credit,
                   (sum(l.base_debit - l.base_credit) over (order by l.entry_date, e.number, l.line_no, l.id))::text as running,
                   row_number() over (order by l.entry_date, e.number, l.line_no, l.id) as rn
              from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
             where e.status = 'posted' and l.account_id = ${f.account.id} and l.entry_date >= ${from} and l.entry_date <= ${query.to}
          ) x where rn > ${a} and rn <= ${b} order by rn`)
      : []
    return {
      account: ledgerAccountOf(f),
      openingBalance: signed(f.opening),
      rows: lines.map(l => ({
        date: l.date, entryId: l.entry_id, number: l.number, memo: l.memo, description: l.description,
        debit: format(new Dec(l.debit), places), credit: format(new Dec(l.credit), places),
        balance: signed(f.opening.plus(new Dec(l.running))),
      })),
      closingBalance: signed(f.opening.plus(f.net)),
      lineCount: f.lineCount,
      firstLine: b > a ? a + 1 : f.lineCount + 1,
    }
  }))
  return {
    currency, from: query.from ?? null, to: query.to, fromCode: query.fromCode ?? null, toCode: query.toCode ?? null,
    accounts: sections, page: query.page, pageSize: query.pageSize, total, accountCount: frames.length,
  }
}

/** The general-ledger route's answer: one account's ledger with `accountId`, else the accounts of a code range. */
export async function generalLedgerReport(tx: Tx, query: LedgerQuery & { page: number, pageSize: number }): Promise<GeneralLedger | GeneralLedgerAccounts> {
  checkLedgerQuery(query)
  return query.accountId ? generalLedger(tx, { ...query, accountId: query.accountId }) : generalLedgerAccounts(tx, query)
}

export function isLedgerOfAccounts(r: GeneralLedger | GeneralLedgerAccounts): r is GeneralLedgerAccounts {
  return 'accounts' in r
}
