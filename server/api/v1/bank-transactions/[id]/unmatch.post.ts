import { bankMatchingContracts } from '../../../../contracts/bank-matching'
import { unmatchTransaction } from '../../../../domain/bank/matching'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankMatchingContracts.unmatchBankTransaction, async (_event, { params, tenant, actor, write }) =>
  write(tx => unmatchTransaction(tx, tenant.id, actor, params.id)))
