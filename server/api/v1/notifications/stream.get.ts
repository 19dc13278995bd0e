import { notificationContracts } from '../../../contracts/notifications'
import { watchNotifications } from '../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../utils/api'
import { streamServerEvents } from '../../../utils/event-stream'
import { requireUser } from '../../../utils/guards'

export default defineApiHandler(notificationContracts.stream, async (event) => {
  const { tenant, user } = requireUser(event)
  await streamServerEvents(event, send => watchNotifications(tenant.id, user.id, notification => send('notification', notification)))
})
