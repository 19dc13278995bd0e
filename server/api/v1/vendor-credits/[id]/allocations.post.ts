import { vendorCreditContracts } from '../../../../contracts/vendor-credits'
import { allocateVendorCredit } from '../../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(vendorCreditContracts.allocateVendorCredit, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => allocateVendorCredit(tx, tenant.id, actor, params.id, body)))
