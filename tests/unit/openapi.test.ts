import { readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openApiDocument } from '../../server/domain/openapi'

const API_DIR = resolve(import.meta.dirname, '../../server/api')
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

interface Operation { summary?: string, responses?: Record<string, unknown>, requestBody?: { content: Record<string, { schema: JsonSchema }> }, parameters?: { name: string, in: string, required: boolean }[] }
interface JsonSchema { type?: string, properties?: Record<string, JsonSchema>, required?: string[], items?: JsonSchema, enum?: string[], additionalProperties?: unknown }
const doc = openApiDocument() as { openapi: string, paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, JsonSchema> } }
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
    const body = doc.paths['/api/v1/users']!.post!.requestBody!.content['application/json']!.schema
    expect(body.type).toBe('object')
    expect(Object.keys(body.properties!)).toEqual(expect.arrayContaining(['email', 'name', 'password', 'roles']))
    expect(body.required).toEqual(expect.arrayContaining(['email', 'name', 'roles']))
    expect(body.required).not.toContain('password')
    expect(body.properties!.roles!.type).toBe('array')
    expect(body.properties!.roles!.items!.enum).toEqual(expect.arrayContaining(['owner', 'viewer', 'auditor']))
    expect(body.additionalProperties).toBe(false)

    const tenant = doc.paths['/api/v1/admin/tenants']!.post!.requestBody!.content['application/json']!.schema
    expect(Object.keys(tenant.properties!)).toEqual(expect.arrayContaining(['slug', 'name', 'baseCurrency', 'fiscalYearStartMonth', 'chartOfAccounts', 'owner']))
    expect(tenant.properties!.chartOfAccounts!.enum).toEqual(['standard', 'none'])
  })

  it('answers 201 for creations and documents the Idempotency-Key where it is honoured', () => {
    const create = doc.paths['/api/v1/users']!.post!
    expect(Object.keys(create.responses!)).toContain('201')
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }))
  })

  it('describes the error shape once and refers to it', () => {
    const error = doc.components.schemas.Error!
    expect(Object.keys(error.properties!)).toEqual(expect.arrayContaining(['statusCode', 'statusMessage', 'data']))
    const get = doc.paths['/api/v1/users/{id}']!.get!
    expect(Object.keys(get.responses!)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']))
  })
})
