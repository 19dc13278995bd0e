import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { createTransfer } from '../../../domain/bank/transfers'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.createTransfer, async (_event, { body, tenant, actor, write }) =>
  write(tx => createTransfer(tx, tenant.id, actor, body)))
