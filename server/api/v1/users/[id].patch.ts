import { userContracts } from '../../../contracts/users'
import { clearCache } from '../../../core/cache'
import { updateMemberRoles } from '../../../domain/identity/members'
import { principalCacheKey } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion, setVersionTag } from '../../../utils/versioning'

export default defineApiHandler(userContracts.update, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  const member = await write((tx, unit) => {
    unit.afterCommit(() => clearCache(principalCacheKey(tenant.id, params.id)))
    return updateMemberRoles(tx, tenant.id, actor, params.id, body.roles, version)
  })
  setVersionTag(event, member.version)
  return member
})
