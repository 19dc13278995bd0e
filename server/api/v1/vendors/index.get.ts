import { vendorContracts } from '../../../contracts/vendors'
import { listVendors } from '../../../domain/purchases/vendors'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorContracts.listVendors, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listVendors(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
