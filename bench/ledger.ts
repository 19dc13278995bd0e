/**
 * Ledger benchmark (SPEC section 8), every figure against a baseline measured in the same run:
 *   (a) posting throughput, one tenant with 16 clients, API against raw SQL doing the same writes
 *       with the same guarantees in one round trip per entry;
 *   (b) the same with 16 tenants, one client each;
 *   (c) posting latency percentiles for both;
 *   (d) report latency at one million journal lines, computed and cached, against a bare aggregate;
 *   (e) good-entry throughput while another client sends 50% bad entries, against good entries only.
 *
 * Run: `npm run bench:ledger` after `flock /tmp/paksa-build.lock npx nuxt build`. See bench/README.md.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent } from 'node:http'
import { createConnection, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { createTestDatabase, type TestDatabase } from '../tests/support/database'
import { send } from '../tests/support/http'
import { startServer, type RunningServer } from '../tests/support/server'
import { cpuProfileArgs, holdBuildLock, latencyLine, ms, openYear, percentile, runConcurrent, timeRuns, type Phase } from './support/harness'

const LINES = Number(process.env.LINES ?? process.env.BENCH_LINES ?? 1_000_000)
const ENTRIES_TO_POST = Number(process.env.BENCH_POSTS ?? 2000)
const CONCURRENCY = 16
const REPORT_RUNS = 30
const REQUEST_TIMEOUT_MS = 30_000
const WHOLE_RUN_TIMEOUT_MS = 40 * 60_000
/** BENCH_ROUND_TRIPS=1: the server reaches PostgreSQL and Redis through counting proxies, and (f) counts round trips per request. */
const COUNT_ROUND_TRIPS = process.env.BENCH_ROUND_TRIPS === '1'
const SEQUENTIAL_RUNS = 20

const agent = new Agent({ keepAlive: true, maxSockets: 2 * CONCURRENCY })

interface Res { status: number, body: unknown }

/** The tests' client (tests/support/http.ts) over a keep-alive agent, with a per-request deadline. */
function call(server: RunningServer, method: string, host: string, path: string, token?: string, json?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return send({ baseUrl: server.url, agent, timeoutMs: REQUEST_TIMEOUT_MS }, method, host, path, { token, json, headers })
}

function expectStatus(res: Res, status: number, what: string): Record<string, string> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as Record<string, string>
}

/** `entries` posted two-line entries for the tenant's year 2025, by SQL as the owner, with the balances and counter to match. */
async function seedLines(sql: postgres.Sql, tenantId: string, yearId: string, entries: number) {
  await sql.begin(async (tx) => {
    // Bulk load: no per-row triggers (balance check, immutability, balances); balances are computed once below.
    await tx`set local session_replication_role = replica`
    await tx`create temp table bench_accounts on commit drop as
      select (row_number() over (order by code) - 1)::int as k, id from accounts a
       where tenant_id = ${tenantId} and currency is null and system_key is null
         and not exists (select 1 from accounts c where c.tenant_id = a.tenant_id and c.parent_id = a.id)`
    const [{ n }] = await tx`select count(*)::int as n from bench_accounts` as unknown as [{ n: number }]
    // Numbers 1..N in date order across the year: gapless, like posting would leave them.
    await tx`insert into journal_entries (tenant_id, fiscal_year_id, period_id, number, date, memo, currency, exchange_rate, status, kind, posted_at)
      select ${tenantId}, ${yearId}, p.id, s.i, s.d, 'Bench entry ' || s.i, 'USD', 1, 'posted', 'manual', now()
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
    // The balances posting keeps (db/migrations/0004, 0009), computed once for the whole load.
    await tx`insert into account_balances (tenant_id, account_id, period_id, debit, credit)
      select l.tenant_id, l.account_id, e.period_id, sum(l.base_debit), sum(l.base_credit)
        from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
       where l.tenant_id = ${tenantId} group by 1, 2, 3`
    await tx`insert into account_day_balances (tenant_id, day, account_id, debit, credit)
      select tenant_id, entry_date, account_id, sum(base_debit), sum(base_credit)
        from journal_lines where tenant_id = ${tenantId} group by 1, 2, 3`
    await tx`update entry_counters set last_number = ${entries} where tenant_id = ${tenantId} and fiscal_year_id = ${yearId}`
  })
  await sql`analyze accounts, fiscal_periods, journal_entries, journal_lines, account_balances, account_day_balances, audit_events`
  // Write the load out now, so its checkpoint does not land in the first measurements.
  await sql`checkpoint`
}

/**
 * The raw-SQL baseline: one posting in one statement, so one round trip. The same writes and
 * guarantees as the API's posting: the draft entry and its lines first, then, under the tenant's
 * audit-chain lock, the year's next number from the counter row (gapless), draft → posted (which
 * fires the guard, balance, day-balance and ledger-version triggers, and the deferred balance check
 * at commit) and one chained audit event. Created in the benchmark's throw-away database only.
 */
const RAW_POST_FUNCTION = `
create function bench_post(p_tenant uuid, p_year uuid, p_period uuid, p_date date, p_memo text, p_debit uuid, p_credit uuid, p_amount numeric)
returns integer language plpgsql as $$
declare
  e uuid;
  n integer;
begin
  insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate)
  values (p_tenant, p_year, p_period, p_date, p_memo, 'USD', 1) returning id into e;
  insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date) values
    (p_tenant, e, 1, p_debit, p_amount, 0, p_amount, 0, p_date),
    (p_tenant, e, 2, p_credit, 0, p_amount, 0, p_amount, p_date);
  perform pg_advisory_xact_lock(hashtextextended('audit:' || p_tenant::text, 0));
  update entry_counters set last_number = last_number + 1 where tenant_id = p_tenant and fiscal_year_id = p_year returning last_number into n;
  update journal_entries set status = 'posted', number = n, posted_at = now() where tenant_id = p_tenant and id = e;
  insert into audit_events (tenant_id, actor_type, action, entity_type, entity_id, after, seq, prev_hash, hash)
  values (p_tenant, 'system', 'journal_entry.post', 'journal_entry', e::text,
          jsonb_build_object('entryId', e, 'number', n, 'date', p_date, 'memo', p_memo), 0, '', '');
  return n;
end $$`

/**
 * A TCP proxy that counts round trips: each time the client sends after the server last answered
 * (or first) is one. Pipelined statements sent in one go count once, as they cost one wait.
 */
interface CountingProxy { port: number, turns: () => number, close: () => Promise<void> }
async function countingProxy(host: string, port: number): Promise<CountingProxy> {
  let turns = 0
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port })
    let clientSpoke = false
    sockets.add(client).add(upstream)
    client.on('data', (d) => {
      if (!clientSpoke) turns++
      clientSpoke = true
      upstream.write(d)
    })
    upstream.on('data', (d) => {
      clientSpoke = false
      client.write(d)
    })
    const end = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('close', end).on('error', end)
    upstream.on('close', end).on('error', end)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    turns: () => turns,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    }),
  }
}

/** utime + stime of a process in milliseconds (/proc/<pid>/stat, clock ticks of 10 ms), 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  }
  catch {
    return 0
  }
}

/**
 * CPU of a process (the server, or none: 0) and of the PostgreSQL backends named `application`
 * (the server's pool is `paksa`, the benchmark's own raw-SQL connections `postgres.js`) over `work`.
 */
async function cpuOver<T>(sql: postgres.Sql, serverPid: number, work: () => Promise<T>, application = 'paksa'): Promise<{ result: T, node: number, pg: number }> {
  const backends = async () => (await sql`select pid from pg_stat_activity where datname = current_database() and application_name = ${application}`).map(r => r.pid as number)
  const before = new Map((await backends()).map(pid => [pid, cpuMs(pid)]))
  const node0 = cpuMs(serverPid)
  const result = await work()
  const node = cpuMs(serverPid) - node0
  let pg = 0
  for (const pid of new Set([...before.keys(), ...await backends()])) pg += cpuMs(pid) - (before.get(pid) ?? 0)
  return { result, node, pg }
}

interface BenchTenant {
  id: string
  host: string
  ownerToken: string
  yearId: string
  december: string
  cash: string
  sales: string
}

const entryBody = (i: number) => ({
  date: `2025-12-${String((i % 28) + 1).padStart(2, '0')}`, memo: `Bench API ${i}`, post: true,
  lines: [{ accountCode: '1000', debit: `${(i % 1000) + 1}.25` }, { accountCode: '4000', credit: `${(i % 1000) + 1}.25` }],
})

async function main() {
  const started = Date.now()
  let db: TestDatabase | undefined
  let server: RunningServer | undefined
  let dataDir: string | undefined
  let sql: postgres.Sql | undefined
  const proxies: CountingProxy[] = []
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WHOLE_RUN_TIMEOUT_MS / 60_000} minutes`)
    void cleanup().finally(() => process.exit(2))
  }, WHOLE_RUN_TIMEOUT_MS)
  async function cleanup() {
    await sql?.end({ timeout: 5 }).catch(() => {})
    await server?.stop().catch(() => {})
    await Promise.all(proxies.map(p => p.close()))
    await db?.drop().catch(err => console.error('bench: could not drop the database:', err))
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    agent.destroy()
  }
  try {
    console.log(`ledger bench: ${LINES.toLocaleString('en')} seeded lines, ${ENTRIES_TO_POST} posted entries per posting phase, ${CONCURRENCY} clients`)
    db = await createTestDatabase()
    dataDir = mkdtempSync(join(tmpdir(), 'paksa-bench-data-'))
    // With BENCH_ROUND_TRIPS=1 the server's connections go through counting proxies (f).
    const proxied = async (url: string | undefined, defaultPort: number) => {
      if (!url || !COUNT_ROUND_TRIPS) return { url, proxy: undefined }
      const u = new URL(url)
      const proxy = await countingProxy(u.hostname, Number(u.port || defaultPort))
      proxies.push(proxy)
      u.hostname = '127.0.0.1'
      u.port = String(proxy.port)
      return { url: u.toString(), proxy }
    }
    const pg = await proxied(db.url, 5432)
    const redis = await proxied(process.env.REDIS_URL, 6379)
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      ADMIN_EMAIL: 'admin@paksa.bench',
      ADMIN_PASSWORD: `admin-${randomBytes(9).toString('hex')}`,
      DATA_DIR: dataDir,
      // A load test is a trusted client: the per-user limit (default 600 a minute) would be the ceiling.
      API_RATE_LIMIT_PER_MINUTE: '1000000',
    }
    const release = await holdBuildLock()
    try {
      server = await startServer(env, { nodeArgs: cpuProfileArgs() })
    }
    finally {
      release()
    }
    sql = postgres(db.url, { max: CONCURRENCY + 2, onnotice: () => {} })
    const [{ version }] = await sql`select current_setting('server_version') as version` as unknown as [{ version: string }]
    console.log(`database: ${process.env.DATABASE_URL ? 'new database on DATABASE_URL\'s server' : 'embedded PostgreSQL'} ${version}; server on ${server.url}`)
    await sql.unsafe(RAW_POST_FUNCTION)

    const admin = `admin.localhost:${server.port}`
    const adminToken = expectStatus(await call(server, 'POST', admin, '/api/v1/admin/auth/login', undefined, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD }), 200, 'admin login').accessToken!
    const newTenant = async (): Promise<BenchTenant> => {
      const slug = `bench${randomBytes(3).toString('hex')}`
      const owner = { email: `owner@${slug}.test`, name: 'Owner', password: `Pw-${randomBytes(12).toString('base64url')}` }
      const tenant = expectStatus(await call(server!, 'POST', admin, '/api/v1/admin/tenants', adminToken, { slug, name: 'Bench', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard', owner }), 201, 'tenant create')
      const host = `${slug}.localhost:${server!.port}`
      const ownerToken = expectStatus(await call(server!, 'POST', host, '/api/v1/auth/login', undefined, { email: owner.email, password: owner.password }), 200, 'owner login').accessToken!
      const yearId = await openYear(sql!, tenant.id!)
      const [ids] = await sql!`select (select id from accounts where tenant_id = ${tenant.id!} and code = '1000') as cash,
        (select id from accounts where tenant_id = ${tenant.id!} and code = '4000') as sales,
        (select id from fiscal_periods where tenant_id = ${tenant.id!} and start_date = '2025-12-01') as december`
      return { id: tenant.id!, host, ownerToken, yearId, december: ids!.december, cash: ids!.cash, sales: ids!.sales }
    }
    const first = await newTenant()

    let t = performance.now()
    await seedLines(sql, first.id, first.yearId, LINES / 2)
    const [counts] = await sql`select count(*)::int as lines, (select count(*)::int from journal_entries where tenant_id = ${first.id}) as entries from journal_lines where tenant_id = ${first.id}`
    console.log(`seeded ${counts!.lines.toLocaleString('en')} lines in ${counts!.entries.toLocaleString('en')} posted entries in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    // (d) first, while the tenant holds exactly the seeded lines.
    console.log(`\n(d) report latency at ${counts!.lines.toLocaleString('en')} lines, ${REPORT_RUNS} sequential requests each after one warm-up`)
    const bare = await timeRuns(REPORT_RUNS, async () => {
      await sql!`select account_id, sum(base_debit), sum(base_credit) from journal_lines where tenant_id = ${first.id} group by 1`
    })
    console.log(`  bare aggregate over journal_lines (SQL, no HTTP): p50 ${ms(bare.p50)}  p95 ${ms(bare.p95)}`)
    // The floor every report request stands on: HTTP and routing alone, then authentication and
    // the rate limit as well (GET /api/v1/me reads nothing but the cached principal).
    for (const path of ['/api/health', '/api/v1/me']) {
      const floor = await timeRuns(REPORT_RUNS, async () => {
        expectStatus(await call(server!, 'GET', first.host, path, path === '/api/health' ? undefined : first.ownerToken), 200, path)
      })
      console.log(`  floor GET ${path}: p50 ${ms(floor.p50)}  p95 ${ms(floor.p95)}  ratio to bare p50 ${(floor.p50 / bare.p50).toFixed(3)}`)
    }
    // Reports are cached per ledger version (server/domain/reports/cache.ts): "computed" asks for a
    // date inside October not asked before (every request a cache miss), "cached" repeats one date.
    for (const base of ['/api/v1/reports/trial-balance', '/api/v1/reports/balance-sheet']) {
      const path = `${base}?asOf=2025-12-31`
      let day = 0
      const computed = await timeRuns(REPORT_RUNS, async () => {
        day++
        const dated = `${base}?asOf=2025-10-${String(day).padStart(2, '0')}`
        const res = await call(server!, 'GET', first.host, dated, first.ownerToken)
        expectStatus(res, 200, dated)
      })
      console.log(`  GET ${base} computed (a new date each time): p50 ${ms(computed.p50)}  p95 ${ms(computed.p95)}  ratio to bare p50 ${(computed.p50 / bare.p50).toFixed(3)}  p95 ${(computed.p95 / bare.p95).toFixed(3)}`)
      const cached = await timeRuns(REPORT_RUNS, async () => {
        expectStatus(await call(server!, 'GET', first.host, path, first.ownerToken), 200, path)
      })
      console.log(`  GET ${path} cached: p50 ${ms(cached.p50)}  p95 ${ms(cached.p95)}  ratio to bare p50 ${(cached.p50 / bare.p50).toFixed(3)}  p95 ${(cached.p95 / bare.p95).toFixed(3)}`)
    }

    const apiPost = (tenant: BenchTenant, token: string, i: number) => async () =>
      (await call(server!, 'POST', tenant.host, '/api/v1/journal-entries', token, entryBody(i))).status === 201

    if (pg.proxy) {
      // (f) Round trips per request, sequential, after warm-up (each pool connection prepares its
      // statements on first use, so 16 clients warm all of them first).
      await runConcurrent(320, CONCURRENCY, i => apiPost(first, first.ownerToken, 900_000 + i)())
      console.log(`\n(f) round trips per request, ${SEQUENTIAL_RUNS} sequential requests each (TCP proxies in front of PostgreSQL${redis.proxy ? ' and Redis' : ''})`)
      const count = async (label: string, once: (i: number) => Promise<unknown>) => {
        const [pg0, r0] = [pg.proxy!.turns(), redis.proxy?.turns() ?? 0]
        for (let i = 0; i < SEQUENTIAL_RUNS; i++) await once(i)
        const per = (n: number) => (n / SEQUENTIAL_RUNS).toFixed(2)
        console.log(`  ${label}: PostgreSQL ${per(pg.proxy!.turns() - pg0)}${redis.proxy ? `  Redis ${per(redis.proxy.turns() - r0)}` : ''}`)
      }
      await count('idle (nothing sent, as long as the others)', () => new Promise(r => setTimeout(r, 30)))
      await count('GET /api/v1/me', async () => expectStatus(await call(server!, 'GET', first.host, '/api/v1/me', first.ownerToken), 200, 'me'))
      await count('POST /api/v1/journal-entries (post: true)', async i => expectStatus(await call(server!, 'POST', first.host, '/api/v1/journal-entries', first.ownerToken, entryBody(950_000 + i)), 201, 'post'))
      const cachedPath = '/api/v1/reports/trial-balance?asOf=2025-11-30'
      expectStatus(await call(server!, 'GET', first.host, cachedPath, first.ownerToken), 200, 'report warm-up')
      await count('GET trial balance, cached', async () => expectStatus(await call(server!, 'GET', first.host, cachedPath, first.ownerToken), 200, 'report'))
    }
    const serverPid = server.process.pid!
    const cpuLine = (label: string, c: { node: number, pg: number }, entries: number) =>
      console.log(`  CPU per posting (${label}): Node ${(c.node / entries).toFixed(2)} ms + PostgreSQL backends ${(c.pg / entries).toFixed(2)} ms = ${((c.node + c.pg) / entries).toFixed(2)} ms`)
    const rawPost = (tenant: BenchTenant, i: number) => async () => {
      const b = entryBody(i)
      await sql!`select bench_post(${tenant.id}, ${tenant.yearId}, ${tenant.december}, ${b.date}, ${`Bench SQL ${i}`}, ${tenant.cash}, ${tenant.sales}, ${b.lines[0]!.debit!})`
      return true
    }
    const report = (label: string, api: Phase & { failed: number }, raw: Phase) => {
      console.log(`  API  POST /api/v1/journal-entries (post: true): ${api.done} entries in ${api.seconds.toFixed(1)} s = ${api.rate.toFixed(1)} entries/s${api.failed ? ` (${api.failed} not 201)` : ''}`)
      console.log(`  raw SQL, one statement per entry:             ${raw.done} entries in ${raw.seconds.toFixed(1)} s = ${raw.rate.toFixed(1)} entries/s`)
      console.log(`  ratio API / SQL (${label}): ${(api.rate / raw.rate).toFixed(3)}`)
      console.log(`(c) latency ${label}: API ${latencyLine(api)}`)
      console.log(`(c) latency ${label}: SQL ${latencyLine(raw)}`)
    }

    // (a) One tenant, 16 clients. They share the owner's token: the rate limit is raised above, and
    // members join only by invitation, which a benchmark cannot follow without mail.
    const token = first.ownerToken
    console.log(`\n(a) one tenant, ${CONCURRENCY} clients, 2-line entries`)
    const cpuOne = await cpuOver(sql, serverPid, () => runConcurrent(ENTRIES_TO_POST, CONCURRENCY, i => apiPost(first, token, i)()))
    const apiOne = cpuOne.result
    const cpuRawOne = await cpuOver(sql, 0, () => runConcurrent(ENTRIES_TO_POST, CONCURRENCY, i => rawPost(first, i)()), 'postgres.js')
    const rawOne = cpuRawOne.result
    report('one tenant', apiOne, rawOne)
    cpuLine('one tenant', cpuOne, apiOne.done)
    console.log(`  PostgreSQL CPU per posting, raw SQL (same load, for comparison): ${(cpuRawOne.pg / rawOne.done).toFixed(2)} ms`)

    // (b) Sixteen tenants, one client each (the owner).
    const tenants = [first]
    t = performance.now()
    while (tenants.length < CONCURRENCY) tenants.push(await newTenant())
    await sql`analyze fiscal_periods, entry_counters, accounts`
    console.log(`\n(b) ${CONCURRENCY} tenants, one client each (${CONCURRENCY - 1} tenants created in ${((performance.now() - t) / 1000).toFixed(1)} s)`)
    const cpuMany = await cpuOver(sql, serverPid, () => runConcurrent(ENTRIES_TO_POST, CONCURRENCY, (i, w) => apiPost(tenants[w]!, tenants[w]!.ownerToken, i)()))
    const apiMany = cpuMany.result
    const rawMany = await runConcurrent(ENTRIES_TO_POST, CONCURRENCY, (i, w) => rawPost(tenants[w]!, i)())
    report(`${CONCURRENCY} tenants`, apiMany, rawMany)
    cpuLine(`${CONCURRENCY} tenants`, cpuMany, apiMany.done)

    // (e) Bad input costs nothing: 15 clients post good entries while a 16th alternates good and bad
    // ones, against all 16 posting good ones. The bad kinds: unbalanced, a closed period, an unknown
    // account, and an idempotency key reused with another body.
    await sql`update fiscal_periods set status = 'closed' where tenant_id = ${first.id} and start_date = '2025-01-01'`
    const conflictKey = `bench-conflict-${randomBytes(4).toString('hex')}`
    expectStatus(await call(server, 'POST', first.host, '/api/v1/journal-entries', token, entryBody(0), { 'idempotency-key': conflictKey }), 201, 'idempotent post')
    const bad = (i: number): [string, unknown, Record<string, string>] => {
      const body = entryBody(i)
      switch (Math.floor(i / 2) % 4) {
        case 0: return ['unbalanced', { ...body, lines: [body.lines[0], { ...body.lines[1], credit: '0.01' }] }, {}]
        case 1: return ['closed period', { ...body, date: '2025-01-15' }, {}]
        case 2: return ['unknown account', { ...body, lines: [{ ...body.lines[0], accountCode: 'NO-SUCH-CODE' }, body.lines[1]] }, {}]
        default: return ['idempotency conflict', body, { 'idempotency-key': conflictKey }]
      }
    }
    const badAnswers = new Map<string, Map<string, number>>()
    console.log(`\n(e) one tenant: good entries with ${CONCURRENCY - 1} good clients and one sending 50% bad entries, against ${CONCURRENCY} good clients`)
    const goodOnly = await runConcurrent(ENTRIES_TO_POST, CONCURRENCY, i => apiPost(first, token, i)())
    let badSent = 0
    let badRefused = 0
    let mixedBadClientGood = 0
    const mixedGoodDone = { done: false }
    const badLatencies: number[] = []
    const badClient = (async () => {
      for (let i = 0; !mixedGoodDone.done; i++) {
        if (i % 2 === 0) {
          if (await apiPost(first, token, 100_000 + i)()) mixedBadClientGood++
          continue
        }
        const [kind, body, headers] = bad(i)
        const t0 = performance.now()
        const res = await call(server!, 'POST', first.host, '/api/v1/journal-entries', token, body, headers)
        badLatencies.push(performance.now() - t0)
        badSent++
        if (res.status >= 400 && res.status < 500) badRefused++
        const answer = `${res.status} ${(res.body as { data?: { code?: string } })?.data?.code ?? ''}`.trim()
        const byAnswer = badAnswers.get(kind) ?? new Map<string, number>()
        byAnswer.set(answer, (byAnswer.get(answer) ?? 0) + 1)
        badAnswers.set(kind, byAnswer)
      }
    })()
    const mixed = await runConcurrent(ENTRIES_TO_POST, CONCURRENCY - 1, i => apiPost(first, token, i)())
    mixedGoodDone.done = true
    await badClient
    badLatencies.sort((a, b) => a - b)
    const mixedGoodRate = (mixed.done + mixedBadClientGood) / mixed.seconds
    console.log(`  good only, ${CONCURRENCY} clients:      ${goodOnly.done} good in ${goodOnly.seconds.toFixed(1)} s = ${goodOnly.rate.toFixed(1)} good entries/s  (${latencyLine(goodOnly)})`)
    console.log(`  with a 50%-bad client:        ${mixed.done + mixedBadClientGood} good in ${mixed.seconds.toFixed(1)} s = ${mixedGoodRate.toFixed(1)} good entries/s  (the ${CONCURRENCY - 1} good clients: ${latencyLine(mixed)})`)
    console.log(`  bad entries sent ${badSent}, refused with a 4xx ${badRefused} (${(badSent / mixed.seconds).toFixed(1)}/s, p50 ${ms(percentile(badLatencies, 0.5))}  p95 ${ms(percentile(badLatencies, 0.95))})`)
    console.log(`  answers: ${[...badAnswers].map(([kind, answers]) => `${kind} ${[...answers].map(([a, n]) => `${a} ×${n}`).join(', ')}`).join('; ')}`)
    console.log(`  ratio good entries/s with bad traffic / without: ${(mixedGoodRate / goodOnly.rate).toFixed(3)}`)

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
