/** Tenant-scoped identity: memberships with roles and refresh-token families. */
import { sql } from 'drizzle-orm'
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'
import { users } from './platform'

export const memberships = pgTable('memberships', {
  tenantId: tenantId(),
  userId: uuid('user_id').notNull().references(() => users.id),
  roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
  /** Optimistic-concurrency version for PATCH. */
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'memberships_pkey', columns: [t.tenantId, t.userId] }),
  index('memberships_user_idx').on(t.userId),
])

/** Refresh tokens are stored as SHA-256 hashes; a family is one login's chain of rotations. */
export const refreshTokens = pgTable('refresh_tokens', {
  tenantId: tenantId(),
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id),
  familyId: uuid('family_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamps.createdAt,
}, t => [
  primaryKey({ name: 'refresh_tokens_pkey', columns: [t.tenantId, t.id] }),
  index('refresh_tokens_family_idx').on(t.tenantId, t.familyId),
])
