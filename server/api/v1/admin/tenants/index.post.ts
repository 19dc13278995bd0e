import { tenantContracts } from '../../../../contracts/tenants'
import { createTenant, getTenant, prepareTenantOwner } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(tenantContracts.create, async (_event, { body, actor, read, write }) => {
  const owner = await prepareTenantOwner(body)
  const tenant = await write(p => createTenant(p, body, owner, actor))
  return read(tx => getTenant(tx, tenant.id))
})
