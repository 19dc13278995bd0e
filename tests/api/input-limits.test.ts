/**
 * Input that once produced a 500 (issue 8, point 5): each is a 4xx with a field message now, and
 * changes nothing. Deep nesting, dates outside 1900–2999, unpaired surrogates, base amounts past
 * the money columns, unknown currencies, chunked bodies, wrong methods and export/schedule
 * parameters checked at request time.
 */
import { request as httpRequest } from 'node:http'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { adminClient, createTenant, hosts, request, uniqueSlug, type ApiResponse, type TestTenant } from '../support/api'

let t: TestTenant

beforeAll(async () => {
  t = await createTenant({ chartOfAccounts: 'standard' })
})

function expectRefused(res: ApiResponse, status: number, field?: string) {
  expect(res.status, res.text).toBe(status)
  expect(res.body.data.code).toEqual(expect.any(String))
  if (field) expect(Object.keys(res.body.data.fields ?? {}), res.text).toContain(field)
}

const entry = (body: Record<string, unknown>) => t.asOwner.post('/api/v1/journal-entries', {
  json: { date: '2026-03-10', memo: 'Limits', lines: [{ accountCode: '1000', debit: '10.00' }, { accountCode: '3000', credit: '10.00' }], ...body },
})
const entryCount = async () => (await t.asOwner.get('/api/v1/journal-entries?pageSize=1')).body.total as number

/** JSON text nested `depth` levels deep, built as a string (JSON.stringify would recurse). */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`

describe('deeply nested JSON', () => {
  it('refuses a body nested 8,000 levels deep with 400 and the field, on every body route shape', async () => {
    const before = await entryCount()
    const deep = `{"date":"2026-03-10","memo":"x","lines":${nested(8000)}}`
    const res = await t.asOwner.post('/api/v1/journal-entries', { raw: deep, headers: { 'content-type': 'application/json' } })
    expectRefused(res, 400)
    expect(JSON.stringify(res.body.data.fields)).toMatch(/nested more than 32 levels/)
    const top = await t.asOwner.post('/api/v1/accounts', { raw: nested(8000), headers: { 'content-type': 'application/json' } })
    expectRefused(top, 400, Array(32).fill('0').join('.'))
    const admin = await adminClient()
    expectRefused(await admin.post('/api/v1/admin/tenants', { raw: `{"owner":${nested(8000)}}`, headers: { 'content-type': 'application/json' } }), 400)
    expect(await entryCount()).toBe(before)
  })
})

describe('accounting dates', () => {
  it('refuses dates outside 1900-01-01..2999-12-31 (year 0000, 9999) with 400 and the field', async () => {
    for (const date of ['0000-01-01', '0001-01-01', '1899-12-31', '3000-01-01', '9999-12-31']) {
      expectRefused(await entry({ date }), 400, 'date')
      expectRefused(await t.asOwner.post('/api/v1/exchange-rates', { json: { currency: 'EUR', date, rate: '1.1' } }), 400, 'date')
    }
    expectRefused(await t.asOwner.get('/api/v1/reports/trial-balance?asOf=0000-01-01'), 400, 'asOf')
    expectRefused(await t.asOwner.get('/api/v1/reports/income-statement?from=0001-01-01&to=9999-12-31'), 400, 'from')
  })

  it('posts on the first and last day of the range and reports across all of it', async () => {
    for (const date of ['1900-01-01', '2999-12-31']) expect((await entry({ date, post: true })).status).toBe(201)
    for (const path of [
      '/api/v1/reports/income-statement?from=1900-01-01&to=2999-12-31',
      '/api/v1/reports/cash-flow?from=1900-01-01&to=2999-12-31',
      '/api/v1/reports/trial-balance?asOf=2999-12-31',
      '/api/v1/reports/balance-sheet?asOf=2999-12-31',
    ]) {
      const res = await t.asOwner.get(path)
      expect(res.status, `${path}: ${res.text}`).toBe(200)
    }
    const tb = await t.asOwner.get('/api/v1/reports/trial-balance?asOf=2999-12-31')
    expect(tb.body.totals.debit).toBe(tb.body.totals.credit)
  })
})

describe('unpaired UTF-16 surrogates', () => {
  it('refuses a lone surrogate in a memo, reference, line description or query with 400 and the field', async () => {
    const before = await entryCount()
    expectRefused(await entry({ memo: 'bad \uD800 memo' }), 400, 'memo')
    expectRefused(await entry({ reference: 'ref \uDFFF' }), 400, 'reference')
    expectRefused(await entry({ lines: [{ accountCode: '1000', debit: '1.00', description: '\uDBFF' }, { accountCode: '3000', credit: '1.00' }] }), 400, 'lines.0.description')
    expectRefused(await t.asOwner.post('/api/v1/accounts', { json: { code: '1999', name: 'x\uD83D', type: 'asset' } }), 400, 'name')
    expect(await entryCount()).toBe(before)
    // A well-formed pair (an emoji) is text like any other.
    expect((await entry({ memo: 'Team lunch \uD83C\uDF55' })).status).toBe(201)
  })
})

describe('amounts past the money columns', () => {
  it('refuses a foreign amount whose base amount overflows with 400 AMOUNT_OUT_OF_RANGE and the line field', async () => {
    const before = await entryCount()
    const res = await entry({
      currency: 'EUR', exchangeRate: '9999999999999.5',
      lines: [{ accountCode: '1000', debit: '999999999999999.99' }, { accountCode: '3000', credit: '999999999999999.99' }],
      post: true,
    })
    expectRefused(res, 400, 'lines.0.debit')
    expect(res.body.data.code).toBe('AMOUNT_OUT_OF_RANGE')
    expect(await entryCount()).toBe(before)
  })

  it('answers 422 BALANCE_OUT_OF_RANGE, not 500, when postings would push a balance past 10^16', async () => {
    const big = '999999999999999.00'
    const lines = [...Array(11)].map(() => ({ accountCode: '1000', debit: big }))
    const credits = [...Array(11)].map(() => ({ accountCode: '3000', credit: big }))
    const before = await entryCount()
    const res = await entry({ lines: [...lines, ...credits], post: true })
    expect(res.status, res.text).toBe(422)
    expect(res.body.data.code).toBe('BALANCE_OUT_OF_RANGE')
    expect(await entryCount()).toBe(before)
  })
})

describe('one currency list', () => {
  it('refuses a well-formed code the ledger does not keep for tenants, accounts, rates and entries alike', async () => {
    const admin = await adminClient()
    const slug = uniqueSlug('cur')
    const tenant = await admin.post('/api/v1/admin/tenants', { json: { slug, name: 'Currency', baseCurrency: 'ZZZ', chartOfAccounts: 'none', owner: { email: `o@${slug}.test`, name: 'O', password: 'Unrelated-Horse-Battery-93' } } })
    expectRefused(tenant, 400, 'baseCurrency')
    expect((await admin.get(`/api/v1/admin/tenants?q=${slug}`)).body.total).toBe(0)
    expectRefused(await t.asOwner.post('/api/v1/accounts', { json: { code: '1998', name: 'Odd', type: 'asset', currency: 'ZZZ' } }), 400, 'currency')
    expectRefused(await t.asOwner.post('/api/v1/exchange-rates', { json: { currency: 'ZZZ', date: '2026-03-01', rate: '1.5' } }), 400, 'currency')
    expectRefused(await entry({ currency: 'ZZZ', exchangeRate: '1.5' }), 400, 'currency')
  })
})

/** A POST whose body goes out with `Transfer-Encoding: chunked` (no Content-Length), in `parts`. */
function postChunked(host: string, path: string, token: string, parts: string[]): Promise<{ status: number, body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${inject('baseUrl')}${path}`, {
      method: 'POST',
      headers: { host, 'authorization': `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }))
    })
    // The server may answer 413 and close before every part is written.
    req.on('error', err => (err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err))
    for (const part of parts.slice(0, -1)) req.write(part)
    req.end(parts.at(-1))
  })
}

describe('chunked request bodies', () => {
  it('reads a chunked body like any other', async () => {
    const res = await postChunked(t.host, '/api/v1/accounts', t.owner.token, ['{"code":"1997",', '"name":"Chunked",', '"type":"asset"}'])
    expect(res.status).toBe(201)
    expect(res.body.name).toBe('Chunked')
  })

  it('refuses a chunked body past 1 MiB by its counted bytes with 413 and creates nothing', async () => {
    const part = 'x'.repeat(64 * 1024)
    const res = await postChunked(t.host, '/api/v1/accounts', t.owner.token, ['{"code":"1996","type":"asset","name":"', ...Array(20).fill(part), '"}'])
    expect(res.status).toBe(413)
    expect(res.body.data.code).toBe('PAYLOAD_TOO_LARGE')
    expect((await t.asOwner.get('/api/v1/accounts?q=1996')).body.data).toHaveLength(0)
  })
})

describe('wrong methods', () => {
  it('answers 405 with Allow on an existing path and 404 on an unknown one', async () => {
    const collection = await t.asOwner.delete('/api/v1/journal-entries')
    expectRefused(collection, 405)
    expect(collection.body.data.code).toBe('METHOD_NOT_ALLOWED')
    expect(collection.headers.get('allow')).toBe('GET, POST')
    const item = await t.asOwner.post('/api/v1/accounts/01890000-0000-7000-8000-00000000abcd')
    expect(item.status).toBe(405)
    expect(item.headers.get('allow')).toBe('GET, PATCH')
    const admin = await request('PUT', hosts.admin(), '/api/v1/admin/tenants')
    expect(admin.status).toBe(405)
    expect((await t.asOwner.delete('/api/v1/no-such-thing')).status).toBe(404)
  })
})

describe('export and schedule parameters', () => {
  it('are checked when the export or schedule is requested (400 with params.<name>), not when the job runs', async () => {
    expectRefused(await t.asOwner.post('/api/v1/exports', { json: { report: 'trial-balance', format: 'csv', params: { asOf: '0000-01-01' } } }), 400, 'params.asOf')
    expectRefused(await t.asOwner.post('/api/v1/exports', { json: { report: 'income-statement', format: 'pdf', params: { from: '2026-01-01', to: '9999-12-31' } } }), 400, 'params.to')
    expectRefused(await t.asOwner.post('/api/v1/exports', { json: { report: 'general-ledger', format: 'csv', params: { accountId: 'nope' } } }), 400, 'params.accountId')
    expectRefused(await t.asOwner.post('/api/v1/report-schedules', {
      json: { name: 'Bad', report: 'trial-balance', params: { asOf: '9999-12-31' }, format: 'csv', cron: '0 6 * * *', recipients: ['a@b.test'] },
    }), 400, 'params.asOf')
    expect((await t.asOwner.get('/api/v1/exports')).body.total).toBe(0)
    expect((await t.asOwner.get('/api/v1/report-schedules')).body.total).toBe(0)
  })
})
