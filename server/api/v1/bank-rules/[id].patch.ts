import { bankMatchingContracts } from '../../../contracts/bank-matching'
import { updateBankRule } from '../../../domain/bank/rules'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(bankMatchingContracts.updateBankRule, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateBankRule(tx, tenant.id, actor, params.id, { ...body, version }))
})
