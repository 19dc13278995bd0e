/**
 * The worker as its own process (issue 4 points 1 and 8), on Redis when REDIS_URL is set and on
 * BullMQ's PostgreSQL backend always: a web server that does not run jobs (WORKER_IN_PROCESS=0)
 * and `npm run worker` processes beside it, sharing the database, the queue and DATA_DIR.
 *
 * - SIGTERM lets the running export finish before the worker exits (code 0).
 * - SIGKILL in the middle of an export: the job's lock expires, a second worker takes it up, and
 *   exactly one finished file exists, complete.
 * - A job that throws is retried with backoff, then lands in `failed`; the back-office retry runs
 *   it again once the cause is gone.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { ROOT, type RunningServer, startServer } from '../support/server'
import { adminSignIn, call, createTenantOn, hostFor, testSecrets } from './helpers'

/** General-ledger lines in the big account: long enough to kill a worker in the middle. */
const LINES = 200_000
const backends = [...(process.env.REDIS_URL ? ['redis'] : []), 'postgres'] as const

interface WorkerProcess { child: ChildProcess, output: () => string, exited: Promise<number | null> }

function startWorker(env: Record<string, string | undefined>): WorkerProcess {
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>(r => child.once('exit', code => r(code)))
  return { child, output: () => output, exited }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, everyMs))
  }
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      if (statSync(path).isDirectory()) walk(path)
      else out.push(relative(dir, path))
    }
  }
  walk(dir)
  return out.sort()
}

/** Posted entries straight into the database (as the owner, triggers off), as bench/ledger.ts does. */
async function seedLedger(url: string, tenantId: string, entries: number): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const cashId = await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`
      const [year] = await tx`insert into fiscal_years (tenant_id, start_date, end_date) values (${tenantId}, '2025-01-01', '2025-12-31') returning id`
      await tx`insert into fiscal_periods (tenant_id, fiscal_year_id, number, start_date, end_date)
        select ${tenantId}, ${year!.id}, m, make_date(2025, m, 1), (make_date(2025, m, 1) + interval '1 month' - interval '1 day')::date from generate_series(1, 12) m`
      const [cash] = await tx`select id from accounts where tenant_id = ${tenantId} and code = '1000'`
      const [sales] = await tx`select id from accounts where tenant_id = ${tenantId} and code = '4000'`
      await tx`insert into journal_entries (tenant_id, fiscal_year_id, period_id, number, date, memo, currency, exchange_rate, status, kind, posted_at)
        select ${tenantId}, ${year!.id}, p.id, s.i, s.d, 'Sale ' || s.i, 'USD', 1, 'posted', 'manual', now()
          from (select i, ('2025-01-01'::date + ((i - 1)::bigint * 365 / ${entries})::int) as d from generate_series(1, ${entries}) i) s
          join fiscal_periods p on p.tenant_id = ${tenantId} and s.d between p.start_date and p.end_date`
      await tx`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date)
        select e.tenant_id, e.id, side, case when side = 1 then ${cash!.id}::uuid else ${sales!.id}::uuid end,
               case when side = 1 then 10.00 else 0 end, case when side = 2 then 10.00 else 0 end,
               case when side = 1 then 10.00 else 0 end, case when side = 2 then 10.00 else 0 end, e.date
          from journal_entries e cross join generate_series(1, 2) side where e.tenant_id = ${tenantId}`
      await tx`insert into account_balances (tenant_id, account_id, period_id, debit, credit)
        select l.tenant_id, l.account_id, e.period_id, sum(l.base_debit), sum(l.base_credit)
          from journal_lines l join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id where l.tenant_id = ${tenantId} group by 1, 2, 3`
      await tx`insert into entry_counters (tenant_id, fiscal_year_id, last_number) values (${tenantId}, ${year!.id}, ${entries})`
      return cash!.id as string
    })
    // Fresh statistics after a bulk load, as after any restore (autovacuum may be off here).
    await sql`analyze journal_entries, journal_lines, account_balances`
    return cashId
  }
  finally {
    await sql.end()
  }
}

describe.each(backends)('worker process on the %s backend', (backend) => {
  let db: TestDatabase
  let web: RunningServer
  let dataDir: string
  let env: Record<string, string | undefined>
  let host: string
  let token: string
  let adminToken: string
  let cashId: string
  const workers: WorkerProcess[] = []
  const secrets = testSecrets()

  const spawnWorker = () => {
    const w = startWorker(env)
    workers.push(w)
    return w
  }
  const exportOf = async (id: string) => (await call(web, 'GET', host, `/api/v1/exports/${id}`, { token })).body as { status: string, progress: number, error?: string }
  const requestExport = async (report: string, params: Record<string, string>, format = 'csv') => {
    const res = await call(web, 'POST', host, '/api/v1/exports', { token, json: { report, params, format } })
    expect(res.status, res.text).toBe(202)
    return res.body.id as string
  }
  const glParams = () => ({ accountId: cashId, from: '2025-01-01', to: '2025-12-31' })

  beforeAll(async () => {
    db = await createTestDatabase()
    dataDir = mkdtempSync(join(tmpdir(), `paksa-worker-${backend}-`))
    env = {
      DATABASE_URL: db.url, DATA_DIR: dataDir, ...secrets,
      REDIS_URL: backend === 'redis' ? process.env.REDIS_URL : undefined,
      WORKER_IN_PROCESS: '0', JOB_LOCK_SECONDS: '3', WORKER_CONCURRENCY: '1',
    }
    web = await startServer(env)
    adminToken = await adminSignIn(web, secrets.ADMIN_EMAIL, secrets.ADMIN_PASSWORD)
    const tenant = await createTenantOn(web, adminToken, { prefix: `w${backend.slice(0, 2)}`, chartOfAccounts: 'standard' })
    host = tenant.host
    token = tenant.owner.token
    cashId = await seedLedger(db.url, tenant.id, LINES)
  })

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL')
    await web?.stop()
    await db?.drop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('SIGTERM lets the running export finish, then the worker exits 0', async () => {
    const worker = spawnWorker()
    const id = await requestExport('general-ledger', glParams())
    await waitFor('the export to start', async () => ((await exportOf(id)).status === 'running' ? true : undefined))
    worker.child.kill('SIGTERM')
    expect(await worker.exited, worker.output()).toBe(0)
    expect((await exportOf(id)).status).toBe('done')
  })

  it('a worker killed (SIGKILL) mid-export: another takes the job up and exactly one complete file exists', async () => {
    const first = spawnWorker()
    const id = await requestExport('general-ledger', glParams())
    await waitFor('the export to make progress', async () => {
      const e = await exportOf(id)
      return e.status === 'running' && e.progress > 0 && e.progress < 80 ? true : undefined
    })
    first.child.kill('SIGKILL')
    await first.exited
    expect((await exportOf(id)).status).toBe('running')
    spawnWorker()
    await waitFor('the export to finish', async () => ((await exportOf(id)).status === 'done' ? true : undefined))
    const file = await call(web, 'GET', host, `/api/v1/exports/${id}/download`, { token })
    expect(file.status).toBe(200)
    const rows = file.text.trimEnd().split('\r\n')
    // Header, opening balance, every line once, closing balance.
    expect(rows).toHaveLength(LINES + 3)
    expect(rows.at(-1)).toContain(`${LINES * 10}.00`)
    // Exactly one file: the stored parts of this export add up to the one download, and nothing
    // of the killed attempt's temporary parts is left.
    const root = join(dataDir, 'files')
    const stored = filesUnder(root).filter(f => f.includes(id))
    expect(stored.filter(f => /tmp/.test(f)), stored.join('\n')).toEqual([])
    expect(stored.reduce((sum, f) => sum + statSync(join(root, f)).size, 0)).toBe(Buffer.byteLength(file.text))
  })

  it('a job that throws is retried, lands in failed, and the back-office retry runs it again', async () => {
    // The file store cannot be written while DATA_DIR/files is a plain file: every attempt throws.
    const filesDir = join(dataDir, 'files')
    rmSync(filesDir, { recursive: true, force: true })
    writeFileSync(filesDir, 'not a directory')
    spawnWorker()
    const id = await requestExport('trial-balance', { asOf: '2025-12-31' })
    const admin = hostFor(web, 'admin')
    const failed = await waitFor('the job to land in failed', async () => {
      const res = await call(web, 'GET', admin, '/api/v1/admin/queues/exports/jobs?state=failed', { token: adminToken })
      return (res.body.data as { id: string, data: { exportId: string }, attemptsMade: number, failedReason: string }[] | undefined)?.find(j => j.data.exportId === id)
    }, 90_000, 500)
    expect(failed.attemptsMade).toBe(4)
    expect(failed.failedReason).toBeTruthy()
    expect((await exportOf(id)).status).toBe('failed')

    rmSync(filesDir, { force: true })
    const retry = await call(web, 'POST', admin, `/api/v1/admin/queues/exports/jobs/${failed.id}/retry`, { token: adminToken })
    expect(retry.status, retry.text).toBe(200)
    await waitFor('the retried export to finish', async () => ((await exportOf(id)).status === 'done' ? true : undefined))
  })
})
