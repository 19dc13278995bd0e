import { userContracts } from '../../../contracts/users'
import { addMember } from '../../../domain/identity/members'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(userContracts.create, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'users:manage')
  return tenantWrite(event, tx => addMember(tx, tenant.id, actorOf(event), body), { status: 201 })
})
