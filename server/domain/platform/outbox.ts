/**
 * The back-office view of every tenant's mail outbox (SPEC §6.13: without SMTP_URL mail is held
 * and read here). It is a cross-tenant read of message contents, so each list and each opened
 * mail is recorded in the platform audit log, naming what was looked at, and the bearer links in
 * the bodies (invitation, password reset, sign-up) are masked.
 */
import { count, desc, eq } from 'drizzle-orm'
import { mailOutbox, tenants } from '../../../db/schema'
import { withPlatform } from '../../../db/tenant'
import { redactSecrets } from '../../core/log'
import type { MAIL_STATUSES } from '../../contracts/operations'
import type { Actor } from '../audit/audit'
import { NotFoundError } from '../errors'
import { recordPlatformAudit } from './admins'

type MailStatus = typeof MAIL_STATUSES[number]

export interface OutboxMail {
  id: string
  tenantId: string
  tenantSlug: string | null
  kind: string
  to: string[]
  subject: string
  status: MailStatus
  attempts: number
  error: string | null
  createdAt: Date
  sentAt: Date | null
}

export interface OutboxMailDetail extends OutboxMail {
  text: string
  html: string
  attachments: { filename: string, contentType: string }[]
}

const summary = {
  id: mailOutbox.id, tenantId: mailOutbox.tenantId, tenantSlug: tenants.slug, kind: mailOutbox.kind, to: mailOutbox.to,
  subject: mailOutbox.subject, status: mailOutbox.status, attempts: mailOutbox.attempts, error: mailOutbox.error,
  createdAt: mailOutbox.createdAt, sentAt: mailOutbox.sentAt,
}

/** One page of outgoing mail across tenants, newest first, optionally of one status. */
export async function listOutbox(query: { page: number, pageSize: number, status?: MailStatus }, actor: Actor): Promise<{ data: OutboxMail[], total: number }> {
  const filter = query.status ? eq(mailOutbox.status, query.status) : undefined
  const result = await withPlatform(async ({ tx }) => {
    const [{ total }] = await tx.select({ total: count() }).from(mailOutbox).where(filter) as [{ total: number }]
    const data = await tx.select(summary).from(mailOutbox).leftJoin(tenants, eq(tenants.id, mailOutbox.tenantId)).where(filter)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
    return { data, total: Number(total) }
  })
  await recordPlatformAudit(actor, 'outbox.list', 'mail_outbox', undefined, { status: query.status ?? null, page: query.page, ids: result.data.map(m => m.id) })
  return result
}

/** One outgoing mail with its bodies; attachments by name and type (the files stay in storage). */
export async function getOutboxMail(id: string, actor: Actor): Promise<OutboxMailDetail> {
  const [row] = await withPlatform(({ tx }) => tx.select({ ...summary, text: mailOutbox.text, html: mailOutbox.html, attachments: mailOutbox.attachments })
    .from(mailOutbox).leftJoin(tenants, eq(tenants.id, mailOutbox.tenantId)).where(eq(mailOutbox.id, id)))
  if (!row) throw new NotFoundError('Mail')
  await recordPlatformAudit(actor, 'outbox.read', 'mail_outbox', id, { tenantId: row.tenantId })
  // Operators read mail to help users, not to act as them: the single-use links in invitations,
  // password resets and sign-ups are masked (the recipient's own copy is unaffected).
  return { ...row, text: redactSecrets(row.text), html: redactSecrets(row.html), attachments: row.attachments.map(a => ({ filename: a.filename, contentType: a.contentType })) }
}
