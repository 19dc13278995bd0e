import { receiptContracts } from '../../../../contracts/receipts'
import { allocateReceipt } from '../../../../domain/sales/receipts'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(receiptContracts.allocateReceipt, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => allocateReceipt(tx, tenant.id, actor, params.id, body)))
