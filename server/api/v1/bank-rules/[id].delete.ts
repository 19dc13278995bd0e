import { bankMatchingContracts } from '../../../contracts/bank-matching'
import { deleteBankRule } from '../../../domain/bank/rules'
import { defineApiHandler } from '../../../utils/api'

export default defineApiHandler(bankMatchingContracts.deleteBankRule, async (_event, { params, tenant, actor, write }) => {
  await write(tx => deleteBankRule(tx, tenant.id, actor, params.id))
  return { ok: true as const }
})
