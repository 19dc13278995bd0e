import { vendorCreditContracts } from '../../../../contracts/vendor-credits'
import { issueVendorCredit } from '../../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(vendorCreditContracts.issueVendorCredit, async (_event, { params, tenant, actor, write }) =>
  write(tx => issueVendorCredit(tx, tenant.id, actor, params.id)))
