import { describe, expect, it } from 'vitest'
import { addMember, createTenant } from '../support/api'
import { balancesByCode, closePeriodsUpTo, createAccount, postEntry } from '../support/ledger'

describe('year-end close', () => {
  async function yearWithIncome() {
    const tenant = await createTenant()
    const c = tenant.asOwner
    await createAccount(c, { code: '1010', name: 'Bank', type: 'asset', subtype: 'bank' })
    await createAccount(c, { code: '4000', name: 'Sales', type: 'revenue' })
    await createAccount(c, { code: '4100', name: 'Interest income', type: 'revenue', subtype: 'other_income' })
    await createAccount(c, { code: '6000', name: 'Rent', type: 'expense' })
    await createAccount(c, { code: '6100', name: 'Supplies', type: 'expense' })
    await postEntry(c, { date: '2025-03-10', memo: 'Sales', lines: [{ accountCode: '1010', debit: '1000.00' }, { accountCode: '4000', credit: '1000.00' }] })
    await postEntry(c, { date: '2025-04-02', memo: 'Interest', lines: [{ accountCode: '1010', debit: '12.34' }, { accountCode: '4100', credit: '12.34' }] })
    await postEntry(c, { date: '2025-06-01', memo: 'Rent', lines: [{ accountCode: '6000', debit: '300.00' }, { accountCode: '1010', credit: '300.00' }] })
    await postEntry(c, { date: '2025-12-15', memo: 'Supplies', lines: [{ accountCode: '6100', debit: '120.55' }, { accountCode: '1010', credit: '120.55' }] })
    const listed = await c.get('/api/v1/fiscal-years')
    expect(listed.status, listed.text).toBe(200)
    const year = (listed.body.data as { id: string, startDate: string }[]).find(y => y.startDate === '2025-01-01')!
    return { tenant, c, year }
  }

  it('lists fiscal years with their status and period counts', async () => {
    const { c, year } = await yearWithIncome()
    const res = await c.get('/api/v1/fiscal-years')
    expect(res.status).toBe(200)
    expect(res.body.data).toEqual([expect.objectContaining({ id: year.id, startDate: '2025-01-01', endDate: '2025-12-31', status: 'open', closingEntryId: null, openPeriods: 12, closedPeriods: 0 })])
  })

  it('posts a closing entry that nets revenue and expenses into retained earnings, then closes period 12 and the year', async () => {
    const { c, year } = await yearWithIncome()
    await closePeriodsUpTo(c, year.id, 11)
    const res = await c.post(`/api/v1/fiscal-years/${year.id}/close`)
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ id: year.id, status: 'closed', openPeriods: 0, closedPeriods: 12 })
    const entry = res.body.closingEntry
    expect(res.body.closingEntryId).toBe(entry.id)
    expect(entry).toMatchObject({ kind: 'year_end', status: 'posted', date: '2025-12-31', number: 5, currency: 'USD', source: { type: 'fiscal_year', id: year.id } })
    expect(entry.lines.map((l: { accountCode: string, debit: string, credit: string }) => [l.accountCode, l.debit, l.credit])).toEqual([
      ['4000', '1000.00', '0.00'],
      ['4100', '12.34', '0.00'],
      ['6000', '0.00', '300.00'],
      ['6100', '0.00', '120.55'],
      // Net income 1012.34 − 420.55.
      ['3900', '0.00', '591.79'],
    ])
    expect(entry.totals).toMatchObject({ debit: '1012.34', credit: '1012.34', baseDebit: '1012.34', baseCredit: '1012.34' })

    const b = await balancesByCode(c)
    expect([b['4000'], b['4100'], b['6000'], b['6100']]).toEqual(['0.00', '0.00', '0.00', '0.00'])
    expect(b['3900']).toBe('591.79')
    expect(b['1010']).toBe('591.79')

    const periods = (await c.get(`/api/v1/fiscal-periods?fiscalYearId=${year.id}`)).body.data as { status: string }[]
    expect(periods.every(p => p.status === 'closed')).toBe(true)
    const listed = (await c.get('/api/v1/fiscal-years')).body.data
    expect(listed).toEqual([expect.objectContaining({ id: year.id, status: 'closed', closingEntryId: entry.id })])
  })

  it('refuses a second close (409 FISCAL_YEAR_CLOSED) and leaves the ledger as it was', async () => {
    const { c, year } = await yearWithIncome()
    await closePeriodsUpTo(c, year.id, 11)
    expect((await c.post(`/api/v1/fiscal-years/${year.id}/close`)).status).toBe(200)
    const again = await c.post(`/api/v1/fiscal-years/${year.id}/close`)
    expect(again.status).toBe(409)
    expect(again.body.data.code).toBe('FISCAL_YEAR_CLOSED')
    const yearEnd = (await c.get('/api/v1/journal-entries?status=posted')).body.data.filter((e: { kind: string }) => e.kind === 'year_end')
    expect(yearEnd).toHaveLength(1)
  })

  it('refuses while periods 1–11 are open, or when period 12 is already closed (422)', async () => {
    const { c, year } = await yearWithIncome()
    const early = await c.post(`/api/v1/fiscal-years/${year.id}/close`)
    expect(early.status).toBe(422)
    expect(early.body.data.code).toBe('FISCAL_YEAR_PERIODS_OPEN')
    await closePeriodsUpTo(c, year.id, 12)
    const late = await c.post(`/api/v1/fiscal-years/${year.id}/close`)
    expect(late.status).toBe(422)
    expect(late.body.data.code).toBe('FISCAL_YEAR_LAST_PERIOD_CLOSED')
    expect((await balancesByCode(c))['4000']).toBe('1000.00')
  })

  it('needs ledger:close (403 for an accounts-payable clerk) and 404s an unknown year', async () => {
    const { tenant, c, year } = await yearWithIncome()
    const clerk = await addMember(tenant, ['ap_clerk'])
    expect((await clerk.client.post(`/api/v1/fiscal-years/${year.id}/close`)).status).toBe(403)
    expect((await c.post('/api/v1/fiscal-years/00000000-0000-4000-8000-000000000000/close')).status).toBe(404)
  })
})

describe('month-end revaluation', () => {
  async function euroBooks() {
    const tenant = await createTenant()
    const c = tenant.asOwner
    await createAccount(c, { code: '1020', name: 'Bank EUR', type: 'asset', subtype: 'bank', currency: 'EUR' })
    await createAccount(c, { code: '2500', name: 'Loan EUR', type: 'liability', subtype: 'loan', currency: 'EUR' })
    await createAccount(c, { code: '3000', name: 'Capital', type: 'equity', subtype: 'capital' })
    await postEntry(c, { date: '2025-01-10', memo: 'Capital in EUR', currency: 'EUR', exchangeRate: '1.1', lines: [{ accountCode: '1020', debit: '1000.00' }, { accountCode: '3000', credit: '1000.00' }] })
    await postEntry(c, { date: '2025-01-15', memo: 'EUR loan', currency: 'EUR', exchangeRate: '1.1', lines: [{ accountCode: '1020', debit: '200.00' }, { accountCode: '2500', credit: '200.00' }] })
    // 333.33 × 1.12345 = 374.4795885 → 374.48 in base.
    await postEntry(c, { date: '2025-01-20', memo: 'More capital', currency: 'EUR', exchangeRate: '1.12345', lines: [{ accountCode: '1020', debit: '333.33' }, { accountCode: '3000', credit: '333.33' }] })
    return { tenant, c }
  }

  it('refuses without a rate on or before the date (422 LEDGER_NO_RATE) and refuses a date that is not a month end (400)', async () => {
    const { c } = await euroBooks()
    const noRate = await c.post('/api/v1/revaluations', { json: { date: '2025-01-31' } })
    expect(noRate.status).toBe(422)
    expect(noRate.body.data.code).toBe('LEDGER_NO_RATE')
    const midMonth = await c.post('/api/v1/revaluations', { json: { date: '2025-01-30' } })
    expect(midMonth.status).toBe(400)
    expect(midMonth.body.data.fields).toHaveProperty('date')
  })

  it('posts the differences against FX gain/loss to the cent, reversed on the 1st of the next month', async () => {
    const { c } = await euroBooks()
    expect((await c.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date: '2025-01-25', rate: '1.23456' } })).status).toBe(201)
    const before = await balancesByCode(c)
    expect([before['1020'], before['2500']]).toEqual(['1694.48', '220.00'])

    const res = await c.post('/api/v1/revaluations', { json: { date: '2025-01-31' } })
    expect(res.status, res.text).toBe(200)
    // Bank: 1533.33 × 1.23456 = 1892.9878848 → 1892.99, book 1694.48: +198.51.
    // Loan: −200 × 1.23456 = −246.912 → −246.91, book −220.00: −26.91. Net gain 171.60.
    expect(res.body.accounts).toEqual([
      expect.objectContaining({ code: '1020', currency: 'EUR', foreignBalance: '1533.33', rate: '1.23456', revaluedBalance: '1892.99', bookBalance: '1694.48', difference: '198.51' }),
      expect.objectContaining({ code: '2500', currency: 'EUR', foreignBalance: '-200.00', rate: '1.23456', revaluedBalance: '-246.91', bookBalance: '-220.00', difference: '-26.91' }),
    ])
    const { entry, reversal } = res.body
    expect(entry).toMatchObject({ kind: 'revaluation', status: 'posted', date: '2025-01-31', number: 4, source: { type: 'revaluation', id: entry.id } })
    const shape = (e: { lines: { accountCode: string, debit: string, credit: string, baseDebit: string, baseCredit: string }[] }) =>
      e.lines.map(l => [l.accountCode, l.debit, l.credit, l.baseDebit, l.baseCredit])
    expect(shape(entry)).toEqual([
      ['1020', '0.00', '0.00', '198.51', '0.00'],
      ['2500', '0.00', '0.00', '0.00', '26.91'],
      ['7900', '0.00', '0.00', '0.00', '171.60'],
    ])
    expect(reversal).toMatchObject({ kind: 'reversal', status: 'posted', date: '2025-02-01', reversalOfId: entry.id, number: 5, source: { type: 'revaluation', id: entry.id } })
    expect(shape(reversal)).toEqual([
      ['1020', '0.00', '0.00', '0.00', '198.51'],
      ['2500', '0.00', '0.00', '26.91', '0.00'],
      ['7900', '0.00', '0.00', '171.60', '0.00'],
    ])
    // Over all time the pair nets to zero: balances are back to book values.
    const after = await balancesByCode(c)
    expect([after['1020'], after['2500'], after['7900']]).toEqual(['1694.48', '220.00', '0.00'])
  })

  it('answers entry: null when nothing needs revaluing (a second run for the same month)', async () => {
    const { c } = await euroBooks()
    await c.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date: '2025-01-01', rate: '1.3' } })
    expect((await c.post('/api/v1/revaluations', { json: { date: '2025-01-31' } })).body.entry).not.toBeNull()
    const again = await c.post('/api/v1/revaluations', { json: { date: '2025-01-31' } })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ entry: null, reversal: null })
    expect(again.body.accounts.every((a: { difference: string }) => a.difference === '0.00')).toBe(true)

    const plain = await createTenant()
    const none = await plain.asOwner.post('/api/v1/revaluations', { json: { date: '2025-03-31' } })
    expect(none.status).toBe(200)
    expect(none.body).toEqual({ date: '2025-03-31', accounts: [], entry: null, reversal: null })
  })

  it('needs ledger:post (403 for a viewer)', async () => {
    const { tenant } = await euroBooks()
    const viewer = await addMember(tenant, ['viewer'])
    expect((await viewer.client.post('/api/v1/revaluations', { json: { date: '2025-01-31' } })).status).toBe(403)
  })
})
