/**
 * Sales benchmark (issue 12, SPEC section 8), every figure against a baseline measured in the same run:
 *   (a) issuing invoices of three taxed lines (`POST /api/v1/invoices` with `issue: true`: a gapless
 *       number, the figures, one posted entry through the AR control account) from 16 clients,
 *       against plain two-line journal postings (`POST /api/v1/journal-entries` with `post: true`)
 *       from 16 clients on the same server and tenant; goal: ratio ≥ 0.5;
 *   (b) the AR aging report at 100,000 invoices and 100,000 receipts (seeded by SQL, with allocations),
 *       p50 of `GET /api/v1/reports/ar-aging` computed (a new date each request) against a bare
 *       `group by customer` over the same rows sent by SQL; goal: ratio ≤ 2.
 *
 * Run: `npm run bench:sales` after `flock /tmp/paksa-build.lock npx nuxt build`. See bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { createTestDatabase, type TestDatabase } from '../tests/support/database'
import { adminSignIn, createTenantVia, type Client, type Target, type TestTenant } from '../tests/support/http'
import type { RunningServer } from '../tests/support/server'
import { latencyLine, ms, openYear, runConcurrent, timeRuns, type Phase, startBenchServer } from './support/harness'

const INVOICES_TO_ISSUE = Number(process.env.BENCH_INVOICES ?? 2000)
const AGING_DOCUMENTS = Number(process.env.BENCH_AGING_DOCUMENTS ?? 100_000)
const AGING_CUSTOMERS = 1000
const CONCURRENCY = 16
const REPORT_RUNS = 30
const WHOLE_RUN_TIMEOUT_MS = 40 * 60_000

interface Json { id: string }

function expectStatus(res: { status: number, text: string, body: unknown }, status: number, what: string): Json {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text}`)
  return res.body as Json
}

interface SalesTenant { tenant: TestTenant, customers: string[], income: string, vat: string, reduced: string }

/** A standard-chart tenant with its 2025 year open, two sales tax rates and one customer per client. */
async function salesTenant(target: Target, server: RunningServer, adminToken: string, sql: postgres.Sql): Promise<SalesTenant> {
  const tenant = await createTenantVia(target, server.port, adminToken, { prefix: 'sales', chartOfAccounts: 'standard', name: 'Bench Trading Ltd' })
  await openYear(sql, tenant.id)
  const c: Client = tenant.asOwner
  const [{ income }] = await sql`select id as income from accounts where tenant_id = ${tenant.id} and code = '4000'` as unknown as [{ income: string }]
  const vat = expectStatus(await c.post('/api/v1/tax-rates', { json: { code: 'VAT20', name: 'VAT 20%', rate: '20', scope: 'sales' } }), 201, 'tax rate').id
  const reduced = expectStatus(await c.post('/api/v1/tax-rates', { json: { code: 'VAT5', name: 'VAT 5%', rate: '5', scope: 'sales' } }), 201, 'tax rate').id
  const customers: string[] = []
  for (let i = 0; i < CONCURRENCY; i++) customers.push(expectStatus(await c.post('/api/v1/customers', { json: { name: `Customer ${i}`, email: `ap${i}@customer.test` } }), 201, 'customer').id)
  return { tenant, customers, income, vat, reduced }
}

const invoiceBody = (s: SalesTenant, i: number, worker: number) => ({
  customerId: s.customers[worker % s.customers.length], date: `2025-12-${String((i % 28) + 1).padStart(2, '0')}`, amountsAre: 'exclusive', issue: true,
  lines: [
    { description: 'Consulting, per hour', quantity: '3', unitPrice: `${(i % 500) + 10}.99`, discountPercent: '10', accountId: s.income, taxRateId: s.vat },
    { description: 'Licence', quantity: '1', unitPrice: '249.00', accountId: s.income, taxRateId: s.vat },
    { description: 'Books', quantity: '2', unitPrice: '12.50', accountId: s.income, taxRateId: s.reduced },
  ],
})

const entryBody = (i: number) => ({
  date: `2025-12-${String((i % 28) + 1).padStart(2, '0')}`, memo: `Bench entry ${i}`, post: true,
  lines: [{ accountCode: '1000', debit: `${(i % 1000) + 1}.25` }, { accountCode: '4000', credit: `${(i % 1000) + 1}.25` }],
})

const throughput = (label: string, p: Phase & { failed: number }) =>
  console.log(`  ${label}: ${p.done} in ${p.seconds.toFixed(1)} s = ${p.rate.toFixed(1)}/s${p.failed ? ` (${p.failed} refused)` : ''}  ${latencyLine(p)}`)

async function main() {
  const started = Date.now()
  let db: TestDatabase | undefined
  let server: RunningServer | undefined
  let sql: postgres.Sql | undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-bench-sales-'))
  const agent = new Agent({ keepAlive: true, maxSockets: 2 * CONCURRENCY })
  const cleanup = async () => {
    await sql?.end({ timeout: 5 }).catch(() => {})
    await server?.stop().catch(() => {})
    if (process.env.BENCH_KEEP_DB) console.log(`kept ${db?.url}`)
    else await db?.drop().catch(err => console.error('bench: could not drop the database:', err))
    rmSync(dataDir, { recursive: true, force: true })
    agent.destroy()
  }
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WHOLE_RUN_TIMEOUT_MS / 60_000} minutes`)
    void cleanup().finally(() => process.exit(2))
  }, WHOLE_RUN_TIMEOUT_MS)
  try {
    console.log(`sales bench: ${INVOICES_TO_ISSUE} invoices of three taxed lines from ${CONCURRENCY} clients; aging at ${AGING_DOCUMENTS.toLocaleString('en')} invoices and receipts`)
    db = await createTestDatabase()
    const bench = await startBenchServer(db.url, dataDir)
    server = bench.server
    const target: Target = { baseUrl: server.url, agent, timeoutMs: 30_000 }
    sql = postgres(db.url, { max: 4, onnotice: () => {} })
    const adminToken = await adminSignIn(target, server.port, bench.admin)
    const s = await salesTenant(target, server, adminToken, sql)
    const c = s.tenant.asOwner

    // Warm-up: each pool connection prepares its statements on first use.
    await runConcurrent(4 * CONCURRENCY, CONCURRENCY, async (i, w) => (await c.post('/api/v1/invoices', { json: invoiceBody(s, 900_000 + i, w) })).status === 201)
    await runConcurrent(4 * CONCURRENCY, CONCURRENCY, async i => (await c.post('/api/v1/journal-entries', { json: entryBody(900_000 + i) })).status === 201)

    console.log(`\n(a) one tenant, ${CONCURRENCY} clients`)
    const entries = await runConcurrent(INVOICES_TO_ISSUE, CONCURRENCY, async i => (await c.post('/api/v1/journal-entries', { json: entryBody(i) })).status === 201)
    throughput('POST /api/v1/journal-entries (post: true), 2 lines', entries)
    const invoices = await runConcurrent(INVOICES_TO_ISSUE, CONCURRENCY, async (i, w) => (await c.post('/api/v1/invoices', { json: invoiceBody(s, i, w) })).status === 201)
    throughput('POST /api/v1/invoices (issue: true), 3 taxed lines', invoices)
    console.log(`  ratio invoices/s to entries/s: ${(invoices.rate / entries.rate).toFixed(3)} (goal ≥ 0.5)`)
    const [numbers] = await sql`select count(*)::int as n, min(substr(number, 5)::int) as lo, max(substr(number, 5)::int) as hi
      from sales_documents where tenant_id = ${s.tenant.id} and kind = 'invoice' and status <> 'draft'`
    console.log(`  invoice numbers: ${numbers!.n} issued, ${numbers!.lo}…${numbers!.hi} (gapless: ${numbers!.hi - numbers!.lo + 1 === numbers!.n})`)

    console.log(`\n(b) AR aging at ${AGING_DOCUMENTS.toLocaleString('en')} invoices and ${AGING_DOCUMENTS.toLocaleString('en')} receipts, ${REPORT_RUNS} sequential requests after one warm-up`)
    const aging = await createTenantVia(target, server.port, adminToken, { prefix: 'aging', chartOfAccounts: 'standard', name: 'Bench Aging Ltd' })
    await openYear(sql, aging.id)
    const t = performance.now()
    await seedAging(sql, aging.id)
    console.log(`  seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    const bare = await timeRuns(REPORT_RUNS, async () => {
      await sql!`select customer_id, sum(open) from (
          select customer_id, total - amount_allocated as open from sales_documents where tenant_id = ${aging.id} and kind = 'invoice'
          union all select customer_id, amount_allocated - amount from receipts where tenant_id = ${aging.id}) s
        group by 1`
    })
    console.log(`  bare group by customer over the invoices and receipts (SQL, no HTTP): p50 ${ms(bare.p50)}  p95 ${ms(bare.p95)}`)
    let day = 0
    const report = await timeRuns(REPORT_RUNS, async () => {
      day++
      const asOf = `2025-${String(10 + (day % 3)).padStart(2, '0')}-${String((day % 28) + 1).padStart(2, '0')}`
      expectStatus(await aging.asOwner.get(`/api/v1/reports/ar-aging?asOf=${asOf}`), 200, 'aging')
    })
    console.log(`  GET /api/v1/reports/ar-aging (a new date each request): p50 ${ms(report.p50)}  p95 ${ms(report.p95)}`)
    console.log(`  ratio aging p50 to bare p50: ${(report.p50 / bare.p50).toFixed(3)} (goal ≤ 2)  p95 ${(report.p95 / bare.p95).toFixed(3)}`)
    console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
  finally {
    clearTimeout(watchdog)
    await cleanup()
  }
}

/**
 * AGING_DOCUMENTS issued invoices and as many receipts over 2025 for AGING_CUSTOMERS customers, by SQL
 * as the owner with `session_replication_role = replica` (no per-row trigger: the allocation
 * triggers' arithmetic is written directly, consistent with the rows). Invoice i: net
 * ((i × 7919) mod 100,000 + 100) / 100 plus 20% tax, due 30 days later; its receipt, dated up to
 * 59 days after it, pays it in full (i mod 3 = 0), half (1), or in full with 10.00 over (2, the
 * rest left as the customer's credit). One posted entry stands for every document's posting: the
 * report reads the subledger, not the ledger.
 */
async function seedAging(sql: postgres.Sql, tenantId: string) {
  const n = AGING_DOCUMENTS
  await sql.begin(async (tx) => {
    await tx`set local session_replication_role = replica`
    const [{ entry, bank }] = await tx`
      with p as (select id, fiscal_year_id from fiscal_periods where tenant_id = ${tenantId} and start_date = '2025-01-01')
      insert into journal_entries (tenant_id, fiscal_year_id, period_id, number, date, memo, currency, exchange_rate, status, kind, posted_at)
      select ${tenantId}, p.fiscal_year_id, p.id, 1, '2025-01-01', 'Bench documents', 'USD', 1, 'posted', 'manual', now() from p
      returning id as entry, (select id from accounts where tenant_id = ${tenantId} and code = '1010') as bank` as unknown as [{ entry: string, bank: string }]
    await tx`insert into customers (tenant_id, name) select ${tenantId}, 'Customer ' || lpad(c::text, 4, '0') from generate_series(1, ${AGING_CUSTOMERS}) c`
    await tx`create temp table bench_customers on commit drop as
      select (row_number() over (order by name) - 1)::int as k, id from customers where tenant_id = ${tenantId}`
    await tx`create temp table bench_docs on commit drop as
      select i, c.id as customer_id, d as date, least(d + (i % 60), '2025-12-31'::date) as paid_on, net, round(net * 0.2, 2) as tax, net + round(net * 0.2, 2) as total
        from (select i, ('2025-01-01'::date + ((i - 1)::bigint * 365 / ${n})::int) as d, ((i::bigint * 7919) % 100000 + 100) / 100.0 as net
                from generate_series(1, ${n}) i) s
        join bench_customers c on c.k = s.i % ${AGING_CUSTOMERS}`
    await tx`alter table bench_docs add column invoice_id uuid default app_uuid_v7(), add column receipt_id uuid default app_uuid_v7(),
      add column paid numeric generated always as (case when i % 3 = 1 then round(total / 2, 2) else total end) stored`
    await tx`insert into sales_documents (tenant_id, id, kind, customer_id, number, status, date, due_date, currency, exchange_rate, amounts_are,
        subtotal, tax_total, total, amount_allocated, journal_entry_id, issued_at)
      select ${tenantId}, invoice_id, 'invoice', customer_id, 'INV-' || lpad(i::text, 6, '0'), case when paid = total then 'paid' else 'partially_paid' end,
             date, date + 30, 'USD', 1, 'exclusive', net, tax, total, paid, ${entry}, now()
        from bench_docs`
    await tx`insert into receipts (tenant_id, id, number, customer_id, date, amount, currency, exchange_rate, deposit_account_id, amount_allocated, journal_entry_id)
      select ${tenantId}, receipt_id, 'RCT-' || lpad(i::text, 6, '0'), customer_id, paid_on, case when i % 3 = 2 then paid + 10 else paid end, 'USD', 1, ${bank}, paid, ${entry}
        from bench_docs`
    await tx`insert into sales_allocations (tenant_id, invoice_id, receipt_id, customer_id, currency, date, amount, base_amount_invoice, base_amount_source,
        invoice_date, invoice_due, source_date)
      select ${tenantId}, invoice_id, receipt_id, customer_id, 'USD', paid_on, paid, paid, paid, date, date + 30, paid_on from bench_docs`
  })
  await sql`analyze customers, sales_documents, receipts, sales_allocations`
  await sql`checkpoint`
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
