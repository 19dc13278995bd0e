import { withTenant } from '../../../../db/tenant'
import { userContracts } from '../../../contracts/users'
import { getMember } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(userContracts.get, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'users:read')
  return withTenant(tenant.id, tx => getMember(tx, params.id))
})
