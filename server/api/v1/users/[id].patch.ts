import { userContracts } from '../../../contracts/users'
import { clearCache } from '../../../core/cache'
import { updateMemberRoles } from '../../../domain/identity/members'
import { principalCacheKey } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(userContracts.update, async (event, { params, body }) => {
  const { tenant } = requirePermission(event, 'users:manage')
  const version = expectedVersion(event, body.version)
  const member = await tenantWrite(event, tx => updateMemberRoles(tx, tenant.id, actorOf(event), params.id, body.roles, version))
  await clearCache(principalCacheKey(tenant.id, params.id))
  setVersionTag(event, member.version)
  return member
})
