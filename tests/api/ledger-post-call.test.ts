/**
 * Create-and-post goes through one SQL call (`app_ledger_post_new`, migration 0010) when the amounts
 * are good; a draft (`post: false`) still takes the TypeScript checks. Every refusal must come out
 * of both roads the same: status, code, message and field path — including which fault wins when an
 * entry has two. And a good entry posted in one call answers what a read-back shows.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'

let t: TestTenant
let ids: { parent: string, child: string, inactive: string, euro: string, cash: string }

async function account(body: Record<string, unknown>) {
  const res = await t.asOwner.post('/api/v1/accounts', { json: body })
  expect(res.status, res.text).toBe(201)
  return res.body.id as string
}

const entry = (lines: Record<string, unknown>[], post: boolean, date = '2026-03-10') =>
  t.asOwner.post('/api/v1/journal-entries', { json: { date, memo: 'two roads', lines, post } })

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  const parent = await account({ code: '1750', name: 'Deposits', type: 'asset', subtype: 'other_current_asset' })
  const child = await account({ code: '1751', name: 'Deposit A', type: 'asset', subtype: 'other_current_asset', parentId: parent })
  const inactive = await account({ code: '6070', name: 'Unused', type: 'expense', subtype: 'operating_expense' })
  expect((await t.asOwner.patch(`/api/v1/accounts/${inactive}`, { json: { isActive: false } })).status).toBe(200)
  const euro = await account({ code: '1020', name: 'Euro account', type: 'asset', subtype: 'cash', currency: 'EUR' })
  // The year's periods exist (an entry in March), and January is closed.
  const first = await entry([{ accountCode: '1000', debit: '1.00' }, { accountCode: '3000', credit: '1.00' }], true)
  expect(first.status, first.text).toBe(201)
  ids = { parent, child, inactive, euro, cash: first.body.lines[0].accountId }
  const periods = (await t.asOwner.get('/api/v1/fiscal-periods')).body.data as { id: string, number: number }[]
  expect((await t.asOwner.post(`/api/v1/fiscal-periods/${periods.find(p => p.number === 1)!.id}/close`)).status).toBe(200)
})

describe('a refused entry answers the same posted in one call or saved as a draft', () => {
  const capital = { accountCode: '3000', credit: '5.00' }
  const cases: [string, () => Record<string, unknown>[], string?][] = [
    ['an unknown account code', () => [{ accountCode: '1000', debit: '5.00' }, { accountCode: 'NOPE', credit: '5.00' }]],
    ['an unknown account id', () => [{ accountId: '00000000-0000-4000-8000-000000000000', debit: '5.00' }, capital]],
    ['an account id in capitals (not the stored spelling)', () => [{ accountId: ids.cash.toUpperCase(), debit: '5.00' }, capital]],
    ['an inactive account', () => [capital, { accountId: ids.inactive, debit: '5.00' }]],
    ['a parent account', () => [{ accountCode: '1750', debit: '5.00' }, capital]],
    ['an account in another currency', () => [{ accountId: ids.euro, debit: '5.00' }, capital]],
    ['the first bad line wins (inactive on 0, unknown on 1)', () => [{ accountId: ids.inactive, debit: '5.00' }, { accountCode: 'NOPE', credit: '5.00' }]],
    ['an unknown account beats an unbalanced entry', () => [{ accountCode: 'NOPE', debit: '5.00' }, { accountCode: '3000', credit: '4.00' }]],
    ['an unbalanced entry', () => [{ accountCode: '1000', debit: '5.00' }, { accountCode: '3000', credit: '4.00' }]],
    ['an inactive account beats a closed period', () => [{ accountId: ids.inactive, debit: '5.00' }, capital], '2026-01-15'],
    ['a closed period', () => [{ accountCode: '1000', debit: '5.00' }, capital], '2026-01-15'],
  ]
  for (const [name, lines, date] of cases) {
    it(name, async () => {
      const posted = await entry(lines(), true, date)
      const draft = await entry(lines(), false, date)
      expect(posted.status).toBeGreaterThanOrEqual(400)
      expect(posted.status).toBeLessThan(500)
      expect({ status: posted.status, body: posted.body }).toEqual({ status: draft.status, body: draft.body })
    })
  }

  it('leaves nothing behind: no entry, no number used', async () => {
    const list = (await t.asOwner.get('/api/v1/journal-entries?pageSize=100')).body.data as { number: number | null, memo: string }[]
    expect(list.filter(e => e.number !== null).map(e => e.number)).toEqual([1])
  })
})

describe('a good entry posted in one call', () => {
  it('answers what is stored: ids, numbers, accounts, amounts and timestamps', async () => {
    const res = await entry([{ accountId: ids.child, debit: '12.34', description: 'deposit' }, { accountCode: '1000', credit: '12.34' }], true, '2026-03-11')
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ number: 2, status: 'posted', kind: 'manual', currency: 'USD', exchangeRate: '1', source: null, reversalOfId: null })
    expect(res.body.lines).toMatchObject([
      { lineNo: 1, accountId: ids.child, accountCode: '1751', accountName: 'Deposit A', description: 'deposit', debit: '12.34', credit: '0.00' },
      { lineNo: 2, accountId: ids.cash, accountCode: '1000', debit: '0.00', credit: '12.34', baseCredit: '12.34' },
    ])
    const stored = await t.asOwner.get(`/api/v1/journal-entries/${res.body.id}`)
    expect(stored.status).toBe(200)
    expect(stored.body).toEqual(res.body)
  })
})
