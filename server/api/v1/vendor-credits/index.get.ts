import { vendorCreditContracts } from '../../../contracts/vendor-credits'
import { listVendorCredits } from '../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorCreditContracts.listVendorCredits, async (_event, { query, read }) => {
  const { data, total } = await read(tx => listVendorCredits(tx, query))
  return { data, page: query.page, pageSize: query.pageSize, total }
})
