/**
 * Bank reconciliation through the real server (SPEC §5 `bank-reconciliations`; issue 14 points 5
 * and 6): a session from the bank account's opening balance, complete refused at a difference
 * (nothing changed) and accepted at 0, the reconciled lines' entries not reversible until the
 * reconciliation is undone, the second session starting from the first's ending balance, the
 * ending balance taken from an import's closing balance, the report's tie (JSON, CSV, PDF), undo
 * of the latest only, another tenant's ids, and what the database refuses the app role by SQL.
 *
 * Matching is another module's (server/domain/bank/matching.ts): lines are matched through its route.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { asAppRole } from '../support/app-role'
import { parseCsv } from '../support/csv'
import { createAccount, postEntry } from '../support/ledger'
import { download, pdfText } from '../support/report-files'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const asApp = asAppRole(sql)

let t: TestTenant
let other: TestTenant
let owner: Client
const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
const MAPPING = { date: 'Date', amount: 'Amount', description: 'Description', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.' }

let bankId = ''
let glId = ''
/** GL entries on the bank's GL account 1050 (against capital 3000), by name: id and the bank line's journal line id. */
const gl: Record<string, { entryId: string, lineId: string }> = {}
/** Bank lines by description. */
const lines: Record<string, string> = {}

async function glEntry(name: string, date: string, amount: string, direction: 'in' | 'out') {
  const e = await postEntry(owner, {
    date, memo: name,
    lines: direction === 'in' ? [{ accountCode: '1050', debit: amount }, { accountCode: '3000', credit: amount }] : [{ accountCode: '3000', debit: amount }, { accountCode: '1050', credit: amount }],
  })
  gl[name] = { entryId: e.id, lineId: (e.lines as { id: string, accountCode: string }[]).find(l => l.accountCode === '1050')!.id }
}

async function importLines(csv: string) {
  const res = await owner.post(`/api/v1/bank-accounts/${bankId}/imports`, { json: { format: 'csv', content: csv, mapping: MAPPING } })
  status(res, 201)
  for (const l of res.body.transactions as { id: string, description: string }[]) lines[l.description] = l.id
}

/** The bank line matched to one GL line of the same signed amount, through matching's route. */
async function match(description: string, glName: string) {
  status(await owner.post(`/api/v1/bank-transactions/${lines[description]!}/match`, { json: { journalLineIds: [gl[glName]!.lineId] } }), 200)
}

const lineStatuses = async () => Object.fromEntries((await sql<{ description: string, status: string, r: string | null }[]>`
  select description, status, reconciliation_id::text as r from bank_transactions where bank_account_id = ${bankId} order by date`).map(r => [r.description, `${r.status}${r.r ? '*' : ''}`]))

let first = ''
let second = ''

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  glId = (await createAccount(owner, { code: '1050', name: 'Recon bank', type: 'asset', subtype: 'bank' })).id
  const bank = await owner.post('/api/v1/bank-accounts', { json: { name: 'Recon bank', accountId: glId, openingBalance: '1000.00', openingBalanceDate: '2026-03-01' } })
  status(bank, 201)
  bankId = bank.body.id
  await glEntry('deposit', '2026-03-05', '500.00', 'in')
  await glEntry('payment', '2026-03-10', '200.00', 'out')
  await glEntry('cheque', '2026-03-20', '50.00', 'out')
  await importLines('Date,Amount,Description\r\n2026-03-06,500.00,Deposit\r\n2026-03-11,-200.00,Payment\r\n2026-03-25,-15.00,Bank fee\r\n')
  await match('Deposit', 'deposit')
  await match('Payment', 'payment')
})

describe('a first reconciliation', () => {
  it('starts from the opening balance; refuses a second open session, a date before the opening balance and a missing ending balance', async () => {
    status(await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-02-28', statementEndingBalance: '1000.00' } }), 422)
    const missing = await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-03-31' } })
    status(missing, 400)
    expect(missing.body.data.fields).toHaveProperty('statementEndingBalance')

    // statement: 1000 + 500 − 200 − 15 (fee) = 1285.00
    const res = await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-03-31', statementEndingBalance: '1285.00' } })
    status(res, 201)
    first = res.body.id
    // cleared: opening 1000 + 500 − 200 = 1300.00; difference 1285 − 1300 = −15.00 (the fee, unmatched)
    expect(res.body).toMatchObject({
      bankAccountId: bankId, statementDate: '2026-03-31', statementEndingBalance: '1285.00', openingBalance: '1000.00',
      clearedBalance: '1300.00', difference: '-15.00', clearedDeposits: '500.00', clearedPayments: '200.00', clearedCount: 2, unmatchedCount: 1, status: 'open', completedAt: null,
    })
    const again = await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-03-31', statementEndingBalance: '1285.00' } })
    status(again, 409)
    expect(again.body.data.code).toBe('RECONCILIATION_OPEN')
    const read = await owner.get(`/api/v1/bank-reconciliations/${first}`)
    expect(read.body).toEqual(res.body)
    const list = await owner.get(`/api/v1/bank-reconciliations?bankAccountId=${bankId}`)
    expect(list.body).toMatchObject({ total: 1, data: [{ id: first }] })
  })

  it('reports the open session: outstanding cheque, the bank-only fee, and the tie (JSON)', async () => {
    const res = await owner.get(`/api/v1/bank-reconciliations/${first}/report`)
    status(res, 200)
    // GL at 31 Mar: 1000 + 500 − 200 − 50 = 1250.00; statement 1285 − outstanding payment 50 + bank-only payment 15 = 1250.00
    expect(res.body).toMatchObject({
      statementBalance: '1285.00', glBalance: '1250.00', adjustedBalance: '1250.00', unexplained: '0.00', ties: true,
      outstandingDeposits: { total: '0.00', lines: [] },
      outstandingPayments: { total: '50.00', lines: [{ date: '2026-03-20', amount: '-50.00', entryId: gl.cheque!.entryId }] },
      bankOnlyDeposits: { total: '0.00', lines: [] },
      bankOnlyPayments: { total: '15.00', lines: [{ date: '2026-03-25', description: 'Bank fee', amount: '-15.00' }] },
    })
  })

  it('refuses to complete at a difference, changing nothing', async () => {
    const before = await lineStatuses()
    const res = await owner.post(`/api/v1/bank-reconciliations/${first}/complete`)
    status(res, 422)
    expect(res.body.data.code).toBe('RECONCILIATION_DIFFERENCE')
    expect(res.body.data.fields.statementEndingBalance).toContain('-15.00')
    expect(await lineStatuses()).toEqual(before)
    expect((await owner.get(`/api/v1/bank-reconciliations/${first}`)).body).toMatchObject({ status: 'open', difference: '-15.00' })
  })

  it('corrects an open session\'s ending balance or date (PATCH), refusing a stale version, a date before the opening balance and a fourth decimal', async () => {
    const slip = await owner.patch(`/api/v1/bank-reconciliations/${first}`, { json: { statementEndingBalance: '1258.00' } })
    status(slip, 200)
    // cleared 1000 + 500 − 200 = 1300.00: a typing slip of 1258 differs by −42.00
    expect(slip.body).toMatchObject({ statementEndingBalance: '1258.00', difference: '-42.00', status: 'open' })
    const stale = await owner.patch(`/api/v1/bank-reconciliations/${first}`, { json: { statementEndingBalance: '1285.00', version: slip.body.version - 1 } })
    status(stale, 409)
    expect(stale.body.data.code).toBe('STALE_VERSION')
    const early = await owner.patch(`/api/v1/bank-reconciliations/${first}`, { json: { statementDate: '2026-02-27' } })
    status(early, 422)
    expect(early.body.data.code).toBe('RECONCILIATION_DATE_INVALID')
    const places = await owner.patch(`/api/v1/bank-reconciliations/${first}`, { json: { statementEndingBalance: '1285.0001' } })
    expect([400, 422]).toContain(places.status)
    const back = await owner.patch(`/api/v1/bank-reconciliations/${first}`, { json: { statementEndingBalance: '1285.00', version: slip.body.version } })
    status(back, 200)
    expect(back.body).toMatchObject({ statementEndingBalance: '1285.00', difference: '-15.00' })
  })

  it('completes at 0 once the fee is booked and matched: lines reconciled, audit and event', async () => {
    await glEntry('fee', '2026-03-25', '15.00', 'out')
    await match('Bank fee', 'fee')
    // cleared 1000 + 500 − 200 − 15 = 1285.00 = the statement
    expect((await owner.get(`/api/v1/bank-reconciliations/${first}`)).body).toMatchObject({ clearedBalance: '1285.00', difference: '0.00' })
    const res = await owner.post(`/api/v1/bank-reconciliations/${first}/complete`)
    status(res, 200)
    expect(res.body).toMatchObject({ status: 'completed', clearedBalance: '1285.00', difference: '0.00', clearedCount: 3 })
    expect(res.body.completedAt).toEqual(expect.any(String))
    expect(await lineStatuses()).toEqual({ 'Deposit': 'reconciled*', 'Payment': 'reconciled*', 'Bank fee': 'reconciled*' })
    status(await owner.post(`/api/v1/bank-reconciliations/${first}/complete`), 409)
    const patchDone = await owner.patch(`/api/v1/bank-reconciliations/${first}`, { json: { statementEndingBalance: '1.00' } })
    status(patchDone, 409)
    expect(patchDone.body.data.code).toBe('RECONCILIATION_NOT_OPEN')
    const events = await sql<{ type: string, data: Record<string, unknown> }[]>`select type, data from events where tenant_id = ${t.id} and entity_id = ${first}`
    expect(events).toEqual([{ type: 'bank_reconciliation.completed', data: expect.objectContaining({ bankAccountId: bankId, statementDate: '2026-03-31', statementEndingBalance: '1285.00', lines: 3 }) }])
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id = ${first} order by seq`
    expect(audit.map(a => a.action)).toEqual(['bank_reconciliation.create', 'bank_reconciliation.update', 'bank_reconciliation.update', 'bank_reconciliation.complete'])
  })

  it('refuses to reverse an entry whose line is reconciled (422 LEDGER_LINE_RECONCILED)', async () => {
    const res = await owner.post(`/api/v1/journal-entries/${gl.deposit!.entryId}/reverse`, { json: {} })
    status(res, 422)
    expect(res.body.data.code).toBe('LEDGER_LINE_RECONCILED')
    const [row] = await sql<{ r: string | null }[]>`select reversed_by_id::text as r from journal_entries where id = ${gl.deposit!.entryId}`
    expect(row!.r).toBeNull()
  })

  it('the completed report ties: only the cheque is outstanding (PDF and CSV)', async () => {
    const json = await owner.get(`/api/v1/bank-reconciliations/${first}/report`)
    // GL 1000 + 500 − 200 − 50 − 15 = 1235.00 = 1285 − 50
    expect(json.body).toMatchObject({ statementBalance: '1285.00', glBalance: '1235.00', adjustedBalance: '1235.00', ties: true, outstandingPayments: { total: '50.00' }, bankOnlyPayments: { total: '0.00' } })
    const csv = await download(t, `/api/v1/bank-reconciliations/${first}/report?format=csv`)
    expect(csv.status).toBe(200)
    expect(String(csv.headers['content-type'])).toContain('text/csv')
    const rows = parseCsv(csv.body.toString('utf8'))
    expect(rows[0]).toEqual(['Section', 'Date', 'Description', 'Reference', 'Amount'])
    expect(rows).toContainEqual(['Statement', '2026-03-31', 'Statement ending balance', '', '1285.00'])
    expect(rows).toContainEqual(['Outstanding payments', '2026-03-20', 'cheque', '', '-50.00'])
    expect(rows).toContainEqual(['Tie', '2026-03-31', 'GL balance (1050 Recon bank)', '', '1235.00'])
    expect(rows).toContainEqual(['Tie', '', 'Difference (ties)', '', '0.00'])
    const pdf = await download(t, `/api/v1/bank-reconciliations/${first}/report?format=pdf`)
    expect(pdf.status).toBe(200)
    expect(String(pdf.headers['content-type'])).toContain('application/pdf')
    const text = pdfText(pdf.body)
    expect(text).toContain('Bank reconciliation: Recon bank')
    expect(text).toContain('Outstanding payments')
    expect(text).toContain('1,285.00')
    expect(text).toContain('1,235.00')
    expect(text).toContain('Difference (ties)')
  })
})

describe('the next reconciliation and undo', () => {
  it('starts from the first\'s ending balance, takes the ending balance from an import closing on its date, and completes', async () => {
    const early = await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-03-31', statementEndingBalance: '1285.00' } })
    status(early, 422)
    expect(early.body.data.code).toBe('RECONCILIATION_DATE_INVALID')
    await importLines('Date,Amount,Description\r\n2026-04-02,-50.00,Cheque 50\r\n')
    await match('Cheque 50', 'cheque')
    // an import whose statement closes on 30 Apr at 1285 − 50 = 1235.00 (as OFX and CAMT files say)
    await sql`insert into bank_imports (tenant_id, bank_account_id, format, sha256, lines_total, lines_imported, lines_duplicate, lines_skipped, closing_balance, closing_balance_date)
      values (${t.id}, ${bankId}, 'ofx', ${'a'.repeat(64)}, 0, 0, 0, 0, '1235.00', '2026-04-30')`
    const res = await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-04-30' } })
    status(res, 201)
    second = res.body.id
    expect(res.body).toMatchObject({ openingBalance: '1285.00', statementEndingBalance: '1235.00', clearedBalance: '1235.00', difference: '0.00', clearedCount: 1 })
    status(await owner.post(`/api/v1/bank-reconciliations/${second}/complete`), 200)
  })

  it('undoes the latest only; then the entry can be reversed', async () => {
    const notLatest = await owner.post(`/api/v1/bank-reconciliations/${first}/undo`)
    status(notLatest, 422)
    expect(notLatest.body.data.code).toBe('RECONCILIATION_NOT_LATEST')
    const undo2 = await owner.post(`/api/v1/bank-reconciliations/${second}/undo`)
    status(undo2, 200)
    expect(undo2.body).toMatchObject({ status: 'open', completedAt: null, clearedBalance: '1235.00', difference: '0.00' })
    // with the second open again, the first cannot be undone (the open one starts from its balance)
    const blocked = await owner.post(`/api/v1/bank-reconciliations/${first}/undo`)
    status(blocked, 409)
    expect(blocked.body.data.code).toBe('RECONCILIATION_OPEN')
    expect((await sql<{ status: string }[]>`select status from bank_transactions where id = ${lines['Cheque 50']!}`)[0]!.status).toBe('matched')
    status(await owner.post(`/api/v1/bank-reconciliations/${second}/complete`), 200)
    status(await owner.post(`/api/v1/bank-reconciliations/${second}/undo`), 200)
  })

  it('undo of the first (no session open) puts its lines back to matched, and the entry reverses', async () => {
    // a fresh account to keep the story simple: one session, completed, undone
    const glB = (await createAccount(owner, { code: '1060', name: 'Undo bank', type: 'asset', subtype: 'bank' })).id
    const b = await owner.post('/api/v1/bank-accounts', { json: { name: 'Undo bank', accountId: glB } })
    status(b, 201)
    const e = await postEntry(owner, { date: '2026-03-05', memo: 'in', lines: [{ accountCode: '1060', debit: '80.00' }, { accountCode: '3000', credit: '80.00' }] })
    const imp = await owner.post(`/api/v1/bank-accounts/${b.body.id}/imports`, { json: { format: 'csv', content: 'Date,Amount,Description\r\n2026-03-06,80.00,In\r\n', mapping: MAPPING } })
    status(imp, 201)
    const lineId = imp.body.transactions[0].id as string
    status(await owner.post(`/api/v1/bank-transactions/${lineId}/match`, { json: { journalLineIds: [(e.lines as { id: string, accountCode: string }[]).find(l => l.accountCode === '1060')!.id] } }), 200)
    // no opening balance: starts at 0; 0 + 80 = 80.00
    const rec = await owner.post('/api/v1/bank-reconciliations', { json: { bankAccountId: b.body.id, statementDate: '2026-03-31', statementEndingBalance: '80.00' } })
    expect(rec.body).toMatchObject({ openingBalance: '0.00', clearedBalance: '80.00', difference: '0.00' })
    status(await owner.post(`/api/v1/bank-reconciliations/${rec.body.id}/complete`), 200)
    expect((await owner.post(`/api/v1/journal-entries/${e.id}/reverse`, { json: {} })).body.data.code).toBe('LEDGER_LINE_RECONCILED')
    status(await owner.post(`/api/v1/bank-reconciliations/${rec.body.id}/undo`), 200)
    expect((await sql<{ status: string, r: string | null }[]>`select status, reconciliation_id::text as r from bank_transactions where id = ${lineId}`)[0]).toEqual({ status: 'matched', r: null })
    // matched, no longer reconciled: matching's rule now (unmatch first), then the entry reverses
    expect((await owner.post(`/api/v1/journal-entries/${e.id}/reverse`, { json: {} })).body.data.code).toBe('BANK_ENTRY_MATCHED')
    status(await owner.post(`/api/v1/bank-transactions/${lineId}/unmatch`), 200)
    status(await owner.post(`/api/v1/journal-entries/${e.id}/reverse`, { json: {} }), 201)
    const audit = await sql<{ action: string }[]>`select action from audit_events where tenant_id = ${t.id} and entity_id = ${rec.body.id} order by seq`
    expect(audit.map(a => a.action)).toEqual(['bank_reconciliation.create', 'bank_reconciliation.complete', 'bank_reconciliation.undo'])
  })
})

describe('permissions and other tenants', () => {
  it('a viewer reads but does not start, complete or undo', async () => {
    const viewer = (await addMember(t, ['viewer'])).client
    status(await viewer.get(`/api/v1/bank-reconciliations/${first}`), 200)
    status(await viewer.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-05-31', statementEndingBalance: '0' } }), 403)
    status(await viewer.post(`/api/v1/bank-reconciliations/${second}/complete`), 403)
    status(await viewer.post(`/api/v1/bank-reconciliations/${second}/undo`), 403)
  })

  it('answers 404 for another tenant\'s reconciliation and bank account', async () => {
    const them = other.asOwner
    status(await them.get(`/api/v1/bank-reconciliations/${first}`), 404)
    status(await them.get(`/api/v1/bank-reconciliations/${first}/report`), 404)
    status(await them.post(`/api/v1/bank-reconciliations/${second}/complete`), 404)
    status(await them.post(`/api/v1/bank-reconciliations/${first}/undo`), 404)
    status(await them.patch(`/api/v1/bank-reconciliations/${second}`, { json: { statementEndingBalance: '0' } }), 404)
    status(await them.post('/api/v1/bank-reconciliations', { json: { bankAccountId: bankId, statementDate: '2026-05-31', statementEndingBalance: '0' } }), 404)
    expect((await them.get('/api/v1/bank-reconciliations')).body.total).toBe(0)
  })
})

describe('the database', () => {
  it('refuses the app role to unmatch, release, alter or reverse what a completed reconciliation holds', async () => {
    const deposit = lines.Deposit!
    const refused = async (work: (db: postgres.ReservedSql) => Promise<unknown>, code: string) => {
      await expect(asApp(t.id, work)).rejects.toThrow(code)
    }
    await refused(db => db`delete from bank_matches where bank_transaction_id = ${deposit}`, 'BANK_TRANSACTION_RECONCILED')
    await refused(db => db`update bank_matches set amount = 1 where bank_transaction_id = ${deposit}`, 'BANK_MATCH_IMMUTABLE')
    await refused(db => db`insert into bank_matches (tenant_id, bank_transaction_id, bank_account_id, journal_line_id, amount, source)
      values (${t.id}, ${deposit}, ${bankId}, ${gl.payment!.lineId}, '1', 'journal_line')`, 'BANK_TRANSACTION_RECONCILED')
    await refused(db => db`update bank_transactions set status = 'matched', reconciliation_id = null where id = ${deposit}`, 'BANK_TRANSACTION_RECONCILED')
    await refused(db => db`update bank_transactions set reconciliation_id = ${second} where id = ${deposit}`, 'BANK_TRANSACTION_RECONCILED')
    await refused(db => db`update bank_reconciliations set statement_ending_balance = 1 where id = ${first}`, 'RECONCILIATION_IMMUTABLE')
    // the second session is open: the first cannot be reopened beside it
    await refused(db => db`update bank_reconciliations set status = 'open', completed_at = null where id = ${first}`, 'bank_reconciliations_one_open_key')
    await refused(db => db`update journal_entries set reversed_by_id = ${gl.cheque!.entryId} where id = ${gl.deposit!.entryId}`, 'LEDGER_LINE_RECONCILED')
    // completing with a difference is refused by the database too (the second session: 1235 ≠ 1285 + nothing)
    await refused(db => db`update bank_reconciliations set status = 'completed', completed_at = now() where id = ${second}`, 'RECONCILIATION_DIFFERENCE')
  })
})
