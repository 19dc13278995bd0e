/**
 * Bank rules through the real server (SPEC §5 `bank-rules`; issue 14 points 3 and 8): create, read,
 * list in priority order, change with a version, delete; each refusal; permissions; another tenant's
 * rule; a rule marked autoApply categorising the new lines of an import (the first matching rule
 * wins), a rule not so marked offered as a suggestion, and a deleted rule's matches kept.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { createBank, importRows, type TestBank } from '../support/bank'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant
let other: TestTenant
let owner: Client
let viewer: Client
let bank: TestBank
const a: Record<string, string> = {}

const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
function refused(res: ApiResponse, expected: number, code: string, field?: string) {
  status(res, expected)
  expect(res.body.data.code).toBe(code)
  if (field) expect(Object.keys(res.body.data.fields ?? {})).toContain(field)
}
const createRule = (json: Record<string, unknown>, c = owner) => c.post('/api/v1/bank-rules', { json })

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  viewer = (await addMember(t, ['viewer'])).client
  for (const acc of (await owner.get('/api/v1/accounts')).body.data as { id: string, code: string }[]) a[acc.code] = acc.id
  bank = await createBank(owner, 'Rules bank')
})

describe('bank rules', () => {
  it('creates, reads, lists by priority, changes with a version and deletes, audited', async () => {
    const fees = await createRule({ name: 'Bank fees', priority: 20, conditions: { descriptionContains: 'Kontoführung', amountMax: '50.00', direction: 'out' }, action: { accountId: a['6900'], memo: 'Bank fees' }, autoApply: true })
    status(fees, 201)
    expect(fees.body).toMatchObject({
      name: 'Bank fees', priority: 20, conditions: { descriptionContains: 'Kontoführung', amountMin: null, amountMax: '50.0000', direction: 'out' },
      action: { accountId: a['6900'], taxRateId: null, memo: 'Bank fees' }, autoApply: true, version: 1,
    })
    const rent = await createRule({ name: 'Rent', priority: 10, conditions: { descriptionContains: 'Miete' }, action: { accountId: a['6100'] } })
    status(rent, 201)
    expect(rent.body.autoApply).toBe(false)
    const list = await owner.get('/api/v1/bank-rules')
    status(list, 200)
    expect(list.body.data.map((r: { name: string }) => r.name)).toEqual(['Rent', 'Bank fees'])
    expect((await viewer.get(`/api/v1/bank-rules/${fees.body.id}`)).body.name).toBe('Bank fees')

    const changed = await owner.patch(`/api/v1/bank-rules/${rent.body.id}`, { json: { priority: 30, conditions: { amountMin: '500.00' }, version: 1 } })
    status(changed, 200)
    expect(changed.body).toMatchObject({ priority: 30, version: 2, conditions: { descriptionContains: 'Miete', amountMin: '500.0000' } })
    refused(await owner.patch(`/api/v1/bank-rules/${rent.body.id}`, { json: { priority: 31, version: 1 } }), 409, 'STALE_VERSION')
    expect((await owner.get('/api/v1/bank-rules?sort=priority:asc')).body.data.map((r: { name: string }) => r.name)).toEqual(['Bank fees', 'Rent'])

    status(await owner.delete(`/api/v1/bank-rules/${rent.body.id}`), 200)
    refused(await owner.get(`/api/v1/bank-rules/${rent.body.id}`), 404, 'NOT_FOUND')
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id::text = ${rent.body.id} order by seq`
    expect(audit.map(x => x.action)).toEqual(['bank_rule.create', 'bank_rule.update', 'bank_rule.delete'])
    await owner.delete(`/api/v1/bank-rules/${fees.body.id}`)
  })

  it('refuses a rule without conditions, a reversed range, an unusable account or tax rate (422), a bad body (400), a viewer (403), another tenant\'s rule (404)', async () => {
    const action = { accountId: a['6900'] }
    refused(await createRule({ name: 'Nothing', priority: 1, conditions: {}, action }), 422, 'BANK_RULE_INVALID', 'conditions')
    refused(await createRule({ name: 'Backwards', priority: 1, conditions: { amountMin: '10', amountMax: '5' }, action }), 422, 'BANK_RULE_INVALID', 'conditions.amountMax')
    refused(await createRule({ name: 'AR', priority: 1, conditions: { direction: 'in' }, action: { accountId: a['1100'] } }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'action.accountId')
    refused(await createRule({ name: 'Unknown', priority: 1, conditions: { direction: 'in' }, action: { accountId: bank.id } }), 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'action.accountId')
    const sales = await owner.post('/api/v1/tax-rates', { json: { code: 'S10', name: 'Sales 10%', rate: '10', scope: 'sales', accountId: a['2100'] } })
    refused(await createRule({ name: 'Tax', priority: 1, conditions: { direction: 'out' }, action: { ...action, taxRateId: sales.body.id } }), 422, 'TAX_RATE_INVALID', 'action.taxRateId')
    refused(await createRule({ name: 'Tax', priority: 1, conditions: { direction: 'out' }, action: { ...action, taxRateId: bank.id } }), 422, 'TAX_RATE_INVALID', 'action.taxRateId')
    refused(await createRule({ name: '', priority: 1, conditions: { direction: 'out' }, action }), 400, 'VALIDATION_FAILED', 'name')
    refused(await createRule({ name: 'Neg', priority: -1, conditions: { amountMin: '-5' }, action }), 400, 'VALIDATION_FAILED', 'priority')
    refused(await createRule({ name: 'Extra', priority: 1, conditions: { direction: 'sideways' }, action }), 400, 'VALIDATION_FAILED', 'conditions.direction')
    refused(await createRule({ name: 'Viewer', priority: 1, conditions: { direction: 'out' }, action }, viewer), 403, 'FORBIDDEN')

    const theirs = await createRule({ name: 'Theirs', priority: 1, conditions: { direction: 'out' }, action: { accountId: a['6900'] } }, other.asOwner)
    refused(theirs, 422, 'BANK_CATEGORY_ACCOUNT_INVALID', 'action.accountId')
    const otherAccounts = (await other.asOwner.get('/api/v1/accounts')).body.data as { id: string, code: string }[]
    const mine = await createRule({ name: 'Theirs', priority: 1, conditions: { direction: 'out' }, action: { accountId: otherAccounts.find(x => x.code === '6900')!.id } }, other.asOwner)
    status(mine, 201)
    refused(await owner.get(`/api/v1/bank-rules/${mine.body.id}`), 404, 'NOT_FOUND')
    refused(await owner.patch(`/api/v1/bank-rules/${mine.body.id}`, { json: { priority: 2 } }), 404, 'NOT_FOUND')
    refused(await owner.delete(`/api/v1/bank-rules/${mine.body.id}`), 404, 'NOT_FOUND')
  })

  it('categorises new imported lines with the first matching autoApply rule, suggests the others, and keeps a deleted rule\'s matches', async () => {
    const vat = await owner.post('/api/v1/tax-rates', { json: { code: 'P19', name: 'Input VAT 19%', rate: '19', scope: 'purchases', accountId: a['2100'] } })
    const first = await createRule({ name: 'Card fees', priority: 1, conditions: { descriptionContains: 'GEBÜHR', direction: 'out', amountMax: '20' }, action: { accountId: a['6900'], memo: 'Card fees' }, autoApply: true })
    const second = await createRule({ name: 'All fees', priority: 2, conditions: { descriptionContains: 'gebühr' }, action: { accountId: a['6300'], taxRateId: vat.body.id }, autoApply: true })
    const suggested = await createRule({ name: 'Telephone', priority: 3, conditions: { descriptionContains: 'Telekom', direction: 'out' }, action: { accountId: a['6200'] } })
    for (const r of [first, second, suggested]) status(r, 201)

    const imported = await importRows(owner, bank.id, [
      ['2026-04-01', '-4.50', 'Kartengebühr April'],
      ['2026-04-02', '-119.00', 'Jahresgebühr Software'],
      ['2026-04-03', '-39.99', 'Telekom Rechnung 04'],
      ['2026-04-04', '1000.00', 'Kunde zahlt'],
    ])
    expect(imported).toMatchObject({ imported: 4, categorized: 2 })
    expect(imported.transactions.map(x => x.status)).toEqual(['matched', 'matched', 'unmatched', 'unmatched'])
    const [fee, yearly, phone, customer] = imported.transactions.map(x => x.id)

    const feeLine = (await owner.get(`/api/v1/bank-transactions/${fee}`)).body
    expect(feeLine.matches).toEqual([expect.objectContaining({ source: 'rule', ruleId: first.body.id, amount: '-4.5000' })])
    const feeEntry = (await owner.get(`/api/v1/journal-entries/${feeLine.matches[0].entryId}`)).body
    expect(feeEntry.memo).toBe('Card fees')
    expect(feeEntry.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([[bank.glCode, '0.00', '4.50'], ['6900', '4.50', '0.00']])
    // Not under 20: the second rule, with tax: 119.00 gross at 19% = 100.00 net + 19.00 tax.
    const yearlyLine = (await owner.get(`/api/v1/bank-transactions/${yearly}`)).body
    expect(yearlyLine.matches[0]).toMatchObject({ source: 'rule', ruleId: second.body.id })
    const yearlyEntry = (await owner.get(`/api/v1/journal-entries/${yearlyLine.matches[0].entryId}`)).body
    expect(yearlyEntry.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([[bank.glCode, '0.00', '119.00'], ['6300', '100.00', '0.00'], ['2100', '19.00', '0.00']])

    const hint = (await owner.get(`/api/v1/bank-transactions/${phone}/suggestions`)).body.data
    expect(hint).toEqual([expect.objectContaining({ kind: 'rule', id: suggested.body.id, reason: 'Rule: Telephone', accountId: a['6200'] })])
    expect((await owner.get(`/api/v1/bank-transactions/${customer}/suggestions`)).body.data).toEqual([])
    // Applying the suggested rule: source `rule`, its account.
    const applied = await owner.post(`/api/v1/bank-transactions/${phone}/categorize`, { json: { ruleId: suggested.body.id } })
    status(applied, 200)
    expect(applied.body.matches[0]).toMatchObject({ source: 'rule', ruleId: suggested.body.id })

    status(await owner.delete(`/api/v1/bank-rules/${first.body.id}`), 200)
    expect((await owner.get(`/api/v1/bank-transactions/${fee}`)).body.matches[0]).toMatchObject({ source: 'rule', ruleId: null })
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id::text = ${fee} order by seq`
    expect(audit.map(x => x.action)).toEqual(['bank_transaction.categorize'])
  })
})
