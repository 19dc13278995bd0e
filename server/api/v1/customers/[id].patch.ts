import { salesContracts } from '../../../contracts/sales'
import { updateCustomer } from '../../../domain/sales/customers'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(salesContracts.updateCustomer, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateCustomer(tx, tenant.id, actor, params.id, { ...body, version }))
})
