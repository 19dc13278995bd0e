import { bankMatchingContracts } from '../../../../contracts/bank-matching'
import { matchTransaction } from '../../../../domain/bank/matching'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankMatchingContracts.matchBankTransaction, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => matchTransaction(tx, tenant.id, actor, params.id, body)))
