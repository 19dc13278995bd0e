/**
 * General ledger: chart of accounts, fiscal years and monthly periods, journal entries and lines,
 * per-tenant-per-year entry counters, balances per account and period, exchange rates.
 *
 * Invariants that PostgreSQL itself holds (db/migrations/*_ledger_invariants.sql), whatever code
 * writes: a posted entry balances in base currency (deferred constraint trigger, checked at
 * commit); posted entries and their lines are immutable; nothing posts into a closed period; a
 * line has exactly one positive side; an entry is reversed at most once; posted numbers are unique
 * per tenant and fiscal year.
 */
import { sql } from 'drizzle-orm'
import { boolean, char, check, date, foreignKey, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'

/** Amounts: 4 decimals at most (the API also caps them at the currency's minor unit). */
export const money = (name: string) => numeric(name, { precision: 20, scale: 4 })
/** Exchange rates: base units per one unit of the foreign currency. */
export const rate = (name: string) => numeric(name, { precision: 24, scale: 10 })

export const accounts = pgTable('accounts', {
  tenantId: tenantId(),
  id: id(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  type: text('type', { enum: ['asset', 'liability', 'equity', 'revenue', 'expense'] }).notNull(),
  subtype: text('subtype').notNull(),
  parentId: uuid('parent_id'),
  /** Null: any currency (amounts in base); set: only entries in that currency post here. */
  currency: char('currency', { length: 3 }),
  isActive: boolean('is_active').notNull().default(true),
  /** retained_earnings | fx_gain_loss | fx_rounding for the accounts every chart has. */
  systemKey: text('system_key'),
  /** The AR or AP control account named in the settings (at most one of each; migration 0016). */
  isControl: boolean('is_control').notNull().default(false),
  description: text('description'),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'accounts_pkey', columns: [t.tenantId, t.id] }),
  unique('accounts_code_key').on(t.tenantId, t.code),
  uniqueIndex('accounts_system_key').on(t.tenantId, t.systemKey).where(sql`system_key is not null`),
  uniqueIndex('accounts_control_key').on(t.tenantId, t.subtype).where(sql`is_control`),
  foreignKey({ name: 'accounts_parent_fkey', columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
])

export const fiscalYears = pgTable('fiscal_years', {
  tenantId: tenantId(),
  id: id(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  endDate: date('end_date', { mode: 'string' }).notNull(),
  status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
  closingEntryId: uuid('closing_entry_id'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'fiscal_years_pkey', columns: [t.tenantId, t.id] }),
  unique('fiscal_years_start_key').on(t.tenantId, t.startDate),
])

export const fiscalPeriods = pgTable('fiscal_periods', {
  tenantId: tenantId(),
  id: id(),
  fiscalYearId: uuid('fiscal_year_id').notNull(),
  number: smallint('number').notNull(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  endDate: date('end_date', { mode: 'string' }).notNull(),
  status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
  closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  closedBy: uuid('closed_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'fiscal_periods_pkey', columns: [t.tenantId, t.id] }),
  unique('fiscal_periods_start_key').on(t.tenantId, t.startDate),
  unique('fiscal_periods_number_key').on(t.tenantId, t.fiscalYearId, t.number),
  foreignKey({ name: 'fiscal_periods_year_fkey', columns: [t.tenantId, t.fiscalYearId], foreignColumns: [fiscalYears.tenantId, fiscalYears.id] }),
])

export const journalEntries = pgTable('journal_entries', {
  tenantId: tenantId(),
  id: id(),
  fiscalYearId: uuid('fiscal_year_id').notNull(),
  periodId: uuid('period_id').notNull(),
  /** Assigned at posting from the year's counter; drafts have none. */
  number: integer('number'),
  date: date('date', { mode: 'string' }).notNull(),
  memo: text('memo').notNull(),
  reference: text('reference'),
  currency: char('currency', { length: 3 }).notNull(),
  exchangeRate: rate('exchange_rate').notNull(),
  status: text('status', { enum: ['draft', 'posted'] }).notNull().default('draft'),
  kind: text('kind', { enum: ['manual', 'reversal', 'revaluation', 'year_end'] }).notNull().default('manual'),
  reversalOfId: uuid('reversal_of_id'),
  reversedById: uuid('reversed_by_id'),
  /**
   * The document that caused the posting (`{type, id}`): a reversed entry, a fiscal year's close, a
   * revaluation, later an invoice or a payment. Null for a manual entry, which is its own document.
   */
  sourceType: text('source_type'),
  sourceId: uuid('source_id'),
  postedAt: timestamp('posted_at', { withTimezone: true, mode: 'date' }),
  postedBy: uuid('posted_by'),
  createdBy: uuid('created_by'),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [
  primaryKey({ name: 'journal_entries_pkey', columns: [t.tenantId, t.id] }),
  unique('journal_entries_number_key').on(t.tenantId, t.fiscalYearId, t.number),
  uniqueIndex('journal_entries_reversal_of_key').on(t.tenantId, t.reversalOfId).where(sql`reversal_of_id is not null`),
  index('journal_entries_date_idx').on(t.tenantId, t.date),
  index('journal_entries_status_idx').on(t.tenantId, t.status, t.date),
  index('journal_entries_source_idx').on(t.tenantId, t.sourceType, t.sourceId),
  check('journal_entries_source_check', sql`(source_type is null) = (source_id is null) and (source_type is null or source_type ~ '^[a-z][a-z_]{0,39}$')`),
  foreignKey({ name: 'journal_entries_year_fkey', columns: [t.tenantId, t.fiscalYearId], foreignColumns: [fiscalYears.tenantId, fiscalYears.id] }),
  foreignKey({ name: 'journal_entries_period_fkey', columns: [t.tenantId, t.periodId], foreignColumns: [fiscalPeriods.tenantId, fiscalPeriods.id] }),
  foreignKey({ name: 'journal_entries_reversal_of_fkey', columns: [t.tenantId, t.reversalOfId], foreignColumns: [t.tenantId, t.id] }),
])

export const journalLines = pgTable('journal_lines', {
  tenantId: tenantId(),
  id: id(),
  entryId: uuid('entry_id').notNull(),
  lineNo: smallint('line_no').notNull(),
  accountId: uuid('account_id').notNull(),
  description: text('description'),
  /** In the entry's currency. */
  debit: money('debit').notNull().default('0'),
  credit: money('credit').notNull().default('0'),
  /** In the tenant's base currency: amount × rate, half-up to the base minor unit. */
  baseDebit: money('base_debit').notNull().default('0'),
  baseCredit: money('base_credit').notNull().default('0'),
  /** The line carrying a multi-currency entry's base rounding residual (zero in entry currency). */
  isRounding: boolean('is_rounding').notNull().default(false),
  /**
   * The line's signed amount (debit positive) in its ACCOUNT's own currency, only where that is a fixed
   * foreign currency other than the entry's (a transfer between two foreign currencies; migration
   * 0035): such an account's foreign balance is sum(coalesce(account_amount, debit - credit)).
   */
  accountAmount: money('account_amount'),
  entryDate: date('entry_date', { mode: 'string' }).notNull(),
}, t => [
  primaryKey({ name: 'journal_lines_pkey', columns: [t.tenantId, t.id] }),
  unique('journal_lines_line_key').on(t.tenantId, t.entryId, t.lineNo),
  index('journal_lines_account_idx').on(t.tenantId, t.accountId, t.entryDate),
  /** The bank matching suggestions: one account's lines of one (base) amount (migration 0032). */
  index('journal_lines_amount_idx').on(t.tenantId, t.accountId, sql`(base_debit - base_credit)`, t.entryDate),
  foreignKey({ name: 'journal_lines_entry_fkey', columns: [t.tenantId, t.entryId], foreignColumns: [journalEntries.tenantId, journalEntries.id] }).onDelete('cascade'),
  foreignKey({ name: 'journal_lines_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
])

/** One row per tenant and fiscal year, locked by the posting transaction: numbers have no gaps. */
export const entryCounters = pgTable('entry_counters', {
  tenantId: tenantId(),
  fiscalYearId: uuid('fiscal_year_id').notNull(),
  lastNumber: integer('last_number').notNull().default(0),
}, t => [
  primaryKey({ name: 'entry_counters_pkey', columns: [t.tenantId, t.fiscalYearId] }),
  foreignKey({ name: 'entry_counters_year_fkey', columns: [t.tenantId, t.fiscalYearId], foreignColumns: [fiscalYears.tenantId, fiscalYears.id] }),
])

/** Posted base-currency movements per account and period, kept by a trigger on posting. */
export const accountBalances = pgTable('account_balances', {
  tenantId: tenantId(),
  accountId: uuid('account_id').notNull(),
  periodId: uuid('period_id').notNull(),
  debit: money('debit').notNull().default('0'),
  credit: money('credit').notNull().default('0'),
}, t => [
  primaryKey({ name: 'account_balances_pkey', columns: [t.tenantId, t.accountId, t.periodId] }),
  foreignKey({ name: 'account_balances_account_fkey', columns: [t.tenantId, t.accountId], foreignColumns: [accounts.tenantId, accounts.id] }),
  foreignKey({ name: 'account_balances_period_fkey', columns: [t.tenantId, t.periodId], foreignColumns: [fiscalPeriods.tenantId, fiscalPeriods.id] }),
])

export const exchangeRates = pgTable('exchange_rates', {
  tenantId: tenantId(),
  id: id(),
  currency: char('currency', { length: 3 }).notNull(),
  date: date('date', { mode: 'string' }).notNull(),
  rate: rate('rate').notNull(),
  ...timestamps,
}, t => [
  primaryKey({ name: 'exchange_rates_pkey', columns: [t.tenantId, t.id] }),
  unique('exchange_rates_currency_date_key').on(t.tenantId, t.currency, t.date),
])
