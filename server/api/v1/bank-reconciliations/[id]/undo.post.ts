import { bankReconciliationContracts } from '../../../../contracts/bank-reconciliations'
import { undoReconciliation } from '../../../../domain/bank/reconciliations'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.undoBankReconciliation, async (_event, { params, tenant, actor, write }) =>
  write(tx => undoReconciliation(tx, tenant.id, actor, params.id)))
