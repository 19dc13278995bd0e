/**
 * Organisation settings (SPEC §5 `settings`), one row per tenant. The organisation's name is not
 * here: it is the tenant's own `name`. A tenant without a row has the defaults below; the row is
 * written by the first change. Modules add their own columns when they exist;
 * the AR/AP control accounts are not here but flagged on the accounts themselves (`is_control`).
 */
import { customType, integer, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core'
import { DEFAULT_FORMAT_SETTINGS, type DateFormat, type NegativeStyle, type NumberFormat } from '../../shared/format/settings'
import { id, tenantId, timestamps } from './columns'
import { users } from './platform'
import { money } from './ledger'

export const tenantSettings = pgTable('tenant_settings', {
  tenantId: tenantId(),
  address: text('address'),
  taxNumber: text('tax_number'),
  timeZone: text('time_zone').notNull().default(DEFAULT_FORMAT_SETTINGS.timeZone),
  dateFormat: text('date_format').$type<DateFormat>().notNull().default(DEFAULT_FORMAT_SETTINGS.dateFormat),
  numberFormat: text('number_format').$type<NumberFormat>().notNull().default(DEFAULT_FORMAT_SETTINGS.numberFormat),
  negativeStyle: text('negative_style').$type<NegativeStyle>().notNull().default(DEFAULT_FORMAT_SETTINGS.negativeStyle),
  /** Sales (migration 0016): the invoice number prefix and the payment terms a customer without its own gets. */
  invoicePrefix: text('invoice_prefix').notNull().default('INV-'),
  defaultPaymentTermsDays: integer('default_payment_terms_days').notNull().default(30),
  /** Dunning (migration 0020): reminder days after the due date, ascending; empty: no reminders. */
  dunningDays: integer('dunning_days').array().notNull().default([]),
  /** Purchases (0025): a bill whose total in base currency is above this waits for approval. */
  billApprovalThreshold: money('bill_approval_threshold').notNull().default('0'),
  /** Optimistic-concurrency version for PATCH; a tenant without a row is at version 1. */
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [primaryKey({ name: 'tenant_settings_pkey', columns: [t.tenantId] })])

/** PostgreSQL `bytea`, read and written as a Buffer (postgres.js sends a Buffer as bytea). */
const bytea = customType<{ data: Buffer, driverData: Buffer }>({ dataType: () => 'bytea' })

/**
 * The organisation's logo for documents (SPEC §5 settings `logoFileId` is its id): at most one per
 * tenant, the image itself in the row. Replaced by delete and insert, never updated in place.
 */
export const tenantLogos = pgTable('tenant_logos', {
  id: id(),
  tenantId: tenantId(),
  mediaType: text('media_type').$type<'image/png' | 'image/jpeg'>().notNull(),
  bytes: bytea('bytes').notNull(),
  size: integer('size').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  sha256: text('sha256').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamps.createdAt,
}, t => [primaryKey({ name: 'tenant_logos_pkey', columns: [t.id] }), unique('tenant_logos_tenant_key').on(t.tenantId)])
