/**
 * Cash and bank (issue 14; migration 0030): bank accounts on GL cash/bank accounts, statement
 * imports and their lines. Every table carries `tenant_id` with forced row-level security; keys and
 * foreign keys include `tenant_id`. An account number is stored encrypted (server/core/encryption.ts)
 * with its keyed hash and masked view; the plain number never reaches the database.
 */
import { sql } from 'drizzle-orm'
import { bigint, boolean, char, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'
import { accounts, journalEntries, money } from './ledger'

export const bankAccounts = pgTable('bank_accounts', {
  tenantId: tenantId(),
  id: id(),
  name: text('name').notNull(),
  /** The GL account (asset, subtype cash or bank); one bank account per GL account. */
  accountId: uuid('account_id').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  /** `v1:<keyId>:…` of the normalised number (IBAN or local), bound to the tenant. */
  accountNumberCiphertext: text('account_number_ciphertext'),
  accountNumberHash: text('account_number_hash'),
  accountNumberMasked: text('account_number_masked'),
  openingBalance: money('opening_balance'),
  openingBalanceDate: date('opening_balance_date', { mode: 'string' }),
  /** The entry that posted the opening balance against opening-balance equity (null: none posted). */
  openingEntryId: uuid('opening_entry_id'),
  /** The CSV mapping saved with an import, reused when an import gives none (server/domain/bank/csv-statement.ts CsvMapping). */
  csvMapping: jsonb('csv_mapping').$type<Record<string, unknown>>(),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bank_accounts_pkey', columns: [t.tenantId, t.id] }),
  unique('bank_accounts_account_key').on(t.tenantId, t.accountId),
  foreignKey({ name: 'bank_accounts_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'bank_accounts_opening_entry_fkey', columns: [t.tenantId, t.openingEntryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  index('bank_accounts_number_hash_idx').on(t.tenantId, t.accountNumberHash).where(sql`account_number_hash is not null`),
])

export const BANK_IMPORT_FORMATS = ['csv', 'ofx', 'camt053'] as const

export const bankImports = pgTable('bank_imports', {
  tenantId: tenantId(),
  id: id(),
  bankAccountId: uuid('bank_account_id').notNull(),
  format: text('format', { enum: BANK_IMPORT_FORMATS }).notNull(),
  fileName: text('file_name'),
  sha256: char('sha256', { length: 64 }).notNull(),
  linesTotal: integer('lines_total').notNull(),
  linesImported: integer('lines_imported').notNull(),
  linesDuplicate: integer('lines_duplicate').notNull(),
  linesSkipped: integer('lines_skipped').notNull(),
  closingBalance: money('closing_balance'),
  closingBalanceDate: date('closing_balance_date', { mode: 'string' }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [
  primaryKey({ name: 'bank_imports_pkey', columns: [t.tenantId, t.id] }),
  unique('bank_imports_account_key').on(t.tenantId, t.id, t.bankAccountId),
  foreignKey({ name: 'bank_imports_bank_account_fkey', columns: [t.tenantId, t.bankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  index('bank_imports_account_idx').on(t.tenantId, t.bankAccountId, t.createdAt),
])

export const BANK_TRANSACTION_STATUSES = ['unmatched', 'matched', 'reconciled'] as const

export const bankTransactions = pgTable('bank_transactions', {
  tenantId: tenantId(),
  id: id(),
  bankAccountId: uuid('bank_account_id').notNull(),
  importId: uuid('import_id').notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  /** Signed: money in positive, out negative; never zero. */
  amount: money('amount').notNull(),
  description: text('description').notNull(),
  reference: text('reference'),
  bankId: text('bank_id'),
  counterparty: text('counterparty'),
  /** server/domain/bank/statement.ts lineKeys: unique per bank account, so no line is imported twice. */
  dedupeKey: text('dedupe_key').notNull(),
  status: text('status', { enum: BANK_TRANSACTION_STATUSES }).notNull().default('unmatched'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bank_transactions_pkey', columns: [t.tenantId, t.id] }),
  unique('bank_transactions_dedupe_key').on(t.tenantId, t.bankAccountId, t.dedupeKey),
  foreignKey({ name: 'bank_transactions_bank_account_fkey', columns: [t.tenantId, t.bankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  foreignKey({ name: 'bank_transactions_import_fkey', columns: [t.tenantId, t.importId, t.bankAccountId], foreignColumns: [bankImports.tenantId, bankImports.id, bankImports.bankAccountId] }),
  index('bank_transactions_list_idx').on(t.tenantId, t.bankAccountId, t.status, t.date, t.id),
  index('bank_transactions_import_idx').on(t.tenantId, t.importId),
])

export const BANK_IMPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const

/**
 * An import of more than 5,000 lines, run by the worker (migration 0034): the file's text is in file
 * storage (`parts` of it, server/core/files.ts), the CSV mapping in force when it was asked for is
 * kept here. `queued → running → done | failed`; done names the import, failed its error; a
 * finished job never changes (trigger).
 */
export const bankImportJobs = pgTable('bank_import_jobs', {
  tenantId: tenantId(),
  id: id(),
  bankAccountId: uuid('bank_account_id').notNull(),
  format: text('format', { enum: BANK_IMPORT_FORMATS }).notNull(),
  fileName: text('file_name'),
  mapping: jsonb('mapping').$type<Record<string, unknown>>(),
  saveMapping: boolean('save_mapping').notNull().default(false),
  size: bigint('size', { mode: 'number' }).notNull(),
  parts: integer('parts').notNull(),
  sha256: char('sha256', { length: 64 }).notNull(),
  status: text('status', { enum: BANK_IMPORT_JOB_STATUSES }).notNull().default('queued'),
  progress: smallint('progress').notNull().default(0),
  linesParsed: integer('lines_parsed').notNull().default(0),
  linesTotal: integer('lines_total'),
  linesWritten: integer('lines_written').notNull().default(0),
  importId: uuid('import_id'),
  errorCode: text('error_code'),
  error: text('error'),
  errorFields: jsonb('error_fields').$type<Record<string, string>>(),
  /** Token of the attempt that owns the job; a stale attempt cannot finish it. */
  attemptToken: uuid('attempt_token'),
  attempts: integer('attempts').notNull().default(0),
  requestedBy: uuid('requested_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
}, t => [
  primaryKey({ name: 'bank_import_jobs_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'bank_import_jobs_bank_account_fkey', columns: [t.tenantId, t.bankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  foreignKey({ name: 'bank_import_jobs_import_fkey', columns: [t.tenantId, t.importId, t.bankAccountId], foreignColumns: [bankImports.tenantId, bankImports.id, bankImports.bankAccountId] }),
  index('bank_import_jobs_account_idx').on(t.tenantId, t.bankAccountId, t.createdAt),
  index('bank_import_jobs_waiting_idx').on(t.createdAt).where(sql`status = 'queued'`),
])
