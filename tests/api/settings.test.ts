/**
 * Organisation settings through the real server (SPEC §5 `GET/PATCH /api/v1/settings`): defaults,
 * changes that every member sees, the fixed lists and IANA zones, settings:manage to change,
 * optimistic concurrency, the audit trail, and one tenant's settings invisible to another.
 */
import { execFileSync } from 'node:child_process'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, request, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let acme: TestTenant
let other: TestTenant
let viewer: Awaited<ReturnType<typeof addMember>>
let accountant: Awaited<ReturnType<typeof addMember>>

beforeAll(async () => {
  [acme, other] = await Promise.all([createTenant({ name: 'Acme Ltd' }), createTenant({ name: 'Other Co' })])
  ;[viewer, accountant] = await Promise.all([addMember(acme, ['viewer']), addMember(acme, ['accountant'])])
})

const DEFAULTS = { address: null, taxNumber: null, timeZone: 'UTC', dateFormat: 'D MMM YYYY', numberFormat: '1,234.56', negativeStyle: 'minus' }

describe('reading', () => {
  it('a new tenant has the defaults at version 1, its name being the tenant\'s, for any member', async () => {
    const res = await other.asOwner.get('/api/v1/settings')
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ name: 'Other Co', ...DEFAULTS, version: 1 })
    expect(res.headers.get('etag')).toBe('"1"')
    const asViewer = await viewer.client.get('/api/v1/settings')
    expect(asViewer.status).toBe(200)
    expect(asViewer.body.name).toBe('Acme Ltd')
  })

  it('needs a signed-in member (401)', async () => {
    const res = await request('GET', acme.host, '/api/v1/settings')
    expect(res.status).toBe(401)
    expect(res.body.data.code).toBe('UNAUTHENTICATED')
  })
})

describe('changing', () => {
  it('an owner changes every field; the zone is stored in its canonical spelling; the change is audited', async () => {
    const res = await acme.asOwner.patch('/api/v1/settings', {
      json: { name: '  Acme Holdings Ltd ', address: '1 Market Street\nSpringfield', taxNumber: 'GB123456789', timeZone: 'europe/berlin', dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', negativeStyle: 'parentheses' },
    })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ name: 'Acme Holdings Ltd', address: '1 Market Street\nSpringfield', taxNumber: 'GB123456789', timeZone: 'Europe/Berlin', dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', negativeStyle: 'parentheses', version: 2 })
    expect(res.headers.get('etag')).toBe('"2"')

    const seen = await viewer.client.get('/api/v1/settings')
    expect(seen.body).toEqual(res.body)
    // The tenant's name is the organisation's name everywhere, at once (the host lookup cache is cleared).
    const me = await viewer.client.get('/api/v1/me')
    expect(me.body.tenant.name).toBe('Acme Holdings Ltd')

    const [event] = await sql<{ actorId: string, before: { name: string, version: number }, after: { name: string, dateFormat: string, version: number } }[]>`
      select actor_id as "actorId", before, after from audit_events where tenant_id = ${acme.id} and action = 'settings.update' and entity_type = 'settings' order by seq desc limit 1`
    expect(event).toMatchObject({ actorId: acme.owner.id, before: { name: 'Acme Ltd', version: 1 }, after: { name: 'Acme Holdings Ltd', dateFormat: 'DD.MM.YYYY', version: 2 } })
  })

  it('changes only the fields sent, and clears address and tax number with null', async () => {
    const before = (await acme.asOwner.get('/api/v1/settings')).body
    const res = await acme.asOwner.patch('/api/v1/settings', { json: { address: null, taxNumber: null } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({ ...before, address: null, taxNumber: null, version: before.version + 1, updatedAt: res.body.updatedAt })
  })

  it('an empty change, or one that changes nothing, makes no new version', async () => {
    const before = (await acme.asOwner.get('/api/v1/settings')).body
    for (const json of [{}, { dateFormat: before.dateFormat, name: before.name }]) {
      const res = await acme.asOwner.patch('/api/v1/settings', { json })
      expect(res.status, res.text).toBe(200)
      expect(res.body).toEqual(before)
    }
  })

  it('refuses a change made against an older version (409 STALE_VERSION), by body or If-Match', async () => {
    const { version } = (await acme.asOwner.get('/api/v1/settings')).body
    const stale = await acme.asOwner.patch('/api/v1/settings', { json: { negativeStyle: 'minus', version: version - 1 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    const staleTag = await acme.asOwner.patch('/api/v1/settings', { json: { negativeStyle: 'minus' }, headers: { 'if-match': `"${version - 1}"` } })
    expect(staleTag.status).toBe(409)
    const fresh = await acme.asOwner.patch('/api/v1/settings', { json: { negativeStyle: 'minus' }, headers: { 'if-match': `"${version}"` } })
    expect(fresh.status, fresh.text).toBe(200)
    expect(fresh.body).toMatchObject({ negativeStyle: 'minus', version: version + 1 })
    const badTag = await acme.asOwner.patch('/api/v1/settings', { json: { negativeStyle: 'minus' }, headers: { 'if-match': 'yesterday' } })
    expect(badTag.status).toBe(400)
    expect(badTag.body.data.code).toBe('INVALID_IF_MATCH')
  })

  it('refuses a member without settings:manage (403 FORBIDDEN) and changes nothing', async () => {
    const before = (await acme.asOwner.get('/api/v1/settings')).body
    for (const member of [viewer, accountant]) {
      const res = await member.client.patch('/api/v1/settings', { json: { name: 'Taken over' } })
      expect(res.status).toBe(403)
      expect(res.body.data.code).toBe('FORBIDDEN')
    }
    expect((await acme.asOwner.get('/api/v1/settings')).body).toEqual(before)
  })
})

describe('validation', () => {
  const refusals: [string, unknown, string][] = [
    ['an unknown date format', { dateFormat: 'DD-MM-YY' }, 'dateFormat'],
    ['an unknown number format', { numberFormat: '1_234.56' }, 'numberFormat'],
    ['an unknown negative style', { negativeStyle: 'red' }, 'negativeStyle'],
    ['a zone that does not exist', { timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    ['a UTC offset instead of a zone', { timeZone: '+05:00' }, 'timeZone'],
    ['a zone that is not text', { timeZone: 5 }, 'timeZone'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a null name', { name: null }, 'name'],
    ['a name too long', { name: 'x'.repeat(121) }, 'name'],
    ['a tax number too long', { taxNumber: '1'.repeat(51) }, 'taxNumber'],
    ['a field the settings do not have', { logoFileId: 'logo.png' }, '_'],
    ['a version that is not a number', { version: '2' }, 'version'],
  ]
  for (const [what, body, field] of refusals) {
    it(`refuses ${what} (400 VALIDATION_FAILED on ${field})`, async () => {
      const res = await acme.asOwner.patch('/api/v1/settings', { json: body })
      expect(res.status, res.text).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
      expect(Object.keys(res.body.data.fields)).toContain(field)
    })
  }

  it('answers bad input with a 4xx, never a 500', async () => {
    const bodies = ['[]', '"text"', '{"name":', '{"timeZone":"Europe/Berlin\\u0000"}', '{"__proto__":{"x":1}}', JSON.stringify({ timeZone: 'A/'.repeat(40) }), JSON.stringify({ address: 'x'.repeat(100_000) })]
    for (const raw of bodies) {
      const res = await acme.asOwner.patch('/api/v1/settings', { raw, headers: { 'content-type': 'application/json' } })
      expect(res.status, `${raw.slice(0, 40)} → ${res.text}`).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
    }
    const text = await acme.asOwner.patch('/api/v1/settings', { raw: 'name=x', headers: { 'content-type': 'text/plain' } })
    expect(text.status).toBe(400)
  })
})

describe('isolation', () => {
  it('another tenant\'s settings are neither visible nor changed', async () => {
    const mine = (await other.asOwner.get('/api/v1/settings')).body
    expect(mine).toMatchObject({ name: 'Other Co', ...DEFAULTS, version: 1 })
    // Acme's owner's token on the other tenant's host is no session there.
    const crossed = await request('PATCH', other.host, '/api/v1/settings', { token: acme.owner.token, json: { name: 'Hijacked' } })
    expect(crossed.status).toBe(401)
    expect((await other.asOwner.get('/api/v1/settings')).body).toEqual(mine)
  })
})

describe('report files', () => {
  it('a statement\'s PDF carries the organisation, its number format and the member it was prepared for', async () => {
    const t = await createTenant({ chartOfAccounts: 'standard' })
    const changed = await t.asOwner.patch('/api/v1/settings', { json: { name: 'Formatted GmbH', numberFormat: '1.234,56', dateFormat: 'DD.MM.YYYY', timeZone: 'Europe/Berlin' } })
    expect(changed.status, changed.text).toBe(200)
    const posted = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-03-10', memo: 'Capital', post: true, lines: [{ accountCode: '1000', debit: '1234567.5' }, { accountCode: '3000', credit: '1234567.5' }] } })
    expect(posted.status, posted.text).toBe(201)
    const pdf = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31&format=pdf')
    expect(pdf.status).toBe(200)
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.bytes }).toString('utf8')
    expect(text).toContain('Formatted GmbH')
    expect(text).toContain('As of 31.03.2026 (USD)')
    expect(text).toMatch(/Cash on hand\s+1\.234\.567,50/)
    expect(text).toMatch(/Prepared by Owner on \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(Europe\/Berlin\)/)
    expect(text).toContain('Page 1 of 1')
    // The CSV of the same statement stays plain decimals.
    const csv = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31&format=csv')
    expect(csv.text).toContain(',1000,Cash on hand,1234567.50')
  })
})
