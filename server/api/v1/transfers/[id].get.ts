import { bankReconciliationContracts } from '../../../contracts/bank-reconciliations'
import { getTransfer } from '../../../domain/bank/transfers'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankReconciliationContracts.getTransfer, async (_event, { params, read }) => read(tx => getTransfer(tx, params.id)))
