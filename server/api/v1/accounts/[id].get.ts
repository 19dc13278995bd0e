import { withTenant } from '../../../../db/tenant'
import { ledgerContracts } from '../../../contracts/ledger'
import { getAccount } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(ledgerContracts.getAccount, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  return withTenant(tenant.id, tx => getAccount(tx, params.id))
})
