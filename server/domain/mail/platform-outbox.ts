/**
 * The platform half of the mail outbox: mail that belongs to no tenant (the sign-up link, sent
 * before the tenant exists). Same rules as `outbox.ts`: the row is written in the transaction of
 * its cause (as the platform role), dispatched only after that commit (`dispatchMail(null, id)`),
 * sent by the `mail` job with `tenantId: null`, and re-enqueued by the outbox relay if the
 * enqueue was lost.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { platformMailOutbox } from '../../../db/schema'
import { withPlatform, type Tx } from '../../../db/tenant'
import { defineOutboxKind } from '../outbox/define'
import { deliverMail, MAIL_STATUSES, mailJobId, presentMailBodies, SENDABLE, type MailStore } from './delivery'
import type { RenderedMail } from './templates'

export interface NewPlatformMail extends RenderedMail {
  kind: 'signup'
  to: string[]
}

/** Writes a platform mail inside the caller's `withPlatform` transaction; returns its id. */
export async function queuePlatformMail(tx: Tx, mail: NewPlatformMail): Promise<string> {
  const [row] = await tx.insert(platformMailOutbox).values(mail).returning({ id: platformMailOutbox.id })
  return row!.id
}

export type PlatformMailRow = typeof platformMailOutbox.$inferSelect

const sendable = (mailId: string) => and(eq(platformMailOutbox.id, mailId), inArray(platformMailOutbox.status, SENDABLE))

/** The platform outbox for the mail job (tenant rows: tenantMailStore); its mails have no attachments. */
export const platformMailStore: MailStore = {
  tenantId: null,
  read: async (mailId) => {
    const row = (await withPlatform(({ tx }) => tx.select().from(platformMailOutbox).where(eq(platformMailOutbox.id, mailId))))[0]
    return row && { ...row, attachments: [] }
  },
  hold: mailId => withPlatform(({ tx }) => tx.update(platformMailOutbox).set({ status: 'held' }).where(sendable(mailId))),
  attemptFailed: (mailId, error) => withPlatform(({ tx }) => tx.update(platformMailOutbox)
    .set({ attempts: sql`${platformMailOutbox.attempts} + 1`, error }).where(sendable(mailId))),
  sent: (mailId, messageId) => withPlatform(({ tx }) => tx.update(platformMailOutbox)
    .set({ status: 'sent', messageId, sentAt: new Date(), attempts: sql`${platformMailOutbox.attempts} + 1`, error: null }).where(sendable(mailId))),
  failed: (mailId, error) => withPlatform(({ tx }) => tx.update(platformMailOutbox).set({ status: 'failed', error })
    .where(and(eq(platformMailOutbox.id, mailId), eq(platformMailOutbox.status, 'pending')))),
}

/** Platform mail as an outbox kind: jobs `{ tenantId: null, mailId }` on the `mail` queue. */
export const platformMailKind = defineOutboxKind({
  name: 'platform-mail',
  table: platformMailOutbox,
  id: platformMailOutbox.id,
  status: platformMailOutbox.status,
  createdAt: platformMailOutbox.createdAt,
  statuses: MAIL_STATUSES,
  view: {
    tenantId: null, type: platformMailOutbox.kind, title: platformMailOutbox.subject, recipients: platformMailOutbox.to,
    attempts: platformMailOutbox.attempts, error: platformMailOutbox.error, finishedAt: platformMailOutbox.sentAt,
    details: { text: platformMailOutbox.text, html: platformMailOutbox.html },
    present: presentMailBodies,
  },
  queue: 'mail',
  jobId: mailJobId,
  jobData: ref => ({ tenantId: null, mailId: ref.id }),
  refOf: data => (data.tenantId === null ? { tenantId: null, id: data.mailId } : null),
  process: ref => deliverMail(platformMailStore, ref.id),
  fail: async (ref, error) => {
    await platformMailStore.failed(ref.id, error.message)
  },
})
