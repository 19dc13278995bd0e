import { ledgerContracts } from '../../../contracts/ledger'
import { createAccount } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'
import { actorOf, requirePermission } from '../../../utils/guards'
import { tenantWrite } from '../../../utils/tenant-write'

export default defineApiHandler(ledgerContracts.createAccount, async (event, { body }) => {
  const { tenant } = requirePermission(event, 'ledger:write')
  return tenantWrite(event, tx => createAccount(tx, tenant.id, actorOf(event), body), { status: 201 })
})
