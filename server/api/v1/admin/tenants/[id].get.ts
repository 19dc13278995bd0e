import { tenantContracts } from '../../../../contracts/tenants'
import { getTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'
import { requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(tenantContracts.get, async (event, { params }) => {
  requireAdmin(event)
  return getTenant(params.id)
})
