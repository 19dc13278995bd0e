import { vendorContracts } from '../../../contracts/vendors'
import { updateVendor } from '../../../domain/purchases/vendors'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(vendorContracts.updateVendor, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateVendor(tx, tenant.id, actor, params.id, { ...body, version }))
})
