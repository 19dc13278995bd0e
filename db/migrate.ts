/**
 * Applies db/migrations under a PostgreSQL advisory lock, so replicas that start together never
 * race: the second waits, then finds nothing left to do. Runs as the connecting (owner) role.
 */
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'

const LOCK_KEY = 7_224_115_001

/** db/migrations in the source tree, or beside the built server (copied there by the build). */
export function migrationsFolder(): string {
  const candidates = [
    process.env.MIGRATIONS_DIR,
    resolve(process.cwd(), 'db/migrations'),
    process.argv[1] ? resolve(dirname(process.argv[1]), 'migrations') : undefined,
    resolve(process.cwd(), '.output/server/migrations'),
  ].filter((p): p is string => !!p)
  const found = candidates.find(p => existsSync(resolve(p, 'meta/_journal.json')))
  if (!found) throw new Error(`no migrations found (looked in ${candidates.join(', ')})`)
  return found
}

export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    await sql`select pg_advisory_lock(${LOCK_KEY})`
    await migrate(drizzle(sql), { migrationsFolder: migrationsFolder() })
    await sql`select pg_advisory_unlock(${LOCK_KEY})`
  }
  finally {
    await sql.end({ timeout: 5 })
  }
}
