/**
 * Ledger benchmark (SPEC section 8): posting throughput through the API against raw SQL doing the
 * same writes, and report latency at one million journal lines against a bare aggregate query.
 * Both sides of each ratio are measured in the same run, on the same database.
 *
 * Run: `npm run bench:ledger` after `flock /tmp/paksa-build.lock npx nuxt build`. See bench/README.md.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { createTestDatabase, type TestDatabase } from '../tests/support/database'
import { startServer, type RunningServer } from '../tests/support/server'

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000)
const ENTRIES_TO_POST = Number(process.env.BENCH_POSTS ?? 2000)
const CONCURRENCY = 16
const REPORT_RUNS = 30
const REQUEST_TIMEOUT_MS = 30_000
const PHASE_TIMEOUT_MS = 300_000
const WHOLE_RUN_TIMEOUT_MS = 25 * 60_000

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })

interface Res { status: number, body: unknown }

/** node:http to 127.0.0.1 with a Host header naming the tenant (fetch will not send another Host). */
function call(server: RunningServer, method: string, host: string, path: string, token?: string, json?: unknown): Promise<Res> {
  const body = json === undefined ? undefined : JSON.stringify(json)
  const headers: Record<string, string> = { host }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: unknown = text
        try {
          parsed = JSON.parse(text)
        }
        catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)))
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

function expectStatus(res: Res, status: number, what: string): Record<string, string> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as Record<string, string>
}

/** Runs `count` jobs on `workers` concurrent loops; stops early (and says so) past the phase deadline. */
async function runConcurrent(count: number, workers: number, job: (i: number, worker: number) => Promise<void>) {
  let next = 0
  const deadline = Date.now() + PHASE_TIMEOUT_MS
  const started = performance.now()
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < count && Date.now() < deadline) await job(next++, w)
  }))
  const seconds = (performance.now() - started) / 1000
  return { done: Math.min(next, count), seconds }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!
}

async function timeRuns(runs: number, once: () => Promise<void>) {
  await once() // warm-up, not counted
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await once()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) }
}

const ms = (v: number) => `${v.toFixed(1)} ms`

/** One million posted lines for the tenant, by SQL as the owner, with balances and counters to match. */
async function seed(sql: postgres.Sql, tenantId: string, entries: number) {
  await sql.begin(async (tx) => {
    // Bulk load: no per-row triggers (balance check, immutability, balances); balances are computed once below.
    await tx`set local session_replication_role = replica`
    const [year] = await tx`insert into fiscal_years (tenant_id, start_date, end_date) values (${tenantId}, '2025-01-01', '2025-12-31') returning id`
    await tx`insert into fiscal_periods (tenant_id, fiscal_year_id, number, start_date, end_date)
      select ${tenantId}, ${year!.id}, m, make_date(2025, m, 1), (make_date(2025, m, 1) + interval '1 month' - interval '1 day')::date
        from generate_series(1, 12) m`
    await tx`create temp table bench_accounts on commit drop as
      select (row_number() over (order by code) - 1)::int as k, id from accounts a
       where tenant_id = ${tenantId} and currency is null and system_key is null
         and not exists (select 1 from accounts c where c.tenant_id = a.tenant_id and c.parent_id = a.id)`
    const [{ n }] = await tx`select count(*)::int as n from bench_accounts` as unknown as [{ n: number }]
    // Numbers 1..N in date order across the year: gapless, like posting would leave them.
    await tx`insert into journal_entries (tenant_id, fiscal_year_id, period_id, number, date, memo, currency, exchange_rate, status, kind, posted_at)
      select ${tenantId}, ${year!.id}, p.id, s.i, s.d, 'Bench entry ' || s.i, 'USD', 1, 'posted', 'manual', now()
        from (select i, ('2025-01-01'::date + ((i - 1)::bigint * 365 / ${entries})::int) as d from generate_series(1, ${entries}) i) s
        join fiscal_periods p on p.tenant_id = ${tenantId} and s.d between p.start_date and p.end_date`
    // Debit account k, credit a different one; amounts 0.01 .. 1000.00.
    await tx`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
      select e.tenant_id, e.id, side, a.id,
             case when side = 1 then amt else 0 end, case when side = 2 then amt else 0 end,
             case when side = 1 then amt else 0 end, case when side = 2 then amt else 0 end, e.date
        from (select tenant_id, id, date, number, ((number::bigint * 7919) % 100000 + 1) / 100.0 as amt,
                     number % ${n} as k1, (number % ${n} + 1 + number % (${n} - 1)) % ${n} as k2
                from journal_entries where tenant_id = ${tenantId}) e
        cross join generate_series(1, 2) side
        join bench_accounts a on a.k = case when side = 1 then e.k1 else e.k2 end`
    await tx`insert into account_balances (tenant_id, account_id, period_id, debit, credit)
      select l.tenant_id, l.account_id, e.period_id, sum(l.base_debit), sum(l.base_credit)
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where l.tenant_id = ${tenantId} group by 1, 2, 3`
    await tx`insert into entry_counters (tenant_id, fiscal_year_id, last_number) values (${tenantId}, ${year!.id}, ${entries})`
  })
  await sql`analyze accounts, fiscal_periods, journal_entries, journal_lines, account_balances`
}

/**
 * Holds /tmp/paksa-build.lock (the lock every `nuxt build` here runs under) while the server's build
 * snapshot is taken, so a concurrent rebuild cannot leave `.output` half-written under us.
 */
function holdBuildLock(): Promise<() => void> {
  return new Promise((resolve, reject) => {
    // -o: only flock itself holds the lock; it lets go when `cat` ends, i.e. when we close its stdin.
    const child = spawn('flock', ['-o', '-w', '600', '/tmp/paksa-build.lock', 'sh', '-c', 'echo locked; exec cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] })
    child.once('error', reject)
    child.once('exit', code => reject(new Error(`could not take the build lock (flock exited ${code})`)))
    child.stdout.once('data', () => {
      child.removeAllListeners('exit')
      resolve(() => child.stdin.end())
    })
  })
}

async function main() {
  const started = Date.now()
  let db: TestDatabase | undefined
  let server: RunningServer | undefined
  let dataDir: string | undefined
  let sql: postgres.Sql | undefined
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WHOLE_RUN_TIMEOUT_MS / 60_000} minutes`)
    void cleanup().finally(() => process.exit(2))
  }, WHOLE_RUN_TIMEOUT_MS)
  async function cleanup() {
    await sql?.end({ timeout: 5 }).catch(() => {})
    await server?.stop().catch(() => {})
    await db?.drop().catch(err => console.error('bench: could not drop the database:', err))
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    agent.destroy()
  }
  try {
    console.log(`ledger bench: ${LINES.toLocaleString('en')} seeded lines, ${ENTRIES_TO_POST} posted entries at concurrency ${CONCURRENCY}`)
    db = await createTestDatabase()
    dataDir = mkdtempSync(join(tmpdir(), 'paksa-bench-data-'))
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: 'admin@paksa.bench',
      ADMIN_PASSWORD: `admin-${randomBytes(9).toString('hex')}`,
      DATA_DIR: dataDir,
    }
    const release = await holdBuildLock()
    try {
      server = await startServer(env)
    }
    finally {
      release()
    }
    sql = postgres(db.url, { max: CONCURRENCY, onnotice: () => {} })
    console.log(`database: ${process.env.DATABASE_URL ? 'new database on DATABASE_URL\'s server' : 'embedded PostgreSQL'}; server on ${server.url}`)

    const admin = `admin.localhost:${server.port}`
    const adminToken = expectStatus(await call(server, 'POST', admin, '/api/v1/admin/auth/login', undefined, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }), 200, 'admin login').accessToken!
    const slug = `bench${randomBytes(3).toString('hex')}`
    const owner = { email: `owner@${slug}.test`, name: 'Owner', password: `Pw-${randomBytes(12).toString('base64url')}` }
    const tenant = expectStatus(await call(server, 'POST', admin, '/api/v1/admin/tenants', adminToken, { slug, name: 'Bench', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard', owner }), 201, 'tenant create')
    const host = `${slug}.localhost:${server.port}`
    const tenantId = tenant.id!
    const ownerToken = expectStatus(await call(server, 'POST', host, '/api/v1/auth/login', undefined, { email: owner.email, password: owner.password }), 200, 'owner login').accessToken!

    const t = performance.now()
    await seed(sql, tenantId, LINES / 2)
    const [counts] = await sql`select count(*)::int as lines, (select count(*)::int from journal_entries where tenant_id = ${tenantId}) as entries from journal_lines where tenant_id = ${tenantId}`
    console.log(`seeded ${counts!.lines.toLocaleString('en')} lines in ${counts!.entries.toLocaleString('en')} posted entries in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    // (a) Posting throughput. The API allows 600 requests a minute per user, so each of the 16
    // clients is its own accountant, as 16 real clients would be.
    const tokens: string[] = []
    for (let i = 0; i < CONCURRENCY; i++) {
      const member = { email: `poster${i}@${slug}.test`, name: `Poster ${i}`, password: `Pw-${randomBytes(12).toString('base64url')}`, roles: ['accountant'] }
      expectStatus(await call(server, 'POST', host, '/api/v1/users', ownerToken, member), 201, 'member create')
      tokens.push(expectStatus(await call(server, 'POST', host, '/api/v1/auth/login', undefined, { email: member.email, password: member.password }), 200, 'member login').accessToken!)
    }
    const entryBody = (i: number) => ({
      date: `2025-12-${String((i % 28) + 1).padStart(2, '0')}`, memo: `Bench API ${i}`, post: true,
      lines: [{ accountCode: '1000', debit: `${(i % 1000) + 1}.25` }, { accountCode: '4000', credit: `${(i % 1000) + 1}.25` }],
    })
    let apiErrors = 0
    const api = await runConcurrent(ENTRIES_TO_POST, CONCURRENCY, async (i, w) => {
      const res = await call(server!, 'POST', host, '/api/v1/journal-entries', tokens[w], entryBody(i))
      if (res.status !== 201) apiErrors++
    })

    const [ids] = await sql`select (select id from accounts where tenant_id = ${tenantId} and code = '1000') as cash,
      (select id from accounts where tenant_id = ${tenantId} and code = '4000') as sales,
      (select id from fiscal_years where tenant_id = ${tenantId} and start_date = '2025-01-01') as year`
    const periodOf = new Map((await sql`select id, start_date::text as s from fiscal_periods where tenant_id = ${tenantId}`).map(r => [r.s as string, r.id as string]))
    const december = periodOf.get('2025-12-01')!
    // The same writes as posting: draft entry, two lines, the year's counter row, the status update
    // (balance trigger, deferred balance check at commit), one transaction per entry.
    const raw = await runConcurrent(ENTRIES_TO_POST, CONCURRENCY, async (i) => {
      const b = entryBody(i)
      const amount = b.lines[0]!.debit!
      await sql!.begin(async (tx) => {
        const [e] = await tx`insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate)
          values (${tenantId}, ${ids!.year}, ${december}, ${b.date}, ${`Bench SQL ${i}`}, 'USD', 1) returning id`
        await tx`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date) values
          (${tenantId}, ${e!.id}, 1, ${ids!.cash}, ${amount}, 0, ${amount}, 0, ${b.date}),
          (${tenantId}, ${e!.id}, 2, ${ids!.sales}, 0, ${amount}, 0, ${amount}, ${b.date})`
        const [c] = await tx`update entry_counters set last_number = last_number + 1 where tenant_id = ${tenantId} and fiscal_year_id = ${ids!.year} returning last_number`
        await tx`update journal_entries set status = 'posted', number = ${c!.last_number}, posted_at = now() where tenant_id = ${tenantId} and id = ${e!.id}`
      })
    })
    const apiRate = api.done / api.seconds
    const rawRate = raw.done / raw.seconds
    console.log('\n(a) posting throughput, 2-line entries, 16 concurrent clients')
    console.log(`  API  POST /api/v1/journal-entries (post: true): ${api.done} entries in ${api.seconds.toFixed(1)} s = ${apiRate.toFixed(1)} entries/s${apiErrors ? ` (${apiErrors} not 201)` : ''}`)
    console.log(`  raw SQL, same writes, 16 connections:          ${raw.done} entries in ${raw.seconds.toFixed(1)} s = ${rawRate.toFixed(1)} entries/s`)
    console.log(`  ratio API / SQL: ${(apiRate / rawRate).toFixed(3)} (SQL is ${(rawRate / apiRate).toFixed(1)}× faster)`)

    // (b) Report latency at one million lines against the bare aggregate.
    console.log(`\n(b) report latency, ${REPORT_RUNS} sequential requests each after one warm-up`)
    const bare = await timeRuns(REPORT_RUNS, async () => {
      await sql!`select account_id, sum(base_debit), sum(base_credit) from journal_lines where tenant_id = ${tenantId} group by 1`
    })
    console.log(`  bare aggregate over journal_lines: p50 ${ms(bare.p50)}  p95 ${ms(bare.p95)}`)
    // Reports are cached per ledger version (server/domain/reports/cache.ts): "computed" asks for a
    // different date each time (every request a cache miss), "cached" repeats one date (hits).
    for (const base of ['/api/v1/reports/trial-balance', '/api/v1/reports/balance-sheet']) {
      const path = `${base}?asOf=2025-12-31`
      const probe = await call(server, 'GET', host, path, ownerToken)
      if (probe.status === 404) {
        console.log(`  ${path}: skipped — the route does not exist in this build (404)`)
        continue
      }
      if (probe.status !== 200) {
        console.log(`  ${path}: skipped — answered ${probe.status} ${JSON.stringify(probe.body).slice(0, 200)}`)
        continue
      }
      let day = 0
      const computed = await timeRuns(REPORT_RUNS, async () => {
        day = day % 31 + 1
        const dated = `${base}?asOf=2025-10-${String(day).padStart(2, '0')}`
        expectStatus(await call(server!, 'GET', host, dated, ownerToken), 200, dated)
      })
      console.log(`  GET ${base} computed (a new date each time): p50 ${ms(computed.p50)}  p95 ${ms(computed.p95)}  ratio to bare p50 ${(computed.p50 / bare.p50).toFixed(2)}  p95 ${(computed.p95 / bare.p95).toFixed(2)}`)
      const cached = await timeRuns(REPORT_RUNS, async () => {
        expectStatus(await call(server!, 'GET', host, path, ownerToken), 200, path)
      })
      console.log(`  GET ${path} cached: p50 ${ms(cached.p50)}  p95 ${ms(cached.p95)}  ratio to bare p50 ${(cached.p50 / bare.p50).toFixed(2)}`)
    }
    console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
  finally {
    clearTimeout(watchdog)
    await cleanup()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
