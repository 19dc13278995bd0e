/**
 * Tax rates and groups through the real server (SPEC §5 `tax-rates`, 6.9): simple rates with the
 * default or a named tax account, groups whose rate is the sum of their components', each refusal,
 * another tenant's ids, permissions, and delete only while unused.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant
let bare: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}

beforeAll(async () => {
  [t, bare, other] = await Promise.all([
    createTenant({ chartOfAccounts: 'standard' }),
    createTenant({ chartOfAccounts: 'none' }),
    createTenant({ chartOfAccounts: 'standard' }),
  ])
  for (const a of (await t.asOwner.get('/api/v1/accounts')).body.data as { id: string, code: string }[]) acc[a.code] = a.id
})

const create = (c: TestTenant, json: Record<string, unknown>) => c.asOwner.post('/api/v1/tax-rates', { json })

describe('creating', () => {
  it('a simple rate: percent with 4 places, the tenant\'s tax payable account by default, audited', async () => {
    const res = await create(t, { code: 'VAT20', name: 'VAT standard', rate: '20', scope: 'both' })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ code: 'VAT20', name: 'VAT standard', rate: '20.0000', scope: 'both', accountId: acc['2100'], isGroup: false, components: [], isActive: true, inUse: false, version: 1 })
    const got = await t.asOwner.get(`/api/v1/tax-rates/${res.body.id}`)
    expect(got.body).toEqual(res.body)
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_type = 'tax_rate' and entity_id = ${res.body.id}`
    expect(audit.map(e => e.action)).toEqual(['tax_rate.create'])
  })

  it('a group: its rate is the sum of its components\', each with its own account (or the default)', async () => {
    const pst = await createAccount(t.asOwner, { code: '2110', name: 'PST payable', type: 'liability', subtype: 'tax_payable' })
    const res = await create(t, { code: 'GST+PST', name: 'GST and PST', scope: 'sales', components: [{ name: 'GST', rate: '5' }, { name: 'PST', rate: '7.0125', accountId: pst.id }] })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ rate: '12.0125', isGroup: true, accountId: null })
    expect(res.body.components.map((c: Record<string, string>) => [c.name, c.rate, c.accountId])).toEqual([['GST', '5.0000', acc['2100']], ['PST', '7.0125', pst.id]])
    const given = await create(t, { code: 'HST', name: 'HST', rate: '13.00', scope: 'both', components: [{ name: 'Federal', rate: '5' }, { name: 'Provincial', rate: '8' }] })
    expect(given.status, given.text).toBe(201)
    expect(given.body.rate).toBe('13.0000')
  })

  it('refuses malformed input (400): rate out of range or too precise, a group rate that is not the sum, no rate, an unknown scope', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ code: 'A', name: 'A', rate: '1000', scope: 'both' }, 'rate'],
      [{ code: 'A', name: 'A', rate: '-1', scope: 'both' }, 'rate'],
      [{ code: 'A', name: 'A', rate: '5.12345', scope: 'both' }, 'rate'],
      [{ code: 'A', name: 'A', rate: 20, scope: 'both' }, 'rate'],
      [{ code: 'A', name: 'A', scope: 'both' }, 'rate'],
      [{ code: 'A', name: 'A', rate: '12', scope: 'both', components: [{ name: 'x', rate: '5' }, { name: 'y', rate: '8' }] }, 'rate'],
      [{ code: 'A', name: 'A', scope: 'both', accountId: acc['2100'], components: [{ name: 'x', rate: '5' }] }, 'accountId'],
      [{ code: 'A', name: 'A', rate: '5', scope: 'everything' }, 'scope'],
      [{ code: '', name: 'A', rate: '5', scope: 'both' }, 'code'],
      [{ code: 'A', name: 'A', scope: 'both', components: [{ name: 'x', rate: '999' }, { name: 'y', rate: '999' }] }, 'components'],
    ]
    for (const [json, field] of cases) {
      const res = await create(t, json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      expect(Object.keys(res.body.data.fields ?? {}), JSON.stringify(json)).toContain(field)
    }
  })

  it('a duplicate code is 409 TAX_RATE_CODE_TAKEN', async () => {
    expect((await create(t, { code: 'DUP', name: 'First', rate: '1', scope: 'both' })).status).toBe(201)
    const res = await create(t, { code: 'DUP', name: 'Second', rate: '2', scope: 'both' })
    expect(res.status).toBe(409)
    expect(res.body.data).toMatchObject({ code: 'TAX_RATE_CODE_TAKEN', fields: { code: 'is already used' } })
  })

  it('a tax account must be an active, childless asset or liability account of the tenant (422 TAX_ACCOUNT_INVALID)', async () => {
    const inactive = await createAccount(t.asOwner, { code: '2120', name: 'Old tax', type: 'liability', subtype: 'tax_payable', isActive: false })
    const foreign = (await other.asOwner.get('/api/v1/accounts')).body.data.find((a: { code: string }) => a.code === '2100').id
    const cases: [Record<string, unknown>, string, string][] = [
      [{ accountId: acc['4000'] }, 'accountId', 'must be a liability or asset account'],
      [{ accountId: inactive.id }, 'accountId', 'is inactive'],
      [{ accountId: foreign }, 'accountId', 'is not an account of this organisation'],
      [{ accountId: randomUUID() }, 'accountId', 'is not an account of this organisation'],
      [{ components: [{ name: 'x', rate: '1', accountId: acc['6100'] }] }, 'components.0.accountId', 'must be a liability or asset account'],
    ]
    for (const [extra, field, reason] of cases) {
      const res = await create(t, { code: 'BAD', name: 'Bad', scope: 'both', ...('components' in extra ? {} : { rate: '5' }), ...extra })
      expect(res.status, JSON.stringify(extra)).toBe(422)
      expect(res.body.data).toMatchObject({ code: 'TAX_ACCOUNT_INVALID', fields: { [field]: reason } })
    }
  })

  it('a none chart has no tax payable account to default to: the account is asked for (422), and a named one works', async () => {
    const res = await create(bare, { code: 'VAT', name: 'VAT', rate: '20', scope: 'both' })
    expect(res.status).toBe(422)
    expect(res.body.data).toMatchObject({ code: 'TAX_ACCOUNT_INVALID', fields: { accountId: 'is required: there is no tax payable account to default to' } })
    const vat = await createAccount(bare.asOwner, { code: '2200', name: 'VAT payable', type: 'liability', subtype: 'tax_payable' })
    const ok = await create(bare, { code: 'VAT', name: 'VAT', rate: '20', scope: 'both', accountId: vat.id })
    expect(ok.status, ok.text).toBe(201)
  })

  it('a new tenant starts with no tax rates', async () => {
    const res = await other.asOwner.get('/api/v1/tax-rates')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ data: [], page: 1, pageSize: 50, total: 0 })
  })
})

describe('listing and reading', () => {
  it('lists by code with the list shape; filters by scope (its own or both), active and q', async () => {
    await create(t, { code: 'PUR5', name: 'Purchase tax', rate: '5', scope: 'purchases' })
    await create(t, { code: 'OLD', name: 'Retired rate', rate: '3', scope: 'sales', isActive: false })
    const all = await t.asOwner.get('/api/v1/tax-rates')
    expect(all.status).toBe(200)
    const codes = all.body.data.map((r: { code: string }) => r.code)
    expect(codes).toEqual([...codes].sort())
    expect(all.body.total).toBe(codes.length)
    const sales = (await t.asOwner.get('/api/v1/tax-rates?scope=sales')).body.data.map((r: { code: string }) => r.code)
    expect(sales).toContain('VAT20')
    expect(sales).not.toContain('PUR5')
    expect((await t.asOwner.get('/api/v1/tax-rates?active=false')).body.data.map((r: { code: string }) => r.code)).toEqual(['OLD'])
    expect((await t.asOwner.get('/api/v1/tax-rates?q=retired')).body.data.map((r: { code: string }) => r.code)).toEqual(['OLD'])
    const paged = await t.asOwner.get('/api/v1/tax-rates?pageSize=2&page=2&sort=rate:desc')
    expect(paged.body).toMatchObject({ page: 2, pageSize: 2, total: codes.length })
    expect(paged.body.data).toHaveLength(2)
    expect((await t.asOwner.get('/api/v1/tax-rates?sort=colour:asc')).status).toBe(400)
  })

  it('another tenant\'s rate is 404 (read, change, delete); a malformed id 400', async () => {
    const mine = await create(t, { code: 'MINE', name: 'Mine', rate: '1', scope: 'both' })
    for (const res of [
      await other.asOwner.get(`/api/v1/tax-rates/${mine.body.id}`),
      await other.asOwner.patch(`/api/v1/tax-rates/${mine.body.id}`, { json: { name: 'Theirs' } }),
      await other.asOwner.delete(`/api/v1/tax-rates/${mine.body.id}`),
    ]) {
      expect(res.status).toBe(404)
      expect(res.body.data.code).toBe('NOT_FOUND')
    }
    expect((await t.asOwner.get('/api/v1/tax-rates/not-a-uuid')).status).toBe(400)
  })
})

describe('changing', () => {
  it('renames, deactivates and changes a simple rate, with versions and an audit event; a stale version is 409', async () => {
    const rate = (await create(t, { code: 'R7', name: 'Reduced', rate: '7', scope: 'sales' })).body
    const res = await t.asOwner.patch(`/api/v1/tax-rates/${rate.id}`, { json: { name: 'Reduced rate', rate: '7.5', isActive: false, version: 1 } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ name: 'Reduced rate', rate: '7.5000', isActive: false, version: 2, accountId: acc['2100'] })
    const stale = await t.asOwner.patch(`/api/v1/tax-rates/${rate.id}`, { json: { name: 'Again', version: 1 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
  })

  it('replaces a group\'s components (the rate follows); a group\'s rate alone cannot change (422 TAX_RATE_INVALID); a clash of codes is 409', async () => {
    const group = (await create(t, { code: 'GRP', name: 'Group', scope: 'both', components: [{ name: 'A', rate: '1' }, { name: 'B', rate: '2' }] })).body
    const res = await t.asOwner.patch(`/api/v1/tax-rates/${group.id}`, { json: { components: [{ name: 'A', rate: '1.5' }, { name: 'B', rate: '2' }, { name: 'C', rate: '0.25' }] } })
    expect(res.status, res.text).toBe(200)
    expect(res.body.rate).toBe('3.7500')
    expect(res.body.components.map((c: { name: string }) => c.name)).toEqual(['A', 'B', 'C'])
    const rateOnly = await t.asOwner.patch(`/api/v1/tax-rates/${group.id}`, { json: { rate: '9' } })
    expect(rateOnly.status).toBe(422)
    expect(rateOnly.body.data.code).toBe('TAX_RATE_INVALID')
    const clash = await t.asOwner.patch(`/api/v1/tax-rates/${group.id}`, { json: { code: 'VAT20' } })
    expect(clash.status).toBe(409)
    expect(clash.body.data.code).toBe('TAX_RATE_CODE_TAKEN')
  })
})

describe('deleting', () => {
  it('deletes an unused rate; a rate an item uses is 422 TAX_RATE_IN_USE and stays', async () => {
    const unused = (await create(t, { code: 'GONE', name: 'Unused', rate: '2', scope: 'both' })).body
    const del = await t.asOwner.delete(`/api/v1/tax-rates/${unused.id}`)
    expect(del.status, del.text).toBe(200)
    expect((await t.asOwner.get(`/api/v1/tax-rates/${unused.id}`)).status).toBe(404)

    const used = (await create(t, { code: 'USED', name: 'Used', rate: '2', scope: 'sales' })).body
    const item = await t.asOwner.post('/api/v1/items', { json: { code: 'TAXED', name: 'Taxed item', kind: 'service', salesTaxRateId: used.id } })
    expect(item.status, item.text).toBe(201)
    expect((await t.asOwner.get(`/api/v1/tax-rates/${used.id}`)).body.inUse).toBe(true)
    const refused = await t.asOwner.delete(`/api/v1/tax-rates/${used.id}`)
    expect(refused.status).toBe(422)
    expect(refused.body.data.code).toBe('TAX_RATE_IN_USE')
    expect((await t.asOwner.get(`/api/v1/tax-rates/${used.id}`)).status).toBe(200)
  })
})

describe('permissions', () => {
  it('a viewer reads but cannot create, change or delete (403); an AR clerk reads (tax:read) but cannot write', async () => {
    const [viewer, clerk] = await Promise.all([addMember(t, ['viewer']), addMember(t, ['ar_clerk'])])
    const some = (await t.asOwner.get('/api/v1/tax-rates')).body.data[0]
    for (const c of [viewer.client, clerk.client]) {
      expect((await c.get('/api/v1/tax-rates')).status).toBe(200)
      expect((await c.post('/api/v1/tax-rates', { json: { code: 'X', name: 'X', rate: '1', scope: 'both' } })).status).toBe(403)
      expect((await c.patch(`/api/v1/tax-rates/${some.id}`, { json: { name: 'X' } })).status).toBe(403)
      expect((await c.delete(`/api/v1/tax-rates/${some.id}`)).status).toBe(403)
    }
  })
})
