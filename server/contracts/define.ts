/**
 * Route contracts: one zod schema per input, shared by the route handler (validation), the forms
 * (client-side rules) and the OpenAPI document. Every file under server/api/v1 declares its
 * contract here; a test fails for a route without one.
 */
import { z } from 'zod'
import type { Permission } from '../domain/identity/rbac'

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete'
/**
 * Who may call a route, enforced by defineApiHandler (server/utils/api.ts) before the handler runs:
 * `tenant` a signed-in member on a tenant host (with `permission` when set), `admin` a signed-in
 * platform admin on the admin host, `public` anyone (on the host `site` names, if any).
 */
export type Audience = 'public' | 'tenant' | 'admin'
/** The kind of host a public route is served on; any other host answers 404 NOT_FOUND. */
export type Site = 'tenant' | 'apex' | 'admin'

/** The route's contract as an input check sees it: the validated params, query and body. */
export interface ValidatedInput { params?: unknown, query?: unknown, body?: unknown }

/**
 * A permission the input adds to the route's own, e.g. creating an entry with `post: true` also
 * needs `ledger:post`. Checked after validation (403 FORBIDDEN) and listed in the document.
 */
export interface InputPermission {
  permission: Permission
  /** When it applies, for people: e.g. "with `post: true`". */
  when: string
  applies: (input: ValidatedInput) => boolean
}

/** What a route answers instead of (or besides) JSON: report files, or a server-sent event stream. */
export const FILE_MEDIA_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const
/** `application/xml`: a payment run's ISO 20022 pain.001 bank file. */
export type ProducedMediaType = typeof FILE_MEDIA_TYPES[keyof typeof FILE_MEDIA_TYPES] | 'text/event-stream' | 'application/xml' | ImageMediaType
/** Images a route answers with or takes (the organisation's logo). */
export type ImageMediaType = 'image/png' | 'image/jpeg'
/** What a request body may be instead of JSON, read by the handler itself (the logo upload, bill attachments). */
export type AcceptedMediaType = ImageMediaType | 'application/pdf' | 'multipart/form-data'

export interface Contract<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod
  /** OpenAPI path, e.g. `/api/v1/users/{id}`. */
  path: string
  /** The operation's name in generated clients: a verb and the resource, e.g. `listAccounts`; unique. */
  operationId: string
  summary: string
  tag: string
  audience: Audience
  /** For `tenant` routes: the permission every call needs (403 FORBIDDEN without it). */
  permission?: Permission
  /** For `tenant` routes: permissions that depend on the input. */
  alsoRequires?: readonly InputPermission[]
  /** For `public` routes: the host that serves it (tenant routes are on tenant hosts, admin routes on the admin host). */
  site?: Site
  params?: P
  query?: Q
  body?: B
  response?: z.ZodType
  /** Media types the success answer has besides JSON (or instead of it, without a `response`). */
  produces?: readonly ProducedMediaType[]
  /** A body that is not JSON: its media types, for a handler that reads the bytes itself (no `body` schema). */
  accepts?: readonly AcceptedMediaType[]
  /** The status of a success (200 when left out); set by defineApiHandler, replayed by the idempotency record. */
  successStatus?: number
  /**
   * Other statuses answered with the `response` body (not the error body), with what they mean; or
   * with a body of their own (a statement import handed to the worker: 202 with the job).
   */
  alsoAnswers?: Record<number, string | { description: string, response: z.ZodType }>
  /** Whether the route honours `Idempotency-Key`. */
  idempotent?: boolean
  /** Error codes the route can answer with besides the ones every route of its kind has (see ERROR_STATUS). */
  errors?: string[]
}

/** The status of every error code (server/domain/errors.ts): contracts list codes, the document groups them by it. */
export { ERROR_STATUS } from '../domain/errors'

/** The host a route is served on: tenant routes on tenant hosts, admin routes on the admin host, public ones where `site` says. */
export function siteOf(contract: Contract): Site | undefined {
  return contract.audience === 'tenant' ? 'tenant' : contract.audience === 'admin' ? 'admin' : contract.site
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

/** A page of a list; the page figures carry examples so every list's example builds itself. */
export function listResponse<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    page: z.number().int().meta({ examples: [1] }),
    pageSize: z.number().int().meta({ examples: [50] }),
    total: z.number().int().meta({ examples: [1] }),
  })
}

export const Ok = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' })

/** The body of every refusal (server/utils/errors.ts builds it). */
export const ErrorBody = z.object({
  statusCode: z.number().int().meta({ description: 'The HTTP status again' }),
  statusMessage: z.string().meta({ description: 'A sentence for people; may change' }),
  message: z.string().meta({ description: 'The same sentence as statusMessage' }),
  data: z.object({
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. `STALE_VERSION`' }),
    fields: z.record(z.string(), z.string()).optional().meta({ description: 'Per-field problems for 400s, keyed by the field\'s dotted path' }),
  }),
}).meta({ id: 'Error' })

export const Email = z.email({ message: 'must be an e-mail address' }).max(254).transform(s => s.toLowerCase())
export const Timestamp = z.iso.datetime()
/** A phone number as people write it: digits, spaces and + ( ) . / -. */
export const Phone = z.string().trim().regex(/^[+()0-9 ./-]{3,40}$/, 'must be a phone number (digits, spaces and + ( ) . / -)')
