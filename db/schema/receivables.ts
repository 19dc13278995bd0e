/**
 * Recurring invoices and dunning reminders (issue 12 point 6, migration 0020): the schedules the
 * worker's receivables job turns into invoices, one run row per occurrence (unique), and one
 * reminder row per invoice and step (unique). See server/domain/sales/README.md "Jobs".
 */
import { boolean, date, foreignKey, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'
import { customers, salesDocuments } from './sales'

export const RECURRING_FREQUENCIES = ['weekly', 'monthly', 'quarterly', 'yearly'] as const
export type RecurringFrequency = typeof RECURRING_FREQUENCIES[number]

/** The invoice body a schedule makes, without its customer (a column), date and due date. */
export interface RecurringTemplate {
  currency?: string
  reference?: string | null
  memo?: string | null
  amountsAre: 'exclusive' | 'inclusive'
  lines: { itemId?: string | null, description: string, quantity: string, unitPrice: string, discountPercent?: string | null, accountId?: string | null, taxRateId?: string | null }[]
}

export const recurringInvoices = pgTable('recurring_invoices', {
  tenantId: tenantId(),
  id: id(),
  customerId: uuid('customer_id').notNull(),
  template: jsonb('template').$type<RecurringTemplate>().notNull(),
  frequency: text('frequency', { enum: RECURRING_FREQUENCIES }).notNull(),
  interval: integer('interval').notNull().default(1),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  endDate: date('end_date', { mode: 'string' }),
  autoIssue: boolean('auto_issue').notNull().default(false),
  autoSend: boolean('auto_send').notNull().default(false),
  /** The next occurrence not made yet; null once past the end date. */
  nextDate: date('next_date', { mode: 'string' }),
  lastGeneratedDate: date('last_generated_date', { mode: 'string' }),
  /** Why the last occurrence could not be issued or sent, if it could not. */
  lastError: text('last_error'),
  isActive: boolean('is_active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'recurring_invoices_pkey', columns: [t.tenantId, t.id] }),
  foreignKey({ name: 'recurring_invoices_customer_fkey', columns: [t.tenantId, t.customerId], foreignColumns: [customers.tenantId, customers.id] }),
])

export const recurringInvoiceRuns = pgTable('recurring_invoice_runs', {
  tenantId: tenantId(),
  id: id(),
  recurringInvoiceId: uuid('recurring_invoice_id').notNull(),
  occurrenceDate: date('occurrence_date', { mode: 'string' }).notNull(),
  invoiceId: uuid('invoice_id'),
  status: text('status', { enum: ['pending', 'done', 'issue_failed'] }).notNull().default('pending'),
  error: text('error'),
  mailId: uuid('mail_id'),
  ...timestamps,
}, t => [
  primaryKey({ name: 'recurring_invoice_runs_pkey', columns: [t.tenantId, t.id] }),
  unique('recurring_invoice_runs_occurrence_key').on(t.tenantId, t.recurringInvoiceId, t.occurrenceDate),
  foreignKey({ name: 'recurring_invoice_runs_schedule_fkey', columns: [t.tenantId, t.recurringInvoiceId], foreignColumns: [recurringInvoices.tenantId, recurringInvoices.id] }).onDelete('cascade'),
  foreignKey({ name: 'recurring_invoice_runs_invoice_fkey', columns: [t.tenantId, t.invoiceId], foreignColumns: [salesDocuments.tenantId, salesDocuments.id] }),
])

export const dunningReminders = pgTable('dunning_reminders', {
  tenantId: tenantId(),
  invoiceId: uuid('invoice_id').notNull(),
  /** The reminder day: days after the due date, one of the settings' `dunningDays`. */
  step: integer('step').notNull(),
  status: text('status', { enum: ['sent', 'skipped', 'not_sent'] }).notNull(),
  daysOverdue: integer('days_overdue').notNull(),
  mailId: uuid('mail_id'),
  error: text('error'),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}, t => [
  primaryKey({ name: 'dunning_reminders_pkey', columns: [t.tenantId, t.invoiceId, t.step] }),
  foreignKey({ name: 'dunning_reminders_invoice_fkey', columns: [t.tenantId, t.invoiceId], foreignColumns: [salesDocuments.tenantId, salesDocuments.id] }),
])
