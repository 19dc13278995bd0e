import { tenantContracts } from '../../../contracts/tenants'
import { defineApiHandler } from '../../../utils/api'
import { requireAdmin } from '../../../utils/guards'

export default defineApiHandler(tenantContracts.adminMe, async event => ({ admin: requireAdmin(event) }))
