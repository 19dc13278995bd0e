import { notificationContracts } from '../../../contracts/notifications'
import { markAllNotificationsRead } from '../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(notificationContracts.readAll, async (_event, { principal, write }) =>
  write(async tx => ({ updated: await markAllNotificationsRead(tx, principal.user.id) })))
