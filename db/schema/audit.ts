/**
 * Append-only, hash-chained audit trail per tenant. `seq`, `prev_hash` and `hash` are filled by the
 * `audit_events_chain` trigger under a per-tenant advisory lock, so the chain has one order.
 */
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId } from './columns'

export const auditEvents = pgTable('audit_events', {
  tenantId: tenantId(),
  id: id(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  actorType: text('actor_type', { enum: ['user', 'admin', 'system', 'api_key'] }).notNull(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  requestId: text('request_id'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, t => [
  primaryKey({ name: 'audit_events_pkey', columns: [t.tenantId, t.id] }),
  unique('audit_events_seq_key').on(t.tenantId, t.seq),
  index('audit_events_entity_idx').on(t.tenantId, t.entityType, t.entityId),
])
