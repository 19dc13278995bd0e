/**
 * Upkeep, once a minute: the relay half of the transactional outbox. Exports and mails are written
 * in the request's transaction and enqueued after it commits; if that enqueue was lost (a crash,
 * the queue briefly down) the row is still `queued`/`pending`, and this job enqueues it again.
 * Job ids are derived from the row id, so a job that still exists is not added twice, and the
 * processors skip rows that are already finished.
 */
import { and, eq, lt, sql } from 'drizzle-orm'
import { mailOutbox, platformMailOutbox, reportExports } from '../../db/schema'
import { withPlatform } from '../../db/tenant'
import { enqueue } from '../../server/core/queues'
import { defineJobHandler } from './define'

const STALE_AFTER = sql`now() - interval '1 minute'`

export const exportJobId = (exportId: string) => `export-${exportId}`
export const mailJobId = (mailId: string) => `mail-${mailId}`

export default defineJobHandler({
  queue: 'maintenance',
  concurrency: 1,
  async process() {
    const { exports, mails, platformMails } = await withPlatform(async ({ tx }) => ({
      exports: await tx.select({ tenantId: reportExports.tenantId, id: reportExports.id }).from(reportExports)
        .where(and(eq(reportExports.status, 'queued'), lt(reportExports.createdAt, STALE_AFTER))).limit(1000),
      mails: await tx.select({ tenantId: mailOutbox.tenantId, id: mailOutbox.id }).from(mailOutbox)
        .where(and(eq(mailOutbox.status, 'pending'), lt(mailOutbox.createdAt, STALE_AFTER))).limit(1000),
      platformMails: await tx.select({ id: platformMailOutbox.id }).from(platformMailOutbox)
        .where(and(eq(platformMailOutbox.status, 'pending'), lt(platformMailOutbox.createdAt, STALE_AFTER))).limit(1000),
    }))
    for (const e of exports) await enqueue('exports', { tenantId: e.tenantId, exportId: e.id }, { jobId: exportJobId(e.id) })
    for (const m of mails) await enqueue('mail', { tenantId: m.tenantId, mailId: m.id }, { jobId: mailJobId(m.id) })
    for (const m of platformMails) await enqueue('mail', { tenantId: null, mailId: m.id }, { jobId: mailJobId(m.id) })
    return { exports: exports.length, mails: mails.length + platformMails.length }
  },
})
