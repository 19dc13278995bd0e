import { closingContracts } from '../../../../contracts/closing'
import { closeFiscalYear } from '../../../../domain/ledger/closing'
import { defineApiHandler } from '../../../../utils/api'
import { actorOf, requirePermission } from '../../../../utils/guards'
import { tenantWrite } from '../../../../utils/tenant-write'

export default defineApiHandler(closingContracts.closeFiscalYear, async (event, { params }) => {
  const { tenant } = requirePermission(event, 'ledger:close')
  return tenantWrite(event, tx => closeFiscalYear(tx, tenant.id, actorOf(event), params.id))
})
