import { notificationContracts } from '../../../contracts/notifications'
import { watchNotifications } from '../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../utils/api'
import { streamServerEvents } from '../../../utils/event-stream'

export default defineApiHandler(notificationContracts.stream, async (event, { tenant, principal }) => {
  await streamServerEvents(event, send => watchNotifications(tenant.id, principal.user.id, notification => send('notification', notification)))
})
