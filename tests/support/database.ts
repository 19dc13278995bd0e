/**
 * A fresh PostgreSQL database for a test run: a new database on DATABASE_URL's server when that is
 * set (CI), otherwise a throw-away embedded PostgreSQL (a machine with nothing but Node).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { startEmbeddedDatabase } from '../../db/embedded'
import { runMigrations } from '../../db/migrate'

export interface TestDatabase { url: string, drop: () => Promise<void> }

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL
  if (base) {
    const name = `paksa_test_${Date.now()}_${randomBytes(3).toString('hex')}`
    const admin = postgres(base, { max: 1, onnotice: () => {} })
    await admin.unsafe(`create database ${name}`)
    await admin.end()
    const url = new URL(base)
    url.pathname = `/${name}`
    await runMigrations(url.toString())
    return {
      url: url.toString(),
      drop: async () => {
        const a = postgres(base, { max: 1, onnotice: () => {} })
        await a.unsafe(`drop database if exists ${name} with (force)`)
        await a.end()
      },
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'paksa-test-pg-'))
  const pg = await startEmbeddedDatabase(dir, randomBytes(12).toString('hex'), () => {})
  await runMigrations(pg.url)
  return {
    url: pg.url,
    drop: async () => {
      await pg.stop()
      // As root under a private temp folder the cluster lives outside it (db/embedded.ts).
      rmSync(pg.dir, { recursive: true, force: true })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
