import { ledgerContracts } from '../../../contracts/ledger'
import { updateAccount } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'
import { expectedVersion } from '../../../utils/versioning'

export default defineApiHandler(ledgerContracts.updateAccount, async (event, { params, body, tenant, actor, write }) => {
  const version = expectedVersion(event, body.version)
  return write(tx => updateAccount(tx, tenant.id, actor, params.id, { ...body, version }))
})
