/**
 * withTenant's transaction (db/tenant.ts): `begin` and the tenant binding sent together on one
 * reserved connection, the binding prepared. It must still be one transaction as `paksa_app` with
 * the tenant bound, at the isolation asked for; roll back when the work throws; and give the pool
 * back in working order. `finalQuery` sends `commit` behind the last statement: nothing may run
 * after it, and a failure of either the statement or the commit fails the transaction.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { finalQuery, preparedQuery, withTenant, withTenantFirst } from '../../db/tenant'

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

  const txidStatus = async (txid: string) => ((await owner`select txid_status(${txid}::bigint) as status`)[0] as { status: string }).status

  it('finalQuery commits with the last statement: the work refuses any later statement, and withTenant returns after the commit', async () => {
    const tenant = randomUUID()
    let txid = ''
    const later: unknown[] = []
    const result = await withTenant(tenant, async (tx) => {
      txid = (await tx.execute<State>(state()))[0]!.txid
      const [last] = await finalQuery<State>(tx, state())
      expect(last).toMatchObject({ user: 'paksa_app', tenant, txid })
      // drizzle wraps the refusal (its cause)
      later.push(await tx.execute(sql`select 1`).catch((e: Error) => (e.cause as Error).message))
      later.push(await preparedQuery(tx, sql`select 1`).catch((e: Error) => e.message))
      return last!.txid
    }, { commitWithLast: true })
    expect(result).toBe(txid)
    expect(later).toEqual([expect.stringMatching(/after finalQuery/), expect.stringMatching(/after finalQuery/)])
    expect(await txidStatus(txid)).toBe('committed')
    const [next] = await withTenant(tenant, tx => tx.execute<State>(state()))
    expect(next).toMatchObject({ user: 'paksa_app', tenant })
  })

  it('finalQuery whose statement fails rolls the whole transaction back, caught or not', async () => {
    const tenant = randomUUID()
    let txid = ''
    await expect(withTenant(tenant, async (tx) => {
      txid = (await tx.execute<State>(state()))[0]!.txid
      await finalQuery(tx, sql`select 1 / 0`)
    }, { commitWithLast: true })).rejects.toThrow(/division by zero/)
    expect(await txidStatus(txid)).toBe('aborted')
    // A work that swallows the failure does not turn the server's rollback into a success.
    await expect(withTenant(tenant, async (tx) => {
      txid = (await tx.execute<State>(state()))[0]!.txid
      await finalQuery(tx, sql`select 1 / 0`).catch(() => {})
      return 'done'
    }, { commitWithLast: true })).rejects.toThrow(/ROLLBACK, not COMMIT/)
    expect(await txidStatus(txid)).toBe('aborted')
  })

  it('finalQuery fails the transaction when the commit itself fails (a deferred check)', async () => {
    const tenant = randomUUID()
    let txid = ''
    await expect(withTenant(tenant, async (tx) => {
      txid = (await tx.execute<State>(state()))[0]!.txid
      await tx.execute(sql`create temp table once (n int unique deferrable initially deferred) on commit drop`)
      await tx.execute(sql`insert into once values (1)`)
      // The statement succeeds; the unique check runs at commit and fails it.
      await finalQuery(tx, sql`insert into once values (1)`)
      return 'done'
    }, { commitWithLast: true })).rejects.toThrow(/duplicate key/)
    expect(await txidStatus(txid)).toBe('aborted')
    const [next] = await withTenant(tenant, tx => tx.execute<State>(state()))
    expect(next).toMatchObject({ user: 'paksa_app', tenant })
  })

  it('finalQuery without commitWithLast is an ordinary statement: the transaction goes on', async () => {
    const tenant = randomUUID()
    const [a, b] = await withTenant(tenant, async tx => [(await finalQuery<State>(tx, state()))[0]!, (await tx.execute<State>(state()))[0]!])
    expect(b.txid).toBe(a.txid)
    expect(await txidStatus(a.txid)).toBe('committed')
  })
})
