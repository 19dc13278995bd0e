import { billContracts } from '../../../../contracts/bills'
import { voidBill } from '../../../../domain/purchases/bills'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(billContracts.voidBill, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => voidBill(tx, tenant.id, actor, params.id, body)))
