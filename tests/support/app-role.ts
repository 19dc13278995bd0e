/**
 * Database tests that go around the application: plain SQL on the test database as the app role
 * `paksa_app`, bound to a tenant exactly as `withTenant` (db/tenant.ts) binds it, so what the
 * database itself allows and refuses is tested without the server's help.
 */
import type postgres from 'postgres'

export type AppConn = postgres.ReservedSql

/**
 * A runner over `sql` (a connection pool as the database owner):
 * `begin; set_config('role', 'paksa_app'); set_config('app.tenant_id', tenantId); work; rollback`
 * (or `commit`) on one reserved connection. `tenantId` undefined leaves app.tenant_id unset, so
 * the work sees what a query without tenant context sees. A failing `work` rolls back and rethrows.
 */
export function asAppRole(sql: postgres.Sql) {
  return async function asApp<T>(tenantId: string | undefined, work: (db: AppConn) => Promise<T>, end: 'commit' | 'rollback' = 'rollback'): Promise<T> {
    const db = await sql.reserve()
    try {
      await db`begin`
      await db`select set_config('role', 'paksa_app', true)`
      if (tenantId !== undefined) await db`select set_config('app.tenant_id', ${tenantId}, true)`
      const result = await work(db)
      await db.unsafe(end)
      return result
    }
    catch (err) {
      await db`rollback`.catch(() => {})
      throw err
    }
    finally {
      db.release()
    }
  }
}
