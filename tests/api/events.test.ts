/**
 * The event feed through the real server (SPEC §5 `GET /api/v1/events`; server/domain/events):
 * creating a customer records one `customer.created` event in its transaction, a refused creation
 * none; the cursor pages through every event once, in order; another tenant sees none; a malformed
 * cursor is a 400; the feed needs `audit:read`.
 *
 * The feed hands out an event once every transaction older than it has finished — cluster-wide, so
 * a transaction of another test run can hold it back for a moment. `feedUntil` therefore reads
 * until the expected events are there (a wait, not a timed assertion: what is asserted is the
 * content and order, whenever it arrives).
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant
let other: TestTenant

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant(), createTenant()])
})

interface FeedEvent { id: string, type: string, occurredAt: string, data: { id: string, code: string | null, name: string } }

/** Every event from `after` on, following nextCursor page by page. */
async function readFeed(c: TestTenant, limit = 100, after?: string): Promise<{ events: FeedEvent[], cursor: string, pages: number }> {
  const events: FeedEvent[] = []
  let cursor = after
  let pages = 0
  for (;;) {
    const res = await c.asOwner.get(`/api/v1/events?limit=${limit}${cursor ? `&after=${cursor}` : ''}`)
    expect(res.status, res.text).toBe(200)
    pages += 1
    events.push(...res.body.data)
    if (res.body.data.length < limit) return { events, cursor: res.body.nextCursor, pages }
    expect(res.body.nextCursor).not.toBe(cursor)
    cursor = res.body.nextCursor
  }
}

async function feedUntil(c: TestTenant, done: (events: FeedEvent[]) => boolean, limit = 100) {
  for (let attempt = 0; ; attempt += 1) {
    const feed = await readFeed(c, limit)
    if (done(feed.events) || attempt >= 200) return feed
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

const createCustomer = async (name: string, code?: string) => {
  const res = await t.asOwner.post('/api/v1/customers', { json: { name, ...(code ? { code } : {}) } })
  expect(res.status, res.text).toBe(201)
  return res.body as { id: string }
}

describe('recording', () => {
  it('creating a customer records one customer.created event with the customer as the API answered it', async () => {
    const customer = await createCustomer('Northwind Traders', 'EV-1')
    const { events } = await feedUntil(t, es => es.some(e => e.data.id === customer.id))
    const mine = events.filter(e => e.data.id === customer.id)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ type: 'customer.created', data: { id: customer.id, name: 'Northwind Traders', code: 'EV-1', balance: '0.00' } })
    expect(mine[0]!.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const rows = await sql`select type, entity_type, entity_id from events where tenant_id = ${t.id} and entity_id = ${customer.id}`
    expect(rows).toEqual([{ type: 'customer.created', entity_type: 'customer', entity_id: customer.id }])
  })

  it('a refused creation (409, the code is taken) records nothing', async () => {
    await createCustomer('First holder', 'EV-DUP')
    const before = await sql`select count(*)::int as n from events where tenant_id = ${t.id}`
    const res = await t.asOwner.post('/api/v1/customers', { json: { name: 'Second holder', code: 'EV-DUP' } })
    expect(res.status, res.text).toBe(409)
    expect(await sql`select count(*)::int as n from events where tenant_id = ${t.id}`).toEqual(before)
    expect(await sql`select count(*)::int as n from events where tenant_id = ${t.id} and data->>'name' = 'Second holder'`).toEqual([{ n: 0 }])
    const customers = await sql`select count(*)::int as n from customers where tenant_id = ${t.id}`
    expect(before).toEqual(customers) // one event per customer, no more
  })
})

describe('following the feed', () => {
  it('pages with the cursor: every event once, in the order the creations committed', async () => {
    const created: string[] = []
    for (let i = 1; i <= 5; i += 1) created.push((await createCustomer(`Paged ${i}`)).id)
    const { events, pages } = await feedUntil(t, es => created.every(id => es.some(e => e.data.id === id)), 2)
    expect(pages).toBeGreaterThanOrEqual(4)
    const ids = events.map(e => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    const order = events.map(e => e.data.id).filter(id => created.includes(id))
    expect(order).toEqual(created)
    const all = await sql<{ id: string }[]>`select id from events where tenant_id = ${t.id}`
    expect([...ids].sort()).toEqual(all.map(r => r.id).sort())
  })

  it('keeps the follower\'s place: asked after the last event, nothing; after a new one, only that', async () => {
    const first = await createCustomer('Before the cursor')
    const { cursor } = await feedUntil(t, es => es.some(e => e.data.id === first.id))
    const empty = await t.asOwner.get(`/api/v1/events?after=${cursor}`)
    expect(empty.body).toEqual({ data: [], nextCursor: cursor })
    const next = await createCustomer('After the cursor')
    let seen: FeedEvent[] = []
    for (let attempt = 0; attempt < 200 && !seen.length; attempt += 1) {
      seen = (await readFeed(t, 100, cursor)).events
      if (!seen.length) await new Promise(resolve => setTimeout(resolve, 50))
    }
    expect(seen.map(e => e.data.id)).toEqual([next.id])
  })

  it('another tenant sees none of them, even with this tenant\'s cursor', async () => {
    const res = await other.asOwner.get('/api/v1/events')
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual([])
    const { cursor } = await readFeed(t, 1)
    expect((await other.asOwner.get(`/api/v1/events?after=${cursor}`)).body.data).toEqual([])
  })
})

describe('refusals', () => {
  it('a cursor the feed did not hand out is a 400, as are limits out of range', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url')
    for (const after of ['not-a-cursor!', b64('abc'), b64('1.2.3'), b64('-1.5'), b64('01.5'), b64('99999999999999999999999.1'), `${b64('12.34')}=`, '']) {
      const res = await t.asOwner.get(`/api/v1/events?after=${encodeURIComponent(after)}`)
      expect(res.status, after).toBe(400)
      expect(res.body.data.code, after).toBe('VALIDATION_FAILED')
    }
    for (const limit of ['0', '501', 'x', '1.5']) expect((await t.asOwner.get(`/api/v1/events?limit=${limit}`)).status, limit).toBe(400)
    expect((await t.asOwner.get(`/api/v1/events?after=${b64('12.34')}`)).status).toBe(200)
  })

  it('needs audit:read: an auditor reads it, a viewer and an AR clerk do not (403)', async () => {
    const [auditor, viewer, clerk] = await Promise.all([addMember(t, ['auditor']), addMember(t, ['viewer']), addMember(t, ['ar_clerk'])])
    expect((await auditor.client.get('/api/v1/events')).status).toBe(200)
    expect((await viewer.client.get('/api/v1/events')).status).toBe(403)
    expect((await clerk.client.get('/api/v1/events')).status).toBe(403)
  })
})
