/**
 * Platform tables: rows that exist once for the whole platform, outside any tenant.
 * The tenant app role reads them only through RLS policies or SECURITY DEFINER functions.
 */
import { sql } from 'drizzle-orm'
import { char, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().default(sql`app_uuid_v7()`),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  status: text('status', { enum: ['active', 'suspended'] }).notNull().default('active'),
  baseCurrency: char('base_currency', { length: 3 }).notNull().default('USD'),
  fiscalYearStartMonth: smallint('fiscal_year_start_month').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, t => [uniqueIndex('tenants_slug_key').on(t.slug)])

/** A person, once on the platform; what they may do in a tenant comes from their membership there. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().default(sql`app_uuid_v7()`),
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, t => [uniqueIndex('users_email_key').on(t.email)])

export const platformAdmins = pgTable('platform_admins', {
  id: uuid('id').primaryKey().default(sql`app_uuid_v7()`),
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, t => [uniqueIndex('platform_admins_email_key').on(t.email)])

/** Back-office actions and cross-tenant reads, kept apart from the tenants' own audit chains. */
export const platformAuditEvents = pgTable('platform_audit_events', {
  id: uuid('id').primaryKey().default(sql`app_uuid_v7()`),
  occurredAt: createdAt(),
  adminId: uuid('admin_id'),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: uuid('entity_id'),
  details: jsonb('details'),
  requestId: text('request_id'),
  ip: text('ip'),
})

/**
 * A self-service sign-up waiting for its e-mailed link (SPEC §5 `signup`): nothing of the tenant
 * exists until the link is followed. The token is stored only as its SHA-256; single use, expiring.
 * No password is kept here: a new account chooses one when completing, an existing one proves it.
 */
export const pendingSignups = pgTable('pending_signups', {
  id: uuid('id').primaryKey().default(sql`app_uuid_v7()`),
  email: text('email').notNull(),
  ownerName: text('owner_name').notNull(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  baseCurrency: char('base_currency', { length: 3 }).notNull(),
  fiscalYearStartMonth: smallint('fiscal_year_start_month').notNull(),
  chartOfAccounts: text('chart_of_accounts', { enum: ['standard', 'none'] }).notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
}, t => [uniqueIndex('pending_signups_token_key').on(t.tokenHash)])

/**
 * Mail that belongs to no tenant (the sign-up link), written in the same transaction as its cause
 * like a tenant's `mail_outbox` row and sent by the same mail job (`tenantId: null`).
 */
export const platformMailOutbox = pgTable('platform_mail_outbox', {
  id: uuid('id').primaryKey().default(sql`app_uuid_v7()`),
  kind: text('kind', { enum: ['signup'] }).notNull(),
  to: text('to').array().notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html').notNull(),
  /** pending → sent | failed; `held` when no SMTP relay is configured. */
  status: text('status', { enum: ['pending', 'sent', 'failed', 'held'] }).notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  error: text('error'),
  messageId: text('message_id'),
  createdAt: createdAt(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
}, t => [index('platform_mail_outbox_created_idx').on(t.createdAt)])
