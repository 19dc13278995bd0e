/**
 * Route contracts: one zod schema per input, shared by the route handler (validation), the forms
 * (client-side rules) and the OpenAPI document. Every file under server/api/v1 declares its
 * contract here; a test fails for a route without one.
 */
import { z } from 'zod'

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete'
export type Audience = 'public' | 'tenant' | 'admin'

/** What a route answers instead of (or besides) JSON: report files, or a server-sent event stream. */
export const FILE_MEDIA_TYPES = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const
export type ProducedMediaType = typeof FILE_MEDIA_TYPES[keyof typeof FILE_MEDIA_TYPES] | 'text/event-stream'

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
  permission?: string
  params?: P
  query?: Q
  body?: B
  response?: z.ZodType
  /** Media types the success answer has besides JSON (or instead of it, without a `response`). */
  produces?: readonly ProducedMediaType[]
  successStatus?: number
  /** Other statuses answered with the `response` body (not the error body), with what they mean. */
  alsoAnswers?: Record<number, string>
  /** Whether the route honours `Idempotency-Key`. */
  idempotent?: boolean
  /** Error codes the route can answer with besides the ones every route of its kind has (see ERROR_STATUS). */
  errors?: string[]
}

/**
 * The HTTP status of every error code a contract may list, as the domain throws it
 * (server/domain/errors.ts); the document groups a route's codes by these. A code missing here
 * fails the OpenAPI unit test.
 */
export const ERROR_STATUS: Record<string, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503> = {
  VALIDATION_FAILED: 400, MALFORMED_JSON: 400, UNSUPPORTED_MEDIA_TYPE: 400, INVALID_IDEMPOTENCY_KEY: 400, INVALID_IF_MATCH: 400,
  INVALID_SLUG: 400, INVALID_SUBTYPE: 400, WEAK_PASSWORD: 400, RESET_TOKEN_INVALID: 400, UNKNOWN_ACCOUNT: 400, TOO_MANY_DECIMALS: 400, AMOUNT_OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401, INVALID_CREDENTIALS: 401, INVALID_REFRESH_TOKEN: 401,
  FORBIDDEN: 403, OWNER_ONLY: 403, CSRF_FAILED: 403, TENANT_SUSPENDED: 403,
  NOT_FOUND: 404, UNKNOWN_HOST: 404, TENANT_NOT_FOUND: 404, INVITATION_INVALID: 404, SIGNUP_INVALID: 404,
  CONFLICT: 409, IDEMPOTENCY_KEY_REUSED: 409, STALE_VERSION: 409, ACCOUNT_CODE_TAKEN: 409, ALREADY_MEMBER: 409, SLUG_TAKEN: 409,
  RATE_EXISTS: 409, INVITATION_ALREADY_ACCEPTED: 409, LEDGER_ALREADY_REVERSED: 409, FISCAL_YEAR_CLOSED: 409, JOB_ACTIVE: 409,
  JOB_NOT_FAILED: 409, EXPORT_NOT_READY: 409, ACCOUNT_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  BALANCE_OUT_OF_RANGE: 422, LAST_OWNER: 422, WRONG_PASSWORD: 422, REPORT_TOO_LARGE: 422, EXPORT_FAILED: 422,
  LEDGER_ACCOUNT_HAS_POSTINGS: 422, LEDGER_ACCOUNT_NOT_ZERO: 422, LEDGER_ACCOUNT_INACTIVE: 422, LEDGER_ALREADY_POSTED: 422,
  LEDGER_CURRENCY_MISMATCH: 422, LEDGER_NOT_POSTED: 422, LEDGER_PARENT_ACCOUNT: 422, LEDGER_PARENT_HAS_POSTINGS: 422,
  LEDGER_PERIOD_CLOSED: 422, LEDGER_POSTED_IMMUTABLE: 422, LEDGER_SYSTEM_ACCOUNT: 422, LEDGER_TOO_FEW_LINES: 422, LEDGER_UNBALANCED: 422,
  LEDGER_NO_RATE: 422, PERIOD_ALREADY_CLOSED: 422, PERIOD_ALREADY_OPEN: 422, PERIOD_CLOSE_ORDER: 422, PERIOD_REOPEN_ORDER: 422,
  PERIOD_HAS_DRAFTS: 422, FISCAL_YEAR_PERIODS_OPEN: 422, FISCAL_YEAR_LAST_PERIOD_CLOSED: 422,
  TOO_MANY_REQUESTS: 429, TOO_MANY_ATTEMPTS: 429,
  SERVICE_UNAVAILABLE: 503, QUEUE_UNAVAILABLE: 503,
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
