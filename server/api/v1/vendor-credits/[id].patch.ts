import { vendorCreditContracts } from '../../../contracts/vendor-credits'
import { updateVendorCredit } from '../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorCreditContracts.updateVendorCredit, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => updateVendorCredit(tx, tenant.id, actor, params.id, body)))
