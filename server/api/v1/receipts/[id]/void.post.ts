import { receiptContracts } from '../../../../contracts/receipts'
import { voidReceipt } from '../../../../domain/sales/receipts'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(receiptContracts.voidReceipt, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => voidReceipt(tx, tenant.id, actor, params.id, body)))
