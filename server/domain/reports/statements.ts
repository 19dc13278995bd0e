/**
 * Financial statements of the general ledger (SPEC 6.4), all in the tenant's base currency, as
 * decimal strings fixed to its minor unit. Every row carries `drillDown`: the account and date
 * range whose posted lines make up the figure (the general-ledger report for that account and
 * range, or `/api/v1/journal-entries?accountId=&from=&to=`).
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/tenant'
import { NotFoundError, ValidationError } from '../errors'
import { normalSign } from '../ledger/chart'
import { fiscalYearStart } from '../ledger/calendar'
import { Dec, format, minorUnit, sum, ZERO } from '../money'
import { balancesAsOf, dayBefore, get, movements, reportAccounts, tenantSettings, type ReportAccount } from './balances'

export interface DrillDown {
  accountId: string
  /** Null: from the first posting (a cumulative balance). */
  from: string | null
  to: string
}

export function checkRange(from: string, to: string, fromKey = 'from') {
  if (from > to) throw new ValidationError('Invalid query parameters', { [fromKey]: 'must be on or before the end date' })
}

// ---------------------------------------------------------------- trial balance

export interface TrialBalanceRow {
  accountId: string
  code: string
  name: string
  type: string
  subtype: string
  debit: string
  credit: string
  abnormal: boolean
  drillDown: DrillDown
}

export interface TrialBalance {
  asOf: string
  currency: string
  rows: TrialBalanceRow[]
  totals: { debit: string, credit: string }
}

export async function trialBalance(tx: Tx, query: { asOf: string, includeZero?: boolean }): Promise<TrialBalance> {
  // Sent together: the transaction's connection pipelines them, one round trip for the three.
  const [{ currency }, list, balances] = await Promise.all([tenantSettings(tx), reportAccounts(tx), balancesAsOf(tx, query.asOf)])
  const places = minorUnit(currency)
  let debit = ZERO
  let credit = ZERO
  const rows: TrialBalanceRow[] = []
  for (const a of list) {
    const net = get(balances, a.id)
    if (net.isZero() && !query.includeZero) continue
    if (net.isPositive()) debit = debit.plus(net)
    else credit = credit.minus(net)
    rows.push({
      accountId: a.id, code: a.code, name: a.name, type: a.type, subtype: a.subtype,
      debit: format(net.isPositive() && !net.isZero() ? net : ZERO, places),
      credit: format(net.isNegative() && !net.isZero() ? net.negated() : ZERO, places),
      abnormal: !net.isZero() && (net.isPositive() ? 1 : -1) !== normalSign(a.type, a.subtype),
      drillDown: { accountId: a.id, from: null, to: query.asOf },
    })
  }
  return { asOf: query.asOf, currency, rows, totals: { debit: format(debit, places), credit: format(credit, places) } }
}

// ---------------------------------------------------------------- balance sheet

export interface StatementRow {
  accountId: string | null
  code: string | null
  name: string
  subtype: string | null
  amount: string
  drillDown: DrillDown | null
}

export interface Section {
  rows: StatementRow[]
  total: string
}

export interface BalanceSheet {
  asOf: string
  currency: string
  fiscalYearStart: string
  assets: Section
  liabilities: Section
  equity: Section
  totalLiabilitiesAndEquity: string
}

export function accountRow(a: ReportAccount, amount: Dec, places: number, drillDown: DrillDown): StatementRow {
  return { accountId: a.id, code: a.code, name: a.name, subtype: a.subtype, amount: format(amount, places), drillDown }
}

export function section(rows: StatementRow[], amounts: Dec[], places: number): Section {
  return { rows, total: format(sum(amounts), places) }
}

/** Revenue less expenses (credit − debit) over the given net balances. */
export function earnings(list: ReportAccount[], nets: Map<string, Dec>): Dec {
  return sum(list.filter(a => a.type === 'revenue' || a.type === 'expense').map(a => get(nets, a.id).negated()))
}

export async function balanceSheet(tx: Tx, query: { asOf: string, includeZero?: boolean }): Promise<BalanceSheet> {
  const { currency, fiscalYearStartMonth } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const yearStart = fiscalYearStart(query.asOf, fiscalYearStartMonth)
  const [list, nets, priorNets] = await Promise.all([reportAccounts(tx), balancesAsOf(tx, query.asOf), balancesAsOf(tx, dayBefore(yearStart))])
  const drill = (a: ReportAccount): DrillDown => ({ accountId: a.id, from: null, to: query.asOf })
  const build = (type: 'asset' | 'liability' | 'equity') => {
    // Section amounts are signed to the section's side: contra accounts come out negative.
    const side = type === 'asset' ? 1 : -1
    const chosen = list.filter(a => a.type === type && (query.includeZero || !get(nets, a.id).isZero()))
    const amounts = chosen.map(a => get(nets, a.id).times(side))
    return { rows: chosen.map((a, i) => accountRow(a, amounts[i]!, places, drill(a))), amounts }
  }
  const assets = build('asset')
  const liabilities = build('liability')
  const equity = build('equity')
  const prior = earnings(list, priorNets)
  const current = earnings(list, nets).minus(prior)
  equity.rows.push(
    { accountId: null, code: null, name: 'Retained earnings (prior years)', subtype: 'retained_earnings', amount: format(prior, places), drillDown: null },
    { accountId: null, code: null, name: 'Current-year earnings', subtype: 'current_earnings', amount: format(current, places), drillDown: null },
  )
  equity.amounts.push(prior, current)
  const liabilityTotal = sum(liabilities.amounts)
  const equityTotal = sum(equity.amounts)
  return {
    asOf: query.asOf, currency, fiscalYearStart: yearStart,
    assets: section(assets.rows, assets.amounts, places),
    liabilities: section(liabilities.rows, liabilities.amounts, places),
    equity: section(equity.rows, equity.amounts, places),
    totalLiabilitiesAndEquity: format(liabilityTotal.plus(equityTotal), places),
  }
}

// ---------------------------------------------------------------- income statement

interface IncomeFigures {
  from: string
  to: string
  revenue: Section
  expenses: Section
  netIncome: string
}

export interface IncomeStatement extends IncomeFigures {
  currency: string
  comparative?: IncomeFigures
}

async function incomeFigures(tx: Tx, list: ReportAccount[], from: string, to: string, places: number, includeZero: boolean): Promise<IncomeFigures> {
  const moves = await movements(tx, from, to)
  const build = (type: 'revenue' | 'expense') => {
    const side = type === 'expense' ? 1 : -1
    const chosen = list.filter(a => a.type === type && (includeZero || !get(moves, a.id).isZero()))
    const amounts = chosen.map(a => get(moves, a.id).times(side))
    return { section: section(chosen.map((a, i) => accountRow(a, amounts[i]!, places, { accountId: a.id, from, to })), amounts, places), total: sum(amounts) }
  }
  const revenue = build('revenue')
  const expenses = build('expense')
  return { from, to, revenue: revenue.section, expenses: expenses.section, netIncome: format(revenue.total.minus(expenses.total), places) }
}

/**
 * Revenue, expenses and net income of each range, as the income statement of that range would
 * total them (the same function): the dashboard's months.
 */
export async function incomeTotals(tx: Tx, ranges: { from: string, to: string }[]): Promise<{ currency: string, totals: { from: string, to: string, revenue: string, expenses: string, netIncome: string }[] }> {
  for (const r of ranges) checkRange(r.from, r.to)
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const list = await reportAccounts(tx)
  const totals = await Promise.all(ranges.map(async (r) => {
    const f = await incomeFigures(tx, list, r.from, r.to, places, false)
    return { from: f.from, to: f.to, revenue: f.revenue.total, expenses: f.expenses.total, netIncome: f.netIncome }
  }))
  return { currency, totals }
}

/** The subtypes of cash and bank accounts: the cash of the cash-flow statement. */
export const CASH = new Set(['cash', 'bank'])

/** Cash and bank accounts' balance as of a date, in base currency (the cash-flow statement's closing cash). */
export async function cashAsOf(tx: Tx, asOf: string): Promise<string> {
  const { currency } = await tenantSettings(tx)
  const [list, balances] = await Promise.all([reportAccounts(tx), balancesAsOf(tx, asOf)])
  return format(sum(list.filter(a => CASH.has(a.subtype)).map(a => get(balances, a.id))), minorUnit(currency))
}

export async function incomeStatement(tx: Tx, query: { from: string, to: string, compareFrom?: string, compareTo?: string, includeZero?: boolean }): Promise<IncomeStatement> {
  checkRange(query.from, query.to)
  if (!!query.compareFrom !== !!query.compareTo) throw new ValidationError('Invalid query parameters', { [query.compareFrom ? 'compareTo' : 'compareFrom']: 'give both compareFrom and compareTo' })
  if (query.compareFrom && query.compareTo) checkRange(query.compareFrom, query.compareTo, 'compareFrom')
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const list = await reportAccounts(tx)
  const main = await incomeFigures(tx, list, query.from, query.to, places, !!query.includeZero)
  const comparative = query.compareFrom && query.compareTo
    ? await incomeFigures(tx, list, query.compareFrom, query.compareTo, places, !!query.includeZero)
    : undefined
  return { ...main, currency, ...(comparative ? { comparative } : {}) }
}

// ---------------------------------------------------------------- general ledger

export interface GeneralLedgerRow {
  date: string
  entryId: string
  number: number | null
  memo: string
  description: string | null
  debit: string
  credit: string
  balance: string
}

export interface GeneralLedger {
  account: { id: string, code: string, name: string, type: string, subtype: string, normalBalance: 'debit' | 'credit' }
  currency: string
  from: string | null
  to: string
  openingBalance: string
  rows: GeneralLedgerRow[]
  closingBalance: string
  page: number
  pageSize: number
  total: number
}

/** The most lines a file export carries; past this the range must be narrowed. */
export const GL_EXPORT_MAX_ROWS = 100_000

/**
 * What every view of one account's general ledger shares (the page here, the streamed export):
 * the account and its normal side, the opening balance, and the range's line count and closing
 * balance, as figures on the account's normal side.
 */
export async function generalLedgerFrame(tx: Tx, query: { accountId: string, from?: string, to: string }) {
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const account = (await reportAccounts(tx)).find(a => a.id === query.accountId)
  if (!account) throw new NotFoundError('Account')
  const sign = normalSign(account.type, account.subtype)
  const opening = query.from ? get(await balancesAsOf(tx, dayBefore(query.from), account.id), account.id) : ZERO
  const from = query.from ?? '0001-01-01'
  const [totals] = await tx.execute<{ n: string, net: string }>(sql`
    select count(*)::text as n, coalesce(sum(l.base_debit - l.base_credit), 0)::text as net
      from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
     where e.status = 'posted' and l.account_id = ${account.id} and l.entry_date >= ${from} and l.entry_date <= ${query.to}`)
  const signed = (v: Dec) => format(v.times(sign), places)
  return {
    account, from, places, opening, signed,
    total: Number(totals!.n),
    head: {
      account: { id: account.id, code: account.code, name: account.name, type: account.type, subtype: account.subtype, normalBalance: sign === 1 ? 'debit' as const : 'credit' as const },
      currency, from: query.from ?? null, to: query.to,
      openingBalance: signed(opening),
      closingBalance: signed(opening.plus(new Dec(totals!.net))),
    },
  }
}

export async function generalLedger(tx: Tx, query: { accountId: string, from?: string, to: string, page: number, pageSize: number }): Promise<GeneralLedger> {
  if (query.from) checkRange(query.from, query.to)
  const { account, from, places, opening, signed, total, head } = await generalLedgerFrame(tx, query)
  const lines = await tx.execute<{ date: string, entry_id: string, number: number | null, memo: string, description: string | null, debit: string, credit: string, running: string }>(sql`
    select * from (
      select l.entry_date::text as date, e.id as entry_id, e.number, e.memo, l.description,
             l.base_debit::text as debit, l.base_credit::text as credit,
             (sum(l.base_debit - l.base_credit) over (order by l.entry_date, e.number, l.line_no, l.id))::text as running,
             row_number() over (order by l.entry_date, e.number, l.line_no, l.id) as rn
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where e.status = 'posted' and l.account_id = ${account.id} and l.entry_date >= ${from} and l.entry_date <= ${query.to}
    ) x where rn > ${(query.page - 1) * query.pageSize} and rn <= ${query.page * query.pageSize} order by rn`)
  return {
    ...head,
    rows: lines.map(l => ({
      date: l.date, entryId: l.entry_id, number: l.number, memo: l.memo, description: l.description,
      debit: format(new Dec(l.debit), places), credit: format(new Dec(l.credit), places),
      balance: signed(opening.plus(new Dec(l.running))),
    })),
    page: query.page, pageSize: query.pageSize, total,
  }
}
