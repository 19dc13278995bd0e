/**
 * Idempotency records, written in the same transaction as the effect they guard, kept 24 h.
 * The key is scoped by (tenant, principal, method, path, key); `request_hash` detects reuse with another body.
 */
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'
import { tenantId } from './columns'

export const idempotencyKeys = pgTable('idempotency_keys', {
  tenantId: tenantId(),
  principal: text('principal').notNull(),
  method: text('method').notNull(),
  path: text('path').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code'),
  responseBody: jsonb('response_body'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [primaryKey({ name: 'idempotency_keys_pkey', columns: [t.tenantId, t.principal, t.method, t.path, t.key] })])
