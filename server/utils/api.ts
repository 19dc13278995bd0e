import { defineEventHandler, getQuery, getRequestHeader, getRouterParams, setResponseStatus, type H3Event } from 'h3'
import type { z } from 'zod'
import { siteOf, type Contract } from '../contracts/define'
import type { Actor } from '../domain/audit/audit'
import { DomainError, ForbiddenError, PayloadTooLargeError, ValidationError } from '../domain/errors'
import { hasPermission } from '../domain/identity/rbac'
import type { Principal } from '../domain/identity/sessions'
import type { PlatformAdmin } from '../domain/platform/admins'
import type { SiteTenant } from '../types'
import { toHttpError } from './errors'
import { BILL_ATTACHMENT_MAX_BYTES, MULTIPART_SLACK_BYTES } from '../../shared/purchases/attachments'
import { BANK_IMPORT_MAX_BYTES } from '../contracts/bank'
import { actorOf, requireAdmin, requirePermission, requireSite, requireTenant, requireUser } from './guards'
import { platformUnit, tenantUnit, type PlatformUnit, type TenantUnit } from './tenant-write'

type Out<C, K extends string> = C extends { [k in K]: infer S } ? S extends z.ZodType ? z.output<S> : undefined : undefined
export interface ApiInput<C extends Contract> { params: Out<C, 'params'>, query: Out<C, 'query'>, body: Out<C, 'body'> }

/** What every handler gets besides its input: who is acting, with the request facts audit events record. */
export interface RouteBase { actor: Actor & { roles: readonly string[] } }
/** A signed-in member's route: the member, their tenant, and the tenant's transactions (server/utils/tenant-write.ts). */
export interface MemberRoute extends RouteBase, TenantUnit { principal: Principal, tenant: Principal['tenant'] }
/** A public route on a tenant host: the tenant, and its transactions. */
export interface TenantSiteRoute extends RouteBase, TenantUnit { tenant: SiteTenant }
/** A back-office route: the admin, and the platform's transactions. */
export interface AdminRoute extends RouteBase, PlatformUnit { admin: PlatformAdmin }
/** A public route on the apex or admin host (sign-up, back-office sign-in): the platform's transactions. */
export interface PlatformSiteRoute extends RouteBase, PlatformUnit {}

/** What the contract's audience (and site) give the handler, checked before it runs. */
export type RouteAccess<C extends Contract>
  = C extends { audience: 'tenant' } ? MemberRoute
    : C extends { audience: 'admin' } ? AdminRoute
      : C extends { site: 'tenant' } ? TenantSiteRoute
        : C extends { site: 'apex' | 'admin' } ? PlatformSiteRoute
          : RouteBase

function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_'
    fields[path] ??= issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message
  }
  return fields
}

/** Nesting deeper than any contract needs; deeper input is refused before anything walks it recursively. */
export const MAX_INPUT_DEPTH = 32
/** Bodies are read by counted bytes (Content-Length or chunked alike); more is 413. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * The upload routes that take more than MAX_BODY_BYTES: their limit and the code of the 413
 * (the request middleware refuses a declared Content-Length over it, readLimited a longer body).
 */
const UPLOAD_LIMITS: { method: string, path: RegExp, bytes: number, code: string }[] = [
  { method: 'POST', path: /^\/api\/v1\/bills\/[^/]+\/attachments\/?(\?.*)?$/, bytes: BILL_ATTACHMENT_MAX_BYTES + MULTIPART_SLACK_BYTES, code: 'ATTACHMENT_TOO_LARGE' },
  // Bank statements: JSON `content` or a multipart `file` (SPEC §5: bodies up to 20 MiB).
  { method: 'POST', path: /^\/api\/v1\/bank-accounts\/[^/]+\/imports(\/preview)?\/?(\?.*)?$/, bytes: BANK_IMPORT_MAX_BYTES + MULTIPART_SLACK_BYTES, code: 'IMPORT_TOO_LARGE' },
]
export function uploadLimit(event: H3Event): { bytes: number, code: string } | undefined {
  return UPLOAD_LIMITS.find(l => l.method === event.method && l.path.test(event.path))
}

/**
 * What no route can take, wherever it sits in params, query or body: nesting deeper than
 * MAX_INPUT_DEPTH, U+0000 (PostgreSQL text cannot store it), an unpaired UTF-16 surrogate (not
 * text: it cannot be stored or sent on as UTF-8) and `__proto__` keys. Refused with the field's
 * path, never replaced, so what is stored is exactly what was sent. The walk is iterative: a body
 * nested 8,000 levels deep is a 400, not a stack overflow.
 */
export function inputProblem(value: unknown): { path: string, message: string } | undefined {
  const stack: { value: unknown, path: string[] }[] = [{ value, path: [] }]
  while (stack.length) {
    const { value: v, path } = stack.pop()!
    const at = () => path.join('.') || '_'
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path: at(), message: 'must not contain NUL characters' }
      if (!v.isWellFormed()) return { path: at(), message: 'must not contain unpaired UTF-16 surrogates' }
      continue
    }
    if (v === null || typeof v !== 'object') continue
    if (path.length >= MAX_INPUT_DEPTH) return { path: at(), message: `is nested more than ${MAX_INPUT_DEPTH} levels deep` }
    for (const key of Object.keys(v)) {
      const keyPath = [...path, key]
      if (key === '__proto__' || key.includes('\u0000') || !key.isWellFormed()) return { path: keyPath.join('.'), message: 'is not an acceptable field name' }
      stack.push({ value: (v as Record<string, unknown>)[key], path: keyPath })
    }
  }
  return undefined
}

/**
 * The code of a refusal: VALIDATION_FAILED, or the code every issue names itself (a custom issue
 * with `params: { code }`, e.g. READ_ONLY_FIELD for a field a PATCH cannot change).
 */
function refusalCode(error: z.ZodError): string {
  const codes = new Set(error.issues.map(issue => (issue.code === 'custom' && typeof issue.params?.code === 'string' ? issue.params.code : 'VALIDATION_FAILED')))
  return codes.size === 1 ? [...codes][0]! : 'VALIDATION_FAILED'
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const problem = inputProblem(value)
  if (problem) throw new ValidationError(`Invalid ${where}`, { [problem.path]: problem.message })
  const result = schema.safeParse(value)
  if (!result.success) {
    const code = refusalCode(result.error)
    const fields = fieldErrors(result.error)
    // A refusal with a code of its own says which fields, in its message too.
    throw new ValidationError(code === 'VALIDATION_FAILED' ? `Invalid ${where}` : Object.entries(fields).map(([field, message]) => `${field} ${message}`).join('; '), fields, code)
  }
  return result.data
}

const BODY = Symbol('paksa.jsonBody')
type WithBody = H3Event & { [BODY]?: Promise<unknown> }

/** The raw body, counted as it arrives: Content-Length and `Transfer-Encoding: chunked` alike; more than MAX_BODY_BYTES is 413. */
export async function readLimited(event: H3Event, limit = MAX_BODY_BYTES, tooLarge: () => Error = () => new PayloadTooLargeError(limit)): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of event.node.req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      // Stop reading; the answer goes out and the connection is not kept for the rest of the upload.
      event.node.res.setHeader('Connection', 'close')
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

async function parseJson(event: H3Event): Promise<unknown> {
  const type = getRequestHeader(event, 'content-type') ?? ''
  const length = Number(getRequestHeader(event, 'content-length') ?? 0)
  if (!length && !getRequestHeader(event, 'transfer-encoding')) return undefined
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ValidationError('Request body must be JSON (Content-Type: application/json)', undefined, 'UNSUPPORTED_MEDIA_TYPE')
  // An upload route's JSON body has the route's limit (a bank statement's `content`).
  const upload = uploadLimit(event)
  const raw = upload ? await readLimited(event, upload.bytes, () => new DomainError(413, upload.code, `Request body is larger than ${upload.bytes} bytes`)) : await readLimited(event)
  if (!raw.length) return undefined
  try {
    return JSON.parse(raw.toString('utf8')) as unknown
  }
  catch {
    throw new ValidationError('Request body is not valid JSON', undefined, 'MALFORMED_JSON')
  }
}

/**
 * The request's JSON body, read once (later callers, such as the idempotency hash, get the same
 * value); undefined without a body.
 */
export function readJsonBody(event: H3Event): Promise<unknown> {
  const e = event as WithBody
  e[BODY] ??= parseJson(event)
  return e[BODY]
}

/**
 * Sets what readJsonBody answers for a body the route read itself (a multipart form as the JSON it
 * stands for), so the idempotency record hashes it like a JSON body.
 */
export function rememberBody(event: H3Event, body: unknown): void {
  (event as WithBody)[BODY] = Promise.resolve(body)
}

/** Whether the request's body is one of the contract's `accepts` types (read by the handler, not as JSON). */
export function isAcceptedUpload(event: H3Event, contract: Contract): boolean {
  const type = (getRequestHeader(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  return !!contract.accepts && (contract.accepts as readonly string[]).includes(type)
}

/**
 * Enforces the contract's audience, site, permission and input-dependent permissions (in that
 * order, after validation), and returns what they establish for the handler.
 */
export function routeAccess(event: H3Event, contract: Contract, input: ApiInput<Contract>): MemberRoute | TenantSiteRoute | AdminRoute | PlatformSiteRoute | RouteBase {
  const site = siteOf(contract)
  if (site) requireSite(event, site)
  if (contract.audience === 'admin') return { admin: requireAdmin(event), actor: actorOf(event), ...platformUnit(event, contract) }
  if (contract.audience === 'tenant') {
    const principal = contract.permission ? requirePermission(event, contract.permission) : requireUser(event)
    for (const extra of contract.alsoRequires ?? []) {
      if (extra.applies(input) && !hasPermission(principal.roles, extra.permission)) throw new ForbiddenError(`Your role does not allow ${extra.permission}`)
    }
    return { principal, tenant: principal.tenant, actor: actorOf(event), ...tenantUnit(event, principal.tenant.id, contract) }
  }
  if (site === 'tenant') {
    const tenant = requireTenant(event)
    return { tenant, actor: actorOf(event), ...tenantUnit(event, tenant.id, contract) }
  }
  if (site === 'apex' || site === 'admin') return { actor: actorOf(event), ...platformUnit(event, contract) }
  return { actor: actorOf(event) }
}

/**
 * A route handler bound to its contract. Before the handler runs, params, query and body are
 * validated with the contract's zod schemas, and the contract's audience, site and permissions
 * are enforced; the success status is the contract's. Every error leaves through one mapper.
 */
export function defineApiHandler<C extends Contract, R>(contract: C, handler: (event: H3Event, input: ApiInput<C> & RouteAccess<C>) => Promise<R>) {
  return defineEventHandler(async (event) => {
    try {
      const input = {
        params: contract.params ? parseInput(contract.params, getRouterParams(event, { decode: true }), 'path parameters') : undefined,
        query: contract.query ? parseInput(contract.query, getQuery(event), 'query parameters') : undefined,
        // A contract with a JSON body and `accepts` takes either: the handler reads an accepted upload itself.
        body: contract.body && !isAcceptedUpload(event, contract) ? parseInput(contract.body, (await readJsonBody(event)) ?? {}, 'request body') : undefined,
      } as ApiInput<C>
      const access = routeAccess(event, contract, input)
      const result = await handler(event, { ...input, ...access } as ApiInput<C> & RouteAccess<C>)
      if (contract.successStatus && event.node.res.statusCode === 200) setResponseStatus(event, contract.successStatus)
      return result
    }
    catch (err) {
      throw toHttpError(event, err)
    }
  })
}
