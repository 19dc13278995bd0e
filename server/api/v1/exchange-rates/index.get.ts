import { withTenant } from '../../../../db/tenant'
import { ledgerContracts } from '../../../contracts/ledger'
import { listRates } from '../../../domain/ledger/rates'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(ledgerContracts.listRates, async (event, { query }) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  return { data: await withTenant(tenant.id, tx => listRates(tx, query)) }
})
