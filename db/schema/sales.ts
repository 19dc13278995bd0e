/**
 * Sales (issue 12): tax rates and their components, customers and items (migration 0016); invoices
 * and credit notes, their lines and taxes, and the document counters (0018). Every table carries
 * `tenant_id` with forced row-level security; keys and foreign keys include `tenant_id`.
 */
import { sql } from 'drizzle-orm'
import { bigint, boolean, char, check, date, foreignKey, index, integer, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid, numeric } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'
import { accounts, journalEntries, money, rate } from './ledger'

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

export const SALES_DOCUMENT_KINDS = ['invoice', 'credit_note'] as const
export const SALES_DOCUMENT_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'void'] as const
export const AMOUNTS_ARE = ['exclusive', 'inclusive'] as const

/**
 * Invoices and credit notes. A draft has no number and no entry; issuing numbers it from
 * `document_counters` and posts `journal_entry_id` (source {type: kind, id}); voiding posts
 * `void_entry_id`. `amount_allocated` is maintained by the allocations (receipts, credit notes) and
 * bounded 0 ≤ amount_allocated ≤ total. Triggers (0018) keep an issued document's figures fixed.
 */
export const salesDocuments = pgTable('sales_documents', {
  tenantId: tenantId(),
  id: id(),
  kind: text('kind', { enum: SALES_DOCUMENT_KINDS }).notNull(),
  customerId: uuid('customer_id').notNull(),
  /** Given at issue: the prefix and a gapless 6-digit number (`INV-000001`, `CN-000001`). */
  number: text('number'),
  status: text('status', { enum: SALES_DOCUMENT_STATUSES }).notNull().default('draft'),
  date: date('date', { mode: 'string' }).notNull(),
  /** Invoices only. */
  dueDate: date('due_date', { mode: 'string' }),
  currency: char('currency', { length: 3 }).notNull(),
  /** Base units per one unit of `currency` (1 for the base currency). */
  exchangeRate: rate('exchange_rate').notNull(),
  reference: text('reference'),
  memo: text('memo'),
  amountsAre: text('amounts_are', { enum: AMOUNTS_ARE }).notNull(),
  subtotal: money('subtotal').notNull().default('0'),
  taxTotal: money('tax_total').notNull().default('0'),
  total: money('total').notNull().default('0'),
  amountAllocated: money('amount_allocated').notNull().default('0'),
  /** Stored generated (0036): the stored open amount is not zero (`total <> amount_allocated`); the agings read these rows. */
  isOpen: boolean('is_open').generatedAlwaysAs(sql`total <> amount_allocated`).notNull(),
  /** A credit note's original invoice: same customer and currency (foreign key). */
  invoiceId: uuid('invoice_id'),
  journalEntryId: uuid('journal_entry_id'),
  voidEntryId: uuid('void_entry_id'),
  issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }),
  voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'sales_documents_pkey', columns: [t.tenantId, t.id] }),
  unique('sales_documents_number_key').on(t.tenantId, t.kind, t.number),
  unique('sales_documents_match_key').on(t.tenantId, t.id, t.customerId, t.currency),
  foreignKey({ name: 'sales_documents_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  foreignKey({ name: 'sales_documents_invoice_fkey', columns: [t.tenantId, t.invoiceId, t.customerId, t.currency], foreignColumns: [t.tenantId, t.id, t.customerId, t.currency] }),
  foreignKey({ name: 'sales_documents_entry_fkey', columns: [t.tenantId, t.journalEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  foreignKey({ name: 'sales_documents_void_entry_fkey', columns: [t.tenantId, t.voidEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  check('sales_documents_allocated_check', sql`amount_allocated >= 0 AND amount_allocated <= total`),
  index('sales_documents_list_idx').on(t.tenantId, t.kind, t.date, t.id),
  index('sales_documents_customer_idx').on(t.tenantId, t.customerId, t.kind, t.status),
  index('sales_documents_invoice_idx').on(t.tenantId, t.invoiceId).where(sql`invoice_id is not null`),
  // 0036: the agings' open rows, INCLUDE (customer_id, kind, status, due_date, exchange_rate, total, amount_allocated)
  index('sales_documents_open_idx').on(t.tenantId, t.date).where(sql`is_open`),
])

/** A document's lines with the income account resolved at save and the computed figures. */
export const salesDocumentLines = pgTable('sales_document_lines', {
  tenantId: tenantId(),
  documentId: uuid('document_id').notNull(),
  /** 1, 2, … in the document's order. */
  lineNo: smallint('line_no').notNull(),
  itemId: uuid('item_id'),
  description: text('description').notNull(),
  quantity: numeric('quantity', { precision: 19, scale: 4 }).notNull(),
  unitPrice: money('unit_price').notNull(),
  discountPercent: percent('discount_percent').notNull().default('0'),
  /** The line's accountId, else its item's income account. */
  accountId: uuid('account_id').notNull(),
  taxRateId: uuid('tax_rate_id'),
  amount: money('amount').notNull(),
  net: money('net').notNull(),
  tax: money('tax').notNull(),
  total: money('total').notNull(),
}, t => [
  primaryKey({ name: 'sales_document_lines_pkey', columns: [t.tenantId, t.documentId, t.lineNo] }),
  foreignKey({ name: 'sales_document_lines_document_fkey', columns: [t.tenantId, t.documentId], foreignColumns: [salesDocuments.tenantId, salesDocuments.id] }).onDelete('cascade'),
  foreignKey({ name: 'sales_document_lines_item_fkey', columns: [t.tenantId, t.itemId], foreignColumns: [items.tenantId, items.id] }),
  foreignKey({ name: 'sales_document_lines_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'sales_document_lines_tax_rate_fkey', columns: [t.tenantId, t.taxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  index('sales_document_lines_tax_rate_idx').on(t.tenantId, t.taxRateId).where(sql`tax_rate_id is not null`),
  index('sales_document_lines_item_idx').on(t.tenantId, t.itemId).where(sql`item_id is not null`),
])

/**
 * Each line's tax per component, with the component's name, rate and account as issued (a simple
 * rate is one component at position 0): the PDF's tax per rate and the tax summary read these.
 */
export const salesDocumentLineTaxes = pgTable('sales_document_line_taxes', {
  tenantId: tenantId(),
  documentId: uuid('document_id').notNull(),
  lineNo: smallint('line_no').notNull(),
  position: smallint('position').notNull(),
  taxRateId: uuid('tax_rate_id').notNull(),
  name: text('name').notNull(),
  rate: percent('rate').notNull(),
  accountId: uuid('account_id').notNull(),
  net: money('net').notNull(),
  tax: money('tax').notNull(),
}, t => [
  primaryKey({ name: 'sales_document_line_taxes_pkey', columns: [t.tenantId, t.documentId, t.lineNo, t.position] }),
  foreignKey({ name: 'sales_document_line_taxes_line_fkey', columns: [t.tenantId, t.documentId, t.lineNo], foreignColumns: [salesDocumentLines.tenantId, salesDocumentLines.documentId, salesDocumentLines.lineNo] }).onDelete('cascade'),
  foreignKey({ name: 'sales_document_line_taxes_tax_rate_fkey', columns: [t.tenantId, t.taxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  foreignKey({ name: 'sales_document_line_taxes_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  index('sales_document_line_taxes_rate_idx').on(t.tenantId, t.taxRateId),
])

/**
 * Gapless document numbers per tenant, kind and prefix: taken with `UPDATE … RETURNING` inside the
 * issuing transaction (row lock until commit), so a rolled-back issue burns no number.
 */
export const documentCounters = pgTable('document_counters', {
  tenantId: tenantId(),
  kind: text('kind').notNull(),
  prefix: text('prefix').notNull(),
  nextNumber: bigint('next_number', { mode: 'number' }).notNull().default(1),
}, t => [
  primaryKey({ name: 'document_counters_pkey', columns: [t.tenantId, t.kind, t.prefix] }),
])

export const RECEIPT_STATUSES = ['active', 'void'] as const
/** Receipts are numbered `RCT-000001` from `document_counters` (kind `receipt`). */
export const RECEIPT_PREFIX = 'RCT-'

/**
 * Money received from a customer (migration 0019): posted at once (debit the deposit account,
 * credit the AR control account, source {type: 'receipt', id}); `amount_allocated` is moved by its
 * allocations only (0 ≤ amount_allocated ≤ amount); the rest is the customer's credit. Void posts
 * the reversal and releases the allocations. Immutable otherwise (trigger `receipts_guard`).
 */
export const receipts = pgTable('receipts', {
  tenantId: tenantId(),
  id: id(),
  /** Gapless per tenant: `RCT-000001`. */
  number: text('number').notNull(),
  customerId: uuid('customer_id').notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  amount: money('amount').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  /** Base units per one unit of `currency` (1 for the base currency). */
  exchangeRate: rate('exchange_rate').notNull(),
  depositAccountId: uuid('deposit_account_id').notNull(),
  reference: text('reference'),
  memo: text('memo'),
  amountAllocated: money('amount_allocated').notNull().default('0'),
  /** Stored generated (0036): the stored open amount is not zero (`amount <> amount_allocated`). */
  isOpen: boolean('is_open').generatedAlwaysAs(sql`amount <> amount_allocated`).notNull(),
  status: text('status', { enum: RECEIPT_STATUSES }).notNull().default('active'),
  journalEntryId: uuid('journal_entry_id').notNull(),
  voidEntryId: uuid('void_entry_id'),
  voidedAt: timestamp('voided_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'receipts_pkey', columns: [t.tenantId, t.id] }),
  unique('receipts_number_key').on(t.tenantId, t.number),
  unique('receipts_match_key').on(t.tenantId, t.id, t.customerId, t.currency),
  foreignKey({ name: 'receipts_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
  foreignKey({ name: 'receipts_deposit_account_fkey', columns: [t.tenantId, t.depositAccountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'receipts_entry_fkey', columns: [t.tenantId, t.journalEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  foreignKey({ name: 'receipts_void_entry_fkey', columns: [t.tenantId, t.voidEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  check('receipts_amount_check', sql`amount > 0`),
  check('receipts_allocated_check', sql`amount_allocated >= 0 AND amount_allocated <= amount`),
  index('receipts_list_idx').on(t.tenantId, t.date, t.id),
  index('receipts_customer_idx').on(t.tenantId, t.customerId, t.status),
  // 0036: the agings' open rows, INCLUDE (customer_id, status, exchange_rate, amount, amount_allocated)
  index('receipts_open_idx').on(t.tenantId, t.date).where(sql`is_open`),
])

/**
 * One allocation (0019): `amount` of a receipt or an issued credit note (exactly one) paying an
 * invoice of the same customer and currency (composite foreign keys), dated `date`.
 * `baseAmountInvoice` / `baseAmountSource`: the base taken off each side (amount × its rate, rounded;
 * the allocation that settles a side takes its whole remaining base); `fxEntryId`: the realised
 * difference's posting (source {type: 'sales_allocation', id}), null when none. `releasedAt`: its
 * receipt was voided — it no longer counts. Trigger `sales_allocations_apply` locks the source then
 * the invoice, refuses over-allocation and moves `amount_allocated` and the invoice's status.
 */
export const salesAllocations = pgTable('sales_allocations', {
  tenantId: tenantId(),
  id: id(),
  invoiceId: uuid('invoice_id').notNull(),
  receiptId: uuid('receipt_id'),
  creditNoteId: uuid('credit_note_id'),
  customerId: uuid('customer_id').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  amount: money('amount').notNull(),
  baseAmountInvoice: money('base_amount_invoice').notNull(),
  baseAmountSource: money('base_amount_source').notNull(),
  fxEntryId: uuid('fx_entry_id'),
  releasedAt: timestamp('released_at', { withTimezone: true, mode: 'date' }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [
  primaryKey({ name: 'sales_allocations_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'sales_allocations_invoice_fkey', columns: [t.tenantId, t.invoiceId, t.customerId, t.currency], foreignColumns: [salesDocuments.tenantId, salesDocuments.id, salesDocuments.customerId, salesDocuments.currency] }),
  foreignKey({ name: 'sales_allocations_credit_note_fkey', columns: [t.tenantId, t.creditNoteId, t.customerId, t.currency], foreignColumns: [salesDocuments.tenantId, salesDocuments.id, salesDocuments.customerId, salesDocuments.currency] }),
  foreignKey({ name: 'sales_allocations_receipt_fkey', columns: [t.tenantId, t.receiptId, t.customerId, t.currency], foreignColumns: [receipts.tenantId, receipts.id, receipts.customerId, receipts.currency] }),
  foreignKey({ name: 'sales_allocations_fx_entry_fkey', columns: [t.tenantId, t.fxEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  check('sales_allocations_source_check', sql`num_nonnulls(receipt_id, credit_note_id) = 1`),
  check('sales_allocations_amount_check', sql`amount > 0 AND base_amount_invoice >= 0 AND base_amount_source >= 0`),
  index('sales_allocations_invoice_idx').on(t.tenantId, t.invoiceId),
  index('sales_allocations_receipt_idx').on(t.tenantId, t.receiptId).where(sql`receipt_id is not null`),
  index('sales_allocations_credit_note_idx').on(t.tenantId, t.creditNoteId).where(sql`credit_note_id is not null`),
  index('sales_allocations_customer_idx').on(t.tenantId, t.customerId, t.date),
  // the aging's corrections: allocations dated after its date (0026, keyed by currency since 0036,
  // INCLUDE (customer_id, amount, invoice_date, invoice_due, source_date)) and released ones (0021)
  index('sales_allocations_after_idx').on(t.tenantId, t.currency, t.date).where(sql`released_at is null`),
  index('sales_allocations_released_idx').on(t.tenantId, t.date).where(sql`released_at is not null`),
])
