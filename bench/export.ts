/**
 * Export memory benchmark (issue 4): a general-ledger export of one account with a million posted
 * lines must stream, so the process's memory stays bounded whatever the file size. Runs the export
 * in this process (runExport, as the worker does) while sampling resident memory, and prints the
 * peak against the baseline measured just before the export.
 *
 * Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx --expose-gc bench/export.ts`
 * (or `npm run bench:export`); BENCH_LINES (default 1,000,000) and BENCH_FORMATS (default `csv`;
 * e.g. `csv,xlsx`) change the run. A new database is created on that server and dropped at the end.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { closeDatabase, connect, setDatabase } from '../db/client'
import { withPlatform, withTenant } from '../db/tenant'
import { closeFiles } from '../server/core/files'
import { createExport } from '../server/domain/reports/export-requests'
import { runExport } from '../server/domain/reports/export-runner'
import { createTenant, prepareTenantOwner } from '../server/domain/tenancy/tenants'
import { seedAccountLines } from '../tests/db/gl-seed'
import { createTestDatabase, type TestDatabase } from '../tests/support/database'

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000)
const FORMATS = (process.env.BENCH_FORMATS ?? 'csv').split(',') as ('csv' | 'xlsx' | 'pdf')[]
const SAMPLE_MS = 20

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function main() {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a PostgreSQL server (a database is created on it and dropped afterwards)')
  const dataDir = mkdtempSync(join(tmpdir(), 'paksa-bench-export-'))
  let db: TestDatabase | undefined
  let sql: postgres.Sql | undefined
  try {
    db = await createTestDatabase()
    // The configuration this process's domain code reads (files under dataDir, the new database).
    Object.assign(process.env, { DATABASE_URL: db.url, DATA_DIR: dataDir, JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('base64') })
    setDatabase(connect(db.url, { max: 4 }))
    sql = postgres(db.url, { max: 2, onnotice: () => {} })
    const slug = `bench${randomBytes(3).toString('hex')}`
    const input = { slug, name: 'Bench', baseCurrency: 'USD', fiscalYearStartMonth: 1, chartOfAccounts: 'standard' as const, owner: { email: `owner@${slug}.test`, name: 'Owner', password: `Pw-${randomBytes(12).toString('base64url')}` } }
    const owner = await prepareTenantOwner(input)
    const tenant = await withPlatform(p => createTenant(p, input, owner, { type: 'system' }))
    let t = performance.now()
    const { accountId } = await seedAccountLines(sql, tenant.id, { accountCode: '1000', counterCode: '4100', lines: LINES })
    console.log(`seeded ${LINES.toLocaleString('en')} lines on account 1000 in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    for (const format of FORMATS) {
      globalThis.gc?.()
      const baseline = process.memoryUsage()
      let peakRss = baseline.rss
      let peakHeap = baseline.heapUsed
      const sampler = setInterval(() => {
        const m = process.memoryUsage()
        peakRss = Math.max(peakRss, m.rss)
        peakHeap = Math.max(peakHeap, m.heapUsed)
      }, SAMPLE_MS)
      const created = await withTenant(tenant.id, tx => createExport(tx, tenant.id, { report: 'general-ledger', format, params: { accountId, from: '2025-01-01', to: '2025-12-31' }, requestedBy: null }))
      t = performance.now()
      const row = await runExport(tenant.id, created.id)
      const seconds = (performance.now() - t) / 1000
      clearInterval(sampler)
      console.log(`${format}: ${row.status}, ${row.rowCount?.toLocaleString('en')} lines, file ${mb(row.size ?? 0)} in ${row.parts} parts, ${seconds.toFixed(1)} s`)
      console.log(`  RSS baseline ${mb(baseline.rss)}, peak ${mb(peakRss)} (+${mb(peakRss - baseline.rss)}); heap used baseline ${mb(baseline.heapUsed)}, peak ${mb(peakHeap)}`)
    }
  }
  finally {
    await closeFiles().catch(() => {})
    await closeDatabase().catch(() => {})
    await sql?.end({ timeout: 5 }).catch(() => {})
    await db?.drop().catch(err => console.error('bench: could not drop the database:', err))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
