import { authContracts } from '../../../contracts/auth'
import { permissionsOf } from '../../../domain/identity/rbac'
import { defineApiHandler } from '../../../utils/api'
import { requireUser } from '../../../utils/guards'

export default defineApiHandler(authContracts.me, async (event) => {
  const { user, tenant, roles } = requireUser(event)
  return {
    user,
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, baseCurrency: tenant.baseCurrency, fiscalYearStartMonth: tenant.fiscalYearStartMonth },
    roles,
    permissions: permissionsOf(roles),
  }
})
