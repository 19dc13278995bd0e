/**
 * Purchases (issue 13): vendors and the changes of their bank details (migration 0022). Every
 * table carries `tenant_id` with forced row-level security; keys and foreign keys include
 * `tenant_id`. A bank account is stored encrypted (server/core/encryption.ts) with its keyed hash
 * and masked view; the plain number never reaches the database.
 */
import { sql } from 'drizzle-orm'
import { boolean, char, check, customType, date, foreignKey, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import type { MaskedBankAccount } from '../../shared/purchases/bank-account'
import { id, tenantId, timestamps } from './columns'
import { accounts, journalEntries, money, rate } from './ledger'
import { AMOUNTS_ARE, items, taxRates } from './sales'

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

export const BILL_STATUSES = ['draft', 'awaiting_approval', 'open', 'partially_paid', 'paid', 'void'] as const
/** 0027: a vendor credit is a `bills` row of kind `vendor_credit` (draft → open → void; never awaiting approval). */
export const BILL_KINDS = ['bill', 'vendor_credit'] as const
export const BILL_ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const

/**
 * Bills (0025): the vendor's document, computed and posted as a sales document is
 * (server/domain/sales/documents.ts). Unposted while draft or awaiting approval (no number, no
 * entry); posting numbers it (`BILL-000001`) and credits the AP control account. Triggers keep a
 * submitted bill fixed; `bills_vendor_reference_key` refuses a vendor's reference twice.
 */
export const bills = pgTable('bills', {
  tenantId: tenantId(),
  id: id(),
  /** 0027: `bill`, or `vendor_credit` (the vendor's credit note, posted the other way). */
  kind: text('kind', { enum: BILL_KINDS }).notNull().default('bill'),
  vendorId: uuid('vendor_id').notNull(),
  number: text('number'),
  /** Required for a bill; optional for a vendor credit (0027). */
  vendorReference: text('vendor_reference'),
  /** A vendor credit's original bill (informational; 0027). */
  creditedBillId: uuid('credited_bill_id'),
  status: text('status', { enum: BILL_STATUSES }).notNull().default('draft'),
  date: date('date', { mode: 'string' }).notNull(),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  exchangeRate: rate('exchange_rate').notNull(),
  memo: text('memo'),
  amountsAre: text('amounts_are', { enum: AMOUNTS_ARE }).notNull(),
  subtotal: money('subtotal').notNull().default('0'),
  taxTotal: money('tax_total').notNull().default('0'),
  total: money('total').notNull().default('0'),
  amountAllocated: money('amount_allocated').notNull().default('0'),
  /** Stored generated (0036): the stored open amount is not zero (`total <> amount_allocated`); the agings read these rows. */
  isOpen: boolean('is_open').generatedAlwaysAs(sql`total <> amount_allocated`).notNull(),
  journalEntryId: uuid('journal_entry_id'),
  voidEntryId: uuid('void_entry_id'),
  submittedBy: uuid('submitted_by'),
  submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
  rejectedBy: uuid('rejected_by'),
  rejectedAt: timestamp('rejected_at', { withTimezone: true, mode: 'date' }),
  rejectionReason: text('rejection_reason'),
  postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }),
  voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bills_pkey', columns: [t.tenantId, t.id] }),
  unique('bills_number_key').on(t.tenantId, t.number),
  foreignKey({ name: 'bills_vendor_fkey', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
  foreignKey({ name: 'bills_entry_fkey', columns: [t.tenantId, t.journalEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  foreignKey({ name: 'bills_void_entry_fkey', columns: [t.tenantId, t.voidEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  unique('bills_match_key').on(t.tenantId, t.id, t.vendorId, t.currency),
  foreignKey({ name: 'bills_credited_bill_fkey', columns: [t.tenantId, t.creditedBillId], foreignColumns: [t.tenantId, t.id] }),
  uniqueIndex('bills_vendor_reference_key').on(t.tenantId, t.kind, t.vendorId, sql`lower(${t.vendorReference})`).where(sql`status <> 'void'`),
  index('bills_list_idx').on(t.tenantId, t.kind, t.date, t.id),
  index('bills_vendor_idx').on(t.tenantId, t.vendorId, t.kind, t.status),
  index('bills_status_idx').on(t.tenantId, t.status, t.dueDate),
  // 0036: the agings' open rows, INCLUDE (vendor_id, kind, status, due_date, exchange_rate, total, amount_allocated)
  index('bills_open_idx').on(t.tenantId, t.date).where(sql`is_open`),
])

/** A bill's lines: the expense or asset account resolved at save, the computed figures. */
export const billLines = pgTable('bill_lines', {
  tenantId: tenantId(),
  billId: uuid('bill_id').notNull(),
  lineNo: smallint('line_no').notNull(),
  itemId: uuid('item_id'),
  description: text('description').notNull(),
  quantity: numeric('quantity', { precision: 19, scale: 4 }).notNull(),
  unitPrice: money('unit_price').notNull(),
  discountPercent: numeric('discount_percent', { precision: 7, scale: 4 }).notNull().default('0'),
  accountId: uuid('account_id').notNull(),
  taxRateId: uuid('tax_rate_id'),
  amount: money('amount').notNull(),
  net: money('net').notNull(),
  tax: money('tax').notNull(),
  total: money('total').notNull(),
}, t => [
  primaryKey({ name: 'bill_lines_pkey', columns: [t.tenantId, t.billId, t.lineNo] }),
  foreignKey({ name: 'bill_lines_bill_fkey', columns: [t.tenantId, t.billId], foreignColumns: [bills.tenantId, bills.id] }).onDelete('cascade'),
  foreignKey({ name: 'bill_lines_item_fkey', columns: [t.tenantId, t.itemId], foreignColumns: [items.tenantId, items.id] }),
  foreignKey({ name: 'bill_lines_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'bill_lines_tax_rate_fkey', columns: [t.tenantId, t.taxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  index('bill_lines_tax_rate_idx').on(t.tenantId, t.taxRateId).where(sql`tax_rate_id is not null`),
  index('bill_lines_item_idx').on(t.tenantId, t.itemId).where(sql`item_id is not null`),
])

/** The purchase tax per line and component, as the bill charged it. */
export const billLineTaxes = pgTable('bill_line_taxes', {
  tenantId: tenantId(),
  billId: uuid('bill_id').notNull(),
  lineNo: smallint('line_no').notNull(),
  position: smallint('position').notNull(),
  taxRateId: uuid('tax_rate_id').notNull(),
  name: text('name').notNull(),
  rate: numeric('rate', { precision: 7, scale: 4 }).notNull(),
  accountId: uuid('account_id').notNull(),
  net: money('net').notNull(),
  tax: money('tax').notNull(),
}, t => [
  primaryKey({ name: 'bill_line_taxes_pkey', columns: [t.tenantId, t.billId, t.lineNo, t.position] }),
  foreignKey({ name: 'bill_line_taxes_line_fkey', columns: [t.tenantId, t.billId, t.lineNo], foreignColumns: [billLines.tenantId, billLines.billId, billLines.lineNo] }).onDelete('cascade'),
  foreignKey({ name: 'bill_line_taxes_tax_rate_fkey', columns: [t.tenantId, t.taxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  foreignKey({ name: 'bill_line_taxes_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  index('bill_line_taxes_rate_idx').on(t.tenantId, t.taxRateId),
])

/** PostgreSQL `bytea` as a Buffer. */
export const bytea = customType<{ data: Buffer, driverData: Buffer }>({ dataType: () => 'bytea' })

/** The vendor's document (PDF, PNG, JPEG; sniffed), the bytes in the row. */
export const billAttachments = pgTable('bill_attachments', {
  tenantId: tenantId(),
  id: id(),
  billId: uuid('bill_id').notNull(),
  fileName: text('file_name').notNull(),
  mediaType: text('media_type', { enum: BILL_ATTACHMENT_TYPES }).notNull(),
  bytes: bytea('bytes').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamps.createdAt,
}, t => [
  primaryKey({ name: 'bill_attachments_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'bill_attachments_bill_fkey', columns: [t.tenantId, t.billId], foreignColumns: [bills.tenantId, bills.id] }).onDelete('cascade'),
  index('bill_attachments_bill_idx').on(t.tenantId, t.billId),
])

export const BILL_PAYMENT_STATUSES = ['active', 'void'] as const

/**
 * Bill payments (0027): money paid to a vendor, posted when recorded (Dr AP control, Cr the payment
 * account); numbered `PAY-000001` (gapless); the unallocated rest is a prepayment to the vendor.
 * Trigger `bill_payments_guard`: figures fixed, void once, never deleted.
 */
export const billPayments = pgTable('bill_payments', {
  tenantId: tenantId(),
  id: id(),
  number: text('number').notNull(),
  vendorId: uuid('vendor_id').notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  amount: money('amount').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  exchangeRate: rate('exchange_rate').notNull(),
  paymentAccountId: uuid('payment_account_id').notNull(),
  reference: text('reference'),
  memo: text('memo'),
  amountAllocated: money('amount_allocated').notNull().default('0'),
  /** Stored generated (0036): the stored open amount is not zero (`amount <> amount_allocated`). */
  isOpen: boolean('is_open').generatedAlwaysAs(sql`amount <> amount_allocated`).notNull(),
  status: text('status', { enum: BILL_PAYMENT_STATUSES }).notNull().default('active'),
  journalEntryId: uuid('journal_entry_id').notNull(),
  voidEntryId: uuid('void_entry_id'),
  voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bill_payments_pkey', columns: [t.tenantId, t.id] }),
  unique('bill_payments_number_key').on(t.tenantId, t.number),
  unique('bill_payments_match_key').on(t.tenantId, t.id, t.vendorId, t.currency),
  foreignKey({ name: 'bill_payments_vendor_fkey', columns: [t.tenantId, t.vendorId], foreignColumns: [vendors.tenantId, vendors.id] }),
  foreignKey({ name: 'bill_payments_account_fkey', columns: [t.tenantId, t.paymentAccountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'bill_payments_entry_fkey', columns: [t.tenantId, t.journalEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  foreignKey({ name: 'bill_payments_void_entry_fkey', columns: [t.tenantId, t.voidEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  index('bill_payments_list_idx').on(t.tenantId, t.date, t.id),
  index('bill_payments_vendor_idx').on(t.tenantId, t.vendorId, t.status),
  // 0036: the agings' open rows, INCLUDE (vendor_id, status, exchange_rate, amount, amount_allocated)
  index('bill_payments_open_idx').on(t.tenantId, t.date).where(sql`is_open`),
])

/**
 * One purchase allocation (0027): `amount` of a bill payment or an open vendor credit (exactly one)
 * paying a bill of the same vendor and currency (composite foreign keys), dated `date`.
 * `baseAmountBill` / `baseAmountSource`: the base taken off each side (the settling allocation takes
 * a side's whole remaining base); `fxEntryId`: the realised difference's posting (source
 * {type: 'purchase_allocation', id}); `releasedAt`: its payment was voided. `billDate`, `billDue`,
 * `sourceDate`: set by the trigger `purchase_allocations_apply` (which locks the source, then the
 * bill, refuses over-allocation and moves `amount_allocated` and the bill's status), for the aging.
 */
export const purchaseAllocations = pgTable('purchase_allocations', {
  tenantId: tenantId(),
  id: id(),
  billId: uuid('bill_id').notNull(),
  paymentId: uuid('payment_id'),
  vendorCreditId: uuid('vendor_credit_id'),
  vendorId: uuid('vendor_id').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  amount: money('amount').notNull(),
  baseAmountBill: money('base_amount_bill').notNull(),
  baseAmountSource: money('base_amount_source').notNull(),
  fxEntryId: uuid('fx_entry_id'),
  releasedAt: timestamp('released_at', { withTimezone: true, mode: 'date' }),
  /** Set by the trigger from the bill and the source (whatever the writer gives). */
  billDate: date('bill_date', { mode: 'string' }).notNull(),
  billDue: date('bill_due', { mode: 'string' }).notNull(),
  sourceDate: date('source_date', { mode: 'string' }).notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [
  primaryKey({ name: 'purchase_allocations_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'purchase_allocations_bill_fkey', columns: [t.tenantId, t.billId, t.vendorId, t.currency], foreignColumns: [bills.tenantId, bills.id, bills.vendorId, bills.currency] }),
  foreignKey({ name: 'purchase_allocations_vendor_credit_fkey', columns: [t.tenantId, t.vendorCreditId, t.vendorId, t.currency], foreignColumns: [bills.tenantId, bills.id, bills.vendorId, bills.currency] }),
  foreignKey({ name: 'purchase_allocations_payment_fkey', columns: [t.tenantId, t.paymentId, t.vendorId, t.currency], foreignColumns: [billPayments.tenantId, billPayments.id, billPayments.vendorId, billPayments.currency] }),
  foreignKey({ name: 'purchase_allocations_fx_entry_fkey', columns: [t.tenantId, t.fxEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  check('purchase_allocations_source_check', sql`num_nonnulls(payment_id, vendor_credit_id) = 1`),
  check('purchase_allocations_amount_check', sql`amount > 0 AND base_amount_bill >= 0 AND base_amount_source >= 0`),
  index('purchase_allocations_bill_idx').on(t.tenantId, t.billId),
  index('purchase_allocations_payment_idx').on(t.tenantId, t.paymentId).where(sql`payment_id is not null`),
  index('purchase_allocations_vendor_credit_idx').on(t.tenantId, t.vendorCreditId).where(sql`vendor_credit_id is not null`),
  index('purchase_allocations_vendor_idx').on(t.tenantId, t.vendorId, t.date),
  // keyed by currency since 0036; INCLUDE (vendor_id, amount, bill_date, bill_due, source_date)
  index('purchase_allocations_after_idx').on(t.tenantId, t.currency, t.date).where(sql`released_at is null`),
  index('purchase_allocations_released_idx').on(t.tenantId, t.date).where(sql`released_at is not null`),
])
