/**
 * The only doors to tenant and platform data.
 *
 * `withTenant` opens a transaction, switches to the restricted `paksa_app` role and binds the
 * tenant with `set_config('app.tenant_id', $1, true)` (transaction-local, bound parameter), so
 * row-level security filters every statement in it. One call is one unit of work, at READ
 * COMMITTED unless `isolation` asks for more (a long export reads one consistent snapshot).
 * `withPlatform` does the same for the back-office role `paksa_platform`.
 *
 * Round trips: the transaction takes a pooled connection for itself and sends `begin` and the
 * binding together, without waiting for `begin`'s answer (postgres.js pipelines them on the
 * connection), so opening a tenant transaction costs one round trip, not two. The binding is a
 * prepared statement (`preparedQuery`): after its first use on a connection it is Bind/Execute
 * only, one round trip instead of Parse/Describe, then Bind/Execute.
 */
import { createTableRelationsHelpers, extractTablesRelationalConfig, sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js/session'
import type postgres from 'postgres'
import { useDatabase, type Tx } from './client'
import * as schema from './schema'

export type { Tx } from './client'

export interface TenantContext {
  /** The user acting, if any: enables the users table's "update your own row" policy. */
  userId?: string
  /** The transaction's isolation level (PostgreSQL's default, read committed, when left out). */
  isolation?: 'read committed' | 'repeatable read' | 'serializable'
  /**
   * The work may end with `finalQuery`, which sends `commit` behind its last statement. Only a
   * caller that runs no statement of its own after the work may allow it (`unitOfWork` without an
   * idempotency key: with one, the key's record is written after the work).
   */
  commitWithLast?: boolean
}

/**
 * How a read transaction is opened: its isolation level and, optionally, `first`, a statement of
 * the transaction sent with `begin` and the tenant binding in the same round trip, its rows handed
 * to the work (`sql<Row>`: the type of one row). The report cache's snapshot is one: repeatable
 * read, the ledger version read first (server/domain/reports/cache.ts, `REPORT_READ`).
 */
export interface ReadOptions<R extends Record<string, unknown> = Record<string, unknown>> {
  isolation?: TenantContext['isolation']
  first?: SQL<R>
}

const dialect = new PgDialect({ casing: 'snake_case' })
const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers)
const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap }

/** An open transaction: its connection, and the commit `finalQuery` sent behind its last statement. */
interface Open {
  conn: postgres.ReservedSql
  commitWithLast: boolean
  commit?: Promise<unknown>
}

const connections = new WeakMap<Tx, Open>()

/** After `finalQuery` the transaction is over: a statement sent then would run outside it, unbound. */
function afterCommitError(): Error {
  return new Error('a statement after finalQuery: the transaction has already committed')
}

/**
 * The connection as drizzle's session sees it: every statement goes through `unsafe`, which refuses
 * once `finalQuery` has sent the commit (the role and tenant binding are transaction-local, so a
 * later statement would run as the login role, outside row-level security).
 */
function guarded(open: Open): postgres.ReservedSql {
  const unsafe: postgres.ReservedSql['unsafe'] = (...args) => {
    if (open.commit) throw afterCommitError()
    return open.conn.unsafe(...args)
  }
  return new Proxy(open.conn, { get: (target, key) => key === 'unsafe' ? unsafe : Reflect.get(target, key) })
}

/**
 * A lost connection — postgres.js's CONNECTION_CLOSED, _DESTROYED, _ENDED …, or a FATAL error from
 * the server (terminated backend, shutdown) — must get neither a rollback nor go back to the pool.
 */
function lost(err: unknown): boolean {
  // Drizzle wraps the driver's error (DrizzleQueryError, the original as `cause`).
  for (let e = err as { code?: unknown, severity?: unknown, cause?: unknown } | null, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if ((typeof e.code === 'string' && e.code.startsWith('CONNECTION_')) || e.severity === 'FATAL' || e.severity === 'PANIC') return true
  }
  return false
}

/**
 * Runs `work` in one transaction on one reserved connection: `begin` and `bind` are sent together,
 * then `work`, then `commit` (or `rollback` when it throws). Drizzle's queries run on the same
 * connection through a transaction object built exactly as drizzle's own `db.transaction` does.
 * Nested transactions (savepoints) are not supported: nothing uses them.
 */
async function transaction<T, R extends Record<string, unknown> = never>({ isolation, commitWithLast = false }: Pick<TenantContext, 'isolation' | 'commitWithLast'>, bind: SQL,
  work: (tx: Tx, first: R[]) => Promise<T>, first?: SQL): Promise<T> {
  const { sql: pool } = await useDatabase()
  const conn = await pool.reserve()
  const open: Open = { conn, commitWithLast }
  const session = new PostgresJsSession(guarded(open), dialect, relational, {})
  const tx = new PostgresJsTransaction(dialect, session as never, relational) as unknown as Tx
  connections.set(tx, open)
  // postgres.js tells a connection's owner that it closed through `connection.onclose`, as its own
  // `begin` does; the connection object is handed over by the first statement's `onexecute`. A
  // close fails the transaction at once, even while `work` waits for something else.
  let connection: { onclose?: ((err: unknown) => void) | null } | undefined
  let closed = false
  let dropped: (err: unknown) => void = () => {}
  const whenClosed = new Promise<never>((_, reject) => {
    dropped = reject
  })
  whenClosed.catch(() => {})
  const onexecute = (c: NonNullable<typeof connection>) => {
    connection = c
    c.onclose = (err) => {
      closed = true
      dropped(err)
    }
    return true
  }
  let healthy = true
  try {
    return await Promise.race([whenClosed, (async () => {
      // `isolation` is one of three literals (typed, and checked by the map), never request input.
      const begin = conn.unsafe(`begin${isolation ? ` isolation level ${LEVELS[isolation]}` : ''}`, [], { onexecute } as never).execute()
      const bound = preparedQuery(tx, bind)
      const firstRows = first ? preparedQuery<R>(tx, first) : Promise.resolve([])
      const [,, rows] = await Promise.all([begin, bound, firstRows])
      const result = await work(tx, rows)
      const ended = await (open.commit ?? conn.unsafe('commit')) as { command?: string }
      // A failed last statement whose error the work caught: the server rolled back, not committed.
      if (ended.command !== 'COMMIT') throw new Error(`the transaction ended with ${ended.command ?? 'no answer'}, not COMMIT`)
      return result
    })()])
  }
  catch (err) {
    // After `finalQuery` the server ends the transaction itself: its commit, or a rollback when a
    // statement before it failed (PostgreSQL answers `commit` in a failed transaction with ROLLBACK).
    const end = closed || lost(err) ? undefined : open.commit ?? conn.unsafe('rollback')
    healthy = !!end && await end.then(() => true, (e: unknown) => !lost(e))
    throw err
  }
  finally {
    connections.delete(tx)
    if (connection?.onclose) connection.onclose = null
    // A connection that closed under the transaction was already moved to the pool's closed list;
    // releasing it would put a dead connection back among the open ones (porsager/postgres#1199).
    if (healthy && !closed) conn.release()
  }
}

const LEVELS = { 'read committed': 'read committed', 'repeatable read': 'repeatable read', 'serializable': 'serializable' } as const

/**
 * Runs one statement of the transaction as a prepared statement on its connection (once per
 * connection: Parse/Describe the first time, Bind/Execute after), one round trip. For the hot
 * statements only (the tenant binding, the posting call, the report version read): their text is
 * fixed, so each connection holds one plan for each. With DATABASE_PREPARE=false (db/client.ts) it
 * runs unnamed, as drizzle's queries do.
 */
export async function preparedQuery<R extends Record<string, unknown>>(tx: Tx, query: SQL): Promise<R[]> {
  const open = connections.get(tx)
  if (!open) return tx.execute<R>(query) as unknown as Promise<R[]>
  if (open.commit) throw afterCommitError()
  return prepared<R>(open.conn, query)
}

function prepared<R extends Record<string, unknown>>(conn: postgres.ReservedSql, query: SQL) {
  const { sql: text, params } = dialect.sqlToQuery(query)
  // `unsafe` defaults to unnamed statements; `prepare: true` names it, unless the pool was made
  // with `prepare: false` (DATABASE_PREPARE=false, db/client.ts), which wins.
  return conn.unsafe<R[]>(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute()
}

/**
 * The transaction's last statement, with `commit` sent right behind it in the same round trip
 * when the caller allowed it (`commitWithLast`); otherwise a `preparedQuery`. For a write whose
 * locks every other write of the tenant queues on (the document counter, the audit chain): they
 * are released when the statement is done, not after the server's event loop has come back to
 * the answer and sent `commit` — with sixteen requests in flight that wait was longer than the
 * statement. The work may compute its answer afterwards but sends no statement (refused), and
 * `withTenant` returns once the commit is answered. A statement that fails turns the commit into
 * a rollback on the server; a commit that fails (a deferred check) fails the transaction, as ever.
 */
export async function finalQuery<R extends Record<string, unknown>>(tx: Tx, query: SQL): Promise<R[]> {
  const open = connections.get(tx)
  if (!open?.commitWithLast) return preparedQuery<R>(tx, query)
  if (open.commit) throw afterCommitError()
  const rows = prepared<R>(open.conn, query)
  const commit = open.conn.unsafe('commit').execute()
  commit.catch(() => {})
  open.commit = commit
  return rows as unknown as Promise<R[]>
}

function tenantBinding(tenantId: string, userId?: string): SQL {
  return sql`select set_config('role', 'paksa_app', true), set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', ${userId ?? ''}, true)`
}

async function enterTenant(tx: Tx, tenantId: string, userId?: string) {
  await preparedQuery(tx, tenantBinding(tenantId, userId))
}

export async function withTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>, context: TenantContext = {}): Promise<T> {
  return transaction(context, tenantBinding(tenantId, context.userId), work)
}

/**
 * `withTenant` with `first`, a statement of the transaction, sent in the same round trip as `begin`
 * and the tenant binding; its rows are handed to `work` (the report cache's ledger version).
 */
export async function withTenantFirst<R extends Record<string, unknown>, T>(tenantId: string, first: SQL, work: (tx: Tx, rows: R[]) => Promise<T>, context: TenantContext = {}): Promise<T> {
  return transaction<T, R>(context, tenantBinding(tenantId, context.userId), work, first)
}

export interface PlatformTx {
  tx: Tx
  /** Continues the same transaction as `paksa_app` inside one tenant (used when creating a tenant). */
  enterTenant: (tenantId: string, userId?: string) => Promise<void>
}

export async function withPlatform<T>(work: (p: PlatformTx) => Promise<T>): Promise<T> {
  return transaction({}, sql`select set_config('role', 'paksa_platform', true), set_config('app.tenant_id', '', true)`,
    tx => work({ tx, enterTenant: (tenantId, userId) => enterTenant(tx, tenantId, userId) }))
}
