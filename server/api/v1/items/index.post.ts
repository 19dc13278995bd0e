import { salesContracts } from '../../../contracts/sales'
import { createItem } from '../../../domain/sales/items'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(salesContracts.createItem, async (_event, { body, tenant, actor, write }) =>
  write(tx => createItem(tx, tenant.id, actor, body)))
