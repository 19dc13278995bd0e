import { bankMatchingContracts } from '../../../../contracts/bank-matching'
import { suggestionsFor } from '../../../../domain/bank/suggestions'
import { defineApiHandler } from '../../../../utils/api'

export default defineApiHandler(bankMatchingContracts.suggestBankMatches, async (_event, { params, query, tenant, read }) =>
  ({ data: await read(tx => suggestionsFor(tx, tenant.id, params.id, query)) }))
