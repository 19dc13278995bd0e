/** Tenant-scoped identity: memberships with roles and refresh-token families. */
import { sql } from 'drizzle-orm'
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
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

/**
 * An e-mailed invitation to a tenant, and while it is open the pending membership itself: the
 * e-mail and name as the admin typed them and the roles to grant. Nothing links it to a platform
 * account until it is accepted (`userId` is set then), so the tenant learns nothing about an
 * existing account before that. The token (hashed here) is single-use and expires; a re-send
 * replaces the token on the same row. At most one open invitation per e-mail and tenant.
 */
export const invitations = pgTable('invitations', {
  tenantId: tenantId(),
  id: id(),
  userId: uuid('user_id').references(() => users.id),
  email: text('email').notNull(),
  name: text('name'),
  roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
  /** Optimistic-concurrency version for PATCH of the pending member's roles. */
  version: integer('version').notNull().default(1),
  tokenHash: text('token_hash').notNull(),
  invitedBy: uuid('invited_by'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
  ...timestamps,
}, t => [
  primaryKey({ name: 'invitations_pkey', columns: [t.tenantId, t.id] }),
  uniqueIndex('invitations_token_key').on(t.tokenHash),
  uniqueIndex('invitations_open_email_key').on(t.tenantId, t.email).where(sql`accepted_at is null`),
])

/** A password-reset request made on a tenant's host; single-use, expiring, stored hashed. */
export const passwordResets = pgTable('password_resets', {
  tenantId: tenantId(),
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamps.createdAt,
}, t => [
  primaryKey({ name: 'password_resets_pkey', columns: [t.tenantId, t.id] }),
  uniqueIndex('password_resets_token_key').on(t.tokenHash),
])

/**
 * A one-time hand-over of a signed-in person to another of their organisations' hosts (the
 * organisation switcher, the end of a sign-up): for one person, in the tenant it signs them in to,
 * valid 60 seconds and spent by its first use. Stored hashed; see server/domain/identity/handoff.ts.
 */
export const handoffTokens = pgTable('handoff_tokens', {
  tenantId: tenantId(),
  id: id(),
  userId: uuid('user_id').notNull().references(() => users.id),
  purpose: text('purpose', { enum: ['switch', 'signup'] }).notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamps.createdAt,
}, t => [
  primaryKey({ name: 'handoff_tokens_pkey', columns: [t.tenantId, t.id] }),
  uniqueIndex('handoff_tokens_token_key').on(t.tenantId, t.tokenHash),
])
