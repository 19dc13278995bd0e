/**
 * The process's PostgreSQL connection pool (postgres.js) and its Drizzle instance.
 * Application code never queries through it directly: tenant work goes through `withTenant`,
 * back-office work through `withPlatform` (db/tenant.ts), which switch to the restricted roles.
 */
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import * as schema from './schema'

export type Db = PostgresJsDatabase<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface Database { db: Db, sql: postgres.Sql, url: string }

let pending: Promise<Database> | undefined
let current: Database | undefined

/**
 * Prepared statements are per connection, which is right for this pool (each connection is one
 * PostgreSQL session). Behind a pooler in transaction mode (PgBouncer `pool_mode = transaction`)
 * a prepared statement may be bound on a server connection that never parsed it: set
 * DATABASE_PREPARE=false there (or use PgBouncer ≥ 1.21 with `max_prepared_statements` > 0).
 * Drizzle's own queries are never prepared (it passes `prepare: false` unless a query is named);
 * the hot statements of db/tenant.ts are (`preparedQuery`).
 */
export function connect(url: string, options: { max?: number, prepare?: boolean } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    prepare: options.prepare ?? process.env.DATABASE_PREPARE !== 'false',
    onnotice: () => {},
    connection: { application_name: 'paksa' },
  })
  return { db: drizzle(sql, { schema, casing: 'snake_case' }), sql, url }
}

/** Registers the start-up promise that callers wait on until the database is ready (server/boot/startup.ts). */
export function provideDatabase(ready: Promise<Database>) {
  pending = ready
  pending.catch(() => {})
}

/** Makes a connected database current (start-up sets it before seeding; tests and the worker directly). */
export function setDatabase(database: Database) {
  current = database
}

/** Resolves once the database is connected and migrated. */
export function useDatabase(): Promise<Database> {
  if (current) return Promise.resolve(current)
  if (!pending) throw new Error('database not started: call provideDatabase() at start-up')
  return pending
}

export async function closeDatabase() {
  const d = current ?? (pending ? await pending.catch(() => undefined) : undefined)
  current = undefined
  pending = undefined
  await d?.sql.end({ timeout: 5 })
}
