import { receiptContracts } from '../../../contracts/receipts'
import { createReceipt } from '../../../domain/sales/receipts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(receiptContracts.createReceipt, async (_event, { body, tenant, actor, write }) =>
  write(tx => createReceipt(tx, tenant.id, actor, body)))
