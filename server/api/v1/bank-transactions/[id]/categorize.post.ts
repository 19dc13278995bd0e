import { bankMatchingContracts } from '../../../../contracts/bank-matching'
import { categorizeTransaction } from '../../../../domain/bank/matching'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankMatchingContracts.categorizeBankTransaction, async (_event, { params, body, tenant, actor, write }) =>
  write(tx => categorizeTransaction(tx, tenant.id, actor, params.id, body)))
