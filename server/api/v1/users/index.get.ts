import { withTenant } from '../../../../db/tenant'
import { userContracts } from '../../../contracts/users'
import { listMembers } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(userContracts.list, async (event, { query }) => {
  const { tenant } = requirePermission(event, 'users:read')
  const { data, total } = await withTenant(tenant.id, tx => listMembers(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
