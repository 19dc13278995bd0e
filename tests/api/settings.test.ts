/**
 * Organisation settings through the real server (SPEC §5 `GET/PATCH /api/v1/settings`): defaults,
 * changes that every member sees, the fixed lists and IANA zones, settings:manage to change,
 * optimistic concurrency, the audit trail, the read-only fields, the logo for documents, and one
 * tenant's settings invisible to another.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, request, type TestTenant } from '../support/api'
import { JPEG_48x16, pngImage, SVG_LOGO } from '../support/images'

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

const DEFAULTS = { address: null, taxNumber: null, timeZone: 'UTC', dateFormat: 'D MMM YYYY', numberFormat: '1,234.56', negativeStyle: 'minus', logoFileId: null, baseCurrency: 'USD', fiscalYearStartMonth: 1 }

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
    ['a field the settings do not have', { purchaseOrderPrefix: 'PO-' }, '_'],
    ['a field the resource does not have either', { baseCurency: 'EUR' }, '_'],
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

  it('refuses the read-only fields by name (400 READ_ONLY_FIELD), saying why, and changes nothing', async () => {
    const before = (await acme.asOwner.get('/api/v1/settings')).body
    for (const [field, body, why] of [
      ['baseCurrency', { baseCurrency: 'EUR' }, 'is fixed when the organisation is created'],
      ['fiscalYearStartMonth', { fiscalYearStartMonth: 4, name: 'Also renamed' }, 'is fixed when the organisation is created'],
      ['logoFileId', { logoFileId: null }, 'PUT or DELETE /api/v1/settings/logo'],
    ] as const) {
      const res = await acme.asOwner.patch('/api/v1/settings', { json: body })
      expect(res.status, res.text).toBe(400)
      expect(res.body.data.code).toBe('READ_ONLY_FIELD')
      expect(Object.keys(res.body.data.fields)).toEqual([field])
      expect(res.body.data.fields[field]).toContain(why)
      expect(res.body.statusMessage).toContain(`${field} `)
    }
    // A read-only field beside an invalid one is the plain validation refusal, naming both.
    const mixed = await acme.asOwner.patch('/api/v1/settings', { json: { baseCurrency: 'EUR', dateFormat: 'nope' } })
    expect(mixed.status).toBe(400)
    expect(mixed.body.data.code).toBe('VALIDATION_FAILED')
    expect(Object.keys(mixed.body.data.fields).sort()).toEqual(['baseCurrency', 'dateFormat'])
    expect((await acme.asOwner.get('/api/v1/settings')).body).toEqual(before)
  })

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

describe('the logo for documents', () => {
  let t: TestTenant
  let tViewer: Awaited<ReturnType<typeof addMember>>
  beforeAll(async () => {
    t = await createTenant({ name: 'Logo & Co', chartOfAccounts: 'standard' })
    tViewer = await addMember(t, ['viewer'])
  })
  const put = (bytes: Buffer | string, contentType: string, as = t.asOwner) => as.put('/api/v1/settings/logo', { raw: bytes, headers: { 'content-type': contentType } })
  /** A multipart/form-data body with `bytes` in the field `field`, as a browser's FormData sends it. */
  function multipart(bytes: Buffer, field = 'file', filename = 'logo.png', type = 'image/png') {
    const boundary = '----paksa-test-boundary'
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    return { body, contentType: `multipart/form-data; boundary=${boundary}` }
  }

  it('has none at first: logoFileId null, GET 404', async () => {
    expect((await t.asOwner.get('/api/v1/settings')).body.logoFileId).toBeNull()
    const res = await t.asOwner.get('/api/v1/settings/logo')
    expect(res.status).toBe(404)
    expect(res.body.data.code).toBe('NOT_FOUND')
  })

  it('takes a PNG as the body: the settings carry its id at a new version; any member reads it back, byte for byte; audited', async () => {
    const before = (await t.asOwner.get('/api/v1/settings')).body
    const png = pngImage(120, 40, { alpha: true })
    const res = await put(png, 'image/png')
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ name: 'Logo & Co', version: before.version + 1, logoFileId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(res.headers.get('etag')).toBe(`"${before.version + 1}"`)
    expect((await tViewer.client.get('/api/v1/settings')).body.logoFileId).toBe(res.body.logoFileId)

    const served = await tViewer.client.get('/api/v1/settings/logo')
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('content-disposition')).toBe('attachment; filename="logo.png"')
    expect(served.headers.get('cache-control')).toBe('private, no-cache')
    const etag = served.headers.get('etag')!
    expect(etag).toBe(`"${createHash('sha256').update(png).digest('hex')}"`)
    expect(served.bytes.equals(png)).toBe(true)
    // Revalidation: the same logo is a 304 without a body.
    const again = await tViewer.client.get('/api/v1/settings/logo', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(again.bytes.length).toBe(0)

    const [event] = await sql<{ actorId: string, before: { logo: unknown }, after: { logo: { logoFileId: string, mediaType: string, size: number, width: number, height: number } } }[]>`
      select actor_id as "actorId", before, after from audit_events where tenant_id = ${t.id} and action = 'settings.logo.replace' order by seq desc limit 1`
    expect(event).toMatchObject({ actorId: t.owner.id, before: { logo: null }, after: { logo: { logoFileId: res.body.logoFileId, mediaType: 'image/png', size: png.length, width: 120, height: 40 } } })
    expect(JSON.stringify(event)).not.toContain(png.toString('base64').slice(0, 24))
  })

  it('replaces it with a JPEG sent as the multipart field `file`: a new id, the JPEG served', async () => {
    const old = (await t.asOwner.get('/api/v1/settings')).body
    const { body, contentType } = multipart(JPEG_48x16, 'file', 'logo.jpg', 'image/jpeg')
    const res = await put(body, contentType)
    expect(res.status, res.text).toBe(200)
    expect(res.body.logoFileId).not.toBe(old.logoFileId)
    expect(res.body.version).toBe(old.version + 1)
    const served = await t.asOwner.get('/api/v1/settings/logo')
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(served.bytes.equals(JPEG_48x16)).toBe(true)
    // The type is the bytes' own: a PNG sent as image/jpeg is stored and served as the PNG it is.
    const png = pngImage(10, 10)
    expect((await put(png, 'image/jpeg')).status).toBe(200)
    expect((await t.asOwner.get('/api/v1/settings/logo')).headers.get('content-type')).toBe('image/png')
  })

  it('refuses SVG, other files and garbage (415 LOGO_UNSUPPORTED_TYPE), damaged images (400 LOGO_INVALID), more than 512 KiB (413 LOGO_TOO_LARGE), and keeps the logo it had', async () => {
    const before = (await t.asOwner.get('/api/v1/settings')).body
    const logo = (await t.asOwner.get('/api/v1/settings/logo')).bytes
    const png = pngImage(20, 20)
    const refusals: [string, Buffer | string, string, number, string][] = [
      ['an SVG sent as image/svg+xml', SVG_LOGO, 'image/svg+xml', 415, 'LOGO_UNSUPPORTED_TYPE'],
      ['an SVG sent as image/png', SVG_LOGO, 'image/png', 415, 'LOGO_UNSUPPORTED_TYPE'],
      ['an SVG in the form', multipart(SVG_LOGO, 'file', 'logo.png').body, multipart(SVG_LOGO).contentType, 415, 'LOGO_UNSUPPORTED_TYPE'],
      ['garbage', Buffer.from('definitely not an image'), 'image/jpeg', 415, 'LOGO_UNSUPPORTED_TYPE'],
      ['JSON', JSON.stringify({ logo: 'x' }), 'application/json', 415, 'LOGO_UNSUPPORTED_TYPE'],
      ['an empty body', '', 'image/png', 415, 'LOGO_UNSUPPORTED_TYPE'],
      ['a cut-off PNG', png.subarray(0, png.length - 30), 'image/png', 400, 'LOGO_INVALID'],
      ['a JPEG cut off', JPEG_48x16.subarray(0, 400), 'image/jpeg', 400, 'LOGO_INVALID'],
      ['a logo 5000 pixels wide', pngImage(5000, 2), 'image/png', 400, 'LOGO_INVALID'],
      ['a PNG of 600 KiB', pngImage(10, 10, { padding: 600 * 1024 }), 'image/png', 413, 'LOGO_TOO_LARGE'],
      ['a form without the file', multipart(png, 'image').body, multipart(png).contentType, 400, 'VALIDATION_FAILED'],
    ]
    for (const [what, bytes, type, status, code] of refusals) {
      const res = await put(bytes, type)
      expect(res.status, `${what}: ${res.text}`).toBe(status)
      expect(res.body.data.code, what).toBe(code)
    }
    // Over the request body limit itself (1 MiB) is the general 413.
    expect((await put(pngImage(10, 10, { padding: 1100 * 1024 }), 'image/png')).body.data.code).toBe('PAYLOAD_TOO_LARGE')
    expect((await t.asOwner.get('/api/v1/settings')).body).toEqual(before)
    expect((await t.asOwner.get('/api/v1/settings/logo')).bytes.equals(logo)).toBe(true)
  })

  it('a member without settings:manage reads it but cannot upload or remove it (403 FORBIDDEN)', async () => {
    const before = (await t.asOwner.get('/api/v1/settings')).body
    expect((await tViewer.client.get('/api/v1/settings/logo')).status).toBe(200)
    const upload = await put(pngImage(10, 10), 'image/png', tViewer.client)
    expect(upload.status).toBe(403)
    expect(upload.body.data.code).toBe('FORBIDDEN')
    const remove = await tViewer.client.delete('/api/v1/settings/logo')
    expect(remove.status).toBe(403)
    expect((await t.asOwner.get('/api/v1/settings')).body).toEqual(before)
  })

  it('another tenant\'s logo is not visible', async () => {
    // Acme has no logo: it does not see this tenant's, and this tenant's token is no session on Acme's host.
    const mine = await acme.asOwner.get('/api/v1/settings/logo')
    expect(mine.status).toBe(404)
    expect((await acme.asOwner.get('/api/v1/settings')).body.logoFileId).toBeNull()
    const crossed = await request('GET', acme.host, '/api/v1/settings/logo', { token: t.owner.token })
    expect(crossed.status).toBe(401)
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from tenant_logos where tenant_id = ${acme.id}`
    expect(row!.n).toBe(0)
  })

  it('is printed on every statement PDF, with the organisation\'s name and its figures', async () => {
    for (const lines of [
      [{ accountCode: '1000', debit: '1234567.5' }, { accountCode: '3000', credit: '1234567.5' }],
      [{ accountCode: '1000', debit: '2500' }, { accountCode: '4000', credit: '2500' }],
    ]) {
      const posted = await t.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-03-10', memo: 'Opening', post: true, lines } })
      expect(posted.status, posted.text).toBe(201)
    }
    expect((await put(pngImage(160, 40, { alpha: true }), 'image/png')).status).toBe(200)
    const statements: [string, RegExp][] = [
      ['/api/v1/reports/balance-sheet?asOf=2026-03-31&format=pdf', /Cash on hand\s+1,237,067\.50/],
      ['/api/v1/reports/trial-balance?asOf=2026-03-31&format=pdf', /1,234,567\.50/],
      ['/api/v1/reports/income-statement?from=2026-01-01&to=2026-03-31&format=pdf', /Sales revenue\s+2,500\.00/],
    ]
    for (const [path, figure] of statements) {
      const pdf = await t.asOwner.get(path)
      expect(pdf.status, path).toBe(200)
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.bytes }).toString('utf8')
      expect(text, path).toContain('Logo & Co')
      expect(text, path).toMatch(figure)
      // The logo is an image XObject, drawn once on the first page at its own pixel size.
      expect(pdf.bytes.toString('latin1'), path).toContain('/Subtype /Image')
      // pdfimages reads files only.
      const file = join(mkdtempSync(join(tmpdir(), 'paksa-logo-')), 'statement.pdf')
      writeFileSync(file, pdf.bytes)
      const images = execFileSync('pdfimages', ['-list', file]).toString('utf8')
      expect(images, path).toMatch(/^\s*1\s+0\s+image\s+160\s+40\b/m)
    }
  })

  it('removing it: settings:manage, audited, logoFileId null, GET 404, PDFs without an image; again is 404', async () => {
    const before = (await t.asOwner.get('/api/v1/settings')).body
    const res = await t.asOwner.delete('/api/v1/settings/logo')
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ logoFileId: null, version: before.version + 1 })
    expect((await t.asOwner.get('/api/v1/settings/logo')).status).toBe(404)
    const pdf = await t.asOwner.get('/api/v1/reports/balance-sheet?asOf=2026-03-31&format=pdf')
    expect(pdf.bytes.toString('latin1')).not.toContain('/Subtype /Image')
    const [event] = await sql<{ after: { logo: null }, before: { logo: { logoFileId: string } } }[]>`
      select before, after from audit_events where tenant_id = ${t.id} and action = 'settings.logo.remove' order by seq desc limit 1`
    expect(event).toMatchObject({ before: { logo: { logoFileId: before.logoFileId } }, after: { logo: null } })
    const again = await t.asOwner.delete('/api/v1/settings/logo')
    expect(again.status).toBe(404)
    expect((await t.asOwner.get('/api/v1/settings')).body.version).toBe(before.version + 1)
  })
})
