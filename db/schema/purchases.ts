/**
 * Purchases (issue 13): vendors and the changes of their bank details (migration 0022). Every
 * table carries `tenant_id` with forced row-level security; keys and foreign keys include
 * `tenant_id`. A bank account is stored encrypted (server/core/encryption.ts) with its keyed hash
 * and masked view; the plain number never reaches the database.
 */
import { sql } from 'drizzle-orm'
import { boolean, char, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { MaskedBankAccount } from '../../shared/purchases/bank-account'
import { id, tenantId, timestamps } from './columns'

export const vendors = pgTable('vendors', {
  tenantId: tenantId(),
  id: id(),
  code: text('code'),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  /** The currency its bills default to; null: the base currency. */
  currency: char('currency', { length: 3 }),
  /** Null: the settings' `defaultPaymentTermsDays`. */
  paymentTermsDays: integer('payment_terms_days'),
  taxNumber: text('tax_number'),
  address: text('address'),
  isActive: boolean('is_active').notNull().default(true),
  /** The confirmed account (`v1:<keyId>:…`); written only by a confirmation (trigger vendors_bank_guard). */
  bankAccountCiphertext: text('bank_account_ciphertext'),
  bankAccountHash: text('bank_account_hash'),
  bankAccountMasked: jsonb('bank_account_masked').$type<MaskedBankAccount>(),
  bankAccountConfirmedBy: uuid('bank_account_confirmed_by'),
  bankAccountConfirmedAt: timestamp('bank_account_confirmed_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'vendors_pkey', columns: [t.tenantId, t.id] }),
  uniqueIndex('vendors_code_key').on(t.tenantId, t.code).where(sql`code is not null`),
  index('vendors_name_idx').on(t.tenantId, sql`lower(${t.name})`),
  index('vendors_bank_account_hash_idx').on(t.tenantId, t.bankAccountHash).where(sql`bank_account_hash is not null`),
])

export const VENDOR_BANK_CHANGE_STATUSES = ['pending', 'confirmed', 'superseded'] as const

export const vendorBankChanges = pgTable('vendor_bank_changes', {
  tenantId: tenantId(),
  id: id(),
  vendorId: uuid('vendor_id').notNull(),
  /** Null (with hash and masked): the request removes the account. */
  ciphertext: text('ciphertext'),
  hash: text('hash'),
  masked: jsonb('masked').$type<MaskedBankAccount>(),
  status: text('status', { enum: VENDOR_BANK_CHANGE_STATUSES }).notNull().default('pending'),
  requestedBy: uuid('requested_by').notNull(),
  requestedAt: timestamp('requested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  confirmedBy: uuid('confirmed_by'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }),
}, t => [
  primaryKey({ name: 'vendor_bank_changes_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'vendor_bank_changes_vendor_fkey', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
  uniqueIndex('vendor_bank_changes_pending_key').on(t.tenantId, t.vendorId).where(sql`status = 'pending'`),
  index('vendor_bank_changes_vendor_idx').on(t.tenantId, t.vendorId, t.requestedAt),
])
