/**
 * Customers through the real server (SPEC §5 `customers`): create, read, change, search by name,
 * e-mail and code with the list shape, each refusal, another tenant's ids, permissions (ar:read /
 * ar:write), and the audit trail. `balance` is "0.00" until invoices exist.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant
let other: TestTenant

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
})

const create = (c: TestTenant, json: Record<string, unknown>) => c.asOwner.post('/api/v1/customers', { json })

describe('creating and reading', () => {
  it('creates a customer with every field (e-mail lower-cased, blanks as null), balance 0.00, audited', async () => {
    const res = await create(t, {
      name: '  Northwind Traders ', email: 'Accounts@Northwind.example', currency: 'EUR', paymentTermsDays: 14, taxNumber: 'GB987654321',
      billingAddress: '12 Harbour Road\nPortsmouth', code: 'C-0001',
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({
      name: 'Northwind Traders', email: 'accounts@northwind.example', currency: 'EUR', paymentTermsDays: 14, taxNumber: 'GB987654321',
      billingAddress: '12 Harbour Road\nPortsmouth', code: 'C-0001', isActive: true, balance: '0.00', version: 1,
    })
    expect((await t.asOwner.get(`/api/v1/customers/${res.body.id}`)).body).toEqual(res.body)
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_type = 'customer' and entity_id = ${res.body.id}`
    expect(audit.map(e => e.action)).toEqual(['customer.create'])
  })

  it('a name alone is enough; the rest is null (terms then come from the settings)', async () => {
    const res = await create(t, { name: 'Walk-in customer', taxNumber: '' })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ email: null, currency: null, paymentTermsDays: null, taxNumber: null, billingAddress: null, code: null })
  })

  it('refuses malformed input (400) with the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'], [{ name: ' ' }, 'name'], [{ name: 'A', email: 'not-an-email' }, 'email'], [{ name: 'A', currency: 'XXY' }, 'currency'],
      [{ name: 'A', paymentTermsDays: -3 }, 'paymentTermsDays'], [{ name: 'A', paymentTermsDays: 'thirty' }, 'paymentTermsDays'],
      [{ name: 'A', code: '#1' }, 'code'], [{ name: 'A', colour: 'red' }, ''],
    ]
    for (const [json, field] of cases) {
      const res = await create(t, json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      if (field) expect(Object.keys(res.body.data.fields ?? {}), JSON.stringify(json)).toContain(field)
    }
  })

  it('a duplicate code is 409 CUSTOMER_CODE_TAKEN; customers without a code never clash; another tenant may use the code', async () => {
    expect((await create(t, { name: 'Dup one', code: 'DUP' })).status).toBe(201)
    const dup = await create(t, { name: 'Dup two', code: 'DUP' })
    expect(dup.status).toBe(409)
    expect(dup.body.data).toMatchObject({ code: 'CUSTOMER_CODE_TAKEN', fields: { code: 'is already used' } })
    expect((await create(other, { name: 'Elsewhere', code: 'DUP' })).status).toBe(201)
  })
})

describe('listing and searching', () => {
  beforeAll(async () => {
    for (const [name, email, code] of [['Alpha Bakery', 'orders@alpha.example', 'A-1'], ['Beta Books', 'hello@betabooks.example', 'B-1'], ['Gamma Garden', null, 'G-7']]) {
      expect((await create(t, { name, email, code })).status).toBe(201)
    }
  })

  it('lists by name with page, pageSize and total', async () => {
    const res = await t.asOwner.get('/api/v1/customers?pageSize=2')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ page: 1, pageSize: 2 })
    expect(res.body.total).toBe(6)
    expect(res.body.data.map((c: { name: string }) => c.name)).toEqual(['Alpha Bakery', 'Beta Books'])
    const desc = await t.asOwner.get('/api/v1/customers?sort=name:desc&pageSize=1')
    expect(desc.body.data[0].name).toBe('Walk-in customer')
  })

  it('q searches name, e-mail and code, case-insensitively; % and _ are plain characters', async () => {
    const names = async (q: string) => (await t.asOwner.get(`/api/v1/customers?q=${encodeURIComponent(q)}`)).body.data.map((c: { name: string }) => c.name)
    expect(await names('bakery')).toEqual(['Alpha Bakery'])
    expect(await names('BETABOOKS.example')).toEqual(['Beta Books'])
    expect(await names('g-7')).toEqual(['Gamma Garden'])
    expect(await names('%')).toEqual([])
  })

  it('another tenant sees none of them', async () => {
    const res = await other.asOwner.get('/api/v1/customers?q=alpha')
    expect(res.body).toMatchObject({ data: [], total: 0 })
  })
})

describe('changing', () => {
  it('changes fields, clears one with null, bumps the version, audits before and after; a stale version is 409', async () => {
    const c = (await create(t, { name: 'Delta Dairy', email: 'delta@example.com', paymentTermsDays: 7 })).body
    const res = await t.asOwner.patch(`/api/v1/customers/${c.id}`, { json: { name: 'Delta Dairy Ltd', email: null, paymentTermsDays: 45, version: 1 } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ name: 'Delta Dairy Ltd', email: null, paymentTermsDays: 45, version: 2 })
    const [event] = await sql<{ before: { name: string }, after: { name: string } }[]>`
      select before, after from audit_events where tenant_id = ${t.id} and action = 'customer.update' and entity_id = ${c.id}`
    expect([event!.before.name, event!.after.name]).toEqual(['Delta Dairy', 'Delta Dairy Ltd'])
    const stale = await t.asOwner.patch(`/api/v1/customers/${c.id}`, { json: { name: 'Again', version: 1 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    const clash = await t.asOwner.patch(`/api/v1/customers/${c.id}`, { json: { code: 'A-1' } })
    expect(clash.status).toBe(409)
    expect(clash.body.data.code).toBe('CUSTOMER_CODE_TAKEN')
    expect((await t.asOwner.patch(`/api/v1/customers/${c.id}`, { json: { email: 'bad' } })).status).toBe(400)
  })

  it('another tenant\'s customer, or an unknown id, is 404', async () => {
    const c = (await create(t, { name: 'Private' })).body
    for (const res of [
      await other.asOwner.get(`/api/v1/customers/${c.id}`),
      await other.asOwner.patch(`/api/v1/customers/${c.id}`, { json: { name: 'Mine now' } }),
      await t.asOwner.get(`/api/v1/customers/${randomUUID()}`),
    ]) {
      expect(res.status).toBe(404)
      expect(res.body.data.code).toBe('NOT_FOUND')
    }
    expect((await t.asOwner.get(`/api/v1/customers/${c.id}`)).body.name).toBe('Private')
  })
})

describe('permissions', () => {
  it('a viewer reads but cannot write (403); an AR clerk writes (ar:write); an AP clerk cannot even read', async () => {
    const [viewer, arClerk, apClerk] = await Promise.all([addMember(t, ['viewer']), addMember(t, ['ar_clerk']), addMember(t, ['ap_clerk'])])
    const some = (await t.asOwner.get('/api/v1/customers')).body.data[0]
    expect((await viewer.client.get('/api/v1/customers')).status).toBe(200)
    expect((await viewer.client.post('/api/v1/customers', { json: { name: 'No' } })).status).toBe(403)
    expect((await viewer.client.patch(`/api/v1/customers/${some.id}`, { json: { name: 'No' } })).status).toBe(403)
    expect((await arClerk.client.post('/api/v1/customers', { json: { name: 'By the clerk' } })).status).toBe(201)
    expect((await apClerk.client.get('/api/v1/customers')).status).toBe(403)
  })
})
