/**
 * Report caching (issue 4 point 6): results are cached under the tenant and its ledger version, and
 * every change that can alter a report moves the version, so a cached report is never stale.
 * `x-report-cache: hit|miss` tells which happened.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createTenant, type TestTenant } from '../support/api'
import { postEntry } from '../support/ledger'

let t: TestTenant
const asOf = '2026-03-31'

async function trialBalance(tenant = t) {
  const res = await tenant.asOwner.get(`/api/v1/reports/trial-balance?asOf=${asOf}`)
  expect(res.status, res.text).toBe(200)
  return { cache: res.headers.get('x-report-cache'), body: res.body as { rows: { code: string, name: string, debit: string, credit: string }[], totals: { debit: string } } }
}

const post = (amount: string, date = '2026-03-10') =>
  postEntry(t.asOwner, { date, memo: 'Cash sale', lines: [{ accountCode: '1000', debit: amount }, { accountCode: '4000', credit: amount }] })

/** The trial balance is computed again (miss) and then served from the cache (hit). */
async function expectRecomputedThenCached() {
  const first = await trialBalance()
  expect(first.cache).toBe('miss')
  const second = await trialBalance()
  expect(second.cache).toBe('hit')
  expect(second.body).toEqual(first.body)
  return first.body
}

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  await post('100.00')
})

describe('report cache keyed by the ledger version', () => {
  it('serves a repeated report from the cache', async () => {
    const body = await expectRecomputedThenCached()
    expect(body.totals.debit).toBe('100.00')
  })

  it('a posting moves the version: the next report includes it', async () => {
    await post('50.00')
    expect((await expectRecomputedThenCached()).totals.debit).toBe('150.00')
  })

  it('a reversal moves the version', async () => {
    const entry = await post('25.00')
    await expectRecomputedThenCached()
    const rev = await t.asOwner.post(`/api/v1/journal-entries/${entry.id}/reverse`, { json: {} })
    expect(rev.status, rev.text).toBe(201)
    expect((await expectRecomputedThenCached()).totals.debit).toBe('150.00')
  })

  it('renaming an account moves the version: the report shows the new name', async () => {
    const accounts = await t.asOwner.get('/api/v1/accounts?q=4000')
    const sales = (accounts.body.data as { id: string, code: string, version: number }[]).find(a => a.code === '4000')!
    const res = await t.asOwner.patch(`/api/v1/accounts/${sales.id}`, { json: { name: 'Product sales', version: sales.version } })
    expect(res.status, res.text).toBe(200)
    const body = await expectRecomputedThenCached()
    expect(body.rows.find(r => r.code === '4000')!.name).toBe('Product sales')
  })

  it('creating an account moves the version', async () => {
    const res = await t.asOwner.post('/api/v1/accounts', { json: { code: '6990', name: 'Sundry', type: 'expense', subtype: 'operating_expense' } })
    expect(res.status, res.text).toBe(201)
    await expectRecomputedThenCached()
  })

  it('closing and reopening a period move the version', async () => {
    const periods = (await t.asOwner.get('/api/v1/fiscal-periods')).body.data as { id: string, number: number }[]
    const jan = periods.find(p => p.number === 1)!
    expect((await t.asOwner.post(`/api/v1/fiscal-periods/${jan.id}/close`)).status).toBe(200)
    await expectRecomputedThenCached()
    expect((await t.asOwner.post(`/api/v1/fiscal-periods/${jan.id}/reopen`, { json: { reason: 'Late invoice' } })).status).toBe(200)
    await expectRecomputedThenCached()
  })

  it('an exchange-rate change moves the version', async () => {
    const res = await t.asOwner.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date: '2026-03-01', rate: '1.0850' } })
    expect(res.status, res.text).toBe(201)
    await expectRecomputedThenCached()
  })

  it('another tenant never reads this tenant\'s cached report', async () => {
    const other = await createTenant({ chartOfAccounts: 'standard' })
    const res = await trialBalance(other)
    expect(res.cache).toBe('miss')
    expect(res.body.totals.debit).toBe('0.00')
  })

  it('drafts do not move the version (they are not in reports)', async () => {
    await trialBalance()
    expect((await trialBalance()).cache).toBe('hit')
    const draft = await t.asOwner.post('/api/v1/journal-entries', {
      json: { date: '2026-03-11', memo: 'Draft', lines: [{ accountCode: '1000', debit: '1.00' }, { accountCode: '4000', credit: '1.00' }] },
    })
    expect(draft.status, draft.text).toBe(201)
    expect((await trialBalance()).cache).toBe('hit')
  })
})
