import { notificationContracts } from '../../../contracts/notifications'
import { markAllNotificationsRead } from '../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../utils/api'
import { requireUser } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(notificationContracts.readAll, async (event) => {
  const { user } = requireUser(event)
  return tenantWrite(event, async tx => ({ updated: await markAllNotificationsRead(tx, user.id) }))
})
