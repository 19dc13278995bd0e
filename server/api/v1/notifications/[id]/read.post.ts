import { notificationContracts } from '../../../../contracts/notifications'
import { markNotificationRead } from '../../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(notificationContracts.read, async (_event, { params, principal, write }) =>
  write(tx => markNotificationRead(tx, principal.user.id, params.id)))
