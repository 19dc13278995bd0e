/**
 * The platform half of the mail outbox: mail that belongs to no tenant (the sign-up link, sent
 * before the tenant exists). Same rules as `outbox.ts`: the row is written in the transaction of
 * its cause (as the platform role), dispatched only after that commit, sent by the `mail` job
 * with `tenantId: null`, and re-enqueued by the maintenance job if the enqueue was lost.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { platformMailOutbox } from '../../../db/schema'
import { withPlatform, type Tx } from '../../../db/tenant'
import { log } from '../../core/log'
import { enqueue } from '../../core/queues'
import { mailJobId } from '../../../workers/jobs/maintenance'
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

/** Hands a committed platform mail to the `mail` queue; a lost enqueue is retried by the upkeep job. */
export async function dispatchPlatformMail(mailId: string): Promise<void> {
  try {
    await enqueue('mail', { tenantId: null, mailId }, { jobId: mailJobId(mailId) })
  }
  catch (err) {
    log.warn('platform mail enqueue failed; the outbox relay retries it', { mailId, error: err instanceof Error ? err.message : String(err) })
  }
}

const SENDABLE = ['pending', 'failed'] as const

export type PlatformMailRow = typeof platformMailOutbox.$inferSelect

/** The mail job's reads and status changes for a platform row (the tenant path uses withTenant). */
export const platformMailStore = {
  read: (mailId: string): Promise<PlatformMailRow | undefined> =>
    withPlatform(async ({ tx }) => (await tx.select().from(platformMailOutbox).where(eq(platformMailOutbox.id, mailId)))[0]),
  hold: (mailId: string) => withPlatform(({ tx }) => tx.update(platformMailOutbox).set({ status: 'held' })
    .where(and(eq(platformMailOutbox.id, mailId), inArray(platformMailOutbox.status, SENDABLE)))),
  attemptFailed: (mailId: string, error: string) => withPlatform(({ tx }) => tx.update(platformMailOutbox)
    .set({ attempts: sql`${platformMailOutbox.attempts} + 1`, error })
    .where(and(eq(platformMailOutbox.id, mailId), inArray(platformMailOutbox.status, SENDABLE)))),
  sent: (mailId: string, messageId: string) => withPlatform(({ tx }) => tx.update(platformMailOutbox)
    .set({ status: 'sent', messageId, sentAt: new Date(), attempts: sql`${platformMailOutbox.attempts} + 1`, error: null })
    .where(and(eq(platformMailOutbox.id, mailId), inArray(platformMailOutbox.status, SENDABLE)))),
  failed: (mailId: string, error: string) => withPlatform(({ tx }) => tx.update(platformMailOutbox).set({ status: 'failed', error })
    .where(and(eq(platformMailOutbox.id, mailId), eq(platformMailOutbox.status, 'pending')))),
}
