/**
 * Builds the OpenAPI 3.1 document from the route contracts: the same zod schemas the handlers
 * validate with become the parameters, request bodies and responses. Schemas named with
 * `.meta({ id })` become components (so generated clients get `Account`, not `GetApiV1…Response`),
 * every status a route can answer is listed from what its contract says it does, and every
 * operation carries examples (server/contracts/openapi/examples.ts). The document is built once and
 * is the same on every day and every request: no dates, no host.
 */
import { z } from 'zod'
import { contracts } from '..'
import { ERROR_STATUS, ErrorBody, FILE_MEDIA_TYPES, Ok, siteOf, type Contract, type Site } from '../define'
import { exampleOf, operationExamples, schemaExamples } from './examples'

type Json = Record<string, unknown>
type Io = 'input' | 'output'

const TAGS: Record<string, string> = {
  'System': 'Liveness, readiness and this document; answer on any host.',
  'Auth': 'Signing in and out on a tenant host, tokens and your own password.',
  'Users': 'The members of a tenant and their roles.',
  'Invitations': 'Invitation links e-mailed to new members.',
  'Sign-up': 'Self-service sign-up on the apex host.',
  'Ledger': 'Chart of accounts, journal entries, fiscal periods and years, exchange rates and revaluation.',
  'Reports': 'Financial statements (JSON or files), exports of any size, scheduled reports.',
  'Notifications': 'In-app notifications, listed or streamed.',
  'Settings': 'The organisation\'s name, address and how it writes dates and figures.',
  'Purchases': 'Vendors with encrypted, masked bank accounts whose changes a second person confirms.',
  'Banking': 'Bank accounts on GL cash and bank accounts (numbers encrypted, masked) and statement imports (CSV, OFX, CAMT.053) that never import a line twice.',
  'Audit': 'The tenant\'s tamper-evident audit trail.',
  'Integrations': 'The event feed: every committed change once, in order, for a follower with a cursor.',
  'Back-office': 'Platform administration on the admin host: tenants, queues, outgoing mail, health.',
}

/** Sign-in, refresh and sign-up carry no session yet: the CSRF check (server/middleware/02.auth.ts) skips them. */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/admin/auth/login', '/api/v1/signup'])
/** Answer on any host without resolving it (server/middleware/01.site.ts). */
const HOSTLESS = new Set(['/api/health', '/api/ready'])
const UNSAFE = new Set(['post', 'put', 'patch', 'delete'])

/** Which kind of host a route is served on: its contract's site (siteOf), else any site, or any host at all. */
function hostOf(c: Contract): 'any' | 'anySite' | Site {
  if (HOSTLESS.has(c.path)) return 'any'
  // Admin sign-out answers on any host (it only clears cookies) but is meant for the admin host.
  return siteOf(c) ?? (c.path.startsWith('/api/v1/admin/') ? 'admin' : 'anySite')
}

/** Every refusal a route can answer with, by status: what all routes of its kind do, plus its contract's own codes. */
export function refusals(c: Contract): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>()
  const add = (status: number, code: string) => out.set(status, (out.get(status) ?? new Set()).add(code))
  const host = hostOf(c)
  if (c.params || c.query || c.body) add(400, 'VALIDATION_FAILED')
  if (c.body) {
    add(400, 'MALFORMED_JSON')
    add(400, 'UNSUPPORTED_MEDIA_TYPE')
  }
  if (c.body || c.accepts) add(413, 'PAYLOAD_TOO_LARGE')
  if (c.idempotent) {
    add(400, 'INVALID_IDEMPOTENCY_KEY')
    add(409, 'IDEMPOTENCY_KEY_REUSED')
  }
  if (c.method === 'patch' && c.errors?.includes('STALE_VERSION')) add(400, 'INVALID_IF_MATCH')
  if (c.audience !== 'public') {
    add(401, 'UNAUTHENTICATED')
    add(429, 'TOO_MANY_REQUESTS')
  }
  if (c.permission || c.alsoRequires?.length) add(403, 'FORBIDDEN')
  if (host === 'tenant' || host === 'anySite') add(403, 'TENANT_SUSPENDED')
  if (UNSAFE.has(c.method) && (host === 'tenant' || host === 'admin') && !CSRF_EXEMPT.has(c.path)) add(403, 'CSRF_FAILED')
  if (host !== 'any') {
    add(404, 'UNKNOWN_HOST')
    if (host === 'tenant' || host === 'anySite') add(404, 'TENANT_NOT_FOUND')
  }
  if (c.params) add(404, 'NOT_FOUND')
  // A code missing from ERROR_STATUS fails the unit test; the document itself still builds.
  for (const code of c.errors ?? []) if (ERROR_STATUS[code]) add(ERROR_STATUS[code], code)
  return out
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (see `data.fields`)', 401: 'Not signed in, or the credentials are wrong', 403: 'Not allowed',
  404: 'Not found (also for another tenant\'s ids, and for unknown hosts)', 409: 'Conflict with the current state', 413: 'Request body too large', 415: 'The body is not of a media type the route takes',
  422: 'Refused by a business rule', 429: 'Too many requests; retry after `Retry-After` seconds', 503: 'A service the request needs is unavailable; nothing was changed',
}

/** Converts zod schemas to JSON Schema, collecting the named ones as components. */
class SchemaSet {
  readonly components: Record<string, Json> = {}

  convert(schema: z.ZodType, io: Io): Json {
    const { $schema: _, $defs, ...root } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, Json>)) {
      const named = relink(def)
      const known = this.components[id]
      // One name, one shape: a schema whose input and output differ must not carry an id.
      if (known && JSON.stringify(known) !== JSON.stringify(named)) throw new Error(`schema ${id} differs between its uses (input and output?)`)
      this.components[id] = named
    }
    return relink(root)
  }
}

const relink = (s: Json): Json => JSON.parse(JSON.stringify(s).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json

const ref = (name: string, kind = 'headers') => ({ $ref: `#/components/${kind}/${name}` })

function parameters(c: Contract, schemas: SchemaSet) {
  const out: Json[] = []
  for (const [where, schema] of [['path', c.params], ['query', c.query]] as const) {
    if (!schema) continue
    const s = schemas.convert(schema, 'input') as { properties?: Record<string, Json>, required?: string[] }
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const { description, ...rest } = prop
      out.push({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest })
    }
  }
  if (c.idempotent) out.push(ref('IdempotencyKey', 'parameters'))
  if (c.method === 'patch' && c.errors?.includes('STALE_VERSION')) out.push(ref('IfMatch', 'parameters'))
  return out
}

const rateHeaders = { 'RateLimit-Limit': ref('RateLimit-Limit'), 'RateLimit-Remaining': ref('RateLimit-Remaining'), 'RateLimit-Reset': ref('RateLimit-Reset') }

const FILE_KINDS: Record<string, string> = { [FILE_MEDIA_TYPES.pdf]: 'PDF', [FILE_MEDIA_TYPES.xlsx]: 'Excel workbook', 'image/png': 'PNG image', 'image/jpeg': 'JPEG image', 'application/xml': 'ISO 20022 pain.001.001.03 XML' }

/** A body that is not JSON (`accepts`): the bytes themselves, or a form with the file in `file`. */
function acceptedContent(c: Contract): Json {
  const content: Json = {}
  for (const type of c.accepts ?? []) {
    content[type] = type === 'multipart/form-data'
      ? { schema: { type: 'object', properties: { file: { type: 'string', contentMediaType: 'application/octet-stream', description: 'The file' } }, required: ['file'] } }
      : { schema: { type: 'string', contentMediaType: type, description: `The file itself (${FILE_KINDS[type]})` } }
  }
  return content
}

function successContent(c: Contract, schemas: SchemaSet, example: unknown): Json {
  const content: Json = {}
  if (c.response) content['application/json'] = { schema: schemas.convert(c.response, 'output'), example }
  for (const type of c.produces ?? []) {
    if (type === 'text/event-stream') {
      content[type] = {
        schema: { type: 'string', description: 'Server-sent events: `event: notification` lines with a Notification as JSON `data`, and comment lines as heartbeats' },
        example: 'retry: 3000\n: connected\n\nevent: notification\ndata: {"id":"5b0e8a52-3c1e-4f0b-9a55-2f7f6f1c7a10","type":"export.ready","title":"Your export is ready","body":"trial-balance.xlsx can be downloaded now","link":"/reports/exports","readAt":null,"createdAt":"2025-03-31T17:04:05.000Z"}\n\n',
      }
    }
    else if (type === FILE_MEDIA_TYPES.csv) {
      content[type] = { schema: { type: 'string' }, example: 'Code,Account,Debit,Credit\n1000,Cash,12500.00,\n4000,Sales,,12500.00\n' }
    }
    else {
      content[type] = { schema: { type: 'string', contentMediaType: type, description: `The file itself (${FILE_KINDS[type]})` } }
    }
  }
  return content
}

function operation(c: Contract, schemas: SchemaSet): Json {
  const examples = operationExamples(c)
  const status = String(c.successStatus ?? 200)
  const signedIn = c.audience !== 'public'
  const files = (c.produces ?? []).some(t => t !== 'text/event-stream')
  const responses: Json = {
    [status]: {
      description: c.successStatus === 201 ? 'Created' : c.successStatus === 202 ? 'Accepted' : 'Success',
      headers: {
        ...(signedIn ? rateHeaders : {}),
        ...(files ? { 'Content-Disposition': ref('Content-Disposition') } : {}),
      },
      content: successContent(c, schemas, examples.response),
    },
  }
  for (const [code, answer] of Object.entries(c.alsoAnswers ?? {})) {
    const description = typeof answer === 'string' ? answer : answer.description
    const body = typeof answer === 'string' ? c.response : answer.response
    // 304 Not Modified has no body.
    responses[code] = code === '304'
      ? { description }
      : { description, content: { 'application/json': { schema: body ? schemas.convert(body, 'output') : {}, ...(typeof answer === 'string' ? {} : { example: exampleOf(answer.response, 'output') }) } } }
  }
  for (const [code, codes] of [...refusals(c)].sort(([a], [b]) => a - b)) {
    const list = [...codes]
    responses[String(code)] = {
      description: `${STATUS_TEXT[code]}. Codes: ${list.map(x => `\`${x}\``).join(', ')}`,
      headers: { ...(signedIn ? rateHeaders : {}), ...(code === 429 ? { 'Retry-After': ref('Retry-After') } : {}) },
      content: { 'application/json': { schema: ref('Error', 'schemas'), example: errorExample(code, list[list.length - 1]!) } },
    }
  }
  const description = [
    c.permission ? `Requires the permission \`${c.permission}\`.` : '',
    ...(c.alsoRequires ?? []).map(r => `Also requires \`${r.permission}\` ${r.when}.`),
    c.idempotent ? 'Honours `Idempotency-Key`.' : '',
  ].filter(Boolean).join(' ')
  return {
    operationId: c.operationId,
    summary: c.summary,
    ...(description ? { description } : {}),
    tags: [c.tag],
    parameters: parameters(c, schemas),
    // JSON (`body`), a file (`accepts`), or either (a statement import: JSON `content` or a multipart `file`).
    ...(c.body || c.accepts
      ? { requestBody: { required: true, content: { ...(c.body ? { 'application/json': { schema: schemas.convert(c.body, 'input'), example: examples.request } } : {}), ...(c.accepts ? acceptedContent(c) : {}) } } }
      : {}),
    responses,
    security: c.audience === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
  }
}

function errorExample(status: number, code: string) {
  const message = { 400: 'Invalid request body', 401: 'Authentication required', 403: 'You are not allowed to do this', 404: 'Not found', 409: 'The record was changed by someone else; reload and try again', 413: 'Request body is larger than 1048576 bytes', 422: 'Refused by a business rule', 429: 'Rate limit exceeded: 600 requests per minute', 503: 'The job queue is unavailable; try again shortly' }[status] ?? 'Refused'
  return { statusCode: status, statusMessage: message, message, data: { code, ...(status === 400 ? { fields: { memo: 'is required' } } : {}) } }
}

let cached: Json | undefined

/** The document, built once per process. */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument()
  return cached
}

export function buildOpenApiDocument(): Json {
  const schemas = new SchemaSet()
  schemas.convert(ErrorBody, 'output')
  schemas.convert(Ok, 'output')
  const paths: Record<string, Record<string, Json>> = {}
  for (const c of contracts) (paths[c.path] ??= {})[c.method] = operation(c, schemas)
  for (const [id, example] of Object.entries(schemaExamples)) {
    if (schemas.components[id]) schemas.components[id].examples = [example]
  }
  const tags = [...new Set(contracts.map(c => c.tag))]
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paksa Financial API',
      version: '1.0.0',
      description: 'Tenant routes answer on the tenant\'s host (`<slug>.<base domain>`), back-office routes on `admin.<base domain>`, sign-up on the base domain itself. Money is a decimal string; errors are `{statusCode, statusMessage, message, data: {code, fields?}}`. Signed-in requests are limited to 600 a minute per user, announced in `RateLimit-*` headers.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The host you are talking to: your organisation\'s host for tenant routes, the admin host for back-office routes' }],
    tags: tags.map(name => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: {
      schemas: schemas.components,
      parameters: {
        IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: 'Replays the first response for 24 h; the same key with another body is 409 `IDEMPOTENCY_KEY_REUSED`.', schema: { type: 'string', minLength: 1, maxLength: 255 }, example: '7f9c2b1e-invoice-2025-0042' },
        IfMatch: { name: 'If-Match', in: 'header', required: false, description: 'The ETag the resource was read with (its version), when the body carries no `version`; stale is 409 `STALE_VERSION`.', schema: { type: 'string' }, example: '"3"' },
      },
      headers: {
        'RateLimit-Limit': { description: 'Requests allowed in the current window (one minute)', schema: { type: 'integer' }, example: 600 },
        'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' }, example: 599 },
        'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' }, example: 42 },
        'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' }, example: 60 },
        'Content-Disposition': { description: 'The file\'s name, as an attachment', schema: { type: 'string' }, example: 'attachment; filename="trial-balance.xlsx"' },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token from sign-in' },
        cookie: { type: 'apiKey', in: 'cookie', name: '__Host-paksa_at', description: 'The browser session; unsafe methods also need `X-CSRF-Token`' },
      },
    },
  }
}
