import { vendorContracts } from '../../../contracts/vendors'
import { createVendor } from '../../../domain/purchases/vendors'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorContracts.createVendor, async (_event, { body, tenant, actor, write }) =>
  write(tx => createVendor(tx, tenant.id, actor, body)))
