import { z } from 'zod'
import { defineContract, IdParams, listQuery, listResponse, Timestamp, Uuid } from './define'

export const NotificationResource = z.object({
  id: Uuid, type: z.string(), title: z.string(), body: z.string(),
  /** A path inside the tenant's app to open when the notification is clicked. */
  link: z.string().nullable(),
  readAt: Timestamp.nullable(), createdAt: Timestamp,
}).meta({ id: 'Notification' })

export const NotificationListQuery = listQuery(['createdAt']).pick({ page: true, pageSize: true }).extend({
  unread: z.enum(['true', 'false']).transform(v => v === 'true').optional(),
})

export const notificationContracts = {
  list: defineContract({
    operationId: 'listNotifications',
    method: 'get', path: '/api/v1/notifications', tag: 'Notifications', audience: 'tenant',
    summary: 'Your notifications, newest first, with your unread count (`unread`, whatever the page); `?unread=true` lists only unread ones',
    query: NotificationListQuery, response: listResponse(NotificationResource).extend({ unread: z.number().int() }),
  }),
  read: defineContract({
    operationId: 'markNotificationRead',
    method: 'post', path: '/api/v1/notifications/{id}/read', tag: 'Notifications', audience: 'tenant',
    summary: 'Mark one of your notifications read (again: keeps the first time)', params: IdParams, response: NotificationResource, idempotent: true,
  }),
  readAll: defineContract({
    operationId: 'markAllNotificationsRead',
    method: 'post', path: '/api/v1/notifications/read-all', tag: 'Notifications', audience: 'tenant',
    summary: 'Mark all your notifications read', response: z.object({ updated: z.number().int() }), idempotent: true,
  }),
  stream: defineContract({
    operationId: 'streamNotifications',
    method: 'get', path: '/api/v1/notifications/stream', tag: 'Notifications', audience: 'tenant',
    summary: 'Live notifications as server-sent events (text/event-stream): `event: notification` with the notification as JSON data; a comment line every 25 s keeps the connection open',
    produces: ['text/event-stream'],
  }),
}
