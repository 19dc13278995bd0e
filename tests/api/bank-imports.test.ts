/**
 * Statement imports through the real server (SPEC §5 `bank-accounts/{id}/imports`,
 * `bank-transactions`, §6 module 7; issue 14 points 2, 6 and 8): CSV with a mapping saved and reused,
 * OFX and CAMT.053 files naming several accounts, the same file twice and an overlapping one (no line
 * twice, duplicates counted), a malformed file (the line named, nothing imported), an account
 * mismatch, a multipart upload, an XML file with entities, the preview, the lines' list and reads,
 * the event and audit (account number masked), another tenant's ids, and the database's key.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'
import { createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/bank', name), 'utf8')
const EU_MAPPING = { date: 'Buchungstag', amount: 'Betrag (EUR)', description: 'Verwendungszweck', reference: 'Referenz', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.' }
const SECRET_DIGITS = ['37040044', '0532013']

let t: TestTenant
let other: TestTenant
let owner: Client
/** Bank accounts: `de89` (IBAN DE89…, the OFX 2 and CAMT v02 files), `us` (4412-7788-01, OFX 1), `csv` (no number). */
const bank: Record<'de89' | 'us' | 'csv' | 'fresh', string> = { de89: '', us: '', csv: '', fresh: '' }

const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
const importFile = (id: string, json: Record<string, unknown>, as = owner) => as.post(`/api/v1/bank-accounts/${id}/imports`, { json })
const lineCount = async (bankAccountId: string) => Number((await sql<{ n: string }[]>`select count(*)::text as n from bank_transactions where bank_account_id = ${bankAccountId}`)[0]!.n)
const importCount = async (bankAccountId: string) => Number((await sql<{ n: string }[]>`select count(*)::text as n from bank_imports where bank_account_id = ${bankAccountId}`)[0]!.n)

let seq = 0
async function bankAccount(name: string, accountNumber?: string, currency?: string) {
  const gl = await createAccount(owner, { code: `10${30 + seq++}`, name, type: 'asset', subtype: 'bank', ...(currency ? { currency } : {}) })
  const res = await owner.post('/api/v1/bank-accounts', { json: { name, accountId: gl.id, ...(accountNumber ? { accountNumber } : {}), ...(currency ? { currency } : {}) } })
  status(res, 201)
  return res.body.id as string
}

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  bank.de89 = await bankAccount('Commerzbank', 'DE89 3704 0044 0532 0130 00')
  bank.us = await bankAccount('US checking', '4412-7788-01', 'USD')
  bank.csv = await bankAccount('Sparkasse')
  bank.fresh = await bankAccount('Fresh')
})

describe('CSV', () => {
  it('needs a mapping when none is saved (422), imports with one and saves it, then reuses it: the same file twice imports nothing new', async () => {
    const none = await importFile(bank.csv, { format: 'csv', content: fixture('european.csv') })
    status(none, 422)
    expect(none.body.data.code).toBe('IMPORT_MAPPING_REQUIRED')

    const first = await importFile(bank.csv, { format: 'csv', content: fixture('european.csv'), fileName: 'maerz.csv', mapping: EU_MAPPING, saveMapping: true })
    status(first, 201)
    expect(first.body).toMatchObject({ format: 'csv', fileName: 'maerz.csv', imported: 5, duplicates: 0, skipped: 0, closingBalance: null })
    expect(first.body.transactions.map((l: { date: string, amount: string }) => [l.date, l.amount])).toEqual([
      ['2026-03-02', '1234.5600'], ['2026-03-03', '-89.9000'], ['2026-03-05', '-1500.0000'], ['2026-03-05', '-1500.0000'], ['2026-03-31', '-4.5000'],
    ])
    expect(first.body.transactions[0]).toMatchObject({ bankAccountId: bank.csv, importId: first.body.id, description: 'Rechnung INV-000123; vielen Dank', reference: 'REF-1', status: 'unmatched' })
    const saved = await owner.get(`/api/v1/bank-accounts/${bank.csv}`)
    expect(saved.body).toMatchObject({ csvMapping: EU_MAPPING, unmatchedCount: 5, bankBalance: '-1859.84', statementBalance: null }) // 1234.56 − 89.90 − 1500 − 1500 − 4.50
    expect(saved.body.lastImportAt).toEqual(expect.any(String))

    const again = await importFile(bank.csv, { format: 'csv', content: fixture('european.csv') })
    status(again, 201)
    expect(again.body).toMatchObject({ imported: 0, duplicates: 5, transactions: [] })
    expect(await lineCount(bank.csv)).toBe(5)
  })

  it('imports only the new lines of an overlapping file, and skips a line of zero (counted)', async () => {
    const lines = fixture('european.csv').split(/\r?\n/)
    const overlap = [lines[0], lines[4], lines[5], '01.04.2026;01.04.2026;Kunde;Neue Zahlung;250,00;REF-9', '02.04.2026;02.04.2026;Bank;Storno;0,00;'].join('\n')
    const res = await importFile(bank.csv, { format: 'csv', content: overlap })
    status(res, 201)
    expect(res.body).toMatchObject({ imported: 1, duplicates: 2, skipped: 1 })
    expect(res.body.transactions.map((l: { reference: string }) => l.reference)).toEqual(['REF-9'])
    expect(await lineCount(bank.csv)).toBe(6)
  })

  it('refuses a malformed file naming its lines, and imports nothing from it', async () => {
    const before = [await lineCount(bank.fresh), await importCount(bank.fresh)]
    const bad = 'Date,Text,Amount\n2026-03-01,Fine,10.00\n2026-13-01,Bad month,5.00\n2026-03-03,Bad amount,12.x\n'
    const res = await importFile(bank.fresh, { format: 'csv', content: bad, mapping: { date: 'Date', description: 'Text', amount: 'Amount', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' } })
    status(res, 400)
    expect(res.body.data.code).toBe('IMPORT_INVALID')
    expect(Object.keys(res.body.data.fields)).toEqual(['line 3', 'line 4'])
    expect(res.body.data.fields['line 3']).toMatch(/2026-13-01/)
    expect([await lineCount(bank.fresh), await importCount(bank.fresh)]).toEqual(before)
    const noSave = await owner.get(`/api/v1/bank-accounts/${bank.fresh}`)
    expect(noSave.body.csvMapping).toBeNull()
  })

  // More than 5,000 lines go to the worker (202): tests/api/bank-import-jobs.test.ts.
  it('refuses a mapping for OFX (400)', async () => {
    const wrong = await importFile(bank.fresh, { format: 'ofx', content: fixture('ofx1.ofx'), mapping: EU_MAPPING })
    status(wrong, 400)
    expect(wrong.body.data.fields).toHaveProperty('mapping')
  })
})

describe('OFX and CAMT.053', () => {
  it('imports only this bank account\'s statement of a multi-account OFX 2 file, with the closing balance', async () => {
    const res = await importFile(bank.de89, { format: 'ofx', content: fixture('ofx2.ofx') })
    status(res, 201)
    expect(res.body).toMatchObject({ imported: 2, duplicates: 0, closingBalance: '210.1000', closingBalanceDate: '2026-03-31', accountNumberMasked: 'DE89 **** **** 3000' })
    expect(res.body.transactions.map((l: { bankId: string, amount: string }) => [l.bankId, l.amount])).toEqual([['A-1', '-89.9000'], ['A-2', '300.0000']])
    // the bank's side on the account: the statement's closing balance, and no opening balance + −89.90 + 300.00
    expect((await owner.get(`/api/v1/bank-accounts/${bank.de89}`)).body).toMatchObject({ statementBalance: '210.10', statementBalanceDate: '2026-03-31', bankBalance: '210.10' })
  })

  it('imports a CAMT.053 file whose entry repeats one reference across details; again: all duplicates', async () => {
    const res = await importFile(bank.de89, { format: 'camt053', content: fixture('camt053-v02.xml') })
    status(res, 201)
    expect(res.body).toMatchObject({ imported: 4, duplicates: 0, closingBalance: '9084.5000' })
    expect(res.body.transactions.filter((l: { bankId: string }) => l.bankId === '2026030500017')).toHaveLength(2)
    const again = await importFile(bank.de89, { format: 'camt053', content: fixture('camt053-v02.xml') })
    status(again, 201)
    expect(again.body).toMatchObject({ imported: 0, duplicates: 4 })
    expect(await lineCount(bank.de89)).toBe(6)
  })

  it('refuses a file naming only other accounts (422 IMPORT_ACCOUNT_MISMATCH), and imports it into its own account', async () => {
    const res = await importFile(bank.de89, { format: 'ofx', content: fixture('ofx1.ofx') })
    status(res, 422)
    expect(res.body.data.code).toBe('IMPORT_ACCOUNT_MISMATCH')
    const camt = await importFile(bank.us, { format: 'camt053', content: fixture('camt053-v08.xml') })
    status(camt, 422)
    expect(camt.body.data.code).toBe('IMPORT_ACCOUNT_MISMATCH')
  })

  it('refuses a statement in another currency than the bank account\'s (422), and takes it in its own', async () => {
    const eur = await bankAccount('Swiss in euros', '0012-3456-7')
    const refused = await importFile(eur, { format: 'camt053', content: fixture('camt053-v08.xml') })
    status(refused, 422)
    expect(refused.body.data.code).toBe('IMPORT_CURRENCY_MISMATCH')
    expect(await lineCount(eur)).toBe(0)
    const chf = await bankAccount('Swiss francs', '0012-3456-7', 'CHF')
    const res = await importFile(chf, { format: 'camt053', content: fixture('camt053-v08.xml') })
    status(res, 201)
    expect(res.body).toMatchObject({ imported: 2, closingBalance: '700.0000' })
  })

  it('takes a JSON body above the usual 1 MiB (the import routes take 20 MiB), and replays it for the same Idempotency-Key', async () => {
    const id = await bankAccount('Large file')
    const rows = Array.from({ length: 3000 }, (_, i) => `2026-03-${String((i % 28) + 1).padStart(2, '0')},${`Payment ${i} `.padEnd(400, 'x')},${i + 1}.00`)
    const content = `Date,Text,Amount\n${rows.join('\n')}`
    expect(content.length).toBeGreaterThan(1024 * 1024)
    const body = { format: 'csv', content, mapping: { date: 'Date', description: 'Text', amount: 'Amount', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' } }
    const res = await owner.post(`/api/v1/bank-accounts/${id}/imports`, { json: body, headers: { 'idempotency-key': `large-${id}` } })
    status(res, 201)
    expect(res.body.imported).toBe(3000)
    const replay = await owner.post(`/api/v1/bank-accounts/${id}/imports`, { json: body, headers: { 'idempotency-key': `large-${id}` } })
    status(replay, 201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.body.id).toBe(res.body.id)
    expect(await importCount(id)).toBe(1)
  })

  it('takes the file as multipart/form-data (field `file`, format and mapping as text)', async () => {
    const boundary = '----paksa-statement'
    const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`
    const form = Buffer.from(`${part('format', 'ofx')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="march.ofx"\r\nContent-Type: application/octet-stream\r\n\r\n${fixture('ofx1.ofx')}\r\n--${boundary}--\r\n`)
    const res = await owner.post(`/api/v1/bank-accounts/${bank.us}/imports`, { raw: form, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
    status(res, 201)
    expect(res.body).toMatchObject({ fileName: 'march.ofx', imported: 3, closingBalance: '-764.6300', accountNumberMasked: '**** 8801' })
    // the form is the body an Idempotency-Key is checked against
    const keyed = (bytes: Buffer) => owner.post(`/api/v1/bank-accounts/${bank.us}/imports`, { raw: bytes, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'idempotency-key': `ofx-${bank.us}` } })
    const first = await keyed(form)
    status(first, 201)
    expect(first.body).toMatchObject({ imported: 0, duplicates: 3 })
    const replay = await keyed(form)
    status(replay, 201)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.body.id).toBe(first.body.id)
    const otherForm = Buffer.from(form.toString('utf8').replace('name="format"\r\n\r\nofx', 'name="format"\r\n\r\ncamt053'))
    const reused = await keyed(otherForm)
    status(reused, 409)
    expect(reused.body.data.code).toBe('IDEMPOTENCY_KEY_REUSED')

    const mapping = { date: 'Date', description: 'Description', debit: 'Debit', credit: 'Credit', reference: 'Check #', dateFormat: 'M/D/YYYY', decimalSeparator: '.', thousandsSeparator: ',' }
    const csvForm = Buffer.from(`${part('format', 'csv')}${part('mapping', JSON.stringify(mapping))}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="us.csv"\r\n\r\n${fixture('us-debit-credit.csv')}\r\n--${boundary}--\r\n`)
    const csv = await owner.post(`/api/v1/bank-accounts/${bank.fresh}/imports`, { raw: csvForm, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
    status(csv, 201)
    expect(csv.body).toMatchObject({ fileName: 'us.csv', imported: 4 })
    expect(csv.body.transactions.map((l: { amount: string }) => l.amount)).toEqual(['1250.0000', '-2000.0000', '-15.0000', '0.3700'])
  })

  it('refuses XML with a DTD or entities (no expansion, nothing imported)', async () => {
    const before = await lineCount(bank.de89)
    const xxe = fixture('camt053-v02.xml').replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('<Ustrd>', '<Ustrd>&xxe;')
    expect(xxe).toContain('<!DOCTYPE')
    const res = await importFile(bank.de89, { format: 'camt053', content: xxe })
    status(res, 400)
    expect(res.body.data.code).toBe('IMPORT_INVALID')
    expect(res.text).not.toContain('root:')
    expect(await lineCount(bank.de89)).toBe(before)
  })
})

describe('preview', () => {
  it('shows a CSV\'s first rows with the detected delimiter and header, writing nothing', async () => {
    const before = await importCount(bank.fresh)
    const res = await owner.post(`/api/v1/bank-accounts/${bank.fresh}/imports/preview`, { json: { format: 'csv', content: fixture('european.csv') } })
    status(res, 200)
    expect(res.body).toMatchObject({ format: 'csv', mapping: null, lines: [], total: 0 })
    expect(res.body.csv.delimiter).toBe(';')
    expect(res.body.csv.header).toEqual(['Buchungstag', 'Valuta', 'Auftraggeber/Empfänger', 'Verwendungszweck', 'Betrag (EUR)', 'Referenz'])
    expect(res.body.csv.rows[0]).toEqual({ line: 2, cells: ['02.03.2026', '02.03.2026', 'Müller GmbH', 'Rechnung INV-000123; vielen Dank', '1.234,56', 'REF-1'] })
    expect(await importCount(bank.fresh)).toBe(before)
  })

  it('shows the lines an import would read and which are duplicates', async () => {
    const res = await owner.post(`/api/v1/bank-accounts/${bank.de89}/imports/preview`, { json: { format: 'ofx', content: fixture('ofx2.ofx') } })
    status(res, 200)
    expect(res.body).toMatchObject({ total: 2, duplicates: 2, csv: null })
    expect(res.body.lines.map((l: { bankId: string, duplicate: boolean }) => [l.bankId, l.duplicate])).toEqual([['A-1', true], ['A-2', true]])
    const csv = await owner.post(`/api/v1/bank-accounts/${bank.csv}/imports/preview`, { json: { format: 'csv', content: fixture('european.csv') } })
    expect(csv.body).toMatchObject({ total: 5, duplicates: 5, mapping: EU_MAPPING })
  })
})

describe('bank transactions, events and audit', () => {
  it('lists lines by bank account and status and reads one; another tenant gets 404 everywhere', async () => {
    const list = await owner.get(`/api/v1/bank-transactions?bankAccountId=${bank.de89}&status=unmatched&pageSize=3`)
    status(list, 200)
    expect(list.body).toMatchObject({ page: 1, pageSize: 3, total: 6 })
    expect(list.body.data).toHaveLength(3)
    const one = await owner.get(`/api/v1/bank-transactions/${list.body.data[0].id}`)
    status(one, 200)
    expect(one.body).toEqual({ ...list.body.data[0], matches: [] })
    status(await other.asOwner.get(`/api/v1/bank-transactions/${one.body.id}`), 404)
    expect((await other.asOwner.get(`/api/v1/bank-transactions?bankAccountId=${bank.de89}`)).body.total).toBe(0)
    status(await importFile(bank.de89, { format: 'ofx', content: fixture('ofx2.ofx') }, other.asOwner), 404)
    status(await other.asOwner.post(`/api/v1/bank-accounts/${bank.de89}/imports/preview`, { json: { format: 'ofx', content: fixture('ofx2.ofx') } }), 404)
    const reconciled = await owner.get('/api/v1/bank-transactions?status=reconciled')
    expect(reconciled.body.total).toBe(0)
  })

  it('records one event per import that brought new lines and one audit event per import, the number masked', async () => {
    const events = await sql<{ type: string, text: string, data: { imported: number, duplicates: number } }[]>`
      select type, data::text as text, data from events e join bank_imports i on i.id::text = e.entity_id::text where e.tenant_id = ${t.id} and i.bank_account_id = ${bank.de89} order by e.seq`
    expect(events.map(e => [e.type, e.data.imported])).toEqual([['bank_transaction.imported', 2], ['bank_transaction.imported', 4]])
    for (const e of events) {
      expect(e.text).toContain('DE89 **** **** 3000')
      for (const d of SECRET_DIGITS) expect(e.text).not.toContain(d)
    }
    const audit = await sql<{ action: string, text: string }[]>`
      select a.action, a.after::text as text from audit_events a join bank_imports i on i.id::text = a.entity_id::text where a.tenant_id = ${t.id} and i.bank_account_id = ${bank.de89} order by a.seq`
    expect(audit.map(a => a.action)).toEqual(['bank_import.create', 'bank_import.create', 'bank_import.create'])
    for (const a of audit) for (const d of SECRET_DIGITS) expect(a.text).not.toContain(d)
  })

  it('the database keeps one line per key, refuses a zero amount and keeps a line as imported', async () => {
    const [line] = await sql<{ id: string, import_id: string, dedupe_key: string }[]>`select id, import_id, dedupe_key from bank_transactions where bank_account_id = ${bank.de89} limit 1`
    await expect(asApp(t.id, db => db`insert into bank_transactions (tenant_id, bank_account_id, import_id, date, amount, description, dedupe_key)
      values (${t.id}, ${bank.de89}, ${line!.import_id}, '2026-03-01', 1, 'copy', ${line!.dedupe_key})`)).rejects.toThrow(/bank_transactions_dedupe_key/)
    await expect(asApp(t.id, db => db`insert into bank_transactions (tenant_id, bank_account_id, import_id, date, amount, description, dedupe_key)
      values (${t.id}, ${bank.de89}, ${line!.import_id}, '2026-03-01', 0, 'zero', 'zero-key')`)).rejects.toThrow(/bank_transactions_amount_check/)
    await expect(asApp(t.id, db => db`insert into bank_transactions (tenant_id, bank_account_id, import_id, date, amount, description, dedupe_key)
      values (${t.id}, ${bank.us}, ${line!.import_id}, '2026-03-01', 1, 'other account', 'x-key')`)).rejects.toThrow(/bank_transactions_import_fkey/)
    await expect(asApp(t.id, db => db`update bank_transactions set amount = 2 where id = ${line!.id}`)).rejects.toThrow(/BANK_TRANSACTION_IMMUTABLE/)
    await expect(asApp(t.id, db => db`update bank_imports set lines_imported = 0 where id = ${line!.import_id}`)).rejects.toThrow(/permission denied/)
    const moved = await asApp(t.id, db => db`update bank_transactions set status = 'matched' where id = ${line!.id} returning status`)
    expect(moved[0]!.status).toBe('matched')
  })
})
