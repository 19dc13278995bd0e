import { tenantContracts } from '../../../contracts/tenants'
import { describeSignup } from '../../../domain/tenancy/signups'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(tenantContracts.getSignup, async (_event, { params, read }) => read(tx => describeSignup(tx, params.token)))
