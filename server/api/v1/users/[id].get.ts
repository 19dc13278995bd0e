import { withTenant } from '../../../../db/tenant'
import { userContracts } from '../../../contracts/users'
import { getMember } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'
import { setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(userContracts.get, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'users:read')
  const member = await withTenant(tenant.id, tx => getMember(tx, params.id))
  setVersionTag(event, member.version)
  return member
})
