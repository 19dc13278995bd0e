/**
 * Route contracts: one zod schema per input, shared by the route handler (validation), the forms
 * (client-side rules) and the OpenAPI document. Every file under server/api/v1 declares its
 * contract here; a test fails for a route without one.
 */
import { z } from 'zod'

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete'
export type Audience = 'public' | 'tenant' | 'admin'

export interface Contract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod
  /** OpenAPI path, e.g. `/api/v1/users/{id}`. */
  path: string
  summary: string
  tag: string
  audience: Audience
  permission?: string
  params?: P
  query?: Q
  body?: B
  response?: z.ZodType
  successStatus?: number
  /** Whether the route honours `Idempotency-Key`. */
  idempotent?: boolean
  /** Error codes the route can answer with, for the document. */
  errors?: string[]
}

/** Keeps the exact schema types of a contract, so handlers get typed params, query and body. */
export function defineContract<const C extends Contract>(c: C): C {
  return c
}

export const Uuid = z.uuid({ message: 'must be a UUID' })
export const IdParams = z.object({ id: Uuid })

/** `?page=1&pageSize=50&sort=field:asc&q=text` for every list. */
export function listQuery<F extends string>(sortFields: readonly [F, ...F[]]) {
  return z.object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    q: z.string().trim().max(200).optional(),
    sort: z.string().regex(new RegExp(`^(${sortFields.join('|')}):(asc|desc)$`), `must be field:asc|desc with field one of ${sortFields.join(', ')}`)
      .transform((s) => {
        const [field, dir] = s.split(':') as [F, 'asc' | 'desc']
        return { field, dir }
      }).optional(),
  })
}

export function listResponse<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() })
}

export const ErrorBody = z.object({
  statusCode: z.number().int(),
  statusMessage: z.string(),
  data: z.object({ code: z.string(), fields: z.record(z.string(), z.string()).optional() }),
})

export const Email = z.email({ message: 'must be an e-mail address' }).max(254).transform(s => s.toLowerCase())
export const Timestamp = z.iso.datetime()
