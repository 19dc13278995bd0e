/**
 * Matching bank lines through the real server (SPEC §5 `bank-transactions/{id}/suggestions|match|
 * categorize|unmatch`; issue 14 points 3 and 8): suggestions and their order, matching GL lines (one
 * or several), a receipt and a bill payment, unmatching, categorising with tax (figures by hand below),
 * each refusal, another tenant's ids, two requests racing for one GL line, and the database's own
 * guards (a match that does not add up is refused at commit even in plain SQL as paksa_app).
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'
import { bankLineOf, createBank, importRows, postBankEntry, type TestBank } from '../support/bank'
import { closePeriodsUpTo, createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

let t: TestTenant
let other: TestTenant
let owner: Client
let bank: TestBank
let otherBank: TestBank
const a: Record<string, string> = {}

const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
function refused(res: ApiResponse, expected: number, code: string, field?: string) {
  status(res, expected)
  expect(res.body.data.code).toBe(code)
  if (field) expect(Object.keys(res.body.data.fields ?? {})).toContain(field)
}
const match = (id: string, json: Record<string, unknown>, c = owner) => c.post(`/api/v1/bank-transactions/${id}/match`, { json })
const categorize = (id: string, json: Record<string, unknown>, c = owner) => c.post(`/api/v1/bank-transactions/${id}/categorize`, { json })
const unmatch = (id: string, c = owner) => c.post(`/api/v1/bank-transactions/${id}/unmatch`)
const suggestions = (id: string, query = '', c = owner) => c.get(`/api/v1/bank-transactions/${id}/suggestions${query}`)
/** One imported line (a fresh text each time, so no line is a duplicate of another test's). */
let n = 0
async function bankLine(amount: string, date = '2026-03-10', text = 'Line', ref?: string, on = bank, c = owner) {
  const res = await importRows(c, on.id, [[date, amount, `${text} #${n++}`, ref]])
  return res.transactions[0]!.id
}

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  for (const acc of (await owner.get('/api/v1/accounts')).body.data as { id: string, code: string }[]) a[acc.code] = acc.id
  bank = await createBank(owner, 'Matching bank')
  otherBank = await createBank(other.asOwner, 'Other tenant bank')
})

describe('suggestions', () => {
  it('offers unmatched GL lines of the same amount within ±7 days, best first, and the first rule as a reason', async () => {
    const line = await bankLine('-120.00', '2026-03-10', 'Office rent March RENT-03 Zebrafinch')
    const best = await postBankEntry(owner, bank, '-120.00', '2026-03-10', '6100', { reference: 'RENT-03', memo: 'Rent March' })
    const later = await postBankEntry(owner, bank, '-120.00', '2026-03-14', '6100')
    const outside = await postBankEntry(owner, bank, '-120.00', '2026-03-25', '6100')
    await postBankEntry(owner, bank, '-119.00', '2026-03-10', '6100')
    const rule = await owner.post('/api/v1/bank-rules', { json: { name: 'Zebrafinch rent', priority: 5, conditions: { descriptionContains: 'zebrafinch' }, action: { accountId: a['6100'] } } })
    status(rule, 201)

    const res = await suggestions(line)
    status(res, 200)
    // best: 0.5 amount + 0.3 same day + 0.1 reference = 0.9; later: 0.5 + 0.3 × (1 − 4/8) = 0.65; the rule 0.4
    expect(res.body.data.map((s: { kind: string, id: string, score: number }) => [s.kind, s.id, s.score])).toEqual([
      ['journal_line', best.lineId, 0.9], ['journal_line', later.lineId, 0.65], ['rule', rule.body.id, 0.4],
    ])
    expect(res.body.data[0]).toMatchObject({ journalLineId: best.lineId, entryId: best.entryId, entryNumber: best.number, date: '2026-03-10', amount: '-120.0000' })
    expect(res.body.data[0].reason).toBe('Same amount; Same day; Reference RENT-03')
    expect(res.body.data[2]).toMatchObject({ reason: 'Rule: Zebrafinch rent', accountId: a['6100'], journalLineId: null })

    const wide = await suggestions(line, '?days=20&limit=3')
    expect(wide.body.data.map((s: { id: string }) => s.id)).toEqual([best.lineId, later.lineId, outside.lineId])
    refused(await suggestions(line, '?days=-1'), 400, 'VALIDATION_FAILED')
    await owner.delete(`/api/v1/bank-rules/${rule.body.id}`)
  })

  it('offers a receipt and a bill payment as themselves, the party named', async () => {
    const customer = (await owner.post('/api/v1/customers', { json: { name: 'Northwind Traders' } })).body.id
    const receipt = await owner.post('/api/v1/receipts', { json: { customerId: customer, date: '2026-03-11', amount: '250.00', depositAccountId: bank.glId } })
    status(receipt, 201)
    const vendor = (await owner.post('/api/v1/vendors', { json: { name: 'Harbour Office Supplies' } })).body.id
    const payment = await owner.post('/api/v1/bill-payments', { json: { vendorId: vendor, date: '2026-03-12', amount: '80.00', paymentAccountId: bank.glId } })
    status(payment, 201)

    const inLine = await bankLine('250.00', '2026-03-12', `NORTHWIND TRADERS ${receipt.body.number}`)
    const got = (await suggestions(inLine)).body.data
    // 0.5 + 0.3 × (1 − 1/8) + 0.1 reference + 0.1 customer = 0.9625 → 0.96
    expect(got[0]).toMatchObject({ kind: 'receipt', id: receipt.body.id, score: 0.96, reason: `Same amount; 1 day apart; Reference ${receipt.body.number}; Customer Northwind Traders` })
    const matched = await match(inLine, { receiptId: receipt.body.id })
    status(matched, 200)
    expect(matched.body).toMatchObject({ status: 'matched', matches: [{ source: 'receipt', amount: '250.0000', entryId: receipt.body.journalEntryId }] })

    // A matched receipt is not voided until the bank line is unmatched (the database holds it too).
    refused(await owner.post(`/api/v1/receipts/${receipt.body.id}/void`, { json: {} }), 422, 'BANK_ENTRY_MATCHED')

    const outLine = await bankLine('-80.00', '2026-03-12', 'Harbour Office card payment')
    const out = (await suggestions(outLine)).body.data
    expect(out[0]).toMatchObject({ kind: 'bill_payment', id: payment.body.id, reason: 'Same amount; Same day; Vendor Harbour Office Supplies' })
    status(await match(outLine, { billPaymentId: payment.body.id }), 200)
    expect((await suggestions(outLine)).body.data).toEqual([])
  })
})

describe('match and unmatch', () => {
  it('matches one bank line to several GL lines that add up, shows the matches, audits, and unmatches', async () => {
    const line = await bankLine('300.00', '2026-03-16')
    const g1 = await postBankEntry(owner, bank, '100.00', '2026-03-15')
    const g2 = await postBankEntry(owner, bank, '200.00', '2026-03-16')
    const res = await match(line, { journalLineIds: [g1.lineId, g2.lineId] })
    status(res, 200)
    expect(res.body.status).toBe('matched')
    expect(res.body.matches).toEqual([
      { journalLineId: g1.lineId, entryId: g1.entryId, entryNumber: g1.number, date: '2026-03-15', amount: '100.0000', source: 'journal_line', ruleId: null },
      { journalLineId: g2.lineId, entryId: g2.entryId, entryNumber: g2.number, date: '2026-03-16', amount: '200.0000', source: 'journal_line', ruleId: null },
    ])
    expect((await owner.get(`/api/v1/bank-transactions/${line}`)).body.matches).toHaveLength(2)
    expect((await owner.get(`/api/v1/bank-transactions?status=matched&bankAccountId=${bank.id}`)).body.data.map((l: { id: string }) => l.id)).toContain(line)

    refused(await match(line, { journalLineIds: [g1.lineId] }), 409, 'BANK_TRANSACTION_MATCHED')
    const again = await bankLine('100.00', '2026-03-15')
    refused(await match(again, { journalLineIds: [g1.lineId] }), 409, 'BANK_LINE_ALREADY_MATCHED', 'journalLineIds.0')

    const undone = await unmatch(line)
    status(undone, 200)
    expect(undone.body).toMatchObject({ status: 'unmatched', matches: [] })
    refused(await unmatch(line), 409, 'BANK_TRANSACTION_NOT_MATCHED')
    // The GL lines are free again.
    status(await match(again, { journalLineIds: [g1.lineId] }), 200)

    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id::text = ${line} order by seq`
    expect(audit.map(x => x.action)).toEqual(['bank_transaction.match', 'bank_transaction.unmatch'])
  })

  it('refuses what does not add up or is not a line of this bank account (422), a bad body (400), another tenant\'s ids (404/422)', async () => {
    const line = await bankLine('-45.00', '2026-03-17')
    const g = await postBankEntry(owner, bank, '-40.00', '2026-03-17')
    refused(await match(line, { journalLineIds: [g.lineId] }), 422, 'BANK_MATCH_AMOUNT_MISMATCH', 'journalLineIds')
    const elsewhere = await postBankEntry(owner, bank, '-45.00', '2026-03-17', '6100')
    const [expenseLine] = await sql<{ id: string }[]>`select id from journal_lines where entry_id = ${elsewhere.entryId} and account_id <> ${bank.glId}`
    refused(await match(line, { journalLineIds: [expenseLine!.id] }), 422, 'BANK_MATCH_LINE_INVALID', 'journalLineIds.0')
    refused(await match(line, { journalLineIds: [g.lineId, g.lineId] }), 400, 'VALIDATION_FAILED', 'journalLineIds')
    refused(await match(line, { journalLineIds: [g.lineId], receiptId: g.entryId }), 400, 'VALIDATION_FAILED')
    refused(await match(line, {}), 400, 'VALIDATION_FAILED')
    refused(await match(line, { receiptId: g.entryId }), 422, 'BANK_MATCH_LINE_INVALID', 'receiptId')
    // A reversed entry's line is not matched.
    const reversed = await postBankEntry(owner, bank, '-45.00', '2026-03-17')
    status(await owner.post(`/api/v1/journal-entries/${reversed.entryId}/reverse`, { json: {} }), 201)
    refused(await match(line, { journalLineIds: [reversed.lineId] }), 422, 'BANK_MATCH_LINE_INVALID', 'journalLineIds.0')
    expect((await suggestions(line)).body.data.map((s: { id: string }) => s.id)).toEqual([elsewhere.lineId])

    // Another tenant's bank line is not found; its GL line is not a line of this organisation.
    const theirs = await bankLine('-45.00', '2026-03-17', 'Theirs', undefined, otherBank, other.asOwner)
    const theirGl = await postBankEntry(other.asOwner, otherBank, '-45.00', '2026-03-17', '6100')
    refused(await match(theirs, { journalLineIds: [g.lineId] }), 404, 'NOT_FOUND')
    refused(await suggestions(theirs), 404, 'NOT_FOUND')
    refused(await unmatch(theirs), 404, 'NOT_FOUND')
    refused(await categorize(theirs, { accountId: a['6100'] }), 404, 'NOT_FOUND')
    refused(await owner.get(`/api/v1/bank-transactions/${theirs}`), 404, 'NOT_FOUND')
    refused(await match(line, { journalLineIds: [theirGl.lineId] }), 422, 'BANK_MATCH_LINE_INVALID', 'journalLineIds.0')
    expect((await owner.get(`/api/v1/bank-transactions/${line}`)).body.status).toBe('unmatched')
  })

  it('lets exactly one of two bank lines racing for one GL line win', async () => {
    const l1 = await bankLine('77.00', '2026-03-18')
    const l2 = await bankLine('77.00', '2026-03-18')
    const g = await postBankEntry(owner, bank, '77.00', '2026-03-18')
    const results = await Promise.all([match(l1, { journalLineIds: [g.lineId] }), match(l2, { journalLineIds: [g.lineId] })])
    expect(results.map(r => r.status).sort()).toEqual([200, 409])
    expect(results.find(r => r.status === 409)!.body.data.code).toBe('BANK_LINE_ALREADY_MATCHED')
    const counted = await sql<{ n: string }[]>`select count(*)::text as n from bank_matches where journal_line_id = ${g.lineId}`
    expect(counted[0]!.n).toBe('1')

    // Two categorisations of one line: the row lock makes the second see it matched.
    const l3 = await bankLine('-12.00', '2026-03-18')
    const twice = await Promise.all([categorize(l3, { accountId: a['6900'] }), categorize(l3, { accountId: a['6900'] })])
    expect(twice.map(r => r.status).sort()).toEqual([200, 409])
    expect(twice.find(r => r.status === 409)!.body.data.code).toBe('BANK_TRANSACTION_MATCHED')
    const entries = await sql<{ n: string }[]>`select count(*)::text as n from journal_entries where source_type = 'bank_transaction' and source_id = ${l3}`
    expect(entries[0]!.n).toBe('1')
  })
})

describe('categorize', () => {
  it('posts the gross amount against the account with the tax taken out, matches it, and unmatching reverses it', async () => {
    const vat = await owner.post('/api/v1/tax-rates', { json: { code: 'VAT19P', name: 'VAT 19% purchases', rate: '19', scope: 'purchases', accountId: a['2100'] } })
    status(vat, 201)
    const line = await bankLine('-50.00', '2026-03-20', 'Paper and toner')
    const res = await categorize(line, { accountId: a['6300'], taxRateId: vat.body.id, memo: 'Office supplies' })
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'matched', matches: [{ source: 'categorized', amount: '-50.0000', date: '2026-03-20', ruleId: null }] })
    // By hand: 50.00 gross at 19% inclusive: tax = 50 × 19 / 119 = 7.9831… → 7.98; net = 50.00 − 7.98 = 42.02.
    const entry = (await owner.get(`/api/v1/journal-entries/${res.body.matches[0].entryId}`)).body
    expect(entry).toMatchObject({ date: '2026-03-20', memo: 'Office supplies', status: 'posted', source: { type: 'bank_transaction', id: line } })
    expect(entry.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([
      [bank.glCode, '0.00', '50.00'], ['6300', '42.02', '0.00'], ['2100', '7.98', '0.00'],
    ])
    expect(entry.lines[0].id).toBe(res.body.matches[0].journalLineId)

    const undone = await unmatch(line)
    status(undone, 200)
    expect(undone.body.status).toBe('unmatched')
    const after = (await owner.get(`/api/v1/journal-entries/${entry.id}`)).body
    expect(after.reversedById).toEqual(expect.any(String))
    // The categorisation and its reversal are not offered back.
    expect((await suggestions(line)).body.data).toEqual([])
    // Money in without tax: Dr bank, Cr the account.
    const income = await bankLine('99.00', '2026-03-20', 'Interest')
    const posted = await categorize(income, { accountId: a['4900'] })
    status(posted, 200)
    const e2 = (await owner.get(`/api/v1/journal-entries/${posted.body.matches[0].entryId}`)).body
    expect(e2.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([[bank.glCode, '99.00', '0.00'], ['4900', '0.00', '99.00']])
    expect(e2.memo).toMatch(/^Interest #/)
  })

  it('refuses a control, parent, inactive or the bank\'s own account, an unusable tax rate, a closed period, a matched line', async () => {
    const line = await bankLine('-30.00', '2026-03-21')
    refused(await categorize(line, { accountId: a['1100'] }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'accountId')
    refused(await categorize(line, { accountId: a['2000'] }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'accountId')
    refused(await categorize(line, { accountId: bank.glId }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'accountId')
    const parent = await createAccount(owner, { code: '6950', name: 'Travel', type: 'expense' })
    await createAccount(owner, { code: '6951', name: 'Trains', type: 'expense', parentId: parent.id })
    refused(await categorize(line, { accountId: parent.id }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'accountId')
    refused(await categorize(line, { accountId: line }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'accountId')
    refused(await categorize(line, {}), 400, 'VALIDATION_FAILED', 'accountId')
    refused(await categorize(line, { accountId: 'nope' }), 400, 'VALIDATION_FAILED', 'accountId')

    const sales = await owner.post('/api/v1/tax-rates', { json: { code: 'S7', name: 'Sales 7%', rate: '7', scope: 'sales', accountId: a['2100'] } })
    refused(await categorize(line, { accountId: a['6300'], taxRateId: sales.body.id }), 422, 'TAX_RATE_INVALID', 'taxRateId')
    const old = await owner.post('/api/v1/tax-rates', { json: { code: 'OLD5', name: 'Old 5%', rate: '5', scope: 'both', accountId: a['2100'], isActive: false } })
    refused(await categorize(line, { accountId: a['6300'], taxRateId: old.body.id }), 422, 'TAX_RATE_INACTIVE', 'taxRateId')
    refused(await categorize(line, { accountId: a['6300'], taxRateId: line }), 422, 'TAX_RATE_INVALID', 'taxRateId')
    refused(await categorize(line, { ruleId: line }), 422, 'BANK_RULE_INVALID', 'ruleId')

    status(await categorize(line, { accountId: a['6300'] }), 200)
    refused(await categorize(line, { accountId: a['6300'] }), 409, 'BANK_TRANSACTION_MATCHED')
    expect(await sql`select 1 from journal_entries where source_type = 'bank_transaction' and source_id = ${line}`).toHaveLength(1)
  })

  it('refuses a line in a closed period (422 from the ledger) and a reconciled line\'s unmatch', async () => {
    const january = await bankLine('-15.00', '2026-01-15', 'January fee')
    const year = (await owner.get('/api/v1/fiscal-years')).body.data.find((y: { startDate: string }) => y.startDate === '2026-01-01')
    await closePeriodsUpTo(owner, year.id, 1)
    refused(await categorize(january, { accountId: a['6900'] }), 422, 'LEDGER_PERIOD_CLOSED')
    expect((await owner.get(`/api/v1/bank-transactions/${january}`)).body).toMatchObject({ status: 'unmatched', matches: [] })

    // A reconciled line keeps its matches (the reconciliation itself is built elsewhere; set here in SQL).
    const line = await bankLine('-16.00', '2026-03-22')
    status(await categorize(line, { accountId: a['6900'] }), 200)
    await sql`update bank_transactions set status = 'reconciled' where id = ${line}`
    refused(await unmatch(line), 422, 'BANK_TRANSACTION_RECONCILED')
    refused(await categorize(line, { accountId: a['6900'] }), 422, 'BANK_TRANSACTION_RECONCILED')
    await expect(asApp(t.id, db => db`delete from bank_matches where bank_transaction_id = ${line}`)).rejects.toThrow(/BANK_TRANSACTION_RECONCILED/)
  })
})

describe('the database', () => {
  it('refuses, as paksa_app, a match that does not add up (at commit), a wrong amount or account, a changed match', async () => {
    const line = await bankLine('60.00', '2026-03-23')
    const g = await postBankEntry(owner, bank, '50.00', '2026-03-23')
    const other50 = await postBankEntry(owner, bank, '50.00', '2026-03-23', '6100')
    const insert = (db: postgres.Sql, lineId: string, amount: string) =>
      db`insert into bank_matches (tenant_id, bank_transaction_id, bank_account_id, journal_line_id, amount, source) values (${t.id}, ${line}, ${bank.id}, ${lineId}, ${amount}, 'journal_line')`
    // 50 matched to a 60 line: each row is right, the sum is not; refused when the transaction commits.
    await expect(asApp(t.id, async (db) => {
      await insert(db, g.lineId, '50.00')
      await db`update bank_transactions set status = 'matched' where id = ${line}`
    }, 'commit')).rejects.toThrow(/BANK_MATCH_UNBALANCED/)
    // Matches without the status, or the status without matches.
    await expect(asApp(t.id, db => db`update bank_transactions set status = 'matched' where id = ${line}`, 'commit')).rejects.toThrow(/BANK_MATCH_UNBALANCED/)
    // A match's amount is its GL line's; the line is on the bank's GL account.
    await expect(asApp(t.id, db => insert(db, g.lineId, '60.00'))).rejects.toThrow(/BANK_MATCH_LINE_INVALID/)
    const [expenseLine] = await sql<{ id: string }[]>`select id from journal_lines where entry_id = ${other50.entryId} and account_id <> ${bank.glId}`
    await expect(asApp(t.id, db => insert(db, expenseLine!.id, '-50.00'))).rejects.toThrow(/BANK_MATCH_LINE_INVALID/)
    expect(await sql`select 1 from bank_matches where bank_transaction_id = ${line}`).toHaveLength(0)

    // A right match commits; it is then never updated.
    const sixty = await postBankEntry(owner, bank, '60.00', '2026-03-23')
    await asApp(t.id, async (db) => {
      await insert(db, await bankLineOf(sql, sixty.entryId, bank.glId), '60.00')
      await db`update bank_transactions set status = 'matched' where id = ${line}`
    }, 'commit')
    expect((await owner.get(`/api/v1/bank-transactions/${line}`)).body).toMatchObject({ status: 'matched', matches: [{ journalLineId: sixty.lineId }] })
    await expect(asApp(t.id, db => db`update bank_matches set amount = 60 where bank_transaction_id = ${line}`)).rejects.toThrow(/BANK_MATCH_IMMUTABLE/)
    // Its entry is not reversed while matched.
    refused(await owner.post(`/api/v1/journal-entries/${sixty.entryId}/reverse`, { json: {} }), 422, 'BANK_ENTRY_MATCHED')
  })
})
