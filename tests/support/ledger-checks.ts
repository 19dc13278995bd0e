/**
 * Ledger invariants checked in SQL as the database owner, shared by the property tests: each
 * returns the offending rows of one tenant (an empty list when the invariant holds).
 */
import type postgres from 'postgres'

/** Posted entries with fewer than two lines, or unbalanced in their currency or in base. */
export function unbalancedPostedEntries(sql: postgres.Sql, tenantId: string) {
  return sql`
    select e.id, count(l.id)::int as lines from journal_entries e
    left join journal_lines l on l.tenant_id = e.tenant_id and l.entry_id = e.id
    where e.tenant_id = ${tenantId} and e.status = 'posted'
    group by e.id
    having count(l.id) < 2 or sum(l.base_debit) <> sum(l.base_credit) or sum(l.debit) <> sum(l.credit)`
}

/** Maintained account_balances rows that differ from the sum of posted lines per account and period. */
export function balancesNotMatchingLines(sql: postgres.Sql, tenantId: string) {
  return sql`
    with from_lines as (
      select l.account_id, e.period_id, sum(l.base_debit) as debit, sum(l.base_credit) as credit
      from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
      where l.tenant_id = ${tenantId} and e.status = 'posted' group by l.account_id, e.period_id
    ), kept as (
      select account_id, period_id, debit, credit from account_balances where tenant_id = ${tenantId}
    )
    (select 'kept but not in lines' as side, * from kept except select 'kept but not in lines', * from from_lines)
    union all
    (select 'in lines but not kept', * from from_lines except select 'in lines but not kept', * from kept)`
}

/**
 * The payables subledger against the AP control account (base, credit positive; a two-decimal base
 * currency): `control` is the account's posted balance, `documents` Σ carried base of posted bills −
 * Σ carried base of open vendor credits and active bill payments (each side's posted base less the
 * base its live allocations took). They are equal when the subledger holds.
 */
export async function payablesAgainstControl(sql: postgres.Sql, tenantId: string, apAccountId: string) {
  const [row] = await sql`
    with carried as (
      select (case b.kind when 'bill' then 1 else -1 end)
             * (round(b.total * b.exchange_rate, 2) - coalesce((select sum(case b.kind when 'bill' then a.base_amount_bill else a.base_amount_source end)
                from purchase_allocations a where a.tenant_id = b.tenant_id and a.released_at is null and (a.bill_id = b.id or a.vendor_credit_id = b.id)), 0)) as v
        from bills b where b.tenant_id = ${tenantId} and b.status in ('open', 'partially_paid', 'paid')
      union all
      select -(round(p.amount * p.exchange_rate, 2) - coalesce((select sum(a.base_amount_source) from purchase_allocations a
                where a.tenant_id = p.tenant_id and a.payment_id = p.id and a.released_at is null), 0))
        from bill_payments p where p.tenant_id = ${tenantId} and p.status = 'active'
    )
    select (select coalesce(sum(l.base_credit - l.base_debit), 0) from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
             where l.tenant_id = ${tenantId} and l.account_id = ${apAccountId} and e.status = 'posted')::numeric(20,2)::text as control,
           (select coalesce(sum(v), 0) from carried)::numeric(20,2)::text as documents`
  return row as { control: string, documents: string }
}
