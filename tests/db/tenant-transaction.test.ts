/**
 * withTenant's transaction (db/tenant.ts): `begin` and the tenant binding sent together on one
 * reserved connection, the binding prepared. It must still be one transaction as `paksa_app` with
 * the tenant bound, at the isolation asked for; roll back when the work throws; and give the pool
 * back in working order.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { withTenant, withTenantFirst } from '../../db/tenant'

const owner = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })

beforeAll(() => {
  // A pool of one: every transaction below reuses (or must replace) the same connection.
  setDatabase(connect(inject('databaseUrl'), { max: 1 }))
})

afterAll(async () => {
  await closeDatabase()
  await owner.end()
})

const state = () => sql`select current_user as "user", current_setting('app.tenant_id') as tenant, current_setting('transaction_isolation') as isolation,
  pg_backend_pid() as pid, txid_current() as txid`
type State = { user: string, tenant: string, isolation: string, pid: number, txid: string }

describe('withTenant', () => {
  it('binds the tenant as paksa_app in one transaction, at the isolation asked for', async () => {
    const tenant = randomUUID()
    const [a, b] = await withTenant(tenant, async tx => [(await tx.execute<State>(state()))[0]!, (await tx.execute<State>(state()))[0]!])
    expect(a).toMatchObject({ user: 'paksa_app', tenant, isolation: 'read committed' })
    expect(b.txid).toBe(a.txid)
    const [rr] = await withTenant(tenant, tx => tx.execute<State>(state()), { isolation: 'repeatable read' })
    expect(rr).toMatchObject({ user: 'paksa_app', tenant, isolation: 'repeatable read' })
    expect(rr!.txid).not.toBe(a.txid)
  })

  it('withTenantFirst hands the first statement\'s rows over, read inside the transaction', async () => {
    const tenant = randomUUID()
    const got = await withTenantFirst<State, [State, State]>(tenant, state(), async (tx, rows) => [rows[0]!, (await tx.execute<State>(state()))[0]!])
    expect(got[0]).toMatchObject({ user: 'paksa_app', tenant })
    expect(got[1].txid).toBe(got[0].txid)
  })

  it('rolls back when the work throws, after a failed statement too, and the connection serves the next one', async () => {
    const tenant = randomUUID()
    let txid = ''
    await expect(withTenant(tenant, async (tx) => {
      txid = (await tx.execute<State>(state()))[0]!.txid
      await tx.execute(sql`select 1 / 0`)
    })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/division by zero/) } })
    const [row] = await owner`select txid_status(${txid}::bigint) as status` as unknown as [{ status: string }]
    expect(row!.status).toBe('aborted')
    const [next] = await withTenant(tenant, tx => tx.execute<State>(state()))
    expect(next).toMatchObject({ user: 'paksa_app', tenant })
  })
})
