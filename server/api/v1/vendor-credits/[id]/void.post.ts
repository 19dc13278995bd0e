import { vendorCreditContracts } from '../../../../contracts/vendor-credits'
import { voidVendorCredit } from '../../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(vendorCreditContracts.voidVendorCredit, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => voidVendorCredit(tx, tenant.id, actor, params.id, body)))
