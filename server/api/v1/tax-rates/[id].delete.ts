import { salesContracts } from '../../../contracts/sales'
import { deleteTaxRate } from '../../../domain/sales/tax-rates'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.deleteTaxRate, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteTaxRate(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
