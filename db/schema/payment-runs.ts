/**
 * Payment runs (0028, issue 13 point 4): bills paid together from one account, prepared by one
 * person and approved by another with `ap:pay`. The items carry a copy of their run's status
 * (kept in step by the foreign key's ON UPDATE CASCADE) so `payment_run_items_prepared_key` can
 * hold a bill in at most one prepared run. Triggers keep an approved or cancelled run, its items
 * and its files fixed (server/domain/purchases/payment-runs.ts).
 */
import { sql } from 'drizzle-orm'
import { char, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { tenantId, id, timestamps } from './columns'
import { accounts, money } from './ledger'
import { billPayments, bills, bytea, vendors } from './purchases'

export const PAYMENT_RUN_STATUSES = ['prepared', 'approved', 'cancelled'] as const
/** Why a bill of a run was left out: the vendor has no usable bank details (server/domain/purchases/bank-file.ts `splitPayable`). */
export const PAYMENT_RUN_EXCLUSIONS = ['no_account', 'invalid_iban', 'invalid_account_number', 'invalid_bic'] as const
export const PAYMENT_RUN_FORMATS = ['pain001', 'csv'] as const
/** Payment runs are numbered `PR-000001` from `document_counters` (kind `payment_run`) when prepared. */
export const PAYMENT_RUN_PREFIX = 'PR-'

export const paymentRuns = pgTable('payment_runs', {
  tenantId: tenantId(),
  id: id(),
  number: text('number').notNull(),
  status: text('status', { enum: PAYMENT_RUN_STATUSES }).notNull().default('prepared'),
  date: date('date', { mode: 'string' }).notNull(),
  paymentAccountId: uuid('payment_account_id').notNull(),
  dueOnOrBefore: date('due_on_or_before', { mode: 'string' }),
  preparedBy: uuid('prepared_by').notNull(),
  preparedAt: timestamp('prepared_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
  cancelledBy: uuid('cancelled_by'),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'payment_runs_pkey', columns: [t.tenantId, t.id] }),
  unique('payment_runs_number_key').on(t.tenantId, t.number),
  unique('payment_runs_status_key').on(t.tenantId, t.id, t.status),
  foreignKey({ name: 'payment_runs_account_fkey', columns: [t.tenantId, t.paymentAccountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  index('payment_runs_list_idx').on(t.tenantId, t.date, t.id),
])

/** A bill of a run: the amount it pays, then the payment that paid it or why it was left out. */
export const paymentRunItems = pgTable('payment_run_items', {
  tenantId: tenantId(),
  runId: uuid('run_id').notNull(),
  runStatus: text('run_status', { enum: PAYMENT_RUN_STATUSES }).notNull().default('prepared'),
  billId: uuid('bill_id').notNull(),
  vendorId: uuid('vendor_id').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  amount: money('amount').notNull(),
  excludedReason: text('excluded_reason', { enum: PAYMENT_RUN_EXCLUSIONS }),
  paymentId: uuid('payment_id'),
}, t => [
  primaryKey({ name: 'payment_run_items_pkey', columns: [t.tenantId, t.runId, t.billId] }),
  foreignKey({ name: 'payment_run_items_run_fkey', columns: [t.tenantId, t.runId, t.runStatus], foreignColumns: [paymentRuns.tenantId, paymentRuns.id, paymentRuns.status] }).onUpdate('cascade'),
  foreignKey({ name: 'payment_run_items_bill_fkey', columns: [t.tenantId, t.billId], foreignColumns: [bills.tenantId, bills.id] }),
  foreignKey({ name: 'payment_run_items_vendor_fkey', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
  foreignKey({ name: 'payment_run_items_payment_fkey', columns: [t.tenantId, t.paymentId], foreignColumns: [billPayments.tenantId, billPayments.id] }),
  uniqueIndex('payment_run_items_prepared_key').on(t.tenantId, t.billId).where(sql`run_status = 'prepared'`),
  index('payment_run_items_bill_idx').on(t.tenantId, t.billId),
])

/** The bank files approval produced (pain.001.001.03, CSV), stored so every download is the same bytes. */
export const paymentRunFiles = pgTable('payment_run_files', {
  tenantId: tenantId(),
  runId: uuid('run_id').notNull(),
  format: text('format', { enum: PAYMENT_RUN_FORMATS }).notNull(),
  fileName: text('file_name').notNull(),
  mediaType: text('media_type', { enum: ['application/xml', 'text/csv'] }).notNull(),
  bytes: bytea('bytes').notNull(),
  sha256: text('sha256').notNull(),
  createdAt: timestamps.createdAt,
}, t => [
  primaryKey({ name: 'payment_run_files_pkey', columns: [t.tenantId, t.runId, t.format] }),
  foreignKey({ name: 'payment_run_files_run_fkey', columns: [t.tenantId, t.runId], foreignColumns: [paymentRuns.tenantId, paymentRuns.id] }),
])
