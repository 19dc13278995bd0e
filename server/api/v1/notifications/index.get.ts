import { withTenant } from '../../../../db/tenant'
import { notificationContracts } from '../../../contracts/notifications'
import { listNotifications } from '../../../domain/notifications/notifications'
import { defineApiHandler } from '../../../utils/api'
import { requireUser } from '../../../utils/guards'

export default defineApiHandler(notificationContracts.list, async (event, { query }) => {
  const { tenant, user } = requireUser(event)
  const { data, total, unread } = await withTenant(tenant.id, tx => listNotifications(tx, user.id, query), { userId: user.id })
  return { data, page: query.page, pageSize: query.pageSize, total, unread }
})
