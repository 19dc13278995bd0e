import { tenantContracts } from '../../../../contracts/tenants'
import { getTenant, updateTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(tenantContracts.update, async (_event, { params, body, actor, read, write }) => {
  await write((p, unit) => updateTenant(p, unit, params.id, body, actor))
  return read(tx => getTenant(tx, params.id))
})
