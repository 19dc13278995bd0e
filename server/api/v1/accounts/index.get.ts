import { withTenant } from '../../../../db/tenant'
import { ledgerContracts } from '../../../contracts/ledger'
import { listAccounts } from '../../../domain/ledger/accounts'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(ledgerContracts.listAccounts, async (event, { query }) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  return { data: await withTenant(tenant.id, tx => listAccounts(tx, query)) }
})
