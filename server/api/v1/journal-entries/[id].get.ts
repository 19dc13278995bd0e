import { withTenant } from '../../../../db/tenant'
import { ledgerContracts } from '../../../contracts/ledger'
import { getEntry } from '../../../domain/ledger/entries'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(ledgerContracts.getEntry, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  return withTenant(tenant.id, tx => getEntry(tx, params.id))
})
