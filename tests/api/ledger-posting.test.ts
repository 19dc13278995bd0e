/**
 * The one posting path (docs/posting.md): every posting records its source document and is
 * filterable by it, create-and-post writes one audit event, and an entry refused for any reason
 * never takes the tenant-wide locks — it answers while another session holds the tenant's
 * audit-chain lock, whereas a good posting waits for that lock.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { sendEntry } from '../support/ledger'

/** The database owner, to read audit rows and to hold a tenant's chain lock as a rival session would. */
const sql = postgres(inject('databaseUrl'), { max: 4, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
})

describe('the source of a posting', () => {
  it('a manual entry has no source; its reversal names the reversed entry, and the list filters by source', async () => {
    const original = await sendEntry(t.asOwner, { post: true })
    expect(original.status, original.text).toBe(201)
    expect(original.body.source).toBeNull()
    const other = await sendEntry(t.asOwner, { post: true })
    const reversal = await t.asOwner.post(`/api/v1/journal-entries/${original.body.id}/reverse`, { json: {} })
    expect(reversal.status, reversal.text).toBe(201)
    expect(reversal.body.source).toEqual({ type: 'journal_entry', id: original.body.id })
    expect((await t.asOwner.get(`/api/v1/journal-entries/${reversal.body.id}`)).body.source).toEqual({ type: 'journal_entry', id: original.body.id })
    // The answer is built from the writes; it equals what a read gives afterwards.
    expect((await t.asOwner.get(`/api/v1/journal-entries/${reversal.body.id}`)).body).toEqual(reversal.body)
    expect((await t.asOwner.get(`/api/v1/journal-entries/${original.body.id}`)).body.reversedById).toBe(reversal.body.id)

    const bySource = await t.asOwner.get(`/api/v1/journal-entries?sourceType=journal_entry&sourceId=${original.body.id}`)
    expect(bySource.status).toBe(200)
    expect(bySource.body.data.map((e: { id: string }) => e.id)).toEqual([reversal.body.id])
    expect(bySource.body.data[0].source).toEqual({ type: 'journal_entry', id: original.body.id })
    const byType = await t.asOwner.get('/api/v1/journal-entries?sourceType=journal_entry&pageSize=100')
    expect(byType.body.data.map((e: { id: string }) => e.id)).toContain(reversal.body.id)
    expect(byType.body.data.map((e: { id: string }) => e.id)).not.toContain(other.body.id)
  })

  it('refuses an unknown source type or a malformed source id (400 VALIDATION)', async () => {
    const badType = await t.asOwner.get('/api/v1/journal-entries?sourceType=invoice_of_doom')
    expect(badType.status).toBe(400)
    expect(badType.body.data.fields).toHaveProperty('sourceType')
    const badId = await t.asOwner.get('/api/v1/journal-entries?sourceId=42')
    expect(badId.status).toBe(400)
    expect(badId.body.data.fields).toHaveProperty('sourceId')
  })
})

describe('auditing a posting', () => {
  it('create-and-post writes one audit event carrying the number, and the chain verifies', async () => {
    const res = await sendEntry(t.asOwner, { post: true, memo: `One event ${randomBytes(4).toString('hex')}` })
    expect(res.status).toBe(201)
    const events = await sql<{ action: string, after: { number: number, entryId: string, memo: string } }[]>`
      select action, after from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ action: 'journal_entry.post', after: { number: res.body.number, entryId: res.body.id, memo: res.body.memo } })
    const verify = await t.asOwner.get('/api/v1/audit/verify')
    expect(verify.body).toMatchObject({ ok: true })
  })
})

describe('a refused entry costs nothing', () => {
  it('answers its 4xx while another session holds the tenant\'s audit-chain lock, whereas a good posting waits for it', async () => {
    const c = await createTenant({ chartOfAccounts: 'standard' })
    // A closed January, and an Idempotency-Key already used, set up before the lock is taken.
    await sendEntry(c.asOwner, { post: true, date: '2026-02-15' })
    const january = (await c.asOwner.get('/api/v1/fiscal-periods')).body.data.find((p: { startDate: string }) => p.startDate === '2026-01-01')
    expect((await c.asOwner.post(`/api/v1/fiscal-periods/${january.id}/close`)).status).toBe(200)
    const key = randomBytes(8).toString('hex')
    expect((await sendEntry(c.asOwner, { post: true, memo: 'First use of the key' }, { 'idempotency-key': key })).status).toBe(201)

    const holder = await sql.reserve()
    try {
      await holder`begin`
      await holder`select pg_advisory_xact_lock(hashtextextended('audit:' || ${c.id}::text, 0))`
      let goodDone = false
      const good = sendEntry(c.asOwner, { post: true, memo: 'Waits for the lock' }).then((r) => {
        goodDone = true
        return r
      })
      // Generous: the point is that they finish at all while the lock is held, not how fast.
      const refused = await Promise.race([
        Promise.all([
          sendEntry(c.asOwner, { post: true, lines: [{ accountCode: '1000', debit: '10.00' }, { accountCode: '3000', credit: '9.00' }] }),
          sendEntry(c.asOwner, { post: true, date: '2026-01-20' }),
          sendEntry(c.asOwner, { post: true, lines: [{ accountCode: '1000', debit: '10.00' }, { accountCode: 'NO-SUCH', credit: '10.00' }] }),
          sendEntry(c.asOwner, { post: true, memo: 'Another body with the same key' }, { 'idempotency-key': key }),
        ]),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a refused entry waited for the tenant-wide lock')), 20_000)),
      ])
      expect(refused.map(r => [r.status, r.body.data.code])).toEqual([
        [422, 'LEDGER_UNBALANCED'],
        [422, 'LEDGER_PERIOD_CLOSED'],
        [400, 'UNKNOWN_ACCOUNT'],
        [409, 'IDEMPOTENCY_KEY_REUSED'],
      ])
      // The good posting is queued behind the lock the refused ones never asked for.
      await expect.poll(async () => (await sql`select 1 from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`).length, { timeout: 20_000 }).toBe(1)
      expect(goodDone).toBe(false)
      await holder`commit`
      const posted = await good
      expect(posted.status, posted.text).toBe(201)
      expect(posted.body.status).toBe('posted')
    }
    finally {
      await holder`rollback`.catch(() => {})
      holder.release()
    }
    expect((await c.asOwner.get('/api/v1/audit/verify')).body).toMatchObject({ ok: true })
  })
})
