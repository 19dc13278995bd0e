import { getRequestHeader, setResponseHeader, setResponseStatus, type H3Event } from 'h3'
import type { SQL } from 'drizzle-orm'
import { withPlatform, withTenant, withTenantFirst, type PlatformTx, type ReadOptions, type Tx } from '../../db/tenant'
import type { Contract } from '../contracts/define'
import { errorText, log } from '../core/log'
import { ValidationError } from '../domain/errors'
import { hashRequest, runIdempotent } from '../domain/idempotency'
import { collectMail, type MailCollector } from '../domain/mail/outbox'
import type { AfterCommit } from '../domain/unit'
import { readJsonBody } from './api'

type Hook = () => unknown

/**
 * One write's transaction and what happens once it has committed. Domain functions take the
 * transaction; what must wait for the commit (cache clears, mail wake-ups, enqueueing, events) is
 * registered with `afterCommit`, and mail queued into `mail` is dispatched then. Nothing registered
 * runs when the transaction rolls back, nor on an idempotent replay (the work did not run).
 */
export interface Unit extends AfterCommit {
  /** Mails written in this transaction (e.g. an invitation), handed to the mail queue after the commit. */
  mail: MailCollector
  /**
   * Answers with `status` instead of the contract's success status (a statement import handed to
   * the worker answers 202, one done in the request 201); an idempotent replay answers it too.
   */
  respondWith: (status: number) => void
}

/**
 * A read in one transaction of the tenant (row-level security bound to it, and to the acting
 * user), at read committed unless `options.isolation` asks for more. With `options.first`, that
 * statement is sent with `begin` and the tenant binding, in the same round trip, and its rows are
 * handed to `work` (the report cache: `read((tx, version) => cachedReport(tx, version, …), REPORT_READ)`).
 */
export interface TenantRead {
  <R extends Record<string, unknown>, T>(work: (tx: Tx, first: R[]) => Promise<T>, options: ReadOptions<R> & { first: SQL<R> }): Promise<T>
  <T>(work: (tx: Tx) => Promise<T>, options?: Pick<ReadOptions, 'isolation'>): Promise<T>
}

/** The tenant's transactions as a route handler gets them (defineApiHandler binds them to the route's contract). */
export interface TenantUnit {
  /** A read in one transaction of the tenant: see `TenantRead`. */
  read: TenantRead
  /** The route's unit of work: see `unitOfWork`. */
  write: <T>(work: (tx: Tx, unit: Unit) => Promise<T>) => Promise<T>
}

/** The platform's transactions as a back-office route gets them (as `paksa_platform`). */
export interface PlatformUnit {
  read: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>
  /** One platform transaction, then its after-commit hooks, at the contract's success status. */
  write: <T>(work: (p: PlatformTx, unit: Unit) => Promise<T>) => Promise<T>
}

function newUnit(): { unit: Unit, hooks: Hook[], status: (fallback: number) => number } {
  const hooks: Hook[] = []
  const mail = collectMail()
  hooks.push(() => mail.dispatch())
  let chosen: number | undefined
  return {
    unit: { afterCommit: hook => hooks.push(hook), mail, respondWith: (s) => { chosen = s } },
    hooks,
    status: fallback => chosen ?? fallback,
  }
}

function actingUser(event: H3Event): string | undefined {
  const auth = event.context.auth
  return auth?.kind === 'user' ? auth.principal.user.id : undefined
}

/** Runs the hooks in order once the transaction has committed; a failing hook is logged, the write stands. */
async function runHooks(event: H3Event, hooks: Hook[]): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook()
    }
    catch (err) {
      log.warn('after-commit step failed', { requestId: event.context.requestId, error: errorText(err) })
    }
  }
}

/**
 * Runs one mutating unit of work for a tenant: one transaction, then the after-commit hooks, and
 * the answer's status (`status`, from the route's contract). With an `Idempotency-Key` header on
 * a POST, the key's record is written in the same transaction as the effect, and a repeat with the
 * same body answers the stored response (`Idempotent-Replayed: true`) instead of running again.
 */
export async function unitOfWork<T>(event: H3Event, tenantId: string, work: (tx: Tx, unit: Unit) => Promise<T>, options: { status?: number, keyed?: boolean } = {}): Promise<T> {
  const userId = actingUser(event)
  const key = options.keyed === false ? undefined : getRequestHeader(event, 'idempotency-key')
  const status = options.status ?? 200
  const { unit, hooks, status: chosen } = newUnit()
  if (event.method !== 'POST' || key === undefined) {
    // Nothing of its own runs after the work here: a work may end with `finalQuery` (db/tenant.ts).
    const result = await withTenant(tenantId, tx => work(tx, unit), { userId, commitWithLast: true })
    await runHooks(event, hooks)
    setResponseStatus(event, chosen(status))
    return result
  }
  if (!/^[\x21-\x7E]{1,255}$/.test(key)) throw new ValidationError('Idempotency-Key must be 1–255 printable characters', { 'Idempotency-Key': 'is malformed' }, 'INVALID_IDEMPOTENCY_KEY')
  const scope = { principal: userId ? `user:${userId}` : 'anonymous', method: event.method, path: event.path.split('?')[0]!, key }
  const requestHash = hashRequest(await readJsonBody(event))
  const stored = await withTenant(tenantId, tx => runIdempotent(tx, tenantId, scope, requestHash, async () => {
    // Stored and replayed as JSON, so the first answer and a replay are byte-for-byte the same shape.
    const body = JSON.parse(JSON.stringify(await work(tx, unit))) as unknown
    return { status: chosen(status), body }
  }), { userId })
  await runHooks(event, hooks)
  setResponseStatus(event, stored.status)
  if (stored.replayed) setResponseHeader(event, 'Idempotent-Replayed', 'true')
  return stored.body as T
}

/**
 * The tenant's reads and the route's unit of work, bound to the tenant and to the contract's success
 * status. A public route (sign-in, refresh, password reset …) honours `Idempotency-Key` only when its
 * contract says `idempotent`: its answers carry secrets that must not be stored for replay.
 */
export function tenantUnit(event: H3Event, tenantId: string, contract: Contract): TenantUnit {
  const keyed = contract.audience !== 'public' || contract.idempotent === true
  const read = <T>(work: (tx: Tx, first: Record<string, unknown>[]) => Promise<T>, options: ReadOptions = {}): Promise<T> => {
    const context = { userId: actingUser(event), isolation: options.isolation }
    return options.first ? withTenantFirst(tenantId, options.first, work, context) : withTenant(tenantId, tx => work(tx, []), context)
  }
  return {
    read: read as TenantRead,
    write: work => unitOfWork(event, tenantId, work, { status: contract.successStatus, keyed }),
  }
}

/**
 * The platform's reads and the route's platform unit of work (back-office routes and the public
 * routes of the apex and admin hosts; no idempotency keys there). A tenant route that must reach
 * past its tenant — a password change or reset revoking the person's sessions in their other
 * tenants, an invitation looking up the invited account — takes it explicitly:
 * `platformUnit(event, contract)`.
 */
export function platformUnit(event: H3Event, contract: Contract): PlatformUnit {
  return {
    read: work => withPlatform(({ tx }) => work(tx)),
    write: async (work) => {
      const { unit, hooks, status } = newUnit()
      const result = await withPlatform(p => work(p, unit))
      await runHooks(event, hooks)
      setResponseStatus(event, status(contract.successStatus ?? 200))
      return result
    },
  }
}
