/**
 * Items through the real server (SPEC §5 `items`): products and services with prices, accounts and
 * tax rates; duplicate codes 409; referenced accounts and tax rates checked (422 with stable
 * codes); another tenant's ids; permissions; search and the list shape.
 */
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { createAccount } from '../support/ledger'

let t: TestTenant
let other: TestTenant
const acc: Record<string, string> = {}
const rates: Record<string, string> = {}

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant({ chartOfAccounts: 'standard' })])
  for (const a of (await t.asOwner.get('/api/v1/accounts')).body.data as { id: string, code: string }[]) acc[a.code] = a.id
  for (const [code, scope, isActive] of [['S20', 'sales', true], ['P20', 'purchases', true], ['B10', 'both', true], ['OFF', 'both', false]] as const) {
    const res = await t.asOwner.post('/api/v1/tax-rates', { json: { code, name: code, rate: '20', scope, isActive } })
    expect(res.status, res.text).toBe(201)
    rates[code] = res.body.id
  }
})

const create = (c: TestTenant, json: Record<string, unknown>) => c.asOwner.post('/api/v1/items', { json })

describe('creating', () => {
  it('a service with prices, accounts and tax rates; prices as decimal strings', async () => {
    const res = await create(t, {
      code: 'CONSULT', name: 'Consulting, per hour', kind: 'service', salesPrice: '120', purchasePrice: '80.125',
      incomeAccountId: acc['4100'], expenseAccountId: acc['5000'], salesTaxRateId: rates.S20, purchaseTaxRateId: rates.P20,
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({
      code: 'CONSULT', kind: 'service', salesPrice: '120.00', purchasePrice: '80.125', incomeAccountId: acc['4100'], expenseAccountId: acc['5000'],
      salesTaxRateId: rates.S20, purchaseTaxRateId: rates.P20, isActive: true, version: 1, description: null,
    })
    expect((await t.asOwner.get(`/api/v1/items/${res.body.id}`)).body).toEqual(res.body)
  })

  it('a product with nothing but code, name and kind; an inventory asset as its expense account', async () => {
    const res = await create(t, { code: 'WIDGET', name: 'Widget', kind: 'product', expenseAccountId: acc['1200'] })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ salesPrice: null, purchasePrice: null, incomeAccountId: null, salesTaxRateId: null })
  })

  it('refuses malformed input (400)', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'No code', kind: 'service' }, 'code'], [{ code: 'X', name: 'X', kind: 'gadget' }, 'kind'],
      [{ code: 'X', name: 'X', kind: 'service', salesPrice: 12.5 }, 'salesPrice'], [{ code: 'X', name: 'X', kind: 'service', salesPrice: '-1' }, 'salesPrice'],
      [{ code: 'X', name: 'X', kind: 'service', salesPrice: '1.23456' }, 'salesPrice'], [{ code: 'X', name: 'X', kind: 'service', incomeAccountId: 'abc' }, 'incomeAccountId'],
    ]
    for (const [json, field] of cases) {
      const res = await create(t, json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      expect(Object.keys(res.body.data.fields ?? {}), JSON.stringify(json)).toContain(field)
    }
  })

  it('a duplicate code is 409 ITEM_CODE_TAKEN; another tenant may use it', async () => {
    const dup = await create(t, { code: 'CONSULT', name: 'Again', kind: 'service' })
    expect(dup.status).toBe(409)
    expect(dup.body.data).toMatchObject({ code: 'ITEM_CODE_TAKEN', fields: { code: 'is already used' } })
    expect((await create(other, { code: 'CONSULT', name: 'Theirs', kind: 'service' })).status).toBe(201)
  })

  it('accounts must be the tenant\'s, of the right type, active, childless and not a control account (422 ITEM_ACCOUNT_INVALID)', async () => {
    const inactive = await createAccount(t.asOwner, { code: '4200', name: 'Old sales', type: 'revenue', isActive: false })
    const parent = await createAccount(t.asOwner, { code: '4300', name: 'Sales group', type: 'revenue' })
    await createAccount(t.asOwner, { code: '4310', name: 'Sales A', type: 'revenue', parentId: parent.id })
    const foreign = (await other.asOwner.get('/api/v1/accounts')).body.data.find((a: { code: string }) => a.code === '4000').id
    const cases: [Record<string, string>, string][] = [
      [{ incomeAccountId: acc['6100']! }, 'must be a revenue account'],
      [{ incomeAccountId: inactive.id }, 'is inactive'],
      [{ incomeAccountId: parent.id }, 'is a parent account'],
      [{ incomeAccountId: foreign }, 'is not an account of this organisation'],
      [{ incomeAccountId: randomUUID() }, 'is not an account of this organisation'],
      [{ expenseAccountId: acc['4000']! }, 'must be an expense (or inventory asset) account'],
      [{ expenseAccountId: acc['1100']! }, 'is a control account'],
    ]
    for (const [refs, reason] of cases) {
      const res = await create(t, { code: 'BAD', name: 'Bad', kind: 'service', ...refs })
      expect(res.status, JSON.stringify(refs)).toBe(422)
      expect(res.body.data).toMatchObject({ code: 'ITEM_ACCOUNT_INVALID', fields: { [Object.keys(refs)[0]!]: reason } })
    }
  })

  it('tax rates must be the tenant\'s and of the right side (422 TAX_RATE_INVALID), and active (422 TAX_RATE_INACTIVE)', async () => {
    const foreign = await other.asOwner.post('/api/v1/tax-rates', { json: { code: 'S20', name: 'S20', rate: '20', scope: 'sales' } })
    const cases: [Record<string, string>, string, string][] = [
      [{ salesTaxRateId: rates.P20! }, 'TAX_RATE_INVALID', 'is a purchases rate'],
      [{ purchaseTaxRateId: rates.S20! }, 'TAX_RATE_INVALID', 'is a sales rate'],
      [{ salesTaxRateId: foreign.body.id }, 'TAX_RATE_INVALID', 'is not a tax rate of this organisation'],
      [{ salesTaxRateId: rates.OFF! }, 'TAX_RATE_INACTIVE', 'is inactive'],
    ]
    for (const [refs, code, reason] of cases) {
      const res = await create(t, { code: 'BAD', name: 'Bad', kind: 'service', ...refs })
      expect(res.status, JSON.stringify(refs)).toBe(422)
      expect(res.body.data).toMatchObject({ code, fields: { [Object.keys(refs)[0]!]: reason } })
    }
    const both = await create(t, { code: 'BOTH', name: 'Both sides', kind: 'service', salesTaxRateId: rates.B10, purchaseTaxRateId: rates.B10 })
    expect(both.status, both.text).toBe(201)
  })
})

describe('listing and changing', () => {
  it('lists by code with the list shape; q searches code and name; kind and active filter', async () => {
    const res = await t.asOwner.get('/api/v1/items')
    expect(res.status).toBe(200)
    expect(res.body.data.map((i: { code: string }) => i.code)).toEqual(['BOTH', 'CONSULT', 'WIDGET'])
    expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 3 })
    expect((await t.asOwner.get('/api/v1/items?q=widg')).body.data.map((i: { code: string }) => i.code)).toEqual(['WIDGET'])
    expect((await t.asOwner.get('/api/v1/items?kind=product')).body.data.map((i: { code: string }) => i.code)).toEqual(['WIDGET'])
    expect((await t.asOwner.get('/api/v1/items?kind=gadget')).status).toBe(400)
  })

  it('changes price and rate, keeps an unchanged reference to a rate made inactive since, audits; stale 409; clash 409', async () => {
    const item = (await t.asOwner.get('/api/v1/items?q=consult')).body.data[0]
    expect((await t.asOwner.patch(`/api/v1/tax-rates/${rates.S20}`, { json: { isActive: false } })).status).toBe(200)
    const res = await t.asOwner.patch(`/api/v1/items/${item.id}`, { json: { salesPrice: '135.50', name: 'Consulting (hourly)', version: 1 } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ salesPrice: '135.50', name: 'Consulting (hourly)', salesTaxRateId: rates.S20, version: 2 })
    const toInactive = await t.asOwner.patch(`/api/v1/items/${item.id}`, { json: { salesTaxRateId: rates.OFF } })
    expect(toInactive.status).toBe(422)
    expect(toInactive.body.data.code).toBe('TAX_RATE_INACTIVE')
    const cleared = await t.asOwner.patch(`/api/v1/items/${item.id}`, { json: { salesTaxRateId: null, salesPrice: null } })
    expect(cleared.body).toMatchObject({ salesTaxRateId: null, salesPrice: null, version: 3 })
    expect((await t.asOwner.patch(`/api/v1/items/${item.id}`, { json: { name: 'x', version: 1 } })).body.data.code).toBe('STALE_VERSION')
    const clash = await t.asOwner.patch(`/api/v1/items/${item.id}`, { json: { code: 'WIDGET' } })
    expect(clash.status).toBe(409)
    expect(clash.body.data.code).toBe('ITEM_CODE_TAKEN')
  })

  it('another tenant\'s item is 404', async () => {
    const item = (await t.asOwner.get('/api/v1/items')).body.data[0]
    expect((await other.asOwner.get(`/api/v1/items/${item.id}`)).status).toBe(404)
    expect((await other.asOwner.patch(`/api/v1/items/${item.id}`, { json: { name: 'Mine' } })).status).toBe(404)
  })

  it('a viewer reads but cannot write (403)', async () => {
    const viewer = await addMember(t, ['viewer'])
    const item = (await t.asOwner.get('/api/v1/items')).body.data[0]
    expect((await viewer.client.get('/api/v1/items')).status).toBe(200)
    expect((await viewer.client.post('/api/v1/items', { json: { code: 'V', name: 'V', kind: 'service' } })).status).toBe(403)
    expect((await viewer.client.patch(`/api/v1/items/${item.id}`, { json: { name: 'V' } })).status).toBe(403)
  })
})
