import { tenantContracts } from '../../../../contracts/tenants'
import { getTenant } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(tenantContracts.get, async (_event, { params, read }) => read(tx => getTenant(tx, params.id)))
