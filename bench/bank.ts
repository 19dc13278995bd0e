/**
 * Bank benchmark (issue 14 point 9). Two parts, each against a baseline measured in the same run:
 *
 * (a) Importing a BENCH_LINES-line (default 100,000) CAMT.053 file through the API into the worker:
 *     the request's 202, the job polled to done, the worker process's wall time and peak RSS
 *     (/proc/<pid>/status VmHWM of a separate `workers/index.ts` process), against parsing the same
 *     file in this process plus a bare INSERT of the same rows by SQL into a table with the same
 *     unique key (one transaction, batches of 1,000).
 * (b) Suggestion latency with BENCH_GL_LINES (default 100,000) unmatched posted lines on the bank
 *     account's GL account: `GET /api/v1/bank-transactions/{id}/suggestions` p50/p95 against a bare
 *     SQL query over the same GL lines (same amount, or within a week, nearest first, 10 rows).
 *     Skipped (and said so) when the route is not there.
 *
 * Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:bank` (REDIS_URL
 * optional) after `nuxt build`; BENCH_LINES, BENCH_GL_LINES, BENCH_RUNS change the sizes. A fresh
 * database is created and dropped; the server runs with its rate limit lifted and no in-process worker.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import postgres from 'postgres'
import { parseCamt053 } from '../server/domain/bank/camt053'
import { lineKeys } from '../server/domain/bank/statement'
import { seedAccountLines } from '../tests/db/gl-seed'
import { camt053File } from '../tests/support/bank-files'
import { createTestDatabase, type TestDatabase } from '../tests/support/database'
import { adminSignIn, createTenantVia, type Client, type Target } from '../tests/support/http'
import type { RunningServer } from '../tests/support/server'
import { ms, startBenchServer, timeRuns } from './support/harness'

const LINES = Number(process.env.BENCH_LINES ?? 100_000)
const GL_LINES = Number(process.env.BENCH_GL_LINES ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const IBAN = 'DE89370400440532013000'
const WHOLE_RUN_TIMEOUT_MS = 40 * 60_000
const ROOT = resolve(import.meta.dirname, '..')

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`
const seconds = (v: number) => `${(v / 1000).toFixed(2)} s`

/** A /proc/<pid>/status figure in kB (VmRSS now, VmHWM the peak so far). */
function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : Number.NaN
}

function startWorker(env: Record<string, string | undefined>): { child: ChildProcess, output: () => string, ready: Promise<void> } {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const ready = new Promise<void>((resolveReady, reject) => {
    const seen = (d: Buffer) => {
      output += d.toString()
      if (output.includes('worker started')) resolveReady()
    }
    child.stdout!.on('data', seen)
    child.stderr!.on('data', seen)
    child.once('exit', code => reject(new Error(`worker exited ${code}:\n${output}`)))
  })
  return { child, output: () => output, ready }
}

function expectStatus(res: { status: number, text: string }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`)
}

async function bankAccountOn(c: Client, sql: postgres.Sql, tenantId: string, code: string, name: string): Promise<string> {
  const [gl] = await sql`select id from accounts where tenant_id = ${tenantId} and code = ${code}`
  const res = await c.post('/api/v1/bank-accounts', { json: { name, accountId: gl!.id, accountNumber: IBAN } })
  expectStatus(res, 201, 'bank account')
  return res.body.id as string
}

async function importViaWorker(c: Client, bankId: string, content: string) {
  const t = performance.now()
  const res = await c.post(`/api/v1/bank-accounts/${bankId}/imports`, { json: { format: 'camt053', content, fileName: 'bench.xml' } })
  expectStatus(res, 202, 'import request')
  const accepted = performance.now() - t
  for (;;) {
    const job = await c.get(`/api/v1/bank-imports/jobs/${res.body.jobId}`)
    expectStatus(job, 200, 'job')
    if (job.body.status === 'done' || job.body.status === 'failed') return { job: job.body, accepted, wall: performance.now() - t }
    await new Promise(r => setTimeout(r, 250))
  }
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL server (a database is created on it and dropped afterwards)')
  const started = Date.now()
  let db: TestDatabase | undefined
  let server: RunningServer | undefined
  let worker: ReturnType<typeof startWorker> | undefined
  let sql: postgres.Sql | undefined
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-bench-bank-'))
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  const cleanup = async () => {
    await sql?.end({ timeout: 5 }).catch(() => {})
    worker?.child.kill('SIGTERM')
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
    console.log(`bank bench: a ${LINES.toLocaleString('en')}-line CAMT.053 import in the worker; suggestions over ${GL_LINES.toLocaleString('en')} GL lines (load average ${loadavg().map(l => l.toFixed(1)).join(' ')})`)
    db = await createTestDatabase()
    const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('base64') }
    const bench = await startBenchServer(db.url, dataDir, { env: { ...secrets, WORKER_IN_PROCESS: 'false' } })
    server = bench.server
    worker = startWorker({ DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, DATA_DIR: dataDir, ...secrets })
    await worker.ready
    const workerPid = worker.child.pid!
    const target: Target = { baseUrl: server.url, agent, timeoutMs: 120_000 }
    sql = postgres(db.url, { max: 2, onnotice: () => {} })
    const adminToken = await adminSignIn(target, server.port, bench.admin)

    // ---------------------------------------------------------------- (a) the import
    console.log(`\n(a) import of ${LINES.toLocaleString('en')} lines`)
    const a = await createTenantVia(target, server.port, adminToken, { prefix: 'bankimp', chartOfAccounts: 'standard', name: 'Bench Bank Import Ltd', baseCurrency: 'EUR' })
    const bankId = await bankAccountOn(a.asOwner, sql, a.id, '1010', 'Bench bank')
    const content = camt053File({ lines: LINES, compact: true })
    console.log(`  file: ${(Buffer.byteLength(content) / 1024 / 1024).toFixed(1)} MB`)

    // Baseline 1: the parse alone, in this process.
    let t = performance.now()
    const statements = parseCamt053([content])
    const lines = statements.flatMap(s => s.lines)
    const keys = lineKeys(lines)
    const parse = performance.now() - t
    // Baseline 2: a bare INSERT of the same rows, same unique key, one transaction.
    await sql`create table bench_bank_lines (bank_account_id uuid not null, dedupe_key text not null, date date not null, amount numeric(20, 4) not null,
      description text not null, reference text, bank_id text, counterparty text, unique (bank_account_id, dedupe_key))`
    t = performance.now()
    await sql.begin(async (tx) => {
      for (let i = 0; i < lines.length; i += 1000) {
        await tx`insert into bench_bank_lines ${tx(lines.slice(i, i + 1000).map((l, j) => ({
          bank_account_id: bankId, dedupe_key: keys[i + j]!, date: l.date, amount: l.amount, description: l.description, reference: l.reference, bank_id: l.bankId, counterparty: l.counterparty,
        })))} on conflict do nothing`
      }
    })
    const insert = performance.now() - t
    console.log(`  baseline: parse ${seconds(parse)} + bare INSERT ${seconds(insert)} = ${seconds(parse + insert)}`)

    const rssBefore = procKb(workerPid, 'VmRSS')
    const hwmBefore = procKb(workerPid, 'VmHWM')
    const run = await importViaWorker(a.asOwner, bankId, content)
    const hwmAfter = procKb(workerPid, 'VmHWM')
    if (run.job.status !== 'done') throw new Error(`the import failed: ${JSON.stringify(run.job.error)}`)
    const [{ n }] = await sql`select count(*)::int as n from bank_transactions where bank_account_id = ${bankId}` as unknown as [{ n: number }]
    console.log(`  POST …/imports answered 202 in ${ms(run.accepted)}; the job done in ${seconds(run.wall)} (${run.job.result.imported.toLocaleString('en')} imported, ${n.toLocaleString('en')} rows)`)
    console.log(`  worker RSS before ${mb(rssBefore)}, peak ${mb(hwmAfter)} (peak before the import ${mb(hwmBefore)}; +${mb(hwmAfter - rssBefore)} over its idle size)`)
    console.log(`  ratio job wall time to baseline (parse + bare INSERT): ${(run.wall / (parse + insert)).toFixed(2)}`)
    const again = await importViaWorker(a.asOwner, bankId, content)
    console.log(`  the same file again (all duplicates): ${seconds(again.wall)}, ${again.job.result.duplicates.toLocaleString('en')} duplicates`)

    // ---------------------------------------------------------------- (b) suggestions
    console.log(`\n(b) suggestions over ${GL_LINES.toLocaleString('en')} unmatched GL lines, ${RUNS} sequential requests after one warm-up`)
    const b = await createTenantVia(target, server.port, adminToken, { prefix: 'bankmatch', chartOfAccounts: 'standard', name: 'Bench Bank Match Ltd', baseCurrency: 'USD' })
    const matchBank = await bankAccountOn(b.asOwner, sql, b.id, '1010', 'Bench match bank')
    t = performance.now()
    const { accountId: glId } = await seedAccountLines(sql, b.id, { accountCode: '1010', counterCode: '4100', lines: GL_LINES })
    console.log(`  seeded in ${seconds(performance.now() - t)}`)
    const small = await b.asOwner.post(`/api/v1/bank-accounts/${matchBank}/imports`, { json: { format: 'camt053', content: camt053File({ lines: 50, year: 2025, currency: 'USD' }) } })
    expectStatus(small, 201, 'small import')
    const txs = small.body.transactions as { id: string, date: string, amount: string }[]
    const probe = await b.asOwner.get(`/api/v1/bank-transactions/${txs[0]!.id}/suggestions`)
    if (probe.status !== 200) {
      console.log(`  GET /api/v1/bank-transactions/{id}/suggestions answered ${probe.status}: the route is not there in this build; part (b) skipped`)
    }
    else {
      let i = 0
      const bare = await timeRuns(RUNS, async () => {
        const line = txs[i++ % txs.length]!
        const amount = line.amount.replace(/^-/, '')
        await sql!`select l.id, l.entry_date, l.debit - l.credit as amount, e.memo
            from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id
           where l.tenant_id = ${b.id} and l.account_id = ${glId} and e.status = 'posted'
             and (l.debit = ${amount}::numeric or l.credit = ${amount}::numeric or l.entry_date between ${line.date}::date - 7 and ${line.date}::date + 7)
           order by (l.debit = ${amount}::numeric or l.credit = ${amount}::numeric) desc, abs(l.entry_date - ${line.date}::date)
           limit 10`
      })
      console.log(`  bare SQL (same amount or within a week, nearest first, 10 rows): p50 ${ms(bare.p50)}  p95 ${ms(bare.p95)}`)
      i = 0
      const route = await timeRuns(RUNS, async () => {
        expectStatus(await b.asOwner.get(`/api/v1/bank-transactions/${txs[i++ % txs.length]!.id}/suggestions`), 200, 'suggestions')
      })
      console.log(`  GET /api/v1/bank-transactions/{id}/suggestions: p50 ${ms(route.p50)}  p95 ${ms(route.p95)}`)
      console.log(`  ratio route p50 to bare p50: ${(route.p50 / bare.p50).toFixed(2)}  p95 ${(route.p95 / bare.p95).toFixed(2)}`)
    }
    console.log(`\nload average at the end ${loadavg().map(l => l.toFixed(1)).join(' ')}; total ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
  finally {
    clearTimeout(watchdog)
    await cleanup()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
