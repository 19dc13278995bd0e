import { vendorContracts } from '../../../contracts/vendors'
import { getVendor } from '../../../domain/purchases/vendors'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(vendorContracts.getVendor, async (_event, { params, read }) => read(tx => getVendor(tx, params.id)))
