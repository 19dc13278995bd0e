/**
 * The event feed (migration 0017, server/domain/events): one immutable row per state change,
 * written in the changing transaction. `txid` (the writer's transaction id) and `seq` (insertion
 * order) are the feed's order; the feed hands out only rows of finished transactions (README).
 */
import { bigint, customType, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { id, tenantId } from './columns'

/** PostgreSQL's 64-bit transaction id; read as a decimal string (it can exceed 2^53). */
const xid8 = customType<{ data: string, driverData: string }>({ dataType: () => 'xid8' })

export const events = pgTable('events', {
  tenantId: tenantId(),
  id: id(),
  seq: bigint('seq', { mode: 'bigint' }).generatedAlwaysAsIdentity(),
  txid: xid8('txid').notNull().default(sql`pg_current_xact_id()`),
  type: text('type').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  entityType: text('entity_type').notNull(),
  entityId: uuid('entity_id').notNull(),
  data: jsonb('data').notNull().default({}),
}, t => [
  primaryKey({ name: 'events_pkey', columns: [t.tenantId, t.id] }),
  uniqueIndex('events_feed_idx').on(t.tenantId, t.txid, t.seq),
  index('events_entity_idx').on(t.tenantId, t.entityType, t.entityId),
])
