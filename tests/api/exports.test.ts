/**
 * Report exports (issue 4): a queued job per requested file, polled to done and downloaded; the
 * file matches the report's JSON; bad requests refused at once; other tenants' exports invisible;
 * the requester notified once. The general ledger used here has 12,000 lines, so the export reads
 * it in several keyset batches.
 */
import { execFileSync } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import ExcelJS from 'exceljs'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Dec } from '../../server/domain/money'
import { addMember, createTenant, type TestTenant } from '../support/api'
import { seedAccountLines } from '../db/gl-seed'
import { parseCsv } from '../support/csv'

const sql = postgres(inject('databaseUrl'), { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const LINES = 12_000
const YEAR = { from: '2025-01-01', to: '2025-12-31' }

let t: TestTenant
let other: TestTenant
let accountId: string
let otherAccountId: string

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
  other = await createTenant({ chartOfAccounts: 'standard' })
  ;({ accountId } = await seedAccountLines(sql, t.id, { accountCode: '1000', counterCode: '4100', lines: LINES, perEntry: 4 }))
  const [row] = await sql`select id from accounts where tenant_id = ${other.id} and code = '1000'`
  otherAccountId = row!.id
})

type Client = TestTenant['asOwner']

/** The raw bytes of a response (the shared client decodes bodies as UTF-8 text). */
function download(host: string, token: string, path: string): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${inject('baseUrl')}${path}`, { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Polls an export until it is finished (done or failed). */
async function waitFor(c: Client, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await c.get(`/api/v1/exports/${id}`)
    expect(res.status, res.text).toBe(200)
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body
    if (Date.now() > deadline) throw new Error(`export ${id} still ${res.body.status} (${res.body.progress} %)`)
    await new Promise(r => setTimeout(r, 200))
  }
}

async function exportFile(c: Client, body: unknown) {
  const res = await c.post('/api/v1/exports', { json: body })
  expect(res.status, res.text).toBe(202)
  expect(res.body).toEqual({ id: expect.any(String), status: 'queued' })
  return waitFor(c, res.body.id)
}

describe('POST /api/v1/exports', () => {
  it('queues a general-ledger CSV (202), runs it to done, and serves the very file the report route renders', async () => {
    const done = await exportFile(t.asOwner, { report: 'general-ledger', format: 'csv', params: { accountId, ...YEAR } })
    expect(done).toMatchObject({ status: 'done', progress: 100, report: 'general-ledger', format: 'csv', downloadUrl: `/api/v1/exports/${done.id}/download`, filename: 'general-ledger-1000-2025-01-01-to-2025-12-31.csv' })
    expect(done.finishedAt).toEqual(expect.any(String))

    const file = await download(t.host, t.owner.token, done.downloadUrl)
    expect(file.status).toBe(200)
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(file.headers['content-disposition']).toBe(`attachment; filename="${done.filename}"`)
    expect(file.body.length).toBe(done.size)

    // The report route renders the same range in one piece (it carries up to 100,000 lines).
    const direct = await download(t.host, t.owner.token, `/api/v1/reports/general-ledger?accountId=${accountId}&from=${YEAR.from}&to=${YEAR.to}&format=csv`)
    expect(direct.status).toBe(200)
    expect(file.body.equals(direct.body)).toBe(true)

    const json = await t.asOwner.get(`/api/v1/reports/general-ledger?accountId=${accountId}&from=${YEAR.from}&to=${YEAR.to}&pageSize=1`)
    const rows = parseCsv(file.body.toString('utf8'))
    expect(rows[0]).toEqual(['Date', 'Number', 'Memo', 'Debit', 'Credit', 'Balance'])
    expect(rows).toHaveLength(1 + 1 + LINES + 1)
    expect(json.body.total).toBe(LINES)
    expect(rows[1]).toEqual(['', '', 'Opening balance', '', '', json.body.openingBalance])
    expect(rows.at(-1)).toEqual(['', '', 'Closing balance', '', '', json.body.closingBalance])
    const debits = rows.slice(2, -1).reduce((s, r) => s.plus(r[3]!), new Dec(0))
    expect(debits.toFixed(2)).toBe(new Dec(json.body.closingBalance).minus(json.body.openingBalance).toFixed(2))
    expect(rows[2]![2]).toContain('"bulk"')
  })

  it('exports a small report (trial balance) whose totals match the JSON report', async () => {
    const asOf = '2025-12-31'
    const done = await exportFile(t.asOwner, { report: 'trial-balance', format: 'csv', params: { asOf } })
    expect(done.status).toBe('done')
    const file = await download(t.host, t.owner.token, done.downloadUrl)
    const json = await t.asOwner.get(`/api/v1/reports/trial-balance?asOf=${asOf}`)
    const total = parseCsv(file.body.toString('utf8')).find(r => r[1] === 'Total')!
    expect([total[3], total[4]]).toEqual([json.body.totals.debit, json.body.totals.credit])
  })

  it('writes XLSX (a ZIP with every ledger line) and PDF (%PDF-) files with their media types', async () => {
    const xlsx = await exportFile(t.asOwner, { report: 'general-ledger', format: 'xlsx', params: { accountId, ...YEAR } })
    expect(xlsx.status).toBe('done')
    const x = await download(t.host, t.owner.token, xlsx.downloadUrl)
    expect(x.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(x.body.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4B, 0x03, 0x04]))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(x.body as unknown as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    // Title, subtitle, blank, header, opening, the lines, closing.
    expect(sheet.rowCount).toBe(3 + 1 + 1 + LINES + 1)
    expect(sheet.getRow(5).getCell(3).value).toBe('Opening balance')
    expect(sheet.getRow(sheet.rowCount).getCell(3).value).toBe('Closing balance')

    const pdf = await exportFile(t.asOwner, { report: 'balance-sheet', format: 'pdf', params: { asOf: '2025-12-31' } })
    const p = await download(t.host, t.owner.token, pdf.downloadUrl)
    expect(p.headers['content-type']).toBe('application/pdf')
    expect(p.body.subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })

  it('streams the general ledger\'s PDF on the statements\' base: the organisation, its formats, who asked, page x of y', async () => {
    const set = await t.asOwner.patch('/api/v1/settings', { json: { dateFormat: 'DD.MM.YYYY', numberFormat: '1.234,56', timeZone: 'Europe/Berlin' } })
    expect(set.status, set.text).toBe(200)
    try {
      const done = await exportFile(t.asOwner, { report: 'general-ledger', format: 'pdf', params: { accountId, ...YEAR } })
      expect(done.status, done.error).toBe('done')
      const file = await download(t.host, t.owner.token, done.downloadUrl)
      expect(file.headers['content-type']).toBe('application/pdf')
      const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: file.body, maxBuffer: 64 * 1024 * 1024 }).toString('utf8')
      expect(text).toContain(set.body.name)
      expect(text).toContain('General ledger: 1000 ')
      expect(text).toContain('01.01.2025 to 31.12.2025 (USD); balances on the debit side')
      // The first line as the report's JSON has it, in the organisation's formats; its zero credit blank.
      const json = await t.asOwner.get(`/api/v1/reports/general-ledger?accountId=${accountId}&from=${YEAR.from}&to=${YEAR.to}&pageSize=1`)
      const first = json.body.rows[0]
      const figure = (value: string) => value.replace('.', ',').replace(/\B(?=(\d{3})+,)/g, '.')
      const [y, m, d] = first.date.split('-')
      expect(first.credit).toBe('0.00')
      expect(text).toMatch(new RegExp(`${d}\\.${m}\\.${y}\\s+${first.number}\\s+Seeded, "bulk" entry 1\\s+${figure(first.debit).replaceAll('.', '\\.')}\\s+${figure(first.balance).replaceAll('.', '\\.')}\\n`))
      expect(text).not.toContain('2025-01-01')
      const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1])
      expect(pages).toBeGreaterThan(100)
      expect(text).toContain(`Page ${pages} of ${pages}`)
      expect(text.match(new RegExp(`Prepared by ${t.owner.name} on \\d{2}\\.\\d{2}\\.\\d{4} \\d{2}:\\d{2} \\(Europe/Berlin\\)`, 'g'))).toHaveLength(pages)
      expect(text.split('\n').filter(l => /^\s*Date\s+Number\s+Memo\s+Debit\s+Credit\s+Balance\s*$/.test(l))).toHaveLength(pages)
      expect(text).toMatch(/Closing balance\s+[\d.]+,\d{2}\n/)
    }
    finally {
      const reset = await t.asOwner.patch('/api/v1/settings', { json: { dateFormat: 'D MMM YYYY', numberFormat: '1,234.56', timeZone: 'UTC' } })
      expect(reset.status, reset.text).toBe(200)
    }
  })

  it('refuses an unknown report, an unknown format and bad parameters (400 VALIDATION_FAILED with fields)', async () => {
    const cases: [unknown, string][] = [
      [{ report: 'payroll', format: 'csv', params: {} }, 'report'],
      [{ report: 'trial-balance', format: 'docx', params: {} }, 'format'],
      [{ report: 'trial-balance', format: 'csv', params: { asOf: '2025-13-45' } }, 'params.asOf'],
      // Without accountId the general ledger is every account's (tests/api/report-ranges.test.ts); a bad account id or code range is refused.
      [{ report: 'general-ledger', format: 'csv', params: { accountId: 'not-a-uuid' } }, 'params.accountId'],
      [{ report: 'general-ledger', format: 'csv', params: { fromCode: '4000', toCode: '1000' } }, 'params.fromCode'],
      [{ report: 'general-ledger', format: 'csv', params: { accountId, page: '2' } }, 'params'],
      [{ report: 'income-statement', format: 'csv', params: { from: '2025-12-01', to: '2025-01-01' } }, 'params.from'],
    ]
    for (const [body, field] of cases) {
      const res = await t.asOwner.post('/api/v1/exports', { json: body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.data.code).toBe('VALIDATION_FAILED')
      expect(Object.keys(res.body.data.fields ?? {}).some(k => k === field || k.startsWith(`${field}`)), res.text).toBe(true)
    }
  })

  it('answers 404 at request time for a general ledger of another tenant\'s account, and creates nothing', async () => {
    const before = await sql`select count(*)::int as n from report_exports where tenant_id = ${t.id}`
    const res = await t.asOwner.post('/api/v1/exports', { json: { report: 'general-ledger', format: 'csv', params: { accountId: otherAccountId } } })
    expect(res.status).toBe(404)
    expect(res.body.data.code).toBe('NOT_FOUND')
    const after = await sql`select count(*)::int as n from report_exports where tenant_id = ${t.id}`
    expect(after[0]!.n).toBe(before[0]!.n)
  })

  it('needs reports:export (403 for a viewer)', async () => {
    const viewer = await addMember(t, ['viewer'])
    const res = await viewer.client.post('/api/v1/exports', { json: { report: 'trial-balance', format: 'csv', params: {} } })
    expect(res.status).toBe(403)
  })

  it('audits the request (export.requested) and notifies the requester once (export.completed)', async () => {
    const done = await exportFile(t.asOwner, { report: 'cash-flow', format: 'csv', params: YEAR })
    const audit = await sql`select action, actor_id from audit_events where tenant_id = ${t.id} and entity_id = ${done.id}`
    expect(audit).toEqual([{ action: 'export.requested', actor_id: t.owner.id }])
    const notes = await sql`select type, title, link from notifications where tenant_id = ${t.id} and user_id = ${t.owner.id} and dedupe_key = ${`export:${done.id}`}`
    expect(notes).toEqual([{ type: 'export.completed', title: 'Cash-flow statement export is ready', link: '/reports/exports' }])
  })
})

describe('GET /api/v1/exports', () => {
  it('lists the caller\'s own exports, newest first, in the list shape', async () => {
    const member = await addMember(t, ['accountant'])
    const first = await exportFile(member.client, { report: 'trial-balance', format: 'csv', params: { asOf: '2025-06-30' } })
    const second = await exportFile(member.client, { report: 'balance-sheet', format: 'xlsx', params: { asOf: '2025-06-30' } })
    const res = await member.client.get('/api/v1/exports')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ page: 1, pageSize: 50, total: 2 })
    expect(res.body.data.map((e: { id: string }) => e.id)).toEqual([second.id, first.id])
    // The owner's exports are not in the member's list, nor readable by id.
    const owners = await t.asOwner.get('/api/v1/exports')
    const ownerExport = owners.body.data[0].id as string
    expect((await member.client.get(`/api/v1/exports/${ownerExport}`)).status).toBe(404)
  })

  it('answers 404 for another tenant\'s export and its file (NOT_FOUND)', async () => {
    const done = await exportFile(t.asOwner, { report: 'trial-balance', format: 'csv', params: { asOf: '2025-12-31' } })
    const res = await other.asOwner.get(`/api/v1/exports/${done.id}`)
    expect(res.status).toBe(404)
    expect(res.body.data.code).toBe('NOT_FOUND')
    const file = await download(other.host, other.owner.token, `/api/v1/exports/${done.id}/download`)
    expect(file.status).toBe(404)
  })

  it('answers 409 EXPORT_NOT_READY for the file of an export that is not finished', async () => {
    // A queued export whose job was never added: it stays queued for as long as the test needs.
    const [row] = await sql`insert into report_exports (tenant_id, report, format, params, requested_by)
      values (${t.id}, 'trial-balance', 'csv', '{}'::jsonb, ${t.owner.id}) returning id`
    const file = await download(t.host, t.owner.token, `/api/v1/exports/${row!.id}/download`)
    expect(file.status).toBe(409)
    expect(JSON.parse(file.body.toString('utf8')).data.code).toBe('EXPORT_NOT_READY')
    await sql`update report_exports set status = 'failed' where tenant_id = ${t.id} and id = ${row!.id}`
  })
})
