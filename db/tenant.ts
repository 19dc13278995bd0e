/**
 * The only doors to tenant and platform data.
 *
 * `withTenant` opens a transaction, switches to the restricted `paksa_app` role and binds the
 * tenant with `set_config('app.tenant_id', $1, true)` (transaction-local, bound parameter), so
 * row-level security filters every statement in it. One call is one unit of work, at READ
 * COMMITTED unless `isolation` asks for more (a long export reads one consistent snapshot).
 * `withPlatform` does the same for the back-office role `paksa_platform`.
 */
import { sql } from 'drizzle-orm'
import { useDatabase, type Tx } from './client'

export type { Tx } from './client'

export interface TenantContext {
  /** The user acting, if any: enables the users table's "update your own row" policy. */
  userId?: string
  /** The transaction's isolation level (PostgreSQL's default, read committed, when left out). */
  isolation?: 'read committed' | 'repeatable read' | 'serializable'
}

async function enterTenant(tx: Tx, tenantId: string, userId?: string) {
  await tx.execute(sql`select set_config('role', 'paksa_app', true),
    set_config('app.tenant_id', ${tenantId}, true),
    set_config('app.user_id', ${userId ?? ''}, true)`)
}

export async function withTenant<T>(tenantId: string, work: (tx: Tx) => Promise<T>, context: TenantContext = {}): Promise<T> {
  const { db } = await useDatabase()
  return db.transaction(async (tx) => {
    await enterTenant(tx, tenantId, context.userId)
    return work(tx)
  }, context.isolation ? { isolationLevel: context.isolation } : undefined)
}

export interface PlatformTx {
  tx: Tx
  /** Continues the same transaction as `paksa_app` inside one tenant (used when creating a tenant). */
  enterTenant: (tenantId: string, userId?: string) => Promise<void>
}

export async function withPlatform<T>(work: (p: PlatformTx) => Promise<T>): Promise<T> {
  const { db } = await useDatabase()
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('role', 'paksa_platform', true), set_config('app.tenant_id', '', true)`)
    return work({ tx, enterTenant: (tenantId, userId) => enterTenant(tx, tenantId, userId) })
  })
}
