import { salesContracts } from '../../../contracts/sales'
import { updateItem } from '../../../domain/sales/items'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(salesContracts.updateItem, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateItem(tx, tenant.id, actor, params.id, { ...body, version }))
})
