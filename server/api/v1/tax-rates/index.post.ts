import { salesContracts } from '../../../contracts/sales'
import { createTaxRate } from '../../../domain/sales/tax-rates'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.createTaxRate, async (_event, { body, tenant, actor, write }) =>
  write(tx => createTaxRate(tx, tenant.id, actor, body)))
