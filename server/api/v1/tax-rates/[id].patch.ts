import { salesContracts } from '../../../contracts/sales'
import { updateTaxRate } from '../../../domain/sales/tax-rates'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(salesContracts.updateTaxRate, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateTaxRate(tx, tenant.id, actor, params.id, { ...body, version }))
})
