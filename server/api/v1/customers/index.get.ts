import { salesContracts } from '../../../contracts/sales'
import { listCustomers } from '../../../domain/sales/customers'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.listCustomers, async (_event, { query, tenant, read }) => {
  const { data, total } = await read(tx => listCustomers(tx, tenant.id, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
