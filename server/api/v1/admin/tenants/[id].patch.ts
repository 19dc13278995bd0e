import { tenantContracts } from '../../../../contracts/tenants'
import { updateTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(tenantContracts.update, async (event, { params, body }) => {
  requireAdmin(event)
  return updateTenant(params.id, body, actorOf(event))
})
