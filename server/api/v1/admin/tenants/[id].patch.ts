import { tenantContracts } from '../../../../contracts/tenants'
import { updateTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(tenantContracts.update, async (_event, { params, body, actor }) => updateTenant(params.id, body, actor))
