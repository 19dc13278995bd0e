/**
 * Account balances for the reports, in the tenant's base currency, and the check that the stored
 * per-period and per-day balances still equal the posted lines (`npm run ledger:recompute`).
 *
 * A balance as of a date reads the stored balances of the periods that end on or before the date,
 * plus the stored day movements of the period containing the date up to that date (SPEC 6.3).
 */
import { sql } from 'drizzle-orm'
import { accounts, tenants } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { Dec, ZERO } from '../money'
import type { AccountType } from '../ledger/chart'

export interface ReportAccount {
  id: string
  code: string
  name: string
  type: AccountType
  subtype: string
  parentId: string | null
}

export interface TenantSettings {
  currency: string
  fiscalYearStartMonth: number
}

export async function tenantSettings(tx: Tx): Promise<TenantSettings> {
  const [t] = await tx.select({ currency: tenants.baseCurrency, fiscalYearStartMonth: tenants.fiscalYearStartMonth }).from(tenants)
  return t!
}

export async function reportAccounts(tx: Tx): Promise<ReportAccount[]> {
  return tx.select({ id: accounts.id, code: accounts.code, name: accounts.name, type: accounts.type, subtype: accounts.subtype, parentId: accounts.parentId })
    .from(accounts).orderBy(accounts.code)
}

/** The day before a `YYYY-MM-DD` date. */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

/**
 * Net posted balance (debit − credit, base currency) per account as of the end of `asOf`: the
 * stored balances of the periods ending by then, plus the stored day movements of the period that
 * contains `asOf` up to that day — a few hundred rows at any ledger size, where that period's lines
 * would be tens of thousands.
 */
export async function balancesAsOf(tx: Tx, asOf: string, accountId?: string): Promise<Map<string, Dec>> {
  const onlyBalance = accountId ? sql`and b.account_id = ${accountId}` : sql``
  const onlyDay = accountId ? sql`and d.account_id = ${accountId}` : sql``
  const rows = await tx.execute<{ account_id: string, net: string }>(sql`
    select account_id, sum(net)::text as net from (
      select b.account_id, b.debit - b.credit as net
        from account_balances b
        join fiscal_periods p on p.tenant_id = b.tenant_id and p.id = b.period_id
       where p.end_date <= ${asOf} ${onlyBalance}
      union all
      select d.account_id, d.debit - d.credit
        from account_day_balances d
       where d.day <= ${asOf} ${onlyDay}
         -- A scalar bound (no join), so the day range is one index range scan.
         and d.day >= (select min(p.start_date) from fiscal_periods p where p.start_date <= ${asOf} and p.end_date > ${asOf})
    ) x group by account_id`)
  return new Map(rows.map(r => [r.account_id, new Dec(r.net)]))
}

/**
 * Net posted movement (debit − credit) per account between two dates inclusive. Closing entries
 * (kind `year_end`) are left out by default, so a closed year still shows its income.
 */
export async function movements(tx: Tx, from: string, to: string, options: { withYearEnd?: boolean } = {}): Promise<Map<string, Dec>> {
  const kind = options.withYearEnd ? sql`` : sql`and e.kind <> 'year_end'`
  const rows = await tx.execute<{ account_id: string, net: string }>(sql`
    select l.account_id, sum(l.base_debit - l.base_credit)::text as net
      from journal_lines l
      join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
     where e.status = 'posted' and l.entry_date >= ${from} and l.entry_date <= ${to} ${kind}
     group by l.account_id`)
  return new Map(rows.map(r => [r.account_id, new Dec(r.net)]))
}

export const get = (map: Map<string, Dec>, id: string): Dec => map.get(id) ?? ZERO

export interface BalanceDifference {
  accountId: string
  accountCode: string
  /** The period of the row (of the day, for a day row). */
  periodId: string
  periodStart: string
  /** Set for a row of account_day_balances; absent for a period row of account_balances. */
  day?: string
  stored: { debit: string, credit: string } | null
  computed: { debit: string, credit: string }
}

type DifferenceRow = { account_id: string, code: string, period_id: string, start_date: string, day: string | null, s_debit: string | null, s_credit: string | null, c_debit: string, c_credit: string }

/**
 * Every stored balance row that differs from the posted lines of its account and period, or of
 * its account and day (or is missing): period rows first, then day rows.
 */
export async function balanceDifferences(tx: Tx): Promise<BalanceDifference[]> {
  const periods = await tx.execute<DifferenceRow>(sql`
    with computed as (
      select l.account_id, e.period_id, sum(l.base_debit) as debit, sum(l.base_credit) as credit
        from journal_lines l
        join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where e.status = 'posted'
       group by l.account_id, e.period_id
    )
    select coalesce(c.account_id, b.account_id) as account_id, a.code, coalesce(c.period_id, b.period_id) as period_id,
           p.start_date::text as start_date, null as day, b.debit::text as s_debit, b.credit::text as s_credit,
           coalesce(c.debit, 0)::text as c_debit, coalesce(c.credit, 0)::text as c_credit
      from computed c
      full join account_balances b on b.account_id = c.account_id and b.period_id = c.period_id
      join accounts a on a.id = coalesce(c.account_id, b.account_id)
      join fiscal_periods p on p.id = coalesce(c.period_id, b.period_id)
     where coalesce(b.debit, -1) <> coalesce(c.debit, 0) or coalesce(b.credit, -1) <> coalesce(c.credit, 0)
     order by p.start_date, a.code`)
  const days = await tx.execute<DifferenceRow>(sql`
    with computed as (
      select l.account_id, l.entry_date as day, sum(l.base_debit) as debit, sum(l.base_credit) as credit
        from journal_lines l
        join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where e.status = 'posted'
       group by l.account_id, l.entry_date
    )
    select coalesce(c.account_id, b.account_id) as account_id, a.code, p.id as period_id, p.start_date::text as start_date,
           coalesce(c.day, b.day)::text as day, b.debit::text as s_debit, b.credit::text as s_credit,
           coalesce(c.debit, 0)::text as c_debit, coalesce(c.credit, 0)::text as c_credit
      from computed c
      full join account_day_balances b on b.account_id = c.account_id and b.day = c.day
      join accounts a on a.id = coalesce(c.account_id, b.account_id)
      join fiscal_periods p on coalesce(c.day, b.day) between p.start_date and p.end_date
     where coalesce(b.debit, -1) <> coalesce(c.debit, 0) or coalesce(b.credit, -1) <> coalesce(c.credit, 0)
     order by 5, a.code`)
  return [...periods, ...days]
    // A missing stored row is only a difference when the lines there have a non-zero total.
    .filter(r => r.s_debit !== null || !new Dec(r.c_debit).isZero() || !new Dec(r.c_credit).isZero())
    .map(r => ({
      accountId: r.account_id,
      accountCode: r.code,
      periodId: r.period_id,
      periodStart: r.start_date,
      ...(r.day === null ? {} : { day: r.day }),
      stored: r.s_debit === null ? null : { debit: new Dec(r.s_debit).toFixed(4), credit: new Dec(r.s_credit!).toFixed(4) },
      computed: { debit: new Dec(r.c_debit).toFixed(4), credit: new Dec(r.c_credit).toFixed(4) },
    }))
}

/** Rewrites the stored balances named by `differences` with the computed figures. */
export async function fixBalances(tx: Tx, tenantId: string, differences: BalanceDifference[]): Promise<void> {
  for (const d of differences) {
    if (d.day) {
      await tx.execute(sql`
        insert into account_day_balances (tenant_id, day, account_id, debit, credit)
        values (${tenantId}, ${d.day}, ${d.accountId}, ${d.computed.debit}, ${d.computed.credit})
        on conflict (tenant_id, day, account_id) do update set debit = excluded.debit, credit = excluded.credit`)
      continue
    }
    await tx.execute(sql`
      insert into account_balances (tenant_id, account_id, period_id, debit, credit)
      values (${tenantId}, ${d.accountId}, ${d.periodId}, ${d.computed.debit}, ${d.computed.credit})
      on conflict (tenant_id, account_id, period_id) do update set debit = excluded.debit, credit = excluded.credit`)
  }
}
