import { vendorCreditContracts } from '../../../contracts/vendor-credits'
import { createVendorCredit } from '../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorCreditContracts.createVendorCredit, async (_event, { body, tenant, actor, write }) =>
  write(tx => createVendorCredit(tx, tenant.id, actor, body)))
