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
import { INCOME_SECTIONS, type IncomeSectionKey, type IncomeSubtotalKey } from './income-sections'
import { MAX_STATEMENT_COLUMNS } from './catalog'
import { balanceColumnLabel, columnLabel, columnPeriods, comparativeRange, type ColumnPeriod, type CompareBasis } from './periods'

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

/**
 * A figure beside its comparative: `variance` = amount − comparative amount; `variancePercent` =
 * variance ÷ |comparative| × 100, rounded half-up to one decimal (`"12.5"`), null when the
 * comparative is zero. Dividing by the magnitude keeps the sign the direction of the change.
 */
export interface Comparison {
  amount: string
  variance: string
  variancePercent: string | null
}

export interface StatementRow {
  accountId: string | null
  code: string | null
  name: string
  subtype: string | null
  amount: string
  drillDown: DrillDown | null
  /** Present when the statement is compared. */
  comparison?: Comparison
}

export interface Section {
  rows: StatementRow[]
  total: string
  /** The total's comparison, when the statement is compared. */
  totalComparison?: Comparison
}

/** A computed figure (gross profit, net income) and its comparison, when compared. */
export interface Figure {
  amount: string
  comparison?: Comparison
}

export function comparisonOf(amount: Dec, comparative: Dec, places: number): Comparison {
  const variance = amount.minus(comparative)
  return {
    amount: format(comparative, places),
    variance: format(variance, places),
    variancePercent: comparative.isZero() ? null : variance.div(comparative.abs()).times(100).toDecimalPlaces(1, Dec.ROUND_HALF_UP).toFixed(1),
  }
}

/** An amount, with its comparison when there is a comparative amount. */
function figure(amount: Dec, comparative: Dec | undefined, places: number): Figure {
  return { amount: format(amount, places), ...(comparative ? { comparison: comparisonOf(amount, comparative, places) } : {}) }
}

/** A section's row before formatting: its amount and, when compared, its comparative amount. */
interface SectionItem {
  row: Omit<StatementRow, 'amount' | 'comparison'>
  amount: Dec
  comparative?: Dec
}

/**
 * A compared section: one row per account chosen (by the caller: non-zero in either period unless
 * zero rows are asked for), each with both amounts, and the totals.
 */
function comparedSection(items: SectionItem[], places: number, comparing: boolean): Section {
  const total = sum(items.map(i => i.amount))
  const comparativeTotal = sum(items.map(i => i.comparative ?? ZERO))
  return {
    rows: items.map(i => ({ ...i.row, amount: format(i.amount, places), ...(comparing ? { comparison: comparisonOf(i.amount, i.comparative ?? ZERO, places) } : {}) })),
    total: format(total, places),
    ...(comparing ? { totalComparison: comparisonOf(total, comparativeTotal, places) } : {}),
  }
}

export interface BalanceSheet {
  asOf: string
  currency: string
  fiscalYearStart: string
  assets: Section
  liabilities: Section
  equity: Section
  totalLiabilitiesAndEquity: string
  /** With `compareAsOf`: the comparative date; every row and total then carries its comparison. */
  comparison?: { asOf: string, fiscalYearStart: string, totalLiabilitiesAndEquity: Comparison }
  /**
   * With `columns=month|quarter`: the balance sheet as of each period end from `from` to `asOf`,
   * the same rows in the same order as the statement itself (which is the last column).
   */
  columns?: { by: ColumnPeriod, from: string, periods: BalanceColumn[] }
}

export interface BalanceColumn {
  asOf: string
  label: string
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

/** The balances of one date a balance sheet reads: account nets and the two earnings lines. */
async function balanceFigures(tx: Tx, accounts: Promise<ReportAccount[]>, asOf: string, fiscalYearStartMonth: number) {
  const yearStart = fiscalYearStart(asOf, fiscalYearStartMonth)
  const [list, nets, priorNets] = await Promise.all([accounts, balancesAsOf(tx, asOf), balancesAsOf(tx, dayBefore(yearStart))])
  const prior = earnings(list, priorNets)
  return { yearStart, nets, prior, current: earnings(list, nets).minus(prior) }
}

export async function balanceSheet(tx: Tx, query: { asOf: string, compareAsOf?: string, includeZero?: boolean, columns?: ColumnPeriod, from?: string }): Promise<BalanceSheet> {
  if (query.columns && query.compareAsOf) throw new ValidationError('Invalid query parameters', { columns: 'columns by month or quarter cannot be compared: leave out compareAsOf' })
  if (query.from && !query.columns) throw new ValidationError('Invalid query parameters', { from: 'is for columns: give columns=month or columns=quarter' })
  const { currency, fiscalYearStartMonth } = await tenantSettings(tx)
  if (query.columns) return balanceSheetByColumns(tx, { ...query, columns: query.columns }, currency, fiscalYearStartMonth)
  const places = minorUnit(currency)
  // Sent together: the transaction's connection pipelines the queries.
  const accounts = reportAccounts(tx)
  const [list, now, then] = await Promise.all([
    accounts,
    balanceFigures(tx, accounts, query.asOf, fiscalYearStartMonth),
    query.compareAsOf ? balanceFigures(tx, accounts, query.compareAsOf, fiscalYearStartMonth) : undefined,
  ])
  const comparing = !!then
  const drill = (a: ReportAccount): DrillDown => ({ accountId: a.id, from: null, to: query.asOf })
  const build = (type: 'asset' | 'liability' | 'equity') => {
    // Section amounts are signed to the section's side: contra accounts come out negative.
    const side = type === 'asset' ? 1 : -1
    const shown = (a: ReportAccount) => query.includeZero || !get(now.nets, a.id).isZero() || (then && !get(then.nets, a.id).isZero())
    return list.filter(a => a.type === type && shown(a)).map((a): SectionItem => ({
      row: { accountId: a.id, code: a.code, name: a.name, subtype: a.subtype, drillDown: drill(a) },
      amount: get(now.nets, a.id).times(side),
      ...(then ? { comparative: get(then.nets, a.id).times(side) } : {}),
    }))
  }
  const assets = build('asset')
  const liabilities = build('liability')
  const equity = build('equity')
  const computed = (name: string, subtype: string, amount: Dec, comparative?: Dec): SectionItem => ({ row: { accountId: null, code: null, name, subtype, drillDown: null }, amount, ...(comparative ? { comparative } : {}) })
  equity.push(
    computed('Retained earnings (prior years)', 'retained_earnings', now.prior, then?.prior),
    computed('Current-year earnings', 'current_earnings', now.current, then?.current),
  )
  const total = (items: SectionItem[], pick: (i: SectionItem) => Dec | undefined) => sum(items.map(i => pick(i) ?? ZERO))
  const liabilitiesAndEquity = total([...liabilities, ...equity], i => i.amount)
  return {
    asOf: query.asOf, currency, fiscalYearStart: now.yearStart,
    assets: comparedSection(assets, places, comparing),
    liabilities: comparedSection(liabilities, places, comparing),
    equity: comparedSection(equity, places, comparing),
    totalLiabilitiesAndEquity: format(liabilitiesAndEquity, places),
    ...(then && query.compareAsOf
      ? { comparison: { asOf: query.compareAsOf, fiscalYearStart: then.yearStart, totalLiabilitiesAndEquity: comparisonOf(liabilitiesAndEquity, total([...liabilities, ...equity], i => i.comparative), places) } }
      : {}),
  }
}

/**
 * The balance sheet as of each month or quarter end from `from` (the fiscal year's start of
 * `asOf` by default) to `asOf`, the last column as of `asOf`: every column lists the accounts any
 * column shows (non-zero somewhere, or all with `includeZero`), in the same order, so they line up.
 */
async function balanceSheetByColumns(tx: Tx, query: { asOf: string, includeZero?: boolean, columns: ColumnPeriod, from?: string }, currency: string, fiscalYearStartMonth: number): Promise<BalanceSheet> {
  const from = query.from ?? fiscalYearStart(query.asOf, fiscalYearStartMonth)
  checkRange(from, query.asOf)
  const periods = statementColumns({ from, to: query.asOf }, query.columns)
  const places = minorUnit(currency)
  const accounts = reportAccounts(tx)
  const [list, ...figures] = await Promise.all([accounts, ...periods.map(p => balanceFigures(tx, accounts, p.to, fiscalYearStartMonth))])
  const shown = (a: ReportAccount) => !!query.includeZero || figures.some(f => !get(f.nets, a.id).isZero())
  const columns: BalanceColumn[] = periods.map((p, i) => {
    const f = figures[i]!
    const build = (type: 'asset' | 'liability' | 'equity') => {
      const side = type === 'asset' ? 1 : -1
      const chosen = list.filter(a => a.type === type && shown(a))
      return { rows: chosen.map(a => accountRow(a, get(f.nets, a.id).times(side), places, { accountId: a.id, from: null, to: p.to })), amounts: chosen.map(a => get(f.nets, a.id).times(side)) }
    }
    const assets = build('asset')
    const liabilities = build('liability')
    const equity = build('equity')
    const computed = (name: string, subtype: string, amount: Dec): StatementRow => ({ accountId: null, code: null, name, subtype, amount: format(amount, places), drillDown: null })
    equity.rows.push(computed('Retained earnings (prior years)', 'retained_earnings', f.prior), computed('Current-year earnings', 'current_earnings', f.current))
    equity.amounts.push(f.prior, f.current)
    return {
      asOf: p.to, label: balanceColumnLabel(p, query.columns), fiscalYearStart: f.yearStart,
      assets: section(assets.rows, assets.amounts, places),
      liabilities: section(liabilities.rows, liabilities.amounts, places),
      equity: section(equity.rows, equity.amounts, places),
      totalLiabilitiesAndEquity: format(sum([...liabilities.amounts, ...equity.amounts]), places),
    }
  })
  const last = columns[columns.length - 1]!
  return {
    asOf: query.asOf, currency, fiscalYearStart: last.fiscalYearStart,
    assets: last.assets, liabilities: last.liabilities, equity: last.equity, totalLiabilitiesAndEquity: last.totalLiabilitiesAndEquity,
    columns: { by: query.columns, from, periods: columns },
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
  /** The comparative range's figures in the first layout (with `compareFrom`/`compareTo` or `compare`). */
  comparative?: IncomeFigures
  /** The statement as accountants read it: the accounts by subtype (./income-sections.ts). */
  sections: Record<IncomeSectionKey, Section>
  subtotals: Record<IncomeSubtotalKey, Figure>
  /** What the statement is compared with; every row, total and subtotal then carries its comparison. */
  comparison?: { basis: CompareBasis | 'range', from: string, to: string }
  /**
   * With `columns=month|quarter`: the statement of each period, with the same rows in the same
   * order as the statement itself (which is then the total column).
   */
  columns?: { by: ColumnPeriod, periods: IncomeColumn[] }
}

export interface IncomeColumn {
  from: string
  to: string
  label: string
  sections: Record<IncomeSectionKey, Section>
  subtotals: Record<IncomeSubtotalKey, Figure>
}

async function incomeFigures(tx: Tx, list: ReportAccount[], from: string, to: string, places: number, includeZero: boolean): Promise<IncomeFigures> {
  return incomeFiguresOf(list, await movements(tx, from, to), from, to, places, includeZero)
}

/** The first layout (revenue, expenses, net income) over a range's movements. */
function incomeFiguresOf(list: ReportAccount[], moves: Map<string, Dec>, from: string, to: string, places: number, includeZero: boolean): IncomeFigures {
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

/**
 * The sections and subtotals of ./income-sections.ts over the range's movements, each compared
 * with the comparative range's when there is one. Revenue is signed credit-positive, expenses
 * debit-positive, as the first layout signs them.
 */
function presentIncome(list: ReportAccount[], moves: Map<string, Dec>, comparative: Map<string, Dec> | undefined, range: { from: string, to: string }, places: number, includeZero: boolean, alsoShown: Map<string, Dec>[] = []) {
  const totals = {} as Record<IncomeSectionKey, { amount: Dec, comparative?: Dec }>
  const sections = {} as Record<IncomeSectionKey, Section>
  for (const s of INCOME_SECTIONS) {
    const side = s.type === 'expense' ? 1 : -1
    const fits = (a: ReportAccount) => a.type === s.type && (s.subtypes as readonly string[]).includes(a.subtype)
    const shown = (a: ReportAccount) => includeZero || !get(moves, a.id).isZero() || (comparative && !get(comparative, a.id).isZero()) || alsoShown.some(m => !get(m, a.id).isZero())
    const items = list.filter(a => fits(a) && shown(a)).map(a => ({
      row: { accountId: a.id, code: a.code, name: a.name, subtype: a.subtype, drillDown: { accountId: a.id, ...range } },
      amount: get(moves, a.id).times(side),
      ...(comparative ? { comparative: get(comparative, a.id).times(side) } : {}),
    }))
    sections[s.key] = comparedSection(items, places, !!comparative)
    totals[s.key] = { amount: sum(items.map(i => i.amount)), ...(comparative ? { comparative: sum(items.map(i => i.comparative ?? ZERO)) } : {}) }
  }
  // Hidden zero rows add nothing, so the totals equal those over every account.
  const of = (pick: (t: { amount: Dec, comparative?: Dec }) => Dec | undefined) => {
    const v = (k: IncomeSectionKey) => pick(totals[k]) ?? ZERO
    const gross = v('revenue').minus(v('costOfSales'))
    const operating = gross.minus(v('operatingExpenses'))
    return { grossProfit: gross, operatingProfit: operating, netIncome: operating.plus(v('otherIncome')).minus(v('otherExpenses')) }
  }
  const now = of(t => t.amount)
  const then = comparative ? of(t => t.comparative) : undefined
  const subtotals = Object.fromEntries((Object.keys(now) as IncomeSubtotalKey[]).map(k => [k, figure(now[k], then?.[k], places)])) as Record<IncomeSubtotalKey, Figure>
  return { sections, subtotals }
}

/** The periods of `columns` over the range; a ValidationError past MAX_STATEMENT_COLUMNS. */
export function statementColumns(range: { from: string, to: string }, by: ColumnPeriod, key = 'columns') {
  const periods = columnPeriods(range, by, MAX_STATEMENT_COLUMNS)
  if (periods.length > MAX_STATEMENT_COLUMNS) throw new ValidationError('Invalid query parameters', { [key]: `a statement has at most ${MAX_STATEMENT_COLUMNS} columns: shorten the range or choose quarters` })
  return periods
}

export async function incomeStatement(tx: Tx, query: { from: string, to: string, compare?: CompareBasis, compareFrom?: string, compareTo?: string, includeZero?: boolean, columns?: ColumnPeriod }): Promise<IncomeStatement> {
  checkRange(query.from, query.to)
  if (query.columns && (query.compare || query.compareFrom || query.compareTo)) throw new ValidationError('Invalid query parameters', { columns: 'columns by month or quarter cannot be compared: leave out compare' })
  if (query.columns) return incomeStatementByColumns(tx, { ...query, columns: query.columns })
  if (query.compare && (query.compareFrom || query.compareTo)) throw new ValidationError('Invalid query parameters', { compare: 'give either compare or compareFrom and compareTo, not both' })
  if (!!query.compareFrom !== !!query.compareTo) throw new ValidationError('Invalid query parameters', { [query.compareFrom ? 'compareTo' : 'compareFrom']: 'give both compareFrom and compareTo' })
  if (query.compareFrom && query.compareTo) checkRange(query.compareFrom, query.compareTo, 'compareFrom')
  const range = query.compare
    ? comparativeRange(query, query.compare)
    : query.compareFrom && query.compareTo ? { from: query.compareFrom, to: query.compareTo } : undefined
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const list = await reportAccounts(tx)
  const [moves, comparativeMoves] = await Promise.all([movements(tx, query.from, query.to), range ? movements(tx, range.from, range.to) : undefined])
  const main = incomeFiguresOf(list, moves, query.from, query.to, places, !!query.includeZero)
  const comparative = range && comparativeMoves ? incomeFiguresOf(list, comparativeMoves, range.from, range.to, places, !!query.includeZero) : undefined
  return {
    ...main, currency, ...(comparative ? { comparative } : {}),
    ...presentIncome(list, moves, comparativeMoves, { from: query.from, to: query.to }, places, !!query.includeZero),
    ...(range ? { comparison: { basis: query.compare ?? 'range' as const, ...range } } : {}),
  }
}

/**
 * The income statement of the range with a column per month or quarter: each period's sections
 * and subtotals over the rows any period (or the whole range) shows, so the columns line up and
 * add up across to the statement of the whole range, which is the total column.
 */
async function incomeStatementByColumns(tx: Tx, query: { from: string, to: string, includeZero?: boolean, columns: ColumnPeriod }): Promise<IncomeStatement> {
  const periods = statementColumns(query, query.columns)
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const list = await reportAccounts(tx)
  const [moves, ...periodMoves] = await Promise.all([movements(tx, query.from, query.to), ...periods.map(p => movements(tx, p.from, p.to))])
  const includeZero = !!query.includeZero
  return {
    ...incomeFiguresOf(list, moves!, query.from, query.to, places, includeZero), currency,
    ...presentIncome(list, moves!, undefined, { from: query.from, to: query.to }, places, includeZero, periodMoves),
    columns: {
      by: query.columns,
      periods: periods.map((p, i) => ({ ...p, label: columnLabel(p, query.columns), ...presentIncome(list, periodMoves[i]!, undefined, p, places, includeZero, [moves!, ...periodMoves]) })),
    },
  }
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
