/**
 * Fiscal periods through the real server (SPEC 6.3): twelve monthly periods from the first
 * posting, closing in order and never over drafts, no posting into a closed period, reopening
 * latest first with an audited reason, and who may close.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

interface Period { id: string, number: number, startDate: string, endDate: string, status: 'open' | 'closed', closedAt: string | null }

let t: TestTenant
let periods: Period[]
const byMonth = (m: number) => periods[m - 1]!

const entry = (date: string, post = true) => t.asOwner.post('/api/v1/journal-entries', {
  json: { date, memo: `On ${date}`, post, lines: [{ accountCode: '1000', debit: '5.00' }, { accountCode: '3000', credit: '5.00' }] },
})

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
})

describe('periods', () => {
  it('there are none before the first posting; afterwards the year has 12 monthly periods', async () => {
    expect((await t.asOwner.get('/api/v1/fiscal-periods')).body.data).toEqual([])
    expect((await entry('2026-01-20')).status).toBe(201)
    const res = await t.asOwner.get('/api/v1/fiscal-periods')
    expect(res.status).toBe(200)
    periods = res.body.data
    expect(periods).toHaveLength(12)
    expect(periods.map(p => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    expect(periods.map(p => p.startDate)).toEqual(Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`))
    expect(byMonth(2)).toMatchObject({ endDate: '2026-02-28', status: 'open', closedAt: null })
    expect(byMonth(12).endDate).toBe('2026-12-31')
    const years = new Set(periods.map(p => (p as Period & { fiscalYearId: string }).fiscalYearId))
    expect(years.size).toBe(1)
  })

  it('periods close in order: February while January is open → 422 PERIOD_CLOSE_ORDER', async () => {
    const res = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(2).id}/close`)
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('PERIOD_CLOSE_ORDER')
  })

  it('a period with a draft dated in it cannot close (422 PERIOD_HAS_DRAFTS) until the draft is gone', async () => {
    const draft = await entry('2026-01-25', false)
    expect(draft.status).toBe(201)
    const res = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(1).id}/close`)
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('PERIOD_HAS_DRAFTS')
    expect((await t.asOwner.delete(`/api/v1/journal-entries/${draft.body.id}`)).status).toBe(200)
  })

  it('a viewer or an ap_clerk may not close (403); an accountant may', async () => {
    const viewer = await addMember(t, ['viewer'])
    const clerk = await addMember(t, ['ap_clerk'])
    const accountant = await addMember(t, ['accountant'])
    expect((await viewer.client.post(`/api/v1/fiscal-periods/${byMonth(1).id}/close`)).status).toBe(403)
    expect((await clerk.client.post(`/api/v1/fiscal-periods/${byMonth(1).id}/close`)).status).toBe(403)
    expect((await viewer.client.get('/api/v1/fiscal-periods')).status).toBe(200)
    const res = await accountant.client.post(`/api/v1/fiscal-periods/${byMonth(1).id}/close`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: byMonth(1).id, status: 'closed' })
    expect(res.body.closedAt).toBeTruthy()
    const again = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(1).id}/close`)
    expect(again.status).toBe(422)
    expect(again.body.data.code).toBe('PERIOD_ALREADY_CLOSED')
  })

  it('nothing posts into a closed period (422 LEDGER_PERIOD_CLOSED), as a new entry or by posting a draft', async () => {
    const res = await entry('2026-01-31')
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    const draft = await entry('2026-01-31', false)
    expect(draft.status).toBe(422)
    expect(draft.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    expect((await entry('2026-02-01')).status).toBe(201)
  })

  it('a draft cannot move into a closed period, and one in an open period still posts', async () => {
    const draft = await entry('2026-03-15', false)
    expect(draft.status).toBe(201)
    expect((await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(2).id}/close`)).status).toBe(200)
    // Moving the draft into the closed period is refused; it stays in March.
    const moved = await t.asOwner.patch(`/api/v1/journal-entries/${draft.body.id}`, { json: { date: '2026-02-10', memo: 'moved', lines: [{ accountCode: '1000', debit: '5.00' }, { accountCode: '3000', credit: '5.00' }] } })
    expect(moved.status).toBe(422)
    expect(moved.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    expect((await t.asOwner.post(`/api/v1/journal-entries/${draft.body.id}/post`)).status).toBe(200)
  })

  it('reopening goes latest first (422 PERIOD_REOPEN_ORDER otherwise), with a reason that is audited', async () => {
    const early = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(1).id}/reopen`, { json: { reason: 'too early' } })
    expect(early.status).toBe(422)
    expect(early.body.data.code).toBe('PERIOD_REOPEN_ORDER')

    const viewer = await addMember(t, ['viewer'])
    expect((await viewer.client.post(`/api/v1/fiscal-periods/${byMonth(2).id}/reopen`, { json: {} })).status).toBe(403)

    const feb = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(2).id}/reopen`, { json: { reason: 'Late supplier invoice' } })
    expect(feb.status).toBe(200)
    expect(feb.body).toMatchObject({ status: 'open', closedAt: null })
    const jan = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(1).id}/reopen`, { json: {} })
    expect(jan.status).toBe(200)
    const twice = await t.asOwner.post(`/api/v1/fiscal-periods/${byMonth(1).id}/reopen`, { json: {} })
    expect(twice.status).toBe(422)
    expect(twice.body.data.code).toBe('PERIOD_ALREADY_OPEN')

    const events = await sql<{ entityId: string, actorId: string, after: { reason: string | null } }[]>`
      select entity_id as "entityId", actor_id as "actorId", after from audit_events
      where tenant_id = ${t.id} and action = 'period.reopen' order by seq`
    expect(events.map(e => [e.entityId, e.after.reason])).toEqual([[byMonth(2).id, 'Late supplier invoice'], [byMonth(1).id, null]])
    expect(events[0]!.actorId).toBe(t.owner.id)
    const closes = await sql`select entity_id from audit_events where tenant_id = ${t.id} and action = 'period.close'`
    expect(closes).toHaveLength(2)

    // Open again: January takes postings once more.
    expect((await entry('2026-01-31')).status).toBe(201)
  })

  it('another tenant\'s period is 404', async () => {
    const other = await createTenant({ chartOfAccounts: 'standard' })
    expect((await other.asOwner.post(`/api/v1/fiscal-periods/${byMonth(3).id}/close`)).status).toBe(404)
    expect((await other.asOwner.post(`/api/v1/fiscal-periods/${byMonth(3).id}/reopen`, { json: {} })).status).toBe(404)
  })
})
