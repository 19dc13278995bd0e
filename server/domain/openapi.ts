/**
 * Builds the OpenAPI 3.1 document from the route contracts: the same zod schemas the handlers
 * validate with become the parameters, request bodies and responses.
 */
import { z } from 'zod'
import { contracts } from '../contracts'
import { ErrorBody, type Contract } from '../contracts/define'

const json = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>

function parameters(c: Contract) {
  const out: object[] = []
  for (const [where, schema] of [['path', c.params], ['query', c.query]] as const) {
    if (!schema) continue
    const s = json(schema, 'input') as { properties?: Record<string, object>, required?: string[] }
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (s.required ?? []).includes(name), schema: prop })
    }
  }
  if (c.idempotent) out.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Replays the first response for 24 h; another body with the same key is 409.' })
  return out
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } })

function operation(c: Contract) {
  const status = String(c.successStatus ?? 200)
  const responses: Record<string, object> = {
    [status]: { description: 'Success', content: { 'application/json': { schema: c.response ? json(c.response, 'output') : {} } } },
  }
  if (c.body || c.query || c.params) responses['400'] = errorResponse('Invalid input (see data.fields)')
  if (c.audience !== 'public') responses['401'] = errorResponse('Not authenticated')
  if (c.permission) responses['403'] = errorResponse(`Requires ${c.permission}`)
  if (c.params) responses['404'] = errorResponse('Not found (also for another tenant\'s ids)')
  if (c.errors?.length) responses['422'] = errorResponse(`Refused; codes: ${c.errors.join(', ')}`)
  return {
    operationId: `${c.method}${c.path.replace(/[{}]/g, '').split(/[/-]/).map(p => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`,
    summary: c.summary,
    tags: [c.tag],
    ...(c.permission ? { description: `Permission: \`${c.permission}\`` } : {}),
    parameters: parameters(c),
    ...(c.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(c.body, 'input') } } } } : {}),
    responses,
    security: c.audience === 'public' ? [] : [{ bearer: [] }, { cookie: [] }],
  }
}

let cached: object | undefined

export function openApiDocument(): object {
  if (cached) return cached
  const paths: Record<string, Record<string, object>> = {}
  for (const c of contracts) (paths[c.path] ??= {})[c.method] = operation(c)
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Paksa Financial API',
      version: '1.0.0',
      description: 'Tenant routes answer on the tenant\'s host (`<slug>.<base domain>`), back-office routes on `admin.<base domain>`. Money is a decimal string; errors are `{statusCode, statusMessage, data: {code, fields?}}`.',
    },
    paths,
    components: {
      schemas: { Error: json(ErrorBody, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: '__Host-paksa_at' },
      },
    },
  }
  return cached
}
