import { salesContracts } from '../../../contracts/sales'
import { createCustomer } from '../../../domain/sales/customers'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.createCustomer, async (_event, { body, tenant, actor, write }) =>
  write(tx => createCustomer(tx, tenant.id, actor, body)))
