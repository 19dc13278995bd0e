/**
 * Vendors through the real server (SPEC §5 `vendors`, §4 encryption at rest and maker-checker;
 * issue 13 point 1): CRUD and search, the bank account encrypted in the database and masked in every
 * answer, audit event and event payload, a change of bank details confirmed only by a second person
 * with `ap:approve` (and the vendor e-mailed), the full value only to `ap:pay` holders with each
 * reveal audited, duplicates found by keyed hash, another tenant's ids, and the database's own
 * backstop against an unconfirmed account.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { decryptField, makeKeyring } from '../../server/core/encryption'
import { addMember, createTenant, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

const IBAN = 'DE89370400440532013000'
const IBAN_TYPED = 'de89 3704 0044 0532 0130 00'
const IBAN_MASKED = 'DE89 **** **** 3000'
const OTHER_IBAN = 'GB82WEST12345698765432'
/** A run of the IBAN's middle digits: none of its masked forms shows them. */
const SECRET_DIGITS = ['37040044', '0532013', '12345698']

let t: TestTenant
let other: TestTenant
let clerk: Client
let viewer: Client
let approverA: { id: string, client: Client }
let approverB: { id: string, client: Client }

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard' }), createTenant()])
  const [c, v, a, b] = await Promise.all([addMember(t, ['ap_clerk']), addMember(t, ['viewer']), addMember(t, ['accountant']), addMember(t, ['accountant'])])
  clerk = c.client
  viewer = v.client
  approverA = { id: a.id, client: a.client }
  approverB = { id: b.id, client: b.client }
})

const create = (as: Client, json: Record<string, unknown>) => as.post('/api/v1/vendors', { json })
const expectNoSecret = (text: string, what: string) => {
  for (const digits of SECRET_DIGITS) expect(text, what).not.toContain(digits)
}

describe('creating and reading', () => {
  it('creates a vendor with every field; the bank account waits for confirmation, masked, audited and evented masked', async () => {
    const res = await create(clerk, {
      name: ' Harbour Office Supplies ', email: 'Accounts@Harbour.example', phone: '+44 23 9200 1234', currency: 'EUR', paymentTermsDays: 30,
      taxNumber: 'GB123456780', address: '4 Dock Lane\nSouthampton', code: 'V-0001',
      bankAccount: { iban: IBAN_TYPED, bic: 'cobadeffxxx', bankName: 'Commerzbank' },
    })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({
      name: 'Harbour Office Supplies', email: 'accounts@harbour.example', phone: '+44 23 9200 1234', currency: 'EUR', paymentTermsDays: 30,
      taxNumber: 'GB123456780', address: '4 Dock Lane\nSouthampton', code: 'V-0001', isActive: true, version: 1,
      bankAccount: null, bankAccountConfirmedBy: null, bankAccountConfirmedAt: null, duplicateBankAccountVendorIds: [],
      pendingBankAccount: { bankAccount: { iban: IBAN_MASKED, accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' } },
    })
    expectNoSecret(res.text, 'create answer')
    const read = await clerk.get(`/api/v1/vendors/${res.body.id}`)
    expect(read.body).toEqual(res.body)

    const audit = await sql<{ action: string, text: string }[]>`
      select action, coalesce(before::text, '') || coalesce(after::text, '') as text from audit_events where tenant_id = ${t.id} and entity_id = ${res.body.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['vendor.bank_account.request', 'vendor.create'])
    for (const a of audit) {
      expectNoSecret(a.text, a.action)
      expect(a.text, a.action).toContain(IBAN_MASKED)
    }
    const events = await sql<{ type: string, text: string }[]>`select type, data::text as text from events where tenant_id = ${t.id} and entity_id = ${res.body.id}`
    expect(events.map(e => e.type)).toEqual(['vendor.created'])
    expectNoSecret(events[0]!.text, 'event payload')
    expect(events[0]!.text).toContain(IBAN_MASKED)
  })

  it('stores the account only encrypted (AES-GCM under the server key with its key id, bound to the tenant) beside a keyed hash', async () => {
    const v = (await create(clerk, { name: 'Cipher check', bankAccount: { iban: IBAN } })).body
    const [row] = await sql<{ ciphertext: string, hash: string, masked: unknown, all: string }[]>`
      select ciphertext, hash, masked, to_jsonb(c)::text as all from vendor_bank_changes c where tenant_id = ${t.id} and vendor_id = ${v.id}`
    expectNoSecret(row!.all, 'stored change')
    const ring = makeKeyring(inject('serverEnv').ENCRYPTION_KEY!)
    expect(row!.ciphertext).toMatch(new RegExp(`^v1:${ring.current.id}:`))
    expect(row!.hash).toMatch(new RegExp(`^${ring.current.id}:[0-9a-f]{64}$`))
    expect(JSON.parse(decryptField(row!.ciphertext, `vendor_bank_account:${t.id}`, ring))).toEqual({ iban: IBAN, accountNumber: null, bic: null, bankName: null })
    expect(() => decryptField(row!.ciphertext, `vendor_bank_account:${other.id}`, ring)).toThrow()
  })

  it('a name alone is enough; the rest is null', async () => {
    const res = await create(clerk, { name: 'Corner shop', taxNumber: '' })
    expect(res.status, res.text).toBe(201)
    expect(res.body).toMatchObject({ email: null, phone: null, currency: null, paymentTermsDays: null, taxNumber: null, address: null, code: null, bankAccount: null, pendingBankAccount: null })
  })

  it('refuses malformed input (400) with the field: a bad IBAN check digit, a bad BIC, an account without a number', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'], [{ name: 'A', email: 'nope' }, 'email'], [{ name: 'A', phone: 'call me' }, 'phone'], [{ name: 'A', currency: 'XXY' }, 'currency'],
      [{ name: 'A', paymentTermsDays: -1 }, 'paymentTermsDays'], [{ name: 'A', code: '#1' }, 'code'],
      [{ name: 'A', bankAccount: { iban: 'DE89370400440532013001' } }, 'bankAccount.iban'],
      [{ name: 'A', bankAccount: { iban: 'DE89 3704' } }, 'bankAccount.iban'],
      [{ name: 'A', bankAccount: { iban: IBAN, bic: 'COBADE' } }, 'bankAccount.bic'],
      [{ name: 'A', bankAccount: { bankName: 'No number' } }, 'bankAccount.iban'],
      [{ name: 'A', bankAccount: { accountNumber: '12' } }, 'bankAccount.accountNumber'],
      [{ name: 'A', bankAccount: { iban: IBAN, sortCode: '12-34-56' } }, 'bankAccount'],
      [{ name: 'A', colour: 'red' }, ''],
    ]
    for (const [json, field] of cases) {
      const res = await create(clerk, json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
      if (field) expect(Object.keys(res.body.data.fields ?? {}).some(k => k === field || k.startsWith(`${field}.`)), `${JSON.stringify(json)}: ${JSON.stringify(res.body.data.fields)}`).toBe(true)
    }
  })

  it('a duplicate code is 409 VENDOR_CODE_TAKEN; another tenant may use the code', async () => {
    expect((await create(clerk, { name: 'Dup one', code: 'DUP' })).status).toBe(201)
    const dup = await create(clerk, { name: 'Dup two', code: 'DUP' })
    expect(dup.status).toBe(409)
    expect(dup.body.data).toMatchObject({ code: 'VENDOR_CODE_TAKEN', fields: { code: 'is already used' } })
    expect((await create(other.asOwner, { name: 'Elsewhere', code: 'DUP' })).status).toBe(201)
  })
})

describe('listing and searching', () => {
  beforeAll(async () => {
    for (const [name, email, code] of [['Alpha Paper', 'orders@alpha-paper.example', 'P-1'], ['Beta Freight', 'hello@betafreight.example', 'F-1']]) {
      expect((await create(clerk, { name, email, code })).status).toBe(201)
    }
  })

  it('lists by name with the list shape; q searches name, e-mail and code; masked accounts only', async () => {
    const all = await viewer.get('/api/v1/vendors?pageSize=200')
    expect(all.status).toBe(200)
    expect(all.body).toMatchObject({ page: 1, pageSize: 200 })
    expect(all.body.total).toBe(all.body.data.length)
    const names = all.body.data.map((v: { name: string }) => v.name)
    expect(names.indexOf('Alpha Paper')).toBeLessThan(names.indexOf('Beta Freight'))
    expectNoSecret(all.text, 'list')
    const q = async (text: string) => (await clerk.get(`/api/v1/vendors?q=${encodeURIComponent(text)}`)).body.data.map((v: { name: string }) => v.name)
    expect(await q('paper')).toEqual(['Alpha Paper'])
    expect(await q('BETAFREIGHT.example')).toEqual(['Beta Freight'])
    expect(await q('f-1')).toEqual(['Beta Freight'])
    expect(await q('%')).toEqual([])
    expect((await other.asOwner.get('/api/v1/vendors?q=alpha')).body).toMatchObject({ data: [], total: 0 })
  })
})

describe('confirming a change of bank details (maker-checker)', () => {
  it('the requester cannot confirm (422 SOD_SELF_APPROVAL), an AP clerk may not (403); a second approver confirms, the vendor is e-mailed', async () => {
    // The owner holds ap:write and ap:approve: a maker who could check, were it not their own change.
    const v = (await create(t.asOwner, { name: 'Four Eyes Ltd', email: 'billing@foureyes.example', bankAccount: { iban: IBAN, bic: 'COBADEFFXXX' } })).body
    const self = await t.asOwner.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })
    expect(self.status).toBe(422)
    expect(self.body.data.code).toBe('SOD_SELF_APPROVAL')
    expect((await clerk.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })).status).toBe(403)
    expect((await viewer.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })).status).toBe(403)
    expect((await clerk.get(`/api/v1/vendors/${v.id}`)).body).toMatchObject({ bankAccount: null, pendingBankAccount: { id: v.pendingBankAccount.id } })

    const ok = await approverB.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: { changeId: v.pendingBankAccount.id } })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body).toMatchObject({
      bankAccount: { iban: IBAN_MASKED, accountNumber: null, bic: 'COBADEFFXXX', bankName: null },
      bankAccountConfirmedBy: approverB.id, pendingBankAccount: null, version: 2,
    })
    expect(ok.body.bankAccountConfirmedAt).toEqual(expect.any(String))
    expectNoSecret(ok.text, 'confirm answer')

    const mails = await sql<{ to: string[], subject: string, text: string, html: string }[]>`
      select "to", subject, text, html from mail_outbox where tenant_id = ${t.id} and kind = 'vendor_bank_change'`
    expect(mails).toHaveLength(1)
    expect(mails[0]).toMatchObject({ to: ['billing@foureyes.example'], subject: expect.stringContaining('bank details') })
    expect(mails[0]!.text).toContain(IBAN_MASKED)
    expectNoSecret(mails[0]!.text + mails[0]!.html, 'mail')

    const [audit] = await sql<{ text: string }[]>`
      select coalesce(before::text, '') || after::text as text from audit_events where tenant_id = ${t.id} and entity_id = ${v.id} and action = 'vendor.bank_account.confirm'`
    expect(audit!.text).toContain(IBAN_MASKED)
    expectNoSecret(audit!.text, 'confirm audit')

    const again = await approverB.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })
    expect(again.status).toBe(409)
    expect(again.body.data.code).toBe('VENDOR_BANK_CHANGE_NOT_PENDING')
  })

  it('a new request replaces a waiting one; confirming the replaced one by id is 409; the confirmed account stays until then', async () => {
    const v = (await create(clerk, { name: 'Replace Me', bankAccount: { iban: IBAN } })).body
    const confirmed = await approverA.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })
    expect(confirmed.status, confirmed.text).toBe(200)
    const first = await clerk.patch(`/api/v1/vendors/${v.id}`, { json: { bankAccount: { iban: OTHER_IBAN, bankName: 'West' } } })
    expect(first.status, first.text).toBe(200)
    expect(first.body).toMatchObject({ bankAccount: { iban: IBAN_MASKED }, pendingBankAccount: { bankAccount: { iban: 'GB82 **** **** 5432', bankName: 'West' } } })
    const second = await clerk.patch(`/api/v1/vendors/${v.id}`, { json: { bankAccount: { accountNumber: '12-345 678', bic: 'NWBKGB2L' } } })
    expect(second.body.pendingBankAccount.bankAccount).toEqual({ iban: null, accountNumber: '**** 5678', bic: 'NWBKGB2L', bankName: null })
    const statuses = await sql<{ status: string }[]>`select status from vendor_bank_changes where tenant_id = ${t.id} and vendor_id = ${v.id} order by requested_at, id`
    expect(statuses.map(s => s.status)).toEqual(['confirmed', 'superseded', 'pending'])
    const stale = await approverA.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: { changeId: first.body.pendingBankAccount.id } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('VENDOR_BANK_CHANGE_NOT_PENDING')
    const ok = await approverB.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: { changeId: second.body.pendingBankAccount.id } })
    expect(ok.body.bankAccount).toEqual({ iban: null, accountNumber: '**** 5678', bic: 'NWBKGB2L', bankName: null })
  })

  it('changes other fields without touching the account; the same account again asks for nothing; a stale version is 409', async () => {
    const v = (await create(clerk, { name: 'Steady', bankAccount: { iban: IBAN } })).body
    await approverA.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })
    const res = await clerk.patch(`/api/v1/vendors/${v.id}`, { json: { name: 'Steady Ltd', bankAccount: { iban: IBAN_TYPED }, version: 2 } })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ name: 'Steady Ltd', bankAccount: { iban: IBAN_MASKED }, pendingBankAccount: null, version: 3 })
    const stale = await clerk.patch(`/api/v1/vendors/${v.id}`, { json: { name: 'Again', version: 2 } })
    expect(stale.status).toBe(409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
  })
})

describe('revealing the full account', () => {
  it('only to ap:pay holders (403 for an AP clerk and a viewer); each reveal is audited, masked', async () => {
    const v = (await create(clerk, { name: 'Reveal Co', bankAccount: { iban: IBAN, bic: 'COBADEFFXXX', bankName: 'Commerzbank' } })).body
    await approverA.client.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} })
    await clerk.patch(`/api/v1/vendors/${v.id}`, { json: { bankAccount: { iban: OTHER_IBAN } } })
    for (const who of [clerk, viewer]) {
      const res = await who.get(`/api/v1/vendors/${v.id}/bank-account`)
      expect(res.status).toBe(403)
      expect(res.body.data.code).toBe('FORBIDDEN')
    }
    const reveals = async () => (await sql<{ text: string }[]>`
      select after::text as text from audit_events where tenant_id = ${t.id} and entity_id = ${v.id} and action = 'vendor.bank_account.reveal'`)
    expect(await reveals()).toHaveLength(0)
    const res = await approverB.client.get(`/api/v1/vendors/${v.id}/bank-account`)
    expect(res.status, res.text).toBe(200)
    expect(res.body).toEqual({
      vendorId: v.id,
      bankAccount: { iban: IBAN, accountNumber: null, bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
      pendingBankAccount: { iban: OTHER_IBAN, accountNumber: null, bic: null, bankName: null },
    })
    expect(res.headers.get('cache-control')).toContain('no-store')
    await t.asOwner.get(`/api/v1/vendors/${v.id}/bank-account`)
    const audited = await reveals()
    expect(audited).toHaveLength(2)
    for (const a of audited) expectNoSecret(a.text, 'reveal audit')
  })
})

describe('duplicate bank accounts', () => {
  it('lists the other vendors with the same account, however it was typed, pending or confirmed', async () => {
    const first = (await create(clerk, { name: 'Original Vendor', bankAccount: { iban: 'NL91ABNA0417164300' } })).body
    await approverA.client.post(`/api/v1/vendors/${first.id}/bank-account/confirm`, { json: {} })
    const copy = await create(clerk, { name: 'Lookalike Vendor', bankAccount: { iban: 'nl91 abna 0417 1643 00' } })
    expect(copy.body.duplicateBankAccountVendorIds).toEqual([first.id])
    await approverA.client.post(`/api/v1/vendors/${copy.body.id}/bank-account/confirm`, { json: {} })
    expect((await clerk.get(`/api/v1/vendors/${first.id}`)).body.duplicateBankAccountVendorIds).toEqual([copy.body.id])
    const unrelated = await create(clerk, { name: 'Unrelated', bankAccount: { iban: OTHER_IBAN } })
    expect(unrelated.body.duplicateBankAccountVendorIds).toEqual([])
  })
})

describe('tenants and the database backstop', () => {
  it('another tenant\'s vendor, or an unknown id, is 404 on every route', async () => {
    const v = (await create(clerk, { name: 'Private Vendor', bankAccount: { iban: IBAN } })).body
    for (const res of [
      await other.asOwner.get(`/api/v1/vendors/${v.id}`),
      await other.asOwner.patch(`/api/v1/vendors/${v.id}`, { json: { name: 'Mine now' } }),
      await other.asOwner.post(`/api/v1/vendors/${v.id}/bank-account/confirm`, { json: {} }),
      await other.asOwner.get(`/api/v1/vendors/${v.id}/bank-account`),
      await t.asOwner.get(`/api/v1/vendors/${randomUUID()}`),
    ]) {
      expect(res.status).toBe(404)
      expect(res.body.data.code).toBe('NOT_FOUND')
    }
    expect((await clerk.get(`/api/v1/vendors/${v.id}`)).body).toMatchObject({ name: 'Private Vendor', pendingBankAccount: { id: v.pendingBankAccount.id } })
  })

  it('the app role cannot set an account without a confirmed change, nor let the requester confirm their own', async () => {
    const v = (await create(clerk, { name: 'Backstop', bankAccount: { iban: IBAN } })).body
    const [change] = await sql<{ id: string, ciphertext: string, hash: string, masked: unknown, requested_by: string }[]>`
      select id, ciphertext, hash, masked, requested_by from vendor_bank_changes where tenant_id = ${t.id} and vendor_id = ${v.id}`
    await expect(asApp(t.id, db => db`
      update vendors set bank_account_ciphertext = ${change!.ciphertext}, bank_account_hash = ${change!.hash}, bank_account_masked = ${sql.json(change!.masked as never)}
      where id = ${v.id}`)).rejects.toMatchObject({ message: expect.stringMatching(/^VENDOR_BANK_CHANGE_UNCONFIRMED/) })
    await expect(asApp(t.id, db => db`
      update vendor_bank_changes set status = 'confirmed', confirmed_by = requested_by, confirmed_at = now() where id = ${change!.id}`))
      .rejects.toMatchObject({ code: '23514' })
    await expect(asApp(t.id, db => db`
      insert into vendors (tenant_id, name, bank_account_ciphertext, bank_account_masked) values (${t.id}, 'Sneaky', ${change!.ciphertext}, '{}'::jsonb)`))
      .rejects.toMatchObject({ message: expect.stringMatching(/^VENDOR_BANK_CHANGE_UNCONFIRMED/) })
  })
})
