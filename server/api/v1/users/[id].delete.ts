import { userContracts } from '../../../contracts/users'
import { clearCache } from '../../../core/cache'
import { removeMember } from '../../../domain/identity/members'
import { principalCacheKey } from '../../../domain/identity/sessions'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(userContracts.remove, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'users:manage')
  await tenantWrite(event, tx => removeMember(tx, tenant.id, actorOf(event), params.id))
  await clearCache(principalCacheKey(tenant.id, params.id))
  return { ok: true as const }
})
