import { tenantContracts } from '../../../../contracts/tenants'
import { createTenant, getTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(tenantContracts.create, async (event, { body }) => {
  requireAdmin(event)
  const tenant = await createTenant(body, actorOf(event))
  return getTenant(tenant.id)
})
