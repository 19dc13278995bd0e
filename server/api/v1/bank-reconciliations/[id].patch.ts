import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { updateReconciliation } from '../../../domain/bank/reconciliations'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(bankReconciliationContracts.updateBankReconciliation, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateReconciliation(tx, tenant.id, actor, params.id, { ...body, version }))
})
