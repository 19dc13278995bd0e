/**
 * The audit trail: one event per mutating action, written in the same transaction as the change.
 * Chaining (seq, prev_hash, hash) happens in the database trigger `audit_events_chain`; this module
 * writes events and verifies the chain by recomputing each hash with the same SQL function.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/tenant'
import { auditEvents } from '../../../db/schema'

export interface Actor {
  type: 'user' | 'admin' | 'system' | 'api_key'
  id?: string
  requestId?: string
  ip?: string
  userAgent?: string
}

export interface AuditInput {
  action: string
  entityType: string
  entityId?: string
  before?: unknown
  after?: unknown
}

/**
 * Takes the tenant's audit-chain lock (the same advisory lock the chaining trigger takes) now.
 * Ledger transactions acquire locks in one order (docs/posting.md): period rows, then this lock,
 * then counter, balance and ledger_versions rows. Otherwise two of them can deadlock.
 */
export async function lockAuditChain(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('audit:' || ${tenantId}::text, 0))`)
}

/** Appends an event to the current tenant's chain, in the caller's transaction (bound to that tenant). */
export async function recordAudit(tx: Tx, tenantId: string, actor: Actor, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    tenantId,
    actorType: actor.type,
    actorId: actor.id,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    before: input.before ?? null,
    after: input.after ?? null,
    requestId: actor.requestId,
    ip: actor.ip,
    userAgent: actor.userAgent?.slice(0, 512),
    // Filled by the trigger; these placeholders never survive the insert.
    seq: 0,
    prevHash: '',
    hash: '',
  })
}

export interface ChainVerification {
  ok: boolean
  events: number
  firstBroken?: { id: string, seq: number, reason: 'hash_mismatch' | 'broken_link' | 'sequence_gap' }
}

/** Walks the tenant's chain in order and names the first event whose hash or link does not hold. */
export async function verifyAuditChain(tx: Tx): Promise<ChainVerification> {
  const rows = await tx.execute<{ id: string, seq: string, prev_hash: string, hash: string, expected: string }>(sql`
    select e.id, e.seq, e.prev_hash, e.hash, app_audit_hash(e) as expected
    from audit_events e order by e.seq`)
  let prevHash = '0'.repeat(64)
  let expectedSeq = 1
  for (const r of rows) {
    const seq = Number(r.seq)
    const broken = (reason: NonNullable<ChainVerification['firstBroken']>['reason']) =>
      ({ ok: false, events: rows.length, firstBroken: { id: r.id, seq, reason } })
    if (seq !== expectedSeq) return broken('sequence_gap')
    if (r.prev_hash !== prevHash) return broken('broken_link')
    if (r.hash !== r.expected) return broken('hash_mismatch')
    prevHash = r.hash
    expectedSeq++
  }
  return { ok: true, events: rows.length }
}
