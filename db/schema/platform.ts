/**
 * Platform tables: rows that exist once for the whole platform, outside any tenant.
 * The tenant app role reads them only through RLS policies or SECURITY DEFINER functions.
 */
import { sql } from 'drizzle-orm'
import { char, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'

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
