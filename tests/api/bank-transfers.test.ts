/**
 * Transfers between bank accounts through the real server (SPEC §5 `transfers`; issue 14 point 4):
 * one posted entry in one currency; between currencies both amounts, the base difference on the FX
 * gain/loss account; the refusals (same account, inactive account, amounts, closed period, two
 * foreign currencies), the list and one, audit, and another tenant's ids.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { closePeriodsUpTo, createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant
let other: TestTenant
let owner: Client
const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
const bank: Record<'a' | 'b' | 'usd' | 'gbp' | 'off', string> = { a: '', b: '', usd: '', gbp: '', off: '' }

async function bankAccount(code: string, name: string, currency?: string) {
  const gl = await createAccount(owner, { code, name, type: 'asset', subtype: 'bank', ...(currency ? { currency } : {}) })
  const res = await owner.post('/api/v1/bank-accounts', { json: { name, accountId: gl.id, ...(currency ? { currency } : {}) } })
  status(res, 201)
  return res.body.id as string
}
const legs = (entry: { lines: { accountCode: string, debit: string, credit: string, baseDebit: string, baseCredit: string }[] }) =>
  entry.lines.map(l => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit])

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  bank.a = await bankAccount('1051', 'Main EUR')
  bank.b = await bankAccount('1052', 'Savings EUR')
  bank.usd = await bankAccount('1053', 'Dollar account', 'USD')
  bank.gbp = await bankAccount('1054', 'Sterling account', 'GBP')
  bank.off = await bankAccount('1055', 'Closed account')
  status(await owner.patch(`/api/v1/bank-accounts/${bank.off}`, { json: { isActive: false } }), 200)
  status(await owner.post('/api/v1/exchange-rates', { json: { currency: 'USD', date: '2026-03-01', rate: '0.9' } }), 201)
})

describe('one currency', () => {
  it('posts one entry: debit the to account, credit the from account; audited; listed', async () => {
    const res = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.b, date: '2026-03-10', amount: '100.00', reference: 'TR-1' } })
    status(res, 201)
    expect(res.body).toMatchObject({ fromBankAccountId: bank.a, toBankAccountId: bank.b, date: '2026-03-10', amount: '100.00', toAmount: '100.00', fromCurrency: 'EUR', toCurrency: 'EUR', reference: 'TR-1' })
    const entry = await owner.get(`/api/v1/journal-entries/${res.body.entryId}`)
    expect(entry.body).toMatchObject({ status: 'posted', currency: 'EUR', date: '2026-03-10', source: { type: 'bank_transfer', id: res.body.id } })
    expect(legs(entry.body)).toEqual([['1052', '100.00', '0.00', '100.00', '0.00'], ['1051', '0.00', '100.00', '0.00', '100.00']])
    expect((await owner.get(`/api/v1/bank-accounts/${bank.a}`)).body.glBalance).toBe('-100.00')
    expect((await owner.get(`/api/v1/bank-accounts/${bank.b}`)).body.glBalance).toBe('100.00')
    expect((await owner.get(`/api/v1/transfers/${res.body.id}`)).body).toEqual(res.body)
    const list = await owner.get(`/api/v1/transfers?bankAccountId=${bank.b}`)
    expect(list.body).toMatchObject({ total: 1, data: [{ id: res.body.id }] })
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['bank_transfer.create'])
  })

  it('refuses the same account, a different toAmount, an inactive account, bad amounts, a closed period', async () => {
    const send = (json: Record<string, unknown>) => owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.b, date: '2026-03-10', amount: '10.00', ...json } })
    status(await send({ toBankAccountId: bank.a }), 400)
    const differ = await send({ toAmount: '11.00' })
    status(differ, 400)
    expect(differ.body.data.fields).toHaveProperty('toAmount')
    const inactive = await send({ toBankAccountId: bank.off })
    status(inactive, 422)
    expect(inactive.body.data.code).toBe('BANK_TRANSFER_INVALID')
    status(await send({ amount: '0' }), 400)
    status(await send({ amount: '-5.00' }), 400)
    expect((await send({ amount: '1.001' })).body.data.code).toBe('TOO_MANY_DECIMALS')
    const year = (await owner.get('/api/v1/fiscal-periods')).body.data.find((p: { startDate: string }) => p.startDate === '2026-01-01').fiscalYearId
    await closePeriodsUpTo(owner, year, 1)
    const closed = await send({ date: '2026-01-15' })
    status(closed, 422)
    expect(closed.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    expect((await owner.get('/api/v1/transfers')).body.total).toBe(1)
  })
})

describe('between currencies', () => {
  it('EUR → USD: both amounts, one entry in USD, the base difference to FX gain/loss (a loss)', async () => {
    const missing = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.usd, date: '2026-03-12', amount: '92.00' } })
    status(missing, 400)
    expect(missing.body.data.fields).toHaveProperty('toAmount')
    // 92.00 EUR out; 100.00 USD in at 0.9 = 90.00 EUR: 2.00 EUR lost, debited to FX gain/loss
    const res = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.usd, date: '2026-03-12', amount: '92.00', toAmount: '100.00' } })
    status(res, 201)
    expect(res.body).toMatchObject({ amount: '92.00', toAmount: '100.00', fromCurrency: 'EUR', toCurrency: 'USD' })
    const entry = (await owner.get(`/api/v1/journal-entries/${res.body.entryId}`)).body
    expect(entry).toMatchObject({ currency: 'USD', exchangeRate: expect.stringMatching(/^0\.9/) })
    const fxCode = (await sql<{ code: string }[]>`select code from accounts where tenant_id = ${t.id} and system_key = 'fx_gain_loss'`)[0]!.code
    expect(legs(entry)).toEqual([
      ['1053', '100.00', '0.00', '90.00', '0.00'],
      ['1051', '0.00', '100.00', '0.00', '92.00'],
      [fxCode, '0.00', '0.00', '2.00', '0.00'],
    ])
    // the EUR account's balance in base (−100 − 92), the USD one's in dollars
    expect((await owner.get(`/api/v1/bank-accounts/${bank.a}`)).body.glBalance).toBe('-192.00')
    expect((await owner.get(`/api/v1/bank-accounts/${bank.usd}`)).body.glBalance).toBe('100.00')
  })

  it('USD → EUR at a better rate than booked: a gain credited', async () => {
    // 50.00 USD out at 0.9 = 45.00 EUR; 46.00 EUR in: 1.00 EUR gained
    const res = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.usd, toBankAccountId: bank.b, date: '2026-03-15', amount: '50.00', toAmount: '46.00' } })
    status(res, 201)
    const entry = (await owner.get(`/api/v1/journal-entries/${res.body.entryId}`)).body
    const fxCode = (await sql<{ code: string }[]>`select code from accounts where tenant_id = ${t.id} and system_key = 'fx_gain_loss'`)[0]!.code
    expect(legs(entry)).toEqual([
      ['1052', '50.00', '0.00', '46.00', '0.00'],
      ['1053', '0.00', '50.00', '0.00', '45.00'],
      [fxCode, '0.00', '0.00', '0.00', '1.00'],
    ])
    expect((await owner.get(`/api/v1/bank-accounts/${bank.usd}`)).body.glBalance).toBe('50.00')
  })

  it('refuses two foreign currencies, and a foreign currency without a rate', async () => {
    const foreign = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.usd, toBankAccountId: bank.gbp, date: '2026-03-15', amount: '10.00', toAmount: '8.00' } })
    status(foreign, 422)
    expect(foreign.body.data.code).toBe('BANK_TRANSFER_INVALID')
    const noRate = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.gbp, date: '2026-03-15', amount: '10.00', toAmount: '8.00' } })
    status(noRate, 422)
    expect(noRate.body.data.code).toBe('LEDGER_NO_RATE')
  })
})

describe('other tenants', () => {
  it('answers 404 for another tenant\'s bank accounts and transfers', async () => {
    const them = other.asOwner
    const mine = (await owner.get('/api/v1/transfers')).body.data[0].id as string
    status(await them.get(`/api/v1/transfers/${mine}`), 404)
    status(await them.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.b, date: '2026-03-10', amount: '1.00' } }), 404)
    expect((await them.get('/api/v1/transfers')).body.total).toBe(0)
  })
})
