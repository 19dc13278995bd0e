/**
 * Cash and bank (issue 14; migration 0030): bank accounts on GL cash/bank accounts, statement
 * imports and their lines. Every table carries `tenant_id` with forced row-level security; keys and
 * foreign keys include `tenant_id`. An account number is stored encrypted (server/core/encryption.ts)
 * with its keyed hash and masked view; the plain number never reaches the database.
 */
import { sql } from 'drizzle-orm'
import { bigint, boolean, char, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'
import { accounts, journalEntries, journalLines, money } from './ledger'
import { taxRates } from './sales'

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
  /** The reconciliation that cleared this line (migration 0031); a line is in at most one. */
  reconciliationId: uuid('reconciliation_id'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bank_transactions_pkey', columns: [t.tenantId, t.id] }),
  unique('bank_transactions_account_key').on(t.tenantId, t.id, t.bankAccountId),
  foreignKey({ name: 'bank_transactions_reconciliation_fkey', columns: [t.tenantId, t.reconciliationId, t.bankAccountId], foreignColumns: [bankReconciliations.tenantId, bankReconciliations.id, bankReconciliations.bankAccountId] }),
  index('bank_transactions_reconciliation_idx').on(t.tenantId, t.reconciliationId).where(sql`reconciliation_id is not null`),
  unique('bank_transactions_dedupe_key').on(t.tenantId, t.bankAccountId, t.dedupeKey),
  foreignKey({ name: 'bank_transactions_bank_account_fkey', columns: [t.tenantId, t.bankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  foreignKey({ name: 'bank_transactions_import_fkey', columns: [t.tenantId, t.importId, t.bankAccountId], foreignColumns: [bankImports.tenantId, bankImports.id, bankImports.bankAccountId] }),
  index('bank_transactions_list_idx').on(t.tenantId, t.bankAccountId, t.status, t.date, t.id),
  index('bank_transactions_import_idx').on(t.tenantId, t.importId),
])

export const BANK_RECONCILIATION_STATUSES = ['open', 'completed'] as const

/** A reconciliation session of one bank account up to a statement date (migration 0031). */
export const bankReconciliations = pgTable('bank_reconciliations', {
  tenantId: tenantId(),
  id: id(),
  bankAccountId: uuid('bank_account_id').notNull(),
  statementDate: date('statement_date', { mode: 'string' }).notNull(),
  statementEndingBalance: money('statement_ending_balance').notNull(),
  /** Where the session starts: the previous completed session's ending balance, else the bank account's opening balance (0 without one). */
  openingBalance: money('opening_balance').notNull(),
  status: text('status', { enum: BANK_RECONCILIATION_STATUSES }).notNull().default('open'),
  completedBy: uuid('completed_by'),
  completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bank_reconciliations_pkey', columns: [t.tenantId, t.id] }),
  unique('bank_reconciliations_account_key').on(t.tenantId, t.id, t.bankAccountId),
  foreignKey({ name: 'bank_reconciliations_bank_account_fkey', columns: [t.tenantId, t.bankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  uniqueIndex('bank_reconciliations_one_open_key').on(t.tenantId, t.bankAccountId).where(sql`status = 'open'`),
  index('bank_reconciliations_account_idx').on(t.tenantId, t.bankAccountId, t.statementDate),
])

export const BANK_RULE_DIRECTIONS = ['in', 'out'] as const

/** A categorisation rule: conditions on a bank line → an account, tax rate and memo (migration 0031). */
export const bankRules = pgTable('bank_rules', {
  tenantId: tenantId(),
  id: id(),
  name: text('name').notNull(),
  /** Lower first. */
  priority: integer('priority').notNull(),
  descriptionContains: text('description_contains'),
  /** Bounds on the line's absolute amount. */
  amountMin: money('amount_min'),
  amountMax: money('amount_max'),
  direction: text('direction', { enum: BANK_RULE_DIRECTIONS }),
  accountId: uuid('account_id').notNull(),
  taxRateId: uuid('tax_rate_id'),
  memo: text('memo'),
  autoApply: boolean('auto_apply').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'bank_rules_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'bank_rules_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'bank_rules_tax_rate_fkey', columns: [t.tenantId, t.taxRateId], foreignColumns: [taxRates.tenantId, taxRates.id] }),
  index('bank_rules_priority_idx').on(t.tenantId, t.priority, t.id),
])

/** A transfer between two bank accounts: one posted entry (migration 0031). */
export const bankTransfers = pgTable('bank_transfers', {
  tenantId: tenantId(),
  id: id(),
  fromBankAccountId: uuid('from_bank_account_id').notNull(),
  toBankAccountId: uuid('to_bank_account_id').notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  /** In the from account's currency. */
  amount: money('amount').notNull(),
  /** In the to account's currency (equal to `amount` when the currencies are). */
  toAmount: money('to_amount').notNull(),
  reference: text('reference'),
  entryId: uuid('entry_id').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [
  primaryKey({ name: 'bank_transfers_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'bank_transfers_from_fkey', columns: [t.tenantId, t.fromBankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  foreignKey({ name: 'bank_transfers_to_fkey', columns: [t.tenantId, t.toBankAccountId], foreignColumns: [bankAccounts.tenantId, bankAccounts.id] }),
  foreignKey({ name: 'bank_transfers_entry_fkey', columns: [t.tenantId, t.entryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }),
  unique('bank_transfers_entry_key').on(t.tenantId, t.entryId),
  index('bank_transfers_date_idx').on(t.tenantId, t.date, t.id),
])

export const BANK_MATCH_SOURCES = ['journal_line', 'receipt', 'bill_payment', 'categorized', 'rule', 'transfer'] as const

/** One GL line matched to one bank line; a GL line is matched at most once (migration 0031). */
export const bankMatches = pgTable('bank_matches', {
  tenantId: tenantId(),
  id: id(),
  bankTransactionId: uuid('bank_transaction_id').notNull(),
  bankAccountId: uuid('bank_account_id').notNull(),
  journalLineId: uuid('journal_line_id').notNull(),
  /** The GL line's signed amount in the bank account's currency (debit − credit: money in positive). */
  amount: money('amount').notNull(),
  source: text('source', { enum: BANK_MATCH_SOURCES }).notNull(),
  /** The rule that categorised the line (source `rule`); null once the rule is deleted. */
  ruleId: uuid('rule_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [
  primaryKey({ name: 'bank_matches_pkey', columns: [t.tenantId, t.id] }),
  unique('bank_matches_line_key').on(t.tenantId, t.journalLineId),
  foreignKey({ name: 'bank_matches_transaction_fkey', columns: [t.tenantId, t.bankTransactionId, t.bankAccountId], foreignColumns: [bankTransactions.tenantId, bankTransactions.id, bankTransactions.bankAccountId] }),
  foreignKey({ name: 'bank_matches_journal_line_fkey', columns: [t.tenantId, t.journalLineId], foreignColumns: [journalLines.tenantId, journalLines.id] }),
  index('bank_matches_transaction_idx').on(t.tenantId, t.bankTransactionId),
  index('bank_matches_rule_idx').on(t.tenantId, t.ruleId).where(sql`rule_id is not null`),
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
  /** New lines categorised on import by a rule marked autoApply (the import's `categorized`). */
  linesCategorized: integer('lines_categorized').notNull().default(0),
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
