import { authContracts } from '../../../contracts/auth'
import { permissionsOf } from '../../../domain/identity/rbac'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(authContracts.me, async (_event, { principal: { user, tenant, roles } }) => ({
  user,
  tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, baseCurrency: tenant.baseCurrency, fiscalYearStartMonth: tenant.fiscalYearStartMonth },
  roles,
  permissions: permissionsOf(roles),
}))
