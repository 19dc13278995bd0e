/**
 * Chart of accounts through the real server (SPEC 6.3): system accounts in every chart, the
 * standard chart, codes unique per tenant, subtypes that fit their type, contra accounts, parent
 * totals, and what an account with postings may no longer do.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { createAccount, sendEntry } from '../support/ledger'

let std: TestTenant
let bare: TestTenant
let other: TestTenant

beforeAll(async () => {
  [std, bare, other] = await Promise.all([
    createTenant({ chartOfAccounts: 'standard' }),
    createTenant({ chartOfAccounts: 'none' }),
    createTenant({ chartOfAccounts: 'standard' }),
  ])
})

const codes = (res: { body: { data: { code: string }[] } }) => res.body.data.map(a => a.code)

describe('listing', () => {
  it('a tenant with the none chart has the three system accounts and the AR and AP control accounts', async () => {
    const res = await bare.asOwner.get('/api/v1/accounts')
    expect(res.status).toBe(200)
    expect(codes(res)).toEqual(['1190', '2090', '3900', '7900', '7910'])
    expect(res.body.data.map((a: { systemKey: string }) => a.systemKey)).toEqual([null, null, 'retained_earnings', 'fx_gain_loss', 'fx_rounding'])
    expect(res.body.data.map((a: { isControl: boolean }) => a.isControl)).toEqual([true, true, false, false, false])
    for (const a of res.body.data) expect(a.balance).toBe('0.00')
  })

  it('the standard chart adds a small-business chart to the system accounts', async () => {
    const res = await std.asOwner.get('/api/v1/accounts')
    expect(res.status).toBe(200)
    const list = codes(res)
    for (const code of ['1000', '1010', '1100', '1500', '1510', '2000', '3000', '3200', '4000', '5000', '6600', '3900', '7900', '7910']) expect(list).toContain(code)
    expect(list).toEqual([...list].sort())
    const cash = res.body.data.find((a: { code: string }) => a.code === '1000')
    expect(cash).toMatchObject({ type: 'asset', subtype: 'cash', normalBalance: 'debit', isContra: false, isActive: true, balance: '0.00' })
  })

  it('filters by type and by text', async () => {
    const byType = await std.asOwner.get('/api/v1/accounts?type=liability')
    expect(byType.body.data.length).toBeGreaterThan(0)
    for (const a of byType.body.data) expect(a.type).toBe('liability')
    const byText = await std.asOwner.get('/api/v1/accounts?q=receivable')
    expect(codes(byText)).toEqual(['1100'])
  })
})

describe('creating', () => {
  it('creates an account: 201 with the resource', async () => {
    const res = await std.asOwner.post('/api/v1/accounts', { json: { code: '1020', name: 'Second bank', type: 'asset', subtype: 'bank' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ code: '1020', name: 'Second bank', type: 'asset', subtype: 'bank', normalBalance: 'debit', balance: '0.00', isParent: false, hasPostings: false })
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/)
    const got = await std.asOwner.get(`/api/v1/accounts/${res.body.id}`)
    expect(got.status).toBe(200)
    expect(got.body.code).toBe('1020')
  })

  it('a code is unique within the tenant (409 ACCOUNT_CODE_TAKEN), but free in another tenant', async () => {
    const res = await std.asOwner.post('/api/v1/accounts', { json: { code: '1000', name: 'Dup', type: 'asset' } })
    expect(res.status).toBe(409)
    expect(res.body.data.code).toBe('ACCOUNT_CODE_TAKEN')
    expect(res.body.data.fields).toHaveProperty('code')
    const elsewhere = await bare.asOwner.post('/api/v1/accounts', { json: { code: '1000', name: 'Cash', type: 'asset', subtype: 'cash' } })
    expect(elsewhere.status).toBe(201)
  })

  it('an unknown subtype, or one that does not fit the type, is a 400 on subtype', async () => {
    const unknown = await std.asOwner.post('/api/v1/accounts', { json: { code: 'X1', name: 'X', type: 'asset', subtype: 'gold_bars' } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.data.fields).toHaveProperty('subtype')
    const wrong = await std.asOwner.post('/api/v1/accounts', { json: { code: 'X2', name: 'X', type: 'liability', subtype: 'cash' } })
    expect(wrong.status).toBe(400)
    expect(wrong.body.data.fields).toHaveProperty('subtype')
    const badType = await std.asOwner.post('/api/v1/accounts', { json: { code: 'X3', name: 'X', type: 'asset-ish' } })
    expect(badType.status).toBe(400)
    expect(badType.body.data.fields).toHaveProperty('type')
  })

  it('a contra account takes the opposite normal balance', async () => {
    const res = await std.asOwner.post('/api/v1/accounts', { json: { code: '1520', name: 'Accumulated depreciation – furniture', type: 'asset', subtype: 'accumulated_depreciation' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ isContra: true, normalBalance: 'credit' })
    const list = await std.asOwner.get('/api/v1/accounts')
    expect(list.body.data.find((a: { code: string }) => a.code === '1510')).toMatchObject({ isContra: true, normalBalance: 'credit' })
    expect(list.body.data.find((a: { code: string }) => a.code === '3200')).toMatchObject({ isContra: true, normalBalance: 'debit' })
  })

  it('a viewer cannot create accounts (403) but can list them', async () => {
    const viewer = await addMember(std, ['viewer'])
    const res = await viewer.client.post('/api/v1/accounts', { json: { code: 'V1', name: 'Viewer', type: 'asset' } })
    expect(res.status).toBe(403)
    expect((await viewer.client.get('/api/v1/accounts')).status).toBe(200)
  })

  it('another tenant\'s account id is 404 on GET and PATCH', async () => {
    const mine = await createAccount(other.asOwner, { code: 'O1', name: 'Other', type: 'asset' })
    expect((await std.asOwner.get(`/api/v1/accounts/${mine.id}`)).status).toBe(404)
    const patch = await std.asOwner.patch(`/api/v1/accounts/${mine.id}`, { json: { name: 'Hijacked' } })
    expect(patch.status).toBe(404)
    expect((await other.asOwner.get(`/api/v1/accounts/${mine.id}`)).body.name).toBe('Other')
  })
})

describe('hierarchy', () => {
  it('a parent shows its children\'s total and cannot be posted to', async () => {
    const parent = await createAccount(std.asOwner, { code: '1700', name: 'Deposits', type: 'asset', subtype: 'other_current_asset' })
    const a = await createAccount(std.asOwner, { code: '1701', name: 'Deposit A', type: 'asset', subtype: 'other_current_asset', parentId: parent.id })
    const b = await createAccount(std.asOwner, { code: '1702', name: 'Deposit B', type: 'asset', subtype: 'other_current_asset', parentId: parent.id })
    expect((await sendEntry(std.asOwner, { lines: [{ accountId: a.id, debit: '100.00' }, { accountCode: '3000', credit: '100.00' }], post: true })).status).toBe(201)
    expect((await sendEntry(std.asOwner, { lines: [{ accountId: b.id, debit: '25.50' }, { accountCode: '3000', credit: '25.50' }], post: true })).status).toBe(201)
    const got = await std.asOwner.get(`/api/v1/accounts/${parent.id}`)
    expect(got.body).toMatchObject({ isParent: true, balance: '125.50' })
    expect((await std.asOwner.get(`/api/v1/accounts/${a.id}`)).body.balance).toBe('100.00')

    const refused = await sendEntry(std.asOwner, { lines: [{ accountId: parent.id, debit: '1.00' }, { accountCode: '3000', credit: '1.00' }], post: true })
    expect(refused.status).toBe(422)
    expect(refused.body.data.code).toBe('LEDGER_PARENT_ACCOUNT')
    expect(refused.body.data.fields).toHaveProperty('lines.0.accountId')
  })
})

describe('an account with postings', () => {
  it('keeps its type, deactivates only at zero, and an inactive account takes no postings', async () => {
    const acc = await createAccount(std.asOwner, { code: '6050', name: 'Training', type: 'expense', subtype: 'operating_expense' })
    const posted = await sendEntry(std.asOwner, { lines: [{ accountId: acc.id, debit: '40.00' }, { accountCode: '1000', credit: '40.00' }], post: true })
    expect(posted.status).toBe(201)
    const after = await std.asOwner.get(`/api/v1/accounts/${acc.id}`)
    expect(after.body).toMatchObject({ hasPostings: true, balance: '40.00' })

    const retype = await std.asOwner.patch(`/api/v1/accounts/${acc.id}`, { json: { type: 'asset' } })
    expect(retype.status).toBe(422)
    expect(retype.body.data.code).toBe('LEDGER_ACCOUNT_HAS_POSTINGS')
    expect((await std.asOwner.get(`/api/v1/accounts/${acc.id}`)).body.type).toBe('expense')

    const renamed = await std.asOwner.patch(`/api/v1/accounts/${acc.id}`, { json: { name: 'Training and courses' } })
    expect(renamed.status).toBe(200)
    expect(renamed.body.name).toBe('Training and courses')

    const early = await std.asOwner.patch(`/api/v1/accounts/${acc.id}`, { json: { isActive: false } })
    expect(early.status).toBe(422)
    expect(early.body.data.code).toBe('LEDGER_ACCOUNT_NOT_ZERO')

    const reversed = await std.asOwner.post(`/api/v1/journal-entries/${posted.body.id}/reverse`, { json: {} })
    expect(reversed.status).toBe(201)
    expect((await std.asOwner.get(`/api/v1/accounts/${acc.id}`)).body.balance).toBe('0.00')
    const off = await std.asOwner.patch(`/api/v1/accounts/${acc.id}`, { json: { isActive: false } })
    expect(off.status).toBe(200)
    expect(off.body.isActive).toBe(false)

    const refused = await sendEntry(std.asOwner, { lines: [{ accountCode: '1000', credit: '5.00' }, { accountId: acc.id, debit: '5.00' }], post: true })
    expect(refused.status).toBe(422)
    expect(refused.body.data.code).toBe('LEDGER_ACCOUNT_INACTIVE')
    expect(refused.body.data.fields).toHaveProperty('lines.1.accountId')
  })

  it('an account without postings may change type', async () => {
    const acc = await createAccount(std.asOwner, { code: '6060', name: 'Misc', type: 'expense' })
    const res = await std.asOwner.patch(`/api/v1/accounts/${acc.id}`, { json: { type: 'revenue', subtype: 'other_income' } })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ type: 'revenue', subtype: 'other_income', normalBalance: 'credit' })
  })
})
