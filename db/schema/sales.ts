/**
 * Sales (issue 12): tax rates and their components, customers and items. Invoices, credit notes
 * and receipts come next and reference these. Every table carries `tenant_id` with forced
 * row-level security (migration 0016); keys and foreign keys include `tenant_id`.
 */
import { sql } from 'drizzle-orm'
import { boolean, char, foreignKey, index, integer, pgTable, primaryKey, smallint, text, unique, uniqueIndex, uuid, numeric } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'
import { accounts, money } from './ledger'

/** A tax rate in percent, 0 ≤ rate < 1000, 4 places. */
const percent = (name: string) => numeric(name, { precision: 7, scale: 4 })

export const taxRates = pgTable('tax_rates', {
  tenantId: tenantId(),
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  /** For a group, the sum of its components' rates. */
  rate: percent('rate').notNull(),
  scope: text('scope', { enum: ['sales', 'purchases', 'both'] }).notNull(),
  /** A simple rate's tax account; null for a group (each component has its own). */
  accountId: uuid('account_id'),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'tax_rates_pkey', columns: [t.tenantId, t.id] }),
  unique('tax_rates_code_key').on(t.tenantId, t.code),
  foreignKey({ name: 'tax_rates_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
])

export const taxRateComponents = pgTable('tax_rate_components', {
  tenantId: tenantId(),
  id: id(),
  taxRateId: uuid('tax_rate_id').notNull(),
  position: smallint('position').notNull(),
  name: text('name').notNull(),
  rate: percent('rate').notNull(),
  accountId: uuid('account_id').notNull(),
}, t => [
  primaryKey({ name: 'tax_rate_components_pkey', columns: [t.tenantId, t.id] }),
  unique('tax_rate_components_position_key').on(t.tenantId, t.taxRateId, t.position),
  foreignKey({ name: 'tax_rate_components_rate_fkey', columns: [t.tenantId, t.taxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }).onDelete('cascade'),
  foreignKey({ name: 'tax_rate_components_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  index('tax_rate_components_account_idx').on(t.tenantId, t.accountId),
])

export const customers = pgTable('customers', {
  tenantId: tenantId(),
  id: id(),
  code: text('code'),
  name: text('name').notNull(),
  email: text('email'),
  /** The currency its documents default to; null: the base currency. */
  currency: char('currency', { length: 3 }),
  /** Null: the settings' `defaultPaymentTermsDays`. */
  paymentTermsDays: integer('payment_terms_days'),
  taxNumber: text('tax_number'),
  billingAddress: text('billing_address'),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'customers_pkey', columns: [t.tenantId, t.id] }),
  uniqueIndex('customers_code_key').on(t.tenantId, t.code).where(sql`code is not null`),
  index('customers_name_idx').on(t.tenantId, sql`lower(${t.name})`),
])

export const items = pgTable('items', {
  tenantId: tenantId(),
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['service', 'product'] }).notNull(),
  description: text('description'),
  salesPrice: money('sales_price'),
  purchasePrice: money('purchase_price'),
  incomeAccountId: uuid('income_account_id'),
  expenseAccountId: uuid('expense_account_id'),
  salesTaxRateId: uuid('sales_tax_rate_id'),
  purchaseTaxRateId: uuid('purchase_tax_rate_id'),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'items_pkey', columns: [t.tenantId, t.id] }),
  unique('items_code_key').on(t.tenantId, t.code),
  foreignKey({ name: 'items_income_account_fkey', columns: [t.tenantId, t.incomeAccountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'items_expense_account_fkey', columns: [t.tenantId, t.expenseAccountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'items_sales_tax_rate_fkey', columns: [t.tenantId, t.salesTaxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  foreignKey({ name: 'items_purchase_tax_rate_fkey', columns: [t.tenantId, t.purchaseTaxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  index('items_sales_tax_rate_idx').on(t.tenantId, t.salesTaxRateId).where(sql`sales_tax_rate_id is not null`),
  index('items_purchase_tax_rate_idx').on(t.tenantId, t.purchaseTaxRateId).where(sql`purchase_tax_rate_id is not null`),
])
