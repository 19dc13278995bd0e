import { getRequestHeader, setResponseHeader, setResponseStatus, type H3Event } from 'h3'
import { withTenant, type Tx } from '../../db/tenant'
import { ValidationError } from '../domain/errors'
import { hashRequest, runIdempotent } from '../domain/idempotency'
import { readJsonBody } from './api'
import { requireTenant } from './guards'

/**
 * Runs one mutating unit of work for the request's tenant. With an `Idempotency-Key` header on a
 * POST, the key's record is written in the same transaction as the effect, and a repeat with the
 * same body answers the stored response (`Idempotent-Replayed: true`) instead of running again.
 */
export async function tenantWrite<T>(event: H3Event, work: (tx: Tx) => Promise<T>, options: { status?: number } = {}): Promise<T> {
  const tenant = requireTenant(event)
  const auth = event.context.auth
  const userId = auth?.kind === 'user' ? auth.principal.user.id : undefined
  const key = getRequestHeader(event, 'idempotency-key')
  const status = options.status ?? 200
  if (event.method !== 'POST' || key === undefined) {
    const result = await withTenant(tenant.id, work, { userId })
    setResponseStatus(event, status)
    return result
  }
  if (!/^[\x21-\x7E]{1,255}$/.test(key)) throw new ValidationError('Idempotency-Key must be 1–255 printable characters', { 'Idempotency-Key': 'is malformed' }, 'INVALID_IDEMPOTENCY_KEY')
  const scope = { principal: userId ? `user:${userId}` : 'anonymous', method: event.method, path: event.path.split('?')[0]!, key }
  const requestHash = hashRequest(await readJsonBody(event))
  const stored = await withTenant(tenant.id, tx => runIdempotent(tx, tenant.id, scope, requestHash, async () => ({
    status,
    // Stored and replayed as JSON, so the first answer and a replay are byte-for-byte the same shape.
    body: JSON.parse(JSON.stringify(await work(tx))) as unknown,
  })), { userId })
  setResponseStatus(event, stored.status)
  if (stored.replayed) setResponseHeader(event, 'Idempotent-Replayed', 'true')
  return stored.body as T
}
