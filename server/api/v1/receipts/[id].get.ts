import { receiptContracts } from '../../../contracts/receipts'
import { getReceipt } from '../../../domain/sales/receipts'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(receiptContracts.getReceipt, async (_event, { params, tenant, read }) =>
  read(tx => getReceipt(tx, tenant.id, params.id)))
