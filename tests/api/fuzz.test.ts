/**
 * Fuzzing from the OpenAPI document (issue 8, point 6): every operation gets a bounded, seeded
 * set of malformed inputs — missing and extra fields, wrong types, huge strings, deep nesting, edge
 * dates, overflowing decimals, unpaired surrogates, bad UUIDs — in its path, query and body. No
 * answer may be a 5xx. Afterwards the books must still hold: the trial balance balances, the audit
 * chain verifies and no partial rows exist.
 *
 * FUZZ_SEED and FUZZ_CASES (per operation) replay or widen a run; the defaults keep it to a few
 * hundred requests for every CI run.
 */
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { addMember, adminToken, createTenant, hosts, request, type Client, type TestTenant } from '../support/api'

const SEED = Number(process.env.FUZZ_SEED ?? 20261130)
const CASES = Number(process.env.FUZZ_CASES ?? 5)
/** A request left hanging counts as a failure too (599 in the report), not as a stuck test. */
const ANSWER_WITHIN_MS = 15_000

/** mulberry32: a small seeded PRNG, so a failing case can be replayed with its seed. */
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! }
}

interface Schema {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  enum?: unknown[]
  format?: string
  pattern?: string
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  example?: unknown
  examples?: unknown[]
  default?: unknown
  minItems?: number
  const?: unknown
}
interface Parameter { name: string, in: 'path' | 'query' | 'header' | 'cookie', required?: boolean, schema?: Schema }
interface Operation { parameters?: Parameter[], requestBody?: { content?: Record<string, { schema?: Schema }> }, responses?: Record<string, { content?: Record<string, unknown> }> }
interface Document { paths: Record<string, Record<string, Operation>>, components?: { schemas?: Record<string, Schema> } }

let doc: Document
const resolve = (s: Schema | undefined): Schema => {
  if (!s) return {}
  if (s.$ref) return resolve(doc.components?.schemas?.[s.$ref.split('/').pop()!])
  if (s.allOf) return s.allOf.map(resolve).reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties }, required: [...a.required ?? [], ...b.required ?? []] }), {})
  const variants = s.anyOf ?? s.oneOf
  if (variants) return resolve(variants.find(v => resolve(v).type !== 'null') ?? variants[0])
  return s
}
const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find(t => t !== 'null') : s.type) ?? (s.properties ? 'object' : undefined)

/** A plausible valid value for a schema, so that one mutation at a time reaches deep validation. */
function plausible(raw: Schema | undefined, depth = 0): unknown {
  const s = resolve(raw)
  if (s.example !== undefined) return s.example
  if (s.examples?.length) return s.examples[0]
  if (s.const !== undefined) return s.const
  if (s.enum?.length) return s.enum[0]
  if (s.default !== undefined) return s.default
  switch (typeOf(s)) {
    case 'object': {
      if (depth > 6) return {}
      const out: Record<string, unknown> = {}
      for (const key of s.required ?? []) out[key] = plausible(s.properties?.[key], depth + 1)
      return out
    }
    case 'array': return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => plausible(s.items, depth + 1))
    case 'integer': case 'number': return 1
    case 'boolean': return true
    default:
      if (s.format === 'uuid') return randomUUID()
      if (s.format === 'email') return 'fuzz@paksa.test'
      if (s.format === 'date' || s.pattern?.includes('\\d{4}-\\d{2}-\\d{2}')) return '2026-03-10'
      if (s.format === 'date-time') return '2026-03-10T10:00:00Z'
      if (s.pattern?.includes('\\d')) return '10.00'
      return 'fuzz'
  }
}

/** JSON text nested `depth` levels deep, built as text (JSON.stringify would recurse that deep). */
const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`

/** Malformed values of every kind the probe sent; JSON-safe except the lone surrogates, which JSON.stringify escapes as \ud800. */
const BAD_VALUES: readonly unknown[] = [
  null, true, 0, -1, 1.5, 1e308, [], {}, [[[]]], { a: { b: { c: {} } } },
  '', ' ', 'x'.repeat(100_000), 'nope', '../../etc/passwd', '0000-01-01', '9999-12-31', '2026-02-30', '2026-13-01', '1899-12-31',
  '99999999999999999999.99999', '1e400', '-0', 'NaN', '-1.00', '0.00001', '1,000.00',
  '\uD800', 'memo \uDFFF end', '\uDBFF\uDBFF', 'a\u0000b', '00000000-0000-0000-0000-00000000000g', '01890000-0000-7000-8000-00000000abcd',
  '<script>alert(1)</script>', '\u202Eevil', 'ZZZ',
]
const BAD_QUERY: readonly string[] = [
  '', 'x'.repeat(10_000), '0000-01-01', '9999-12-31', '2026-02-30', '-1', '1e400', 'NaN', '99999999999999999999', 'true', '%ED%A0%80', '%00', '%FF',
  'nope', '01890000-0000-7000-8000-00000000abcd', 'field:sideways', '[]', '{}',
]
const BAD_IDS: readonly string[] = ['nope', '0', 'x'.repeat(300), '%00', '%ED%A0%80', '00000000-0000-0000-0000-00000000000g', randomUUID(), '..', '%2e%2e']

type Rand = ReturnType<typeof prng>

function setAt(target: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value
  const copy: any = Array.isArray(target) ? [...target] : { ...(target as object) }
  copy[path[0]!] = setAt(copy[path[0]!], path.slice(1), value)
  return copy
}

/** Paths to every leaf and object of a plausible body, for choosing where to mutate. */
function paths(value: unknown, at: string[] = []): string[][] {
  const out = [at]
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]))
  return out
}

function mutateBody(base: unknown, r: Rand): { raw?: string, json?: unknown } {
  const kind = r.pick(['value', 'value', 'value', 'drop', 'extra', 'deep', 'wholeBody', 'raw'] as const)
  const where = r.pick(paths(base))
  switch (kind) {
    case 'value': return { json: setAt(base, where, r.pick(BAD_VALUES)) }
    case 'drop': {
      if (!where.length) return { json: {} }
      const parent = where.slice(0, -1)
      const holder = parent.reduce<any>((o, k) => o?.[k], base)
      if (!holder || typeof holder !== 'object') return { json: base }
      const { [where.at(-1)!]: _, ...rest } = holder
      return { json: setAt(base, parent, Array.isArray(holder) ? holder.filter((__: unknown, i: number) => String(i) !== where.at(-1)) : rest) }
    }
    case 'extra': return { json: setAt(base, [...where.filter((_, i) => i < where.length), '__fuzzExtra'], 'surplus') }
    case 'deep': return { raw: JSON.stringify(setAt(base, where, '@@DEEP@@')).replace('"@@DEEP@@"', nested(r.pick([40, 500, 8000]))) }
    case 'wholeBody': return { raw: r.pick(['null', '[]', '"text"', '42', nested(100)]) }
    case 'raw': return { raw: r.pick(['{', '{"a":', '[1,2', '\u0000', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}']) }
  }
}

interface Case { method: string, host: string, path: string, token?: string, raw?: string, json?: unknown }

let tenant: TestTenant
let admin: string
let sql: postgres.Sql
const failures: string[] = []
let sent = 0
let refusedAsInvalid = 0
let auditor: Client
/** The owner and two admins, taking turns per operation: one principal's minute of requests (API_RATE_LIMIT_PER_MINUTE) is less than the run sends. */
let fuzzers: string[] = []
let turn = 0

beforeAll(async () => {
  tenant = await createTenant({ chartOfAccounts: 'standard' })
  admin = await adminToken()
  const res = await request('GET', tenant.host, '/api/v1/openapi.json')
  expect(res.status).toBe(200)
  doc = res.body
  // Some postings for the checks afterwards to have something to check.
  for (const amount of ['100.00', '250.55']) {
    const posted = await tenant.asOwner.post('/api/v1/journal-entries', { json: { date: '2026-03-10', memo: 'Fuzz base', post: true, lines: [{ accountCode: '1000', debit: amount }, { accountCode: '3000', credit: amount }] } })
    expect(posted.status, posted.text).toBe(201)
  }
  sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })
  // The books are checked afterwards by an auditor who takes no part in the fuzzing: the owner may
  // have spent its minute of requests (API_RATE_LIMIT_PER_MINUTE) on the many operations.
  auditor = (await addMember(tenant, ['auditor'])).client
  fuzzers = [tenant.owner.token, ...(await Promise.all([0, 1].map(() => addMember(tenant, ['admin'])))).map(m => m.token)]
})

afterAll(async () => {
  await sql?.end()
})

/** Who calls an operation: the back-office as the admin, sign-in routes anonymously, the rest as the tenant's owner or an admin in turn. */
function caller(path: string): { host: string, token?: string } {
  if (path.startsWith('/api/v1/admin/auth/')) return { host: hosts.admin() }
  if (path.startsWith('/api/v1/admin/')) return { host: hosts.admin(), token: admin }
  // Sign-up requests are validated before the host is looked at; sent to a tenant host, the
  // plausible ones answer 404 instead of spending the shared test server's per-IP sign-up budget.
  if (path === '/api/v1/signup') return { host: tenant.host }
  if (path.startsWith('/api/v1/signup')) return { host: hosts.apex() }
  if (path.startsWith('/api/v1/auth/') || path.startsWith('/api/v1/invitations/')) return { host: tenant.host }
  return { host: tenant.host, token: fuzzers[turn++ % fuzzers.length] }
}

function casesFor(path: string, method: string, op: Operation, r: Rand): Case[] {
  const params = op.parameters ?? []
  const pathParams = params.filter(p => p.in === 'path')
  const queryParams = params.filter(p => p.in === 'query')
  const bodySchema = op.requestBody?.content?.['application/json']?.schema
  const { host, token } = caller(path)
  const cases: Case[] = []
  for (let i = 0; i < CASES; i++) {
    const ids = Object.fromEntries(pathParams.map(p => [p.name, encodeURIComponent(String(plausible(p.schema)))]))
    const target = r.pick(['path', 'query', 'body', 'body', 'body'] as const)
    if ((target === 'path' || (!bodySchema && !queryParams.length)) && pathParams.length) ids[r.pick(pathParams).name] = r.pick(BAD_IDS)
    const query = new URLSearchParams()
    let qs = ''
    if (target === 'query' || (!bodySchema && !pathParams.length)) {
      for (const p of queryParams) if (p.required || r.next() < 0.5) query.set(p.name, String(plausible(p.schema)))
      const name = queryParams.length && r.next() < 0.8 ? r.pick(queryParams).name : '__fuzz'
      // Raw so that invalid percent-encodings (a lone surrogate's UTF-8 bytes, %FF) reach the server as sent.
      qs = [...query].filter(([k]) => k !== name).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).concat(`${name}=${r.pick(BAD_QUERY)}`).join('&')
    }
    const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name] ?? 'x') + (qs ? `?${qs}` : '')
    const body = bodySchema ? (target === 'body' ? mutateBody(plausible(bodySchema), r) : { json: plausible(bodySchema) }) : {}
    cases.push({ method: method.toUpperCase(), host, path: url, token, ...body })
  }
  return cases
}

/** The event stream never ends by itself: it is fuzzed through its query alone by the notifications tests. */
const streams = (op: Operation) => Object.values(op.responses ?? {}).some(r => r.content && 'text/event-stream' in r.content)

describe('fuzzing every operation of the OpenAPI document', () => {
  it('answers every malformed request with a 4xx (or a success), never a 5xx', async () => {
    const r = prng(SEED)
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'patch', 'put', 'delete'].includes(method))
      .map(([method, op]) => ({ path, method, op })))
    expect(operations.length).toBeGreaterThan(50)
    for (const { path, method, op } of operations) {
      if (streams(op)) continue
      for (const c of casesFor(path, method, op, r)) {
        const headers = c.raw !== undefined ? { 'content-type': 'application/json' } : undefined
        const res = await Promise.race([
          request(c.method, c.host, c.path, { token: c.token, raw: c.raw, json: c.raw === undefined ? c.json : undefined, headers }),
          new Promise<{ status: number, text: string }>(ok => setTimeout(ok, ANSWER_WITHIN_MS, { status: 599, text: `no answer within ${ANSWER_WITHIN_MS} ms` })),
        ])
        sent += 1
        refusedAsInvalid += res.status === 400 ? 1 : 0
        if (res.status >= 500) failures.push(`${c.method} ${c.path.slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)} body=${(c.raw ?? JSON.stringify(c.json) ?? '').slice(0, 300)}`)
      }
    }
    expect(sent).toBeGreaterThan(250)
    // The inputs reach validation (rather than stopping at sign-in or routing): most are refused as invalid.
    expect(refusedAsInvalid / sent).toBeGreaterThan(0.5)
    expect(failures, `seed ${SEED}:\n${failures.join('\n')}`).toEqual([])
  }, 600_000)

  it('leaves the books whole: the trial balance balances, the audit chain verifies, no partial rows', async () => {
    const tb = await auditor.get('/api/v1/reports/trial-balance?asOf=2999-12-31')
    expect(tb.status, tb.text).toBe(200)
    expect(tb.body.totals.debit).toBe(tb.body.totals.credit)
    const audit = await auditor.get('/api/v1/audit/verify')
    expect(audit.status, audit.text).toBe(200)
    expect(audit.body.ok, audit.text).toBe(true)
    const [partial] = await sql<{ entries_without_lines: number, unbalanced: number, unnumbered_posted: number, balances_off: number }[]>`
      select
        (select count(*)::int from journal_entries e where not exists (select 1 from journal_lines l where l.tenant_id = e.tenant_id and l.entry_id = e.id)) as entries_without_lines,
        (select count(*)::int from (select e.id from journal_entries e join journal_lines l on l.tenant_id = e.tenant_id and l.entry_id = e.id
           where e.status = 'posted' group by e.id having sum(l.base_debit) <> sum(l.base_credit)) u) as unbalanced,
        (select count(*)::int from journal_entries where status = 'posted' and number is null) as unnumbered_posted,
        (select count(*)::int from (
           select b.tenant_id, b.account_id, sum(b.debit - b.credit) as kept from account_balances b group by 1, 2
         ) k full join (
           select l.tenant_id, l.account_id, sum(l.base_debit - l.base_credit) as posted from journal_lines l
           join journal_entries e on e.tenant_id = l.tenant_id and e.id = l.entry_id where e.status = 'posted' group by 1, 2
         ) p using (tenant_id, account_id) where coalesce(k.kept, 0) <> coalesce(p.posted, 0)) as balances_off`
    expect(partial).toEqual({ entries_without_lines: 0, unbalanced: 0, unnumbered_posted: 0, balances_off: 0 })
  })
})
