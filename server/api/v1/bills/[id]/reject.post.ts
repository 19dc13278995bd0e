import { billContracts } from '../../../../contracts/bills'
import { rejectBill } from '../../../../domain/purchases/bills'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(billContracts.rejectBill, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => rejectBill(tx, tenant.id, actor, params.id, body)))
