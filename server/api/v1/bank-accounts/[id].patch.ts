import { bankContracts } from '../../../contracts/bank'
import { updateBankAccount } from '../../../domain/bank/accounts'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(bankContracts.updateBankAccount, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateBankAccount(tx, tenant.id, actor, params.id, { ...body, version }))
})
