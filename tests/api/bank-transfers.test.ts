/**
 * Transfers between bank accounts through the real server (SPEC §5 `transfers`; issue 14 point 4):
 * one posted entry in one currency; between currencies both amounts, the base difference on the FX
 * gain/loss account; between two foreign currencies one entry in the from side's currency whose to
 * line carries its own currency's amount (journal_lines.account_amount), read by the bank account's
 * balance, the reversal, matching and revaluation; the refusals (same account, inactive account,
 * amounts, closed period, no rate), the list and one, audit, and another tenant's ids.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Dec } from '../../server/domain/money'
import { createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'
import { importRows } from '../support/bank'
import { closePeriodsUpTo, createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

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

  it('refuses a foreign currency without a rate, also as the to side of two foreign currencies; nothing written', async () => {
    const entriesBefore = (await sql<{ n: number }[]>`select count(*)::int as n from journal_entries where tenant_id = ${t.id}`)[0]!.n
    const noRate = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.a, toBankAccountId: bank.gbp, date: '2026-03-15', amount: '10.00', toAmount: '8.00' } })
    status(noRate, 422)
    expect(noRate.body.data.code).toBe('LEDGER_NO_RATE')
    // USD has a rate, GBP none
    const noToRate = await owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.usd, toBankAccountId: bank.gbp, date: '2026-03-15', amount: '10.00', toAmount: '8.00' } })
    status(noToRate, 422)
    expect(noToRate.body.data.code).toBe('LEDGER_NO_RATE')
    expect((await sql<{ n: number }[]>`select count(*)::int as n from journal_entries where tenant_id = ${t.id}`)[0]!.n).toBe(entriesBefore)
    expect((await owner.get(`/api/v1/transfers?bankAccountId=${bank.gbp}`)).body.total).toBe(0)
  })
})

describe('two foreign currencies', () => {
  const glBalance = async (id: string) => (await owner.get(`/api/v1/bank-accounts/${id}`)).body.glBalance as string
  const usdToGbp = (date: string) => owner.post('/api/v1/transfers', { json: { fromBankAccountId: bank.usd, toBankAccountId: bank.gbp, date, amount: '100.00', toAmount: '80.00', reference: 'FX-1' } })
  type Line = { id: string, accountCode: string, debit: string, credit: string, baseDebit: string, baseCredit: string, accountAmount: string | null, accountCurrency: string | null }
  const withOwn = (entry: { lines: Line[] }) => entry.lines.map(l => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit, l.accountAmount, l.accountCurrency])
  let fxCode = ''

  beforeAll(async () => {
    status(await owner.post('/api/v1/exchange-rates', { json: { currency: 'GBP', date: '2026-03-01', rate: '1.15' } }), 201)
    fxCode = (await sql<{ code: string }[]>`select code from accounts where tenant_id = ${t.id} and system_key = 'fx_gain_loss'`)[0]!.code
  })

  it('USD → GBP: one entry in USD, the GBP line with its pounds, the base difference to FX gain/loss; reversal undoes both', async () => {
    const usdBefore = await glBalance(bank.usd)
    expect(usdBefore).toBe('50.00') // +100 (EUR → USD) − 50 (USD → EUR) above
    expect(await glBalance(bank.gbp)).toBe('0.00')
    // 100.00 USD out at 0.9 = 90.00 EUR; 80.00 GBP in at 1.15 = 92.00 EUR: 2.00 EUR gained, credited to FX gain/loss
    const res = await usdToGbp('2026-03-20')
    status(res, 201)
    expect(res.body).toMatchObject({ amount: '100.00', toAmount: '80.00', fromCurrency: 'USD', toCurrency: 'GBP' })
    const entry = (await owner.get(`/api/v1/journal-entries/${res.body.entryId}`)).body
    expect(entry).toMatchObject({ status: 'posted', currency: 'USD', exchangeRate: expect.stringMatching(/^0\.9/), source: { type: 'bank_transfer', id: res.body.id } })
    // the entry balances in USD (100 = 100) and in base (92 = 90 + 2)
    expect(withOwn(entry)).toEqual([
      ['1054', '100.00', '0.00', '92.00', '0.00', '80.00', 'GBP'],
      ['1053', '0.00', '100.00', '0.00', '90.00', null, null],
      [fxCode, '0.00', '0.00', '0.00', '2.00', null, null],
    ])
    expect(entry.totals).toEqual({ debit: '100.00', credit: '100.00', baseDebit: '92.00', baseCredit: '92.00' })
    // each bank account's GL balance in its own currency: USD 50 − 100, GBP 0 + 80
    expect(await glBalance(bank.usd)).toBe('-50.00')
    expect(await glBalance(bank.gbp)).toBe('80.00')
    const tb = (await owner.get('/api/v1/reports/trial-balance?asOf=2026-03-31')).body
    expect(tb.totals.debit).toBe(tb.totals.credit)
    const audit = await sql<{ after: { fxDifference: string } }[]>`select after from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id} and action = 'bank_transfer.create'`
    expect(audit[0]!.after.fxDifference).toBe('2.00')

    const reversal = await owner.post(`/api/v1/journal-entries/${res.body.entryId}/reverse`, { json: {} })
    status(reversal, 201)
    expect(withOwn(reversal.body)).toEqual([
      ['1054', '0.00', '100.00', '0.00', '92.00', '-80.00', 'GBP'],
      ['1053', '100.00', '0.00', '90.00', '0.00', null, null],
      [fxCode, '0.00', '0.00', '2.00', '0.00', null, null],
    ])
    expect(await glBalance(bank.usd)).toBe('50.00')
    expect(await glBalance(bank.gbp)).toBe('0.00')
    const [own] = await sql<{ gbp: string, base: string }[]>`select sum(coalesce(l.account_amount, l.debit - l.credit))::text as gbp, sum(l.base_debit - l.base_credit)::text as base
      from journal_lines l join accounts a on a.tenant_id = l.tenant_id and a.id = l.account_id where l.tenant_id = ${t.id} and a.code = '1054'`
    expect([new Dec(own!.gbp).toFixed(2), new Dec(own!.base).toFixed(2)]).toEqual(['0.00', '0.00'])
  })

  it('a GBP statement line of 80.00 matches the GBP line; month-end revaluation revalues the GBP account from 80 pounds', async () => {
    const res = await usdToGbp('2026-03-21')
    status(res, 201)
    const entry = (await owner.get(`/api/v1/journal-entries/${res.body.entryId}`)).body as { lines: Line[] }
    const gbpLine = entry.lines.find(l => l.accountCode === '1054')!
    const usdLine = entry.lines.find(l => l.accountCode === '1053')!
    const imported = await importRows(owner, bank.gbp, [['2026-03-21', '80.00', 'From the dollar account'], ['2026-03-21', '100.00', 'Not pounds']])
    const [line80, line100] = imported.transactions.map(x => x.id) as [string, string]
    // the suggestions find the GL line by its pounds
    const suggested = (await owner.get(`/api/v1/bank-transactions/${line80}/suggestions`)).body.data as { journalLineId?: string, journalLine?: { id: string } }[]
    expect(JSON.stringify(suggested)).toContain(gbpLine.id)
    // the entry's own 100.00 (dollars) is not the GBP line's amount
    const wrong = await owner.post(`/api/v1/bank-transactions/${line100}/match`, { json: { journalLineIds: [gbpLine.id] } })
    status(wrong, 422)
    expect(wrong.body.data.code).toBe('BANK_MATCH_AMOUNT_MISMATCH')
    const matched = await owner.post(`/api/v1/bank-transactions/${line80}/match`, { json: { journalLineIds: [gbpLine.id] } })
    status(matched, 200)
    expect(matched.body.status).toBe('matched')
    status(await owner.post(`/api/v1/bank-transactions/${line80}/unmatch`), 200)
    // plain SQL as the app role is held to the pounds too (the bank match guard, migration 0035)
    const insert = (db: postgres.Sql, txId: string, amount: string) =>
      db`insert into bank_matches (tenant_id, bank_transaction_id, bank_account_id, journal_line_id, amount, source) values (${t.id}, ${txId}, ${bank.gbp}, ${gbpLine.id}, ${amount}, 'journal_line')`
    await expect(asApp(t.id, db => insert(db, line100, '100.00'))).rejects.toThrow(/BANK_MATCH_LINE_INVALID/)
    await asApp(t.id, db => insert(db, line80, '80.00')) // rolled back
    status(await owner.post(`/api/v1/bank-transactions/${line80}/match`, { json: { journalLineIds: [gbpLine.id] } }), 200)
    expect(usdLine.accountAmount).toBeNull()

    // GBP at 1.2 by the month end: 80 × 1.2 = 96.00 against a book 92.00: +4.00. USD: −50 × 0.9 = −45.00, book
    // 90 − 45 − 90 (this transfer; the first one and its reversal net to zero) = −45.00: no difference.
    status(await owner.post('/api/v1/exchange-rates', { json: { currency: 'GBP', date: '2026-03-25', rate: '1.2' } }), 201)
    const reval = await owner.post('/api/v1/revaluations', { json: { date: '2026-03-31' } })
    status(reval, 200)
    expect(reval.body.accounts).toEqual(expect.arrayContaining([
      expect.objectContaining({ code: '1054', currency: 'GBP', foreignBalance: '80.00', rate: '1.2', revaluedBalance: '96.00', bookBalance: '92.00', difference: '4.00' }),
      expect.objectContaining({ code: '1053', currency: 'USD', foreignBalance: '-50.00', bookBalance: '-45.00', difference: '0.00' }),
    ]))
    expect(withOwn(reval.body.entry).find(l => l[0] === '1054')).toEqual(['1054', '0.00', '0.00', '4.00', '0.00', null, null])
    // the revaluation moves base only: the pounds stay 80
    expect(await glBalance(bank.gbp)).toBe('80.00')
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
