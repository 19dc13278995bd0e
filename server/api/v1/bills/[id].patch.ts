import { billContracts } from '../../../contracts/bills'
import { updateBill } from '../../../domain/purchases/bills'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(billContracts.updateBill, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => updateBill(tx, tenant.id, actor, params.id, body)))
