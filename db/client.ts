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

export function connect(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
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
