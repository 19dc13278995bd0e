/**
 * The tenant mail outbox (a transactional outbox, server/domain/outbox): a mail is a
 * `mail_outbox` row written in the same transaction as the action that causes it, so a rolled-back
 * action sends nothing and a committed one is never forgotten. After the commit the caller
 * dispatches it to the `mail` queue; if that enqueue is lost, the outbox relay re-enqueues pending
 * rows older than a minute, and the job id derived from the row id keeps it to one job.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { mailOutbox, type MailAttachmentRef } from '../../../db/schema'
import { withTenant, type Tx } from '../../../db/tenant'
import { defineOutboxKind, dispatchOutbox } from '../outbox/define'
import { deliverMail, MAIL_STATUSES, mailJobId, presentMailBodies, SENDABLE, type MailStore } from './delivery'
import { platformMailKind } from './platform-outbox'

export type MailKind = 'invitation' | 'password_reset' | 'scheduled_report' | 'sign_in_alert' | 'sales_document' | 'vendor_bank_change'

export interface NewMail {
  kind: MailKind
  to: string[]
  subject: string
  text: string
  html: string
  attachments?: MailAttachmentRef[]
  /** One mail per cause (e.g. a scheduled run): a second queueMail with this key returns the first. */
  dedupeKey?: string
}

/**
 * Writes a mail into the outbox inside the caller's tenant transaction. With a `dedupeKey` that
 * was already used in this tenant, nothing is written and the existing mail's id comes back with
 * `created: false`.
 */
export async function queueMail(tx: Tx, tenantId: string, mail: NewMail): Promise<{ id: string, created: boolean }> {
  const [row] = await tx.insert(mailOutbox).values({
    tenantId,
    kind: mail.kind,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments ?? [],
    dedupeKey: mail.dedupeKey ?? null,
  }).onConflictDoNothing({ target: [mailOutbox.tenantId, mailOutbox.dedupeKey] }).returning({ id: mailOutbox.id })
  if (row) return { id: row.id, created: true }
  const [existing] = await tx.select({ id: mailOutbox.id }).from(mailOutbox)
    .where(and(eq(mailOutbox.tenantId, tenantId), eq(mailOutbox.dedupeKey, mail.dedupeKey!)))
  return { id: existing!.id, created: false }
}

/**
 * Hands a committed outbox mail to the `mail` queue (`tenantId: null`: a platform mail,
 * platform-outbox.ts). Call it only after the transaction that queued the mail has committed (the
 * job reads the row). A failed enqueue is logged, not thrown: the row stays `pending` and the
 * relay enqueues it again within a minute or two.
 */
export async function dispatchMail(tenantId: string | null, mailId: string): Promise<void> {
  await dispatchOutbox(tenantId === null ? platformMailKind : tenantMailKind, { tenantId, id: mailId })
}

/** Mails queued inside a transaction, waiting for its commit. */
export interface MailCollector {
  /** A mail of the tenant's outbox, or (`null`) of the platform's (a sign-up link). */
  add: (tenantId: string | null, mailId: string) => void
  dispatch: () => Promise<void>
}

/**
 * Collects the mails queued during one transaction so the caller can dispatch them once it has
 * committed (a route's `write` does: `unit.mail`, dispatched after the commit).
 * If the transaction fails, `dispatch` is never reached and the rolled-back rows are never sent.
 */
export function collectMail(): MailCollector {
  const queued: { tenantId: string | null, mailId: string }[] = []
  return {
    add: (tenantId, mailId) => {
      queued.push({ tenantId, mailId })
    },
    dispatch: async () => {
      for (const m of queued.splice(0)) await dispatchMail(m.tenantId, m.mailId)
    },
  }
}

/** A tenant's `mail_outbox`, through withTenant. */
export function tenantMailStore(tenantId: string): MailStore {
  const sendable = (mailId: string) => and(eq(mailOutbox.id, mailId), inArray(mailOutbox.status, SENDABLE))
  return {
    tenantId,
    read: mailId => withTenant(tenantId, async tx => (await tx.select().from(mailOutbox).where(eq(mailOutbox.id, mailId)))[0]),
    hold: mailId => withTenant(tenantId, tx => tx.update(mailOutbox).set({ status: 'held' }).where(sendable(mailId))),
    attemptFailed: (mailId, error) => withTenant(tenantId, tx => tx.update(mailOutbox).set({ attempts: sql`${mailOutbox.attempts} + 1`, error }).where(sendable(mailId))),
    sent: (mailId, messageId) => withTenant(tenantId, tx => tx.update(mailOutbox)
      .set({ status: 'sent', messageId, sentAt: new Date(), attempts: sql`${mailOutbox.attempts} + 1`, error: null }).where(sendable(mailId))),
    failed: (mailId, error) => withTenant(tenantId, tx => tx.update(mailOutbox).set({ status: 'failed', error })
      .where(and(eq(mailOutbox.id, mailId), eq(mailOutbox.status, 'pending')))),
  }
}

/** Tenant mail as an outbox kind: jobs `{ tenantId, mailId }` on the `mail` queue. */
export const tenantMailKind = defineOutboxKind({
  name: 'mail',
  table: mailOutbox,
  id: mailOutbox.id,
  status: mailOutbox.status,
  createdAt: mailOutbox.createdAt,
  statuses: MAIL_STATUSES,
  view: {
    tenantId: mailOutbox.tenantId, type: mailOutbox.kind, title: mailOutbox.subject, recipients: mailOutbox.to,
    attempts: mailOutbox.attempts, error: mailOutbox.error, finishedAt: mailOutbox.sentAt,
    details: { text: mailOutbox.text, html: mailOutbox.html, attachments: mailOutbox.attachments },
    present: presentMailBodies,
  },
  queue: 'mail',
  jobId: mailJobId,
  jobData: ref => ({ tenantId: ref.tenantId, mailId: ref.id }),
  refOf: data => (data.tenantId === null ? null : { tenantId: data.tenantId, id: data.mailId }),
  process: ref => deliverMail(tenantMailStore(ref.tenantId!), ref.id),
  fail: async (ref, error) => {
    await tenantMailStore(ref.tenantId!).failed(ref.id, error.message)
  },
})
