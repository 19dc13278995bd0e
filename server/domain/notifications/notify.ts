/**
 * In-app notifications: stored per recipient, then published so every web replica's open
 * notification streams (SSE) show them at once (server/core/events.ts: Redis pub/sub or in-process).
 * A `dedupeKey` makes a cause notify each recipient once, however often a job is retried.
 */
import { arrayOverlaps } from 'drizzle-orm'
import { withTenant } from '../../../db/tenant'
import { memberships, notifications } from '../../../db/schema'
import { publish } from '../../core/events'

export const NOTIFICATIONS_CHANNEL = 'notifications'

export interface NewNotification {
  type: string
  title: string
  body?: string
  /** A path inside the tenant's app, e.g. `/reports/exports`. */
  link?: string
  dedupeKey?: string
}

export interface NotificationEvent {
  tenantId: string
  userId: string
  notification: { id: string, type: string, title: string, body: string, link: string | null, readAt: null, createdAt: string }
}

/** Notifies the given users, or the tenant's owners and admins; returns how many were created. */
export async function notifyUsers(tenantId: string, recipients: string[] | 'admins', input: NewNotification): Promise<number> {
  const created = await withTenant(tenantId, async (tx) => {
    const userIds = recipients === 'admins'
      ? (await tx.select({ userId: memberships.userId }).from(memberships).where(arrayOverlaps(memberships.roles, ['owner', 'admin']))).map(r => r.userId)
      : recipients
    if (!userIds.length) return []
    return tx.insert(notifications)
      .values(userIds.map(userId => ({ tenantId, userId, type: input.type, title: input.title, body: input.body ?? '', link: input.link ?? null, dedupeKey: input.dedupeKey ?? null })))
      .onConflictDoNothing()
      .returning()
  })
  for (const n of created) {
    const event: NotificationEvent = {
      tenantId, userId: n.userId,
      notification: { id: n.id, type: n.type, title: n.title, body: n.body, link: n.link, readAt: null, createdAt: n.createdAt.toISOString() },
    }
    await publish(NOTIFICATIONS_CHANNEL, event)
  }
  return created.length
}
