import { tenantContracts } from '../../../contracts/tenants'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(tenantContracts.adminMe, async (_event, { admin }) => ({ admin }))
