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
