import { tenantContracts } from '../../../../contracts/tenants'
import { createTenant, getTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(tenantContracts.create, async (_event, { body, actor }) => {
  const tenant = await createTenant(body, actor)
  return getTenant(tenant.id)
})
