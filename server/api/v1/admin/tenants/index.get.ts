import { tenantContracts } from '../../../../contracts/tenants'
import { listTenants } from '../../../../domain/tenancy/tenants'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(tenantContracts.list, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listTenants(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
