/**
 * Journal entries through the real server (SPEC 6.3): drafts and posting, gapless numbers per
 * fiscal year, what a line may carry, immutability of posted entries, reversal, list filters,
 * tenant isolation, idempotent create, and multi-currency with half-up rounding.
 */
import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { cashToCapital, type Line, postEntry, sendEntry } from '../support/ledger'

let t: TestTenant

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
})

describe('drafts and posting', () => {
  it('a draft is created without a number; post: true creates it posted with a number', async () => {
    const draft = await sendEntry(t.asOwner, { memo: 'Draft one' })
    expect(draft.status).toBe(201)
    expect(draft.body).toMatchObject({ status: 'draft', number: null, postedAt: null, memo: 'Draft one', currency: 'USD' })
    expect(draft.body.lines).toHaveLength(2)
    expect(draft.body.lines[0]).toMatchObject({ lineNo: 1, accountCode: '1000', debit: '10.00', credit: '0.00', baseDebit: '10.00', baseCredit: '0.00', isRounding: false })
    expect(draft.body.totals).toEqual({ debit: '10.00', credit: '10.00', baseDebit: '10.00', baseCredit: '10.00' })

    const now = await sendEntry(t.asOwner, { post: true })
    expect(now.status).toBe(201)
    expect(now.body.status).toBe('posted')
    expect(Number.isInteger(now.body.number)).toBe(true)

    const later = await t.asOwner.post(`/api/v1/journal-entries/${draft.body.id}/post`)
    expect(later.status).toBe(200)
    expect(later.body).toMatchObject({ status: 'posted', number: now.body.number + 1 })
    expect(later.body.postedAt).toBeTruthy()
  })

  it('a draft can be replaced and deleted', async () => {
    const draft = await sendEntry(t.asOwner, { memo: 'To edit' })
    const patched = await t.asOwner.patch(`/api/v1/journal-entries/${draft.body.id}`, { json: { date: '2026-03-11', memo: 'Edited', lines: cashToCapital('12.34') } })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ memo: 'Edited', date: '2026-03-11', status: 'draft' })
    expect(patched.body.totals.debit).toBe('12.34')
    const del = await t.asOwner.delete(`/api/v1/journal-entries/${draft.body.id}`)
    expect(del.status).toBe(200)
    expect((await t.asOwner.get(`/api/v1/journal-entries/${draft.body.id}`)).status).toBe(404)
  })

  it('a posted entry cannot be patched, deleted or posted again (422 LEDGER_ALREADY_POSTED)', async () => {
    const e = await postEntry(t.asOwner)
    const patch = await t.asOwner.patch(`/api/v1/journal-entries/${e.id}`, { json: { date: '2026-03-10', memo: 'Changed', lines: cashToCapital('99.00') } })
    expect(patch.status).toBe(422)
    expect(patch.body.data.code).toBe('LEDGER_ALREADY_POSTED')
    const del = await t.asOwner.delete(`/api/v1/journal-entries/${e.id}`)
    expect(del.status).toBe(422)
    expect(del.body.data.code).toBe('LEDGER_ALREADY_POSTED')
    const again = await t.asOwner.post(`/api/v1/journal-entries/${e.id}/post`)
    expect(again.status).toBe(422)
    expect(again.body.data.code).toBe('LEDGER_ALREADY_POSTED')
    const got = await t.asOwner.get(`/api/v1/journal-entries/${e.id}`)
    expect(got.body).toMatchObject({ memo: 'Test entry', number: e.number, totals: { debit: '10.00' } })
  })

  it('a viewer may not create entries and an ap_clerk may not post them (403)', async () => {
    const viewer = await addMember(t, ['viewer'])
    const res = await viewer.client.post('/api/v1/journal-entries', { json: { date: '2026-03-10', memo: 'x', lines: cashToCapital('1.00') } })
    expect(res.status).toBe(403)
    const draft = await sendEntry(t.asOwner, { memo: 'For the clerk' })
    const clerk = await addMember(t, ['ap_clerk'])
    expect((await clerk.client.post(`/api/v1/journal-entries/${draft.body.id}/post`)).status).toBe(403)
    expect((await clerk.client.get(`/api/v1/journal-entries/${draft.body.id}`)).status).toBe(200)
    expect((await t.asOwner.delete(`/api/v1/journal-entries/${draft.body.id}`)).status).toBe(200)
  })
})

describe('numbering', () => {
  it('posted numbers are gapless per fiscal year, drafts take none, and each year starts at 1', async () => {
    const n = await createTenant({ chartOfAccounts: 'standard', fiscalYearStartMonth: 4 })
    const numbers: number[] = []
    for (let i = 0; i < 3; i++) numbers.push((await postEntry(n.asOwner, { date: '2026-05-0' + (i + 1) })).number)
    const draft = await sendEntry(n.asOwner, { date: '2026-05-10' })
    expect(draft.body.number).toBeNull()
    const deleted = await sendEntry(n.asOwner, { date: '2026-05-11' })
    expect((await n.asOwner.delete(`/api/v1/journal-entries/${deleted.body.id}`)).status).toBe(200)
    numbers.push((await postEntry(n.asOwner, { date: '2026-06-01' })).number)
    numbers.push((await n.asOwner.post(`/api/v1/journal-entries/${draft.body.id}/post`)).body.number)
    expect(numbers).toEqual([1, 2, 3, 4, 5])

    // The fiscal year starts in April: 31 March belongs to the year before, 1 April to the next one.
    expect((await postEntry(n.asOwner, { date: '2026-03-31' })).number).toBe(1)
    expect((await postEntry(n.asOwner, { date: '2026-03-01' })).number).toBe(2)
    expect((await postEntry(n.asOwner, { date: '2027-04-01' })).number).toBe(1)
    expect((await postEntry(n.asOwner, { date: '2027-03-31' })).number).toBe(6)
  })

  it('dates in an earlier or a later fiscal year create that year\'s periods', async () => {
    const y = await createTenant({ chartOfAccounts: 'standard' })
    await postEntry(y.asOwner, { date: '2026-07-15' })
    await postEntry(y.asOwner, { date: '2023-02-28' })
    await postEntry(y.asOwner, { date: '2029-12-31' })
    const periods = await y.asOwner.get('/api/v1/fiscal-periods')
    expect(periods.status).toBe(200)
    const starts = periods.body.data.map((p: { startDate: string }) => p.startDate)
    expect(periods.body.data).toHaveLength(36)
    expect(starts).toContain('2023-01-01')
    expect(starts).toContain('2023-12-01')
    expect(starts).toContain('2029-12-01')
    expect(starts).not.toContain('2024-01-01')
    const feb2023 = periods.body.data.find((p: { startDate: string }) => p.startDate === '2023-02-01')
    expect(feb2023).toMatchObject({ endDate: '2023-02-28', number: 2, status: 'open', fiscalYearStart: '2023-01-01', fiscalYearEnd: '2023-12-31' })
  })
})

describe('what a line may carry', () => {
  const cases: [string, Line[], string][] = [
    ['both sides', [{ accountCode: '1000', debit: '5.00', credit: '5.00' }, { accountCode: '3000', credit: '0.00' }], 'lines.0.credit'],
    ['neither side', [{ accountCode: '1000', debit: '5.00' }, { accountCode: '3000' }], 'lines.1.debit'],
    ['zero on both sides', [{ accountCode: '1000', debit: '5.00' }, { accountCode: '3000', credit: '0.00', debit: '0' }], 'lines.1.debit'],
    ['a negative amount', [{ accountCode: '1000', debit: '-5.00' }, { accountCode: '3000', credit: '5.00' }], 'lines.0.debit'],
    ['a number instead of a decimal string', [{ accountCode: '1000', debit: 5 }, { accountCode: '3000', credit: '5.00' }], 'lines.0.debit'],
    ['more decimals than USD allows', [{ accountCode: '1000', debit: '5.005' }, { accountCode: '3000', credit: '5.005' }], 'lines.0.debit'],
    ['an account and an account code', [{ accountCode: '1000', accountId: '00000000-0000-4000-8000-000000000000', debit: '5.00' }, { accountCode: '3000', credit: '5.00' }], 'lines.0.accountId'],
    ['an unknown account code', [{ accountCode: '1000', debit: '5.00' }, { accountCode: 'NOPE', credit: '5.00' }], 'lines.1.accountCode'],
  ]
  for (const [name, lines, path] of cases) {
    it(`${name} → 400 naming ${path}`, async () => {
      const res = await sendEntry(t.asOwner, { lines })
      expect(res.status, res.text).toBe(400)
      expect(res.body.data.fields).toHaveProperty([path])
    })
  }

  it('fewer than two lines → 400 on lines', async () => {
    const res = await sendEntry(t.asOwner, { lines: [{ accountCode: '1000', debit: '5.00' }] })
    expect(res.status).toBe(400)
    expect(res.body.data.fields).toHaveProperty('lines')
  })

  it('JPY takes no decimals: 400 on the line with decimals', async () => {
    const res = await sendEntry(t.asOwner, { currency: 'JPY', exchangeRate: '0.0067', lines: [{ accountCode: '1000', debit: '1500' }, { accountCode: '3000', credit: '1500.5' }] })
    expect(res.status).toBe(400)
    expect(Object.keys(res.body.data.fields)).toEqual(['lines.1.credit'])
    const ok = await sendEntry(t.asOwner, { currency: 'JPY', exchangeRate: '0.0067', lines: [{ accountCode: '1000', debit: '1500' }, { accountCode: '3000', credit: '1500' }] })
    expect(ok.status).toBe(201)
    expect(ok.body.lines[0]).toMatchObject({ debit: '1500', baseDebit: '10.05' })
  })

  it('an unbalanced entry → 422 LEDGER_UNBALANCED, and nothing is written', async () => {
    const before = (await t.asOwner.get('/api/v1/journal-entries?pageSize=1')).body.total
    const res = await sendEntry(t.asOwner, { lines: [{ accountCode: '1000', debit: '10.00' }, { accountCode: '3000', credit: '9.99' }], post: true })
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LEDGER_UNBALANCED')
    const draft = await sendEntry(t.asOwner, { lines: [{ accountCode: '1000', debit: '10.00' }, { accountCode: '3000', credit: '9.99' }] })
    expect(draft.status).toBe(422)
    expect((await t.asOwner.get('/api/v1/journal-entries?pageSize=1')).body.total).toBe(before)
  })
})

describe('reversal', () => {
  it('reversing posts an entry with the lines swapped, dated like the original by default; a second reversal is 409', async () => {
    const original = await postEntry(t.asOwner, { date: '2026-04-20', lines: [{ accountCode: '6100', debit: '700.00' }, { accountCode: '1010', credit: '650.00' }, { accountCode: '2200', credit: '50.00' }] })
    const rev = await t.asOwner.post(`/api/v1/journal-entries/${original.id}/reverse`, { json: {} })
    expect(rev.status).toBe(201)
    expect(rev.body).toMatchObject({ status: 'posted', kind: 'reversal', date: '2026-04-20', reversalOfId: original.id, number: original.number + 1 })
    expect(rev.body.lines.map((l: Line) => [l.accountCode, l.debit, l.credit])).toEqual([['6100', '0.00', '700.00'], ['1010', '650.00', '0.00'], ['2200', '50.00', '0.00']])
    expect((await t.asOwner.get(`/api/v1/journal-entries/${original.id}`)).body.reversedById).toBe(rev.body.id)

    const again = await t.asOwner.post(`/api/v1/journal-entries/${original.id}/reverse`, { json: {} })
    expect(again.status).toBe(409)
    expect(again.body.data.code).toBe('LEDGER_ALREADY_REVERSED')
    const ofReversal = await t.asOwner.post(`/api/v1/journal-entries/${rev.body.id}/reverse`, { json: {} })
    expect(ofReversal.status).toBe(409)
  })

  it('a reversal may take its own date', async () => {
    const original = await postEntry(t.asOwner, { date: '2026-04-21' })
    const rev = await t.asOwner.post(`/api/v1/journal-entries/${original.id}/reverse`, { json: { date: '2026-05-01' } })
    expect(rev.status).toBe(201)
    expect(rev.body.date).toBe('2026-05-01')
  })

  it('a draft cannot be reversed (422)', async () => {
    const draft = await sendEntry(t.asOwner, {})
    const res = await t.asOwner.post(`/api/v1/journal-entries/${draft.body.id}/reverse`, { json: {} })
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LEDGER_NOT_POSTED')
    await t.asOwner.delete(`/api/v1/journal-entries/${draft.body.id}`)
  })

  it('a reversal into a closed period is refused (422 LEDGER_PERIOD_CLOSED)', async () => {
    const c = await createTenant({ chartOfAccounts: 'standard' })
    const jan = await postEntry(c.asOwner, { date: '2026-01-15' })
    const feb = await postEntry(c.asOwner, { date: '2026-02-15' })
    const periods = (await c.asOwner.get('/api/v1/fiscal-periods')).body.data
    const january = periods.find((p: { startDate: string }) => p.startDate === '2026-01-01')
    expect((await c.asOwner.post(`/api/v1/fiscal-periods/${january.id}/close`)).status).toBe(200)

    const intoJan = await c.asOwner.post(`/api/v1/journal-entries/${feb.id}/reverse`, { json: { date: '2026-01-31' } })
    expect(intoJan.status).toBe(422)
    expect(intoJan.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    const byDefault = await c.asOwner.post(`/api/v1/journal-entries/${jan.id}/reverse`, { json: {} })
    expect(byDefault.status).toBe(422)
    expect(byDefault.body.data.code).toBe('LEDGER_PERIOD_CLOSED')
    expect((await c.asOwner.get(`/api/v1/journal-entries/${jan.id}`)).body.reversedById).toBeNull()
    // Into an open period it works, and the original stays reversed once.
    const intoMarch = await c.asOwner.post(`/api/v1/journal-entries/${jan.id}/reverse`, { json: { date: '2026-03-01' } })
    expect(intoMarch.status).toBe(201)
  })
})

describe('listing', () => {
  let l: TestTenant
  const ids: Record<string, string> = {}
  let bankId: string

  beforeAll(async () => {
    l = await createTenant({ chartOfAccounts: 'standard' })
    const accounts = (await l.asOwner.get('/api/v1/accounts')).body.data
    bankId = accounts.find((a: { code: string }) => a.code === '1010').id
    ids.jan = (await postEntry(l.asOwner, { date: '2026-01-05', memo: 'January rent', reference: 'INV-77' })).id
    ids.feb = (await postEntry(l.asOwner, { date: '2026-02-05', memo: 'February sale', lines: [{ accountCode: '1010', debit: '300.00' }, { accountCode: '4000', credit: '300.00' }] })).id
    ids.mar = (await postEntry(l.asOwner, { date: '2026-03-05', memo: 'March sale', lines: [{ accountCode: '1010', debit: '50.00' }, { accountCode: '4000', credit: '50.00' }] })).id
    ids.apr = (await sendEntry(l.asOwner, { date: '2026-04-05', memo: 'April draft' })).body.id
    ids.may = (await postEntry(l.asOwner, { date: '2026-05-05', memo: 'May owner 100% top-up' })).id
  })

  const listed = async (query: string) => {
    const res = await l.asOwner.get(`/api/v1/journal-entries?${query}`)
    expect(res.status, res.text).toBe(200)
    return res.body as { data: { id: string, total: string }[], total: number, page: number, pageSize: number }
  }

  it('filters by date range, status, account and text', async () => {
    expect((await listed('from=2026-02-01&to=2026-04-30&sort=date:asc')).data.map(e => e.id)).toEqual([ids.feb, ids.mar, ids.apr])
    expect((await listed('status=draft')).data.map(e => e.id)).toEqual([ids.apr])
    expect((await listed('status=posted')).total).toBe(4)
    expect((await listed(`accountId=${bankId}&sort=date:asc`)).data.map(e => e.id)).toEqual([ids.feb, ids.mar])
    expect((await listed('q=sale&sort=date:asc')).data.map(e => e.id)).toEqual([ids.feb, ids.mar])
    expect((await listed('q=inv-77')).data.map(e => e.id)).toEqual([ids.jan])
    expect((await listed('q=100%25')).data.map(e => e.id)).toEqual([ids.may])
    expect((await listed('from=2026-02-01&to=2026-04-30&status=posted&accountId=' + bankId + '&q=march')).data.map(e => e.id)).toEqual([ids.mar])
    const feb = (await listed('q=february')).data[0]!
    expect(feb.total).toBe('300.00')
  })

  it('paginates with page, pageSize and a total', async () => {
    const p1 = await listed('sort=date:asc&page=1&pageSize=2')
    const p2 = await listed('sort=date:asc&page=2&pageSize=2')
    const p3 = await listed('sort=date:asc&page=3&pageSize=2')
    expect([p1.total, p1.page, p1.pageSize]).toEqual([5, 1, 2])
    expect([...p1.data, ...p2.data, ...p3.data].map(e => e.id)).toEqual([ids.jan, ids.feb, ids.mar, ids.apr, ids.may])
    expect((await listed('sort=date:desc&pageSize=1')).data.map(e => e.id)).toEqual([ids.may])
  })

  it('a bad filter is a 400', async () => {
    expect((await l.asOwner.get('/api/v1/journal-entries?from=2026-13-01')).status).toBe(400)
    expect((await l.asOwner.get('/api/v1/journal-entries?status=void')).status).toBe(400)
  })
})

describe('tenant isolation', () => {
  it('another tenant\'s entry is 404 on GET, PATCH, DELETE, post and reverse, and is left alone', async () => {
    const other = await createTenant({ chartOfAccounts: 'standard' })
    const theirs = await postEntry(other.asOwner, { memo: 'Theirs, posted' })
    const theirDraft = (await sendEntry(other.asOwner, { memo: 'Theirs, draft' })).body
    for (const id of [theirs.id, theirDraft.id]) {
      expect((await t.asOwner.get(`/api/v1/journal-entries/${id}`)).status).toBe(404)
      expect((await t.asOwner.patch(`/api/v1/journal-entries/${id}`, { json: { date: '2026-03-10', memo: 'x', lines: cashToCapital('1.00') } })).status).toBe(404)
      expect((await t.asOwner.delete(`/api/v1/journal-entries/${id}`)).status).toBe(404)
      expect((await t.asOwner.post(`/api/v1/journal-entries/${id}/post`)).status).toBe(404)
      expect((await t.asOwner.post(`/api/v1/journal-entries/${id}/reverse`, { json: {} })).status).toBe(404)
    }
    expect((await other.asOwner.get(`/api/v1/journal-entries/${theirs.id}`)).body).toMatchObject({ reversedById: null, memo: 'Theirs, posted' })
    expect((await other.asOwner.get(`/api/v1/journal-entries/${theirDraft.id}`)).body).toMatchObject({ status: 'draft', memo: 'Theirs, draft' })
    // Their account ids are unknown here too.
    const theirCash = (await other.asOwner.get('/api/v1/accounts?q=cash on hand')).body.data[0]
    const res = await sendEntry(t.asOwner, { lines: [{ accountId: theirCash.id, debit: '1.00' }, { accountCode: '3000', credit: '1.00' }] })
    expect(res.status).toBe(400)
    expect(res.body.data.fields).toHaveProperty(['lines.0.accountId'])
  })
})

describe('idempotency', () => {
  it('the same Idempotency-Key and body replays the first answer; another body is 409', async () => {
    const key = randomBytes(8).toString('hex')
    const body = { memo: `Idem ${key}`, post: true }
    const first = await sendEntry(t.asOwner, body, { 'idempotency-key': key })
    expect(first.status).toBe(201)
    const second = await sendEntry(t.asOwner, body, { 'idempotency-key': key })
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(second.body).toEqual(first.body)
    const found = await t.asOwner.get(`/api/v1/journal-entries?q=${encodeURIComponent(`Idem ${key}`)}`)
    expect(found.body.total).toBe(1)
    const other = await sendEntry(t.asOwner, { ...body, memo: 'Something else' }, { 'idempotency-key': key })
    expect(other.status).toBe(409)
  })
})

describe('multi-currency', () => {
  let m: TestTenant

  beforeAll(async () => {
    m = await createTenant({ chartOfAccounts: 'standard' })
    for (const [date, rate] of [['2026-01-01', '1.0831'], ['2026-03-01', '1.1']]) {
      const res = await m.asOwner.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date, rate } })
      expect(res.status, res.text).toBe(201)
    }
  })

  it('uses the latest rate on or before the date, keeps both amounts, and puts the base residual on an FX rounding line', async () => {
    const res = await sendEntry(m.asOwner, {
      date: '2026-02-28', currency: 'EUR', post: true,
      lines: [{ accountCode: '1010', debit: '33.33' }, { accountCode: '4000', credit: '11.11' }, { accountCode: '4000', credit: '11.11' }, { accountCode: '4000', credit: '11.11' }],
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ currency: 'EUR', exchangeRate: '1.0831', status: 'posted' })
    expect(res.body.lines.map((l: Line) => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit, l.isRounding])).toEqual([
      ['1010', '33.33', '0.00', '36.10', '0.00', false],
      ['4000', '0.00', '11.11', '0.00', '12.03', false],
      ['4000', '0.00', '11.11', '0.00', '12.03', false],
      ['4000', '0.00', '11.11', '0.00', '12.03', false],
      ['7910', '0.00', '0.00', '0.00', '0.01', true],
    ])
    expect(res.body.totals).toEqual({ debit: '33.33', credit: '33.33', baseDebit: '36.10', baseCredit: '36.10' })

    const march = await sendEntry(m.asOwner, { date: '2026-03-01', currency: 'EUR', lines: cashToCapital('10.00') })
    expect(march.body.exchangeRate).toBe('1.1')
    expect(march.body.lines[0].baseDebit).toBe('11.00')
  })

  it('a given exchangeRate wins over the table', async () => {
    const res = await sendEntry(m.asOwner, { date: '2026-02-28', currency: 'EUR', exchangeRate: '2', lines: cashToCapital('10.00') })
    expect(res.status).toBe(201)
    expect(res.body.exchangeRate).toBe('2')
    expect(res.body.lines[0].baseDebit).toBe('20.00')
  })

  it('rounds half-up: 0.03 × 1.5 = 0.045 → 0.05', async () => {
    const res = await sendEntry(m.asOwner, { date: '2026-02-28', currency: 'EUR', exchangeRate: '1.5', lines: cashToCapital('0.03') })
    expect(res.status).toBe(201)
    expect(res.body.lines.map((l: Line) => [l.baseDebit, l.baseCredit])).toEqual([['0.05', '0.00'], ['0.00', '0.05']])
  })

  it('no rate given and none in the table on or before the date → 422 LEDGER_NO_RATE', async () => {
    const res = await sendEntry(m.asOwner, { date: '2025-12-31', currency: 'EUR', lines: cashToCapital('10.00') })
    expect(res.status).toBe(422)
    expect(res.body.data.code).toBe('LEDGER_NO_RATE')
    const gbp = await sendEntry(m.asOwner, { date: '2026-06-30', currency: 'GBP', lines: cashToCapital('10.00') })
    expect(gbp.status).toBe(422)
    expect(gbp.body.data.code).toBe('LEDGER_NO_RATE')
  })

  it('a reversal swaps the base amounts exactly, rounding line included', async () => {
    const original = await postEntry(m.asOwner, {
      date: '2026-02-27', currency: 'EUR',
      lines: [{ accountCode: '1010', debit: '33.33' }, { accountCode: '4000', credit: '11.11' }, { accountCode: '4000', credit: '11.11' }, { accountCode: '4000', credit: '11.11' }],
    })
    const rev = await m.asOwner.post(`/api/v1/journal-entries/${original.id}/reverse`, { json: {} })
    expect(rev.status).toBe(201)
    const swap = (l: Line) => [l.accountCode, l.credit, l.debit, l.baseCredit, l.baseDebit, l.isRounding]
    const same = (l: Line) => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit, l.isRounding]
    expect(rev.body.lines.map(same)).toEqual(original.lines.map(swap))
  })
})
