/**
 * Sales settings and the AR/AP control accounts through the real server (SPEC §5 `settings`, 6.5
 * "Control accounts"): the defaults, the control accounts every chart gets, manual lines refused on
 * them (both posting roads), other receivable and payable accounts still taking manual entries,
 * moving a control account and each refusal, and the roll-out to a tenant that already posted to
 * its standard AR account (the SQL function migration 0016 ran for every tenant).
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { createAccount, postEntry, sendEntry } from '../support/ledger'

/** The database owner, as the migration runs. */
const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

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

type Account = { id: string, code: string, isControl: boolean, subtype: string }
async function accountsOf(t: TestTenant): Promise<Account[]> {
  const res = await t.asOwner.get('/api/v1/accounts')
  expect(res.status, res.text).toBe(200)
  return res.body.data
}
const byCode = async (t: TestTenant, code: string) => (await accountsOf(t)).find(a => a.code === code)!
const entryCount = async (t: TestTenant) => (await t.asOwner.get('/api/v1/journal-entries?pageSize=1')).body.total as number

describe('defaults and the control accounts every chart gets', () => {
  it('a new standard-chart tenant: invoice prefix INV-, 30 days, 1100 and 2000 are the control accounts (and no other account)', async () => {
    const res = await std.asOwner.get('/api/v1/settings')
    expect(res.status, res.text).toBe(200)
    const accounts = await accountsOf(std)
    const ar = accounts.find(a => a.code === '1100')!
    const ap = accounts.find(a => a.code === '2000')!
    expect(res.body).toMatchObject({ invoicePrefix: 'INV-', defaultPaymentTermsDays: 30, arControlAccountId: ar.id, apControlAccountId: ap.id })
    expect(accounts.filter(a => a.isControl).map(a => a.code)).toEqual(['1100', '2000'])
  })

  it('a none chart gets its own control accounts, 1190 and 2090, so 1100, 1200 and 2000 stay free to create', async () => {
    const accounts = await accountsOf(bare)
    expect(accounts.filter(a => a.isControl).map(a => [a.code, a.subtype])).toEqual([['1190', 'receivable'], ['2090', 'payable']])
    const settings = (await bare.asOwner.get('/api/v1/settings')).body
    expect(settings.arControlAccountId).toBe(accounts.find(a => a.code === '1190')!.id)
    for (const [code, type, subtype] of [['1100', 'asset', 'receivable'], ['1200', 'asset', 'inventory'], ['2000', 'liability', 'payable']] as const) {
      const created = await createAccount(bare.asOwner, { code, name: `Account ${code}`, type, subtype })
      expect(created.isControl).toBe(false)
    }
  })
})

describe('manual lines on a control account', () => {
  it('are refused with 422 LEDGER_CONTROL_ACCOUNT when posted at once, by code or id, and nothing is written', async () => {
    const before = await entryCount(std)
    const byCodeRes = await sendEntry(std.asOwner, { post: true, lines: [{ accountCode: '1100', debit: '50.00' }, { accountCode: '4000', credit: '50.00' }] })
    expect(byCodeRes.status, byCodeRes.text).toBe(422)
    expect(byCodeRes.body.data).toMatchObject({ code: 'LEDGER_CONTROL_ACCOUNT', fields: { 'lines.0.accountCode': 'is a control account' } })
    const ap = await byCode(std, '2000')
    const byId = await sendEntry(std.asOwner, { post: true, lines: [{ accountCode: '6100', debit: '50.00' }, { accountId: ap.id, credit: '50.00' }] })
    expect(byId.status, byId.text).toBe(422)
    expect(byId.body.data).toMatchObject({ code: 'LEDGER_CONTROL_ACCOUNT', fields: { 'lines.1.accountId': 'is a control account' } })
    expect(await entryCount(std)).toBe(before)
  })

  it('are refused as drafts and when a draft is edited onto one', async () => {
    const draft = await sendEntry(std.asOwner, { lines: [{ accountCode: '1100', debit: '5.00' }, { accountCode: '4000', credit: '5.00' }] })
    expect(draft.status).toBe(422)
    expect(draft.body.data.code).toBe('LEDGER_CONTROL_ACCOUNT')
    const ok = await sendEntry(std.asOwner, { memo: 'Draft to edit' })
    expect(ok.status).toBe(201)
    const edited = await std.asOwner.patch(`/api/v1/journal-entries/${ok.body.id}`, { json: { date: '2026-03-10', memo: 'Edited', lines: [{ accountCode: '1000', debit: '5.00' }, { accountCode: '2000', credit: '5.00' }] } })
    expect(edited.status).toBe(422)
    expect(edited.body.data.code).toBe('LEDGER_CONTROL_ACCOUNT')
    expect((await std.asOwner.delete(`/api/v1/journal-entries/${ok.body.id}`)).status).toBe(200)
  })

  it('another receivable or payable account keeps taking manual entries (textbook bookkeeping)', async () => {
    await createAccount(std.asOwner, { code: '1150', name: 'Other receivables', type: 'asset', subtype: 'receivable' })
    await createAccount(std.asOwner, { code: '2050', name: 'Other payables', type: 'liability', subtype: 'payable' })
    const entry = await postEntry(std.asOwner, { lines: [{ accountCode: '1150', debit: '80.00' }, { accountCode: '2050', credit: '80.00' }] })
    expect(entry.status).toBe('posted')
  })

  it('a control account keeps its type, stays active, takes every currency and no sub-accounts (422 LEDGER_CONTROL_ACCOUNT)', async () => {
    const ar = await byCode(std, '1100')
    for (const json of [{ isActive: false }, { subtype: 'other_current_asset' }, { type: 'expense' }, { currency: 'EUR' }]) {
      const res = await std.asOwner.patch(`/api/v1/accounts/${ar.id}`, { json })
      expect(res.status, JSON.stringify(json)).toBe(422)
      expect(res.body.data.code).toBe('LEDGER_CONTROL_ACCOUNT')
    }
    const child = await std.asOwner.post('/api/v1/accounts', { json: { code: '1101', name: 'Under AR', type: 'asset', subtype: 'receivable', parentId: ar.id } })
    expect(child.status).toBe(422)
    expect(child.body.data.code).toBe('LEDGER_CONTROL_ACCOUNT')
    const renamed = await std.asOwner.patch(`/api/v1/accounts/${ar.id}`, { json: { name: 'Trade debtors' } })
    expect(renamed.status, renamed.text).toBe(200)
    expect(renamed.body).toMatchObject({ name: 'Trade debtors', isControl: true })
  })
})

describe('changing the sales settings', () => {
  it('changes the invoice prefix and the default terms, audited, with a new version', async () => {
    const res = await other.asOwner.patch('/api/v1/settings', { json: { invoicePrefix: 'ACME/', defaultPaymentTermsDays: 14 } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ invoicePrefix: 'ACME/', defaultPaymentTermsDays: 14, version: 2 })
    const [event] = await sql<{ after: { invoicePrefix: string } }[]>`
      select after from audit_events where tenant_id = ${other.id} and action = 'settings.update' order by seq desc limit 1`
    expect(event!.after.invoicePrefix).toBe('ACME/')
  })

  it('refuses malformed values (400) and changes nothing', async () => {
    for (const json of [{ defaultPaymentTermsDays: -1 }, { defaultPaymentTermsDays: 1.5 }, { invoicePrefix: 'X'.repeat(21) }, { invoicePrefix: 'IN<V>' }, { arControlAccountId: 'not-a-uuid' }]) {
      const res = await other.asOwner.patch('/api/v1/settings', { json })
      expect(res.status, JSON.stringify(json)).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
    }
    expect((await other.asOwner.get('/api/v1/settings')).body.version).toBe(2)
  })

  it('needs settings:manage: a viewer and an accountant get 403', async () => {
    const [viewer, accountant] = await Promise.all([addMember(other, ['viewer']), addMember(other, ['accountant'])])
    for (const c of [viewer.client, accountant.client]) {
      const res = await c.patch('/api/v1/settings', { json: { invoicePrefix: 'NO-' } })
      expect(res.status).toBe(403)
    }
  })

  it('moves a control account to a fresh receivable account; the old one then takes manual entries', async () => {
    const fresh = await createAccount(other.asOwner, { code: '1105', name: 'Trade receivables', type: 'asset', subtype: 'receivable' })
    const res = await other.asOwner.patch('/api/v1/settings', { json: { arControlAccountId: fresh.id } })
    expect(res.status, res.text).toBe(200)
    expect(res.body.arControlAccountId).toBe(fresh.id)
    const accounts = await accountsOf(other)
    expect(accounts.filter(a => a.isControl).map(a => a.code)).toEqual(['1105', '2000'])
    await postEntry(other.asOwner, { lines: [{ accountCode: '1100', debit: '12.00' }, { accountCode: '4000', credit: '12.00' }] })
    const refused = await sendEntry(other.asOwner, { post: true, lines: [{ accountCode: '1105', debit: '12.00' }, { accountCode: '4000', credit: '12.00' }] })
    expect(refused.body.data?.code).toBe('LEDGER_CONTROL_ACCOUNT')
  })

  it('refuses an account of the wrong kind, inactive, a parent, in a fixed currency, or another tenant\'s (422 CONTROL_ACCOUNT_INVALID)', async () => {
    const cash = await byCode(other, '1000')
    const inactive = await createAccount(other.asOwner, { code: '1106', name: 'Old receivables', type: 'asset', subtype: 'receivable', isActive: false })
    const parent = await createAccount(other.asOwner, { code: '1107', name: 'Receivables', type: 'asset', subtype: 'receivable' })
    await createAccount(other.asOwner, { code: '1108', name: 'Receivable A', type: 'asset', subtype: 'receivable', parentId: parent.id })
    const foreign = await byCode(bare, '1190')
    const apIsReceivable = await createAccount(other.asOwner, { code: '1109', name: 'Receivable', type: 'asset', subtype: 'receivable' })
    const inEuro = await createAccount(other.asOwner, { code: '1110', name: 'Receivables in EUR', type: 'asset', subtype: 'receivable', currency: 'EUR' })
    const cases: [Record<string, string>, string][] = [
      [{ arControlAccountId: cash.id }, 'must be a receivable asset account'],
      [{ arControlAccountId: inactive.id }, 'is inactive'],
      [{ arControlAccountId: parent.id }, 'is a parent account'],
      [{ arControlAccountId: foreign.id }, 'is not an account of this organisation'],
      [{ arControlAccountId: randomUUID() }, 'is not an account of this organisation'],
      [{ apControlAccountId: apIsReceivable.id }, 'must be a payable liability account'],
      [{ arControlAccountId: inEuro.id }, 'takes only EUR: a control account takes every currency'],
    ]
    for (const [json, reason] of cases) {
      const res = await other.asOwner.patch('/api/v1/settings', { json })
      expect(res.status, JSON.stringify(json)).toBe(422)
      expect(res.body.data.code).toBe('CONTROL_ACCOUNT_INVALID')
      expect(Object.values(res.body.data.fields)).toEqual([reason])
    }
  })

  it('refuses an account that already has journal lines (422 CONTROL_ACCOUNT_HAS_POSTINGS): it could never tie to the subledger', async () => {
    const res = await other.asOwner.patch('/api/v1/settings', { json: { arControlAccountId: (await byCode(other, '1100')).id } })
    expect(res.status).toBe(422)
    expect(res.body.data).toMatchObject({ code: 'CONTROL_ACCOUNT_HAS_POSTINGS', fields: { arControlAccountId: 'has journal lines' } })
  })

  it('refuses to replace a control account that has a balance (422 CONTROL_ACCOUNT_HAS_BALANCE), and changes nothing', async () => {
    // A subledger document's posting (as invoices will post: with their own source type), written as the database owner.
    const t = await createTenant({ chartOfAccounts: 'standard' })
    await postEntry(t.asOwner, { date: '2026-03-10' })
    const ar = await byCode(t, '1100')
    const revenue = await byCode(t, '4000')
    await sql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${t.id}, true)`
      const [p] = await tx<{ id: string, fiscal_year_id: string }[]>`select id, fiscal_year_id from fiscal_periods where tenant_id = ${t.id} and start_date = '2026-03-01'`
      const [e] = await tx<{ id: string }[]>`insert into journal_entries (tenant_id, fiscal_year_id, period_id, date, memo, currency, exchange_rate, source_type, source_id)
        values (${t.id}, ${p!.fiscal_year_id}, ${p!.id}, '2026-03-12', 'Invoice INV-000001', 'USD', 1, 'invoice', ${randomUUID()}) returning id`
      await tx`insert into journal_lines (tenant_id, entry_id, line_no, account_id, debit, credit, base_debit, base_credit, entry_date) values
        (${t.id}, ${e!.id}, 1, ${ar.id}, 120, 0, 120, 0, '2026-03-12'), (${t.id}, ${e!.id}, 2, ${revenue.id}, 0, 120, 0, 120, '2026-03-12')`
      await tx`select * from app_ledger_post(${e!.id}::uuid, null, 'system', null, null, null, null, 'invoice.issue', ${e!.id}, null, '{}'::jsonb)`
    })
    const fresh = await createAccount(t.asOwner, { code: '1105', name: 'Trade receivables', type: 'asset', subtype: 'receivable' })
    const res = await t.asOwner.patch('/api/v1/settings', { json: { arControlAccountId: fresh.id, invoicePrefix: 'NEW-' } })
    expect(res.status, res.text).toBe(422)
    expect(res.body.data.code).toBe('CONTROL_ACCOUNT_HAS_BALANCE')
    const after = (await t.asOwner.get('/api/v1/settings')).body
    expect(after).toMatchObject({ arControlAccountId: ar.id, invoicePrefix: 'INV-', version: 1 })
  })
})

describe('roll-out to existing tenants (app_assign_control_accounts, run by migration 0016 for every tenant)', () => {
  /** Puts a tenant back as it was before 0016: no control accounts. */
  async function withoutControls(t: TestTenant) {
    await sql`update accounts set is_control = false where tenant_id = ${t.id}`
  }
  async function rollOut(t: TestTenant) {
    await sql.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${t.id}, true)`
      await tx`select app_assign_control_accounts(${t.id}::uuid)`
    })
  }

  it('a tenant whose standard AR account holds manual postings gets a new AR control account with a free code; its unused AP account becomes the control', async () => {
    const t = await createTenant({ chartOfAccounts: 'standard' })
    await withoutControls(t)
    await postEntry(t.asOwner, { lines: [{ accountCode: '1100', debit: '300.00' }, { accountCode: '4000', credit: '300.00' }] })
    // The code the roll-out would pick first is taken: it takes the next one.
    await createAccount(t.asOwner, { code: '1190', name: 'Staff loans', type: 'asset', subtype: 'other_current_asset' })
    await rollOut(t)
    const accounts = await accountsOf(t)
    const controls = accounts.filter(a => a.isControl)
    expect(controls.map(a => [a.code, a.subtype])).toEqual([['1191', 'receivable'], ['2000', 'payable']])
    expect(accounts.find(a => a.code === '1100')!.isControl).toBe(false)
    // The tie-out starts clean: the new control account is empty; the old AR keeps its manual history and entries.
    expect((await byCode(t, '1191') as unknown as { balance: string }).balance).toBe('0.00')
    await postEntry(t.asOwner, { lines: [{ accountCode: '1000', debit: '300.00' }, { accountCode: '1100', credit: '300.00' }] })
    const settings = (await t.asOwner.get('/api/v1/settings')).body
    expect(settings.arControlAccountId).toBe(controls[0]!.id)
    // Running it again changes nothing.
    await rollOut(t)
    expect((await accountsOf(t)).filter(a => a.isControl).map(a => a.code)).toEqual(['1191', '2000'])
  })

  it('a draft line counts as a posting too (the account is not taken), and a none chart gets 1190 and 2090', async () => {
    const t = await createTenant({ chartOfAccounts: 'standard' })
    await withoutControls(t)
    expect((await sendEntry(t.asOwner, { lines: [{ accountCode: '6100', debit: '9.00' }, { accountCode: '2000', credit: '9.00' }] })).status).toBe(201)
    await rollOut(t)
    expect((await accountsOf(t)).filter(a => a.isControl).map(a => a.code)).toEqual(['1100', '2090'])

    const n = await createTenant({ chartOfAccounts: 'none' })
    await sql`delete from accounts where tenant_id = ${n.id} and is_control`
    await rollOut(n)
    expect((await accountsOf(n)).filter(a => a.isControl).map(a => a.code)).toEqual(['1190', '2090'])
  })
})
