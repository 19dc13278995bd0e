import { receiptContracts } from '../../../../contracts/receipts'
import { allocateCreditNote } from '../../../../domain/sales/receipts'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(receiptContracts.allocateCreditNote, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => allocateCreditNote(tx, tenant.id, actor, params.id, body)))
