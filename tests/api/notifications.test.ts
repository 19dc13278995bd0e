/**
 * In-app notifications (SPEC §6.13): each member's own list, newest first, with the unread count;
 * marking one or all read; isolation between members and tenants; and the live stream
 * (server-sent events) that shows a notification the moment its cause finishes.
 */
import { randomUUID } from 'node:crypto'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'

/** The database owner: notifications have no create route, so the list tests write rows directly. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

async function insertNotification(tenantId: string, userId: string, fields: { title: string, createdAt: string, type?: string, body?: string, link?: string | null }) {
  const [row] = await sql<{ id: string }[]>`
    insert into notifications (tenant_id, user_id, type, title, body, link, created_at)
    values (${tenantId}, ${userId}, ${fields.type ?? 'test.note'}, ${fields.title}, ${fields.body ?? ''}, ${fields.link ?? null}, ${fields.createdAt})
    returning id`
  return row!.id
}

describe('GET /api/v1/notifications', () => {
  let tenant: TestTenant
  let ids: string[]
  beforeAll(async () => {
    tenant = await createTenant()
    ids = [
      await insertNotification(tenant.id, tenant.owner.id, { title: 'Oldest', createdAt: '2026-01-01T10:00:00Z' }),
      await insertNotification(tenant.id, tenant.owner.id, { title: 'Newest', createdAt: '2026-01-03T10:00:00Z', body: 'Trial balance is ready', link: '/reports/exports' }),
      await insertNotification(tenant.id, tenant.owner.id, { title: 'Middle', createdAt: '2026-01-02T10:00:00Z' }),
    ]
  })

  it('lists the caller\'s notifications newest first as {data, page, pageSize, total, unread}', async () => {
    const res = await tenant.asOwner.get('/api/v1/notifications')
    expect(res.status, res.text).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual(['data', 'page', 'pageSize', 'total', 'unread'])
    expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 3, unread: 3 })
    expect(res.body.data.map((n: { title: string }) => n.title)).toEqual(['Newest', 'Middle', 'Oldest'])
    expect(res.body.data[0]).toEqual({
      id: ids[1], type: 'test.note', title: 'Newest', body: 'Trial balance is ready', link: '/reports/exports',
      readAt: null, createdAt: '2026-01-03T10:00:00.000Z',
    })
  })

  it('pages with page and pageSize while unread still counts them all', async () => {
    const res = await tenant.asOwner.get('/api/v1/notifications?page=2&pageSize=2')
    expect(res.body).toMatchObject({ page: 2, pageSize: 2, total: 3, unread: 3 })
    expect(res.body.data.map((n: { title: string }) => n.title)).toEqual(['Oldest'])
  })

  it('refuses a malformed page (400 VALIDATION_FAILED) and an anonymous caller (401)', async () => {
    const bad = await tenant.asOwner.get('/api/v1/notifications?pageSize=0')
    expect(bad.status).toBe(400)
    expect(bad.body.data.code).toBe('VALIDATION_FAILED')
    const anonymous = await tenant.asOwner.get('/api/v1/notifications', { token: '' })
    expect(anonymous.status).toBe(401)
  })

  it('shows a member none of another member\'s notifications', async () => {
    const member = await addMember(tenant, ['viewer'])
    const res = await member.client.get('/api/v1/notifications')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ total: 0, unread: 0, data: [] })
  })
})

describe('marking notifications read', () => {
  let tenant: TestTenant
  let first: string
  let second: string
  let third: string
  beforeAll(async () => {
    tenant = await createTenant()
    first = await insertNotification(tenant.id, tenant.owner.id, { title: 'One', createdAt: '2026-02-01T10:00:00Z' })
    second = await insertNotification(tenant.id, tenant.owner.id, { title: 'Two', createdAt: '2026-02-02T10:00:00Z' })
    third = await insertNotification(tenant.id, tenant.owner.id, { title: 'Three', createdAt: '2026-02-03T10:00:00Z' })
  })

  it('marks one read (POST /notifications/{id}/read), lowering the unread count; again keeps the first time', async () => {
    const res = await tenant.asOwner.post(`/api/v1/notifications/${first}/read`)
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ id: first, title: 'One' })
    expect(Date.parse(res.body.readAt)).toBeGreaterThan(Date.now() - 60_000)
    const again = await tenant.asOwner.post(`/api/v1/notifications/${first}/read`)
    expect(again.status).toBe(200)
    expect(again.body.readAt).toBe(res.body.readAt)
    const list = await tenant.asOwner.get('/api/v1/notifications')
    expect(list.body.unread).toBe(2)
    const unreadOnly = await tenant.asOwner.get('/api/v1/notifications?unread=true')
    expect(unreadOnly.body.data.map((n: { id: string }) => n.id)).toEqual([third, second])
  })

  it('answers 404 for another member\'s notification and changes nothing', async () => {
    const member = await addMember(tenant, ['admin'])
    const res = await member.client.post(`/api/v1/notifications/${second}/read`)
    expect(res.status).toBe(404)
    expect(res.body.data.code).toBe('NOT_FOUND')
    const [row] = await sql`select read_at from notifications where id = ${second}`
    expect(row!.read_at).toBeNull()
  })

  it('answers 404 for another tenant\'s notification and changes nothing', async () => {
    const other = await createTenant()
    const foreign = await insertNotification(other.id, other.owner.id, { title: 'Elsewhere', createdAt: '2026-02-04T10:00:00Z' })
    const res = await tenant.asOwner.post(`/api/v1/notifications/${foreign}/read`)
    expect(res.status).toBe(404)
    const [row] = await sql`select read_at from notifications where id = ${foreign}`
    expect(row!.read_at).toBeNull()
  })

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await tenant.asOwner.post(`/api/v1/notifications/${randomUUID()}/read`)).status).toBe(404)
    const bad = await tenant.asOwner.post('/api/v1/notifications/not-a-uuid/read')
    expect(bad.status).toBe(400)
    expect(bad.body.data.fields.id).toBeTruthy()
  })

  it('marks all the caller\'s notifications read (POST /notifications/read-all) and no one else\'s', async () => {
    const member = await addMember(tenant, ['viewer'])
    const theirs = await insertNotification(tenant.id, member.id, { title: 'Member note', createdAt: '2026-02-05T10:00:00Z' })
    // The owner's unread ones include "… accepted the invitation" for each member who joined.
    const unread = (await tenant.asOwner.get('/api/v1/notifications')).body.unread
    expect(unread).toBeGreaterThanOrEqual(2)
    const res = await tenant.asOwner.post('/api/v1/notifications/read-all')
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({ updated: unread })
    const list = await tenant.asOwner.get('/api/v1/notifications')
    expect(list.body.unread).toBe(0)
    expect(list.body.data.every((n: { readAt: string | null }) => n.readAt !== null)).toBe(true)
    const [row] = await sql`select read_at from notifications where id = ${theirs}`
    expect(row!.read_at).toBeNull()
    expect((await tenant.asOwner.post('/api/v1/notifications/read-all')).body).toEqual({ updated: 0 })
  })
})

interface OpenStream { response: IncomingMessage, received: () => string, waitFor: (pattern: RegExp, ms?: number) => Promise<RegExpMatchArray>, close: () => void }

/** Opens the notification stream with node:http (EventSource-like: Host header and Bearer token). */
function openStream(host: string, token: string): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${inject('baseUrl')}/api/v1/notifications/stream`, { headers: { host, authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (response) => {
      let text = ''
      const waiters = new Set<() => void>()
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
        for (const check of waiters) check()
      })
      resolve({
        response,
        received: () => text,
        waitFor: (pattern, ms = 30_000) => new Promise((done, fail) => {
          const check = () => {
            const match = text.match(pattern)
            if (!match) return
            waiters.delete(check)
            clearTimeout(timer)
            done(match)
          }
          const timer = setTimeout(() => {
            waiters.delete(check)
            fail(new Error(`no ${pattern} in the stream within ${ms} ms; received: ${JSON.stringify(text)}`))
          }, ms)
          waiters.add(check)
          check()
        }),
        close: () => req.destroy(),
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET') reject(err)
    })
    req.end()
  })
}

describe('GET /api/v1/notifications/stream', () => {
  it('answers an unbuffered, uncached text/event-stream that opens at once', async () => {
    const tenant = await createTenant()
    const stream = await openStream(tenant.host, tenant.owner.token)
    try {
      expect(stream.response.statusCode).toBe(200)
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/)
      expect(stream.response.headers['cache-control']).toMatch(/no-store/)
      expect(stream.response.headers['content-encoding']).toBeUndefined()
      await stream.waitFor(/: connected\n\n/, 5000)
    }
    finally {
      stream.close()
    }
  })

  it('refuses an anonymous caller (401)', async () => {
    const tenant = await createTenant()
    const stream = await openStream(tenant.host, '')
    stream.close()
    expect(stream.response.statusCode).toBe(401)
  })

  it('sends `event: notification` when the caller\'s export finishes, and nothing to another member', async () => {
    const tenant = await createTenant({ chartOfAccounts: 'standard' })
    const member = await addMember(tenant, ['viewer'])
    // Their joining notified the owner; start from nothing unread.
    await tenant.asOwner.post('/api/v1/notifications/read-all')
    const mine = await openStream(tenant.host, tenant.owner.token)
    const theirs = await openStream(tenant.host, member.token)
    try {
      await mine.waitFor(/: connected/, 5000)
      await theirs.waitFor(/: connected/, 5000)
      const created = await tenant.asOwner.post('/api/v1/exports', { json: { report: 'trial-balance', format: 'csv', params: {} } })
      expect(created.status, created.text).toBe(202)
      const [, json] = await mine.waitFor(/event: notification\ndata: (.+)\n\n/)
      const notification = JSON.parse(json!)
      expect(notification).toMatchObject({ type: 'export.completed', readAt: null })
      expect(typeof notification.title).toBe('string')
      const list = await tenant.asOwner.get('/api/v1/notifications')
      expect(list.body.data[0].id).toBe(notification.id)
      expect(list.body.unread).toBe(1)
      expect(theirs.received()).not.toContain('event: notification')
    }
    finally {
      mine.close()
      theirs.close()
    }
  })
})
