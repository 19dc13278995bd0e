import { userContracts } from '../../../contracts/users'
import { clearCache } from '../../../core/cache'
import { removeMember } from '../../../domain/identity/members'
import { principalCacheKey } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(userContracts.remove, async (_event, { params, tenant, actor, write }) => {
  await write((tx, unit) => {
    unit.afterCommit(() => clearCache(principalCacheKey(tenant.id, params.id)))
    return removeMember(tx, tenant.id, actor, params.id)
  })
  return { ok: true as const }
})
