/**
 * Idempotency-Key support. The record is inserted first, in the same transaction as the effect:
 * a concurrent request with the same key waits on the row lock and then replays; a failed request
 * rolls its record back with everything else, so it can be retried. Records live 24 h.
 */
import { createHash } from 'node:crypto'
import { and, eq, lt } from 'drizzle-orm'
import { idempotencyKeys } from '../../db/schema'
import type { Tx } from '../../db/tenant'
import { ConflictError } from './errors'

export interface IdempotencyScope { principal: string, method: string, path: string, key: string }
export interface StoredResponse { status: number, body: unknown, replayed: boolean }

const TTL_MS = 24 * 3600 * 1000

export function hashRequest(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex')
}

export async function runIdempotent(tx: Tx, tenantId: string, scope: IdempotencyScope, requestHash: string, work: () => Promise<{ status: number, body: unknown }>): Promise<StoredResponse> {
  const where = and(
    eq(idempotencyKeys.principal, scope.principal), eq(idempotencyKeys.method, scope.method),
    eq(idempotencyKeys.path, scope.path), eq(idempotencyKeys.key, scope.key))
  await tx.delete(idempotencyKeys).where(and(where, lt(idempotencyKeys.createdAt, new Date(Date.now() - TTL_MS))))
  const claimed = await tx.insert(idempotencyKeys).values({ tenantId, ...scope, requestHash }).onConflictDoNothing().returning({ key: idempotencyKeys.key })
  if (!claimed.length) {
    const [prior] = await tx.select().from(idempotencyKeys).where(where)
    if (!prior || prior.requestHash !== requestHash) throw new ConflictError('This Idempotency-Key was used with a different request', 'IDEMPOTENCY_KEY_REUSED')
    return { status: prior.statusCode ?? 200, body: prior.responseBody, replayed: true }
  }
  const result = await work()
  await tx.update(idempotencyKeys).set({ statusCode: result.status, responseBody: result.body as object }).where(where)
  return { ...result, replayed: false }
}
