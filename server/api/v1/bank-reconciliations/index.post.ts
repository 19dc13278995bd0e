import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { createReconciliation } from '../../../domain/bank/reconciliations'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.createBankReconciliation, async (_event, { body, tenant, actor, write }) =>
  write(tx => createReconciliation(tx, tenant.id, actor, body)))
