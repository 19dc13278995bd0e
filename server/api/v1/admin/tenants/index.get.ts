import { tenantContracts } from '../../../../contracts/tenants'
import { listTenants } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'
import { requireAdmin } from '../../../../utils/guards'

export default defineApiHandler(tenantContracts.list, async (event, { query }) => {
  requireAdmin(event)
  const { data, total } = await listTenants(query)
  return { data, page: query.page, pageSize: query.pageSize, total }
})
