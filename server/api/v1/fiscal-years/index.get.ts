import { withTenant } from '../../../../db/tenant'
import { closingContracts } from '../../../contracts/closing'
import { listFiscalYears } from '../../../domain/ledger/closing'
import { defineApiHandler } from '../../../utils/api'
import { requirePermission } from '../../../utils/guards'

export default defineApiHandler(closingContracts.listFiscalYears, async (event) => {
  const { tenant } = requirePermission(event, 'ledger:read')
  return { data: await withTenant(tenant.id, tx => listFiscalYears(tx)) }
})
