/**
 * The event feed against the database itself (migration 0017, server/domain/events): a follower
 * never skips an event whose transaction started earlier but committed later; the table is
 * append-only; its type list is the one TypeScript knows.
 *
 * Transaction A (older) writes an event and stays open; B (younger) writes one and commits. While A
 * runs, the feed hands out neither — B's must not go out ahead of A's, or a follower's cursor would
 * move past A's event before it commits. Once A commits, both, A's first.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { closeDatabase, connect, setDatabase } from '../../db/client'
import { withTenant } from '../../db/tenant'
import { decodeCursor } from '../../server/domain/events/cursor'
import { listEvents, recordEvent } from '../../server/domain/events/events'
import { EVENT_TYPES } from '../../server/domain/events/types'
import { createTenant, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'

const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
const asApp = asAppRole(sql)
let t: TestTenant

beforeAll(async () => {
  setDatabase(connect(inject('databaseUrl'), { max: 4 }))
  t = await createTenant()
})

afterAll(async () => {
  await closeDatabase()
  await sql.end()
})

const feed = (after?: string) => withTenant(t.id, tx => listEvents(tx, { after: after ? decodeCursor(after) : undefined, limit: 100 }))

/** Waits until every transaction up to `txid` has finished cluster-wide (other test runs share the server). */
async function settled(txid: string) {
  for (;;) {
    const [row] = await sql<{ done: boolean }[]>`select pg_snapshot_xmin(pg_current_snapshot()) > ${txid}::xid8 as done`
    if (row!.done) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('a follower', () => {
  it('does not skip an event whose transaction started earlier and committed later', async () => {
    const start = await feed()
    expect(start.data).toEqual([])

    const a = await sql.reserve()
    try {
      await a`begin`
      await a`select set_config('role', 'paksa_app', true), set_config('app.tenant_id', ${t.id}, true)`
      const [eventA] = await a<{ id: string, txid: string }[]>`
        insert into events (tenant_id, type, entity_type, entity_id, data)
        values (${t.id}, 'customer.created', 'customer', gen_random_uuid(), '{"who":"A"}') returning id, txid::text`

      // B starts after A, writes, commits.
      const eventB = await withTenant(t.id, async (tx) => {
        const row = await recordEvent(tx, t.id, { type: 'customer.created', entityType: 'customer', entityId: crypto.randomUUID(), data: { who: 'B' } })
        return row
      })
      const [{ txid: txidB }] = await sql<{ txid: string }[]>`select txid::text from events where id = ${eventB.id}` as unknown as [{ txid: string }]
      expect(BigInt(txidB)).toBeGreaterThan(BigInt(eventA!.txid))

      // A is still open: B's event is committed and visible, yet the feed must not hand it out.
      expect(await sql`select count(*)::int as n from events where id = ${eventB.id}`).toEqual([{ n: 1 }])
      const during = await feed()
      expect(during.data).toEqual([])
      expect(during.nextCursor).toBe(start.nextCursor)
      // Nor to a follower that already holds a cursor.
      expect((await feed(start.nextCursor)).data).toEqual([])

      await a`commit`
      await settled(txidB)
      const after = await feed(during.nextCursor)
      expect(after.data.map(e => e.data)).toEqual([{ who: 'A' }, { who: 'B' }])
      expect(after.data.map(e => e.id)).toEqual([eventA!.id, eventB.id])
      expect((await feed(after.nextCursor)).data).toEqual([])
    }
    finally {
      await a`rollback`.catch(() => {})
      a.release()
    }
  })

  it('orders by transaction, not by insertion: an older transaction\'s later insert goes out first, and the younger one\'s earlier insert is not skipped', async () => {
    // S takes its transaction id first; T (younger) inserts first and stays open; S inserts after T
    // and commits. A feed ordered by insertion alone would hand out S's event (its transaction is
    // older than T's, so finished-before-xmin), move the cursor past T's earlier position, and skip
    // T's event when it commits.
    const before = await feed()
    const open = async () => {
      const c = await sql.reserve()
      await c`begin`
      await c`select set_config('role', 'paksa_app', true), set_config('app.tenant_id', ${t.id}, true)`
      return c
    }
    const insert = (c: Awaited<ReturnType<typeof open>>, who: string) => c<{ id: string, seq: string }[]>`
      insert into events (tenant_id, type, entity_type, entity_id, data)
      values (${t.id}, 'customer.created', 'customer', gen_random_uuid(), ${sql.json({ who })}) returning id, seq::text`
    const s = await open()
    const tt = await open()
    try {
      const [{ txid: txidS }] = await s<{ txid: string }[]>`select pg_current_xact_id()::text as txid` as unknown as [{ txid: string }]
      const [eventT] = await insert(tt, 'T')
      const [eventS] = await insert(s, 'S')
      expect(BigInt(eventS!.seq)).toBeGreaterThan(BigInt(eventT!.seq))
      await s`commit`
      await settled(txidS)
      const first = await feed(before.nextCursor)
      expect(first.data.map(e => e.data)).toEqual([{ who: 'S' }])
      await tt`commit`
      const [{ txid: now }] = await sql<{ txid: string }[]>`select pg_current_xact_id()::text as txid` as unknown as [{ txid: string }]
      await settled(now)
      expect((await feed(first.nextCursor)).data.map(e => e.data)).toEqual([{ who: 'T' }])
    }
    finally {
      for (const c of [s, tt]) {
        await c`rollback`.catch(() => {})
        c.release()
      }
    }
  })

  it('never sees an event of a rolled-back transaction', async () => {
    const before = await feed()
    const entityId = crypto.randomUUID()
    await asApp(t.id, db => db`insert into events (tenant_id, type, entity_type, entity_id) values (${t.id}, 'customer.created', 'customer', ${entityId})`, 'rollback')
    const [{ txid }] = await sql<{ txid: string }[]>`select pg_current_xact_id()::text as txid` as unknown as [{ txid: string }]
    await settled(txid)
    expect((await feed(before.nextCursor)).data).toEqual([])
    expect(await sql`select count(*)::int as n from events where entity_id = ${entityId}`).toEqual([{ n: 0 }])
  })
})

describe('the events table', () => {
  it('is append-only: the app may not update or delete, and not even the owner can', async () => {
    const [row] = await sql<{ id: string }[]>`insert into events (tenant_id, type, entity_type, entity_id) values (${t.id}, 'customer.created', 'customer', gen_random_uuid()) returning id`
    await expect(asApp(t.id, db => db`update events set data = '{"x":1}' where id = ${row!.id}`)).rejects.toMatchObject({ code: '42501' })
    await expect(asApp(t.id, db => db`delete from events where id = ${row!.id}`)).rejects.toMatchObject({ code: '42501' })
    await expect(sql`update events set data = '{"x":1}' where id = ${row!.id}`).rejects.toThrow(/immutable/)
    await expect(sql`delete from events where id = ${row!.id}`).rejects.toThrow(/immutable/)
  })

  it('takes only the SPEC\'s event types, the same list as server/domain/events/types.ts', async () => {
    const [check] = await sql<{ def: string }[]>`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'events_type_check'`
    const inDatabase = [...check!.def.matchAll(/'([\w.]+)'::text/g)].map(m => m[1]).sort()
    expect(inDatabase).toEqual([...EVENT_TYPES].sort())
    await expect(asApp(t.id, db => db`insert into events (tenant_id, type, entity_type, entity_id) values (${t.id}, 'customer.deleted', 'customer', gen_random_uuid())`))
      .rejects.toMatchObject({ code: '23514' })
  })
})
