import { vendorCreditContracts } from '../../../contracts/vendor-credits'
import { deleteVendorCredit } from '../../../domain/purchases/vendor-credits'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorCreditContracts.deleteVendorCredit, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteVendorCredit(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
