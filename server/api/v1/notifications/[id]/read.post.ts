import { notificationContracts } from '../../../../contracts/notifications'
import { markNotificationRead } from '../../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../../utils/api'
import { requireUser } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(notificationContracts.read, async (event, { params }) => {
  const { user } = requireUser(event)
  return tenantWrite(event, tx => markNotificationRead(tx, user.id, params.id))
})
