/**
 * Organisation settings (SPEC §5 `settings`), one row per tenant. The organisation's name is not
 * here: it is the tenant's own `name`. A tenant without a row has the defaults below; the row is
 * written by the first change. Modules add their own columns (invoice prefix, payment terms,
 * control accounts) when they exist.
 */
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { DEFAULT_FORMAT_SETTINGS, type DateFormat, type NegativeStyle, type NumberFormat } from '../../shared/format/settings'
import { tenantId, timestamps } from './columns'

export const tenantSettings = pgTable('tenant_settings', {
  tenantId: tenantId(),
  address: text('address'),
  taxNumber: text('tax_number'),
  timeZone: text('time_zone').notNull().default(DEFAULT_FORMAT_SETTINGS.timeZone),
  dateFormat: text('date_format').$type<DateFormat>().notNull().default(DEFAULT_FORMAT_SETTINGS.dateFormat),
  numberFormat: text('number_format').$type<NumberFormat>().notNull().default(DEFAULT_FORMAT_SETTINGS.numberFormat),
  negativeStyle: text('negative_style').$type<NegativeStyle>().notNull().default(DEFAULT_FORMAT_SETTINGS.negativeStyle),
  /** Optimistic-concurrency version for PATCH; a tenant without a row is at version 1. */
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [primaryKey({ name: 'tenant_settings_pkey', columns: [t.tenantId] })])
