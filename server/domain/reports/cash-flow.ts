/**
 * The cash-flow statement (SPEC 6.4, IAS 7 / ASC 230), in the tenant's base currency, as decimal
 * strings fixed to its minor unit.
 *
 * Cash is what the cash and bank accounts hold. The cash of each posted entry is attributed
 * through the entry's own lines: its other lines say what the cash was paid for or received from
 * — fixed assets and accumulated depreciation → investing; loans, capital, dividends, drawings and
 * retained earnings → financing; anything else → operating. In an entry that touches a fixed asset
 * or accumulated depreciation its income and expense lines (the gain or loss on a disposal,
 * depreciation) belong to investing too. Operating activities are then presented by the indirect
 * method, and that presentation is built to reconcile exactly to the cash attributed to
 * operating (see `cashFlow`). Entries that move no cash but exchange investing or financing
 * items (land bought for a note) stay out of the sections and are listed in `noncashActivities`.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/tenant'
import { Dec, format, minorUnit, sum, ZERO } from '../money'
import { balancesAsOf, dayBefore, get, movements, reportAccounts, tenantSettings, type ReportAccount } from './balances'
import { accountRow, CASH, checkRange, earnings, section, type DrillDown, type Section, type StatementRow } from './statements'

/** An entry that moved no cash but acquired or settled investing or financing items (IAS 7.43). */
export interface NoncashActivity {
  date: string
  entryId: string
  number: number | null
  memo: string
  /** The investing and financing items exchanged: the larger of their debits and their credits. */
  amount: string
}

export interface CashFlow {
  from: string
  to: string
  currency: string
  netIncome: string
  operating: Section
  investing: Section
  financing: Section
  netChange: string
  openingCash: string
  closingCash: string
  noncashActivities: NoncashActivity[]
}

type Activity = 'operating' | 'investing' | 'financing'
/** The order ties are broken in when a rounding remainder is placed. */
const ACTIVITIES: readonly Activity[] = ['operating', 'investing', 'financing']

const INVESTING = new Set(['fixed_asset', 'accumulated_depreciation'])
const FINANCING = new Set(['loan', 'capital', 'dividends', 'drawings', 'retained_earnings'])

const isIncome = (a: ReportAccount) => a.type === 'revenue' || a.type === 'expense'

interface EntryLine { account: ReportAccount, net: Dec, activity: Activity }

interface Entry { id: string, number: number | null, date: string, memo: string, lines: EntryLine[] }

/**
 * Splits `total` over `weights` in proportion, each part rounded half-up to `places`; the parts
 * sum to `total` exactly because the rounding remainder (a few minor units at most) is put on the
 * largest part (the first of equals), where it distorts the least.
 */
export function apportion(total: Dec, weights: Dec[], places: number): Dec[] {
  const whole = sum(weights)
  if (whole.isZero()) throw new Error('apportion: weights sum to zero')
  const parts = weights.map(w => total.times(w).div(whole).toDecimalPlaces(places, Dec.ROUND_HALF_UP))
  const remainder = total.minus(sum(parts))
  if (!remainder.isZero()) {
    const largest = parts.reduce((best, p, i) => (p.abs().greaterThan(parts[best]!.abs()) ? i : best), 0)
    parts[largest] = parts[largest]!.plus(remainder)
  }
  return parts
}

/**
 * The posted entries of the range (closing entries left out, as in the income statement) that
 * touch an investing or financing account, with their net line per account. Every other entry
 * is operating through and through: its cash, if any, is operating cash, and the movements of its
 * accounts already say so in the indirect presentation.
 */
async function investingOrFinancingEntries(tx: Tx, list: ReportAccount[], from: string, to: string): Promise<Entry[]> {
  const subtypes = [...INVESTING, ...FINANCING]
  const rows = await tx.execute<{ id: string, number: number | null, date: string, memo: string, account_id: string, net: string }>(sql`
    select e.id, e.number, e.date::text as date, e.memo, l.account_id, sum(l.base_debit - l.base_credit)::text as net
      from journal_lines l
      join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
     where e.status = 'posted' and e.kind <> 'year_end' and l.entry_date >= ${from} and l.entry_date <= ${to}
       and exists (
         select 1 from journal_lines x join accounts a on a.tenant_id = x.tenant_id and a.id = x.account_id
          where x.tenant_id = e.tenant_id and x.entry_id = e.id
            and a.subtype in (${sql.join(subtypes.map(s => sql`${s}`), sql`, `)}))
     group by e.id, e.number, e.date, e.memo, l.account_id
     order by e.date, e.number, e.id`)
  const byId = new Map(list.map(a => [a.id, a]))
  type RawEntry = Omit<Entry, 'lines'> & { raw: { account: ReportAccount, net: Dec }[] }
  const entries = new Map<string, RawEntry>()
  for (const r of rows) {
    const entry: RawEntry = entries.get(r.id) ?? { id: r.id, number: r.number, date: r.date, memo: r.memo, raw: [] }
    entries.set(r.id, entry)
    entry.raw.push({ account: byId.get(r.account_id)!, net: new Dec(r.net) })
  }
  return [...entries.values()].map(({ raw, ...entry }) => {
    const touchesInvesting = raw.some(l => INVESTING.has(l.account.subtype))
    const activityOf = (a: ReportAccount): Activity =>
      INVESTING.has(a.subtype) || (touchesInvesting && isIncome(a)) ? 'investing' : FINANCING.has(a.subtype) ? 'financing' : 'operating'
    return { ...entry, lines: raw.map(l => ({ ...l, activity: activityOf(l.account) })) }
  })
}

/**
 * Whether an entry without cash (its lines other than cash given) is a noncash investing or financing activity: it moves an
 * investing or financing account against something else. Left out: entries of investing items and
 * income or expense alone (depreciation, a write-off or a disposal without proceeds), and
 * reclassifications between accounts of one subtype (a loan's current and non-current parts).
 */
function isNoncashActivity(lines: EntryLine[]): boolean {
  const balanceLines = lines.filter(l => !isIncome(l.account) && !l.net.isZero())
  if (!balanceLines.some(l => l.activity !== 'operating')) return false
  if (lines.every(l => l.activity === 'investing')) return false
  return new Set(balanceLines.map(l => l.account.subtype)).size > 1
}

/** A cash row of investing or financing: the account and the direction of the cash. */
function cashRowName(a: ReportAccount, inflow: boolean): string {
  switch (a.subtype) {
    case 'fixed_asset':
    case 'accumulated_depreciation':
      return inflow ? `Proceeds from sale of ${a.name}` : `Purchase of ${a.name}`
    case 'loan':
      return inflow ? `Proceeds from ${a.name}` : `Repayment of ${a.name}`
    case 'capital':
      return inflow ? `${a.name} contributed` : `${a.name} returned`
    default:
      return inflow ? `${a.name} received` : `${a.name} paid`
  }
}

/**
 * Operating activities by the indirect method, reconciled exactly to the cash attributed to
 * operating. Summed over every entry, operating cash = Σ(−net of the entry's operating lines) + R,
 * where R is, per entry, the part of its operating lines that the entry's cash did not settle
 * (all of them in an entry without cash; none in an ordinary receipt or payment). Hence:
 *
 *   net income
 *   + income and expense lines of investing and financing entries, taken back out (depreciation,
 *     the gain or loss on a disposal: its proceeds are shown gross in investing)
 *   + R on the income and expense lines it falls on (non-cash items, e.g. a fee netted from a loan)
 *   − the movement of each operating balance-sheet account (working capital), plus R on its lines
 *     (a payable for equipment is not an operating source of cash).
 */
export async function cashFlow(tx: Tx, query: { from: string, to: string }): Promise<CashFlow> {
  checkRange(query.from, query.to)
  const { currency } = await tenantSettings(tx)
  const places = minorUnit(currency)
  const [list, moves, opening, closing] = await Promise.all([
    reportAccounts(tx), movements(tx, query.from, query.to), balancesAsOf(tx, dayBefore(query.from)), balancesAsOf(tx, query.to),
  ])
  const entries = await investingOrFinancingEntries(tx, list, query.from, query.to)
  const drill = (a: ReportAccount): DrillDown => ({ accountId: a.id, from: query.from, to: query.to })
  const add = (map: Map<string, Dec>, key: string, amount: Dec) => map.set(key, get(map, key).plus(amount))

  /** Per account: what the operating presentation adds to net income (income and expense accounts) or to the negated movement (balance-sheet accounts). */
  const adjustments = new Map<string, Dec>()
  /** Investing and financing cash per `${accountId}:${in|out}` (accountId empty when no line fits). */
  const flows: Record<'investing' | 'financing', Map<string, Dec>> = { investing: new Map(), financing: new Map() }
  const noncashActivities: NoncashActivity[] = []

  for (const entry of entries) {
    const cash = sum(entry.lines.filter(l => CASH.has(l.account.subtype)).map(l => l.net))
    const others = entry.lines.filter(l => !CASH.has(l.account.subtype))
    const nets = Object.fromEntries(ACTIVITIES.map(k => [k, sum(others.filter(l => l.activity === k).map(l => l.net))])) as Record<Activity, Dec>
    const attributed: Record<Activity, Dec> = { operating: ZERO, investing: ZERO, financing: ZERO }
    if (!cash.isZero()) {
      // The cash went to (or came from) the activities whose lines stand on the other side of it:
      // a payment pays for net debits, a receipt comes from net credits. Activities on the cash's
      // own side were settled without cash (a note given alongside a payment).
      const sources = ACTIVITIES.filter(k => nets[k].isNegative() === cash.isPositive() && !nets[k].isZero())
      const parts = apportion(cash, sources.map(k => nets[k]), places)
      for (const [i, k] of sources.entries()) attributed[k] = parts[i]!
    }
    else if (isNoncashActivity(others)) {
      const balance = others.filter(l => l.activity !== 'operating' && !isIncome(l.account))
      const debits = sum(balance.filter(l => l.net.isPositive()).map(l => l.net))
      const credits = sum(balance.filter(l => l.net.isNegative()).map(l => l.net.negated()))
      noncashActivities.push({ date: entry.date, entryId: entry.id, number: entry.number, memo: entry.memo, amount: format(Dec.max(debits, credits), places) })
    }

    for (const l of others) if (l.activity !== 'operating' && isIncome(l.account)) add(adjustments, l.account.id, l.net)
    const unsettled = attributed.operating.plus(nets.operating)
    if (!unsettled.isZero()) {
      const operatingLines = others.filter(l => l.activity === 'operating' && !l.net.isZero())
      apportion(unsettled, operatingLines.map(l => l.net), places).forEach((r, i) => add(adjustments, operatingLines[i]!.account.id, r))
    }

    for (const k of ['investing', 'financing'] as const) {
      const amount = attributed[k]
      if (amount.isZero()) continue
      // Within the activity, the cash goes to the balance-sheet lines on the other side of it.
      const targets = others.filter(l => l.activity === k && !isIncome(l.account) && !l.net.isZero() && l.net.isNegative() === amount.isPositive())
      const direction = amount.isPositive() ? 'in' : 'out'
      if (targets.length === 0) {
        add(flows[k], `:${direction}`, amount)
        continue
      }
      apportion(amount, targets.map(l => l.net), places).forEach((part, i) => add(flows[k], `${targets[i]!.account.id}:${direction}`, part))
    }
  }

  const netIncome = earnings(list, moves)
  const operating: { row: StatementRow, amount: Dec }[] = [
    { row: { accountId: null, code: null, name: 'Net income', subtype: null, amount: format(netIncome, places), drillDown: null }, amount: netIncome },
  ]
  for (const a of list.filter(isIncome)) {
    const amount = get(adjustments, a.id)
    if (!amount.isZero()) operating.push({ row: accountRow(a, amount, places, drill(a)), amount })
  }
  for (const a of list.filter(a => !isIncome(a) && !CASH.has(a.subtype) && !INVESTING.has(a.subtype) && !FINANCING.has(a.subtype))) {
    const amount = get(moves, a.id).negated().plus(get(adjustments, a.id))
    if (!amount.isZero()) operating.push({ row: accountRow(a, amount, places, drill(a)), amount })
  }

  const cashRows = (k: 'investing' | 'financing') => {
    const items: { row: StatementRow, amount: Dec }[] = []
    for (const a of list) {
      for (const direction of ['in', 'out'] as const) {
        const amount = get(flows[k], `${a.id}:${direction}`)
        if (!amount.isZero()) items.push({ row: { ...accountRow(a, amount, places, drill(a)), name: cashRowName(a, direction === 'in') }, amount })
      }
    }
    for (const direction of ['in', 'out'] as const) {
      const amount = get(flows[k], `:${direction}`)
      if (!amount.isZero()) items.push({ row: { accountId: null, code: null, name: `Other ${k} activities`, subtype: null, amount: format(amount, places), drillDown: null }, amount })
    }
    return items
  }
  const investing = cashRows('investing')
  const financing = cashRows('financing')

  const cashOf = (nets: Map<string, Dec>) => sum(list.filter(a => CASH.has(a.subtype)).map(a => get(nets, a.id)))
  const make = (items: { row: StatementRow, amount: Dec }[]) => section(items.map(i => i.row), items.map(i => i.amount), places)
  const total = sum([...operating, ...investing, ...financing].map(i => i.amount))
  return {
    from: query.from, to: query.to, currency, netIncome: format(netIncome, places),
    operating: make(operating), investing: make(investing), financing: make(financing),
    netChange: format(total, places), openingCash: format(cashOf(opening), places), closingCash: format(cashOf(closing), places),
    noncashActivities,
  }
}
