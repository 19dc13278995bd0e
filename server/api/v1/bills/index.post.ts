import { billContracts } from '../../../contracts/bills'
import { createBill } from '../../../domain/purchases/bills'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billContracts.createBill, async (_event, { body, tenant, actor, write }) =>
  write(tx => createBill(tx, tenant.id, actor, body)))
