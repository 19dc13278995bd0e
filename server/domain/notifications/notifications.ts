/**
 * A member's own in-app notifications: the bell's list, unread count and read marks.
 *
 * Every query names the user as well as running under the tenant's row-level security, so one
 * member never sees or marks another's. Marking read is the member's own inbox state, not a change
 * to the books, so it writes no audit event (it would flood the tamper-evident chain with clicks).
 */
import { and, count, desc, eq, isNull } from 'drizzle-orm'
import { notifications } from '../../../db/schema'
import type { Tx } from '../../../db/tenant'
import { subscribe } from '../../core/events'
import { NotFoundError } from '../errors'
import { NOTIFICATIONS_CHANNEL, type NotificationEvent } from './notify'

export interface NotificationView {
  id: string
  type: string
  title: string
  body: string
  link: string | null
  readAt: Date | null
  createdAt: Date
}

export interface NotificationListQuery { page: number, pageSize: number, unread?: boolean }

const columns = {
  id: notifications.id,
  type: notifications.type,
  title: notifications.title,
  body: notifications.body,
  link: notifications.link,
  readAt: notifications.readAt,
  createdAt: notifications.createdAt,
}

const ownedBy = (userId: string) => eq(notifications.userId, userId)

/** The user's notifications, newest first, with the total matching and how many are unread. */
export async function listNotifications(tx: Tx, userId: string, query: NotificationListQuery): Promise<{ data: NotificationView[], total: number, unread: number }> {
  const filter = and(ownedBy(userId), query.unread ? isNull(notifications.readAt) : undefined)
  const [{ total }] = await tx.select({ total: count() }).from(notifications).where(filter) as [{ total: number }]
  const unread = query.unread ? total : await countUnread(tx, userId)
  // Ids are UUIDv7 (time-ordered), so they break ties between notifications of the same instant.
  const data = await tx.select(columns).from(notifications).where(filter)
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(query.pageSize).offset((query.page - 1) * query.pageSize)
  return { data, total: Number(total), unread }
}

/** How many of the user's notifications are unread. */
export async function countUnread(tx: Tx, userId: string): Promise<number> {
  const [{ n }] = await tx.select({ n: count() }).from(notifications).where(and(ownedBy(userId), isNull(notifications.readAt))) as [{ n: number }]
  return Number(n)
}

/** Marks one of the user's notifications read (a second call keeps the first time); 404 for anyone else's. */
export async function markNotificationRead(tx: Tx, userId: string, id: string): Promise<NotificationView> {
  const [updated] = await tx.update(notifications).set({ readAt: new Date() })
    .where(and(eq(notifications.id, id), ownedBy(userId), isNull(notifications.readAt)))
    .returning(columns)
  if (updated) return updated
  const [existing] = await tx.select(columns).from(notifications).where(and(eq(notifications.id, id), ownedBy(userId)))
  if (!existing) throw new NotFoundError('Notification')
  return existing
}

/** Marks all the user's unread notifications read; returns how many changed. */
export async function markAllNotificationsRead(tx: Tx, userId: string): Promise<number> {
  const updated = await tx.update(notifications).set({ readAt: new Date() })
    .where(and(ownedBy(userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id })
  return updated.length
}

/**
 * Calls `listener` with every new notification for this user in this tenant, from any process
 * (Redis pub/sub across replicas and workers); returns the unsubscribe function.
 */
export function watchNotifications(tenantId: string, userId: string, listener: (notification: NotificationEvent['notification']) => void): () => void {
  return subscribe<NotificationEvent>(NOTIFICATIONS_CHANNEL, (event) => {
    if (event.tenantId === tenantId && event.userId === userId) listener(event.notification)
  })
}
