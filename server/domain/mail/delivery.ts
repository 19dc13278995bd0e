/**
 * Sends one outbox mail, tenant or platform: the delivery state machine the `mail` job runs,
 * through the row's MailStore (`tenantMailStore` for `mail_outbox`, `platformMailStore` for
 * `platform_mail_outbox`).
 *
 * - `sent` or `held` rows are left alone, so a duplicate or re-enqueued job is a no-op.
 * - Without SMTP_URL the row becomes `held`: the back-office outbox viewer shows it.
 * - With SMTP_URL the message goes to the relay, then the row is marked `sent`, guarded by its
 *   status, so of two racing jobs only one records the send.
 *
 * Delivery is at least once, not exactly once: SMTP has no idempotency key, so a crash (or a lost
 * job lock) between the relay accepting the message and the status update lets a retry send the
 * same mail again. That window is one UPDATE long; a duplicate mail is the accepted cost, a lost
 * one is not. A `failed` row (all attempts used up) is sent again when its job is retried from
 * the back-office.
 */
import { Readable } from 'node:stream'
import type { ExportAttachmentRef, InlineAttachment, MailAttachmentRef } from '../../../db/schema'
import { redactSecrets } from '../../core/log'
import { mailConfigured, sendMail, type OutgoingAttachment } from '../../core/mailer'
import { openExportAttachments } from '../reports/export-files'

/** What the mail job reads of an outbox row, tenant or platform. */
export interface OutboxMessage {
  status: 'pending' | 'sent' | 'failed' | 'held'
  to: string[]
  subject: string
  text: string
  html: string
  attachments: MailAttachmentRef[]
}

/**
 * The reads and status changes of one mail outbox table (claim, complete, fail). Every change is
 * guarded by the row's status, so of two racing jobs only one records the send.
 */
export interface MailStore {
  /** The tenant whose export files the attachments name; null for platform mail (never attached). */
  tenantId: string | null
  read: (mailId: string) => Promise<OutboxMessage | undefined>
  hold: (mailId: string) => Promise<unknown>
  attemptFailed: (mailId: string, error: string) => Promise<unknown>
  sent: (mailId: string, messageId: string) => Promise<unknown>
  /** All attempts used up: a `pending` row becomes `failed`. */
  failed: (mailId: string, error: string) => Promise<unknown>
}

export const MAIL_STATUSES = ['pending', 'sent', 'failed', 'held'] as const
export const SENDABLE = ['pending', 'failed'] as const

/** The job id of an outbox mail, tenant or platform (they share the `mail` queue). */
export const mailJobId = (mailId: string) => `mail-${mailId}`

/** The most bytes one inline attachment (a generated document) may have: an outbox row stays small. */
export const MAIL_INLINE_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

const isInline = (a: MailAttachmentRef): a is InlineAttachment => 'contentBase64' in a

/**
 * A mail's attachments as the mailer sends them, in the row's order: stored exports streamed
 * from file storage, inline documents decoded from the row. An inline attachment whose bytes do
 * not match its recorded size is an error: a mail never leaves with a damaged file.
 */
export async function openAttachments(tenantId: string, refs: MailAttachmentRef[]): Promise<OutgoingAttachment[]> {
  const exports = await openExportAttachments(tenantId, refs.filter((a): a is ExportAttachmentRef => !isInline(a)))
  let next = 0
  return refs.map((ref) => {
    if (!isInline(ref)) return exports[next++]!
    const bytes = Buffer.from(ref.contentBase64, 'base64')
    if (bytes.length !== ref.size) throw new Error(`attachment ${ref.filename} has ${bytes.length} bytes, ${ref.size} were stored`)
    return { filename: ref.filename, contentType: ref.contentType, content: Readable.from([bytes]) }
  })
}

export type DeliveryOutcome = { skipped: 'missing' | 'sent' | 'held' } | { status: 'held' } | { status: 'sent', messageId: string }

/** Sends one mail of `store` once (see above); throws, after recording the attempt, when the relay refuses it. */
export async function deliverMail(store: MailStore, mailId: string): Promise<DeliveryOutcome> {
  const mail = await store.read(mailId)
  if (!mail) return { skipped: 'missing' }
  if (mail.status === 'sent' || mail.status === 'held') return { skipped: mail.status }

  if (!mailConfigured()) {
    await store.hold(mailId)
    return { status: 'held' }
  }

  let messageId: string
  try {
    const attachments = store.tenantId === null ? [] : await openAttachments(store.tenantId, mail.attachments)
    ;({ messageId } = await sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments }))
  }
  catch (err) {
    await store.attemptFailed(mailId, err instanceof Error ? err.message : String(err))
    throw err
  }
  await store.sent(mailId, messageId)
  return { status: 'sent', messageId }
}

/**
 * A mail's bodies as an operator reads them: operators read mail to help users, not to act as
 * them, so the single-use links in invitations, password resets and sign-ups are masked (the
 * recipient's own copy is unaffected); attachments by name and type (the files stay in storage,
 * an inline document's bytes in the row), an inline one with its size.
 */
export function presentMailBodies(details: Record<string, unknown>): Record<string, unknown> {
  const attachments = (details.attachments ?? []) as MailAttachmentRef[]
  return {
    text: redactSecrets(String(details.text)),
    html: redactSecrets(String(details.html)),
    attachments: attachments.map(a => ({ filename: a.filename, contentType: a.contentType, ...(isInline(a) ? { size: a.size } : {}) })),
  }
}
