/**
 * Bank accounts through the real server (SPEC §5 `bank-accounts`, §4 encryption at rest; issue 14
 * point 1): a bank account on a GL cash or bank account (one per GL account), its number encrypted
 * in the database and masked in every answer, audit event and event payload, the opening balance
 * posted once against opening-balance equity when the GL account has no postings yet, the GL
 * balance and unmatched count, permissions, another tenant's ids, and the database's own backstops.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { decryptField, makeKeyring } from '../../server/core/encryption'
import { addMember, createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'
import { createAccount, postEntry } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

const IBAN_TYPED = 'de89 3704 0044 0532 0130 00'
const IBAN = 'DE89370400440532013000'
const IBAN_MASKED = 'DE89 **** **** 3000'
const SECRET_DIGITS = ['37040044', '0532013']

let t: TestTenant
let other: TestTenant
let owner: Client
let viewer: Client
let gl: Record<string, string>

const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
const expectNoSecret = (text: string, what: string) => {
  for (const digits of SECRET_DIGITS) expect(text, what).not.toContain(digits)
}
let seq = 0
/** A fresh GL bank account (asset, subtype bank). */
const bankGl = async (extra: Record<string, unknown> = {}) => (await createAccount(owner, { code: `10${20 + seq++}`, name: `Bank ${seq}`, type: 'asset', subtype: 'bank', ...extra })).id

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  viewer = (await addMember(t, ['viewer'])).client
  const accounts = (await owner.get('/api/v1/accounts')).body as { id: string, code: string }[] | { data: { id: string, code: string }[] }
  const list = Array.isArray(accounts) ? accounts : accounts.data
  gl = Object.fromEntries(list.map(a => [a.code, a.id]))
})

describe('creating and reading', () => {
  it('creates a bank account with its number masked everywhere and posts the opening balance against 3100 once', async () => {
    const res = await owner.post('/api/v1/bank-accounts', { json: { name: ' Main account ', accountId: gl['1010'], accountNumber: IBAN_TYPED, openingBalance: '1000.00', openingBalanceDate: '2026-03-01' } })
    status(res, 201)
    expect(res.body).toMatchObject({
      name: 'Main account', accountId: gl['1010'], accountCode: '1010', currency: 'EUR', accountNumberMasked: IBAN_MASKED,
      openingBalance: '1000.0000', openingBalanceDate: '2026-03-01', isActive: true, glBalance: '1000.00', unmatchedCount: 0, lastImportAt: null, version: 1, csvMapping: null,
    })
    expect(res.body.openingEntryId).toEqual(expect.any(String))
    expectNoSecret(res.text, 'create answer')
    const read = await owner.get(`/api/v1/bank-accounts/${res.body.id}`)
    expect(read.body).toEqual(res.body)

    const entry = await owner.get(`/api/v1/journal-entries/${res.body.openingEntryId}`)
    status(entry, 200)
    expect(entry.body).toMatchObject({ date: '2026-03-01', status: 'posted', source: { type: 'bank_account', id: res.body.id } })
    expect(entry.body.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([['1010', '1000.00', '0.00'], ['3100', '0.00', '1000.00']])

    const audit = await sql<{ action: string, text: string }[]>`
      select action, coalesce(before::text, '') || coalesce(after::text, '') as text from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['bank_account.create'])
    expect(audit[0]!.text).toContain(IBAN_MASKED)
    expectNoSecret(audit[0]!.text, 'audit')
    // stored only encrypted (bound to the tenant), beside a keyed hash and the mask
    const [row] = await sql<{ c: string, h: string, m: string }[]>`select account_number_ciphertext as c, account_number_hash as h, account_number_masked as m from bank_accounts where id = ${res.body.id}`
    expectNoSecret(`${row!.c}${row!.h}`, 'stored')
    expect(row!.m).toBe(IBAN_MASKED)
    const ring = makeKeyring(inject('serverEnv').ENCRYPTION_KEY!)
    expect(decryptField(row!.c, `bank_account_number:${t.id}`, ring)).toBe(IBAN)
    expect(() => decryptField(row!.c, `bank_account_number:${other.id}`, ring)).toThrow()

    // a PATCH with a new opening balance is refused once it is posted; the name still changes
    const posted = await owner.patch(`/api/v1/bank-accounts/${res.body.id}`, { json: { openingBalance: '900.00', openingBalanceDate: '2026-03-01' } })
    status(posted, 422)
    expect(posted.body.data.code).toBe('BANK_OPENING_BALANCE_POSTED')
    const renamed = await owner.patch(`/api/v1/bank-accounts/${res.body.id}`, { json: { name: 'Operating account', version: 1 } })
    status(renamed, 200)
    expect(renamed.body).toMatchObject({ name: 'Operating account', version: 2, openingBalance: '1000.0000', openingEntryId: res.body.openingEntryId })
    const stale = await owner.patch(`/api/v1/bank-accounts/${res.body.id}`, { json: { name: 'Again', version: 1 } })
    status(stale, 409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
  })

  it('posts an overdrawn opening balance the other way round, and none when the GL account has postings already', async () => {
    const overdrawnGl = await bankGl()
    const od = await owner.post('/api/v1/bank-accounts', { json: { name: 'Overdraft', accountId: overdrawnGl, openingBalance: '-250.50', openingBalanceDate: '2026-03-01', accountNumber: '4412-7788-01' } })
    status(od, 201)
    expect(od.body).toMatchObject({ glBalance: '-250.50', accountNumberMasked: '**** 8801' })
    const entry = (await owner.get(`/api/v1/journal-entries/${od.body.openingEntryId}`)).body
    expect(entry.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([['3100', '250.50', '0.00'], [entry.lines[1].accountCode, '0.00', '250.50']])

    const usedGl = await bankGl()
    const usedCode = (await owner.get(`/api/v1/accounts/${usedGl}`)).body.code
    await postEntry(owner, { date: '2026-02-01', memo: 'Earlier', lines: [{ accountCode: usedCode, debit: '40.00' }, { accountCode: '3000', credit: '40.00' }] })
    const kept = await owner.post('/api/v1/bank-accounts', { json: { name: 'Had postings', accountId: usedGl, openingBalance: '40.00', openingBalanceDate: '2026-03-01' } })
    status(kept, 201)
    expect(kept.body).toMatchObject({ openingBalance: '40.0000', openingEntryId: null, glBalance: '40.00' })
    // not posted: it may still change
    const changed = await owner.patch(`/api/v1/bank-accounts/${kept.body.id}`, { json: { openingBalance: '41.00', openingBalanceDate: '2026-03-02' } })
    status(changed, 200)
    expect(changed.body).toMatchObject({ openingBalance: '41.0000', openingBalanceDate: '2026-03-02', openingEntryId: null })
  })

  it('lists bank accounts (list shape, q, active) and reads them with bank:read only', async () => {
    const list = await viewer.get('/api/v1/bank-accounts?q=overdraft')
    status(list, 200)
    expect(list.body).toMatchObject({ page: 1, pageSize: 50, total: 1 })
    expect(list.body.data[0]).toMatchObject({ name: 'Overdraft', accountNumberMasked: '**** 8801' })
    const all = await viewer.get('/api/v1/bank-accounts?sort=name:asc&active=true')
    expect(all.body.data.map((b: { name: string }) => b.name)).toEqual([...all.body.data.map((b: { name: string }) => b.name)].sort())
    const denied = await viewer.post('/api/v1/bank-accounts', { json: { name: 'Nope', accountId: await bankGl() } })
    status(denied, 403)
  })
})

describe('refusals', () => {
  it('refuses a GL account that is not cash or bank (422), a second bank account on a GL account (409), bad input (400)', async () => {
    const revenue = await owner.post('/api/v1/bank-accounts', { json: { name: 'Wrong', accountId: gl['4000'] } })
    status(revenue, 422)
    expect(revenue.body.data).toMatchObject({ code: 'BANK_ACCOUNT_GL_INVALID', fields: { accountId: 'must be a cash or bank account' } })
    const receivable = await owner.post('/api/v1/bank-accounts', { json: { name: 'Wrong', accountId: gl['1200'] ?? gl['1100'] } })
    status(receivable, 422)
    const id = await bankGl()
    status(await owner.post('/api/v1/bank-accounts', { json: { name: 'First', accountId: id } }), 201)
    const second = await owner.post('/api/v1/bank-accounts', { json: { name: 'Second', accountId: id } })
    status(second, 409)
    expect(second.body.data.code).toBe('BANK_ACCOUNT_GL_TAKEN')
    const badIban = await owner.post('/api/v1/bank-accounts', { json: { name: 'Bad', accountId: await bankGl(), accountNumber: 'DE00370400440532013000' } })
    status(badIban, 400)
    expect(badIban.body.data.fields).toHaveProperty('accountNumber')
    const half = await owner.post('/api/v1/bank-accounts', { json: { name: 'Half', accountId: await bankGl(), openingBalance: '10.00' } })
    status(half, 400)
    expect(half.body.data.fields).toHaveProperty('openingBalanceDate')
    const foreignGl = await bankGl({ currency: 'USD' })
    const mismatch = await owner.post('/api/v1/bank-accounts', { json: { name: 'Mismatch', accountId: foreignGl, currency: 'EUR' } })
    status(mismatch, 422)
    expect(mismatch.body.data.code).toBe('BANK_ACCOUNT_GL_INVALID')
    const usd = await owner.post('/api/v1/bank-accounts', { json: { name: 'Dollars', accountId: foreignGl } })
    status(usd, 201)
    expect(usd.body.currency).toBe('USD')
  })

  it('answers 404 for another tenant\'s bank account, and for its GL account as ours', async () => {
    const mine = (await owner.get('/api/v1/bank-accounts')).body.data[0]
    status(await other.asOwner.get(`/api/v1/bank-accounts/${mine.id}`), 404)
    status(await other.asOwner.patch(`/api/v1/bank-accounts/${mine.id}`, { json: { name: 'Theirs' } }), 404)
    const theirs = await other.asOwner.post('/api/v1/bank-accounts', { json: { name: 'Cross', accountId: mine.accountId } })
    status(theirs, 422)
    expect(theirs.body.data.fields.accountId).toBe('is not an account of this organisation')
  })

  it('the database refuses a bank account on a non-bank GL account, a deletion, and a change of a posted opening balance', async () => {
    const [first] = await sql<{ id: string }[]>`select id from bank_accounts where tenant_id = ${t.id} and opening_entry_id is not null limit 1`
    await expect(asApp(t.id, db => db`insert into bank_accounts (tenant_id, name, account_id, currency) values (${t.id}, 'X', ${gl['4000']!}, 'EUR')`)).rejects.toThrow(/BANK_ACCOUNT_GL_INVALID/)
    await expect(asApp(t.id, db => db`delete from bank_accounts where id = ${first!.id}`)).rejects.toThrow(/BANK_ACCOUNT_IMMUTABLE|permission denied/)
    await expect(asApp(t.id, db => db`update bank_accounts set opening_balance = 1 where id = ${first!.id}`)).rejects.toThrow(/BANK_OPENING_BALANCE_POSTED/)
    await expect(asApp(t.id, db => db`update bank_accounts set opening_entry_id = null where id = ${first!.id}`)).rejects.toThrow(/BANK_OPENING_BALANCE_POSTED|bank_accounts_opening_check/)
  })
})
