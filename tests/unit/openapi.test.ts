import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { contracts } from '../../server/contracts'
import { siteOf, type Contract } from '../../server/contracts/define'
import { ERROR_STATUS, FILE_MEDIA_TYPES } from '../../server/contracts/define'
import { buildOpenApiDocument, openApiDocument } from '../../server/contracts/openapi/document'
import { operationExamples } from '../../server/contracts/openapi/examples'

const API_DIR = resolve(import.meta.dirname, '../../server/api')
const ROOT = resolve(API_DIR, '../..')
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** Routes that are not part of the API document, each with its reason. */
const NOT_IN_DOCUMENT = new Set(['get /api/docs']) // the HTML reference page rendered from the document itself

interface Route { method: string, path: string, file: string }

function handlerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? handlerFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [])
}

/** Nitro's file routing: `index` is its folder, `[id]` a parameter, `.get.ts` the method. */
function routeOf(file: string): Route {
  const rel = relative(API_DIR, file).split('\\').join('/').replace(/\.ts$/, '')
  const m = /^(.*)\.(get|post|put|patch|delete)$/.exec(rel)
  if (!m) throw new Error(`${rel}.ts has no method suffix, so it answers every method; give it one`)
  const segments = m[1]!.split('/').filter(s => s !== 'index').map(s => s.replace(/^\[(\w+)\]$/, '{$1}'))
  return { method: m[2]!, path: `/api/${segments.join('/')}`.replace(/\/$/, ''), file: relative(resolve(API_DIR, '../..'), file) }
}

interface Media { schema: JsonSchema, example?: unknown }
interface Response { description: string, headers?: Record<string, unknown>, content?: Record<string, Media> }
interface Operation { operationId: string, summary?: string, tags: string[], responses?: Record<string, Response>, requestBody?: { content: Record<string, Media> }, parameters?: { name: string, in: string, required: boolean }[] }
interface JsonSchema { $ref?: string, type?: string, properties?: Record<string, JsonSchema>, required?: string[], items?: JsonSchema, enum?: string[], additionalProperties?: unknown, examples?: unknown[] }
const doc = openApiDocument() as { openapi: string, servers: { url: string }[], tags: { name: string, description: string }[], paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, JsonSchema>, parameters: Record<string, unknown> } }
/** A named schema's definition, for a `$ref` to one. */
const named = (s: JsonSchema) => s.$ref ? doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]! : s
const routes = handlerFiles(API_DIR).map(routeOf)
const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })))

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toMatch(/^3\.1\./)
  })

  it('finds the route files (the enumeration itself works)', () => {
    expect(routes.length).toBeGreaterThan(15)
    expect(routes).toContainEqual(expect.objectContaining({ method: 'get', path: '/api/v1/admin/tenants' }))
    expect(routes).toContainEqual(expect.objectContaining({ method: 'patch', path: '/api/v1/users/{id}' }))
    expect(routes).toContainEqual(expect.objectContaining({ method: 'get', path: '/api/v1/me' }))
    expect(routes).toContainEqual(expect.objectContaining({ method: 'get', path: '/api/v1/openapi.json' }))
  })

  it('has an operation for every route handler under server/api', () => {
    const missing = routes
      .filter(r => !NOT_IN_DOCUMENT.has(`${r.method} ${r.path}`))
      .filter(r => !doc.paths[r.path]?.[r.method])
      .map(r => `${r.method.toUpperCase()} ${r.path} (${r.file})`)
    expect(missing).toEqual([])
  })

  it('leaves out only the HTML reference page, which does exist', () => {
    for (const key of NOT_IN_DOCUMENT) {
      const [method, path] = key.split(' ')
      expect(routes).toContainEqual(expect.objectContaining({ method, path }))
      expect(doc.paths[path!]?.[method!]).toBeUndefined()
    }
  })

  it('documents no operation that has no route handler', () => {
    const known = new Set(routes.map(r => `${r.method} ${r.path}`))
    expect(operations.map(o => `${o.method} ${o.path}`).filter(k => !known.has(k))).toEqual([])
  })

  it('gives every operation a summary and responses', () => {
    for (const { method, path, op } of operations) {
      expect(METHODS, `${method} ${path}`).toContain(method)
      expect(op.summary, `${method} ${path} summary`).toBeTruthy()
      expect(Object.keys(op.responses ?? {}).length, `${method} ${path} responses`).toBeGreaterThan(0)
    }
  })

  it('declares every path parameter', () => {
    for (const { method, path, op } of operations) {
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        expect(op.parameters, `${method} ${path}`).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }))
      }
    }
  })

  it('takes request bodies from the zod schemas the routes validate with', () => {
    const body = named(doc.paths['/api/v1/users']!.post!.requestBody!.content['application/json']!.schema)
    expect(body.type).toBe('object')
    expect(Object.keys(body.properties!)).toEqual(expect.arrayContaining(['email', 'name', 'roles']))
    expect(body.required).toEqual(expect.arrayContaining(['email', 'roles']))
    expect(body.required).not.toContain('name')
    expect(body.properties!.roles!.type).toBe('array')
    expect(body.properties!.roles!.items!.enum).toEqual(expect.arrayContaining(['owner', 'viewer', 'auditor']))
    expect(body.additionalProperties).toBe(false)

    const tenant = named(doc.paths['/api/v1/admin/tenants']!.post!.requestBody!.content['application/json']!.schema)
    expect(Object.keys(tenant.properties!)).toEqual(expect.arrayContaining(['slug', 'name', 'baseCurrency', 'fiscalYearStartMonth', 'chartOfAccounts', 'owner']))
    expect(tenant.properties!.chartOfAccounts!.enum).toEqual(['standard', 'none'])
  })

  it('answers 201 for creations and documents the Idempotency-Key where it is honoured', () => {
    const create = doc.paths['/api/v1/users']!.post!
    expect(Object.keys(create.responses!)).toContain('201')
    expect(create.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' })
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' })
  })

  it('describes the error shape once, as the error handler writes it, and refers to it from every refusal', () => {
    const error = doc.components.schemas.Error!
    expect(Object.keys(error.properties!)).toEqual(['statusCode', 'statusMessage', 'message', 'data'])
    for (const { method, path, op } of operations) {
      for (const [status, response] of Object.entries(op.responses!).filter(([s]) => Number(s) >= 400 && !(path === '/api/ready' && s === '503'))) {
        expect(response.content!['application/json']!.schema, `${method} ${path} ${status}`).toEqual({ $ref: '#/components/schemas/Error' })
      }
    }
    const get = doc.paths['/api/v1/users/{id}']!.get!
    expect(Object.keys(get.responses!)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '429']))
  })
})

describe('the document as an integrator generating a client sees it', () => {
  it('names every operation with a unique verb-first id', () => {
    const ids = operations.map(o => o.op.operationId)
    expect(ids.filter(id => !id)).toEqual([])
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
    const verbs = /^(list|get|create|update|delete|remove|post|reverse|close|reopen|revalue|download|stream|mark|retry|verify|check|login|logout|refresh|change|resend|accept|request|confirm|sign|complete|issue|void|send|submit|approve|reject|cancel)[A-Z]?/
    expect(ids.filter(id => !verbs.test(id))).toEqual([])
    expect(doc.paths['/api/v1/accounts']!.get!.operationId).toBe('listAccounts')
    expect(doc.paths['/api/v1/journal-entries/{id}/reverse']!.post!.operationId).toBe('reverseJournalEntry')
    expect(doc.paths['/api/v1/exports/{id}/download']!.get!.operationId).toBe('downloadExport')
  })

  it('names the resources\' schemas and refers to them', () => {
    for (const name of ['Account', 'JournalEntry', 'JournalEntryLine', 'FiscalPeriod', 'FiscalYear', 'ExchangeRate', 'TrialBalance', 'Export', 'ReportSchedule', 'Notification', 'User', 'Tenant', 'Session', 'Me']) {
      expect(doc.components.schemas, name).toHaveProperty(name)
    }
    const json = (path: string, method: string, status = '200') => doc.paths[path]![method]!.responses![status]!.content!['application/json']!.schema
    expect(json('/api/v1/accounts/{id}', 'get')).toEqual({ $ref: '#/components/schemas/Account' })
    expect(json('/api/v1/accounts', 'get').properties!.data!.items).toEqual({ $ref: '#/components/schemas/Account' })
    expect(json('/api/v1/journal-entries', 'post', '201')).toEqual({ $ref: '#/components/schemas/JournalEntry' })
    expect(doc.components.schemas.JournalEntry!.properties!.lines!.items).toEqual({ $ref: '#/components/schemas/JournalEntryLine' })
    expect(doc.paths['/api/v1/journal-entries']!.post!.requestBody!.content['application/json']!.schema).toEqual({ $ref: '#/components/schemas/CreateJournalEntry' })
  })

  it('gives report files, export downloads and the event stream their real media types', () => {
    const success = (path: string) => Object.keys(doc.paths[path]!.get!.responses!['200']!.content!)
    for (const report of ['trial-balance', 'balance-sheet', 'income-statement', 'cash-flow', 'general-ledger']) {
      expect(success(`/api/v1/reports/${report}`)).toEqual(['application/json', 'text/csv', FILE_MEDIA_TYPES.xlsx, 'application/pdf'])
    }
    expect(success('/api/v1/exports/{id}/download')).toEqual(['text/csv', FILE_MEDIA_TYPES.xlsx, 'application/pdf'])
    expect(doc.paths['/api/v1/exports/{id}/download']!.get!.responses!['200']!.content!['application/pdf']!.schema).toMatchObject({ type: 'string', contentMediaType: 'application/pdf' })
    expect(success('/api/v1/notifications/stream')).toEqual(['text/event-stream'])
  })

  it('lists the statuses each kind of route answers with', () => {
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]![method]!.responses!)
    // Wrong credentials are a 401, throttled sign-in a 429.
    expect(statuses('/api/v1/auth/login', 'post')).toEqual(expect.arrayContaining(['200', '400', '401', '413', '429']))
    expect(statuses('/api/v1/admin/auth/login', 'post')).toEqual(expect.arrayContaining(['401', '429']))
    // Idempotent creation: a reused key is 409; a body can be too large; rules refuse with 422.
    expect(statuses('/api/v1/journal-entries', 'post')).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '422', '429']))
    expect(statuses('/api/v1/accounts/{id}', 'patch')).toEqual(expect.arrayContaining(['404', '409', '422']))
    expect(statuses('/api/v1/exports', 'post')).toContain('503')
    expect(statuses('/api/health', 'get')).toEqual(['200'])
    expect(statuses('/api/ready', 'get')).toEqual(['200', '503'])
    const reused = doc.paths['/api/v1/journal-entries']!.post!.responses!['409']!
    expect(reused.description).toContain('IDEMPOTENCY_KEY_REUSED')
  })

  it('knows the status of every error code a contract lists', () => {
    const unknown = contracts.flatMap(c => (c.errors ?? []).filter(code => !ERROR_STATUS[code]).map(code => `${c.operationId}: ${code}`))
    expect(unknown).toEqual([])
  })

  it('knows the status of every error code the server and the worker raise (one status per code, whichever layer)', () => {
    const root = resolve(API_DIR, '../..')
    const sources = [...handlerFiles(resolve(root, 'server')), ...handlerFiles(resolve(root, 'workers'))]
    // `new XError(…, 'CODE')` and `fail(status, 'CODE', …)`; the database's codes: tests/db/catalogue.test.ts.
    const raised = new Set(sources.flatMap(f => readFileSync(f, 'utf8').split('\n')
      .filter(line => /(Error\(|\bfail\()/.test(line))
      .flatMap(line => [...line.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{5,})'/g)].map(m => m[1]!))))
    expect(raised.size).toBeGreaterThan(40)
    // INTERNAL is the 500 answered for a bug (server/utils/errors.ts), not a refusal with a status of its own.
    expect([...raised].filter(code => code !== 'INTERNAL' && !ERROR_STATUS[code])).toEqual([])
  })

  it('documents the RateLimit-* headers on signed-in answers and Retry-After on 429s', () => {
    const op = doc.paths['/api/v1/accounts']!.get!
    expect(Object.keys(op.responses!['200']!.headers!)).toEqual(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'])
    expect(Object.keys(op.responses!['429']!.headers!)).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit-Reset']))
  })

  it('declares its servers and every tag its operations use, with descriptions', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })])
    const declared = new Set(doc.tags.map(t => t.name))
    expect(operations.flatMap(o => o.op.tags).filter(t => !declared.has(t))).toEqual([])
    expect(doc.tags.filter(t => !t.description)).toEqual([])
  })

  it('gives every operation examples that its own schemas accept', () => {
    const problems: string[] = []
    for (const c of contracts) {
      const op = doc.paths[c.path]![c.method]!
      const success = op.responses![String(c.successStatus ?? 200)]!
      for (const [type, media] of Object.entries(success.content!)) {
        if (type.startsWith('application/json') || type.startsWith('text/')) {
          if (media.example === undefined) problems.push(`${c.operationId}: no ${type} response example`)
        }
      }
      const examples = operationExamples(c)
      const check = (schema: z.ZodType | undefined, example: unknown, what: string) => {
        if (!schema) return
        const parsed = schema.safeParse(example)
        if (!parsed.success) problems.push(`${c.operationId}: ${what} example does not match: ${parsed.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}`)
      }
      check(c.response, examples.response, 'response')
      if (c.body) {
        if (op.requestBody!.content['application/json']!.example === undefined) problems.push(`${c.operationId}: no request example`)
        check(c.body, examples.request, 'request')
      }
    }
    expect(problems).toEqual([])
  })

  it('is the same document on every build and every day (no dates baked in)', () => {
    const json = JSON.stringify(buildOpenApiDocument())
    expect(json).toBe(JSON.stringify(buildOpenApiDocument()))
    expect(json).toBe(JSON.stringify(doc))
    const today = new Date().toISOString().slice(0, 10)
    expect(json).not.toContain(today)
    expect(json).not.toMatch(/"default":"\d{4}-\d{2}-\d{2}"/)
  })
})

/** What a handler must not do itself when its contract declares it (defineApiHandler enforces it from there). */
function restatements(c: Contract, source: string): string[] {
  const found: string[] = []
  const calls = (name: string) => new RegExp(`\\b${name}\\(`).test(source)
  if (c.permission && calls('requirePermission')) found.push(`requirePermission (the contract says ${c.permission})`)
  if (c.alsoRequires?.length && calls('hasPermission')) found.push('hasPermission (the contract\'s alsoRequires says it)')
  if (c.audience === 'tenant' && calls('requireUser')) found.push('requireUser (the audience is tenant)')
  if (c.audience === 'admin' && calls('requireAdmin')) found.push('requireAdmin (the audience is admin)')
  if (siteOf(c) && (calls('requireTenant') || calls('requireSite') || /context\.site\?\.kind/.test(source))) found.push(`a host check (the site is ${siteOf(c)})`)
  if (calls('setResponseStatus') || /\{\s*status:\s*\d{3}\s*\}/.test(source)) found.push(`its own success status (the contract's is ${c.successStatus ?? 200})`)
  if (calls('withTenant') || calls('tenantWrite')) found.push('its own transaction (use the route\'s read/write)')
  return found
}

/** A handler file's source, followed by that of the route factory it is made by (`utils/*-route.ts`), if any. */
function handlerSource(file: string): string {
  const source = readFileSync(resolve(ROOT, file), 'utf8')
  const factories = [...source.matchAll(/from '((?:\.\.\/)+utils\/[\w-]+-route)'/g)]
    .map(m => readFileSync(resolve(ROOT, dirname(file), `${m[1]}.ts`), 'utf8'))
  return [source, ...factories].join('\n')
}

describe('route handlers take what their contract declares from it', () => {
  const byRoute = new Map(contracts.map(c => [`${c.method} ${c.path}`, c]))
  const handlers = routes.filter(r => r.file.startsWith('server/api/v1/')).map(r => ({ ...r, contract: byRoute.get(`${r.method} ${r.path}`) }))

  it('finds a contract for every handler under server/api/v1', () => {
    expect(handlers.length).toBeGreaterThan(50)
    expect(handlers.filter(h => !h.contract).map(h => h.file)).toEqual([])
  })

  it('catches a handler restating its contract (the check itself works)', () => {
    const contract = byRoute.get('post /api/v1/journal-entries')!
    expect(restatements(contract, 'const { tenant } = requirePermission(event, \'ledger:write\')\nreturn tenantWrite(event, work, { status: 201 })'))
      .toEqual([expect.stringContaining('requirePermission'), expect.stringContaining('success status'), expect.stringContaining('transaction')])
    expect(restatements(byRoute.get('post /api/v1/signup')!, 'if (event.context.site?.kind !== \'apex\') fail(404)')).toHaveLength(1)
  })

  it('does not call requirePermission, requireUser, requireAdmin, host checks or setResponseStatus for what the contract declares', () => {
    const offences = handlers.filter(h => h.contract).flatMap(h =>
      restatements(h.contract!, handlerSource(h.file)).map(what => `${h.file}: ${what}`))
    expect(offences).toEqual([])
  })

  it('reads the route factory a handler is made by (the report routes\' defineReportRoute) with it', () => {
    const source = handlerSource('server/api/v1/reports/trial-balance.get.ts')
    expect(source).toContain('export function defineReportRoute')
  })

  it('documents input-dependent permissions: creating a posted entry needs ledger:post too', () => {
    const create = doc.paths['/api/v1/journal-entries']!.post! as Operation & { description?: string }
    expect(create.description).toContain('`ledger:write`')
    expect(create.description).toContain('Also requires `ledger:post` with `post: true`')
    expect(Object.keys(create.responses!)).toContain('403')
  })

  it('documents both permissions of a report route: its JSON one, and the one a file needs too', () => {
    for (const report of ['trial-balance', 'balance-sheet', 'income-statement', 'cash-flow', 'general-ledger']) {
      const op = doc.paths[`/api/v1/reports/${report}`]!.get! as Operation & { description?: string }
      expect(op.description, report).toBe('Requires the permission `reports:read`. Also requires `reports:export` for a file (`format=csv|xlsx|pdf`).')
    }
  })
})
