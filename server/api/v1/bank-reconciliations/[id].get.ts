import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { getReconciliation } from '../../../domain/bank/reconciliations'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.getBankReconciliation, async (_event, { params, read }) => read(tx => getReconciliation(tx, params.id)))
