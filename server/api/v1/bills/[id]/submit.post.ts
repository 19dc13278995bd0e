import { billContracts } from '../../../../contracts/bills'
import { submitBill } from '../../../../domain/purchases/bills'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(billContracts.submitBill, async (_event, { params, tenant, actor, write }) =>
  write(tx => submitBill(tx, tenant.id, actor, params.id)))
