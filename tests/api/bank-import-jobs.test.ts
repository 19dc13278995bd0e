/**
 * Statement imports above 5,000 lines through the worker (SPEC §5: "as a worker job with progress
 * above that"; issue 14 point 2): the request answers 202 with the job, the in-process worker parses
 * and writes the file, the job shows its progress and lines and ends with the import's counts; the
 * same file again brings nothing new; an Idempotency-Key replays the 202 without a second job; a
 * malformed file imports nothing and the job names the line; a file of another account fails with
 * the request's code; another tenant's job is 404. Files of 5,100–5,300 lines keep it short.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createTenant, type ApiResponse, type Client, type TestTenant } from '../support/api'
import { camt053File, csvFile } from '../support/bank-files'
import { createAccount } from '../support/ledger'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

let t: TestTenant
let other: TestTenant
let owner: Client
const bank = { camt: '', csv: '', bad: '' }
const GB = 'GB82WEST12345698765432'

const status = (res: ApiResponse, expected: number) => expect(res.status, res.text).toBe(expected)
const importFile = (id: string, json: Record<string, unknown>, headers?: Record<string, string>) => owner.post(`/api/v1/bank-accounts/${id}/imports`, { json, ...(headers ? { headers } : {}) })
const lineCount = async (bankAccountId: string) => Number((await sql<{ n: string }[]>`select count(*)::text as n from bank_transactions where bank_account_id = ${bankAccountId}`)[0]!.n)
const importCount = async (bankAccountId: string) => Number((await sql<{ n: string }[]>`select count(*)::text as n from bank_imports where bank_account_id = ${bankAccountId}`)[0]!.n)

let seq = 0
async function bankAccount(name: string, accountNumber?: string) {
  const gl = await createAccount(owner, { code: `10${60 + seq++}`, name, type: 'asset', subtype: 'bank' })
  const res = await owner.post('/api/v1/bank-accounts', { json: { name, accountId: gl.id, ...(accountNumber ? { accountNumber } : {}) } })
  status(res, 201)
  return res.body.id as string
}

/** Polls a job until it is finished, keeping every state seen. */
async function waitFor(jobId: string, timeoutMs = 120_000) {
  const seen: { status: string, progress: number, linesParsed: number, linesWritten: number }[] = []
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await owner.get(`/api/v1/bank-imports/jobs/${jobId}`)
    status(res, 200)
    seen.push(res.body)
    if (res.body.status === 'done' || res.body.status === 'failed') return { job: res.body, seen }
    if (Date.now() > deadline) throw new Error(`import job ${jobId} still ${res.body.status} (${res.body.progress} %)`)
    await new Promise(r => setTimeout(r, 100))
  }
}

beforeAll(async () => {
  [t, other] = await Promise.all([createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' }), createTenant({ chartOfAccounts: 'standard', baseCurrency: 'EUR' })])
  owner = t.asOwner
  bank.camt = await bankAccount('Big CAMT', 'DE89 3704 0044 0532 0130 00')
  bank.csv = await bankAccount('Big CSV')
  bank.bad = await bankAccount('Malformed', 'GB82 WEST 1234 5698 7654 32')
})

describe('imports above 5,000 lines', () => {
  it('runs a 5,300-line CAMT.053 file in the worker: 202 with the job, progress and lines visible, the import\'s counts at the end, the same audit and event', async () => {
    const content = camt053File({ lines: 5300 })
    const res = await importFile(bank.camt, { format: 'camt053', content, fileName: 'big.xml' })
    status(res, 202)
    expect(res.body).toMatchObject({ bankAccountId: bank.camt, format: 'camt053', fileName: 'big.xml', status: 'queued', progress: 0, linesWritten: 0 })
    expect(res.body.jobId).toEqual(expect.any(String))
    expect(res.body).not.toHaveProperty('result')

    const { job, seen } = await waitFor(res.body.jobId)
    expect(job).toMatchObject({ status: 'done', progress: 100, linesParsed: 5300, linesTotal: 5300, linesWritten: 5300 })
    expect(job.result).toMatchObject({ bankAccountId: bank.camt, accountNumberMasked: 'DE89 **** **** 3000', format: 'camt053', fileName: 'big.xml', imported: 5300, duplicates: 0, skipped: 0 })
    expect(job.startedAt).toEqual(expect.any(String))
    expect(job.finishedAt).toEqual(expect.any(String))
    // Progress only moves forward, and never says done before the job is.
    const progress = seen.map(s => s.progress)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(seen.slice(0, -1).every(s => s.progress < 100)).toBe(true)

    expect(await lineCount(bank.camt)).toBe(5300)
    const listed = await owner.get(`/api/v1/bank-transactions?importId=${job.result.id}&pageSize=1`)
    expect(listed.body.total).toBe(5300)
    const events = await sql<{ type: string, data: { imported: number, from: string, to: string } }[]>`select type, data from events where tenant_id = ${t.id} and entity_id::text = ${job.result.id}`
    expect(events).toEqual([{ type: 'bank_transaction.imported', data: expect.objectContaining({ imported: 5300, from: '2026-01-01', to: '2026-12-28' }) }])
    const audit = await sql<{ action: string, actor_id: string }[]>`select action, actor_id from audit_events where tenant_id = ${t.id} and entity_id::text = ${job.result.id}`
    expect(audit).toEqual([{ action: 'bank_import.create', actor_id: t.owner.id }])
  })

  it('imports nothing new from the same file again (all duplicates), and a bigger overlapping file only its new lines', async () => {
    const again = await importFile(bank.camt, { format: 'camt053', content: camt053File({ lines: 5300 }) })
    status(again, 202)
    const { job } = await waitFor(again.body.jobId)
    expect(job).toMatchObject({ status: 'done', linesTotal: 5300, linesWritten: 0, result: { imported: 0, duplicates: 5300 } })
    const overlap = await importFile(bank.camt, { format: 'camt053', content: camt053File({ lines: 5300, firstId: 201 }) })
    const done = (await waitFor(overlap.body.jobId)).job
    expect(done.result).toMatchObject({ imported: 200, duplicates: 5100 })
    expect(await lineCount(bank.camt)).toBe(5500)
    // No event for the import that brought nothing.
    const events = await sql`select 1 from events where tenant_id = ${t.id} and entity_id::text = ${job.result.id}`
    expect(events.length).toBe(0)
  })

  it('takes a 5,200-line CSV with its mapping saved, and replays the 202 for the same Idempotency-Key without a second job', async () => {
    const { content, mapping } = csvFile({ lines: 5200 })
    const key = { 'Idempotency-Key': `big-csv-${Date.now()}` }
    const res = await importFile(bank.csv, { format: 'csv', content, mapping, saveMapping: true }, key)
    status(res, 202)
    const replay = await importFile(bank.csv, { format: 'csv', content, mapping, saveMapping: true }, key)
    status(replay, 202)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.body.jobId).toBe(res.body.jobId)
    const { job } = await waitFor(res.body.jobId)
    expect(job).toMatchObject({ status: 'done', result: { format: 'csv', imported: 5200, duplicates: 0 } })
    expect(await lineCount(bank.csv)).toBe(5200)
    const jobs = await sql`select id from bank_import_jobs where bank_account_id = ${bank.csv}`
    expect(jobs.length).toBe(1)
    expect((await owner.get(`/api/v1/bank-accounts/${bank.csv}`)).body.csvMapping).toMatchObject({ date: 'Date', amount: 'Amount' })

    // The saved mapping serves the next big file; its lines are all known.
    const next = await importFile(bank.csv, { format: 'csv', content })
    status(next, 202)
    expect((await waitFor(next.body.jobId)).job.result).toMatchObject({ imported: 0, duplicates: 5200 })
  })

  it('imports nothing from a malformed big file: the job fails with IMPORT_INVALID naming the entry and its line', async () => {
    const res = await importFile(bank.bad, { format: 'camt053', content: camt053File({ lines: 5100, badAt: 4000, iban: GB }) })
    status(res, 202)
    const { job } = await waitFor(res.body.jobId)
    expect(job).toMatchObject({ status: 'failed', error: { code: 'IMPORT_INVALID' } })
    expect(job).not.toHaveProperty('result')
    expect(Object.keys(job.error.fields)).toEqual([expect.stringMatching(/^Ntry 4000 \(line \d+\)$/)])
    expect(await lineCount(bank.bad)).toBe(0)
    expect(await importCount(bank.bad)).toBe(0)

    const csv = csvFile({ lines: 5100, badAt: 5050 })
    const bad = await importFile(bank.bad, { format: 'csv', content: csv.content, mapping: csv.mapping })
    const failed = (await waitFor(bad.body.jobId)).job
    expect(failed.error).toMatchObject({ code: 'IMPORT_INVALID', fields: { 'line 5051': expect.stringContaining('twelve') } })
    expect(await lineCount(bank.bad)).toBe(0)
  })

  it('fails a big file of another account with the request\'s code, and a CSV without any mapping at once (422)', async () => {
    const res = await importFile(bank.bad, { format: 'camt053', content: camt053File({ lines: 5100 }) })
    status(res, 202)
    expect((await waitFor(res.body.jobId)).job).toMatchObject({ status: 'failed', error: { code: 'IMPORT_ACCOUNT_MISMATCH' } })
    const none = await importFile(bank.bad, { format: 'csv', content: csvFile({ lines: 5100 }).content })
    status(none, 422)
    expect(none.body.data.code).toBe('IMPORT_MAPPING_REQUIRED')
    expect(await importCount(bank.bad)).toBe(0)
  })

  it('keeps up to 5,000 lines in the request (201), and shows a job to its tenant only', async () => {
    const small = await importFile(bank.bad, { format: 'camt053', content: camt053File({ lines: 5000, firstId: 900000, iban: GB }) })
    status(small, 201)
    expect(small.body.imported).toBe(5000)
    const jobs = await sql<{ id: string }[]>`select id from bank_import_jobs where tenant_id = ${t.id} limit 1`
    status(await other.asOwner.get(`/api/v1/bank-imports/jobs/${jobs[0]!.id}`), 404)
  })
})
