import { bankReconciliationContracts } from '../../../../contracts/bank-reconciliations'
import { completeReconciliation } from '../../../../domain/bank/reconciliations'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.completeBankReconciliation, async (_event, { params, tenant, actor, write }) =>
  write(tx => completeReconciliation(tx, tenant.id, actor, params.id)))
