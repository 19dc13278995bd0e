import { withTenant } from '../../../../db/tenant'
import { ledgerContracts } from '../../../contracts/ledger'
import { listPeriods } from '../../../domain/ledger/periods'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(ledgerContracts.listPeriods, async (event, { query }) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  return { data: await withTenant(tenant.id, tx => listPeriods(tx, query)) }
})
