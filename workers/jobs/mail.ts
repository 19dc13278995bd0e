/**
 * Sends one outbox mail (server/domain/mail/outbox.ts). The job carries only `{ tenantId, mailId }`;
 * the message is read and its status changed through the table's MailStore (`mail_outbox` through
 * `withTenant`).
 *
 * - `sent` or `held` rows are left alone, so a duplicate or re-enqueued job is a no-op.
 * - Without SMTP_URL the row becomes `held`: the back-office outbox viewer shows it.
 * - With SMTP_URL the message goes to the relay, then the row is marked `sent`, guarded by its
 *   status, so of two racing jobs only one records the send.
 *
 * Delivery is at least once, not exactly once: SMTP has no idempotency key, so a crash (or a lost
 * job lock) between the relay accepting the message and the status update lets a retry send the
 * same mail again. That window is one UPDATE long; a duplicate mail is the accepted cost, a lost
 * one is not.
 *
 * A `failed` row (all attempts used up) is sent again when its job is retried from the back-office.
 *
 * `tenantId: null` names a platform row (`platform_mail_outbox`, the sign-up link): the same steps
 * through platformMailStore, as the platform role.
 */
import { inArray } from 'drizzle-orm'
import { reportExports, type MailAttachmentRef } from '../../db/schema'
import { withTenant } from '../../db/tenant'
import { mailConfigured, sendMail, type OutgoingAttachment } from '../../server/core/mailer'
import { tenantMailStore } from '../../server/domain/mail/outbox'
import { platformMailStore } from '../../server/domain/mail/platform-outbox'
import { openExportFile } from '../../server/domain/reports/exports'
import { defineJobHandler } from './define'

/** Opens the stored export files a mail attaches (streams; read while the message is sent). */
async function openAttachments(tenantId: string | null, refs: MailAttachmentRef[]): Promise<OutgoingAttachment[]> {
  if (!refs.length || tenantId === null) return []
  const rows = await withTenant(tenantId, tx => tx.select().from(reportExports).where(inArray(reportExports.id, refs.map(r => r.exportId))))
  return refs.map((ref) => {
    const row = rows.find(f => f.id === ref.exportId)
    // A missing or unfinished export is an error worth retrying, never a mail without its file.
    if (!row) throw new Error(`attachment export ${ref.exportId} is missing`)
    return { filename: ref.filename, contentType: ref.contentType, content: openExportFile(row).stream }
  })
}

const storeFor = (tenantId: string | null) => (tenantId === null ? platformMailStore : tenantMailStore(tenantId))

export default defineJobHandler({
  queue: 'mail',
  async process(job) {
    const { tenantId, mailId } = job.data
    const store = storeFor(tenantId)
    const mail = await store.read(mailId)
    if (!mail) return { skipped: 'missing' }
    if (mail.status === 'sent' || mail.status === 'held') return { skipped: mail.status }

    if (!mailConfigured()) {
      await store.hold(mailId)
      return { status: 'held' }
    }

    let messageId: string
    try {
      const attachments = await openAttachments(tenantId, mail.attachments)
      ;({ messageId } = await sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, attachments }))
    }
    catch (err) {
      await store.attemptFailed(mailId, err instanceof Error ? err.message : String(err))
      throw err
    }
    await store.sent(mailId, messageId)
    return { status: 'sent', messageId }
  },
  async onFinalFailure({ tenantId, mailId }, err) {
    await storeFor(tenantId).failed(mailId, err.message)
  },
})
