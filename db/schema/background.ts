/**
 * Background work: report exports and schedules, the tenant's mail outbox, in-app notifications,
 * and the ledger version that report caches are keyed by.
 *
 * Every table here is a tenant table (RLS enabled, forced, tenant policy; see
 * db/migrations/*_background_security.sql). Queue jobs carry only `{ tenantId, id }`; processors
 * read these rows through `withTenant` like any request.
 */
import { sql } from 'drizzle-orm'
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { id, tenantId, timestamps } from './columns'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const

/**
 * One requested report file. `queued → running → done | failed`; the move to `done` is guarded by
 * the status and the running attempt's token, so a retried job finishes at most one file.
 */
export const reportExports = pgTable('report_exports', {
  tenantId: tenantId(),
  id: id(),
  report: text('report').notNull(),
  format: text('format', { enum: ['csv', 'xlsx', 'pdf'] }).notNull(),
  params: jsonb('params').$type<Record<string, string>>().notNull(),
  status: text('status', { enum: EXPORT_STATUSES }).notNull().default('queued'),
  progress: smallint('progress').notNull().default(0),
  error: text('error'),
  /** The user who asked for it (null for a scheduled run). */
  requestedBy: uuid('requested_by'),
  scheduleId: uuid('schedule_id'),
  /** A scheduled run's key (the schedule's fire time): one export per run, however often retried. */
  runKey: text('run_key'),
  /** Token of the attempt that currently owns the export; a stale attempt cannot finish it. */
  attemptToken: uuid('attempt_token'),
  attempts: integer('attempts').notNull().default(0),
  filename: text('filename'),
  contentType: text('content_type'),
  /** Size in bytes and number of stored parts of the finished file. */
  size: bigint('size', { mode: 'number' }),
  parts: integer('parts'),
  rowCount: integer('row_count'),
  createdAt: timestamps.createdAt,
  startedAt: at('started_at'),
  finishedAt: at('finished_at'),
}, t => [
  primaryKey({ name: 'report_exports_pkey', columns: [t.tenantId, t.id] }),
  unique('report_exports_run_key').on(t.tenantId, t.scheduleId, t.runKey),
  index('report_exports_requester_idx').on(t.tenantId, t.requestedBy, t.createdAt),
])

/** A report generated on a cron schedule (in a time zone) and e-mailed to its recipients. */
export const reportSchedules = pgTable('report_schedules', {
  tenantId: tenantId(),
  id: id(),
  name: text('name').notNull(),
  report: text('report').notNull(),
  format: text('format', { enum: ['csv', 'xlsx', 'pdf'] }).notNull(),
  params: jsonb('params').$type<Record<string, string>>().notNull().default(sql`'{}'::jsonb`),
  cron: text('cron').notNull(),
  timezone: text('timezone').notNull(),
  recipients: text('recipients').array().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by'),
  lastRunAt: at('last_run_at'),
  lastStatus: text('last_status', { enum: ['done', 'failed'] }),
  lastError: text('last_error'),
  lastExportId: uuid('last_export_id'),
  version: integer('version').notNull().default(1),
  ...timestamps,
}, t => [primaryKey({ name: 'report_schedules_pkey', columns: [t.tenantId, t.id] })])

/** A finished export's stored file, attached by reference (read at send time, streamed). */
export interface ExportAttachmentRef {
  filename: string
  contentType: string
  /** The finished export whose stored file is attached. */
  exportId: string
}

/**
 * A generated document (an invoice's PDF) carried in the outbox row itself, base64: written in
 * the same transaction as the mail, so the mail and its file commit or roll back together, and
 * the row keeps exactly what was sent. Bounded by MAIL_INLINE_ATTACHMENT_MAX_BYTES.
 */
export interface InlineAttachment {
  filename: string
  contentType: string
  /** The file's bytes, base64. */
  contentBase64: string
  /** The file's size in bytes (before base64). */
  size: number
}

/** What a mail attaches: a stored export by reference, or a document inline. */
export type MailAttachmentRef = ExportAttachmentRef | InlineAttachment

/**
 * Every e-mail, written in the same transaction as the action that causes it (transactional
 * outbox), then sent by the mail job. Without SMTP_URL rows stay `held`: the back-office shows them.
 */
export const mailOutbox = pgTable('mail_outbox', {
  tenantId: tenantId(),
  id: id(),
  kind: text('kind', { enum: ['invitation', 'password_reset', 'scheduled_report', 'sign_in_alert', 'sales_document', 'vendor_bank_change'] }).notNull(),
  to: text('to').array().notNull(),
  subject: text('subject').notNull(),
  text: text('text').notNull(),
  html: text('html').notNull(),
  attachments: jsonb('attachments').$type<MailAttachmentRef[]>().notNull().default(sql`'[]'::jsonb`),
  /** pending → sent | failed; `held` when no SMTP relay is configured. */
  status: text('status', { enum: ['pending', 'sent', 'failed', 'held'] }).notNull().default('pending'),
  /** Makes the cause's mail unique (e.g. one mail per scheduled run) whatever retries happen. */
  dedupeKey: text('dedupe_key'),
  attempts: integer('attempts').notNull().default(0),
  error: text('error'),
  messageId: text('message_id'),
  createdAt: timestamps.createdAt,
  sentAt: at('sent_at'),
}, t => [
  primaryKey({ name: 'mail_outbox_pkey', columns: [t.tenantId, t.id] }),
  unique('mail_outbox_dedupe_key').on(t.tenantId, t.dedupeKey),
  index('mail_outbox_created_idx').on(t.createdAt),
])

/** In-app notifications, one row per recipient user. */
export const notifications = pgTable('notifications', {
  tenantId: tenantId(),
  id: id(),
  userId: uuid('user_id').notNull(),
  type: text('type').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  link: text('link'),
  /** Makes a cause's notification unique (e.g. `export:<id>`), so a retried job notifies once. */
  dedupeKey: text('dedupe_key'),
  readAt: at('read_at'),
  createdAt: timestamps.createdAt,
}, t => [
  primaryKey({ name: 'notifications_pkey', columns: [t.tenantId, t.id] }),
  unique('notifications_dedupe_key').on(t.tenantId, t.userId, t.dedupeKey),
  index('notifications_user_idx').on(t.tenantId, t.userId, t.id),
])

/**
 * Bumped by triggers on every change that can alter a report (posting, reversal, accounts,
 * periods, exchange rates): report caches are keyed by it, so a cached report is never stale.
 */
export const ledgerVersions = pgTable('ledger_versions', {
  tenantId: tenantId().primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
})
