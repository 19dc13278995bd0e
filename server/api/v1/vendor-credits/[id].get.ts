import { vendorCreditContracts } from '../../../contracts/vendor-credits'
import { getVendorCredit } from '../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorCreditContracts.getVendorCredit, async (_event, { params, tenant, read }) =>
  read(tx => getVendorCredit(tx, tenant.id, params.id)))
