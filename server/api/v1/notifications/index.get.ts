import { notificationContracts } from '../../../contracts/notifications'
import { listNotifications } from '../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(notificationContracts.list, async (_event, { query, principal, read }) => {
  const { data, total, unread } = await read(tx => listNotifications(tx, principal.user.id, query))
  return { data, page: query.page, pageSize: query.pageSize, total, unread }
})
