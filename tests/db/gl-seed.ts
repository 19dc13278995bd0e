/**
 * Bulk general-ledger lines for export tests and the export benchmark: `lines` posted lines on one
 * account in 2025, by SQL as the database owner (a superuser), the way bench/ledger.ts seeds.
 * Each entry debits the account on `perEntry` lines and credits the counter account once, so the
 * ledger's order (date, number, line) is exercised inside entries and across many entries a day.
 * Memos carry a comma and quotes, so CSV quoting is exercised too.
 *
 * It ends with ANALYZE, as any bulk load should (autovacuum may be off, and PostgreSQL 17 plans the
 * export's queries badly without statistics).
 */
import type postgres from 'postgres'

export async function seedAccountLines(sql: postgres.Sql, tenantId: string, options: { accountCode: string, counterCode: string, lines: number, perEntry?: number }): Promise<{ accountId: string }> {
  const perEntry = options.perEntry ?? 10
  const entries = Math.ceil(options.lines / perEntry)
  let accountId = ''
  await sql.begin(async (tx) => {
    // Bulk load: no per-row triggers (balance check, immutability, balances); balances are computed below.
    await tx`set local session_replication_role = replica`
    const [account] = await tx`select id from accounts where tenant_id = ${tenantId} and code = ${options.accountCode}`
    const [counter] = await tx`select id from accounts where tenant_id = ${tenantId} and code = ${options.counterCode}`
    accountId = account!.id
    const [year] = await tx`insert into fiscal_years (tenant_id, start_date, end_date) values (${tenantId}, '2025-01-01', '2025-12-31') returning id`
    await tx`insert into fiscal_periods (tenant_id, fiscal_year_id, number, start_date, end_date)
      select ${tenantId}, ${year!.id}, m, make_date(2025, m, 1), (make_date(2025, m, 1) + interval '1 month' - interval '1 day')::date
        from generate_series(1, 12) m`
    await tx`insert into journal_entries (tenant_id, fiscal_year_id, period_id, number, date, memo, currency, exchange_rate, status, kind, posted_at)
      select ${tenantId}, ${year!.id}, p.id, s.i, s.d, 'Seeded, "bulk" entry ' || s.i, 'USD', 1, 'posted', 'manual', now()
        from (select i, ('2025-01-01'::date + ((i - 1)::bigint * 365 / ${entries})::int) as d from generate_series(1, ${entries}) i) s
        join fiscal_periods p on p.tenant_id = ${tenantId} and s.d between p.start_date and p.end_date`
    // Debit lines 1..perEntry on the account (0.01 .. 1000.00), one credit line for their sum.
    await tx`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
      select e.tenant_id, e.id, k, ${accountId}, amt, 0, amt, 0, e.date
        from (select tenant_id, id, date, number from journal_entries where tenant_id = ${tenantId} and fiscal_year_id = ${year!.id}) e
        cross join generate_series(1, ${perEntry}) k
        cross join lateral (select ((e.number::bigint * 7919 + k * 104729) % 100000 + 1) / 100.0 as amt) a
       where (e.number - 1) * ${perEntry} + k <= ${options.lines}`
    await tx`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
      select l.tenant_id, l.entry_id, ${perEntry + 1}, ${counter!.id}, 0, sum(l.debit), 0, sum(l.debit), min(l.entry_date)
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where l.tenant_id = ${tenantId} and e.fiscal_year_id = ${year!.id} group by l.tenant_id, l.entry_id`
    await tx`insert into account_balances (tenant_id, account_id, period_id, debit, credit)
      select l.tenant_id, l.account_id, e.period_id, sum(l.base_debit), sum(l.base_credit)
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where l.tenant_id = ${tenantId} and e.fiscal_year_id = ${year!.id} group by 1, 2, 3`
    await tx`insert into entry_counters (tenant_id, fiscal_year_id, last_number) values (${tenantId}, ${year!.id}, ${entries})`
  })
  await sql`analyze journal_entries, journal_lines, account_balances`
  return { accountId }
}
